#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Copy what the guest needs of Debian's IGT into an initramfs tree.

    igt-root.py SIDROOT DEST TESTLIST...

SIDROOT is the unpacked sid package set (scripts/igt-fetch.sh). Copies the
runner (igt_runner, igt_results), every test binary named by the test lists
(igt@<binary>@...), test-list.txt (the runner opens it), and the shared
libraries of their DT_NEEDED closure (and what glibc dlopens) with sid's
dynamic loader, keeping sid's paths (/usr/libexec/igt-gpu-tools,
/usr/lib/x86_64-linux-gnu).
"""

import os
import re
import shutil
import subprocess
import sys

LIBDIRS = ["usr/lib/x86_64-linux-gnu", "usr/lib", "lib/x86_64-linux-gnu"]
# Loaded with dlopen, so not in any DT_NEEDED: glibc opens libgcc_s for
# pthread_cancel and pthread_exit (IGT's helper threads; without it the
# process aborts).
DLOPENED = ["libgcc_s.so.1"]
TESTS = "usr/libexec/igt-gpu-tools"
RUNNER = ["usr/bin/igt_runner", "usr/bin/igt_results"]


def needed(path):
    out = subprocess.run(["readelf", "-d", path], capture_output=True, text=True,
                         check=True).stdout
    return re.findall(r"\(NEEDED\)\s+Shared library: \[([^\]]+)\]", out)


def find_lib(root, name):
    for d in LIBDIRS:
        p = os.path.join(root, d, name)
        if os.path.exists(p):
            return os.path.join(d, name)
    raise SystemExit(f"igt-root: library {name} not found in {root}")


def copy(root, dest, rel):
    """Copy root/rel to dest/rel, following symlinks (the guest needs the file)."""
    src = os.path.join(root, rel)
    dst = os.path.join(dest, rel)
    os.makedirs(os.path.dirname(dst), exist_ok=True)
    shutil.copy2(os.path.realpath(src), dst)
    return dst


def binaries(testlists):
    names = []
    for tl in testlists:
        with open(tl) as f:
            for line in f:
                m = re.match(r"\s*igt@([^@\s#]+)", line)
                if m and m.group(1) not in names:
                    names.append(m.group(1))
    return names


def main():
    if len(sys.argv) < 4:
        raise SystemExit(__doc__)
    root, dest, lists = sys.argv[1], sys.argv[2], sys.argv[3:]
    todo = list(RUNNER) + [os.path.join(TESTS, b) for b in binaries(lists)]
    todo += [find_lib(root, n) for n in DLOPENED]
    copy(root, dest, os.path.join(TESTS, "test-list.txt"))
    done = set()
    while todo:
        rel = todo.pop()
        if rel in done:
            continue
        done.add(rel)
        if not os.path.exists(os.path.join(root, rel)):
            raise SystemExit(f"igt-root: {rel} is not in the IGT package set")
        dst = copy(root, dest, rel)
        todo += [find_lib(root, n) for n in needed(dst)]
    loader = find_lib(root, "ld-linux-x86-64.so.2")
    copy(root, dest, loader)
    os.makedirs(os.path.join(dest, "lib64"), exist_ok=True)
    link = os.path.join(dest, "lib64", "ld-linux-x86-64.so.2")
    if not os.path.lexists(link):
        os.symlink("/" + loader, link)
    print(f"igt-root: {len(done)} files (binaries and libraries)")


if __name__ == "__main__":
    main()
