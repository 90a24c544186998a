"""How the book is being run: at quick or full size, as a script or in a notebook.

``rbmphys run chNN --quick``, ``python chapters/chNN_slug.py --quick``, ``rbmphys book --quick``
and a notebook started with the environment variable ``RBMPHYS_QUICK=1`` all mean the same:
every chapter reads its size from :func:`quick_mode` in its ``parameters`` cell, and
:func:`rbmphys.plotting.save_figure` marks the figures of a quick run as such.

Introduced in Chapter 1.
"""

from __future__ import annotations

import contextlib
import os
import sys

__all__ = ["quick_mode", "quick_override", "in_notebook", "QUICK_ENV"]

#: The environment variable that selects quick mode where there is no command line (a notebook).
QUICK_ENV = "RBMPHYS_QUICK"

_TRUE, _FALSE = ("1", "true", "yes", "on"), ("", "0", "false", "no", "off")
_override: list = []


def _env_flag(name: str) -> bool:
    raw = os.environ.get(name, "")
    val = raw.strip().lower()
    if val in _TRUE:
        return True
    if val in _FALSE:
        return False
    raise ValueError(f"environment variable {name}={raw!r}: use 1 (quick) or 0 (full size)")


def quick_mode() -> bool:
    """True when the book runs at its reduced (quick) sizes.

    In order: the mode set by the caller that runs the chapter (``rbmphys run chNN --quick``,
    :meth:`rbmphys.verify.book.ChapterScript.main`, through :func:`quick_override`); else
    ``--quick`` among the script's arguments (``python chapters/ch03_gaussian_fields.py
    --quick``); else the environment variable ``RBMPHYS_QUICK`` (``1`` quick, ``0`` or unset
    full size), the way to choose in a notebook.

    Returns
    -------
    bool

    Raises
    ------
    ValueError
        ``RBMPHYS_QUICK`` is set to something other than 1/0 (true/false, yes/no, on/off).

    >>> with quick_override(True):
    ...     quick_mode()
    True
    """
    if _override:
        return _override[-1]
    if "--quick" in sys.argv[1:]:
        return True
    return _env_flag(QUICK_ENV)


@contextlib.contextmanager
def quick_override(quick: bool):
    """Inside the block :func:`quick_mode` returns ``bool(quick)`` whatever the command line
    and the environment say (used by the runners of chapters)."""
    _override.append(bool(quick))
    try:
        yield
    finally:
        _override.pop()


def in_notebook() -> bool:
    """True inside a running Jupyter (IPython) kernel, where figures display inline and progress
    shows as a notebook bar.  Only looks: it never imports IPython."""
    ipython = sys.modules.get("IPython")
    if ipython is None:
        return False
    try:
        shell = ipython.get_ipython()
    except Exception:  # noqa: BLE001 - a broken IPython is not a notebook
        return False
    return shell is not None and getattr(shell, "kernel", None) is not None
