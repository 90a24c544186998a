"""Command line: ``rbmphys list | run | verify | exercise | bench | book``.

::

    rbmphys list [--figures]                      table of contents, claims per chapter, figure map
    rbmphys run ch01 [--quick] [--outdir DIR] [--fresh] [--paper [--instances N] [--jobs N]]
                                                  run a chapter script (expensive experiments are
                                                  cached on disk; --fresh recomputes them)
    rbmphys verify [--quick] [--chapter N] [--json PATH]
    rbmphys exercise ex01_2 [--file PATH]         check your solve() of one exercise
    rbmphys bench [--quick] [--json PATH]         speed ratios measured in one process
    rbmphys book [--quick] [--outdir DIR]         the book as an offline HTML site
    rbmphys --version

A bare ``rbmphys`` prints the help.  Every failure the user can cause (a bad path, an unknown
chapter, Ctrl-C) is answered with one line on stderr and a non-zero exit code, never a
traceback; paths are checked before anything is computed.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time


class UsageError(Exception):
    """A problem with the command line's arguments (one line, exit code 2)."""


def _parse_chapter(s: str) -> int:
    s = s.lower().removeprefix("ch")
    try:
        n = int(s)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a chapter: {s!r} (use e.g. 1 or ch01)") from None
    from .verify.book import CHAPTERS
    if not any(c.number == n for c in CHAPTERS):
        raise argparse.ArgumentTypeError(f"no chapter {n} in the table of contents")
    return n


def _positive_int(s: str) -> int:
    try:
        n = int(s)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {s!r}") from None
    if n < 1:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {s!r}")
    return n


def _check_output_file(path):
    """The directory of ``path`` exists and is writable, and ``path`` is not a directory."""
    d = os.path.dirname(os.path.abspath(path)) or "."
    if os.path.isdir(path):
        raise UsageError(f"{path} is a directory, not a file")
    if not os.path.isdir(d):
        raise UsageError(f"cannot write {path}: the directory {d} does not exist")
    if not os.access(d, os.W_OK):
        raise UsageError(f"cannot write {path}: the directory {d} is not writable")


def _check_output_dir(path):
    """``path`` is a directory or can be created as one."""
    if os.path.exists(path) and not os.path.isdir(path):
        raise UsageError(f"--outdir {path} exists and is not a directory")
    parent = os.path.abspath(path)
    while not os.path.exists(parent):
        parent = os.path.dirname(parent)
    if not os.path.isdir(parent):
        raise UsageError(f"cannot create --outdir {path}: {parent} is not a directory")
    if not os.access(parent, os.W_OK):
        raise UsageError(f"cannot create --outdir {path}: {parent} is not writable")


def cmd_list(args) -> int:
    from .verify import CHAPTERS, PAPER_FIGURES, chapter_status, figure_status, registry
    from .verify._registry import load_all
    from .verify.book import exercises, figure_detail
    if args.figures:
        counts = {"regenerated": 0, "reduced": 0, "planned": 0}
        print(f"{'paper':<16s} {'fig':<5s} {'chapters':<9s} {'status':<12s} "
              f"{'chapter figure':<26s} scale / content")
        for f in PAPER_FIGURES:
            st = figure_status(f)
            counts[st] += 1
            chs = ",".join(f"{c:02d}" for c in f.chapters)
            detail = figure_detail(f)
            print(f"{f.paper:<16s} {f.figure:<5s} {chs:<9s} {st:<12s} "
                  f"{f.chapter_figure or '-':<26s} {detail}")
        print(f"{counts['regenerated']} of {len(PAPER_FIGURES)} paper figures regenerated, "
              f"{counts['reduced']} reduced, {counts['planned']} planned")
        return 0
    load_all()
    for c in CHAPTERS:
        st = chapter_status(c.number)
        n_claims = sum(1 for cl in registry.values() if cl.chapter == c.number)
        exs = exercises(c.number)
        print(f"ch{c.number:02d}  {c.title:<46s} {st:<8s} claims {n_claims:>3d}  "
              f"exercises {len(exs):>2d}")
        print(f"      {c.content}")
        for e in exs:
            print(f"      - {e.stem}")
    return 0


def cmd_run(args) -> int:
    from .experiments import cache
    from .verify.book import load_chapter
    outdir = args.outdir or f"figures/ch{args.chapter:02d}"
    for opt in ("instances", "jobs"):
        if getattr(args, opt) is not None and not args.paper:
            raise UsageError(f"--{opt} applies to the paper-scale runs: add --paper")
    _check_output_dir(outdir)
    try:
        mod = load_chapter(args.chapter)
    except ValueError as exc:
        print(f"rbmphys run: {exc}", file=sys.stderr)
        return 2
    if args.fresh:
        cache.fresh(True)
    print(f"(cached experiments: {cache.location()}{'; recomputing them' if args.fresh else ''})")
    t0 = time.perf_counter()
    if args.paper:
        rc = _paper_runs(args)
        if rc:
            return rc
    mod.main(outdir=outdir, quick=args.quick)
    print(f"chapter {args.chapter} done in {time.perf_counter() - t0:.1f} s; figures in {outdir}")
    return 0


def _paper_runs(args) -> int:
    """``rbmphys run chNN --paper``: make (or resume) the chapter's paper-scale runs first."""
    from .experiments import paper
    runs = paper.runs_for_chapter(args.chapter)
    if not runs:
        have = sorted({r.chapter for r in paper.RUNS.values()})
        print(f"rbmphys run: chapter {args.chapter} has no paper-scale run (chapters with one: "
              f"{', '.join(str(c) for c in have)})", file=sys.stderr)
        return 2
    for pr in runs:
        print(f"paper-scale run {pr.name}: {pr.scale}\n  checkpoints in "
              f"{paper.work_dir() / pr.name} (interrupt and run again to resume); results in "
              f"{paper.results_dir()}", flush=True)
        res = paper.run(pr.name, n_jobs=args.jobs, instances=args.instances)
        print(f"  {res['verdict']}: {res['evidence']}", flush=True)
    return 0


def cmd_verify(args) -> int:
    from .verify import run_claims
    if args.json:
        _check_output_file(args.json)
    chapters = None if args.chapter is None else [args.chapter]
    mode = "quick" if args.quick else "full"
    print(f"rbmphys verify ({mode}){'' if chapters is None else f', chapter {args.chapter}'}")
    t0 = time.perf_counter()
    results = run_claims(chapters, quick=args.quick)
    n_pass = sum(r.passed for r in results)
    n_fail = len(results) - n_pass
    if args.json:
        with open(args.json, "w") as fh:
            json.dump([r.to_dict() for r in results], fh, indent=1)
    print(f"({time.perf_counter() - t0:.1f} s)")
    print(f"{n_pass} passed, {n_fail} failed")
    if not results:
        print("no claims ran", file=sys.stderr)
        return 1
    return 1 if n_fail else 0


def cmd_exercise(args) -> int:
    from .verify.exercise import run_exercise
    if args.file is not None and not os.path.isfile(args.file):
        raise UsageError(f"--file {args.file}: no such file")
    ok, message = run_exercise(args.name, args.file)
    print(f"{args.name}: {'correct' if ok else 'not yet'}{'' if ok else ' — ' + message}")
    return 0 if ok else 1


def cmd_bench(args) -> int:
    if args.json:
        _check_output_file(args.json)
    from ._bench import main as bench_main
    return bench_main(quick=args.quick, json_path=args.json)


_DESCRIPTION = """\
rbmphys: restricted Boltzmann machines, the physicist's way.  A textbook in code: run its
chapters, check its ledger of claims, check your exercises, build the book as a website.

examples:
  rbmphys list                        table of contents with claims and exercises
  rbmphys run ch01 --quick            run Chapter 1 at small sizes (seconds)
  rbmphys verify --quick              check every claim of the book, small sizes
  rbmphys exercise ex01_2             check your solve() of exercise 1.2
  rbmphys book --quick                build the HTML book into book/_build/html
"""


class _Formatter(argparse.HelpFormatter):
    """Shows every option's default: a flag is off unless given; a help text that names its
    default already keeps its own wording."""

    def _get_help_string(self, action):
        text = action.help or ""
        if "default" in text or action.option_strings == [] or action.default is \
                argparse.SUPPRESS or isinstance(action, (argparse._HelpAction,
                                                         argparse._VersionAction)):
            return text
        if isinstance(action, argparse._StoreTrueAction):
            return f"{text} (default: off)"
        return f"{text} (default: %(default)s)"


class _TopFormatter(_Formatter, argparse.RawDescriptionHelpFormatter):
    """The top-level help keeps the description's line breaks (its examples)."""


def _sub(sub, name, help, description=None):
    return sub.add_parser(name, help=help, description=description or help,
                          formatter_class=_Formatter)


def build_parser() -> argparse.ArgumentParser:
    from ._version import __version__
    p = argparse.ArgumentParser(prog="rbmphys", description=_DESCRIPTION,
                                formatter_class=_TopFormatter)
    p.add_argument("--version", action="version", version=f"rbmphys {__version__}",
                   help="print the version and exit")
    sub = p.add_subparsers(dest="command", metavar="COMMAND", title="commands")
    q = _sub(sub, "list", "chapters, exercises, claims; --figures: paper figure map")
    q.add_argument("--figures", action="store_true",
                   help="print the map of the papers' figures to the chapter figures instead")
    q.set_defaults(func=cmd_list)
    q = _sub(sub, "run", "run a chapter script",
             "Run one chapter script cell by cell, print its ledger lines, save its figures.")
    q.add_argument("chapter", type=_parse_chapter, help="the chapter, e.g. ch01 or 1")
    q.add_argument("--quick", action="store_true",
                   help="small sizes: seconds, not minutes (as RBMPHYS_QUICK=1 in a notebook)")
    q.add_argument("--outdir", default=None,
                   help="where the figures and figures.json go (default: figures/chNN)")
    q.add_argument("--fresh", action="store_true",
                   help="recompute cached experiments instead of reusing them")
    q.add_argument("--paper", action="store_true",
                   help="first make (or resume) the chapter's paper-scale runs (chapters 2, 5, "
                        "9; minutes to an hour on 2 cores) and write their results, which the "
                        "chapter then shows")
    q.add_argument("--instances", type=_positive_int, default=None, metavar="N",
                   help="with --paper: only the first N instances of each run (default: all)")
    q.add_argument("--jobs", type=_positive_int, default=None, metavar="N",
                   help="with --paper: instances run side by side (default: RBMPHYS_JOBS or "
                        "every core)")
    q.set_defaults(func=cmd_run)
    q = _sub(sub, "verify", "run the ledger of claims",
             "Run the claims of the book's ledger; the closing line reads 'N passed, M failed'.")
    q.add_argument("--quick", action="store_true", help="skip slow claims, smaller sizes")
    q.add_argument("--chapter", type=_parse_chapter, default=None,
                   help="only the claims of this chapter (default: all chapters)")
    q.add_argument("--json", default=None, metavar="PATH",
                   help="also write one object per claim to this file (default: none)")
    q.set_defaults(func=cmd_verify)
    q = _sub(sub, "exercise", "check your solve() of one exercise")
    q.add_argument("name", help="exercise, e.g. ex01_2")
    q.add_argument("--file", default=None, metavar="PATH",
                   help="your own copy of the exercise file (default: the book's copy)")
    q.set_defaults(func=cmd_exercise)
    q = _sub(sub, "bench", "speed ratios measured in one process")
    q.add_argument("--quick", action="store_true", help="smaller problems, fewer repeats")
    q.add_argument("--json", default=None, metavar="PATH",
                   help="also write the measurements to this file (default: none)")
    q.set_defaults(func=cmd_bench)
    q = _sub(sub, "book", "build the book as an offline HTML site",
             "Run the chapters as notebooks (cached until a chapter or the library changes) "
             "and build the HTML book: chapters, exercises, ledger, appendix, bibliography, "
             "API reference.  Needs pip install \".[book]\" and the source tree.")
    q.add_argument("--quick", action="store_true",
                   help="run the chapters at their quick sizes (as rbmphys run chNN --quick)")
    q.add_argument("--outdir", default=None, metavar="DIR",
                   help="where the site goes (default: book/_build/html in the repository)")
    q.add_argument("--timeout", type=int, default=None, metavar="SECONDS",
                   help="the longest one cell of a chapter may run (default: 1800 with "
                        "--quick, 14400 without)")
    q.set_defaults(func=cmd_book)
    return p


def cmd_book(args) -> int:
    if args.timeout is not None and args.timeout < 1:
        raise UsageError(f"--timeout must be a positive number of seconds, got {args.timeout}")
    if args.outdir:
        _check_output_dir(args.outdir)
    from .site import build_book
    try:
        build_book(args.outdir, quick=args.quick, timeout=args.timeout)
    except ImportError as exc:
        raise UsageError(str(exc)) from None
    except RuntimeError as exc:
        print(f"rbmphys book: {exc}", file=sys.stderr)
        return 1
    return 0


def main(argv=None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 0
    try:
        return args.func(args)
    except UsageError as exc:
        print(f"rbmphys {args.command}: {exc}", file=sys.stderr)
        return 2
    except (ValueError, TypeError, FileNotFoundError, PermissionError) as exc:
        if os.environ.get("RBMPHYS_DEBUG"):
            raise
        print(f"rbmphys {args.command}: {exc} (RBMPHYS_DEBUG=1 shows the traceback)",
              file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"rbmphys {args.command}: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
