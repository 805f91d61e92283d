# loyalty_pos_journal: the offline store-and-forward journal (docs/POS-JOURNAL.md): parsing the
# upload and checking each entry's HMAC. Pure: no I/O, no database; applying entries is not here.
loyalty_library(loyalty_pos_journal
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/offline_journal.cc
  DEPS loyalty_pos_auth loyalty_domain nlohmann_json::nlohmann_json OpenSSL::Crypto)
# loyalty_pos_journal_apply: applying an uploaded journal through the sale service.
loyalty_library(loyalty_pos_journal_apply
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/journal_apply.cc
  DEPS loyalty_pos_journal loyalty_service)
