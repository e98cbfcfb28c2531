# rehabctl's scores reader, compiled (and so instrumented for coverage)
# into the fuzzer.
target_sources(${FUZZ_TARGET} PRIVATE
  ${PROJECT_SOURCE_DIR}/tools/rehabctl/preview_scores.c)
target_include_directories(${FUZZ_TARGET} PRIVATE
  ${PROJECT_SOURCE_DIR}/tools/rehabctl)
# The program the histories go through.
target_compile_definitions(${FUZZ_TARGET} PRIVATE
  REHABD_FUZZ_PROGRAM="${PROJECT_SOURCE_DIR}/conf/programs/iliopsoas.conf")
