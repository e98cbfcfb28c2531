# The telegram plugin's JSON reading, compiled (and so instrumented for
# coverage) into the fuzzer, with jansson as the oracle.
target_sources(${FUZZ_TARGET} PRIVATE
  ${PROJECT_SOURCE_DIR}/plugins/telegram/tg_json.c
  ${PROJECT_SOURCE_DIR}/plugins/telegram/tg_text.c)
target_include_directories(${FUZZ_TARGET} PRIVATE
  ${PROJECT_SOURCE_DIR}/plugins/telegram
  ${PROJECT_SOURCE_DIR}/include)
target_link_libraries(${FUZZ_TARGET} PRIVATE PkgConfig::JANSSON)
