# SPDX-License-Identifier: GPL-2.0
# Shared settings for the vi915 scripts (sourced, not executed).
LINUX_SOURCE_DEB_VERSION=7.3.4-1~bpo13+1
LINUX_SOURCE_DEB_SHA256=703e369ddd4cce971452f5a593ee55df3a5c10c83caf0fa0df039633ed181ee3
BINDGEN_VERSION=0.73.2
LIBCLANG_PATH=/usr/lib/llvm-19/lib
export LIBCLANG_PATH
export PATH=$HOME/.cargo/bin:$PATH
APT_PACKAGES="flex bison bc libelf-dev libssl-dev cpio busybox-static libclang-19-dev build-essential python3 file gzip clang-19 lld-19 llvm-19"
VI915_CACHE=${VI915_KERNEL_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/vi915}
# Debian's IGT (tests and runner), downloaded from sid with its closure (scripts/igt-fetch.sh).
IGT_MIRROR=http://deb.debian.org/debian
IGT_PACKAGES="igt-gpu-tools-tests igt-gpu-tools"
IGT_MAIN_PACKAGE=igt-gpu-tools-tests
IGT_EXPECT_VERSION=2.5-1
