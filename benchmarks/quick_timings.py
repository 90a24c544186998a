"""Wall-clock time of every ``rbmphys run chNN --quick`` and of ``rbmphys verify --quick``.

The book promises that a quick run is quick: each chapter in at most 60 s and the whole ledger in
at most 120 s on a 2-core machine.  This script measures that promise, one subprocess per run
(so that every run pays its own imports and nothing is shared in memory), and prints a table.
It is a measurement, not a test: the numbers depend on the machine and on what else runs on it.

Each run gets an empty experiment cache (``RBMPHYS_CACHE`` set to a fresh temporary
directory), so nothing a previous run computed is reused: what is timed is what a reader pays
the first time.  The numba kernels are compiled once by a warm-up run before the timings (they
are cached beside the package, as a reader's second run finds them); ``--no-warmup`` skips it.

Usage (from the repository root, with rbmphys installed)::

    python benchmarks/quick_timings.py                    # all chapters, then verify --quick
    python benchmarks/quick_timings.py --chapters 2 9     # some chapters, no verify
    python benchmarks/quick_timings.py --threads 1 --json timings.json --markdown

Options: ``--figures DIR`` keeps each chapter's figures in ``DIR/chNN``; ``--threads N`` sets ``OPENBLAS_NUM_THREADS`` and ``NUMBA_NUM_THREADS`` of the runs
(default: leave the environment alone); ``--no-verify`` skips the ledger; ``--timeout S`` stops
a run after S seconds (it is reported as a timeout, not as a time).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import signal
import subprocess
import sys
import tempfile
import time

LIMIT_CHAPTER_S = 60.0
LIMIT_VERIFY_S = 120.0


def _env(threads, cache_dir):
    env = dict(os.environ)
    env["RBMPHYS_CACHE"] = cache_dir
    env.setdefault("MPLBACKEND", "Agg")
    if threads is not None:
        env["OPENBLAS_NUM_THREADS"] = str(threads)
        env["NUMBA_NUM_THREADS"] = str(threads)
        env["OMP_NUM_THREADS"] = str(threads)
    return env


def time_command(args, *, threads=None, timeout=900.0, figures=None):
    """Run ``python -m rbmphys <args>`` in a fresh process with an empty cache; return
    ``(seconds, cpu_seconds, returncode, last line of output)``; ``seconds`` is ``None`` on a
    timeout.  ``cpu_seconds`` is the user + system time of the child: on a busy shared machine
    it is the better estimate of what the run costs an idle one (with one thread per run the
    two agree when the machine is idle)."""
    with tempfile.TemporaryDirectory(prefix="rbmphys_timing_") as tmp:
        cmd = [sys.executable, "-m", "rbmphys", *args]
        if args[0] == "run":
            cmd += ["--outdir", figures or os.path.join(tmp, "figures")]
        t0 = time.perf_counter()
        r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
        # own session, so that a timeout also stops the run's worker processes
        p = subprocess.Popen(cmd, env=_env(threads, os.path.join(tmp, "cache")),
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                             start_new_session=True)
        try:
            out, err = p.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(p.pid, signal.SIGKILL)
            p.communicate()
            return None, None, None, f"timed out after {timeout:.0f} s"
        dt = time.perf_counter() - t0
        r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime)
    lines = [ln for ln in (out + err).splitlines() if ln.strip()]
    return dt, cpu, p.returncode, (lines[-1] if lines else "")


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--chapters", type=int, nargs="*", default=None,
                    help="chapter numbers (default: 1-9 and then verify --quick)")
    ap.add_argument("--threads", type=int, default=None,
                    help="BLAS and numba threads of the runs (default: environment)")
    ap.add_argument("--no-verify", action="store_true", help="skip rbmphys verify --quick")
    ap.add_argument("--no-warmup", action="store_true", help="skip the numba warm-up run")
    ap.add_argument("--timeout", type=float, default=900.0, help="seconds per run (900)")
    ap.add_argument("--json", default=None, help="write the results to this JSON file")
    ap.add_argument("--figures", default=None,
                    help="keep each chapter's figures in FIGURES/chNN (default: discarded)")
    ap.add_argument("--markdown", action="store_true", help="print the table as markdown")
    a = ap.parse_args(argv)
    chapters = list(range(1, 10)) if a.chapters is None else a.chapters
    do_verify = not a.no_verify and a.chapters is None

    print(f"# quick timings: {platform.node()}, {os.cpu_count()} cores, python "
          f"{platform.python_version()}, threads {a.threads or 'from environment'}, "
          f"load average {os.getloadavg()[0]:.1f}", flush=True)
    if not a.no_warmup:
        dt, _, rc, _ = time_command(["run", "ch01", "--quick"], threads=a.threads, timeout=a.timeout)
        print(f"(warm-up, compiles the numba kernels: {dt if dt is None else round(dt, 1)} s)",
              flush=True)
    rows = []
    jobs = [(f"ch{n:02d}", ["run", f"ch{n:02d}", "--quick"], LIMIT_CHAPTER_S) for n in chapters]
    if do_verify:
        jobs.append(("verify", ["verify", "--quick"], LIMIT_VERIFY_S))
    for name, args, limit in jobs:
        load = os.getloadavg()[0]
        figs = os.path.join(a.figures, name) if a.figures and args[0] == "run" else None
        dt, cpu, rc, tail = time_command(args, threads=a.threads, timeout=a.timeout,
                                         figures=figs)
        ok = dt is not None and rc == 0 and dt <= limit
        rows.append({"run": name, "seconds": dt, "cpu_seconds": cpu, "returncode": rc,
                     "limit_s": limit,
                     "within_limit": ok, "load_before": load, "last_line": tail})
        shown = "timeout" if dt is None else f"{dt:7.1f} s wall, {cpu:7.1f} s cpu"
        print(f"{name:>7s}  {shown}  (limit {limit:.0f} s, load {load:.1f}, rc {rc})  "
              f"{'ok' if ok else 'OVER / FAILED'}  | {tail[:70]}", flush=True)
    if a.markdown:
        print("\n| run | quick, wall (s) | quick, cpu (s) | limit (s) |\n|---|---|---|---|")
        for r in rows:
            s = "timeout" if r["seconds"] is None else f"{r['seconds']:.0f}"
            c = "–" if r["cpu_seconds"] is None else f"{r['cpu_seconds']:.0f}"
            print(f"| {r['run']} | {s} | {c} | {r['limit_s']:.0f} |")
    if a.json:
        with open(a.json, "w") as fh:
            json.dump({"node": platform.node(), "cores": os.cpu_count(), "threads": a.threads,
                       "rows": rows}, fh, indent=1)
    return 0 if all(r["within_limit"] for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
