# The POSLog importer on the real MariaDB adapters (label "db"): the vendors' files in
# ../shared/testdata/poslog, replays, linked returns, statuses, hostile files, no card numbers.
loyalty_test(pos_poslog_import_db_test db
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/poslog_import_db_test.cc
  DEPS loyalty_poslog_import loyalty_service loyalty_mysql loyalty_crypto loyalty_pos_auth
       loyalty_integration_support loyalty_test_support)
# Each test migrates its own database; one builds a 100 MiB file.
set_tests_properties(pos_poslog_import_db_test PROPERTIES TIMEOUT 600)
