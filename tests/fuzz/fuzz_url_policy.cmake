# tg_config.c is included by the target; it needs the plugin's headers and
# tg_text.c (tg_parse_int64), compiled in and so instrumented too.
target_sources(${FUZZ_TARGET} PRIVATE
  ${PROJECT_SOURCE_DIR}/plugins/telegram/tg_text.c)
target_include_directories(${FUZZ_TARGET} PRIVATE
  ${PROJECT_SOURCE_DIR}/plugins/telegram
  ${PROJECT_SOURCE_DIR}/include)
