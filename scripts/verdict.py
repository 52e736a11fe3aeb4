#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Judge a guest serial log.

    verdict.py LOG                      the run must be clean
    verdict.py LOG --expect circular    the run must contain exactly the expected
               [--expect-lock RE ...]   lockdep report (naming locks matching every RE)
    verdict.py LOG --segment NAME       judge only the lines of one segment of the boot
                                        (between the guest's VI915-SEGMENT-BEGIN/END NAME
                                        markers; it must have ended), with any of the above
    verdict.py LOG --outside-segments   judge only the lines outside every segment (a
                                        segment may have turned lockdep off)

A clean run has none of the rules below firing and ends with the guest's
"VI915-RESULT: rc=0" line. Each rule that fires is printed with its lines.
Exit status: 0 verdict passed, 1 failed, 2 usage error.
"""

import argparse
import re
import sys

# Lockdep report headers (modern kernels prefix most with "WARNING: ").
LOCKDEP_KINDS = {
    "recursive": re.compile(r"possible recursive locking detected"),
    "circular": re.compile(r"possible circular locking dependency detected"),
}
OTHER_LOCKDEP = re.compile(
    r"inconsistent lock state|bad unlock balance detected|suspicious RCU usage"
    r"|lock held when returning to user space|held lock freed"
    r"|possible irq lock inversion dependency|Possible interrupt unsafe locking scenario"
    r"|trying to register non-static key|bad contention detected"
    r"|lock\(s\) held when returning|lockdep: .*turning off|INFO: lockdep is turned off"
    r"|turning off the locking correctness validator"
)

RULES = [
    ("recursive-locking", LOCKDEP_KINDS["recursive"]),
    ("circular-locking", LOCKDEP_KINDS["circular"]),
    ("lockdep-report", OTHER_LOCKDEP),
    ("warning", re.compile(r"WARNING:")),
    ("bug", re.compile(r"BUG:")),
    ("oops", re.compile(r"\bOops\b")),
    ("kasan", re.compile(r"KASAN:")),
    # SLUB_DEBUG reports "BUG <cache> (Not tainted): Poison overwritten" (no colon after BUG).
    ("slab-corruption", re.compile(r"BUG [^ ]+ \((Not tainted|Tainted: [^)]*)\): ")),
    ("debug-objects", re.compile(r"ODEBUG: ")),
    ("list-corruption", re.compile(r"list_(add|del) corruption")),
    ("bad-page", re.compile(r"page dumped because|BUG: Bad page|pagealloc: memory corruption")),
    ("kernel-panic", re.compile(r"Kernel panic|kernel panic")),
    ("hung-task", re.compile(r"blocked for more than \d+ seconds|hung_task")),
    ("debug-locks-off", re.compile(r"VI915-DEBUG-LOCKS: 0\b|debug_locks: +0\b")),
    ("kunit-not-ok", re.compile(r"^\s*not ok \d+")),
    ("guest-test-failed", re.compile(r"^\d+ passed, [1-9]\d* failed")),
]
RESULT = re.compile(r"VI915-RESULT: rc=(-?\d+)")
# kmemleak's suspects, printed by the guest between these markers (scripts/guest-init.sh).
# The guest writes them to the console while the kernel prints to it as well: a kernel
# line can follow a marker on the same line (the label is only [a-z0-9-]).
KMEMLEAK_BEGIN = re.compile(r"VI915-KMEMLEAK-BEGIN ([a-z0-9-]+)")
KMEMLEAK_END = re.compile(r"VI915-KMEMLEAK-END")
KMEMLEAK_OFF = re.compile(r"VI915-KMEMLEAK: disabled|kmemleak: Kernel memory leak detector disabled")
# A suspect is the driver's if a frame of its allocation backtrace is in one of vi915's
# modules, or is a module-space address that no longer resolves (the module was unloaded:
# only vi915's test modules are unloaded before a scan).
KMEMLEAK_OURS = re.compile(
    r"\[vi915[\w-]*\]|^\s*(\[<[0-9a-f]+>\]\s+)?0xffffffff[a-f][0-9a-f]{7}\b"
)


def kmemleak_suspects(lines):
    """Return (ours, others): kmemleak suspect entries, each a list of lines, split by attribution."""
    ours, others = [], []
    label, entry = None, None

    def close():
        if entry:
            (ours if any(KMEMLEAK_OURS.search(l) for l in entry[1:]) else others).append(entry)

    for line in lines:
        text = strip_ts(line)
        m = KMEMLEAK_BEGIN.search(text)
        if m:
            label, entry = m.group(1), None
            continue
        if label is None:
            continue
        if KMEMLEAK_END.search(text):
            close()
            label, entry = None, None
        elif text.startswith("unreferenced object"):
            close()
            entry = [f"[{label}] {text}"]
        elif entry is not None:
            entry.append(text)
    close()
    return ours, others
# The lines a lockdep report spans: from its header up to the stack backtrace's end.
REPORT_END = re.compile(r"^(\[\s*\d+\.\d+\]\s*)?(</TASK>|---\[ end trace)")


def strip_ts(line):
    return re.sub(r"^\[\s*\d+\.\d+\]\s?", "", line)


def find_report(lines, kind):
    """Return (start, end) of the first lockdep report of `kind`, or None."""
    for i, line in enumerate(lines):
        if LOCKDEP_KINDS[kind].search(line):
            start = i - 1 if i > 0 and "=====" in lines[i - 1] else i
            end = i
            while end + 1 < len(lines) and end - i < 400:
                end += 1
                if REPORT_END.search(lines[end]):
                    break
            return start, end
    return None


SEGMENT = re.compile(r"VI915-SEGMENT-(BEGIN|END) (\S+)")


def segment(lines, name):
    """Return (lines of segment `name`, ended?), or (None, False) if it never began."""
    out, inside = None, False
    for line in lines:
        m = SEGMENT.search(strip_ts(line))
        if m and m.group(2) == name:
            if m.group(1) == "BEGIN":
                out, inside = [], True
                continue
            if inside:
                return out, True
        if inside:
            out.append(line)
    return out, False


def outside_segments(lines):
    out, depth = [], 0
    for line in lines:
        m = SEGMENT.search(strip_ts(line))
        if m:
            # (an END without its BEGIN must not hide the next segment)
            depth = depth + 1 if m.group(1) == "BEGIN" else max(depth - 1, 0)
        elif depth == 0:
            out.append(line)
    return out


def select(lines, part):
    """The lines a verdict judges (None: none to judge), and what is wrong with
    the selection itself.

    part: None (the whole run), ("segment", NAME) or ("outside", None)."""
    if not part:
        return lines, []
    if part[0] == "outside":
        return outside_segments(lines), []
    selected, ended = segment(lines, part[1])
    if selected is None:
        return None, [(f"segment-missing {part[1]}", [])]
    if not ended:
        return selected, [(f"segment-unfinished {part[1]}", selected[-15:])]
    return selected, []


def judge(lines, expect=None, expect_locks=(), part=None):
    """Return a list of (rule, [lines]) that fired on `lines` (already selected by
    `select` for `part`); empty means the verdict passed."""
    fired = []
    excluded = set()
    if expect:
        span = find_report(lines, expect)
        if span is None:
            fired.append((f"expected-{expect}-report-missing", []))
        else:
            body = lines[span[0] : span[1] + 1]
            for pattern in expect_locks:
                if not any(re.search(pattern, l) for l in body):
                    fired.append((f"expected-report-lacks-lock /{pattern}/", body[:40]))
            excluded = set(range(span[0], span[1] + 1))
    for name, rx in RULES:
        if (expect or part) and name == "debug-locks-off":
            continue  # lockdep turns itself off after the expected report (or a segment's)
        hits = [l for i, l in enumerate(lines) if i not in excluded and rx.search(strip_ts(l))]
        if hits:
            fired.append((name, hits))
    ours, _ = kmemleak_suspects(lines)
    if ours:
        per = {}
        for e in ours:
            label = e[0][1 : e[0].index("]")]
            per[label] = per.get(label, 0) + 1
        head = "suspects attributed to vi915: " + ", ".join(f"{k} {v}" for k, v in per.items())
        fired.append(("kmemleak", [head] + [l for e in ours for l in e]))
    off = [l for l in lines if KMEMLEAK_OFF.search(l)]
    if off:
        fired.append(("kmemleak-disabled", off))
    results = [m for m in (RESULT.search(l) for l in lines) if m]
    if part and part[0] == "segment":
        pass  # the segment's end marker stands for the result line
    elif not results:
        fired.append(("missing-result-line", lines[-15:]))
    elif results[-1].group(1) != "0":
        fired.append(("guest-rc-nonzero", [results[-1].group(0)]))
    return fired


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("log")
    ap.add_argument("--expect", choices=sorted(LOCKDEP_KINDS) + ["lockdep"])
    ap.add_argument("--expect-lock", action="append", default=[])
    ap.add_argument("--quiet", action="store_true")
    where = ap.add_mutually_exclusive_group()
    where.add_argument("--segment")
    where.add_argument("--outside-segments", action="store_true")
    args = ap.parse_args()
    part = ("segment", args.segment) if args.segment else ("outside", None) if args.outside_segments else None
    try:
        with open(args.log, errors="replace") as f:
            lines = [l.rstrip("\n") for l in f]
    except OSError as e:
        print(f"verdict: FAIL {args.log}")
        print(f"  rule missing-log: the guest did not run ({e.strerror})")
        return 1
    selected, fired = select(lines, part)
    lines = selected or []
    expect = args.expect
    if expect == "lockdep":  # whichever of the two reports lockdep chose
        expect = next((k for k in LOCKDEP_KINDS if find_report(lines, k)), "recursive")
    if selected is not None:
        fired += judge(lines, expect, args.expect_lock, part)
    ours, others = kmemleak_suspects(lines)
    if others and not args.quiet:
        print(f"verdict: note: {len(others)} kmemleak suspect(s) not attributed to vi915 (not judged)")
    if not fired:
        if not args.quiet:
            what = f"expected {expect} report seen" if expect else "clean"
            where = f" segment {args.segment}" if args.segment else " outside segments" if part else ""
            print(f"verdict: PASS ({what}) {args.log}{where}")
        return 0
    print(f"verdict: FAIL {args.log}")
    for name, hits in fired:
        print(f"  rule {name}:")
        for l in hits[:25]:
            print(f"    | {strip_ts(l)}")
        if len(hits) > 25:
            print(f"    | ... {len(hits) - 25} more")
    return 1


if __name__ == "__main__":
    sys.exit(main())
