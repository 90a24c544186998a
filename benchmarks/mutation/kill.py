"""The killer of one mutant: fast tests, then the quick ledger of the chapters the module serves.

cosmic-ray runs this as its test command with the mutant written into the library file; a
non-zero exit kills the mutant.

    python benchmarks/mutation/kill.py --module PATH --chapters 4 5 --tests tests/test_x.py ...

1. ``pytest -x -q -p no:cacheprovider`` on the module's test files and the module's own doctests
   (cheap: most mutants die here);
2. the claims of the chapters, quick mode, exactly as ``rbmphys verify --quick --chapter N`` runs
   them (``run_claims``; a crashing claim is a failed claim), in the same process; with
   ``--claims`` only the claims named (run.py passes those of the chapters that execute the
   module, from ``claim_map.json``: a claim that never calls into the module cannot kill it).

The experiment disk cache is switched off (``RBMPHYS_NO_CACHE=1``: joblib keys it on the
experiment's own source, not on the library's, so a cached result would hide a mutant), sweeps,
BLAS and numba use one process/thread, and numba's on-disk cache is ``$MUTATION_NUMBA_CACHE`` when set (run.py
points it at a directory of its own; numba invalidates a file's cached kernels when the file's
modification time or size changes, which every write of a mutant or of the restored original
does).  Prints which stage killed the mutant on its last line.
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


def main(argv=None):
    ap = argparse.ArgumentParser(description="kill one mutant (see the module docstring)")
    ap.add_argument("--module", required=True, help="the mutated library file (its doctests run)")
    ap.add_argument("--chapters", type=int, nargs="*", default=[])
    ap.add_argument("--claims", nargs="*", default=None,
                    help="only these claims (ids) instead of every quick claim of --chapters")
    ap.add_argument("--tests", nargs="*", default=[])
    ap.add_argument("--no-tests", action="store_true", help="ledger only")
    args = ap.parse_args(argv)

    t0 = time.perf_counter()
    if not args.no_tests:
        import pytest
        targets = list(args.tests) + [args.module]
        rc = pytest.main(["-x", "-q", "-p", "no:cacheprovider", "--doctest-modules",
                          "-W", "ignore::pytest.PytestUnraisableExceptionWarning", *targets])
        if rc != 0:
            print(f"KILLED-BY tests (pytest exit {int(rc)}) after {time.perf_counter() - t0:.1f} s")
            return 1
    t1 = time.perf_counter()
    if args.claims is not None:
        ids = list(args.claims)
    elif args.chapters:
        from rbmphys.verify import load_all, registry
        load_all(sorted(set(args.chapters)))
        ids = [c.id for c in sorted(registry.values(), key=lambda c: (c.chapter, c.id))
               if c.chapter in args.chapters and not c.slow]
        if not ids:
            print("KILLED-BY ledger (no claims in the chapters: a misconfiguration)")
            return 1
    else:
        ids = []
    if ids:
        from rbmphys.verify import get_claim
        for i, cid in enumerate(ids):      # stop at the first failed claim (like pytest -x)
            r = get_claim(cid).run(True)
            print(r.line(), flush=True)
            if not r.passed:
                print(f"KILLED-BY ledger ({cid} failed; claim {i + 1} of {len(ids)}) after "
                      f"{time.perf_counter() - t0:.1f} s")
                return 1
    print(f"SURVIVED tests {t1 - t0:.1f} s, ledger ({len(ids)} claims) "
          f"{time.perf_counter() - t1:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
