# The console plugin's pure input functions, compiled (and so instrumented
# for coverage) into the fuzzer.
target_sources(${FUZZ_TARGET} PRIVATE
  ${PROJECT_SOURCE_DIR}/plugins/console/console_lines.c)
target_include_directories(${FUZZ_TARGET} PRIVATE
  ${PROJECT_SOURCE_DIR}/plugins/console)
