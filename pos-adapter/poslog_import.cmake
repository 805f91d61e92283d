# loyalty_poslog_import: parsed POSLog transactions committed through the sale service
# (POST /v1/pos/poslog and `loyalty import-poslog`). The parser stays pure; this part writes.
loyalty_library(loyalty_poslog_import
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/poslog_import.cc
  DEPS loyalty_poslog loyalty_service OpenSSL::Crypto date::date-tz)
