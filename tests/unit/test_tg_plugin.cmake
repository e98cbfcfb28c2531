# The whole telegram plugin compiled into the test, which plays the host
# and supplies the clock (tg_clock.c is left out).
target_sources(${TEST_TARGET} PRIVATE
  ${PROJECT_SOURCE_DIR}/plugins/telegram/telegram.c
  ${PROJECT_SOURCE_DIR}/plugins/telegram/tg_config.c
  ${PROJECT_SOURCE_DIR}/plugins/telegram/tg_address.c
  ${PROJECT_SOURCE_DIR}/plugins/telegram/tg_api.c
  ${PROJECT_SOURCE_DIR}/plugins/telegram/tg_poll.c
  ${PROJECT_SOURCE_DIR}/plugins/telegram/tg_send.c
  ${PROJECT_SOURCE_DIR}/plugins/telegram/tg_json.c
  ${PROJECT_SOURCE_DIR}/plugins/telegram/tg_text.c
  ${PROJECT_SOURCE_DIR}/plugins/telegram/tg_rate.c)
target_include_directories(${TEST_TARGET} PRIVATE
  ${PROJECT_SOURCE_DIR}/plugins/telegram
  ${PROJECT_SOURCE_DIR}/include)
target_link_libraries(${TEST_TARGET} PRIVATE PkgConfig::JANSSON m)
