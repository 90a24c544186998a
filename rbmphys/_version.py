"""The version of rbmphys, and a fingerprint of the code that is installed.

A version number changes with a release; results computed by the code change whenever a file of
it does.  Caches that hand back computed results (the experiment cache of
:mod:`rbmphys.experiments.cache`, the executed chapters of the book) are keyed by
:func:`code_digest` as well, so that a changed kernel never serves numbers from the old one.
"""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path

__version__ = "0.3.1"

_SKIP_SUFFIXES = (".pyc", ".nbi", ".nbc")


@functools.lru_cache(maxsize=8)
def code_digest(exclude: tuple[str, ...] = (), suffixes: tuple[str, ...] | None = None) -> str:
    """SHA-256 of the installed package's files, by relative path and content.

    Computed once per process and arguments: the files of an installed package do not change
    under a running program.  Parameters as in :func:`tree_digest`.
    """
    return tree_digest(Path(__file__).resolve().parent, exclude, suffixes)


def tree_digest(root, exclude: tuple[str, ...] = (),
                suffixes: tuple[str, ...] | None = None) -> str:
    """SHA-256 of the files below ``root``, by relative path and content.

    Parameters
    ----------
    root : path
        The package folder.
    exclude : tuple of str
        Top-level parts of the package left out, as relative POSIX prefixes (``"site/"``,
        ``"verify/"``): code that cannot change what the caller caches.
    suffixes : tuple of str, optional
        Only files with these endings (``(".py",)``: the sources, not the shipped data); all
        files when ``None``.
    """
    pkg = Path(root)
    h = hashlib.sha256()
    for p in sorted(pkg.rglob("*")):
        rel = p.relative_to(pkg).as_posix()
        if (not p.is_file() or "__pycache__" in rel or rel.endswith(_SKIP_SUFFIXES)
                or rel.startswith(exclude)
                or (suffixes is not None and not rel.endswith(suffixes))):
            continue
        h.update(rel.encode() + b"\0" + p.read_bytes() + b"\0")
    return h.hexdigest()
