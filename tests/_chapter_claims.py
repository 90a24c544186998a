"""The shapes shared by the chapter tests: "every quick claim of chapter N passes" and "the
chapter script runs cell by cell in --quick mode and writes its figures"."""
import json

from rbmphys.verify import run_claims
from rbmphys.verify.book import cells, chapter_path, load_chapter


def assert_quick_claims_pass(chapter, at_least):
    """Run chapter ``chapter``'s quick claims; at least ``at_least`` must exist (a chapter whose
    claims stopped registering would otherwise pass vacuously) and all must pass."""
    results = run_claims([chapter], quick=True, echo=False)
    assert len(results) >= at_least, f"only {len(results)} claims in chapter {chapter}"
    failed = [r.line() for r in results if not r.passed]
    assert not failed, failed
    for r in results:       # what `verify --json` and the book's ledger page write
        json.dumps(r.to_dict(), allow_nan=True)
    return results


def run_chapter_quick(number, outdir, capsys):
    """Compile every code cell of chapter ``number`` on its own (a cell that only works glued
    to its neighbours fails here), then run the script in --quick mode writing to ``outdir``.

    Returns ``(results, printed, index)``: the ledger results, what the chapter printed and
    its figure index (``figures.json``)."""
    path = chapter_path(number)
    for c in cells(path):
        if c.kind == "code":
            compile(c.source, f"{path.name}, cell at line {c.line}", "exec")
    results = load_chapter(number).main(outdir=outdir, quick=True)
    printed = capsys.readouterr().out
    return results, printed, json.loads((outdir / "figures.json").read_text())


def assert_figures_written(outdir, index, stems, number):
    """Each figure ``stems`` of chapter ``number`` is a non-trivial PNG with its index entry."""
    for stem in stems:
        assert (outdir / f"{stem}.png").stat().st_size > 5000, stem
        assert index[stem]["chapter"] == number
