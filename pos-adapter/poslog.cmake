# loyalty_poslog: the ARTS POSLog parser (XML text -> transactions), pure: no I/O, no database.
loyalty_library(loyalty_poslog
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/poslog_parser.cc
  DEPS loyalty_common pugixml::pugixml)
