#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# igt-fetch.sh: downloads Debian's IGT test binaries (igt-gpu-tools-tests and
# igt-gpu-tools from sid, with their whole dependency closure) into the cache
# and unpacks them; prints the unpacked root on stdout, notes on stderr.
#
# Nothing is installed: apt runs with a private configuration (its own state,
# cache and an empty dpkg status, sid only) and the host's
# debian-archive-keyring, so apt checks the signatures of the index and the
# hashes of every .deb. A set is named by the hash of its exact package
# versions (cache/igt/sets/<id>/, with versions.txt). The last complete set is
# remembered (cache/igt/current) and reused as long as it exists: sid moving
# on does not change what `make check` runs until VI915_IGT_UPDATE=1 asks for
# the newest set; an unreachable mirror only matters on a machine with no set.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/config.sh"

base=$VI915_CACHE/igt
apt=$base/apt
log() { printf 'igt-fetch: %s\n' "$*" >&2; }

current=""
if [ -L "$base/current" ] && [ -f "$base/current/.complete" ]; then
	current=$(readlink -f "$base/current")
fi
if [ -n "$current" ] && [ "${VI915_IGT_UPDATE:-0}" != 1 ]; then
	log "using cached set $(basename "$current"): $(grep "^$IGT_MAIN_PACKAGE=" "$current/versions.txt")"
	echo "$current/root"
	exit 0
fi

mkdir -p "$apt"/{etc/sources.list.d,etc/preferences.d,etc/apt.conf.d,state/lists/partial,cache/archives/partial}
: >"$apt/status"
: >"$apt/etc/sources.list"
cat >"$apt/etc/sources.list.d/sid.sources" <<EOF
Types: deb
URIs: $IGT_MIRROR
Suites: sid
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
opts=(-o "Dir::Etc=$apt/etc" -o "Dir::Etc::sourcelist=$apt/etc/sources.list"
	-o "Dir::Etc::sourceparts=$apt/etc/sources.list.d"
	-o "Dir::Etc::preferencesparts=$apt/etc/preferences.d"
	-o "Dir::Etc::parts=$apt/etc/apt.conf.d" -o "Dir::State=$apt/state"
	-o "Dir::State::status=$apt/status" -o "Dir::Cache=$apt/cache"
	-o APT::Architecture=amd64 -o APT::Architectures::=amd64
	-o APT::Install-Recommends=0 -o Debug::NoLocking=1 -o APT::Sandbox::User=root)

fallback() { # why
	if [ -n "$current" ]; then
		log "$1; keeping the cached set $(basename "$current")"
		echo "$current/root"
		exit 0
	fi
	log "$1 and no cached set"
	exit 1
}

start=$(date +%s)
apt-get "${opts[@]}" -qq update >&2 || fallback "apt-get update against sid failed"
# The exact closure, as apt resolves it for an empty system.
versions=$(apt-get "${opts[@]}" -s install $IGT_PACKAGES 2>/dev/null |
	sed -nE 's/^Inst ([^ ]+) \(([^ ]+) .*/\1=\2/p' | LC_ALL=C sort) ||
	fallback "apt cannot resolve $IGT_PACKAGES in sid"
[ -n "$versions" ] || fallback "apt resolved an empty closure"
id=$(sha256sum <<<"$versions" | cut -c1-16)
set_dir=$base/sets/$id
if [ ! -f "$set_dir/.complete" ]; then
	rm -rf "$set_dir"
	mkdir -p "$set_dir/debs" "$set_dir/root"
	# shellcheck disable=SC2086
	(cd "$set_dir/debs" && apt-get "${opts[@]}" -qq download $versions >&2) ||
		{ rm -rf "$set_dir"; fallback "download of the sid closure failed"; }
	for deb in "$set_dir"/debs/*.deb; do dpkg-deb -x "$deb" "$set_dir/root"; done
	printf '%s\n' "$versions" >"$set_dir/versions.txt"
	touch "$set_dir/.complete"
	log "fetched set $id: $(wc -l <<<"$versions") packages, $(du -sh "$set_dir/debs" | cut -f1) of .debs, $(( $(date +%s) - start )) s"
fi
main=$(grep "^$IGT_MAIN_PACKAGE=" "$set_dir/versions.txt")
if [ "$main" != "$IGT_MAIN_PACKAGE=$IGT_EXPECT_VERSION" ]; then
	log "NOTE: sid now has $main; the expectations were written for $IGT_EXPECT_VERSION"
fi
if [ -n "$current" ] && [ "$current" != "$set_dir" ]; then
	log "NOTE: moving from set $(basename "$current") to $id"
fi
ln -sfn "sets/$id" "$base/current"
# Keep the current set and one older one.
ls -dt "$base"/sets/*/ 2>/dev/null | tail -n +3 | while read -r old; do rm -rf "$old"; done
log "using set $id: $main"
echo "$set_dir/root"
