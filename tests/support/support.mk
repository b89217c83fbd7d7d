# tests/support: helpers the native tests, fuzz targets and benches share.
TEST_SUPPORT_SRCS := $(sort $(wildcard tests/support/*.c))
# json_read.c reads --json documents with json-c.
TEST_SUPPORT_LIBS = $(shell pkg-config --libs json-c)
