# pawlink top-level build.  The kernel module itself is described by ./Kbuild;
# this file drives kbuild, builds userspace/ and runs the test lanes.
#
#   make                 pawlink.ko and every userspace program
#   make demo            the user's walk-through on the simulated air
#   make check           native lane, fuzz, lint, then the kernel lane (QEMU)
#                        (both first install what is missing: tests/install-deps)
#   make check-native    unit and protocol tests under ASan + UBSan
#   make check-kernel    in-guest tests on Debian's kernel (tests/kernel/)
#   make check-debug     the same tests on a KASAN/lockdep/kmemleak kernel
#   make lint            checkpatch --strict and sparse on driver/, man pages
#   make man             the man pages, from Documentation/man/*.scd
#   make bench           benchmarks, printed as ratios to a same-run baseline
#   make demo-kernel     the same through pawlink.ko, in the kernel lane's VM
#   make soak            1000 unplugs, 100 reloads, an hour of duplex audio
#                        under load in the kernel lane's VM, and a report
#
# The one version (include/pawlink/version.h): the module, the library, the
# programs and the packages all say it.
PAWLINK_VERSION := $(shell sed -n 's/^\#define PAWLINK_VERSION "\(.*\)"$$/\1/p' \
	include/pawlink/version.h)

# KVER: the kernel the lanes boot, Debian's 6.1 (the ABI linux-headers-amd64
# points at); the lanes, lint and the packaged module's check build against
# its headers, LANE_KDIR, whatever the machine runs.
KVER ?= $(shell dpkg-query -W -f='$${Depends}' linux-headers-amd64 2>/dev/null | \
	sed -n 's/^linux-headers-\([^ ]*\).*/\1/p')
LANE_KDIR := /usr/src/linux-headers-$(KVER)
export KVER

# KDIR: the headers `make module` builds against.  Those of the running
# kernel when they are installed, so the module loads here; otherwise the
# lane's, and `make module` says so.  Or give one:
#   make KDIR=/usr/src/linux-headers-6.12.117+deb12-amd64
RUNNING_KDIR := /lib/modules/$(shell uname -r)/build
ifeq ($(origin KDIR),undefined)
ifneq ($(wildcard $(RUNNING_KDIR)/Makefile),)
KDIR := $(RUNNING_KDIR)
KDIR_WHY := the running kernel's headers
else
KDIR := $(LANE_KDIR)
KDIR_WHY := no headers for the running kernel $(shell uname -r) at \
	$(RUNNING_KDIR); the kernel lane's, from linux-headers-amd64
endif
else
KDIR_WHY := given
endif

# Plain `make` builds what the README says, whatever the .mk files below
# define first.
.DEFAULT_GOAL := all
all: module userspace man

BUILD ?= build
CC ?= cc
CLANG ?= clang

# Every library some program uses; only pawsim links ALSA (PKG_LIBS), the
# rest link libpawlink's (LIBPAWLINK_LIBS, below).
PKGS := libsodium sndfile samplerate alsa json-c libusb-1.0
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

.PHONY: all module module-lane userspace deps check check-native check-kernel \
	check-debug check-package \
	fuzz lint bench demo demo-kernel soak clean man

module:
	@echo "module: KDIR=$(KDIR) ($(strip $(KDIR_WHY)))"
	@test -d "$(KDIR)" || { echo "error: no kernel headers at KDIR=$(KDIR);" \
		"install linux-headers-$$(uname -r) or linux-headers-amd64, or pass KDIR=" >&2; \
		exit 1; }
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

# The lanes boot $(KVER): they load the tree's pawlink.ko built for it.
module-lane:
	$(MAKE) module KDIR=$(LANE_KDIR)

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
	$$(CC) $$($(2)) $$(LDFLAGS) -o $$@ $$^ $$(PKG_LIBS) -lpthread

# pawctl: libpawlink's own libraries (libsndfile it calls itself) and
# json-c, not ALSA.
$(BUILD)/$(1)/pawctl: $$(PAWCTL_SRCS:%.c=$(BUILD)/$(1)/%.o) $$(PAWCTL_LIBPAWLINK_$(1))
	$$(CC) $$($(2)) $$(PAWCTL_LDFLAGS_$(1)) $$(LDFLAGS) -o $$@ $$^ \
		$$(LIBPAWLINK_LIBS) $$(shell pkg-config --libs json-c) -lpthread

-include $$(shell find $(BUILD)/$(1) -name '*.d' 2>/dev/null)
endef

# pawctl links libpawlink as it is installed: shared in the release build
# (found next to pawctl in the build tree, in ../lib once installed), and
# statically in the sanitised build the tests run.  Every other program
# links the static archives.
PAWCTL_LIBPAWLINK_rel = $(BUILD)/rel/libpawlink.so
# A distribution's package, where the library is in the system's path,
# builds with PAWCTL_RPATH= (Debian's policy forbids a run path).
PAWCTL_RPATH ?= -Wl,-rpath,'$$ORIGIN:$$ORIGIN/../lib'
PAWCTL_LDFLAGS_rel = -Wl,--as-needed $(PAWCTL_RPATH)
PAWCTL_LIBPAWLINK_san = $(BUILD)/san/libpawlink.a

$(eval $(call flavour,rel,REL_CFLAGS))
$(eval $(call flavour,san,SAN_CFLAGS))

# ---- libpawlink.so (Documentation/libpawlink.rst) ---------------------------

# The SONAME's number goes up whenever an exported function's signature or
# a public struct changes; the rest of the name is the one version, for
# people (libpawlink.so.0.5.0).
LIBPAWLINK_SOVERSION := 0
LIBPAWLINK_VERSION := $(PAWLINK_VERSION)
LIBPAWLINK_SO := $(BUILD)/rel/libpawlink.so.$(LIBPAWLINK_VERSION)
# What the library's own code calls (ALSA is pawsim's, not the library's;
# libusb-1.0 is the libusb path to a dongle no driver has bound).
LIBPAWLINK_PKGS := libsodium sndfile samplerate libusb-1.0
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
		-Wl,-z,defs -Wl,--as-needed $(LDFLAGS) -o $@ $^ $(LIBPAWLINK_LIBS)

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

# ---- man pages (scdoc sources in Documentation/man) ---------------------

MAN_SRCS := $(wildcard Documentation/man/*.scd)
MAN_PAGES := $(MAN_SRCS:Documentation/man/%.scd=$(BUILD)/man/%)
$(BUILD)/man/%: Documentation/man/%.scd
	@mkdir -p $(@D)
	scdoc < $< > $@.tmp || { rm -f $@.tmp; exit 1; }
	mv $@.tmp $@
man: $(MAN_PAGES)

# ---- install --------------------------------------------------------------

# make install [DESTDIR=/staging] [PREFIX=/usr] [LIBDIR=/usr/lib/x86_64-linux-gnu]
# udev reads rules from /usr/lib/udev/rules.d and /etc/udev/rules.d only:
# with the default PREFIX the installed rule is a copy to put there.  DKMS
# reads module sources from /usr/src only, whatever the PREFIX.
PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
LIBDIR ?= $(PREFIX)/lib
INCLUDEDIR ?= $(PREFIX)/include
MANDIR ?= $(PREFIX)/share/man
UDEVRULESDIR ?= $(PREFIX)/lib/udev/rules.d
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
ZSHCOMPDIR ?= $(PREFIX)/share/zsh/vendor-completions
DKMSSRCDIR ?= /usr/src/pawlink-$(PAWLINK_VERSION)

# What DKMS needs to build pawlink.ko: Kbuild, driver/, and the headers the
# driver includes (the uapi ones and version.h).
DKMS_SRCS := Kbuild $(wildcard driver/*.[ch] include/uapi/linux/*.h) \
	include/pawlink/version.h
# The completions, installed with the man pages (make man).
BASH_COMPLETION := userspace/pawctl/completion/pawctl.bash
ZSH_COMPLETION := userspace/pawctl/completion/_pawctl

$(BUILD)/dkms/dkms.conf: driver/dkms.conf.in include/pawlink/version.h
	@mkdir -p $(@D)
	sed 's|@VERSION@|$(PAWLINK_VERSION)|g' $< > $@

.PHONY: install uninstall
install: $(USERSPACE_BINS) $(BUILD)/rel/libpawlink.so $(BUILD)/dkms/dkms.conf $(MAN_PAGES)
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
	for f in $(DKMS_SRCS); do \
		install -D -m 0644 $$f $(DESTDIR)$(DKMSSRCDIR)/$$f || exit 1; \
	done
	install -m 0644 $(BUILD)/dkms/dkms.conf $(DESTDIR)$(DKMSSRCDIR)/
	for m in $(MAN_PAGES); do \
		install -D -m 0644 $$m $(DESTDIR)$(MANDIR)/man$${m##*.}/$${m##*/} || exit 1; \
	done
	install -D -m 0644 $(BASH_COMPLETION) $(DESTDIR)$(BASHCOMPDIR)/pawctl
	install -D -m 0644 $(ZSH_COMPLETION) $(DESTDIR)$(ZSHCOMPDIR)/_pawctl

# Removes what `make install` put there, with the same variables.
uninstall:
	rm -f $(DESTDIR)$(BINDIR)/pawctl $(DESTDIR)$(BINDIR)/pawsim \
		$(DESTDIR)$(LIBDIR)/libpawlink.so* \
		$(DESTDIR)$(LIBDIR)/pkgconfig/libpawlink.pc \
		$(DESTDIR)$(INCLUDEDIR)/libpawlink.h \
		$(DESTDIR)$(INCLUDEDIR)/linux/pawlink.h \
		$(DESTDIR)$(UDEVRULESDIR)/70-pawlink.rules \
		$(DESTDIR)$(MANDIR)/man1/pawctl.1 $(DESTDIR)$(MANDIR)/man1/pawsim.1 \
		$(DESTDIR)$(MANDIR)/man4/pawlink.4 \
		$(DESTDIR)$(BASHCOMPDIR)/pawctl $(DESTDIR)$(ZSHCOMPDIR)/_pawctl
	rm -f $(addprefix $(DESTDIR)$(INCLUDEDIR)/pawlink/,$(notdir $(wildcard include/pawlink/*.h)))
	if [ -d $(DESTDIR)$(INCLUDEDIR)/pawlink ]; then \
		rmdir --ignore-fail-on-non-empty $(DESTDIR)$(INCLUDEDIR)/pawlink; fi
	rm -rf $(DESTDIR)$(DKMSSRCDIR)

# ---- Debian packages (debian/) ---------------------------------------------

# Built from a copy of the tree's files (what git knows, committed or not:
# no build products) in build/deb/, so the .debs land in build/deb/ and not
# beside the repository; then lintian, which fails on any warning or error.
DEB_DIR := $(BUILD)/deb
DEB_SRC := $(DEB_DIR)/pawlink-$(PAWLINK_VERSION)
.PHONY: package
package:
	@git rev-parse --is-inside-work-tree >/dev/null 2>&1 || { echo "package: needs a" \
		"git checkout: it packages the files git knows" >&2; exit 1; }
	rm -rf $(DEB_DIR)
	mkdir -p $(DEB_SRC)
	git ls-files -z --cached --others --exclude-standard | \
		xargs -0 sh -c 'for f; do [ ! -e "$$f" ] || printf "%s\0" "$$f"; done' sh | \
		tar --null -T - -cf - | tar -xf - -C $(DEB_SRC)
	# a build of its own: none of this make's jobs, variables or KDIR
	cd $(DEB_SRC) && env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL -u KVER \
		DEB_BUILD_OPTIONS="nocheck parallel=2" dpkg-buildpackage -us -uc -b
	lintian --fail-on error,warning $(DEB_DIR)/pawlink_$(PAWLINK_VERSION)_*.changes

# ---- tests ----------------------------------------------------------------

# Each native test links the shared test helpers (tests/support/), the
# simulator and libpawlink, statically, in that order.
NATIVE_BINS := $(NATIVE_TESTS:%.c=$(BUILD)/san/%)
$(BUILD)/san/tests/native/%: $(BUILD)/san/tests/native/%.o \
		$(TEST_SUPPORT_SRCS:%.c=$(BUILD)/san/%.o) \
		$(BUILD)/san/libpawsim.a $(BUILD)/san/libpawlink.a
	$(CC) $(SAN_CFLAGS) -o $@ $^ $(LIBPAWLINK_LIBS) $(TEST_SUPPORT_LIBS) \
		-lcmocka -lpthread -lm

# The lanes run one after the other, even under make -j, so their output
# stays readable; each one builds what it needs with the caller's -j.
#
# check-package builds the Debian packages and, as root, installs them and
# has DKMS build pawlink.ko from pawlink-dkms for the lane's kernel: then
# the kernel lane loads that module, the one that ships.  Not root, the
# lane loads the tree's (module-lane) and check-package says so.
#
# The README's two commands, make demo and make check, first install what
# this machine lacks from Debian's packages (tests/install-deps: quick and
# silent when nothing is missing).  Each then runs a new make, which sees
# the libraries pkg-config did not find before.
deps:
	@tests/install-deps

# PAWLINK_DEBUG_KERNEL_BESIDE=1 (.ci/run): the debug lane's kernel is built
# meanwhile, at idle priority, in the CPU the lanes leave (debug-kernel-build).
check: deps
	@if [ "$(PAWLINK_DEBUG_KERNEL_BESIDE)" = 1 ]; then \
		tests/kernel/debug-kernel-build --background; fi
	$(MAKE) check-native
	$(MAKE) fuzz
	$(MAKE) lint
	$(MAKE) check-package
	$(MAKE) check-kernel LANE_MODULE="$$(cat $(BUILD)/deb/lane-module 2>/dev/null)"

# libpawlink-abi.sh: the shared library exports exactly libpawlink.h's
# PAWLINK_API functions, and builds against it installed or in place.
check-native: $(NATIVE_BINS) $(USERSPACE_BINS:$(BUILD)/rel/%=$(BUILD)/san/%) \
		$(USERSPACE_BINS) $(LIBPAWLINK_PC)
	@tests/native/run $(NATIVE_BINS)
	@MAKE="$(MAKE)" BUILD="$(BUILD)" tests/native/libpawlink-abi.sh
	@MAKE="$(MAKE)" BUILD="$(BUILD)" tests/native/install.sh
	@tests/native/host-faults.sh $(BUILD)/san/pawsim $(BUILD)/san/pawctl

# LANE_MODULE: a pawlink.ko to load instead of the tree's (check sets it).
# Both kernels Debian ships, one after the other: 6.1 at the three USB
# speeds, then 6.12, with a pawlink.ko the lane builds for it, at high speed
# (the speeds' own paths are 6.1's and the debug lane's; testing.rst).
# dongle_fuzz needs raw gadget, which Debian's kernels lack: the debug lane
# runs it, where KASAN sees what it does.
check-kernel: $(if $(LANE_MODULE),,module-lane) userspace
	tests/kernel/debian-kernels \
		$(if $(LANE_MODULE),--module-file $(LANE_MODULE))

check-package: package
	BUILD=$(BUILD) tests/package/run

check-debug: userspace
	tests/kernel/debug-lane

# The library's sources are compiled once for all the targets (with the
# fuzzer's coverage, not its main), each target then links what it uses.
FUZZ_BINS := $(FUZZ_TARGETS:%.c=$(BUILD)/fuzz/%)
FUZZ_LIB_SRCS := $(PROTO_SRCS) $(RADIO_SRCS) $(LIB_SRCS) $(SIM_SRCS)
FUZZ_LIB_OBJS := $(FUZZ_LIB_SRCS:%.c=$(BUILD)/fuzz/obj/%.o)
FUZZ_CFLAGS := $(BASE_CFLAGS) $(INC_TESTS) -O1 -g
$(BUILD)/fuzz/obj/%.o: %.c
	@mkdir -p $(@D)
	$(CLANG) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link,address,undefined \
		-MMD -MP -c -o $@ $<
$(BUILD)/fuzz/libfuzzlib.a: $(FUZZ_LIB_OBJS)
	rm -f $@
	ar rcs $@ $^
$(BUILD)/fuzz/%: %.c $(BUILD)/fuzz/libfuzzlib.a
	@mkdir -p $(@D)
	$(CLANG) $(FUZZ_CFLAGS) -fsanitize=fuzzer,address,undefined \
		-o $@ $(filter %.c,$^) $(BUILD)/fuzz/libfuzzlib.a \
		$(LIBPAWLINK_LIBS) $(TEST_SUPPORT_LIBS)
-include $(FUZZ_LIB_OBJS:.o=.d)

fuzz: $(FUZZ_BINS)
	@tests/fuzz/run $(FUZZ_BINS)

lint: man
	KDIR=$(LANE_KDIR) BUILD="$(BUILD)" tests/lint

# The native benches, then the kernel path's in the kernel lane's guest.
bench: module-lane userspace
	tests/bench/run

demo: deps
	$(MAKE) userspace
	tests/demo

# In the kernel lane's guest (QEMU, high speed): pawsim air, toy and
# dongle --air, and pawctl through /dev/pawlinkN, printing what it does.
demo-kernel: module-lane userspace
	tests/kernel/run --speed high --script tests/kernel/demo-guest.sh

# The storms at issue 13's sizes and an hour of duplex audio with messages
# (tests/kernel/soak; SOAK_ARGS="--audio-seconds 120 --unplugs 20" for less).
soak: module-lane userspace
	tests/kernel/soak $(SOAK_ARGS)

clean:
	rm -rf $(BUILD)
	-$(MAKE) -C $(KDIR) M=$(CURDIR) clean 2>/dev/null
