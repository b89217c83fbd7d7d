# SPDX-License-Identifier: GPL-2.0
# Builds each tests/kernel/tests/*.c into one in-guest kselftest program.
# Run from the repo top by tests/kernel/run:
#   make -f tests/kernel/lane/guest-tests.mk OUT=DIR KSELFTEST=DIR
# KSELFTEST holds kselftest*.h from Debian's linux-source-6.1 (never the
# repo), included as a system header: the 6.1 harness itself is not
# -Wextra clean (unused parameters).  Our kselftest_harness.h in lane/include
# wraps it (adds -t and -l) and is compiled with every warning.

OUT ?= .cache/lane/tests
KSELFTEST ?= .cache/kselftest
CC ?= cc

SRCS := $(sort $(wildcard tests/kernel/tests/*.c))
BINS := $(SRCS:tests/kernel/tests/%.c=$(OUT)/%)
# The guest benchmarks (make bench; not tests, never run by the lane):
#   make -f tests/kernel/lane/guest-tests.mk bench BENCH_OUT=DIR
BENCH_OUT ?= build/bench/guest
BENCH_SRCS := $(sort $(wildcard tests/kernel/bench/*.c))
BENCH_BINS := $(BENCH_SRCS:tests/kernel/bench/%.c=$(BENCH_OUT)/%)

# libpawlink is linked in when it has been built (make userspace), so a test
# can drive a handshake itself; --as-needed keeps unused libraries out.
LIBPAWLINK := $(wildcard build/rel/libpawlink.a)

CFLAGS := -std=gnu11 -D_GNU_SOURCE -O2 -g -Wall -Wextra -Werror \
	-Itests/kernel/lane/include -isystem $(KSELFTEST) -Iinclude/uapi -Iinclude \
	-Iuserspace/proto -Iuserspace/radio -Iuserspace/lib/include -Iuserspace/lib \
	-Itests/support -pthread
# pawctl's --json is read with json-c (tests/support/json_read.c, built
# into each test, so each needs libjson-c; the lane stages it by ldd).
JSON_READ := tests/support/json_read.c
LDLIBS := $(LIBPAWLINK) -Wl,--as-needed \
	$(shell pkg-config --libs libsodium alsa sndfile samplerate json-c libusb-1.0 2>/dev/null) \
	-lpthread -lm
# libpawlink's audio conversion resamples (the benches use more of it).
BENCH_LDLIBS := $(LIBPAWLINK) -Wl,--as-needed \
	$(shell pkg-config --libs libsodium alsa sndfile samplerate libusb-1.0 2>/dev/null) \
	-lpthread -lm

all: $(BINS)

$(OUT)/%: tests/kernel/tests/%.c $(JSON_READ) $(LIBPAWLINK) \
		tests/kernel/lane/guest-tests.mk
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -MMD -MP -MF $@.d -MT $@ -o $@ $< $(JSON_READ) $(LDLIBS)

bench: $(BENCH_BINS)

$(BENCH_OUT)/%: tests/kernel/bench/%.c $(LIBPAWLINK) tests/kernel/lane/guest-tests.mk
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -Itests/kernel/tests -MMD -MP -MF $@.d -MT $@ -o $@ $< \
		$(BENCH_LDLIBS)

-include $(BINS:=.d) $(BENCH_BINS:=.d)

.PHONY: all bench
