"""Run the chapters as notebooks, one at a time, each cached by a stamp.

A chapter script ``chapters/chNN_slug.py`` (jupytext percent format) becomes a notebook, runs in
a fresh Jupyter kernel (nbclient) with ``RBMPHYS_QUICK`` set, and is stored with its outputs
beside a *stamp*: the SHA-256 of the chapter's source, of every file of the installed library
(except this site builder, which does not change what a chapter computes), of the run mode and
of the versions of the tools that execute it.  A later build reuses the stored notebook while the
stamp is unchanged, so editing a library function re-runs every chapter and editing nothing
re-runs none.  The last cell, added here and removed afterwards, hands back the results of the
chapter's ``ledger.check`` calls for the ledger page.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.metadata
import json
import os
import platform
import sys
import time
from pathlib import Path

_RESULTS_MARK = "__rbmphys_ledger_results__"
_RESULTS_CELL = ("import json as _json\n"
                 "print({mark!r}, _json.dumps({{k: r.to_dict() for k, r in "
                 "(ledger.results.items() if 'ledger' in globals() else [])}}))")

#: Distributions whose versions enter the stamp (besides Python and rbmphys).
STAMP_TOOLS = ("numpy", "scipy", "numba", "sympy", "matplotlib", "joblib", "nbclient",
               "nbformat", "ipykernel", "jupytext")


def _version(dist: str) -> str:
    try:
        return importlib.metadata.version(dist)
    except importlib.metadata.PackageNotFoundError:
        return "absent"


def library_digest() -> str:
    """SHA-256 of the installed library's files (sources and data), this builder excepted."""
    import rbmphys
    from .._version import tree_digest
    return tree_digest(Path(rbmphys.__file__).resolve().parent, exclude=("site/",))


def stamp(chapter: Path, quick: bool, lib_digest: str | None = None) -> str:
    """The cache key of one executed chapter (see the module docstring)."""
    import rbmphys
    h = hashlib.sha256()
    h.update(Path(chapter).read_bytes())
    h.update((lib_digest or library_digest()).encode())
    tools = {"python": platform.python_version(), "rbmphys": rbmphys.__version__, "quick": quick,
             **{d: _version(d) for d in STAMP_TOOLS}}
    h.update(json.dumps(tools, sort_keys=True).encode())
    return h.hexdigest()


@contextlib.contextmanager
def _environ(**values):
    old = {k: os.environ.get(k) for k in values}
    os.environ.update({k: str(v) for k, v in values.items()})
    try:
        yield
    finally:
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def to_notebook(chapter: Path):
    """The chapter script as an nbformat notebook (jupytext), with a Python 3 kernelspec."""
    import jupytext
    nb = jupytext.read(chapter)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    nb.metadata.setdefault("language_info", {"name": "python"})
    return nb


def execute_chapter(chapter: Path, cache_dir: Path, *, quick: bool, lib_digest: str,
                    timeout: int, log=print):
    """Execute one chapter (or reuse its cached run); returns ``(notebook, ledger results)``.

    Raises
    ------
    RuntimeError
        A cell of the chapter failed; the message names the chapter and the error.
    """
    import nbclient
    import nbformat
    chapter = Path(chapter)
    cache_dir.mkdir(parents=True, exist_ok=True)
    nb_path = cache_dir / f"{chapter.stem}.ipynb"
    st_path = cache_dir / f"{chapter.stem}.stamp.json"
    key = stamp(chapter, quick, lib_digest)
    if nb_path.exists() and st_path.exists():
        saved = json.loads(st_path.read_text())
        if saved.get("stamp") == key:
            log(f"  {chapter.stem}: up to date (ran in {saved['seconds']:.0f} s)")
            return nbformat.read(nb_path, as_version=4), saved["results"]
    nb = to_notebook(chapter)
    nb.cells.append(nbformat.v4.new_code_cell(_RESULTS_CELL.format(mark=_RESULTS_MARK)))
    work = cache_dir / "run"
    work.mkdir(exist_ok=True)
    log(f"  {chapter.stem}: running ({'quick' if quick else 'full size'}) ...")
    t0 = time.perf_counter()
    client = nbclient.NotebookClient(nb, timeout=timeout, kernel_name="python3",
                                     resources={"metadata": {"path": str(work)}},
                                     record_timing=False)
    with _environ(RBMPHYS_QUICK="1" if quick else "0", RBMPHYS_PROGRESS="0"):
        try:
            client.execute()
        except nbclient.exceptions.CellTimeoutError:
            raise RuntimeError(f"{chapter.name}: a cell ran longer than {timeout} s (rbmphys "
                               f"book --timeout SECONDS allows more)") from None
        except nbclient.exceptions.CellExecutionError as exc:
            first = str(exc).strip().splitlines()
            raise RuntimeError(f"{chapter.name} failed while building the book: "
                               f"{first[-1] if first else exc}") from None
    seconds = time.perf_counter() - t0
    last = nb.cells.pop()
    text = "".join(o.get("text", "") for o in last.outputs if o.get("output_type") == "stream")
    if _RESULTS_MARK not in text:
        raise RuntimeError(f"{chapter.name}: the ledger results did not come back ({text!r})")
    results = json.loads(text.split(_RESULTS_MARK, 1)[1])
    nbformat.write(nb, nb_path)
    st_path.write_text(json.dumps({"stamp": key, "seconds": seconds, "quick": quick,
                                   "python": sys.version.split()[0], "results": results},
                                  indent=1))
    log(f"  {chapter.stem}: done in {seconds:.0f} s, {len(results)} claims checked")
    return nb, results
