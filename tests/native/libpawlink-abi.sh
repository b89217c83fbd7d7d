#!/bin/sh
# libpawlink's ABI, checked from outside (Documentation/libpawlink.rst):
#  a. libpawlink.so.0 exports exactly the functions libpawlink.h declares
#     PAWLINK_API (the list is read from the header), nothing internal;
#  b. its SONAME is libpawlink.so.0, and it loads with nothing undefined;
#     build/rel/pawctl uses it (not the static archive) with no
#     LD_LIBRARY_PATH;
#  c. after `make install DESTDIR=tmp PREFIX=/usr`, a small program built
#     with only `pkg-config --cflags --libs libpawlink` (the installed .pc,
#     so the installed headers alone) links and runs offline;
#  d. build/rel/pkgconfig/libpawlink.pc builds the same program in place.
# Run by `make check-native`, which builds what it needs first; MAKE and
# BUILD (default build) say how it was built.
set -eu

cd "$(dirname "$0")/../.."
repo=$(pwd)
BUILD=${BUILD:-build}
MAKE=${MAKE:-make}
rel=$(cd "$BUILD/rel" && pwd)
so=$rel/libpawlink.so.0
header=userspace/lib/include/libpawlink.h
failed=0
version=$(sed -n 's/^#define PAWLINK_VERSION "\(.*\)"$/\1/p' include/pawlink/version.h)

fail() {
	echo "libpawlink-abi: $*" >&2
	failed=1
}

[ -e "$so" ] || { fail "no $so (make check-native builds it)"; exit 1; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM

# ---- a. the exported functions are the header's PAWLINK_API ones ----------

# Comments and preprocessor lines out, then one statement per ';': the
# name before the first '(' of each statement that says PAWLINK_API.
awk '
	{
		line = $0
		out = ""
		while (line != "") {
			if (incomment) {
				i = index(line, "*/")
				if (!i)
					break
				line = substr(line, i + 2)
				incomment = 0
			} else {
				i = index(line, "/*")
				if (!i) {
					out = out line
					break
				}
				out = out substr(line, 1, i - 1) " "
				line = substr(line, i + 2)
				incomment = 1
			}
		}
		sub(/\/\/.*/, "", out)
		if (incpp || out ~ /^[ \t]*#/) {
			incpp = (out ~ /\\$/)
			next
		}
		buf = buf " " out
	}
	END {
		n = split(buf, stmt, ";")
		for (k = 1; k <= n; k++) {
			s = stmt[k]
			if (s !~ /(^|[^A-Za-z0-9_])PAWLINK_API([^A-Za-z0-9_]|$)/)
				continue
			p = index(s, "(")
			if (!p)
				continue
			s = substr(s, 1, p - 1)
			if (match(s, /[A-Za-z_][A-Za-z0-9_]*[ \t]*$/)) {
				s = substr(s, RSTART, RLENGTH)
				sub(/[ \t]+$/, "", s)
				print s
			}
		}
	}
' "$header" | sort -u >"$tmp/api"
nm -D --defined-only "$so" | awk '{ print $NF }' | sort -u >"$tmp/exported"

napi=$(wc -l <"$tmp/api")
[ "$napi" -gt 0 ] || fail "found no PAWLINK_API function in $header"
extra=$(comm -13 "$tmp/api" "$tmp/exported" | tr '\n' ' ')
missing=$(comm -23 "$tmp/api" "$tmp/exported" | tr '\n' ' ')
[ -z "$extra" ] || fail "exported but not PAWLINK_API in $header: $extra"
[ -z "$missing" ] || fail "PAWLINK_API in $header but not exported: $missing"

# ---- b. SONAME, completeness, pawctl uses it -----------------------------

readelf -d "$so" | grep -q 'Library soname: \[libpawlink\.so\.0\]' ||
	fail "SONAME of $so is not libpawlink.so.0"
if env -u LD_LIBRARY_PATH ldd -r "$so" 2>&1 | grep -E 'undefined symbol|not found' >&2; then
	fail "$so does not load on its own"
fi
readelf -d "$rel/pawctl" | grep -q 'Shared library: \[libpawlink\.so\.0\]' ||
	fail "$rel/pawctl does not link libpawlink.so.0"
env -u LD_LIBRARY_PATH ldd "$rel/pawctl" |
	grep -q "libpawlink\.so\.0 => $rel/libpawlink\.so\.0 " ||
	fail "$rel/pawctl does not find $rel/libpawlink.so.0 by itself"
# A program's own definition of an exported name would silently replace
# the library's, for the library's own calls too.
nm --defined-only "$rel/pawctl" | awk '{ print $NF }' | sort -u >"$tmp/pawctl"
dup=$(comm -12 "$tmp/api" "$tmp/pawctl" | tr '\n' ' ')
[ -z "$dup" ] || fail "$rel/pawctl defines libpawlink's own: $dup"

# ---- c. installed, a program builds against the .pc alone ----------------

cat >"$tmp/smoke.c" <<'EOF'
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libpawlink.h>
#include <pawlink/version.h>

#define CHECK(c) do { \
	if (!(c)) { \
		fprintf(stderr, "smoke.c:%d: %s\n", __LINE__, #c); \
		return 1; \
	} \
} while (0)

/* Offline calls only: no transport, no toy. */
int main(int argc, char **argv)
{
	char err[PAWLINK_ERR_MAX] = "";
	char hex[PAWLINK_TOY_HEX_LEN + 1];
	uint8_t id[PAWLINK_ID_LEN];
	struct pawlink_toy *toys = NULL, toy;
	struct pawlink *p = NULL;
	size_t n = 1;
	int rc;

	CHECK(argc == 2);
	/* the library that runs is the version its installed header names */
	CHECK(strcmp(pawlink_version(), PAWLINK_VERSION) == 0);
	rc = pawlink_open(&p, argv[1], err, sizeof(err));
	if (rc) {
		fprintf(stderr, "pawlink_open: %d: %s\n", rc, err);
		return 1;
	}
	rc = pawlink_toys(p, &toys, &n);
	if (rc) {
		fprintf(stderr, "pawlink_toys: %d: %s\n", rc, pawlink_error(p));
		return 1;
	}
	CHECK(n == 0);
	free(toys);
	CHECK(pawlink_toy_find(p, "no-such-toy", &toy) == -ENOENT);
	CHECK(pawlink_error(p) != NULL && pawlink_error(p)[0] != '\0');

	CHECK(pawlink_toy_id_parse(id, "0123456789ABCDEF") == 0);
	pawlink_toy_id_hex(hex, id);
	CHECK(strcasecmp(hex, "0123456789abcdef") == 0);
	CHECK(pawlink_toy_id_parse(id, "not a toy id") == -EINVAL);

	pawlink_close(p);
	return 0;
}
EOF

dest=$tmp/root
# Only DESTDIR and PREFIX: the other directories follow from PREFIX.
# shellcheck disable=SC2086 # $MAKE may carry options (make -o FILE)
if ! env -u LIBDIR -u BINDIR -u INCLUDEDIR -u UDEVRULESDIR \
		$MAKE -s install DESTDIR="$dest" PREFIX=/usr BUILD="$BUILD" \
		>"$tmp/install.log" 2>&1; then
	cat "$tmp/install.log" >&2
	fail "make install DESTDIR=... PREFIX=/usr failed"
fi
for f in bin/pawctl bin/pawsim lib/libpawlink.so.0 lib/libpawlink.so \
		include/libpawlink.h include/linux/pawlink.h \
		include/pawlink/msg.h include/pawlink/session.h \
		include/pawlink/toy.h lib/udev/rules.d/70-pawlink.rules \
		lib/pkgconfig/libpawlink.pc; do
	[ -e "$dest/usr/$f" ] || fail "make install did not install /usr/$f"
done
! grep -q -e "$repo" -e "$tmp" "$dest/usr/lib/pkgconfig/libpawlink.pc" ||
	fail "the installed libpawlink.pc names the build tree or DESTDIR"

# The installed headers and library alone: the sysroot is not a system
# directory, so pkg-config must not drop it from -I and -L.
(
	cd "$tmp"
	unset CPATH C_INCLUDE_PATH LIBRARY_PATH LD_LIBRARY_PATH
	export PKG_CONFIG_SYSROOT_DIR="$dest"
	export PKG_CONFIG_PATH="$dest/usr/lib/pkgconfig"
	export PKG_CONFIG_ALLOW_SYSTEM_CFLAGS=1 PKG_CONFIG_ALLOW_SYSTEM_LIBS=1
	flags=$(pkg-config --cflags --libs libpawlink) || exit 1
	v=$(pkg-config --modversion libpawlink) || exit 1
	[ "$v" = "$version" ] ||
		{ echo "the installed libpawlink.pc says Version: $v, version.h $version" >&2; exit 1; }
	# shellcheck disable=SC2086 # flags are words
	${CC:-cc} -std=c11 -Wall -Wextra -Werror -o smoke-installed smoke.c \
		$flags || exit 1
	LD_LIBRARY_PATH="$dest/usr/lib" ldd ./smoke-installed |
		grep -q "libpawlink\.so\.0 => $dest/usr/lib/libpawlink\.so\.0 " ||
		{ echo "smoke-installed does not load the installed library" >&2
		  exit 1; }
	LD_LIBRARY_PATH="$dest/usr/lib" ./smoke-installed "$tmp/store-installed"
) || fail "a program built against the installed libpawlink.pc failed"

# ---- d. the build tree's .pc ---------------------------------------------

(
	cd "$tmp"
	unset PKG_CONFIG_SYSROOT_DIR CPATH C_INCLUDE_PATH LIBRARY_PATH
	flags=$(PKG_CONFIG_PATH="$rel/pkgconfig" \
		pkg-config --cflags --libs libpawlink) || exit 1
	for want in "-I$repo/userspace/lib/include" "-I$repo/include/uapi" \
			"-I$repo/include" "-L$rel" -lpawlink; do
		case " $flags " in
		*" $want "*) ;;
		*) echo "build-tree pkg-config lacks $want: $flags" >&2; exit 1 ;;
		esac
	done
	# shellcheck disable=SC2086 # flags are words
	${CC:-cc} -std=c11 -Wall -Wextra -Werror -o smoke-build smoke.c \
		$flags || exit 1
	LD_LIBRARY_PATH="$rel" ./smoke-build "$tmp/store-build"
) || fail "a program built against $BUILD/rel/pkgconfig/libpawlink.pc failed"

if [ "$failed" -ne 0 ]; then
	echo "libpawlink-abi: FAILED" >&2
	exit 1
fi
echo "libpawlink-abi: ok ($napi PAWLINK_API functions exported, nothing else)"
