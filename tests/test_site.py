"""The book site's machinery without a browser: the stamp that decides re-execution, the
ledger lines turned into links, the generated pages (ledger, claims' code, exercises, API)."""

import re
from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat")

from rbmphys.site import _execute, _pages  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


def test_stamp_changes_with_chapter_library_and_mode(tmp_path):
    ch = tmp_path / "ch01_demo.py"
    ch.write_text("# %%\nx = 1\n")
    base = _execute.stamp(ch, True, "lib-a")
    assert _execute.stamp(ch, True, "lib-a") == base            # deterministic
    assert _execute.stamp(ch, False, "lib-a") != base           # quick vs full
    assert _execute.stamp(ch, True, "lib-b") != base            # a library change re-runs
    ch.write_text("# %%\nx = 2\n")
    assert _execute.stamp(ch, True, "lib-a") != base            # a chapter change re-runs


def test_library_digest_sees_library_files_but_not_the_site_builder(tmp_path, monkeypatch):
    import rbmphys
    pkg = tmp_path / "rbmphys"
    (pkg / "site").mkdir(parents=True)
    (pkg / "__init__.py").write_text("x = 1\n")
    (pkg / "site" / "__init__.py").write_text("y = 1\n")
    monkeypatch.setattr(rbmphys, "__file__", str(pkg / "__init__.py"))
    d0 = _execute.library_digest()
    (pkg / "site" / "__init__.py").write_text("y = 2\n")
    assert _execute.library_digest() == d0
    (pkg / "__init__.py").write_text("x = 2\n")
    assert _execute.library_digest() != d0


def test_ledger_lines_become_links_and_other_output_stays():
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("ledger.check('ch01.gauge_p')")
    cell.outputs = [
        nbformat.v4.new_output("stream", name="stdout", text="before\nPASS  ch01.gauge_p   "
                               "expected 0  measured 1e-16\nafter\n"),
        nbformat.v4.new_output("execute_result", data={"text/plain": "ClaimResult(ch01.gauge_p:"
                                                                      " PASS)"},
                               execution_count=1)]
    nb.cells = [cell]
    _pages.link_ledger_lines(nb)
    outs = nb.cells[0].outputs
    assert [o["output_type"] for o in outs] == ["stream", "display_data", "stream"]
    assert outs[0]["text"] == "before\n" and outs[2]["text"] == "after\n"
    html = outs[1]["data"]["text/html"]
    assert 'href="../ledger.html#ch01.gauge_p"' in html
    assert 'href="../claims/ch01.html#code-ch01.gauge_p"' in html
    assert outs[1]["data"]["text/plain"].startswith("PASS  ch01.gauge_p")


def test_md_escape_leaves_no_markup():
    s = "σ_h² * (a) [b] `c` $x$ <i> | e_1_"
    esc = _pages.md_escape(s)
    assert re.sub(r"\\(.)", r"\1", esc) == s
    assert not re.search(r"(?<!\\)[*_`$<|\[]", esc)


def test_ledger_page_lists_every_claim_with_its_values():
    from rbmphys.verify._registry import check, load_all, registry
    load_all([1])
    claims = [c for c in registry.values() if c.chapter == 1]
    one = claims[0]
    results = {one.id: check(one.id, quick=True, echo=False).to_dict()}
    page = _pages.ledger_page(claims, results, {1: "chapters/ch01_ising"}, quick=True)
    for c in claims:
        assert f'<span id="{c.id}"></span>' in page
        assert f'href="claims/ch01.html#code-{c.id}"' in page
    r = results[one.id]
    assert _pages.md_escape(_pages._value(r["measured"])) in page
    assert _pages.md_escape(r["reason"]) in page
    assert "not run in this build" in page          # the other claims: honestly not run
    assert f"**{int(r['passed'])} of {len(claims)} passed**" in page


def test_claims_code_page_shows_each_claim_function():
    import importlib

    from rbmphys.verify._registry import load_all, registry
    load_all([1])
    mod = importlib.import_module("rbmphys.verify.claims.ch01")
    claims = [c for c in registry.values() if c.chapter == 1]
    page = _pages.claims_code_page(1, claims, mod)
    for c in claims:
        assert f'<span id="code-{c.id}"></span>' in page
        assert f'@claim("{c.id}"' in page or f"@claim('{c.id}'" in page
    assert ":lineno-start:" in page


def test_exercise_page_folds_the_solution():
    ex = sorted((ROOT / "exercises").glob("ex01_2_*.py"))[0]
    title, page = _pages.exercise_page(ex, ex.parent / "solutions" / ex.name)
    assert title.startswith("Exercise 1.2")
    assert ":::{dropdown} Reference solution" in page
    assert (ex.parent / "solutions" / ex.name).read_text().strip().splitlines()[0] in page
    assert "rbmphys exercise ex01_2 --file mine.py" in page
    assert ":func:" not in page.split(":::{dropdown}")[0]        # RST roles became MyST


def test_api_pages_document_each_object_once():
    pages = _pages.api_pages()
    assert "api/index" in pages and "api/models" in pages
    units = pages["api/units"]
    assert "Spin" in units.split(":exclude-members:")[1]         # documented under models
    assert ":exclude-members:" not in pages["api/models"]
