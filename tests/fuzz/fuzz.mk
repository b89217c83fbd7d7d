# fuzz targets: each tests/fuzz/fuzz_*.c is one libFuzzer program
FUZZ_TARGETS += $(sort $(wildcard tests/fuzz/fuzz_*.c))
