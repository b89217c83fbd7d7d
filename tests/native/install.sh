#!/bin/sh
# make install and make uninstall (Documentation/user-guide.rst):
#  a. `make install DESTDIR=tmp PREFIX=/usr` lays out exactly the expected
#     files (no more, no fewer), the DKMS sources under
#     /usr/src/pawlink-VERSION with a dkms.conf of that version, and man
#     pages and completions when the tree has them;
#  b. those DKMS sources alone build pawlink.ko (when kernel headers are
#     installed), and it carries the version;
#  c. `make uninstall` with the same variables leaves no file behind.
# Run by `make check-native`; MAKE and BUILD (default build) say how.
set -eu

cd "$(dirname "$0")/../.."
BUILD=${BUILD:-build}
MAKE=${MAKE:-make}
failed=0
fail() {
	echo "install: $*" >&2
	failed=1
}
version=$(sed -n 's/^#define PAWLINK_VERSION "\(.*\)"$/\1/p' include/pawlink/version.h)
[ -n "$version" ] || { fail "no PAWLINK_VERSION in include/pawlink/version.h"; exit 1; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
dest=$tmp/root

# ---- a. the files ----------------------------------------------------------

# Only DESTDIR and PREFIX: every other directory follows from them.
# shellcheck disable=SC2086 # $MAKE may carry options
if ! env -u LIBDIR -u BINDIR -u INCLUDEDIR -u MANDIR -u UDEVRULESDIR \
		-u BASHCOMPDIR -u ZSHCOMPDIR -u DKMSSRCDIR \
		$MAKE -s install DESTDIR="$dest" PREFIX=/usr BUILD="$BUILD" \
		>"$tmp/install.log" 2>&1; then
	cat "$tmp/install.log" >&2
	fail "make install DESTDIR=... PREFIX=/usr failed"
	exit 1
fi

src=usr/src/pawlink-$version
{
	printf '%s\n' usr/bin/pawctl usr/bin/pawsim \
		"usr/lib/libpawlink.so.$version" usr/lib/libpawlink.so.0 \
		usr/lib/libpawlink.so usr/lib/pkgconfig/libpawlink.pc \
		usr/include/libpawlink.h usr/include/linux/pawlink.h \
		usr/lib/udev/rules.d/70-pawlink.rules \
		"$src/dkms.conf" "$src/Kbuild"
	for f in include/uapi/linux/*.h; do echo "$src/$f"; done
	for f in include/pawlink/*.h; do echo "usr/$f"; done
	echo "$src/include/pawlink/version.h"
	for f in driver/*.c driver/*.h; do echo "$src/$f"; done
	printf '%s\n' usr/share/man/man1/pawctl.1 usr/share/man/man1/pawsim.1 \
		usr/share/man/man4/pawlink.4 \
		usr/share/bash-completion/completions/pawctl \
		usr/share/zsh/vendor-completions/_pawctl
} | LC_ALL=C sort >"$tmp/expected"
(cd "$dest" && find . \( -type f -o -type l \) | sed 's|^\./||' | LC_ALL=C sort) \
	>"$tmp/installed"
if ! cmp -s "$tmp/expected" "$tmp/installed"; then
	diff "$tmp/expected" "$tmp/installed" | sed 's/^</missing:/; s/^>/unexpected:/' |
		grep -e missing: -e unexpected: >&2
	fail "make install laid out other files than expected (above)"
fi
for f in usr/bin/pawctl usr/bin/pawsim; do
	[ -x "$dest/$f" ] || fail "/$f is not executable"
done
grep -qx "PACKAGE_VERSION=\"$version\"" "$dest/$src/dkms.conf" ||
	fail "/$src/dkms.conf does not say PACKAGE_VERSION=\"$version\""
grep -qx 'BUILT_MODULE_NAME\[0\]="pawlink"' "$dest/$src/dkms.conf" ||
	fail "/$src/dkms.conf does not build pawlink"

# ---- b. the DKMS sources build on their own --------------------------------

# As DKMS does: kbuild in a copy of /usr/src/pawlink-VERSION.  Skipped
# without kernel headers (the kernel lane then fails anyway).
# KVER as the Makefile computes it, when run on its own.
kver=${KVER:-$(dpkg-query -W -f='${Depends}' linux-headers-amd64 2>/dev/null |
	sed -n 's/^linux-headers-\([^ ,]*\).*/\1/p')}
kdir=${KDIR:-/usr/src/linux-headers-$kver}
if [ -f "$kdir/Makefile" ]; then
	cp -r "$dest/$src" "$tmp/dkms-build"
	if make -s -j2 -C "$kdir" M="$tmp/dkms-build" modules \
			>"$tmp/dkms-build.log" 2>&1 &&
	   [ -f "$tmp/dkms-build/pawlink.ko" ]; then
		v=$(modinfo -F version "$tmp/dkms-build/pawlink.ko")
		[ "$v" = "$version" ] ||
			fail "pawlink.ko from the DKMS sources says version '$v', not $version"
	else
		tail -n 30 "$tmp/dkms-build.log" >&2
		fail "the installed DKMS sources do not build against $kdir"
	fi
else
	echo "install: no kernel headers at $kdir: the DKMS sources' build is not checked" >&2
fi

# ---- c. make uninstall -----------------------------------------------------

# shellcheck disable=SC2086
if ! env -u LIBDIR -u BINDIR -u INCLUDEDIR -u MANDIR -u UDEVRULESDIR \
		-u BASHCOMPDIR -u ZSHCOMPDIR -u DKMSSRCDIR \
		$MAKE -s uninstall DESTDIR="$dest" PREFIX=/usr BUILD="$BUILD" \
		>"$tmp/uninstall.log" 2>&1; then
	cat "$tmp/uninstall.log" >&2
	fail "make uninstall failed"
fi
left=$(cd "$dest" && find . \( -type f -o -type l \) | sed 's|^\./|/|' | tr '\n' ' ')
[ -z "$left" ] || fail "make uninstall left: $left"
for d in usr/include/pawlink "$src"; do
	[ ! -e "$dest/$d" ] || fail "make uninstall left the directory /$d"
done

if [ "$failed" -eq 0 ]; then
	echo "install: make install and uninstall: passed"
fi
exit "$failed"
