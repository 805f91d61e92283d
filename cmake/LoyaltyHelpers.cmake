# Helpers that keep module CMakeLists short: loyalty_library() and loyalty_test().

# loyalty_library(NAME SOURCES ... DEPS ...): a static library rooted at the repository top so
# includes read "loyalty/common/error.h".
function(loyalty_library name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  add_library(${name} STATIC ${ARG_SOURCES})
  target_include_directories(${name} PUBLIC ${PROJECT_SOURCE_DIR})
  target_link_libraries(${name} PUBLIC ${ARG_DEPS})
endfunction()

# loyalty_test(NAME LABEL SOURCES ... DEPS ...): a GoogleTest binary registered with ctest under
# one label (unit, db, redis, e2e). Tests find the source tree and built binaries through
# compile definitions so they run from any directory.
function(loyalty_test name label)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE ${ARG_DEPS} GTest::gmock GTest::gtest_main)
  target_compile_definitions(${name} PRIVATE
    LOYALTY_SOURCE_DIR="${PROJECT_SOURCE_DIR}"
    LOYALTY_BINARY="$<TARGET_FILE:loyalty>")
  add_test(NAME ${name} COMMAND ${name})
  set_tests_properties(${name} PROPERTIES LABELS ${label})
endfunction()
