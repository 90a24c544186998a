"""Command line: ``rbmphys list | run | verify | bench``.

::

    rbmphys list [--figures]                      table of contents, claims per chapter, figure map
    rbmphys run ch01 [--quick] [--outdir DIR]     run a chapter script
    rbmphys verify [--quick] [--chapter N] [--json PATH]
    rbmphys bench [--quick] [--json PATH]         speed ratios measured in one process
"""

from __future__ import annotations

import argparse
import json
import sys
import time


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


def cmd_list(args) -> int:
    from .verify import CHAPTERS, PAPER_FIGURES, chapter_status, figure_status, registry
    from .verify._registry import load_all
    from .verify.book import exercises
    if args.figures:
        n_regen = 0
        print(f"{'paper':<16s} {'fig':<5s} {'chapters':<9s} {'status':<12s} "
              f"{'chapter figure':<26s} scale / content")
        for f in PAPER_FIGURES:
            st = figure_status(f)
            n_regen += st == "regenerated"
            chs = ",".join(f"{c:02d}" for c in f.chapters)
            detail = f.scale if st == "regenerated" else f.content
            print(f"{f.paper:<16s} {f.figure:<5s} {chs:<9s} {st:<12s} "
                  f"{f.chapter_figure or '-':<26s} {detail}")
        print(f"{n_regen} of {len(PAPER_FIGURES)} paper figures regenerated, "
              f"{len(PAPER_FIGURES) - n_regen} planned")
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
    from .verify.book import load_chapter
    try:
        mod = load_chapter(args.chapter)
    except ValueError as exc:
        print(f"rbmphys run: {exc}", file=sys.stderr)
        return 2
    outdir = args.outdir or f"figures/ch{args.chapter:02d}"
    t0 = time.perf_counter()
    mod.main(outdir=outdir, quick=args.quick)
    print(f"chapter {args.chapter} done in {time.perf_counter() - t0:.1f} s; figures in {outdir}")
    return 0


def cmd_verify(args) -> int:
    from .verify import run_claims
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


def cmd_bench(args) -> int:
    from ._bench import main as bench_main
    return bench_main(quick=args.quick, json_path=args.json)


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="rbmphys", description=__doc__.split("\n")[0])
    sub = p.add_subparsers(dest="command", required=True)
    q = sub.add_parser("list", help="chapters, exercises, claims; --figures: paper figure map")
    q.add_argument("--figures", action="store_true")
    q.set_defaults(func=cmd_list)
    q = sub.add_parser("run", help="run a chapter script")
    q.add_argument("chapter", type=_parse_chapter)
    q.add_argument("--quick", action="store_true", help="seconds, not minutes")
    q.add_argument("--outdir", default=None)
    q.set_defaults(func=cmd_run)
    q = sub.add_parser("verify", help="run the ledger of claims")
    q.add_argument("--quick", action="store_true", help="skip slow claims, smaller sizes")
    q.add_argument("--chapter", type=_parse_chapter, default=None)
    q.add_argument("--json", default=None, help="write one object per claim to this file")
    q.set_defaults(func=cmd_verify)
    q = sub.add_parser("bench", help="speed ratios measured in one process")
    q.add_argument("--quick", action="store_true")
    q.add_argument("--json", default=None)
    q.set_defaults(func=cmd_bench)
    return p


def main(argv=None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
