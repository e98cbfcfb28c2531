# The telegram plugin's pure text functions, compiled into the test.
target_sources(${TEST_TARGET} PRIVATE
  ${PROJECT_SOURCE_DIR}/plugins/telegram/tg_text.c)
target_include_directories(${TEST_TARGET} PRIVATE
  ${PROJECT_SOURCE_DIR}/plugins/telegram)
