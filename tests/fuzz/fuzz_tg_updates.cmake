# The telegram plugin's pure JSON and text functions, compiled (and so
# instrumented for coverage) into the fuzzer and linked with jansson.
target_sources(${FUZZ_TARGET} PRIVATE
  ${PROJECT_SOURCE_DIR}/plugins/telegram/tg_json.c
  ${PROJECT_SOURCE_DIR}/plugins/telegram/tg_text.c)
target_include_directories(${FUZZ_TARGET} PRIVATE
  ${PROJECT_SOURCE_DIR}/plugins/telegram
  ${PROJECT_SOURCE_DIR}/include)
target_link_libraries(${FUZZ_TARGET} PRIVATE PkgConfig::JANSSON)
