#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""IGT runner results: extract them from the guest, merge shards, judge them.

    igt-judge.py extract SERIAL_LOG OUTDIR
        unpack every results directory the guest sent on its second serial
        port (guest-init.sh send_results) into OUTDIR/<name>/
    igt-judge.py merge OUT.json RESULTS.json...
        one report from the shards' results.json files (tests, totals)
    igt-judge.py judge RESULTS.json TESTLIST [--expect PREFIX] [--label L]
        compare every result with the expectations PREFIX-fails.txt,
        PREFIX-skips.txt, PREFIX-flakes.txt (DRM CI style: "igt@bin@sub,Status"
        with a "# reason"; flakes may be regexes); without --expect, pass and
        skip are fine and anything else fails. Every entry of TESTLIST must
        have a result. Prints one line per unexpected result and a summary
        line "<label>: N passed, N failed, N skipped (...)"; exit 1 if any
        result differs from the expectations, an unexpected pass included.

    igt-judge.py why RESULTS.json
        for every result that is not a pass, its status and the first lines
        that say why (IGT's requirement / assertion messages), grouped by
        that reason: the starting point for writing expectations

dmesg-warn / dmesg-fail (the runner saw a kernel warning while the test ran)
can never be expected: they always fail, as in Intel CI.
"""

import base64
import gzip
import io
import json
import os
import re
import sys
import tarfile

# results.json result -> DRM CI status word
STATUS = {
    "pass": "Pass", "fail": "Fail", "skip": "Skip", "crash": "Crash",
    # incomplete: the test died without its result line (an abort, a signal),
    # which deqp-runner's igt-runner also reports as Crash.
    "timeout": "Timeout", "incomplete": "Crash", "dmesg-warn": "DmesgWarn",
    "dmesg-fail": "DmesgFail", "warn": "Warn", "abort": "Abort", "notrun": "NotRun",
}
# Warn: a pass the runner demoted because the test wrote to stderr.
EXPECTABLE = {"Fail", "Crash", "Timeout", "Warn", "Skip"}


def extract(serial, outdir):
    with open(serial, "rb") as f:
        text = f.read().decode("ascii", "replace").replace("\r", "")
    found = 0
    for m in re.finditer(r"VI915-RESULTS-BEGIN (\S+)\n(.*?)VI915-RESULTS-END \1", text, re.S):
        data = gzip.decompress(base64.b64decode("".join(m.group(2).split())))
        os.makedirs(outdir, exist_ok=True)
        with tarfile.open(fileobj=io.BytesIO(data)) as tar:
            try:
                tar.extractall(outdir, filter="data")
            except TypeError:  # a Python without extraction filters
                tar.extractall(outdir)
        print(f"igt-judge: results '{m.group(1)}' -> {outdir}/{m.group(1)}")
        found += 1
    if not found:
        print(f"igt-judge: no results in {serial}", file=sys.stderr)
        return 1
    return 0


def merge(out, inputs):
    merged = None
    for path in inputs:
        with open(path) as f:
            r = json.load(f)
        if merged is None:
            merged = r
            merged["name"] = f"merged from {len(inputs)} shards"
            continue
        merged["tests"].update(r["tests"])
        for k, v in r.get("totals", {}).get("root", {}).items():
            root = merged.setdefault("totals", {}).setdefault("root", {})
            root[k] = root.get(k, 0) + v
    with open(out, "w") as f:
        json.dump(merged, f, indent=1)
    print(f"igt-judge: {len(merged['tests'])} results from {len(inputs)} shards -> {out}")
    return 0


def load_expectations(prefix):
    exact, regexes = {}, []
    if not prefix:
        return exact, regexes
    for kind in ("fails", "skips", "flakes"):
        path = f"{prefix}-{kind}.txt"
        if not os.path.exists(path):
            continue
        reason = ""
        with open(path) as f:
            for n, raw in enumerate(f, 1):
                line = raw.strip()
                if line.startswith("#"):
                    reason = line.lstrip("# ")
                    continue
                if not line:
                    continue
                body, _, comment = line.partition("#")
                body = body.strip()
                why = comment.strip() or reason
                if not why:
                    raise SystemExit(f"{path}:{n}: expectation without a '# reason'")
                if kind == "flakes":
                    regexes.append((re.compile(body + "$"), "Flake", why))
                    continue
                name, _, status = body.partition(",")
                status = status.strip() or ("Skip" if kind == "skips" else "Fail")
                if status not in EXPECTABLE:
                    raise SystemExit(f"{path}:{n}: status {status} cannot be expected")
                exact[name.strip()] = (status, why)
    return exact, regexes


def listed(testlist):
    names = []
    with open(testlist) as f:
        for line in f:
            line = line.split("#", 1)[0].strip()
            if line.startswith("igt@"):
                names.append(line.lower())
    return names


def judge(results, testlist, prefix, label):
    with open(results) as f:
        tests = json.load(f)["tests"]
    exact, regexes = load_expectations(prefix)
    counts = {"pass": 0, "fail": 0, "skip": 0, "xfail": 0}
    bad = []
    for name in listed(testlist):
        if name not in tests and not any(t.startswith(name + "@") for t in tests):
            bad.append(f"{name}: no result (expected {exact.get(name, ('Pass',))[0]})")
            counts["fail"] += 1
    for name in sorted(tests):
        if name == "igt@runner@aborted":
            bad.append(f"{name}: the runner aborted")
            counts["fail"] += 1
            continue
        got = STATUS.get(tests[name]["result"], tests[name]["result"])
        flake = next((why for rx, _, why in regexes if rx.match(name)), None)
        want, why = exact.get(name, (None, None))
        if got in ("DmesgWarn", "DmesgFail"):
            bad.append(f"{name}: {got} (the kernel warned while it ran)")
            counts["fail"] += 1
        elif flake is not None and got in ("Pass", "Fail", "Skip", "Timeout", "Crash", "Warn"):
            counts["pass" if got == "Pass" else "xfail"] += 1
        elif prefix is None:
            if got == "Pass":
                counts["pass"] += 1
            elif got == "Skip":
                counts["skip"] += 1
            else:
                bad.append(f"{name}: {got}")
                counts["fail"] += 1
        elif want is None and got == "Pass":
            counts["pass"] += 1
        elif want == got:
            counts["skip" if got == "Skip" else "xfail"] += 1
        elif want is None:
            bad.append(f"{name}: {got}, expected Pass")
            counts["fail"] += 1
        else:
            word = "UnexpectedPass" if got == "Pass" else got
            bad.append(f"{name}: {word}, expected {want} ({why})")
            counts["fail"] += 1
    for line in bad:
        name = line.split(":", 1)[0]
        said = first_reason(tests[name]) if name in tests and "UnexpectedPass" not in line else ""
        print(f"  unexpected: {line}" + (f" [{said}]" if said else ""))
    print(f"{label}: {counts['pass']} passed, {counts['fail']} failed, {counts['skip']} skipped"
          f" ({counts['xfail']} expected failures, {len(tests)} results)")
    return 1 if counts["fail"] else 0


WHY = re.compile(r"Test requirement: .*|Failed assertion: .*|error: .*|Received signal \w+|"
                 r"Unknown subtest.*|Per-test timeout.*|FAIL: .*")


def first_reason(test):
    """What a failed test said first (its assertion, the own harness's FAIL line: a
    fuzzer's names its seed), so a summary that keeps only the tail still tells."""
    found = WHY.search(test.get("out", "") + "\n" + test.get("err", ""))
    return found.group(0).strip()[:300] if found else ""


def why(results):
    with open(results) as f:
        tests = json.load(f)["tests"]
    groups = {}
    for name in sorted(tests):
        t = tests[name]
        if t["result"] == "pass":
            continue
        text = t.get("out", "") + "\n" + t.get("err", "")
        found = WHY.findall(text)
        reason = " / ".join(dict.fromkeys(x.strip() for x in found[:3])) or "(no message)"
        groups.setdefault(reason, []).append(f"{name},{STATUS.get(t['result'], t['result'])}")
    for reason, names in sorted(groups.items(), key=lambda kv: -len(kv[1])):
        print(f"# {len(names)}: {reason[:300]}")
        for n in names:
            print(n)
    return 0


def main(argv):
    if len(argv) >= 4 and argv[1] == "extract":
        return extract(argv[2], argv[3])
    if len(argv) == 3 and argv[1] == "why":
        return why(argv[2])
    if len(argv) >= 4 and argv[1] == "merge":
        return merge(argv[2], argv[3:])
    if len(argv) >= 4 and argv[1] == "judge":
        prefix, label, rest = None, "igt", argv[4:]
        while rest:
            if rest[0] == "--expect" and len(rest) > 1:
                prefix, rest = rest[1], rest[2:]
            elif rest[0] == "--label" and len(rest) > 1:
                label, rest = rest[1], rest[2:]
            else:
                raise SystemExit(__doc__)
        return judge(argv[2], argv[3], prefix, label)
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
