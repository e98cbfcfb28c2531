# The matrix plugin's pure JSON and text functions, compiled (and so
# instrumented) into the fuzzer and linked with jansson.
target_sources(${FUZZ_TARGET} PRIVATE
  ${PROJECT_SOURCE_DIR}/plugins/matrix/mx_json.c
  ${PROJECT_SOURCE_DIR}/plugins/matrix/mx_text.c
  ${PROJECT_SOURCE_DIR}/plugins/matrix/mx_address.c)
target_include_directories(${FUZZ_TARGET} PRIVATE
  ${PROJECT_SOURCE_DIR}/plugins/matrix
  ${PROJECT_SOURCE_DIR}/include)
target_link_libraries(${FUZZ_TARGET} PRIVATE PkgConfig::JANSSON)
