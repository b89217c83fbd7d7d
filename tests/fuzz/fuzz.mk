# fuzz targets: each tests/fuzz/fuzz_*.c is one libFuzzer program
FUZZ_TARGETS += $(sort $(wildcard tests/fuzz/fuzz_*.c))
# Each is built with the shared test helpers (tests/support/) as well.
$(FUZZ_TARGETS:%.c=$(BUILD)/fuzz/%): $(TEST_SUPPORT_SRCS)
