# SPDX-License-Identifier: MIT
# shellcheck shell=bash
# Bash completion for every nslab tool, installed once under each tool's name
# in share/bash-completion/completions.  The options come from the tool's own
# --help, so completion cannot offer an option the installed tool lacks.  A
# chain (usernsselfmap nsnet nsmount bash) is completed tool by tool, and
# whatever follows the last tool as a command of its own, as env(1) and
# sudo(8) completion do.

_nslab_tools=' usernsselfmap nsnet nsmount nsinfo nspid nsuts nsipc nscgroup nstime nsjoin nscap nsseccomp '
_nslab_kinds='cgroup ipc mnt net pid time user uts'

# _nslab_options TOOL: one line per option of TOOL's --help:
#   SHORT LONG ARG     (SHORT "-" when none, ARG "-" when it takes none)
_nslab_options() {
	local line re='^ +(-([A-Za-z0-9]), )?--([a-z][a-z0-9-]*)(( |=)([A-Za-z|:=]+)|\[=[A-Z]+\])?( {2,}|$)'
	"$1" --help 2>/dev/null | while IFS= read -r line; do
		[[ $line =~ $re ]] || continue
		printf '%s --%s %s\n' "${BASH_REMATCH[2]:+-${BASH_REMATCH[2]}}" \
			"${BASH_REMATCH[3]}" "${BASH_REMATCH[6]:--}"
	done | sed 's/^ /- /'
}

# _nslab_pids: the PIDs this user can see.
_nslab_pids() {
	local p pids=()
	for p in /proc/[0-9]*; do pids+=("${p#/proc/}"); done
	printf '%s\n' "${pids[@]}"
}

# _nslab_ifaces FROM TO: interfaces a command line makes or knows of: lo and
# both ends of every --veth NAME:PEER among words[FROM..TO-1].
_nslab_ifaces() {
	local i w names=(lo)
	for ((i = $1; i < $2; i++)); do
		w=${words[i]}
		case $w in
		--veth=*) w=${w#--veth=} ;;
		--veth) w=${words[i + 1]}; ((i++)) ;;
		*) continue ;;
		esac
		[[ $w == *:* ]] && names+=("${w%%:*}" "${w#*:}")
	done
	printf '%s\n' "${names[@]}"
}

# _nslab_argument LONG ARG CUR FROM: complete CUR as the argument of option
# --LONG, whose --help calls it ARG.
_nslab_argument() {
	local long=$1 arg=$2 cur=$3 from=$4 pre
	case $long in
	propagation) mapfile -t COMPREPLY < <(compgen -W 'private slave shared unchanged' -- "$cur"); return ;;
	setgroups) mapfile -t COMPREPLY < <(compgen -W 'allow deny' -- "$cur"); return ;;
	type) mapfile -t COMPREPLY < <(compgen -W "$_nslab_kinds" -- "$cur"); return ;;
	tree) mapfile -t COMPREPLY < <(compgen -W 'owner parent' -- "$cur"); return ;;
	netns) mapfile -t COMPREPLY < <(compgen -W "$(ls /run/netns 2>/dev/null)" -- "$cur"); return ;;
	esac
	case $arg in
	*PID*)
		mapfile -t COMPREPLY < <(compgen -W "$(_nslab_pids)" -- "$cur")
		[[ $arg == *PATH* ]] && mapfile -t -O "${#COMPREPLY[@]}" COMPREPLY < <(compgen -f -- "$cur")
		;;
	IFACE=*)
		if [[ $cur == *=* ]]; then
			COMPREPLY=()
		else
			mapfile -t COMPREPLY < <(compgen -S = -W "$(_nslab_ifaces "$from" "$cword")" -- "$cur")
			compopt -o nospace 2>/dev/null
		fi
		;;
	IFACE) mapfile -t COMPREPLY < <(compgen -W "$(_nslab_ifaces "$from" "$cword")" -- "$cur") ;;
	SRC:DST)
		# Both halves are paths: complete the one being typed.
		if [[ $cur == *:* ]]; then
			pre=${cur%%:*}:
			mapfile -t COMPREPLY < <(compgen -f -P "$pre" -- "${cur#*:}")
		else
			mapfile -t COMPREPLY < <(compgen -f -- "$cur")
		fi
		compopt -o filenames 2>/dev/null
		;;
	DIR) mapfile -t COMPREPLY < <(compgen -d -- "$cur"); compopt -o filenames 2>/dev/null ;;
	PATH | FILE) mapfile -t COMPREPLY < <(compgen -f -- "$cur"); compopt -o filenames 2>/dev/null ;;
	UID) mapfile -t COMPREPLY < <(compgen -u -- "$cur") ;;
	GID) mapfile -t COMPREPLY < <(compgen -g -- "$cur") ;;
	*) COMPREPLY=() ;;	# a free value: an address, a name, a number
	esac
}

# _nslab_command FROM: complete words[FROM..] as a command line.
_nslab_command() {
	local from=$1
	if ((cword == from)); then
		mapfile -t COMPREPLY < <(compgen -c -- "$cur" | sort -u)
	elif declare -F _command_offset >/dev/null; then
		# bash-completion's, which completes for the command itself: it
		# counts in bash's own words, and its replies need no trimming.
		_command_offset $((COMP_CWORD - (cword - from)))
		own=1
	else
		mapfile -t COMPREPLY < <(compgen -f -- "$cur")
	fi
}

# Bash splits the line at = and : too (COMP_WORDBREAKS), which would cut
# --veth a:b and --addr a=CIDR apart; split COMP_LINE at blanks instead into
# words[] and cword, and trim each reply back to bash's own current word.
_nslab() {
	local -a words
	local cword cur tool i w opts short long arg want from prefix k own=
	read -ra words <<<"${COMP_LINE:0:COMP_POINT}"
	[[ ${COMP_LINE:0:COMP_POINT} =~ [[:blank:]]$ ]] && words+=('')
	cword=$((${#words[@]} - 1))
	cur=${words[cword]}
	COMPREPLY=()
	_nslab_complete
	# What bash replaces is only its own current word: drop what precedes it.
	prefix=${cur%"${COMP_WORDS[COMP_CWORD]}"}
	if [[ -z $own && -n $prefix && $prefix != "$cur" ]]; then
		for k in "${!COMPREPLY[@]}"; do COMPREPLY[k]=${COMPREPLY[k]#"$prefix"}; done
	fi
	return 0
}

# The completion itself, over words[], cword and cur (_nslab's locals).
_nslab_complete() {
	i=0
	# Walk the line: each nslab tool's options, up to the word being completed.
	while :; do
		tool=${words[i]##*/}
		opts=$(_nslab_options "${words[i]}")
		from=$i
		((i++))
		want=
		while ((i < cword)); do
			w=${words[i]}
			if [[ -n $want ]]; then
				want=
			elif [[ $w == -- ]]; then
				((i++)); break
			elif [[ $w == --*=* ]]; then
				:
			elif [[ $w == -* && $w != - ]]; then
				# The option's argument is the next word unless attached.
				while read -r short long arg; do
					if [[ $w == "$long" || ($short != - && $w == "$short") ]]; then
						[[ $arg != - ]] && want=$long
						break
					fi
					if [[ $short != - && $arg != - && $w == "$short"?* ]]; then break; fi
				done <<<"$opts"
			else
				break
			fi
			((i++))
		done
		if [[ -n $want ]]; then
			arg=$(awk -v l="$want" '$2 == l { print $3 }' <<<"$opts")
			_nslab_argument "${want#--}" "$arg" "$cur" "$from"
			return 0
		fi
		if ((i < cword)) && [[ $tool != nsinfo && $_nslab_tools == *" ${words[i]##*/} "* ]]; then
			continue	# the next tool of the chain
		fi
		break
	done
	if [[ $cur == --*=* ]]; then
		long=${cur%%=*}
		arg=$(awk -v l="$long" '$2 == l { print $3 }' <<<"$opts")
		_nslab_argument "${long#--}" "$arg" "${cur#*=}" "$from"
		for k in "${!COMPREPLY[@]}"; do COMPREPLY[k]=$long=${COMPREPLY[k]}; done
		return 0
	fi
	if ((i == cword)) && [[ $cur == -* ]]; then
		mapfile -t COMPREPLY < <(compgen -W "$(awk '{ if ($1 != "-") print $1; print $2 }' <<<"$opts")" -- "$cur")
		return 0
	fi
	if [[ $tool == nsinfo ]]; then
		mapfile -t COMPREPLY < <(compgen -W "$(_nslab_pids)" -- "$cur")
		return 0
	fi
	_nslab_command "$i"
	return 0
}

complete -F _nslab usernsselfmap nsnet nsmount nsinfo nspid nsuts nsipc nscgroup nstime nsjoin nscap nsseccomp
