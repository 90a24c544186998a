"""Exercises: how a student's answer is checked (``rbmphys exercise exNN_M``).

An exercise ``exercises/exNN_M_slug.py`` states the problem in its docstring, has a ``solve()``
for the student to fill in and a ``check(answer)`` that *recomputes* what the answer claims —
from the seed, model or samples the student returns — and raises :class:`ExerciseError` with a
message that says what is wrong, never what the right value is.  ``check`` uses
:func:`require`, not ``assert`` (which ``python -O`` removes).

From the command line::

    rbmphys exercise ex01_2                 # runs solve() of exercises/ex01_2_*.py, then check()
    rbmphys exercise ex01_2 --file mine.py  # your own copy of the exercise file

Introduced in Chapter 1.
"""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

__all__ = ["ExerciseError", "require", "exercise_path", "load_exercise", "run_exercise"]


class ExerciseError(Exception):
    """The answer is not right yet; the message says what is wrong (never the answer)."""


def require(condition, message):
    """Raise :class:`ExerciseError` with ``message`` unless ``condition`` holds."""
    if not condition:
        raise ExerciseError(message)
    return True


def exercise_path(name: str) -> Path:
    """Path of ``exercises/exNN_M_*.py`` for ``name`` = ``"exNN_M"`` (or the full stem)."""
    from .book import book_root
    m = re.fullmatch(r"ex(\d{1,2})_(\d+)(_\w+)?", str(name))
    if m is None:
        raise ValueError(f"not an exercise name: {name!r} (use e.g. ex01_2)")
    stem = f"ex{int(m.group(1)):02d}_{m.group(2)}"
    root = book_root()
    hits = sorted((root / "exercises").glob(f"{stem}_*.py")) if root else []
    if not hits:
        raise ValueError(f"no exercise {stem}: `rbmphys list` shows the exercises")
    return hits[0]


def load_exercise(path):
    """Import an exercise file as a module (it must define ``solve`` and ``check``)."""
    path = Path(path)
    if not path.is_file():
        raise ValueError(f"no such exercise file: {path}")
    spec = importlib.util.spec_from_file_location(f"rbmphys_exercise_{path.stem}", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    for fn in ("solve", "check"):
        if not callable(getattr(mod, fn, None)):
            raise ValueError(f"{path.name} defines no {fn}()")
    return mod


def run_exercise(name, file=None):
    """Run ``solve()`` then ``check(answer)``; returns ``(passed, message)``.

    ``file`` is the student's own copy of the exercise (default: the book's file)."""
    path = Path(file) if file is not None else exercise_path(name)
    mod = load_exercise(path)
    answer = mod.solve()
    if answer is None:
        return False, "solve() returned None: fill it in (the problem is in the docstring)"
    try:
        mod.check(answer)
    except ExerciseError as exc:
        return False, str(exc)
    return True, "correct"
