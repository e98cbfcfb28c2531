# bash completion for rehabctl: commands, options, and runner names from
# the configuration (/etc/rehabd/rehabd.conf, or $REHABD_CONFIG).
_rehabctl_runners()
{
	local conf=${REHABD_CONFIG:-/etc/rehabd/rehabd.conf}
	[ -r "$conf" ] || return
	sed -n 's/.*name[[:space:]]*=[[:space:]]*"\([^"]*\)".*/\1/p' "$conf" 2>/dev/null
}

_rehabctl()
{
	local cur=${COMP_WORDS[COMP_CWORD]} cmd=${COMP_WORDS[1]}
	local cmds="status pause resume clear-flag send-test reload history export forget backup parse preview"
	if [ "$COMP_CWORD" -eq 1 ]; then
		COMPREPLY=($(compgen -W "$cmds --help --version" -- "$cur"))
		return
	fi
	case ${COMP_WORDS[COMP_CWORD-1]} in
	--socket|--scores|--program) COMPREPLY=($(compgen -f -- "$cur")); return ;;
	--state-dir) COMPREPLY=($(compgen -d -- "$cur")); return ;;
	esac
	case $cmd in
	pause|resume|clear-flag|send-test|history|forget|export)
		if [[ $cur == -* ]]; then
			COMPREPLY=($(compgen -W "--socket --json --days --csv --yes --help" -- "$cur"))
		else
			COMPREPLY=($(compgen -W "$(_rehabctl_runners)" -- "$cur"))
		fi ;;
	status) COMPREPLY=($(compgen -W "--json --socket --help" -- "$cur")) ;;
	reload) COMPREPLY=($(compgen -W "--socket --help" -- "$cur")) ;;
	backup) COMPREPLY=($(compgen -W "--state-dir --force --help" -- "$cur") $(compgen -f -- "$cur")) ;;
	parse) COMPREPLY=($(compgen -W "--json -" -- "$cur")) ;;
	preview) COMPREPLY=($(compgen -W "--program --start --days --scores --json" -- "$cur")) ;;
	esac
}
complete -F _rehabctl rehabctl
