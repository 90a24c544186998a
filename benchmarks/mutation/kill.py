"""The killer of one mutant: fast tests, then the quick ledger of the chapters the module serves.

cosmic-ray runs this as its test command with the mutant written into the library file; a
non-zero exit kills the mutant.

    python benchmarks/mutation/kill.py --module PATH --chapters 4 5 --tests tests/test_x.py ...

1. ``pytest -x -q -p no:cacheprovider`` on the module's own doctests, then its test files in
   the order given (run.py orders them fastest first; most mutants die here);
2. the claims of the chapters, quick mode, exactly as ``rbmphys verify --quick --chapter N`` runs
   them (``run_claims``; a crashing claim is a failed claim), in the same process; with
   ``--claims`` only the claims named (run.py passes those of the chapters that execute the
   module, from ``claim_map.json``: a claim that never calls into the module cannot kill it).

The experiment disk cache is switched off (``RBMPHYS_NO_CACHE=1``: joblib keys it on the
experiment's own source, not on the library's, so a cached result would hide a mutant), sweeps,
BLAS and numba use one process/thread, and numba's on-disk cache is ``$MUTATION_NUMBA_CACHE`` when set (run.py
points it at a directory of its own; numba invalidates a file's cached kernels when the file's
modification time or size changes, which every write of a mutant or of the restored original
does).  With ``--ledger-first`` the claims run before the tests (run.py passes it for modules
whose traced claims are cheaper than their tests).  Prints which stage killed the mutant on its last line.
"""

from __future__ import annotations

import os
import sys

os.environ["RBMPHYS_NO_CACHE"] = "1"
os.environ["RBMPHYS_JOBS"] = "1"         # sweeps serial: one mutant, one core
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("NUMBA_NUM_THREADS", "1")
os.environ.setdefault("MPLBACKEND", "Agg")
if os.environ.get("MUTATION_NUMBA_CACHE"):
    os.environ["NUMBA_CACHE_DIR"] = os.environ["MUTATION_NUMBA_CACHE"]

import argparse  # noqa: E402
import time  # noqa: E402


def run_tests(args):
    """pytest -x on the module's doctests first (cheapest), then its test files; True = pass."""
    import pytest
    targets = [args.module] + list(args.tests)
    rc = pytest.main(["-x", "-q", "-p", "no:cacheprovider", "--doctest-modules",
                      "-W", "ignore::pytest.PytestUnraisableExceptionWarning", *targets])
    return rc in (0, 5), rc          # 5: nothing collected (a module without doctests)


def claim_ids(args):
    if args.claims is not None:
        return list(args.claims)
    if args.chapters:
        from rbmphys.verify import load_all, registry
        load_all(sorted(set(args.chapters)))
        ids = [c.id for c in sorted(registry.values(), key=lambda c: (c.chapter, c.id))
               if c.chapter in args.chapters and not c.slow]
        return ids if ids else None       # None: no claims in the chapters (misconfiguration)
    return []


def run_ledger(ids, t0):
    """The claims in order, stopping at the first failure; the failing id or None."""
    from rbmphys.verify import get_claim
    for i, cid in enumerate(ids):          # stop at the first failed claim (like pytest -x)
        r = get_claim(cid).run(True)
        print(r.line(), flush=True)
        if not r.passed:
            return f"{cid} failed; claim {i + 1} of {len(ids)}"
    return None


def main(argv=None):
    ap = argparse.ArgumentParser(description="kill one mutant (see the module docstring)")
    ap.add_argument("--module", required=True, help="the mutated library file (its doctests run)")
    ap.add_argument("--chapters", type=int, nargs="*", default=[])
    ap.add_argument("--claims", nargs="*", default=None,
                    help="only these claims (ids) instead of every quick claim of --chapters")
    ap.add_argument("--tests", nargs="*", default=[])
    ap.add_argument("--no-tests", action="store_true", help="ledger only")
    ap.add_argument("--ledger-first", action="store_true",
                    help="run the claims before the tests (run.py chooses this when the "
                         "module's claims took less time than its tests on the unmutated code)")
    args = ap.parse_args(argv)

    t0 = time.perf_counter()
    ids = claim_ids(args)
    if ids is None:
        print("KILLED-BY ledger (no claims in the chapters: a misconfiguration)")
        return 1
    stages = ["ledger", "tests"] if args.ledger_first else ["tests", "ledger"]
    spent = {}
    for stage in stages:
        ts = time.perf_counter()
        if stage == "tests" and not args.no_tests:
            ok, rc = run_tests(args)
            if not ok:
                print(f"KILLED-BY tests (pytest exit {int(rc)}) after "
                      f"{time.perf_counter() - t0:.1f} s")
                return 1
        elif stage == "ledger" and ids:
            failed = run_ledger(ids, t0)
            if failed:
                print(f"KILLED-BY ledger ({failed}) after {time.perf_counter() - t0:.1f} s")
                return 1
        spent[stage] = time.perf_counter() - ts
    print(f"SURVIVED tests {spent.get('tests', 0.0):.1f} s, ledger ({len(ids)} claims) "
          f"{spent.get('ledger', 0.0):.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
