"""Wall-clock and CPU time of the FULL ledger (``rbmphys verify --chapter N`` without --quick).

One subprocess per chapter (``rbmphys verify --chapter N --json ...``), each with an empty
experiment cache (``RBMPHYS_CACHE`` set to a fresh temporary directory) so that what is timed
is what a reader pays the first time; numba kernels are assumed compiled (run a quick ledger
first).  Prints a markdown table: chapter, claims, passed, wall s, CPU s (children's user +
system), and the 1-minute load average before and after the run.

It is a measurement, not a test: the numbers depend on the machine and on what else runs.

Usage (repository root)::

    python benchmarks/full_ledger.py --chapters 9 2 4 --threads 1 --timeout 1800
    python benchmarks/full_ledger.py --per-claim --chapters 9    # one subprocess per claim
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time


def _env(threads, cache):
    env = dict(os.environ, RBMPHYS_CACHE=cache, MPLBACKEND="Agg")
    if threads is not None:
        for k in ("OPENBLAS_NUM_THREADS", "NUMBA_NUM_THREADS", "OMP_NUM_THREADS"):
            env[k] = str(threads)
        env.setdefault("RBMPHYS_JOBS", str(threads))
    return env


def _timed(cmd, env, timeout):
    r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    load0 = os.getloadavg()[0]
    t0 = time.perf_counter()
    try:
        p = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=timeout)
        out, rc = p.stdout + p.stderr, p.returncode
    except subprocess.TimeoutExpired as exc:
        out, rc = (exc.stdout or b"").decode() if isinstance(exc.stdout, bytes) else \
            (exc.stdout or ""), "timeout"
    wall = time.perf_counter() - t0
    r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime)
    return out, rc, wall, cpu, (load0, os.getloadavg()[0])


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--chapters", type=int, nargs="+", default=list(range(1, 10)))
    ap.add_argument("--threads", type=int, default=None)
    ap.add_argument("--timeout", type=float, default=3600.0)
    ap.add_argument("--per-claim", action="store_true",
                    help="one subprocess per claim (shared cache within the chapter)")
    ap.add_argument("--claims", nargs="*", default=None, help="only these claim ids")
    args = ap.parse_args(argv)
    rows = []
    for ch in args.chapters:
        cache = tempfile.mkdtemp(prefix=f"rbmphys_full_ch{ch:02d}_")
        env = _env(args.threads, cache)
        if not args.per_claim:
            js = os.path.join(cache, "ledger.json")
            out, rc, wall, cpu, load = _timed(
                [sys.executable, "-m", "rbmphys", "verify", "--chapter", str(ch), "--json", js],
                env, args.timeout)
            print(out, flush=True)
            try:
                with open(js) as f:
                    res = json.load(f)
                res = res if isinstance(res, list) else res.get("claims", res)
                n, ok = len(res), sum(bool(r["passed"]) for r in res)
            except (OSError, ValueError, KeyError, TypeError):
                n, ok = "?", "?"
            rows.append((ch, n, ok, wall, cpu, load, rc))
            continue
        from rbmphys.verify._registry import load_all, registry
        load_all([ch])
        ids = sorted(c.id for c in registry.values() if c.chapter == ch)
        for cid in ids:
            if args.claims and cid not in args.claims:
                continue
            code = ("from rbmphys.verify._registry import check; import sys; "
                    f"sys.exit(0 if check({cid!r}, quick=False).passed else 1)")
            out, rc, wall, cpu, load = _timed([sys.executable, "-c", code], env, args.timeout)
            print(f"[{wall:7.1f} s wall {cpu:7.1f} s cpu rc={rc}] {out.strip()[-600:]}",
                  flush=True)
    if rows:
        print("\n| chapter | claims | passed | wall s | CPU s | load (1 min) before → after |")
        print("|---|---|---|---|---|---|")
        for ch, n, ok, wall, cpu, (l0, l1), rc in rows:
            note = "" if rc in (0, 1) else f" ({rc})"
            print(f"| {ch} | {n} | {ok}{note} | {wall:.0f} | {cpu:.0f} | {l0:.2f} → {l1:.2f} |")


if __name__ == "__main__":
    main()
