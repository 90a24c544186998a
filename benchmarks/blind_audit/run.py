"""Blind bug audit of the book's ledger: does ``rbmphys verify --quick --chapter N`` catch
realistic one-line bugs in the library code that chapter relies on?

The bugs (``bugs.toml`` next to this file) were written without reading the ledger's claims,
its experiments, the tests or the mutation benchmark.  For each bug this script checks that
the original line occurs exactly once in its file, writes the bugged file, runs the quick
ledger of every chapter the bug is expected to break (one subprocess each, no cache, one
thread), restores the file (always), and records the bug as *caught* when any of those runs
exits non-zero or prints a failing claim.  Before the bugs it runs the unbugged ledgers of all
the chapters involved and aborts unless they pass.

Usage::

    python benchmarks/blind_audit/run.py               # all bugs
    python benchmarks/blind_audit/run.py --only ID ...  # some of them

Writes ``results.json`` next to this file (merged by bug id when ``--only`` is given) and
prints a table.
"""
from __future__ import annotations

import argparse
import collections
import json
import os
import re
import signal
import subprocess
import sys
import time
import tomllib
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
RESULTS = HERE / "results.json"
ENV = {"RBMPHYS_NO_CACHE": "1", "RBMPHYS_JOBS": "1", "OPENBLAS_NUM_THREADS": "1",
       "NUMBA_NUM_THREADS": "1", "MPLBACKEND": "Agg"}
CLAIM_LINE = re.compile(r"^\s*([A-Z]+)\s+(ch\d\d\.[\w.\-]+)")
SUMMARY = re.compile(r"(\d+) passed, (\d+) failed")


def load_bugs():
    with open(HERE / "bugs.toml", "rb") as f:
        bugs = tomllib.load(f)["bug"]
    ids = [b["id"] for b in bugs]
    dup = [i for i, n in collections.Counter(ids).items() if n > 1]
    if dup:
        raise SystemExit(f"duplicate bug ids in bugs.toml: {dup}")
    return bugs


def run_ledger(chapter, timeout):
    """One quick ledger of one chapter in a subprocess: (rc, failing claim names, seconds,
    summary line, output tail)."""
    env = dict(os.environ, **ENV)
    cmd = [sys.executable, "-m", "rbmphys", "verify", "--quick", "--chapter", str(chapter)]
    t0 = time.time()
    try:
        p = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True,
                           timeout=timeout)
        rc, out = p.returncode, p.stdout + p.stderr
    except subprocess.TimeoutExpired as exc:
        rc = "timeout"
        out = ((exc.stdout or b"").decode(errors="replace") if isinstance(exc.stdout, bytes)
               else (exc.stdout or "")) + "\n[timed out]"
    failing = []
    for line in out.splitlines():
        m = CLAIM_LINE.match(line)
        if m and m.group(1) not in ("PASS", "SKIP", "SKIPPED"):
            failing.append(m.group(2))
    summ = SUMMARY.findall(out)
    summary = f"{summ[-1][0]} passed, {summ[-1][1]} failed" if summ else None
    return rc, failing, time.time() - t0, summary, out[-1500:]


def check_original(bug):
    path = ROOT / bug["file"]
    text = path.read_text()
    lines = text.split("\n")
    n = sum(line == bug["original"] for line in lines)
    if n != 1:
        raise SystemExit(f"bug {bug['id']}: the original line occurs {n} times in "
                         f"{bug['file']} (must be exactly once):\n  {bug['original']!r}")
    if bug["replacement"] == bug["original"]:
        raise SystemExit(f"bug {bug['id']}: replacement equals the original")
    return path, text, lines


def plant_and_run(bug, timeout):
    path, text, lines = check_original(bug)
    bugged = "\n".join(bug["replacement"] if line == bug["original"] else line
                       for line in lines)
    per_chapter = {}
    try:
        path.write_text(bugged)
        for ch in bug["chapters"]:
            rc, failing, secs, summary, tail = run_ledger(ch, timeout)
            caught = rc != 0 or bool(failing)
            per_chapter[str(ch)] = {"rc": rc, "caught": caught, "failing": failing,
                                    "seconds": round(secs, 1), "summary": summary,
                                    "tail": None if failing or rc == 0 else tail}
            print(f"  ch{ch:02d}: {'CAUGHT' if caught else 'missed'} rc={rc} "
                  f"{summary or ''} {failing} ({secs:.0f} s)", flush=True)
    finally:
        path.write_text(text)
    line_no = lines.index(bug["original"]) + 1
    return {"id": bug["id"], "file": bug["file"], "line": line_no,
            "original": bug["original"], "replacement": bug["replacement"],
            "chapters": bug["chapters"], "description": bug["description"],
            "caught": any(v["caught"] for v in per_chapter.values()),
            "per_chapter": per_chapter}


def baseline(chapters, timeout):
    print("baseline (unbugged) ledgers:", flush=True)
    out = {}
    for ch in chapters:
        rc, failing, secs, summary, tail = run_ledger(ch, timeout)
        print(f"  ch{ch:02d}: rc={rc} {summary} ({secs:.0f} s)", flush=True)
        out[str(ch)] = {"rc": rc, "summary": summary, "seconds": round(secs, 1)}
        if rc != 0 or failing:
            print(tail)
            raise SystemExit(f"the unbugged quick ledger of chapter {ch} does not pass "
                             f"(rc={rc}, failing {failing}): fix that before auditing")
    return out


def table(results):
    rows = sorted(results.values(), key=lambda r: (r["file"], r["id"]))
    print(f"\n{'id':24s} {'file:line':40s} {'ch':8s} result   failing claims")
    for r in rows:
        chs = ",".join(str(c) for c in r["chapters"])
        fails = sorted({f for v in r["per_chapter"].values() for f in v["failing"]})
        rcs = [v["rc"] for v in r["per_chapter"].values() if v["rc"] not in (0, 1)]
        extra = f" rc={rcs}" if rcs else ""
        print(f"{r['id']:24s} {r['file'] + ':' + str(r['line']):40s} {chs:8s} "
              f"{'CAUGHT' if r['caught'] else 'MISSED':8s} {', '.join(fails)}{extra}")
    n = len(rows)
    c = sum(r["caught"] for r in rows)
    print(f"\ncaught {c}/{n}")
    by_mod, by_ch = collections.defaultdict(lambda: [0, 0]), collections.defaultdict(
        lambda: [0, 0])
    for r in rows:
        by_mod[r["file"]][0] += r["caught"]
        by_mod[r["file"]][1] += 1
        for ch, v in r["per_chapter"].items():
            by_ch[int(ch)][0] += v["caught"]
            by_ch[int(ch)][1] += 1
    print("\nper chapter (bugs listed for the chapter that its quick ledger caught):")
    for ch in sorted(by_ch):
        print(f"  ch{ch:02d}: {by_ch[ch][0]}/{by_ch[ch][1]}")
    print("per module:")
    for m in sorted(by_mod):
        print(f"  {m:40s} {by_mod[m][0]}/{by_mod[m][1]}")


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--only", nargs="+", metavar="ID", help="run only these bug ids")
    ap.add_argument("--timeout", type=float, default=600.0,
                    help="seconds per ledger run (default: 600)")
    ap.add_argument("--no-baseline", action="store_true",
                    help="skip the unbugged ledgers (only after they passed in this tree)")
    args = ap.parse_args(argv)
    # SIGTERM raises SystemExit, so the `finally` that restores a bugged file still runs
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    bugs = load_bugs()
    if args.only:
        unknown = set(args.only) - {b["id"] for b in bugs}
        if unknown:
            raise SystemExit(f"unknown bug ids: {sorted(unknown)}")
        bugs = [b for b in bugs if b["id"] in args.only]
    for b in bugs:
        check_original(b)
    if subprocess.run(["git", "diff", "--quiet", "--", "rbmphys"], cwd=ROOT).returncode:
        raise SystemExit("rbmphys/ has uncommitted changes: the audit plants bugs into a "
                         "clean tree only")
    chapters = sorted({c for b in bugs for c in b["chapters"]})
    base = None if args.no_baseline else baseline(chapters, args.timeout)
    prev = json.loads(RESULTS.read_text()) if RESULTS.exists() and args.only else {}
    results = prev.get("bugs", {})
    for b in bugs:
        print(f"{b['id']} ({b['file']}): {b['description']}", flush=True)
        results[b["id"]] = plant_and_run(b, args.timeout)
        RESULTS.write_text(json.dumps({"baseline": base or prev.get("baseline"),
                                       "bugs": results}, indent=1) + "\n")
    clean = subprocess.run(["git", "diff", "--quiet", "--", "rbmphys"], cwd=ROOT).returncode
    if clean:
        raise SystemExit("the tree is not clean after the audit (git diff rbmphys/)")
    table(results)


if __name__ == "__main__":
    main()
