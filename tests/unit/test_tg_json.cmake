# The telegram plugin's pure JSON and text functions, compiled into the
# test and linked with jansson.
target_sources(${TEST_TARGET} PRIVATE
  ${PROJECT_SOURCE_DIR}/plugins/telegram/tg_json.c
  ${PROJECT_SOURCE_DIR}/plugins/telegram/tg_text.c)
target_include_directories(${TEST_TARGET} PRIVATE
  ${PROJECT_SOURCE_DIR}/plugins/telegram
  ${PROJECT_SOURCE_DIR}/include)
target_link_libraries(${TEST_TARGET} PRIVATE PkgConfig::JANSSON)
