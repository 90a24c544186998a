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
import math
import numbers
import re
from pathlib import Path

import numpy as np

__all__ = ["ExerciseError", "require", "exercise_path", "load_exercise", "run_exercise",
           "answer_dict", "number", "integer", "integers", "array"]


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
    mod = _exec_file(path)
    for fn in ("solve", "check"):
        if not callable(getattr(mod, fn, None)):
            raise ValueError(f"{path.name} defines no {fn}()")
    return mod


def _exec_file(path):
    spec = importlib.util.spec_from_file_location(f"rbmphys_exercise_{path.stem}", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _describe(exc):
    if isinstance(exc, SystemExit):
        return f"called sys.exit({exc.code!r}): return the answer instead"
    return f"raised {type(exc).__name__}: {exc}"


def run_exercise(name, file=None):
    """Run the student's ``solve()``, then the book's ``check(answer)``; returns
    ``(passed, message)``.

    ``file`` is the student's own copy of the exercise (default: the book's file).  Only its
    ``solve`` is used: ``check`` always comes from the book's exercise ``name``, loaded before
    the student's file runs, so a ``check`` redefined in the copy changes nothing.  Whatever
    the student's code raises — an exception, ``sys.exit`` — is a "not yet" with its message,
    and so is an answer the book's check cannot even read (a string where a number is asked)."""
    book = load_exercise(exercise_path(name))
    check, not_yet = book.check, ExerciseError          # bound before any student code runs
    if file is None:
        solve = book.solve
    else:
        path = Path(file)
        if not path.is_file():
            raise ValueError(f"no such exercise file: {path}")
        try:
            student = _exec_file(path)
        except KeyboardInterrupt:
            raise
        except BaseException as exc:                    # noqa: BLE001 - the student's code
            return False, f"loading {path.name} {_describe(exc)}"
        solve = getattr(student, "solve", None)
        if not callable(solve):
            return False, f"{path.name} defines no solve()"
    try:
        answer = solve()
    except KeyboardInterrupt:
        raise
    except BaseException as exc:                        # noqa: BLE001 - the student's code
        return False, f"your solve() {_describe(exc)}"
    if answer is None:
        return False, "solve() returned None: fill it in (the problem is in the docstring)"
    try:
        check(answer)
    except not_yet as exc:
        return False, str(exc)
    except KeyboardInterrupt:
        raise
    except Exception as exc:                            # noqa: BLE001 - an unreadable answer
        return False, (f"your answer could not be checked ({type(exc).__name__}: {exc}): "
                       "return the types the docstring asks for")
    return True, "correct"


# ---------------------------------------------------------------------- reading typed answers
def answer_dict(answer, *keys, hint=""):
    """Require the answer to be a dict holding every key of ``keys`` (a ``check`` states the
    shape of the answer first, so that a student sees every key the docstring asks for at
    once); ``hint`` is added to the message (what a key holds)."""
    listed = ", ".join(repr(k) for k in keys[:-1])
    listed = f"{listed} and {keys[-1]!r}" if listed else f"{keys[-1]!r}"
    require(isinstance(answer, dict) and set(keys) <= set(answer),
            f"return a dict with key{'s' if len(keys) > 1 else ''} {listed}{hint}")
    return answer


def _entry(answer, key):
    if not isinstance(answer, dict):
        raise ExerciseError(f"return a dict (with the key {key!r}), got {type(answer).__name__}")
    if key not in answer:
        raise ExerciseError(f"the answer has no key {key!r}")
    return answer[key]


def number(answer, key, *, low=None, positive=False):
    """``answer[key]`` as a finite float, or :class:`ExerciseError` saying what it must be."""
    x = _entry(answer, key)
    if isinstance(x, (str, bytes, bool, np.bool_)) or not isinstance(
            x, (numbers.Real, np.ndarray)) or np.ndim(x) != 0:
        raise ExerciseError(f"{key} must be a real number, got {x!r}")
    x = float(x)
    if not math.isfinite(x):
        raise ExerciseError(f"{key} must be a finite number, got {x!r}")
    if low is not None and x < low:
        raise ExerciseError(f"{key} must be >= {low}, got {x!r}")
    if positive and not x > 0:
        raise ExerciseError(f"{key} must be positive, got {x!r}")
    return x


def _as_int(x, key):
    if isinstance(x, (str, bytes, bool, np.bool_)) or not isinstance(
            x, (numbers.Real, np.ndarray)) or np.ndim(x) != 0:
        raise ExerciseError(f"{key} must be an integer, got {x!r}")
    if isinstance(x, (numbers.Integral, np.integer)):
        return int(x)
    x = float(x)
    if not (math.isfinite(x) and x == int(x)):
        raise ExerciseError(f"{key} must be an integer, got {x!r}")
    return int(x)


def integer(answer, key, *, low=0):
    """``answer[key]`` as an int (a count: ``>= low``, default 0); ``67.9``, ``inf``, ``"3"``
    and negative counts are an :class:`ExerciseError` saying what it must be."""
    n = _as_int(_entry(answer, key), key)
    if low is not None and n < low:
        raise ExerciseError(f"{key} must be an integer >= {low}, got {n}")
    return n


def integers(answer, key, *, low=None):
    """``answer[key]`` as a list of ints."""
    x = _entry(answer, key)
    try:
        items = list(x)
    except TypeError:
        raise ExerciseError(f"{key} must be a list of integers, got {x!r}") from None
    out = [_as_int(v, key) for v in items]
    if low is not None and any(n < low for n in out):
        raise ExerciseError(f"{key} must hold integers >= {low}")
    return out


def array(answer, key, *, ndim=None):
    """``answer[key]`` as a finite float array (optionally of ``ndim`` dimensions)."""
    x = _entry(answer, key)
    if isinstance(x, (str, bytes)):
        raise ExerciseError(f"{key} must be an array of numbers, got a string")
    try:
        a = np.asarray(x, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise ExerciseError(f"{key} must be an array of numbers ({exc})") from None
    if ndim is not None and a.ndim != ndim:
        raise ExerciseError(f"{key} must be a {ndim}-d array, got shape {a.shape}")
    if a.size == 0:
        raise ExerciseError(f"{key} is empty")
    if not np.all(np.isfinite(a)):
        raise ExerciseError(f"{key} must hold finite numbers (it has NaN or inf)")
    return a


def formula(answer, key, symbols, hint=""):
    """``answer[key]`` — a sympy expression or Matrix, or its text — as a sympy object over the
    given ``symbols`` only (:func:`rbmphys.symbolic.parse.parse_formula`: text is parsed on a
    whitelist, never evaluated); anything else is an :class:`ExerciseError` saying why."""
    from ..symbolic.parse import parse_formula
    x = _entry(answer, key)
    try:
        return parse_formula(x, symbols)
    except (TypeError, ValueError) as exc:
        msg = str(exc)
        extra = hint if ("also uses" in msg or "unknown name" in msg) else ""
        raise ExerciseError(f"{key}: {msg}{extra}") from None
