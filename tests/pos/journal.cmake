# Tests of the offline journal format: the documented example, signatures, every refusal, gaps.
loyalty_test(unit_offline_journal_test unit
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/offline_journal_test.cc
  DEPS loyalty_pos_journal)
