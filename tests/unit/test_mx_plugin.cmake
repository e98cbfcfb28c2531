# The matrix plugin's pure JSON, text and address functions, compiled
# into the test and linked with jansson.
target_sources(${TEST_TARGET} PRIVATE
  ${PROJECT_SOURCE_DIR}/plugins/matrix/mx_json.c
  ${PROJECT_SOURCE_DIR}/plugins/matrix/mx_text.c
  ${PROJECT_SOURCE_DIR}/plugins/matrix/mx_address.c)
target_include_directories(${TEST_TARGET} PRIVATE
  ${PROJECT_SOURCE_DIR}/plugins/matrix
  ${PROJECT_SOURCE_DIR}/include)
target_link_libraries(${TEST_TARGET} PRIVATE PkgConfig::JANSSON)
