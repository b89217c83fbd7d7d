# native tests: each tests/native/test_*.c is one cmocka program
NATIVE_TESTS += $(sort $(wildcard tests/native/test_*.c))
