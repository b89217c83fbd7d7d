# tests/support: helpers the native tests, fuzz targets and benches share.
TEST_SUPPORT_SRCS := $(sort $(wildcard tests/support/*.c))
