# Tests of the POSLog parser against the vendors' files in ../shared/testdata/poslog and bad input.
loyalty_test(unit_poslog_parser_test unit
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/poslog_parser_test.cc
  DEPS loyalty_poslog)
