"""One bibliography: every key a docstring cites as [Key]_ is defined in references.bib."""

from __future__ import annotations

import re
from pathlib import Path

import rbmphys

PKG = Path(rbmphys.__file__).parent


def test_every_cited_key_is_in_the_bibliography():
    bib = (PKG / "references.bib").read_text()
    keys = set(re.findall(r"@\w+\{(\w+),", bib))
    cited = set()
    for f in PKG.rglob("*.py"):
        cited |= set(re.findall(r"\[([A-Z][A-Za-z]+\d{4})\]_", f.read_text()))
    assert cited, "no citations found: the scan is broken"
    missing = sorted(cited - keys)
    assert not missing, f"cited but not in references.bib: {missing}"


def test_readme_notation_table_is_conventions_notation():
    """conventions.py is the single source of the notation: the README table is built from it."""
    from rbmphys.conventions import NOTATION
    readme = (PKG.parent / "README.md").read_text()
    rows = [f"| {a} | {b} | {c} |" for a, b, c in NOTATION]
    block = "\n".join(["| symbol | meaning | shape / form |", "|---|---|---|", *rows])
    assert block in readme
