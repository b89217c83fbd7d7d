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
#   make demo            the user's walk-through on the simulated air
#   make demo-kernel     the same through pawlink.ko, in the kernel lane's VM
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
INC_PROTO := -Iinclude/uapi -Iinclude -Iuserspace/proto
INC_RADIO := $(INC_PROTO) -Iuserspace/radio
INC_LIB := $(INC_RADIO) -Iuserspace/lib/include -Iuserspace/lib
INC_SIM := $(INC_RADIO) -Iuserspace/sim -Iuserspace/sim/toy
INC_PAWCTL := -Iinclude/uapi -Iinclude -Iuserspace/lib/include -Iuserspace/pawctl
INC_PAWSIM := $(INC_SIM) -Iuserspace/lib/include -Iuserspace/lib -Iuserspace/pawsim
INC_TESTS := $(INC_SIM) -Iuserspace/lib/include -Iuserspace/lib -Iuserspace/pawsim -Itests/support \
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
	fuzz lint bench demo demo-kernel clean

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

$(BUILD)/$(1)/pawctl: $$(PAWCTL_SRCS:%.c=$(BUILD)/$(1)/%.o) $$(PAWCTL_LIBPAWLINK_$(1))
	$$(CC) $$($(2)) $$(PAWCTL_LDFLAGS_$(1)) -o $$@ $$^ $$(PKG_LIBS) -lpthread

-include $$(shell find $(BUILD)/$(1) -name '*.d' 2>/dev/null)
endef

# pawctl links libpawlink as it is installed: shared in the release build
# (found next to pawctl in the build tree, in ../lib once installed), and
# statically in the sanitised build the tests run.  Every other program
# links the static archives.
PAWCTL_LIBPAWLINK_rel = $(BUILD)/rel/libpawlink.so
PAWCTL_LDFLAGS_rel = -Wl,--as-needed -Wl,-rpath,'$$ORIGIN:$$ORIGIN/../lib'
PAWCTL_LIBPAWLINK_san = $(BUILD)/san/libpawlink.a

$(eval $(call flavour,rel,REL_CFLAGS))
$(eval $(call flavour,san,SAN_CFLAGS))

# ---- libpawlink.so (Documentation/libpawlink.rst) ---------------------------

# The SONAME's number goes up whenever an exported function's signature or
# a public struct changes; the rest of the version is for people.
LIBPAWLINK_SOVERSION := 1
LIBPAWLINK_VERSION := $(LIBPAWLINK_SOVERSION).0.0
LIBPAWLINK_SO := $(BUILD)/rel/libpawlink.so.$(LIBPAWLINK_VERSION)
# What the library's own code calls (ALSA is pawsim's, not the library's).
LIBPAWLINK_PKGS := libsodium sndfile samplerate
LIBPAWLINK_LIBS = $(shell pkg-config --libs $(LIBPAWLINK_PKGS))

# A third object tree, position independent, in which only what libpawlink.h
# marks PAWLINK_API is visible outside the library; of it only
# build/pic/libpawlink.a is used.
PIC_CFLAGS := $(REL_CFLAGS) -fPIC -fvisibility=hidden
$(eval $(call flavour,pic,PIC_CFLAGS))

# Every object of userspace/lib, and from radio/ and proto/ (the archive)
# only what those need: proto/ also holds the toy's half of each protocol,
# which the library never calls.  -z defs: the library names every library
# it needs, so it links and loads on its own.
$(LIBPAWLINK_SO): $(LIB_SRCS:%.c=$(BUILD)/pic/%.o) $(BUILD)/pic/libpawlink.a
	@mkdir -p $(@D)
	$(CC) $(PIC_CFLAGS) -shared -Wl,-soname,libpawlink.so.$(LIBPAWLINK_SOVERSION) \
		-Wl,-z,defs -Wl,--as-needed -o $@ $^ $(LIBPAWLINK_LIBS)

# The run-time name (the SONAME) and the link-time name, as installed.
$(BUILD)/rel/libpawlink.so.$(LIBPAWLINK_SOVERSION): $(LIBPAWLINK_SO)
	ln -sf $(notdir $<) $@
$(BUILD)/rel/libpawlink.so: $(BUILD)/rel/libpawlink.so.$(LIBPAWLINK_SOVERSION)
	ln -sf $(notdir $<) $@

# libpawlink.pc from userspace/lib/libpawlink.pc.in: $(1) libdir, $(2)
# includedir, $(3) Cflags.  The build tree's points into the repository
# (three include directories), the installed one (written by `make install`,
# as PREFIX may differ from the build's) at $(LIBDIR) and $(INCLUDEDIR).
pc_subst = sed -e 's|@VERSION@|$(LIBPAWLINK_VERSION)|' \
	-e 's|@REQUIRES_PRIVATE@|$(LIBPAWLINK_PKGS)|' \
	-e 's|@LIBDIR@|$(strip $(1))|' -e 's|@INCLUDEDIR@|$(strip $(2))|' \
	-e 's|@CFLAGS@|$(strip $(3))|' \
	userspace/lib/libpawlink.pc.in
LIBPAWLINK_PC := $(BUILD)/rel/pkgconfig/libpawlink.pc
$(LIBPAWLINK_PC): userspace/lib/libpawlink.pc.in Makefile
	@mkdir -p $(@D)
	$(call pc_subst,$(abspath $(BUILD)/rel),$(CURDIR)/userspace/lib/include,\
		$(addprefix -I$(CURDIR)/,userspace/lib/include include/uapi include)) > $@

USERSPACE_BINS := $(BUILD)/rel/pawsim $(BUILD)/rel/pawctl
userspace: $(USERSPACE_BINS) $(LIBPAWLINK_PC)

# ---- install --------------------------------------------------------------

# make install [DESTDIR=/staging] [PREFIX=/usr] [LIBDIR=/usr/lib/x86_64-linux-gnu]
# udev reads rules from /usr/lib/udev/rules.d and /etc/udev/rules.d only:
# with the default PREFIX the installed rule is a copy to put there.
PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
LIBDIR ?= $(PREFIX)/lib
INCLUDEDIR ?= $(PREFIX)/include
UDEVRULESDIR ?= $(PREFIX)/lib/udev/rules.d

.PHONY: install
install: $(USERSPACE_BINS) $(BUILD)/rel/libpawlink.so
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(LIBDIR)/pkgconfig \
		$(DESTDIR)$(INCLUDEDIR)/linux $(DESTDIR)$(INCLUDEDIR)/pawlink \
		$(DESTDIR)$(UDEVRULESDIR)
	install -m 0755 $(USERSPACE_BINS) $(DESTDIR)$(BINDIR)/
	install -m 0644 $(LIBPAWLINK_SO) $(DESTDIR)$(LIBDIR)/
	ln -sf $(notdir $(LIBPAWLINK_SO)) \
		$(DESTDIR)$(LIBDIR)/libpawlink.so.$(LIBPAWLINK_SOVERSION)
	ln -sf libpawlink.so.$(LIBPAWLINK_SOVERSION) $(DESTDIR)$(LIBDIR)/libpawlink.so
	install -m 0644 userspace/lib/include/libpawlink.h $(DESTDIR)$(INCLUDEDIR)/
	install -m 0644 include/uapi/linux/pawlink.h $(DESTDIR)$(INCLUDEDIR)/linux/
	install -m 0644 include/pawlink/*.h $(DESTDIR)$(INCLUDEDIR)/pawlink/
	install -m 0644 udev/70-pawlink.rules $(DESTDIR)$(UDEVRULESDIR)/
	$(call pc_subst,$(LIBDIR),$(INCLUDEDIR),-I$${includedir}) \
		> $(DESTDIR)$(LIBDIR)/pkgconfig/libpawlink.pc

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

# libpawlink-abi.sh: the shared library exports exactly libpawlink.h's
# PAWLINK_API functions, and builds against it installed or in place.
check-native: $(NATIVE_BINS) $(USERSPACE_BINS:$(BUILD)/rel/%=$(BUILD)/san/%) \
		$(USERSPACE_BINS) $(LIBPAWLINK_PC)
	@tests/native/run $(NATIVE_BINS)
	@MAKE="$(MAKE)" BUILD="$(BUILD)" tests/native/libpawlink-abi.sh

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

# The native benches, then the kernel path's in the kernel lane's guest.
bench: module userspace
	tests/bench/run

demo: userspace
	tests/demo

# In the kernel lane's guest (QEMU, high speed): pawsim air, toy and
# dongle --air, and pawctl through /dev/pawlinkN, printing what it does.
demo-kernel: module userspace
	tests/kernel/run --speed high --script tests/kernel/demo-guest.sh

clean:
	rm -rf $(BUILD)
	-$(MAKE) -C $(KDIR) M=$(CURDIR) clean 2>/dev/null
