# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash disable=SC2034 # globals shared with tests/kernel/run
# pawlink kernel lane, host side: which kernel to boot, where its image and
# modules come from, and the pawlink.ko that matches it.  Sourced by
# tests/kernel/run (bash); uses its TOP, CACHE, lane_fail and lane_missing.
#
# lane_resolve_* set, for one kernel:
#   K_LABEL   what the report calls it (6.1, 6.12, or the custom release)
#   K_REL     its release (uname -r)
#   K_IMAGE   the kernel QEMU boots (a bzImage, or a vmlinux with a PVH entry)
#   K_MODDIR  its lib/modules/$K_REL, or "" if it has no module tree
#   K_KDIR    the build tree pawlink.ko is built against
#   K_TREE_KO 1 if the tree's own pawlink.ko (make module) is the one to use
#             (unless --module-file gives one)

# The Debian ABI a kernel label stands for, the way the top Makefile
# computes KVER: from the headers meta-package that is installed.
lane_debian_kver()
{
	local meta kver
	case $1 in
	6.1)
		if [[ ${KVER:-} == 6.1.* ]]; then
			echo "$KVER"
			return 0
		fi
		meta=linux-headers-amd64
		;;
	6.12) meta=linux-headers-6.12-amd64 ;;
	*-amd64)
		echo "$1"
		return 0
		;;
	*) return 1 ;;
	esac
	kver=$(dpkg-query -W -f='${Depends}' "$meta" 2>/dev/null |
		sed -n 's/^linux-headers-\([^ ,]*\).*/\1/p')
	if [ -z "$kver" ] && [ "$1" = 6.1 ]; then
		kver=$(apt-cache depends linux-image-amd64 2>/dev/null |
			sed -n 's/.*Depends: linux-image-\([0-9][^ ]*\).*/\1/p' |
			head -n 1)
	fi
	[ -n "$kver" ] || return 1
	echo "$kver"
}

# lane_fetch_image KVER: download Debian's linux-image-KVER .deb into
# .cache/kernel (the version of the installed headers, so the module's
# vermagic and symbol versions match) and extract it there once.
lane_fetch_image()
{
	local kver=$1 pkg version deb dir log
	pkg=linux-image-$kver
	version=$(dpkg-query -W -f='${Version}' "linux-headers-$kver" 2>/dev/null)
	mkdir -p "$CACHE/kernel"
	dir=$CACHE/kernel/$kver
	(
		flock 9
		deb=$(lane_cached_deb "$pkg" "$version")
		if [ -z "$deb" ]; then
			log=$CACHE/kernel/apt-$kver.log
			echo "lane: downloading $pkg${version:+ $version} (apt-get download)"
			# An unversioned download still matches the ABI if the
			# headers' exact version has left the archive.
			if ! (cd "$CACHE/kernel" &&
			      { apt-get -q download "$pkg${version:+=$version}" ||
				{ apt-get -q update && apt-get -q download "$pkg${version:+=$version}"; } ||
				apt-get -q download "$pkg"; }) >"$log" 2>&1; then
				cat "$log" >&2
				exit 1
			fi
			deb=$(lane_cached_deb "$pkg" "")
			[ -n "$deb" ] || exit 1
		fi
		if [ "$(cat "$dir/.from" 2>/dev/null)" != "${deb##*/}" ]; then
			echo "lane: extracting ${deb##*/}"
			rm -rf "$dir"
			mkdir -p "$dir"
			dpkg-deb -x "$deb" "$dir" || exit 1
			if grep -qx CONFIG_PVH=y "$dir/boot/config-$kver" &&
			   lane_extract_vmlinux "$dir/boot/vmlinuz-$kver" \
				"$dir/vmlinux"; then
				echo "lane: booting the uncompressed vmlinux (PVH)"
			fi
			echo "${deb##*/}" >"$dir/.from"
		fi
	) 9>"$CACHE/kernel/.lock" || return 1
	K_IMAGE=$dir/boot/vmlinuz-$kver
	[ -f "$dir/vmlinux" ] && K_IMAGE=$dir/vmlinux
	K_MODDIR=$dir/lib/modules/$kver
	[ -d "$K_MODDIR" ] || K_MODDIR=$dir/usr/lib/modules/$kver
	[ -f "$K_IMAGE" ] && [ -d "$K_MODDIR" ]
}

# lane_extract_vmlinux BZIMAGE OUT: the ELF kernel inside a bzImage.  QEMU
# boots it through its PVH entry (CONFIG_PVH), which skips the kernel's own
# decompression: 3-5 s per boot under TCG for Debian's xz-packed 6.1.
lane_extract_vmlinux()
{
	local img=$1 out=$2 magic tool hex esc pat i off
	# stream magics, less any NUL byte (a shell string can not hold one)
	for magic in 'fd377a585a:xz' '28b52ffd:zstd' '1f8b08:gzip'; do
		tool=${magic#*:}
		command -v "$tool" >/dev/null || continue
		hex=${magic%:*}
		esc=""
		for ((i = 0; i < ${#hex}; i += 2)); do
			esc+="\\x${hex:i:2}"
		done
		printf -v pat '%b' "$esc"
		for off in $(LC_ALL=C grep -Fabo "$pat" "$img" | cut -d: -f1 |
			head -n 3); do
			tail -c +$((off + 1)) "$img" | "$tool" -dc 2>/dev/null >"$out.tmp"
			if [ "$(head -c 4 "$out.tmp" | od -An -tx1 | tr -d ' ')" = 7f454c46 ]; then
				mv "$out.tmp" "$out"
				return 0
			fi
		done
	done
	rm -f "$out.tmp"
	return 1
}

# lane_cached_deb PKG VERSION: the cached .deb of PKG (at VERSION if given).
lane_cached_deb()
{
	local f
	for f in "$CACHE/kernel/$1"_*_amd64.deb; do
		[ -f "$f" ] || continue
		if [ -z "$2" ] || [ "$(dpkg-deb -f "$f" Version)" = "$2" ]; then
			echo "$f"
			return 0
		fi
	done
	return 0
}

# lane_resolve_debian LABEL: a Debian kernel (6.1, 6.12 or an ABI name).
lane_resolve_debian()
{
	local kver
	if ! kver=$(lane_debian_kver "$1"); then
		lane_missing "no Debian kernel for '$1': is linux-headers-amd64 (6.1) or linux-headers-6.12-amd64 installed?"
		return 1
	fi
	K_LABEL=$1
	K_REL=$kver
	K_KDIR=/usr/src/linux-headers-$kver
	K_TREE_KO=0
	[ "$1" = 6.1 ] && K_TREE_KO=1
	if [ "$LANE_DRIVER" = 1 ] && [ ! -d "$K_KDIR" ]; then
		lane_missing "no headers at $K_KDIR: apt-get install linux-headers-$kver"
		return 1
	fi
	if ! lane_fetch_image "$kver"; then
		lane_missing "could not get linux-image-$kver (apt-get download)"
		return 1
	fi
}

# The release string a bzImage carries (its header points at it).
lane_image_release()
{
	local off
	off=$(od -An -tu2 -j 526 -N 2 "$1" | tr -d ' ')
	[ -n "$off" ] || return 1
	dd if="$1" bs=1 skip=$((off + 512)) count=256 status=none |
		tr '\0' '\n' | head -n 1 | awk '{ print $1 }'
}

# lane_resolve_custom IMAGE MODULES_ROOT KDIR: the debug lane's own kernel.
lane_resolve_custom()
{
	local image=$1 modroot=$2 kdir=$3 d n
	[ -f "$image" ] || { lane_fail "--kernel-image $image: no such file"; return 1; }
	K_IMAGE=$(realpath "$image")
	K_KDIR=""
	[ -n "$kdir" ] && K_KDIR=$(realpath "$kdir")
	K_REL=""
	# utsrelease.h is what a module's vermagic says (Debian's headers have
	# a kernel.release that does not match uname -r)
	if [ -n "$K_KDIR" ] && [ -f "$K_KDIR/include/generated/utsrelease.h" ]; then
		K_REL=$(sed -n 's/^#define UTS_RELEASE "\(.*\)"/\1/p' \
			"$K_KDIR/include/generated/utsrelease.h")
	elif [ -n "$K_KDIR" ] && [ -f "$K_KDIR/include/config/kernel.release" ]; then
		K_REL=$(cat "$K_KDIR/include/config/kernel.release")
	elif [ -n "$modroot" ]; then
		n=0
		for d in "$modroot"/lib/modules/*/; do
			[ -d "$d" ] && { n=$((n + 1)); K_REL=$(basename "$d"); }
		done
		[ "$n" = 1 ] || K_REL=""
	fi
	[ -n "$K_REL" ] || K_REL=$(lane_image_release "$K_IMAGE")
	if [ -z "$K_REL" ]; then
		lane_fail "cannot tell the release of $image; pass --kdir"
		return 1
	fi
	K_MODDIR=""
	if [ -n "$modroot" ]; then
		if [ ! -d "$modroot/lib/modules/$K_REL" ]; then
			lane_fail "--modules-dir $modroot has no lib/modules/$K_REL"
			return 1
		fi
		K_MODDIR=$(realpath "$modroot/lib/modules/$K_REL")
	fi
	K_LABEL=$K_REL
	K_TREE_KO=0
	if [ "$LANE_DRIVER" = 1 ] && [ -z "$K_KDIR" ]; then
		lane_fail "--kernel-image needs --kdir to build pawlink.ko against (or --no-driver)"
		return 1
	fi
}

# The tree's pawlink.ko, as `make module` built it for the default kernel.
lane_tree_module()
{
	local ko=$TOP/pawlink.ko magic newer
	if [ ! -f "$ko" ]; then
		lane_fail "no pawlink.ko in $TOP: build it with make module"
		return 1
	fi
	magic=$(modinfo -F vermagic "$ko" | awk '{ print $1 }')
	if [ "$magic" != "$K_REL" ]; then
		lane_fail "pawlink.ko was built for $magic, the lane boots $K_REL: build it with make module"
		return 1
	fi
	# Stale if any driver source, Kbuild, or a repo header kbuild recorded
	# as a dependency (driver/.*.o.cmd) is newer: a header the driver does
	# not include must not fail a fresh `make module`.
	newer=$(cd "$TOP" && {
		printf '%s\n' Kbuild driver/*.[ch]
		awk -v top="$TOP/" 'index($1, top) == 1 && $NF == "\\" {
			print substr($1, length(top) + 1) }' driver/.*.o.cmd 2>/dev/null
		} | sort -u | while IFS= read -r f; do
			[ "$f" -nt "$ko" ] && { echo "$f"; break; }
		done)
	if [ -n "$newer" ]; then
		lane_fail "pawlink.ko is older than $newer: build it with make module"
		return 1
	fi
	K_KO=$ko
}

# lane_copy_sources DIR: mirror Kbuild, driver/ and include/ sources into DIR,
# touching only what changed so kbuild's own dependency tracking still works.
lane_copy_sources()
{
	local dst=$1 f
	while IFS= read -r f; do
		if ! cmp -s "$TOP/$f" "$dst/$f"; then
			mkdir -p "$dst/$(dirname "$f")"
			cp -p "$TOP/$f" "$dst/$f"
		fi
	done < <(cd "$TOP" && find Kbuild driver include \
		\( -name Kbuild -o -name Makefile -o -name '*.[ch]' \) -type f)
	# sources removed from the tree go from the copy too
	while IFS= read -r f; do
		[ -e "$TOP/$f" ] || rm -f "$dst/$f"
	done < <(cd "$dst" && find driver include -name '*.[ch]' -type f 2>/dev/null)
}

# pawlink.ko for a kernel other than the default: built in a per-kernel copy
# of the sources (.cache/build-$K_REL) so builds never clobber each other or
# the tree.
lane_copy_module()
{
	local dir=$CACHE/build-$K_REL log
	if [ ! -d "$K_KDIR" ]; then
		lane_missing "no kernel build tree at $K_KDIR"
		return 1
	fi
	if ! compgen -G "$TOP/driver/*.c" >/dev/null; then
		lane_fail "no driver sources in $TOP/driver: nothing to build pawlink.ko from"
		return 1
	fi
	mkdir -p "$dir"
	log=$dir/build.log
	if ! (
		flock 9
		if [ "$(cat "$dir/.kdir" 2>/dev/null)" != "$K_KDIR" ]; then
			find "$dir" -mindepth 1 -maxdepth 1 ! -name .lock \
				-exec rm -rf {} +
			echo "$K_KDIR" >"$dir/.kdir"
		fi
		lane_copy_sources "$dir"
		echo "lane: building pawlink.ko for $K_REL in ${dir#"$TOP"/}"
		make -j2 -C "$K_KDIR" M="$dir" modules >"$log" 2>&1
	) 9>"$dir/.lock" || [ ! -f "$dir/pawlink.ko" ]; then
		tail -n 60 "$log"
		lane_fail "pawlink.ko did not build against $K_KDIR (log: $log)"
		return 1
	fi
	K_KO=$dir/pawlink.ko
}

# The pawlink.ko given with --module-file (DKMS's, from the package): used
# as it is for the first kernel the lane boots, so it must be for that one;
# further kernels (PAWLINK_LANE_KERNELS="6.1 6.12") build their own.
lane_given_module()
{
	local ko=$OPT_MODULE_FILE magic
	magic=$(modinfo -F vermagic "$ko" 2>/dev/null | awk '{ print $1 }')
	if [ "$magic" != "$K_REL" ]; then
		lane_fail "--module-file $ko was built for '$magic', the lane boots $K_REL"
		return 1
	fi
	case $ko in
	*.ko) K_KO=$ko ;;
	*.ko.xz | *.ko.zst | *.ko.gz)
		# compressed by DKMS: the guest loads it as extra/pawlink.ko
		K_KO=$CACHE/lane/given-$K_REL.ko
		mkdir -p "$CACHE/lane"
		case $ko in
		*.xz) xz -dc "$ko" ;;
		*.zst) zstd -qdc "$ko" ;;
		*.gz) gzip -dc "$ko" ;;
		esac >"$K_KO" || { lane_fail "cannot decompress $ko"; return 1; }
		;;
	*)
		lane_fail "--module-file $ko: not a .ko"
		return 1
		;;
	esac
	echo "lane: loading $ko (--module-file)"
}

lane_module_for_kernel()
{
	K_KO=""
	[ "$LANE_DRIVER" = 1 ] || return 0
	if [ -n "$OPT_MODULE_FILE" ] && [ "$LANE_CUR_INDEX" = 0 ]; then
		lane_given_module
	elif [ "$K_TREE_KO" = 1 ]; then
		lane_tree_module
	else
		lane_copy_module
	fi
}

# lane_module_closure MODDIR REQUIRED -- OPTIONAL: print the paths (relative
# to MODDIR) of the named modules and everything they depend on.  A required
# module that is neither a file nor listed in modules.builtin is an error; a
# kernel without modules.builtin is taken as monolithic (all built in).
lane_module_closure()
{
	local moddir=$1 f b rel name dep optional=0
	local -A path=() builtin=() seen=()
	local -a queue=()
	shift
	if [ -n "$moddir" ] && [ -d "$moddir" ]; then
		while IFS= read -r f; do
			b=${f##*/}
			b=${b%%.ko*}
			path[${b//-/_}]=$f
		done < <(cd "$moddir" && find . \( -name '*.ko' -o -name '*.ko.*' \) \
				-type f | sed 's|^\./||')
		if [ -f "$moddir/modules.builtin" ]; then
			while IFS= read -r f; do
				b=${f##*/}
				b=${b%%.ko*}
				builtin[${b//-/_}]=1
			done <"$moddir/modules.builtin"
		fi
	fi
	for name in "$@"; do
		if [ "$name" = -- ]; then
			optional=1
			continue
		fi
		name=${name//-/_}
		if [ -z "${path[$name]:-}" ]; then
			[ "$optional" = 1 ] && continue
			[ -n "${builtin[$name]:-}" ] && continue
			if [ -f "$moddir/modules.builtin" ]; then
				echo "lane: kernel module $name is neither in $moddir nor built in" >&2
				return 1
			fi
			continue
		fi
		queue+=("$name")
	done
	while [ "${#queue[@]}" -gt 0 ]; do
		name=${queue[0]}
		queue=("${queue[@]:1}")
		[ -n "${seen[$name]:-}" ] && continue
		seen[$name]=1
		rel=${path[$name]:-}
		if [ -z "$rel" ]; then
			[ -n "${builtin[$name]:-}" ] && continue
			echo "lane: $name (a dependency) is missing from $moddir" >&2
			return 1
		fi
		echo "$rel"
		for dep in $(modinfo -F depends "$moddir/$rel" | tr , ' '); do
			queue+=("${dep//-/_}")
		done
	done
}
