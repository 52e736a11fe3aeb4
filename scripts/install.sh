#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Idempotent host set-up: apt sources, build packages, QEMU, rust-src, bindgen-cli
# and the pinned linux-source-7.3 tarball. A second run changes nothing.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/config.sh"

log() { printf 'install: %s\n' "$*"; }

as_root() {
	if [ "$(id -u)" = 0 ]; then "$@"; else sudo -n "$@"; fi
}

write_if_changed() { # path content
	local path=$1 content=$2
	if [ ! -f "$path" ] || [ "$(cat "$path")" != "$content" ]; then
		printf '%s\n' "$content" | as_root tee "$path" >/dev/null
		return 0
	fi
	return 1
}

apt_changed=0
write_if_changed /etc/apt/sources.list.d/vi915-backports.sources "Types: deb
URIs: http://deb.debian.org/debian
Suites: bookworm-backports trixie-backports
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg" && apt_changed=1
# trixie packages are only ever downloaded, never installed into this system.
write_if_changed /etc/apt/preferences.d/vi915-trixie "Package: *
Pin: release n=trixie-backports
Pin-Priority: -1" && apt_changed=1

stamp=/var/lib/apt/periodic/vi915-update-stamp
policy=$(apt-cache policy linux-source-7.3 2>/dev/null || true)
if [ "$apt_changed" = 1 ] || [ ! -f "$stamp" ] || [[ $policy != *"$LINUX_SOURCE_DEB_VERSION"* ]]; then
	log "apt-get update"
	as_root apt-get update -qq
	as_root mkdir -p "$(dirname "$stamp")"
	as_root touch "$stamp"
fi

missing=()
for p in $APT_PACKAGES; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
	log "apt-get install ${missing[*]}"
	as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
qemu=$(dpkg-query -W -f='${Status} ${Version}' qemu-system-x86 2>/dev/null || true)
if [[ $qemu != "install ok installed "*bpo12* ]]; then
	log "apt-get install -t bookworm-backports qemu-system-x86"
	as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
		-t bookworm-backports qemu-system-x86
fi

if ! rustup component list --installed 2>/dev/null | grep -q '^rust-src'; then
	log "rustup component add rust-src"
	rustup component add rust-src
fi

if ! bindgen --version 2>/dev/null | grep -q "bindgen $BINDGEN_VERSION\$"; then
	log "cargo install bindgen-cli@$BINDGEN_VERSION"
	LIBCLANG_PATH=$LIBCLANG_PATH cargo install --locked "bindgen-cli@$BINDGEN_VERSION"
fi

# Kernel source: pinned .deb from trixie-backports, checked against a pinned sha256.
src_dir=$VI915_CACHE/src/linux-source-$LINUX_SOURCE_DEB_VERSION
if [ ! -f "$src_dir/.unpacked" ]; then
	mkdir -p "$VI915_CACHE/src"
	deb=$VI915_CACHE/src/linux-source-7.3_${LINUX_SOURCE_DEB_VERSION}_all.deb
	if [ ! -f "$deb" ] || ! echo "$LINUX_SOURCE_DEB_SHA256  $deb" | sha256sum -c --quiet 2>/dev/null; then
		log "apt-get download linux-source-7.3=$LINUX_SOURCE_DEB_VERSION"
		(cd "$VI915_CACHE/src" && apt-get download -qq "linux-source-7.3=$LINUX_SOURCE_DEB_VERSION")
		mv "$VI915_CACHE/src/"linux-source-7.3_*_all.deb "$deb" 2>/dev/null || true
	fi
	echo "$LINUX_SOURCE_DEB_SHA256  $deb" | sha256sum -c --quiet ||
		{ echo "install: sha256 mismatch for $deb" >&2; exit 1; }
	log "unpacking kernel source"
	rm -rf "$src_dir" "$src_dir.tmp"
	mkdir -p "$src_dir.tmp"
	dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$src_dir.tmp" ./usr/src/linux-source-7.3.tar.xz
	tar -xf "$src_dir.tmp/usr/src/linux-source-7.3.tar.xz" -C "$src_dir.tmp"
	mv "$src_dir.tmp/linux-source-7.3" "$src_dir"
	rm -rf "$src_dir.tmp"
	touch "$src_dir/.unpacked"
fi
log "ok (kernel source: $src_dir)"
