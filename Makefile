# pawlink top-level build.  The kernel module itself is described by ./Kbuild;
# this file drives kbuild, builds userspace/ and runs the test lanes.
#
#   make                 pawlink.ko and every userspace program
#   make check           native lane, fuzz, lint, then the kernel lane (QEMU)
#   make check-native    unit and protocol tests under ASan + UBSan
#   make check-kernel    in-guest tests on Debian's kernel (tests/kernel/)
#   make check-debug     the same tests on a KASAN/lockdep/kmemleak kernel
#   make lint            checkpatch --strict and sparse on driver/
#   make bench           benchmarks, printed as ratios to a same-run baseline
#
# KDIR: kernel headers to build against.  Defaults to the headers of the
# kernel the kernel lane boots (Debian's linux-headers-amd64), e.g.
#   make KDIR=/lib/modules/$(uname -r)/build
#   make KDIR=/usr/src/linux-headers-6.12.117+deb12-amd64

# The Debian ABI that linux-headers-amd64 / linux-image-amd64 point at.
KVER ?= $(shell dpkg-query -W -f='$${Depends}' linux-headers-amd64 2>/dev/null | \
	sed -n 's/^linux-headers-\([^ ]*\).*/\1/p')
KDIR ?= /usr/src/linux-headers-$(KVER)
export KVER KDIR

# Plain `make` builds what the README says, whatever the .mk files below
# define first.
.DEFAULT_GOAL := all
all: module userspace

BUILD ?= build
CC ?= cc
CLANG ?= clang

PKGS := libsodium sndfile samplerate alsa
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS := $(shell pkg-config --libs $(PKGS) 2>/dev/null)

WARN := -Wall -Wextra -Werror -Wshadow -Wformat=2 -Wvla
BASE_CFLAGS := -std=c11 -D_GNU_SOURCE $(WARN) $(PKG_CFLAGS)
# The installable build and the sanitised build the native tests run.
REL_CFLAGS := $(BASE_CFLAGS) -O2 -g -fstack-protector-strong -D_FORTIFY_SOURCE=2
SAN_CFLAGS := $(BASE_CFLAGS) -O1 -g -fno-omit-frame-pointer \
	-fsanitize=address,undefined -fno-sanitize-recover=all

# Each folder of userspace/ is one role and sees only the folders below it
# (Documentation/layout.rst): its include path is all it can reach.
INC_PROTO := -Iinclude/uapi -Iinclude -Iuserspace/proto -Iuserspace/sim # TEMP: msg_toy -> msg_store
INC_RADIO := $(INC_PROTO) -Iuserspace/radio
INC_LIB := $(INC_RADIO) -Iuserspace/lib
INC_SIM := $(INC_RADIO) -Iuserspace/sim -Iuserspace/sim/toy -Iuserspace/lib # TEMP: toy -> audio_convert
INC_PAWCTL := $(INC_LIB) -Iuserspace/pawctl
INC_PAWSIM := $(INC_SIM) -Iuserspace/lib -Iuserspace/pawsim
INC_TESTS := $(INC_SIM) -Iuserspace/lib -Iuserspace/pawsim -Itests/support \
	-Itests/native

include userspace/proto/proto.mk
include userspace/radio/radio.mk
include userspace/lib/lib.mk
include userspace/sim/sim.mk
include userspace/pawsim/pawsim.mk
include userspace/pawctl/pawctl.mk
include tests/support/support.mk
include tests/native/native.mk
include tests/fuzz/fuzz.mk

.PHONY: all module userspace check check-native check-kernel check-debug \
	fuzz lint bench demo clean

module:
	@test -d "$(KDIR)" || { echo "error: no kernel headers at KDIR=$(KDIR);" \
		"install linux-headers-amd64 or pass KDIR=" >&2; exit 1; }
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

# ---- userspace: one object tree per flavour -------------------------------

# $(1): flavour, $(2): its CFLAGS variable
define flavour
$(BUILD)/$(1)/%.o: %.c
	@mkdir -p $$(@D)
	$$(CC) $$($(2)) $$(INC) -MMD -MP -c $$< -o $$@

$$(PROTO_SRCS:%.c=$(BUILD)/$(1)/%.o): INC := $$(INC_PROTO)
$$(RADIO_SRCS:%.c=$(BUILD)/$(1)/%.o): INC := $$(INC_RADIO)
$$(LIB_SRCS:%.c=$(BUILD)/$(1)/%.o): INC := $$(INC_LIB)
$$(SIM_SRCS:%.c=$(BUILD)/$(1)/%.o): INC := $$(INC_SIM)
$$(PAWCTL_SRCS:%.c=$(BUILD)/$(1)/%.o): INC := $$(INC_PAWCTL)
$$(PAWSIM_SRCS:%.c=$(BUILD)/$(1)/%.o): INC := $$(INC_PAWSIM)
$$(TEST_SUPPORT_SRCS:%.c=$(BUILD)/$(1)/%.o): INC := $$(INC_TESTS)
$$(NATIVE_TESTS:%.c=$(BUILD)/$(1)/%.o): INC := $$(INC_TESTS)

# libpawlink: the library and everything below it.
$(BUILD)/$(1)/libpawlink.a: $$(LIB_SRCS:%.c=$(BUILD)/$(1)/%.o) \
		$$(RADIO_SRCS:%.c=$(BUILD)/$(1)/%.o) \
		$$(PROTO_SRCS:%.c=$(BUILD)/$(1)/%.o)
	@mkdir -p $$(@D)
	rm -f $$@
	$$(AR) rcs $$@ $$^

# The simulator's own parts; it links libpawlink for what lies below.
$(BUILD)/$(1)/libpawsim.a: $$(SIM_SRCS:%.c=$(BUILD)/$(1)/%.o)
	@mkdir -p $$(@D)
	rm -f $$@
	$$(AR) rcs $$@ $$^

$(BUILD)/$(1)/pawsim: $$(PAWSIM_SRCS:%.c=$(BUILD)/$(1)/%.o) \
		$(BUILD)/$(1)/libpawsim.a $(BUILD)/$(1)/libpawlink.a
	$$(CC) $$($(2)) -o $$@ $$^ $$(PKG_LIBS) -lpthread

$(BUILD)/$(1)/pawctl: $$(PAWCTL_SRCS:%.c=$(BUILD)/$(1)/%.o) $(BUILD)/$(1)/libpawlink.a
	$$(CC) $$($(2)) -o $$@ $$^ $$(PKG_LIBS) -lpthread

-include $$(shell find $(BUILD)/$(1) -name '*.d' 2>/dev/null)
endef

$(eval $(call flavour,rel,REL_CFLAGS))
$(eval $(call flavour,san,SAN_CFLAGS))

USERSPACE_BINS := $(BUILD)/rel/pawsim $(BUILD)/rel/pawctl
userspace: $(USERSPACE_BINS)

# ---- tests ----------------------------------------------------------------

# Each native test links the shared test helpers (tests/support/), the
# simulator and libpawlink, statically, in that order.
NATIVE_BINS := $(NATIVE_TESTS:%.c=$(BUILD)/san/%)
$(BUILD)/san/tests/native/%: $(BUILD)/san/tests/native/%.o \
		$(TEST_SUPPORT_SRCS:%.c=$(BUILD)/san/%.o) \
		$(BUILD)/san/libpawsim.a $(BUILD)/san/libpawlink.a
	$(CC) $(SAN_CFLAGS) -o $@ $^ $(PKG_LIBS) -lcmocka -lpthread -lm

# The lanes run one after the other, even under make -j, so their output
# stays readable; each one builds what it needs with the caller's -j.
check:
	$(MAKE) check-native
	$(MAKE) fuzz
	$(MAKE) lint
	$(MAKE) check-kernel

check-native: $(NATIVE_BINS) $(USERSPACE_BINS:$(BUILD)/rel/%=$(BUILD)/san/%)
	@tests/native/run $(NATIVE_BINS)

check-kernel: module userspace
	tests/kernel/run

check-debug: userspace
	tests/kernel/debug-lane

FUZZ_BINS := $(FUZZ_TARGETS:%.c=$(BUILD)/fuzz/%)
FUZZ_LIB_SRCS := $(PROTO_SRCS) $(RADIO_SRCS) $(LIB_SRCS) $(SIM_SRCS)
$(BUILD)/fuzz/%: %.c $(FUZZ_LIB_SRCS)
	@mkdir -p $(@D)
	$(CLANG) $(BASE_CFLAGS) $(INC_TESTS) -O1 -g -fsanitize=fuzzer,address,undefined \
		-o $@ $^ $(PKG_LIBS)

fuzz: $(FUZZ_BINS)
	@tests/fuzz/run $(FUZZ_BINS)

lint:
	tests/lint

bench: userspace
	tests/bench/run

demo: userspace
	tests/demo

clean:
	rm -rf $(BUILD)
	-$(MAKE) -C $(KDIR) M=$(CURDIR) clean 2>/dev/null
