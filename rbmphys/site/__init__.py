"""The book as a website: ``rbmphys book [--quick] [--outdir DIR]``.

Builds an HTML book that works offline: the chapters run as notebooks (:mod:`._execute`, each
cached by a stamp of the chapter, the library and the tools), then Sphinx with myst-nb (its own
execution off) and sphinx-book-theme renders

* the README as the landing page, the notation page and the derivations appendix (``book/``);
* the nine chapters with their figures, each ledger line linked to the ledger page;
* the exercises, hints and reference solutions folded away;
* the ledger: every claim with its source, expected and measured values, tolerance and reason,
  from the run that built the pages, each linked to the code that measures it;
* the bibliography (``rbmphys/references.bib``) and the API reference (autodoc + numpydoc).

MathJax 3 is served from the site (copied from the ``django-static-mathjax`` package), so no
page loads anything from another host.  ``sphinx-build -W``: a warning fails the build.

Needs the ``book`` extra (``pip install ".[book]"``) and the source tree (``book/``,
``chapters/``, ``exercises/``, ``README.md``): run it in the repository.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import time
from pathlib import Path

__all__ = ["build_book", "find_root", "DEFAULT_OUTDIR"]

#: Where ``rbmphys book`` writes the site, relative to the repository.
DEFAULT_OUTDIR = "book/_build/html"

_NEEDS = ("sphinx", "myst_nb", "sphinx_book_theme", "jupytext", "nbclient", "ipykernel",
          "sphinxcontrib.bibtex", "sphinx_togglebutton", "sphinx_design", "numpydoc", "mathjax")


def find_root() -> Path:
    """The repository: the checkout the library was imported from, else the working directory.

    Raises
    ------
    FileNotFoundError
        Neither has ``book/conf.py``, ``chapters/`` and ``README.md``.
    """
    from ..verify.book import book_root
    for cand in (book_root(), Path.cwd()):
        if cand is not None and all((Path(cand) / p).exists()
                                    for p in ("book/conf.py", "chapters", "README.md")):
            return Path(cand).resolve()
    raise FileNotFoundError("rbmphys book needs the source tree (book/conf.py, chapters/, "
                            "README.md): run it in the repository")


def _check_tools():
    import importlib.util
    missing = [m for m in _NEEDS if importlib.util.find_spec(m) is None]
    if missing:
        raise ImportError(f"rbmphys book needs the book extra ({', '.join(missing)} missing): "
                          f"pip install \".[book]\"")


def _write(path: Path, text: str):
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists() or path.read_text() != text:
        path.write_text(text)


def _copy_mathjax(static: Path):
    """MathJax 3 (es5 build: tex-chtml and what it loads) into ``static/mathjax``."""
    import mathjax
    src = Path(mathjax.__file__).resolve().parent / "static" / "mathjax" / "es5"
    dst = static / "mathjax"
    if (dst / "tex-chtml.js").exists():
        return
    skip = {"mml-chtml.js", "mml-svg.js", "tex-mml-chtml.js", "tex-mml-svg.js", "tex-svg.js",
            "tex-svg-full.js", "tex-chtml-full.js", "tex-chtml-full-speech.js", "node-main.js"}
    shutil.copytree(src, dst, ignore=lambda d, names: [n for n in names if n in skip
                                                       or (Path(d).name == "output"
                                                           and n.startswith("svg"))])


def _favicon(path: Path):
    """A 32×32 PNG icon at the site's root (browsers ask for /favicon.ico on any page)."""
    if path.exists():
        return
    import matplotlib
    matplotlib.use("Agg", force=False)
    from matplotlib.figure import Figure
    fig = Figure(figsize=(0.32, 0.32), dpi=100)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_axis_off()
    ax.set_xlim(0, 4)
    ax.set_ylim(0, 3)
    for x in (1, 2, 3):
        for y in (1, 2, 3):
            ax.plot([x, y], [0.7, 2.3], color="0.4", lw=0.6)
    ax.scatter([1, 2, 3], [2.3] * 3, s=6, color="#d1495b")
    ax.scatter([1, 2, 3], [0.7] * 3, s=6, color="#1f5fa8")
    fig.savefig(path, format="png")


def build_book(outdir=None, *, quick=False, root=None, cache=None, timeout=None, log=print,
               sphinx_args=(), chapters=None):
    """Build the HTML book into ``outdir`` (default ``book/_build/html``); returns its path.

    Parameters
    ----------
    outdir : str or Path, optional
    quick : bool
        Run the chapters at their quick sizes (as ``rbmphys run chNN --quick``).
    root : Path, optional
        The repository (default :func:`find_root`).
    cache : Path, optional
        Where executed notebooks and the staged sources live (default ``book/_build``, or
        ``$RBMPHYS_BOOK_CACHE``).
    timeout : int, optional
        Seconds one cell may run (default 1800 quick, 14400 full: generous, for a busy
        machine).
    chapters : iterable of int, optional
        Build only these chapters (a partial book, for trying out the site; default all).
    """
    from . import _execute, _pages
    _check_tools()
    t_start = time.perf_counter()
    root = Path(root) if root is not None else find_root()
    outdir = Path(outdir) if outdir is not None else root / DEFAULT_OUTDIR
    cache = Path(cache or os.environ.get("RBMPHYS_BOOK_CACHE") or root / "book" / "_build")
    mode = "quick" if quick else "full"
    src = cache / f"src-{mode}"
    timeout = timeout or (1800 if quick else 14400)
    log(f"rbmphys book ({mode}): sources staged in {src}, site in {outdir}")

    # 1. the chapters, executed (or reused) one at a time
    from ..verify._registry import check, load_all, registry
    from ..verify.book import CHAPTERS, chapter_path, exercises
    lib = _execute.library_digest()
    results, chapter_docs = {}, {}
    log("chapters:")
    selected = [c for c in CHAPTERS if chapters is None or c.number in set(chapters)]
    for c in selected:
        path = chapter_path(c.number)
        if path is None or path.parent != root / "chapters":
            path = root / "chapters" / f"ch{c.number:02d}_{c.slug}.py"
        nb, res = _execute.execute_chapter(path, cache / f"executed-{mode}", quick=quick,
                                           lib_digest=lib, timeout=timeout, log=log)
        results.update(res)
        doc = f"chapters/{path.stem}"
        chapter_docs[c.number] = doc
        import nbformat
        _pages.link_ledger_lines(nb)
        text = nbformat.writes(nb)
        _write(src / f"{doc}.ipynb", text)

    # claims no chapter checked are checked here, so that the ledger is complete
    load_all()
    for cid in sorted(set(registry) - set(results)):
        if chapters is not None:
            break
        log(f"  {cid}: checked by the book build (no chapter checks it)")
        results[cid] = check(cid, quick=quick, echo=False).to_dict()

    # 2. the generated pages
    readme = (root / "README.md").read_text()
    for f in sorted((root / "book").glob("*")):
        if f.is_file() and f.suffix in (".md", ".py", ".css"):
            _write(src / f.name, f.read_text())
    static = src / "_static"
    static.mkdir(parents=True, exist_ok=True)
    for f in sorted((root / "book" / "_static").glob("*")) if (root / "book" / "_static").is_dir() \
            else []:
        if f.is_file():
            _write(static / f.name, f.read_text())
    _copy_mathjax(static)
    import rbmphys
    _write(src / "references.bib",
           (Path(rbmphys.__file__).parent / "references.bib").read_text())
    if not (root / "book" / "notation.md").exists():
        _write(src / "notation.md", _pages.notation_from_readme(readme))
    ex_entries = []
    for ex in exercises():
        sol = ex.parent / "solutions" / ex.name
        title, page = _pages.exercise_page(ex, sol)
        doc = f"exercises/{ex.stem}"
        _write(src / f"{doc}.md", page)
        ex_entries.append((int(ex.stem[2:4]), doc.split("/", 1)[1], title))
    _write(src / "exercises" / "index.md", _pages.exercises_index(ex_entries))
    claims = list(registry.values())
    _write(src / "ledger.md", _pages.ledger_page(claims, results, chapter_docs, quick=quick))
    import importlib
    for ch in sorted({c.chapter for c in claims}):
        mod = importlib.import_module(f"rbmphys.verify.claims.ch{ch:02d}")
        _write(src / "claims" / f"ch{ch:02d}.md",
               _pages.claims_code_page(ch, [c for c in claims if c.chapter == ch], mod))
    _write(src / "claims" / "index.md", "# The claims' code\n\n```{toctree}\n:maxdepth: 1\n\n"
           + "\n".join(f"ch{ch:02d}" for ch in sorted({c.chapter for c in claims}))
           + "\n```\n")
    for doc, text in _pages.api_pages().items():
        _write(src / f"{doc}.rst", text)
    reference = [d for d in ("notation", "appendix") if (src / f"{d}.md").exists()]
    toc = {"Chapters": [chapter_docs[c.number] for c in selected],
           "Exercises": ["exercises/index"],
           "Reference": reference + ["ledger", "claims/index", "bibliography", "api/index"]}
    _write(src / "index.md", _pages.landing_page(readme, toc))
    _write(src / "_ledger.json", json.dumps(results, indent=1, sort_keys=True))

    # 3. Sphinx
    if (outdir / ".buildinfo").exists():     # a previous build: start clean (viewcode keeps
        shutil.rmtree(outdir)                # pages it thinks are newer than the sources)
    log("sphinx-build -W ...")
    from sphinx.cmd.build import build_main
    args = ["-W", "--keep-going", "-b", "html", "-q", "-E", "-d", str(cache / f"doctrees-{mode}"),
            *sphinx_args, str(src), str(outdir)]
    env_before = os.environ.get("RBMPHYS_BOOK_QUICK")
    os.environ["RBMPHYS_BOOK_QUICK"] = "1" if quick else "0"
    try:
        rc = build_main(args)
    finally:
        if env_before is None:
            os.environ.pop("RBMPHYS_BOOK_QUICK", None)
        else:
            os.environ["RBMPHYS_BOOK_QUICK"] = env_before
    if rc != 0:
        raise RuntimeError(f"sphinx-build failed (exit code {rc}); the warnings are above")
    shutil.copy2(src / "_ledger.json", outdir / "ledger.json")
    _favicon(outdir / "favicon.ico")
    log(f"book built in {time.perf_counter() - t_start:.0f} s: {outdir / 'index.html'}")
    sys.stdout.flush()
    return outdir
