# The same plugin sources and jansson as fuzz_tg_updates (jansson is the
# scan's oracle here).
include(${CMAKE_CURRENT_SOURCE_DIR}/fuzz_tg_updates.cmake)
