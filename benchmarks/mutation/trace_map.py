"""Which claims of the quick ledger execute which mutated modules (the module -> claims map).

For each chapter, a fresh interpreter runs ``rbmphys verify --quick --chapter N`` (through
``run_claims``) under a profile hook that records every Python function called in one of the
modules listed in ``modules.toml``; the result says which chapters' ledgers can possibly kill a
mutant of each module.  Numba kernels are reached through their Python wrappers in the same file,
so a kernel file shows up whenever its kernels run.

    python benchmarks/mutation/trace_map.py [--chapters 1 2 ... 9] [--json PATH]

Prints, per module, the chapters whose ledger calls it and how many distinct functions it
reached; ``modules.toml`` records the chapters chosen from this output (reviewed by hand).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]

_CHILD = r"""
import json, os, sys, time
targets = {os.path.realpath(p): p for p in json.loads(sys.argv[2])}
seen = None
known = {}
def hook(frame, event, arg):
    if event == "call":
        fn = frame.f_code.co_filename
        t = known.get(fn, 0)
        if t == 0:
            t = known[fn] = targets.get(os.path.realpath(fn))
        if t is not None:
            seen.setdefault(t, set()).add(frame.f_code.co_name)
from rbmphys.verify import load_all, registry
ch = int(sys.argv[1])
load_all([ch])
out = {}
for c in sorted(registry.values(), key=lambda c: c.id):
    if c.chapter != ch or c.slow:
        continue
    seen = {}
    t0 = time.perf_counter()
    sys.setprofile(hook)
    r = c.run(True)
    sys.setprofile(None)
    out[c.id] = {"passed": bool(r.passed), "seconds": round(time.perf_counter() - t0, 2),
                 "seen": {k: sorted(v) for k, v in seen.items()}}
    print(c.id, out[c.id]["passed"], out[c.id]["seconds"], file=sys.stderr, flush=True)
print("@@" + json.dumps(out))
"""


def load_modules():
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        import tomli as tomllib
    with open(HERE / "modules.toml", "rb") as fh:
        return tomllib.load(fh)["module"]


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--chapters", type=int, nargs="+", default=list(range(3, 10)))
    ap.add_argument("--json", default=None)
    ap.add_argument("--merge", action="store_true",
                    help="keep the other chapters' claims already in --json, replace these")
    args = ap.parse_args(argv)
    # numba dispatchers are called from C, so a kernel file's claims are those that call the
    # Python function that calls its kernels (`traced-via` in modules.toml); trace those too
    paths = sorted({str(ROOT / p) for m in load_modules()
                    for p in [m["path"], *m.get("traced-via", [])]})
    # RBMPHYS_JOBS=1: sweeps run in this process, where the profile hook sees them
    env = dict(os.environ, RBMPHYS_NO_CACHE="1", OPENBLAS_NUM_THREADS="1", NUMBA_NUM_THREADS="1",
               RBMPHYS_JOBS="1")
    claims = {}
    if args.merge and args.json and Path(args.json).exists():
        claims = {c: r for c, r in json.loads(Path(args.json).read_text())["claims"].items()
                  if int(c.split(".")[0][2:]) not in args.chapters}
    for ch in args.chapters:
        p = subprocess.run([sys.executable, "-c", _CHILD, str(ch), json.dumps(paths)], cwd=ROOT,
                           env=env, capture_output=True, text=True)
        line = [ln for ln in p.stdout.splitlines() if ln.startswith("@@")]
        if p.returncode or not line:
            print(f"chapter {ch}: tracing failed\n{p.stderr[-2000:]}", file=sys.stderr)
            return 1
        got = json.loads(line[0][2:])
        claims.update(got)
        print(f"chapter {ch}: {sum(r['passed'] for r in got.values())}/{len(got)} claims passed, "
              f"{sum(r['seconds'] for r in got.values()):.0f} s (traced)", flush=True)
    # paths are stored relative to the repository root; a merged entry traced in another
    # checkout (an absolute path there) is mapped back by its repository-relative tail
    rels = sorted({p for m in load_modules() for p in [m["path"], *m.get("traced-via", [])]})
    per_module = {}
    for cid, r in claims.items():
        seen = {}
        for path, funcs in r["seen"].items():
            rel = next((m for m in rels if path == m or path.endswith("/" + m)),
                       os.path.relpath(path, ROOT))
            seen[rel] = sorted(set(seen.get(rel, [])) | set(funcs))
        r["seen"] = seen
        for rel, funcs in seen.items():
            per_module.setdefault(rel, {})[cid] = len(funcs)
    for m in load_modules():
        hits = per_module.get(m["path"], {})
        chs = sorted({int(c.split(".")[0][2:]) for c in hits})
        secs = sum(claims[c]["seconds"] for c in hits)
        print(f"{m['path']:<36s} chapters {chs}  {len(hits)} claims, {secs:.0f} s: "
              + ", ".join(sorted(hits)))
    if args.json:
        Path(args.json).write_text(json.dumps({"claims": claims, "per_module": per_module},
                                              indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
