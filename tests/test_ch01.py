"""Chapter 1: its claims pass, its script runs and draws, and the claims can fail."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from _chapter_claims import assert_figures_written, assert_quick_claims_pass, run_chapter_quick
from rbmphys.verify import get_claim

ROOT = Path(__file__).resolve().parents[1]


def test_every_chapter1_claim_passes_quick():
    assert_quick_claims_pass(1, at_least=6)


def test_claim_results_serialise():
    d = get_claim("ch01.gauge_p").run(quick=True).to_dict()
    assert d["passed"] and d["chapter"] == 1 and d["reason"] and 0 < d["tolerance"] < 1e-9
    json.dumps(d)


def test_nested_details_serialise():
    # a claim's details may hold a dict of rows of arrays (one per parameter point): the JSON
    # written by `rbmphys verify --json` must not fail on it after the whole ledger has run
    from rbmphys.verify._registry import Claim, Measurement
    m = Measurement(0.0, 1e-9, 1e-6, "round-off", details={
        "case a": {"numeric": np.array([1.0, 2.0]), "closed form": np.float64(3.0)},
        "count": np.int64(2)})
    res = Claim("chX.nested", 1, "t", "s", lambda q: m).run(True)
    back = json.loads(json.dumps(res.to_dict()))
    assert back["details"]["case a"]["numeric"] == [1.0, 2.0]
    assert back["details"]["case a"]["closed form"] == 3.0 and back["details"]["count"] == 2


def test_chapter1_runs_cell_by_cell_and_writes_figures(tmp_path, capsys):
    from rbmphys.verify.book import cells
    cs = cells(ROOT / "chapters" / "ch01_ising.py")
    assert sum(c.kind == "markdown" for c in cs) >= 8 and "## Summary" in cs[-1].source \
        or any("## Summary" in c.source for c in cs)
    results, out, index = run_chapter_quick(1, tmp_path, capsys)
    assert len(results) == 11 and all(r.passed for r in results.values())
    # prose with physical numbers, not only ledger lines
    assert "E0 = -32 = −V·H" in out and "ln Z =" in out and "entropy S" in out
    assert_figures_written(tmp_path, index, ("fig01_01_landscape", "fig01_02_mattis",
                                             "fig01_03_hopfield_scaling"), 1)


def test_chapters_open_as_notebooks():
    """jupytext (JupyterLab, VS Code) reads the chapters as notebooks with prose cells."""
    jupytext = pytest.importorskip("jupytext")
    for path in sorted((ROOT / "chapters").glob("ch*_*.py")):
        nb = jupytext.read(path)
        kinds = [c.cell_type for c in nb.cells]
        assert kinds.count("markdown") >= 8 and kinds.count("code") >= 8, path.name
        md = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
        assert "## Summary" in md and "## Exercises" in md and "$" in md, path.name


def test_numpy_verdicts_and_flags_serialise():
    # a NumPy tolerance made the verdict np.bool_, and a detail may be an np.bool_ flag: neither
    # may break the JSON of the ledger (the book build failed on exactly this)
    from rbmphys.verify._registry import Claim, Measurement
    m = Measurement(1.0, 1.0 + 1e-9, np.float64(1e-6), "round-off",
                    details={"flag": np.bool_(True), "name": np.str_("x")})
    res = Claim("chX.npbool", 1, "t", "s", lambda q: m).run(True)
    assert type(res.passed) is bool
    back = json.loads(json.dumps(res.to_dict()))
    assert back["passed"] is True and back["details"] == {"flag": True, "name": "x"}
