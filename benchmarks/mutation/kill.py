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

The experiment disk cache is switched off (``RBMPHYS_NO_CACHE=1``: it is keyed on the
library's source, so a mutant would only fill it with entries nobody reads again), sweeps,
BLAS and numba use one process/thread, and numba's on-disk cache is ``$MUTATION_NUMBA_CACHE`` when set (run.py
points it at a directory of its own; numba invalidates a file's cached kernels when the file's
modification time or size changes, which every write of a mutant or of the restored original
does).  With ``--original`` (the unmutated copy run.py keeps) and ``--claim-map``, the ledger
runs only the traced claims that called the function holding the mutated line (a claim that
never calls it cannot see the mutant; a mutant at module or class level, in a decorator or in a
numba kernel, invisible to the tracer, keeps every traced claim).  With ``--ledger-first`` the claims run before the tests (run.py passes it for modules
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


_MARKER = "(from the earlier per-module map)"


def mutated_functions(module, original):
    """Names of the innermost functions holding the lines where ``module`` (the mutant on disk)
    differs from ``original``; None when a changed line is not inside a plain Python function
    (module or class level, a decorator, a numba kernel, or no difference at all): then every
    traced claim can be affected."""
    import ast
    import difflib
    from pathlib import Path
    old = Path(original).read_text().splitlines()
    new = Path(module).read_text().splitlines()
    lines = set()
    for tag, i1, i2, _, _ in difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if tag != "equal":
            lines |= set(range(i1 + 1, max(i2, i1 + 1) + 1)) if tag == "insert" else \
                set(range(i1 + 1, i2 + 1))
    if not lines:
        return None
    tree = ast.parse("\n".join(old))
    funcs = [n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))]
    names = set()
    for ln in lines:
        inner = [f for f in funcs if f.lineno <= ln <= f.end_lineno]
        if not inner:
            return None                      # module or class level: runs at import
        if any(ln < f.lineno for f in funcs if f.decorator_list and
               f.decorator_list[0].lineno <= ln < f.lineno):
            return None                      # a decorator line
        if any("jit" in ast.unparse(d) or "vectorize" in ast.unparse(d)
               for f in inner for d in f.decorator_list):
            return None                      # numba-compiled: invisible to the tracer
        names.add(max(inner, key=lambda f: f.lineno).name)
    return names


def select_claims(ids, module, names, claim_map):
    """The claims that called one of ``names`` in ``module`` when claim_map.json was traced (a
    claim that never calls the mutated function cannot see the mutant); claims traced only
    through another file (``traced-via``) or without function names are kept, and all are
    kept when no traced claim reached any of the names (e.g. a function newer than the
    trace)."""
    import json
    from pathlib import Path
    claims = json.loads(Path(claim_map).read_text())["claims"]
    known = {f for r in claims.values() for f in r.get("seen", {}).get(module, [])}
    if not names & known:
        return list(ids)      # a function no traced claim reached (or newer than the trace)
    keep = []
    for cid in ids:
        seen = claims.get(cid, {}).get("seen", {})
        fns = seen.get(module)
        if fns is None or _MARKER in fns or names & set(fns):
            keep.append(cid)
    return keep


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
    ap.add_argument("--original", default=None,
                    help="the unmutated copy of --module: with --claim-map, only the claims "
                         "that call the mutated function run")
    ap.add_argument("--claim-map", default=None, help="claim_map.json (see --original)")
    ap.add_argument("--ledger-first", action="store_true",
                    help="run the claims before the tests (run.py chooses this when the "
                         "module's claims took less time than its tests on the unmutated code)")
    args = ap.parse_args(argv)

    t0 = time.perf_counter()
    ids = claim_ids(args)
    if ids is None:
        print("KILLED-BY ledger (no claims in the chapters: a misconfiguration)")
        return 1
    n_traced = len(ids)
    if ids and args.original and args.claim_map:
        names = mutated_functions(args.module, args.original)
        if names is not None:
            ids = select_claims(ids, args.module, names, args.claim_map)
            print(f"ledger: {len(ids)} of {n_traced} traced claims call "
                  f"{', '.join(sorted(names))}", flush=True)
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
