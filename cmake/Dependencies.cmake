# Finds the Debian-packaged libraries (scripts/packages.txt installs them) as imported targets.
find_package(PkgConfig REQUIRED)
find_package(Threads REQUIRED)
find_package(GTest REQUIRED)
find_package(OpenSSL 3 REQUIRED)
find_package(nlohmann_json 3 REQUIRED)
find_package(tl-expected REQUIRED)
find_package(spdlog REQUIRED)
find_package(CURL REQUIRED)
find_package(date REQUIRED)
find_package(pugixml REQUIRED)  # libpugixml-dev: target pugixml::pugixml (POSLog import)

pkg_check_modules(PISTACHE REQUIRED IMPORTED_TARGET libpistache)
pkg_check_modules(HIREDIS REQUIRED IMPORTED_TARGET hiredis)

# Connector/C++ 1.1 ships no CMake or pkg-config file.
find_library(MYSQLCPPCONN_LIBRARY mysqlcppconn REQUIRED)
find_path(MYSQLCPPCONN_INCLUDE_DIR cppconn/driver.h REQUIRED)
add_library(mysqlcppconn::mysqlcppconn UNKNOWN IMPORTED)
set_target_properties(mysqlcppconn::mysqlcppconn PROPERTIES
  IMPORTED_LOCATION ${MYSQLCPPCONN_LIBRARY}
  INTERFACE_INCLUDE_DIRECTORIES ${MYSQLCPPCONN_INCLUDE_DIR})

# libphonenumber's CMake config is incomplete on Debian 12; link the library directly.
find_library(PHONENUMBER_LIBRARY phonenumber REQUIRED)
add_library(phonenumber::phonenumber UNKNOWN IMPORTED)
set_target_properties(phonenumber::phonenumber PROPERTIES IMPORTED_LOCATION ${PHONENUMBER_LIBRARY})
