#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# check-config.sh FRAGMENT DOTCONFIG: fail, naming the option, if any fragment line did not stick.
set -euo pipefail
fragment=$1 config=$2
bad=0
while IFS= read -r line; do
	case "$line" in
	CONFIG_*=*)
		opt=${line%%=*}
		want=$line
		;;
	"# CONFIG_"*" is not set")
		opt=${line#\# }; opt=${opt%% *}
		want=$line
		;;
	*) continue ;;
	esac
	got=$(grep -E "^($opt=|# $opt is not set)" "$config" || true)
	# An unset option may also be absent altogether (its dependencies are off).
	if [ "$got" != "$want" ] && ! { [ -z "$got" ] && [ "${want#\#}" != "$want" ]; }; then
		echo "check-config: $opt did not stick: wanted '$want', got '${got:-<absent>}'" >&2
		bad=1
	fi
done <"$fragment"
[ "$bad" = 0 ] || { echo "check-config: fragment not applied (see above)" >&2; exit 1; }
echo "check-config: all $(grep -cE '^(CONFIG_|# CONFIG_)' "$fragment") fragment lines stuck" >&2
