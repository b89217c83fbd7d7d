#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The bash completion (userspace/pawctl/completion/pawctl.bash) as a shell
# uses it: sourced, then _pawctl run on a typed line, COMPREPLY checked.
#
# Usage: tests/native/completion.sh PAWCTL STORE AIR MSG-ID...
# with a toy paired as "bear" in STORE, reachable on AIR, holding exactly
# the messages MSG-ID...  Run by test_pawctl.c (test_every_command).
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
pawctl=$1 store=$2 air=$3
shift 3
failed=0

# shellcheck source=../../userspace/pawctl/completion/pawctl.bash
. "$top/userspace/pawctl/completion/pawctl.bash"

# complete LINE: COMPREPLY for the last word of LINE (empty if it ends in
# a space), sorted, one a line.
complete_line() {
	read -ra COMP_WORDS <<<"$1"
	[[ $1 == *' ' ]] && COMP_WORDS+=('')
	COMP_WORDS[0]=$pawctl
	COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
	COMP_LINE=$1 COMP_POINT=${#1}
	_pawctl
	printf '%s\n' "${COMPREPLY[@]}" | sort
}

expect() {
	local got
	got=$(complete_line "$1")
	if [[ $got != "$2" ]]; then
		echo "completion: '$1' gave [${got//$'\n'/ }], not [${2//$'\n'/ }]" >&2
		failed=1
	fi
}

# The function is registered for pawctl.
[[ $(complete -p pawctl) == 'complete -F _pawctl pawctl' ]] ||
	{ echo "completion: complete -p pawctl: $(complete -p pawctl 2>&1)" >&2; failed=1; }

expect 'pawctl s' $'scan\nsend\nstatus'
expect 'pawctl help vo' 'volume'
expect 'pawctl --json l' $'led\nlog\nls'
expect 'pawctl led bear ' $'off\non'
# A command's own options and the global ones, nothing else.
expect 'pawctl record bear --s' $'--seconds\n--store'
expect 'pawctl volume bear --s' '--store'
expect 'pawctl get bear x -o' '-o'
expect 'pawctl --transport ' $'kernel\nusb'
expect 'pawctl --tr' '--transport'
# The toys paired in the store given, by name, with no radio.
expect "pawctl --store $store status " 'bear'
expect "pawctl --store $store ls b" 'bear'
expect "pawctl --store /nonexistent-store status " ''
# The messages on the toy, by id.
expect "pawctl --store $store --air $air get bear " "$(printf '%s\n' "$@" | sort)"
expect "pawctl --store $store --air $air rm bear ${1:0:6}" "$1"

# zsh: the file parses, and compinit binds it to pawctl by its #compdef.
zdir=$top/userspace/pawctl/completion
if ! zsh -n "$zdir/_pawctl"; then
	echo "completion: _pawctl does not parse" >&2
	failed=1
elif [[ $(zsh -fc "fpath=($zdir \$fpath); autoload -U compinit; compinit -u -D;
		   print -r -- \$_comps[pawctl]") != _pawctl ]]; then
	echo "completion: zsh's compinit does not bind _pawctl to pawctl" >&2
	failed=1
fi

exit "$failed"
