# bash completion for pawctl(1): subcommands, options, the toys paired here
# and the messages on a toy.  Needs nothing but bash: the bash-completion
# package is not required.
#
# Toy names come from the key store ("pawctl toys --names", no radio);
# message ids from the toy itself ("pawctl ls TOY --ids", one session), so
# that completion is given at most a few seconds.

_pawctl_commands='scan pair toys status ls send get rm play record led volume
	log hosts invite revoke unpair forget dongles connect disconnect help'
# The toy's event names (pawctl log --type), as pawlink_event_name() says.
_pawctl_events='boot factory-reset button pair-start pair-ok pair-fail
	pair-refused locked session-start session-reject session-end mic-start
	mic-stop unpair revoke invite session'
_pawctl_global_opts='--air --device --transport --store --json -q --quiet --progress
	--no-progress -h --help --version'

# The options of subcommand $1, beyond the global ones.
_pawctl_command_opts()
{
	case $1 in
	scan) echo --seconds ;;
	pair) echo --name --code-file ;;
	toys) echo --names ;;
	ls) echo --ids ;;
	get) echo -o --output ;;
	record) echo -o --output --seconds ;;
	log) echo --from --type --mic --host --since --tail ;;
	invite) echo --name ;;
	esac
}

# Whether option $1 takes a value (the next word).
_pawctl_takes_value()
{
	case $1 in
	--air | --device | --transport | --store | --seconds | --name | \
	--code-file | -o | \
	--output | --from | --type | --host | --since | --tail) return 0 ;;
	esac
	return 1
}

_pawctl()
{
	local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}
	local pawctl=${COMP_WORDS[0]} cmd= i word
	local -a way=() operands=()

	COMPREPLY=()
	# What is typed so far: the subcommand, its operands, and the options
	# that say where the key store and the toys are.
	for ((i = 1; i < COMP_CWORD; i++)); do
		word=${COMP_WORDS[i]}
		case $word in
		--air | --device | --transport | --store)
			way+=("$word" "${COMP_WORDS[i+1]}")
			((i++))
			;;
		--air=* | --device=* | --transport=* | --store=*)
			way+=("$word")
			;;
		-*)
			_pawctl_takes_value "$word" && ((i++))
			;;
		*)
			if [[ -z $cmd ]]; then
				cmd=$word
			else
				operands+=("$word")
			fi
			;;
		esac
	done

	case $prev in
	--air | --store | --code-file | -o | --output)
		COMPREPLY=($(compgen -f -- "$cur"))
		return
		;;
	--device)
		COMPREPLY=($(compgen -W "$(echo /dev/pawlink[0-9]*)" -- "$cur"))
		return
		;;
	--transport)
		COMPREPLY=($(compgen -W "kernel usb" -- "$cur"))
		return
		;;
	--type)
		COMPREPLY=($(compgen -W "$_pawctl_events" -- "$cur"))
		return
		;;
	esac
	_pawctl_takes_value "$prev" && return

	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W "$_pawctl_global_opts $(_pawctl_command_opts "$cmd")" -- "$cur"))
		return
	fi
	if [[ -z $cmd ]]; then
		COMPREPLY=($(compgen -W "$_pawctl_commands" -- "$cur"))
		return
	fi

	case $cmd:${#operands[@]} in
	help:0)
		COMPREPLY=($(compgen -W "$_pawctl_commands" -- "$cur"))
		;;
	status:0 | ls:0 | send:0 | get:0 | rm:0 | play:0 | record:0 | led:0 | \
	volume:0 | log:0 | hosts:0 | invite:0 | revoke:0 | unpair:0 | \
	forget:0 | connect:0)
		local IFS=$'\n'
		COMPREPLY=($(compgen -W "$("$pawctl" "${way[@]}" -q toys --names 2>/dev/null)" -- "$cur"))
		;;
	get:1 | rm:1 | play:1)
		COMPREPLY=($(compgen -W "$(timeout 10 "$pawctl" "${way[@]}" -q ls "${operands[0]}" --ids 2>/dev/null)" -- "$cur"))
		;;
	send:1)
		COMPREPLY=($(compgen -f -- "$cur"))
		;;
	led:1)
		COMPREPLY=($(compgen -W 'on off' -- "$cur"))
		;;
	esac
}

complete -F _pawctl pawctl
