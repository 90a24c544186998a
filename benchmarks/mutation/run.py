"""Mutation testing of the library modules Chapters 3-9 rely on, with cosmic-ray.

    python benchmarks/mutation/run.py [--module PATH ...] [--sample N] [--seed S]
                                      [--json PATH] [--workdir DIR] [--report-only]
                                      [--config FILE] [--no-baseline]

For each module of ``modules.toml`` (or those given with ``--module``):

1. runs the killer (``kill.py``: the module's fast tests and doctests, then the quick ledger of
   the chapters it serves; for each mutant only the traced claims that call the mutated
   function) on the unmutated code: it must pass, and its wall time sets the per-mutant
   timeout (``timeout-factor`` x that time, at least ``timeout-min`` seconds);
2. ``cosmic-ray init`` enumerates every mutant of the file into a sqlite session,
   ``cr-filter-operators`` drops the excluded operators, items that are no mutants are dropped
   (a mutated file that does not compile, the bare ``*`` of a signature: ``drop_non_mutants``),
   and with ``--sample N`` all but N mutants (chosen by ``--seed``) are marked skipped;
3. ``cosmic-ray exec`` runs the killer once per mutant, one at a time, with the mutant written
   into the file (cosmic-ray restores the original after each);
4. prints mutants run, killed, survived, timed out, the score, and each survivor as
   ``file:line  original -> mutant``, and writes the JSON report (``--json``, default
   ``<workdir>/report.json``).

Score = killed / (run - equivalent - incompetent).  A survivor that is an equivalent mutant (no
test can tell it from the original) is listed in ``equivalent.toml`` with its reason and leaves
the denominator.  Timed-out mutants count as killed (cosmic-ray's convention: an infinite loop is
a detected bug) and are counted separately.

Safety: the run refuses to start when a target file has uncommitted changes (so ``git checkout``
is always a correct recovery), keeps a copy of every target file in ``<workdir>/originals`` while
it runs, restores any file that differs from its copy on exit (also after Ctrl-C or SIGTERM), and
a later run restores files left behind by a run that was killed outright (SIGKILL, power loss).
If in doubt: ``git checkout -- rbmphys/`` and ``git status``.

``--report-only`` re-reads the sessions in ``<workdir>`` and prints the report again.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
DEFAULT_WORKDIR = HERE / "work"

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib


# ------------------------------------------------------------------------------ configuration
def load_config(path=None):
    with open(path or HERE / "modules.toml", "rb") as fh:
        cfg = tomllib.load(fh)
    return cfg["settings"], cfg["module"]


def load_equivalent():
    """Reviewed equivalent mutants: {(path, operator, occurrence): entry}."""
    p = HERE / "equivalent.toml"
    if not p.exists():
        return {}
    with open(p, "rb") as fh:
        entries = tomllib.load(fh).get("equivalent", [])
    out = {}
    for e in entries:
        for k in ("module", "line", "operator", "occurrence", "reason"):
            if k not in e:
                raise ValueError(f"equivalent.toml: entry {e} lacks {k!r}")
        if not str(e["reason"]).strip():
            raise ValueError(f"equivalent.toml: entry {e} has an empty reason")
        out[(e["module"], e["operator"], int(e["occurrence"]))] = e
    return out


def slug(path):
    return path.replace("/", "__").removesuffix(".py")


def traced_claims(mod):
    """The quick claims of the module's chapters that execute the module (claim_map.json)."""
    p = HERE / "claim_map.json"
    if not p.exists():
        return None
    per_module = json.loads(p.read_text())["per_module"]
    chapters = set(mod.get("chapters", []))
    claims = set()
    for path in [mod["path"], *mod.get("traced-via", [])]:
        claims |= set(per_module.get(path, {}))
    secs = {c: r["seconds"] for c, r in json.loads(p.read_text())["claims"].items()}
    # cheapest first: the killer stops at the first failed claim
    return sorted((c for c in claims if int(c.split(".")[0].removeprefix("ch")) in chapters),
                  key=lambda c: (secs.get(c, 0.0), c))


def traced_seconds(mod):
    """Seconds the traced claims of the module took when claim_map.json was made."""
    p = HERE / "claim_map.json"
    if not p.exists():
        return 600.0
    claims = json.loads(p.read_text())["claims"]
    return sum(claims[c]["seconds"] for c in traced_claims(mod) or [])


#: the run's work directory (its ``originals`` hold the unmutated files); set by main()
WORKDIR = None


def killer_command(mod, settings=None, ledger_first=False):
    parts = ["nice", "-n", "5", sys.executable, str(HERE / "kill.py"), "--module", mod["path"]]
    if ledger_first:
        parts.append("--ledger-first")
    claims = traced_claims(mod) if (settings or {}).get("ledger") == "traced" else None
    if claims is not None:
        if WORKDIR is not None and (settings or {}).get("select-by-function", True):
            # only the traced claims that call the mutated function (kill.py, --original)
            parts += ["--original", str(WORKDIR / "originals" / slug(mod["path"])),
                      "--claim-map", str(HERE / "claim_map.json")]
        parts += ["--claims", *claims]
    elif mod.get("chapters"):
        parts += ["--chapters", *map(str, mod["chapters"])]
    if mod.get("tests"):
        parts += ["--tests", *mod["tests"]]
    return parts


def write_cr_config(path, mod, timeout, settings, ledger_first=False):
    import shlex
    cmd = " ".join(shlex.quote(p) for p in killer_command(mod, settings, ledger_first))
    ops = ", ".join(json.dumps(o) for o in settings.get("exclude-operators", []))
    path.write_text(
        "[cosmic-ray]\n"
        f"module-path = {json.dumps(mod['path'])}\n"
        f"timeout = {float(timeout)}\n"
        "excluded-modules = []\n"
        f"test-command = {json.dumps(cmd)}\n\n"
        "[cosmic-ray.distributor]\n"
        'name = "local"\n\n'
        "[cosmic-ray.filters.operators-filter]\n"
        f"exclude-operators = [{ops}]\n")


# ------------------------------------------------------------------- restoring original files
class Guard:
    """Copies of the target files; restores any that differ on exit or at the next start."""

    def __init__(self, workdir, paths):
        self.dir = workdir / "originals"
        self.marker = workdir / "RUNNING.json"
        self.paths = list(paths)

    @staticmethod
    def recover(workdir):
        marker = workdir / "RUNNING.json"
        if not marker.exists():
            return []
        restored = []
        for rel, digest in json.loads(marker.read_text()).items():
            saved = workdir / "originals" / slug(rel)
            target = ROOT / rel
            if saved.exists() and hashlib.sha256(saved.read_bytes()).hexdigest() == digest:
                if target.read_bytes() != saved.read_bytes():
                    shutil.copyfile(saved, target)
                    restored.append(rel)
        marker.unlink()
        return restored

    def __enter__(self):
        self.dir.mkdir(parents=True, exist_ok=True)
        digests = {}
        for rel in self.paths:
            data = (ROOT / rel).read_bytes()
            (self.dir / slug(rel)).write_bytes(data)
            digests[rel] = hashlib.sha256(data).hexdigest()
        self.marker.write_text(json.dumps(digests, indent=1))
        return self

    def restore(self):
        restored = []
        for rel in self.paths:
            saved = (self.dir / slug(rel)).read_bytes()
            if (ROOT / rel).read_bytes() != saved:
                (ROOT / rel).write_bytes(saved)
                restored.append(rel)
        return restored

    def __exit__(self, *exc):
        restored = self.restore()
        if restored:
            print(f"restored the original of {', '.join(restored)}", file=sys.stderr)
        self.marker.unlink(missing_ok=True)
        return False


def _sigterm(signum, frame):
    raise KeyboardInterrupt


def run_child(cmd, **kw):
    """subprocess.run that forwards Ctrl-C/SIGTERM as SIGINT, so cosmic-ray restores the file."""
    proc = subprocess.Popen(cmd, cwd=ROOT, **kw)
    try:
        return proc.wait()
    except KeyboardInterrupt:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            proc.kill()
        raise


# ----------------------------------------------------------------------------- one module
def git_dirty(paths):
    p = subprocess.run(["git", "status", "--porcelain", "--", *paths], cwd=ROOT,
                       capture_output=True, text=True)
    if p.returncode:
        raise SystemExit(f"git status failed: {p.stderr.strip()}")
    return p.stdout.strip()


def cr(tool, *args):
    exe = Path(sys.executable).with_name(tool)
    return [str(exe) if exe.exists() else tool, *args]


def baseline(mod, settings, log):
    t0 = time.perf_counter()
    with open(log, "w") as fh:
        rc = run_child(killer_command(mod, settings), stdout=fh, stderr=subprocess.STDOUT)
    return rc, time.perf_counter() - t0


def stage_seconds(log):
    """(tests s, ledger s) from the killer's last line on the unmutated code, or None."""
    import re
    for ln in reversed(Path(log).read_text().splitlines()):
        m = re.match(r"SURVIVED tests ([0-9.]+) s, ledger \(\d+ claims\) ([0-9.]+) s", ln)
        if m:
            return float(m.group(1)), float(m.group(2))
    return None


def file_sha(rel):
    return hashlib.sha256((ROOT / rel).read_bytes()).hexdigest()


def mutant_key(r):
    return (r["line"], r["operator"], int(r["occurrence"]))


def _job_key(w):
    m = w.mutations[0]
    return (m.start_pos[0], m.operator_name, m.occurrence)


def reopen(db_path, keys=None, survivors=None):
    """Forget the results of the given mutants (keys) or of the survivors, so that the next
    ``cosmic-ray exec`` runs them (again); returns how many."""
    import sqlite3
    from cosmic_ray.work_db import WorkDB, use_db
    from cosmic_ray.work_item import TestOutcome, WorkerOutcome
    jobs = []
    with use_db(str(db_path), WorkDB.Mode.open) as db:
        for item, res in db.completed_work_items:
            if keys is not None and _job_key(item) in keys:
                jobs.append(item.job_id)
            elif (survivors is not None and res.worker_outcome == WorkerOutcome.NORMAL
                  and res.test_outcome == TestOutcome.SURVIVED and _job_key(item) in survivors):
                jobs.append(item.job_id)
    con = sqlite3.connect(str(db_path))
    with con:
        con.executemany("DELETE FROM work_results WHERE job_id = ?", [(j,) for j in jobs])
    con.close()
    return len(jobs)


def mark_unsampled(db_path, keep_jobs):
    """Every pending mutant not in keep_jobs is marked skipped ("not sampled")."""
    from cosmic_ray.work_db import WorkDB, use_db
    from cosmic_ray.work_item import WorkerOutcome, WorkResult
    with use_db(str(db_path), WorkDB.Mode.open) as db:
        rest = [w.job_id for w in db.pending_work_items if w.job_id not in keep_jobs]
        if rest:
            db.set_multiple_results(rest, WorkResult(output="not sampled",
                                                     worker_outcome=WorkerOutcome.SKIPPED))


def draw_more(db_path, n, seed, exclude=()):
    """Add n not-yet-run mutants (drawn by seed among the unsampled ones, leaving out the keys
    in exclude: mutants already run in a merged earlier report) to an existing session."""
    from cosmic_ray.work_db import WorkDB, use_db
    from cosmic_ray.work_item import WorkerOutcome
    with use_db(str(db_path), WorkDB.Mode.open) as db:
        unsampled = sorted((w for w, r in db.completed_work_items
                            if r.worker_outcome == WorkerOutcome.SKIPPED
                            and (r.output or "") == "not sampled"
                            and _job_key(w) not in exclude), key=_job_key)
    pick = random.Random(seed).sample(unsampled, min(n, len(unsampled)))
    return reopen(db_path, keys={_job_key(w) for w in pick})


_SIGNATURE = {"parameters", "lambdef", "typedargslist", "varargslist", "argument", "arglist",
              "star_expr", "dictorsetmaker", "atom"}
_ARITH = {"term", "arith_expr", "power", "factor", "shift_expr", "and_expr", "xor_expr",
          "expr"}


def drop_non_mutants(db_path, rel):
    """Mark as skipped ("not a mutant") the items that are no bug in the code: a mutated file
    that does not compile (e.g. the ``*`` of ``def f(a, *, b)`` or of ``**kwargs`` turned into
    ``%``, which the first import refuses: trivially "killed", it would only inflate the
    score), and the ``*`` separator of a signature turned into ``/`` (cosmic-ray takes the bare
    ``*`` for a multiplication; ``/`` makes the same parameters positional-or-keyword, a change of
    calling convention, not of what the function computes).  Returns how many were dropped."""
    import parso
    import cosmic_ray.plugins
    from cosmic_ray.mutating import mutate_code
    from cosmic_ray.work_db import WorkDB, use_db
    from cosmic_ray.work_item import WorkerOutcome, WorkResult
    src = (ROOT / rel).read_text()
    tree = parso.parse(src)
    drop = {}
    with use_db(str(db_path), WorkDB.Mode.open) as db:
        for w in db.pending_work_items:
            m = w.mutations[0]
            if not m.operator_name.startswith("core/ReplaceBinaryOperator_"):
                continue           # other operators always give valid code
            leaf = tree.get_leaf_for_position(tuple(m.start_pos))
            if leaf is None or leaf.type != "operator" or leaf.parent.type in _ARITH:
                continue           # a binary operator in an expression: always valid code
            if leaf.value in ("*", "**") and leaf.parent.type in _SIGNATURE:
                drop[w.job_id] = "not a mutant: the * or ** of a signature or an unpacking"
                continue
            op = cosmic_ray.plugins.get_operator(m.operator_name)(**(m.operator_args or {}))
            code = mutate_code(src, op, m.occurrence)
            if code is None:
                continue
            try:
                compile(code, rel, "exec")
            except SyntaxError:
                drop[w.job_id] = "not a mutant: the mutated file does not compile"
        for job, why in drop.items():
            db.set_result(job, WorkResult(output=why, worker_outcome=WorkerOutcome.SKIPPED))
    return len(drop)


def sample_pending(db_path, n, seed, exclude=()):
    from cosmic_ray.work_db import WorkDB, use_db
    from cosmic_ray.work_item import WorkerOutcome, WorkResult
    with use_db(str(db_path), WorkDB.Mode.open) as db:
        pending = sorted(db.pending_work_items,
                         key=lambda w: (w.mutations[0].start_pos, w.mutations[0].operator_name,
                                        w.mutations[0].occurrence))
        total = len(pending)
        if n is None or n >= total:
            return total, total
        fresh = [w for w in pending if _job_key(w) not in exclude] or pending
        keep = {w.job_id for w in random.Random(seed).sample(fresh, min(n, len(fresh)))}
        db.set_multiple_results([w.job_id for w in pending if w.job_id not in keep],
                                WorkResult(output="not sampled", worker_outcome=WorkerOutcome.SKIPPED))
        return total, len(keep)


def short_diff(diff):
    minus = [ln[1:].strip() for ln in diff.splitlines()
             if ln.startswith("-") and not ln.startswith("---")]
    plus = [ln[1:].strip() for ln in diff.splitlines()
            if ln.startswith("+") and not ln.startswith("+++")]
    return " / ".join(minus), " / ".join(plus)


def read_session(db_path, mod, equivalent):
    from cosmic_ray.work_db import WorkDB, use_db
    from cosmic_ray.work_item import TestOutcome, WorkerOutcome
    rows = []
    with use_db(str(db_path), WorkDB.Mode.open) as db:
        for item, res in db.completed_work_items:
            if res.worker_outcome == WorkerOutcome.SKIPPED:
                continue
            m = item.mutations[0]
            orig, mut = short_diff(res.diff or "")
            out = res.output or ""
            if res.worker_outcome == WorkerOutcome.NO_TEST:
                status = "no-mutation"
            elif res.worker_outcome != WorkerOutcome.NORMAL or res.test_outcome == TestOutcome.INCOMPETENT:
                status = "incompetent"
            elif res.test_outcome == TestOutcome.KILLED:
                status = "timeout" if out.strip() == "timeout" else "killed"
            else:
                status = "survived"
            by = ""
            for ln in reversed(out.splitlines()):
                if ln.startswith(("KILLED-BY", "SURVIVED")):
                    by = ln
                    break
            row = {"module": mod["path"], "line": m.start_pos[0], "operator": m.operator_name,
                   "occurrence": m.occurrence, "status": status, "original": orig, "mutant": mut,
                   "killer": by}
            _apply_equivalent(row, mod, equivalent)
            rows.append(row)
    rows.sort(key=lambda r: (r["line"], r["operator"], r["occurrence"]))
    return rows


def summarise(mod, rows, extra):
    count = {s: sum(r["status"] == s for r in rows)
             for s in ("killed", "timeout", "survived", "equivalent", "incompetent", "no-mutation")}
    run = sum(count[s] for s in ("killed", "timeout", "survived", "equivalent"))
    denom = run - count["equivalent"]
    killed = count["killed"] + count["timeout"]
    score = killed / denom if denom else None
    late = {tuple(k) for k in extra.get("killed_after_surviving", [])}
    for r in rows:
        if mutant_key(r) in late and r["status"] in ("killed", "timeout"):
            r["killed_after_surviving"] = True
    return {"module": mod["path"], "chapters": mod.get("chapters", []), "tests": mod.get("tests", []),
            "run": run, "killed": killed, "timed_out": count["timeout"],
            "survived": count["survived"], "equivalent": count["equivalent"],
            "incompetent": count["incompetent"], "score": score, **extra,
            "killed_by_new_tests": sum(bool(r.get("killed_after_surviving")) for r in rows),
            "survivors": [r for r in rows if r["status"] == "survived"],
            "equivalents": [r for r in rows if r["status"] == "equivalent"],
            "mutants": rows}


def print_module(s):
    sc = "n/a" if s["score"] is None else f"{100 * s['score']:.0f} %"
    print(f"\n{s['module']}  (chapters {','.join(map(str, s['chapters']))}; "
          f"{s.get('sampled', '?')} of {s.get('total_mutants', '?')} mutants sampled)")
    print(f"  run {s['run']}  killed {s['killed']} (timed out {s['timed_out']})  "
          f"survived {s['survived']}  equivalent {s['equivalent']}  incompetent {s['incompetent']}"
          f"  score {sc}"
          + (f"  [{s['seconds_per_mutant']:.0f} s/mutant]" if s.get("seconds_per_mutant") else ""))
    for r in s["survivors"]:
        print(f"  SURVIVED {r['module']}:{r['line']}  {r['operator']} #{r['occurrence']}\n"
              f"      {r['original']}\n   -> {r['mutant']}")
        if r.get("note"):
            print(f"      ({r['note']})")
    for r in s["equivalents"]:
        print(f"  equivalent {r['module']}:{r['line']} {r['operator']} #{r['occurrence']}: "
              f"{r['reason']}")


def killer_key(mod, settings):
    """What the unmutated killer's pass depends on, beside the module: its command, its test
    files and the claim map; a session keeps its baseline time while this key is unchanged."""
    h = hashlib.sha256(" ".join(killer_command(mod, settings)).encode())
    for t in mod.get("tests", []):
        h.update((ROOT / t).read_bytes())
    h.update(json.dumps(traced_claims(mod) or []).encode())
    return h.hexdigest()


def merged_rows(mod, reports, equivalent):
    """Rows of earlier reports (--merge-from) for this module, taken only when the module's
    source at the report's commit is byte-identical to the file now (same mutants, same
    numbering); equivalents re-read from equivalent.toml."""
    out = {}
    sha = file_sha(mod["path"])
    for rep in reports:
        for s in rep.get("modules", []):
            if s.get("module") != mod["path"] or "mutants" not in s:
                continue
            p = subprocess.run(["git", "show", f"{rep['commit']}:{mod['path']}"], cwd=ROOT,
                               capture_output=True)
            if p.returncode or hashlib.sha256(p.stdout).hexdigest() != sha:
                continue
            for r in s["mutants"]:
                r = dict(r, source=f"merged from {rep['commit'][:9]}")
                if r["status"] == "equivalent":
                    r["status"] = "survived"
                    r.pop("reason", None)
                _apply_equivalent(r, mod, equivalent)
                out[mutant_key(r)] = r
    return out


def _apply_equivalent(row, mod, equivalent):
    eq = equivalent.get((mod["path"], row["operator"], int(row["occurrence"])))
    if row["status"] == "survived" and eq is not None:
        if int(eq["line"]) != row["line"]:
            row["note"] = (f"equivalent.toml entry is stale (line {eq['line']}, mutant now at "
                           f"line {row['line']}): review it")
        else:
            row["status"] = "equivalent"
            row["reason"] = eq["reason"]


def combine(session_rows, old):
    """One row per mutant: this session's result wins over a merged one (never counted twice)."""
    rows = dict(old)
    for r in session_rows:
        rows[mutant_key(r)] = r
    return sorted(rows.values(), key=mutant_key)


def parse_mutant(text):
    try:
        line, op, occ = text.rsplit(":", 2) if text.count(":") >= 2 else (None, None, None)
        return (int(line), op, int(occ))
    except (TypeError, ValueError):
        raise SystemExit(f"--mutant wants LINE:OPERATOR:OCCURRENCE, e.g. "
                         f"49:core/ReplaceComparisonOperator_NotEq_IsNot:0; got {text!r}")


def run_module(mod, args, settings, workdir, equivalent, reports=()):
    name = slug(mod["path"])
    db = workdir / f"{name}.sqlite"
    meta_path = workdir / f"{name}.meta.json"
    meta = json.loads(meta_path.read_text()) if meta_path.exists() else {}
    old = merged_rows(mod, reports, equivalent)
    if args.report_only:
        if not db.exists() and not old:
            print(f"{mod['path']}: no session in {workdir}")
            return None
        rows = read_session(db, mod, equivalent) if db.exists() else []
        return summarise(mod, combine(rows, old), meta)

    sha = file_sha(mod["path"])
    grow = bool(args.add or args.mutant or args.rerun_survivors)
    reuse = grow and db.exists() and meta.get("source_sha256") == sha
    if grow and not reuse:
        if args.mutant or args.rerun_survivors:
            print(f"\n=== {mod['path']}: no session of the current source in {workdir}: "
                  "--mutant/--rerun-survivors need one (run --sample first); skipped")
            return None
        print(f"\n=== {mod['path']}: no session of the current source: a fresh one", flush=True)
    key = killer_key(mod, settings)
    if reuse and meta.get("killer_key") == key and meta.get("baseline_seconds"):
        t_base, rc = float(meta["baseline_seconds"]), 0
        print(f"\n=== {mod['path']}: adding to the session (unmutated killer passed in "
              f"{t_base:.0f} s, same killer)", flush=True)
    elif args.no_baseline:
        # trust the trace (every claim passed when claim_map.json was made) and the test suite;
        # the killer's time is estimated from the traced claims' seconds plus a minute of tests
        t_base = 60.0 + traced_seconds(mod)
        rc = 0
        print(f"\n=== {mod['path']}: no unmutated run (--no-baseline); killer ~{t_base:.0f} s",
              flush=True)
    else:
        print(f"\n=== {mod['path']}: killer on the unmutated code ...", flush=True)
        cold = not any((workdir / "numba_cache").rglob("*.nbi"))
        rc, t_base = baseline(mod, settings, workdir / f"{name}.baseline.log")
        if rc == 0 and cold:   # the first run compiled every kernel: time a warm run instead
            print(f"  (cold numba cache: {t_base:.0f} s; timing a warm run)", flush=True)
            rc, t_base = baseline(mod, settings, workdir / f"{name}.baseline.log")
        if rc == 0:
            st = stage_seconds(workdir / f"{name}.baseline.log")
            if st:
                meta["stage_seconds"] = {"tests": st[0], "ledger": st[1]}
                # the cheaper stage first: most mutants die in whichever runs first
                meta["ledger_first"] = bool(st[1] < st[0])
            meta["baseline_seconds"] = round(t_base, 1)
            meta["killer_key"] = key
    if rc != 0:
        print(f"  the killer FAILS on the unmutated code (exit {rc}); see "
              f"{workdir / (name + '.baseline.log')}; module skipped")
        return {"module": mod["path"], "error": f"killer fails unmutated (exit {rc})"}
    ledger_first = bool(meta.get("ledger_first")) and not args.tests_first
    timeout = max(float(settings.get("timeout-min", 60)),
                  float(settings.get("timeout-factor", 3)) * t_base)
    print(f"  {'estimated' if args.no_baseline else 'passes in'} {t_base:.1f} s; per-mutant "
          f"timeout {timeout:.0f} s; {'claims' if ledger_first else 'tests'} first", flush=True)
    cfg = workdir / f"{name}.toml"
    write_cr_config(cfg, mod, timeout, settings, ledger_first)
    if not reuse:
        db.unlink(missing_ok=True)
        meta = {k: meta[k] for k in ("stage_seconds", "ledger_first", "baseline_seconds",
                                     "killer_key") if k in meta}
        if run_child(cr("cosmic-ray", "init", str(cfg), str(db))) != 0:
            raise SystemExit(f"cosmic-ray init failed for {mod['path']}")
        if run_child(cr("cr-filter-operators", str(db), str(cfg))) != 0:
            raise SystemExit(f"cr-filter-operators failed for {mod['path']}")
        dropped = drop_non_mutants(db, mod["path"])
        if dropped:
            print(f"  {dropped} items dropped: not mutants (syntax errors, signature stars)")
        if args.mutant:
            total, _ = sample_pending(db, None, 0)
            mark_unsampled(db, set())
            n = reopen(db, keys={parse_mutant(m) for m in args.mutant})
        else:
            total, n = sample_pending(db, args.sample, args.seed, exclude=set(old))
        meta.update(total_mutants=total, source_sha256=sha, batches=[], not_mutants=dropped)
    else:
        total = meta["total_mutants"]
        before = {mutant_key(r): r["status"] for r in
                  combine(read_session(db, mod, equivalent), old)}
        if args.mutant:
            n = reopen(db, keys={parse_mutant(m) for m in args.mutant})
        elif args.rerun_survivors:
            mine = read_session(db, mod, equivalent)
            n = reopen(db, keys=None, survivors={mutant_key(r) for r in mine
                                                 if r["status"] == "survived"})
            done = {mutant_key(r) for r in mine}
            n += reopen(db, keys={k for k, r in old.items()
                                  if r["status"] == "survived" and k not in done})
        else:
            n = draw_more(db, args.sample or 0, args.seed, exclude=set(old))
    print(f"  {total} mutants after the operator filter; running {n} "
          f"(~{n * t_base / 60:.0f} min)", flush=True)
    if not reuse:
        before = {}
    t0 = time.perf_counter()
    if n and run_child(cr("cosmic-ray", "exec", str(cfg), str(db))) != 0:
        raise SystemExit(f"cosmic-ray exec failed for {mod['path']}")
    wall = time.perf_counter() - t0
    # survivors of an earlier batch that this batch (run again after new tests) killed
    late = {tuple(k) for k in meta.get("killed_after_surviving", [])}
    for r in read_session(db, mod, equivalent):
        if before.get(mutant_key(r)) == "survived" and r["status"] in ("killed", "timeout"):
            late.add(mutant_key(r))
    meta["killed_after_surviving"] = sorted(list(k) for k in late)
    kind = ("mutants " + " ".join(args.mutant) if args.mutant else
            "rerun survivors" if args.rerun_survivors else f"sample seed {args.seed}")
    meta.setdefault("batches", []).append(
        {"what": kind, "n": n, "wall_seconds": round(wall, 1), "ledger_first": ledger_first,
         "seconds_per_mutant": round(wall / n, 1) if n else None})
    sampled = [bt for bt in meta["batches"] if bt["what"].startswith("sample")]
    meta["sampled"] = sum(bt["n"] for bt in sampled)
    meta["seed"] = args.seed
    meta["timeout_seconds"] = round(timeout)
    meta["wall_seconds"] = round(sum(bt["wall_seconds"] for bt in sampled), 1)
    meta["seconds_per_mutant"] = (round(meta["wall_seconds"] / meta["sampled"], 1)
                                  if meta["sampled"] else None)
    meta_path.write_text(json.dumps(meta, indent=1))
    return summarise(mod, combine(read_session(db, mod, equivalent), old), meta)


# --------------------------------------------------------------------------------------- main
def main(argv=None):
    ap = argparse.ArgumentParser(description="mutation testing with cosmic-ray (see docstring)")
    ap.add_argument("--module", nargs="+", default=None, help="paths as in modules.toml")
    ap.add_argument("--sample", type=int, default=None, help="mutants per module (default: all)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--workdir", type=Path, default=DEFAULT_WORKDIR)
    ap.add_argument("--json", type=Path, default=None)
    ap.add_argument("--report-only", action="store_true")
    ap.add_argument("--no-baseline", action="store_true",
                    help="skip the unmutated run of each killer (its time is estimated from "
                         "claim_map.json); for estimates on a code base known to pass")
    ap.add_argument("--add", action="store_true",
                    help="add --sample N more mutants (drawn by --seed among those not run yet) "
                         "to the module's session instead of starting a new one; the report "
                         "counts every mutant of the session once")
    ap.add_argument("--mutant", action="append", default=None, metavar="LINE:OPERATOR:OCC",
                    help="run just this mutant (again) in the module's session; repeatable; "
                         "with a single --module")
    ap.add_argument("--rerun-survivors", action="store_true",
                    help="run the session's (and merged reports') survivors again, e.g. after "
                         "adding tests")
    ap.add_argument("--merge-from", type=Path, nargs="*", default=[],
                    help="earlier JSON reports whose mutants join the table when the module's "
                         "source is unchanged since their commit (a mutant is counted once: "
                         "this session's result wins)")
    ap.add_argument("--tests-first", action="store_true",
                    help="always run the tests before the claims (default: the cheaper stage "
                         "of the unmutated killer first)")
    ap.add_argument("--markdown", type=Path, default=None,
                    help="also write the per-module table (and equivalents, survivors) here")
    ap.add_argument("--config", type=Path, default=None,
                    help="another modules file (default benchmarks/mutation/modules.toml)")
    args = ap.parse_args(argv)
    if args.sample is not None and args.sample < 1:
        ap.error("--sample must be a positive number of mutants")
    if args.add and args.sample is None:
        ap.error("--add needs --sample N (how many more mutants)")
    if args.mutant and (not args.module or len(args.module) != 1):
        ap.error("--mutant needs exactly one --module")
    reports = [json.loads(p.read_text()) for p in args.merge_from]

    settings, modules = load_config(args.config)
    if args.module:
        known = {m["path"]: m for m in modules}
        unknown = [p for p in args.module if p not in known]
        if unknown:
            ap.error(f"not in modules.toml: {', '.join(unknown)}; known: {', '.join(known)}")
        modules = [known[p] for p in args.module]
    equivalent = load_equivalent()
    workdir = args.workdir.resolve()
    workdir.mkdir(parents=True, exist_ok=True)
    global WORKDIR
    WORKDIR = workdir
    os.environ["MUTATION_NUMBA_CACHE"] = str(workdir / "numba_cache")

    restored = Guard.recover(workdir)
    if restored:
        print(f"an interrupted run had left mutants behind: restored {', '.join(restored)}")
    paths = [m["path"] for m in modules]
    if not args.report_only:
        dirty = git_dirty(paths)
        if dirty:
            raise SystemExit("uncommitted changes in a target file (commit or stash first, so "
                             f"that `git checkout` can always restore it):\n{dirty}")

    signal.signal(signal.SIGTERM, _sigterm)
    summaries = []
    t0 = time.perf_counter()
    try:
        with Guard(workdir, paths) if not args.report_only else _Null():
            for mod in modules:
                s = run_module(mod, args, settings, workdir, equivalent, reports)
                if s is None:
                    continue
                summaries.append(s)
                if "error" not in s:
                    print_module(s)
                if not args.report_only:
                    write_report(args, summaries, t0, workdir, final=False)
    except KeyboardInterrupt:
        print("\ninterrupted; originals restored", file=sys.stderr)
        return 130
    finally:
        if not args.report_only and git_dirty(paths):
            print("WARNING: a target file still differs from git; run "
                  "`git checkout -- " + " ".join(paths) + "`", file=sys.stderr)

    out = write_report(args, summaries, t0, workdir)
    print(f"report: {out}")
    return 0


def write_report(args, summaries, t0, workdir, final=True):
    report = {"tool": "cosmic-ray " + _cr_version(), "seed": args.seed, "sample": args.sample,
              "commit": _git_head(), "wall_seconds": round(time.perf_counter() - t0, 1),
              "complete": final, "modules": summaries}
    out = args.json or (workdir / "report.json")
    out.write_text(json.dumps(report, indent=1))
    if not final:
        return out
    if args.markdown:
        write_markdown(args.markdown, report)
    print("\n" + "-" * 78)
    print(f"{'module':<36s} {'run':>4s} {'kill':>5s} {'surv':>5s} {'equiv':>5s} {'t/o':>4s} "
          f"{'score':>6s} {'s/mut':>6s}")
    for s in summaries:
        if "error" in s:
            print(f"{s['module']:<36s} {s['error']}")
            continue
        sc = "  n/a" if s["score"] is None else f"{100 * s['score']:5.0f}%"
        spm = s.get("seconds_per_mutant")
        print(f"{s['module']:<36s} {s['run']:4d} {s['killed']:5d} {s['survived']:5d} "
              f"{s['equivalent']:5d} {s['timed_out']:4d} {sc:>6s} "
              f"{'' if spm is None else format(spm, '6.0f')}")
    return out


def write_markdown(path, report):
    """The per-module table, the equivalent mutants with their reasons and the survivors."""
    ok = [s for s in report["modules"] if "error" not in s]
    lines = [f"# Mutation scores (cosmic-ray {report['tool'].split()[-1]}, commit "
             f"{report['commit'][:9]})", "",
             "Sampled mutants per module, accumulated over seeds (each mutant counted once); "
             "score = killed / (run - equivalent).  `new tests`: mutants that survived a first "
             "run and were killed when run again after a test was added for them.", "",
             "| module | mutants | run | killed | new tests | equivalent | survived | score | s/mutant |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for s in ok:
        sc = "n/a" if s["score"] is None else f"{100 * s['score']:.0f} %"
        spm = s.get("seconds_per_mutant")
        lines.append(f"| `{s['module']}` | {s.get('total_mutants', '?')} | {s['run']} | "
                     f"{s['killed']} | {s.get('killed_by_new_tests', 0)} | {s['equivalent']} | "
                     f"{s['survived']} | {sc} | {'' if spm is None else format(spm, '.0f')} |")
    for s in report["modules"]:
        if "error" in s:
            lines.append(f"| `{s['module']}` | {s['error']} | | | | | | | |")
    eq = [r for s in ok for r in s["equivalents"]]
    if eq:
        lines += ["", "## Equivalent mutants", ""]
        lines += [f"- `{r['module']}:{r['line']}` {r['operator']} #{r['occurrence']}: "
                  f"`{r['original']}` → `{r['mutant']}` — {r['reason']}" for r in eq]
    sv = [r for s in ok for r in s["survivors"]]
    lines += ["", "## Survivors (killable, no killer yet)", ""]
    lines += [f"- `{r['module']}:{r['line']}` {r['operator']} #{r['occurrence']}: "
              f"`{r['original']}` → `{r['mutant']}`" for r in sv] or ["none"]
    Path(path).write_text("\n".join(lines) + "\n")


class _Null:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def _cr_version():
    try:
        from importlib.metadata import version
        return version("cosmic-ray")
    except Exception:  # noqa: BLE001
        return "?"


def _git_head():
    p = subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    return p.stdout.strip()


if __name__ == "__main__":
    sys.exit(main())
