# The telegram plugin's pure address function, compiled into the test.
target_sources(${TEST_TARGET} PRIVATE
  ${PROJECT_SOURCE_DIR}/plugins/telegram/tg_address.c)
target_include_directories(${TEST_TARGET} PRIVATE
  ${PROJECT_SOURCE_DIR}/plugins/telegram)
