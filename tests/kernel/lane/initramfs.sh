# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash disable=SC2034 # globals shared with tests/kernel/run
# pawlink kernel lane, host side: builds the guest's initramfs.  Sourced by
# tests/kernel/run (bash).  The layout is merged-/usr like Debian's, so the
# paths ldd prints for the host's libraries are valid inside the guest:
#   /init                    guest/init
#   /lane/lib.sh, /lane/config, /lane/bin/lane-speed
#   /lane/tests/NAME         the in-guest kselftest programs
#   /lane/hooks/NAME         --guest-hook scripts
#   /lane/vectors/           the record-layer vectors (tests/vectors/record*.txt)
#   /usr/bin/busybox (+ applet links), kmod (modprobe & co.)
#   /usr/bin/{aplay,arecord,amixer,jq,pawsim,pawctl} and their shared
#                            libraries (jq: the demo reads pawctl's --json)
#   /usr/lib/libpawlink.so.0 pawctl's, where its run path finds it
#   /usr/share/alsa          alsa-lib's configuration
#   /lib/modules/REL/        the modules the lane needs, their dependencies,
#                            extra/pawlink.ko, and depmod's indexes

# lane_stage_libs STAGE FILE: copy the shared libraries FILE needs.
lane_stage_libs()
{
	local stage=$1 lib
	while IFS= read -r lib; do
		[ -e "$stage$lib" ] && continue
		mkdir -p "$stage$(dirname "$lib")"
		cp -L "$lib" "$stage$lib"
	done < <(ldd "$2" 2>/dev/null |
		awk '/=> \// { print $3 } /^[ \t]*\/[^ ]+ \(/ { print $1 }')
}

# lane_stage_program STAGE SRC DEST: a program and its shared libraries.
lane_stage_program()
{
	mkdir -p "$1$(dirname "$3")"
	cp -L "$2" "$1$3"
	chmod 755 "$1$3"
	lane_stage_libs "$1" "$2"
}

lane_stage_base()
{
	local stage=$1 p t
	mkdir -p "$stage"/usr/{bin,sbin,lib,lib64,share} \
		"$stage"/{dev,proc,sys,tmp,run,root,etc} \
		"$stage"/lane/{bin,tests,hooks}
	ln -s usr/bin "$stage/bin"
	ln -s usr/sbin "$stage/sbin"
	ln -s usr/lib "$stage/lib"
	ln -s usr/lib64 "$stage/lib64"
	cp /bin/busybox "$stage/usr/bin/busybox"
	while IFS= read -r p; do
		[ -e "$stage/$p" ] || [ -L "$stage/$p" ] ||
			ln -s /usr/bin/busybox "$stage/$p"
	done < <(/bin/busybox --list-full)
	# kmod, not busybox, loads modules: it reads modules.builtin and
	# compressed modules the same way the distribution does
	lane_stage_program "$stage" "$(command -v kmod)" /usr/bin/kmod
	for t in modprobe insmod rmmod lsmod modinfo depmod; do
		rm -f "$stage/usr/bin/$t" "$stage/usr/sbin/$t"
		ln -s /usr/bin/kmod "$stage/usr/sbin/$t"
	done
	lane_stage_program "$stage" /usr/bin/aplay /usr/bin/aplay
	ln -s aplay "$stage/usr/bin/arecord"
	lane_stage_program "$stage" /usr/bin/amixer /usr/bin/amixer
	lane_stage_program "$stage" "$(command -v jq)" /usr/bin/jq
	cp -a /usr/share/alsa "$stage/usr/share/alsa"
	printf 'root:x:0:0:root:/root:/bin/sh\n' >"$stage/etc/passwd"
	printf 'root:x:0:\naudio:x:29:\n' >"$stage/etc/group"
	install -m 755 "$LANE_DIR/guest/init" "$stage/init"
	install -m 644 "$LANE_DIR/guest/lane.sh" "$stage/lane/lib.sh"
	install -m 755 "$LANE_DIR/guest/lane-speed" "$stage/lane/bin/lane-speed"
	install -m 644 "$LANE_DIR/guest/profile" "$stage/etc/profile"
}

# The modules the lane loads (and those tests may load), their dependencies
# and pawlink.ko, indexed by depmod so the guest's modprobe resolves them.
lane_stage_modules()
{
	local stage=$1 dst rel f list
	dst=$stage/lib/modules/$K_REL
	mkdir -p "$dst"
	local -a required=(configfs dummy_hcd libcomposite usb_f_fs snd_pcm
		snd_timer snd soundcore libchacha20poly1305 "${LANE_EXTRA_MODULES[@]}")
	if [ -n "$K_KO" ]; then
		# shellcheck disable=SC2207 # module names are single words
		required+=($(modinfo -F depends "$K_KO" | tr , ' '))
	fi
	# optional: for tests that load them (gadgetfs makes descriptors
	# FunctionFS refuses, e.g. a zero wMaxPacketSize)
	list=$(lane_module_closure "$K_MODDIR" "${required[@]}" -- \
		snd_hwdep snd_aloop chacha20poly1305 usbmon gadgetfs) || return 1
	while IFS= read -r rel; do
		[ -n "$rel" ] || continue
		mkdir -p "$dst/$(dirname "$rel")"
		cp "$K_MODDIR/$rel" "$dst/$rel"
	done <<<"$list"
	for f in modules.builtin modules.builtin.modinfo modules.order; do
		if [ -n "$K_MODDIR" ] && [ -f "$K_MODDIR/$f" ]; then
			cp "$K_MODDIR/$f" "$dst/$f"
		elif [ -n "$K_KDIR" ] && [ -f "$K_KDIR/$f" ]; then
			cp "$K_KDIR/$f" "$dst/$f"
		fi
	done
	if [ -n "$K_KO" ]; then
		mkdir -p "$dst/extra"
		cp "$K_KO" "$dst/extra/pawlink.ko"
	fi
	depmod -b "$stage" "$K_REL"
}

# lane_write_config STAGE SPEEDS: the settings guest/init sources.
lane_write_config()
{
	local stage=$1 speeds=$2 m mods=""
	for m in libcomposite usb_f_fs snd-pcm "${LANE_EXTRA_MODULES[@]}"; do
		mods="$mods $m"
	done
	cat >"$stage/lane/config" <<EOF
# written by tests/kernel/run for one boot
LANE_MODE=$LANE_MODE
LANE_SPEEDS="$speeds"
LANE_TESTS="${LANE_TEST_NAMES[*]}"
LANE_TEST_ARGS="$LANE_TEST_ARGS"
LANE_ONLY="$LANE_ONLY"
LANE_HOOKS="${LANE_HOOK_NAMES[*]}"
LANE_DRIVER=$LANE_DRIVER
LANE_UDCS=2
LANE_MODULES="${mods# }"
LANE_DUMMY_BUILTIN=$LANE_DUMMY_BUILTIN
LANE_TEST_TIMEOUT=$LANE_TEST_TIMEOUT
EOF
}

# lane_build_initramfs STAGE OUT SPEEDS
lane_build_initramfs()
{
	local stage=$1 out=$2 speeds=$3 f t i src dest
	rm -rf "$stage"
	mkdir -p "$stage"
	lane_stage_base "$stage" || return 1
	for f in pawsim pawctl; do
		if [ -x "$TOP/build/rel/$f" ]; then
			lane_stage_program "$stage" "$TOP/build/rel/$f" "/usr/bin/$f"
		fi
	done
	# pawctl finds libpawlink.so.0 through its run path, $ORIGIN/../lib
	if [ -e "$TOP/build/rel/libpawlink.so.0" ]; then
		cp -L "$TOP/build/rel/libpawlink.so.0" "$stage/usr/lib/"
	fi
	for t in "${LANE_TEST_NAMES[@]}"; do
		lane_stage_program "$stage" "$LANE_TEST_OUT/$t" "/lane/tests/$t"
	done
	# pawlink_record runs the kernel's record layer on these
	mkdir -p "$stage/lane/vectors"
	cp "$TOP"/tests/vectors/record.txt "$TOP"/tests/vectors/record-open.txt \
		"$stage/lane/vectors/"
	for i in "${!LANE_HOOK_NAMES[@]}"; do
		install -m 755 "${LANE_HOOK_FILES[$i]}" \
			"$stage/lane/hooks/${LANE_HOOK_NAMES[$i]}"
	done
	lane_stage_modules "$stage" || return 1
	lane_write_config "$stage" "$speeds"
	for f in "${LANE_EXTRA_FILES[@]}"; do
		src=${f%%:*}
		dest=${f#*:}
		mkdir -p "$stage$(dirname "$dest")"
		cp -a "$src" "$stage$dest"
		if [ -f "$src" ] && [ -x "$src" ]; then
			lane_stage_libs "$stage" "$src"
		fi
	done
	(cd "$stage" && find . -mindepth 1 | LC_ALL=C sort |
		cpio -o -H newc -R 0:0 --quiet) >"$out"
}
