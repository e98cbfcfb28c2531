# The telegram plugin's pure text functions, compiled (and so instrumented
# for coverage) into the fuzzer.
target_sources(${FUZZ_TARGET} PRIVATE
  ${PROJECT_SOURCE_DIR}/plugins/telegram/tg_text.c)
target_include_directories(${FUZZ_TARGET} PRIVATE
  ${PROJECT_SOURCE_DIR}/plugins/telegram)
