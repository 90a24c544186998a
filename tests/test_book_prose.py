"""The book's prose stands alone and its cross-references resolve.

* no file of the project points the reader to a file outside it (the background notes the book
  was written from are not part of it);
* every ``{cite}`` key used in the chapters and the book pages is defined in
  ``rbmphys/references.bib``;
* every ``{ref}`` label and ``{eq}`` label used in the chapters and the book pages is defined by
  a ``(label)=`` target or an equation label in ``book/``;
* every claim id the appendix names exists in the ledger;
* each chapter cites at least one of the three papers it follows.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BOOK = ROOT / "book"
CHAPTERS = sorted((ROOT / "chapters").glob("ch[0-9][0-9]_*.py"))
PAGES = sorted(BOOK.glob("*.md")) if BOOK.is_dir() else []

# Written as fragments so that this file does not match its own search.
_FORBIDDEN = ["shared" + "/", "theory" + ".md", "theory" + "_checks", "DESIGN" + ".md",
              "STYLE" + ".md", "PERFORMANCE" + ".md", "lost its" + " equations"]
_SKIP_DIRS = {".git", ".venv", "build", "dist", "_build", "node_modules", "__pycache__",
              ".pytest_cache", "figures"}


#: Files that name the forbidden pointers because they look for them (here, and in the site).
_CHECKERS = {"test_book_prose.py", "test_book_browser.py"}


def _project_files():
    for p in ROOT.rglob("*"):
        if not p.is_file() or p.suffix not in (".py", ".md"):
            continue
        rel = p.relative_to(ROOT)
        if any(part in _SKIP_DIRS or part.startswith(".venv") for part in rel.parts):
            continue
        if p.name in _CHECKERS:                 # the tests that search for these names
            continue
        yield p


def _bib_keys():
    bib = (ROOT / "rbmphys" / "references.bib").read_text()
    return set(re.findall(r"@\w+\{([^,\s]+),", bib))


def _text_of_sources():
    return {p: p.read_text() for p in [*CHAPTERS, *PAGES]}


def test_no_pointer_outside_the_project():
    hits = []
    for p in _project_files():
        for n, line in enumerate(p.read_text(errors="replace").splitlines(), 1):
            low = line.lower()
            for f in _FORBIDDEN:
                if f.lower() in low:
                    hits.append(f"{p.relative_to(ROOT)}:{n}: {f}")
    assert not hits, "files outside the project are mentioned:\n" + "\n".join(hits)


def test_cited_keys_exist():
    keys = _bib_keys()
    assert {"AartsLuciniPark2024", "ToledoMarin2025", "PozasKerstjens2021"} <= keys
    missing = []
    for p, text in _text_of_sources().items():
        for group in re.findall(r"\{cite(?::\w+)?\}`([^`]+)`", text):
            for key in (k.strip() for k in group.split(",")):
                if key not in keys:
                    missing.append(f"{p.name}: {key}")
    assert not missing, f"cited keys missing from references.bib: {missing}"


def test_every_chapter_cites_its_paper():
    papers = ("AartsLuciniPark2024", "ToledoMarin2025", "PozasKerstjens2021")
    for p in CHAPTERS:
        cited = {k.strip() for g in re.findall(r"\{cite(?::\w+)?\}`([^`]+)`", p.read_text())
                 for k in g.split(",")}
        assert cited & set(papers), f"{p.name} cites none of the three papers"


@pytest.mark.skipif(not PAGES, reason="no book/ pages in this checkout")
def test_ref_and_eq_labels_resolve():
    defined, eqs = set(), set()
    for p in PAGES:
        text = p.read_text()
        defined |= set(re.findall(r"^\(([\w-]+)\)=\s*$", text, flags=re.M))
        eqs |= set(re.findall(r"^\$\$\s*\(([\w-]+)\)\s*$", text, flags=re.M))
    assert "appendix" in defined and "notation" in defined
    bad = []
    for p, text in _text_of_sources().items():
        for lab in re.findall(r"\{ref\}`(?:[^`<]*<)?([\w-]+)>?`", text):
            if lab not in defined:
                bad.append(f"{p.name}: ref {lab}")
        for lab in re.findall(r"\{eq\}`([\w-]+)`", text):
            if lab not in eqs:
                bad.append(f"{p.name}: eq {lab}")
    assert not bad, f"unresolved labels: {bad}"


@pytest.mark.skipif(not (BOOK / "appendix.md").is_file(), reason="no appendix in this checkout")
def test_appendix_names_only_existing_claims():
    from rbmphys.verify._registry import load_all, registry
    load_all()
    named = set(re.findall(r"`(ch\d\d\.[a-z0-9_]+)`", (BOOK / "appendix.md").read_text()))
    assert len(named) > 20, "the appendix names too few claims: the scan is broken"
    assert named <= set(registry), f"unknown claim ids: {sorted(named - set(registry))}"
