# SPDX-License-Identifier: GPL-2.0
# vi915 top-level Makefile (Kbuild reads ./Kbuild for the module itself).
#
#   make run     set up, build, boot the test kernel, run the demonstration, report
#   make check   the same pipeline running every test; ends with "N passed, N failed, N skipped"
#   make igt-full  Debian's IGT over the full list (sharded by CI_NODE_INDEX/CI_NODE_TOTAL)
#   make         build vi915.ko against KDIR (default: the cached test kernel)
#   make KDIR=/path/to/other/rust/kernel/build   build against any other Rust-enabled kernel
#   make CLIPPY=1  ... with clippy;  make fmt-check  rustfmt check
PWD_ := $(CURDIR)

.PHONY: all modules run check igt-full igt-lists clean fmt-check host-test kernel install

all: modules

# FLAVOUR=gcc (default) or kasan: which cached test kernel (scripts/kernel.sh).
FLAVOUR ?= gcc
ifeq ($(KDIR),)
KDIR_CMD = $$($(PWD_)/scripts/kernel.sh $(FLAVOUR))
else
KDIR_CMD = $(KDIR)
endif
# A cached kernel says which LLVM= its modules need (clang for kasan); another KDIR gets
# whatever LLVM the caller set.
LLVM_ARG = $$(test -f $$kdir/.vi915-llvm && echo "LLVM=$$(cat $$kdir/.vi915-llvm)")

modules:
	@. scripts/config.sh; kdir=$(KDIR_CMD); \
	$(MAKE) -C $$kdir M=$(PWD_) $(LLVM_ARG) $(if $(CLIPPY),CLIPPY=1) $(if $(VI915_PRESEED),VI915_PRESEED=1) $(if $(VI915_BAD_ENGINE),VI915_BAD_ENGINE=1) modules

install:
	scripts/install.sh

kernel:
	@scripts/kernel.sh $(FLAVOUR)

run:
	scripts/pipeline.sh run

check:
	scripts/pipeline.sh check

# Debian's IGT over the full list; CI_NODE_INDEX / CI_NODE_TOTAL pick one shard.
igt-full:
	scripts/pipeline.sh igt-full

# Regenerate tests/igt/{fast-feedback,full}.testlist from the cached IGT set.
igt-lists:
	scripts/igt-lists.sh

host-test:
	scripts/test-host.sh

fmt-check:
	@. scripts/config.sh; rustfmt --check --edition 2021 \
		--config-path "$$VI915_CACHE/src/linux-source-$$LINUX_SOURCE_DEB_VERSION/.rustfmt.toml" src/*.rs src/*/*.rs

clean:
	rm -rf build
	@. scripts/config.sh; kdir=$(KDIR_CMD); $(MAKE) -C $$kdir M=$(PWD_) $(LLVM_ARG) clean
