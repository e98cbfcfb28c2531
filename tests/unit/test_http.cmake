# test_http starts tests/http_server.py itself, with the same python3 the
# integration tests use.
find_program(PYTHON3 python3 REQUIRED)
target_compile_definitions(${TEST_TARGET} PRIVATE TEST_PYTHON3="${PYTHON3}")
