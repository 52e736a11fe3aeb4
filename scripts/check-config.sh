#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# check-config.sh FRAGMENT... DOTCONFIG: fail, naming the option, if any fragment line did not stick.
# With several fragments (merged in order), a later line for an option overrides an earlier one.
set -euo pipefail
[ $# -ge 2 ] || { echo "usage: check-config.sh FRAGMENT... DOTCONFIG" >&2; exit 2; }
config=${!#}
fragments=("${@:1:$#-1}")
# The effective fragment: every option's last line, in first-seen order.
effective() {
	cat "${fragments[@]}" | awk '
		/^CONFIG_[A-Za-z0-9_]+=/ { o = $0; sub(/=.*/, "", o) }
		/^# CONFIG_[A-Za-z0-9_]+ is not set$/ { o = $2 }
		o != "" { if (!(o in line)) order[n++] = o; line[o] = $0; o = "" }
		END { for (i = 0; i < n; i++) print line[order[i]] }'
}
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
done < <(effective)
[ "$bad" = 0 ] || { echo "check-config: fragment not applied (see above)" >&2; exit 1; }
echo "check-config: all $(effective | grep -c .) fragment lines stuck" >&2
