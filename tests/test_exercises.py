"""Every exercise: the reference solution passes its check, the unfilled stub fails it."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
EXERCISES = sorted((ROOT / "exercises").glob("ex*_*.py"))


def _load(path: Path):
    spec = importlib.util.spec_from_file_location(f"_ex_{path.parent.name}_{path.stem}", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_there_are_exercises():
    # at least three per written chapter
    chapters = sorted((ROOT / "chapters").glob("ch*_*.py"))
    for ch in chapters:
        n = ch.stem[2:4]
        assert len(list((ROOT / "exercises").glob(f"ex{n}_*.py"))) >= 3, ch.name


@pytest.mark.parametrize("path", EXERCISES, ids=[p.stem for p in EXERCISES])
def test_solution_passes_and_stub_fails(path):
    from rbmphys.verify.exercise import run_exercise
    exercise = _load(path)
    solution = _load(ROOT / "exercises" / "solutions" / path.name)
    assert exercise.__doc__ and len(exercise.__doc__) > 200, "the problem statement is missing"
    assert exercise.check(solution.solve()) is True
    ok, msg = run_exercise(path.stem[:6])                   # the unfilled stub
    assert not ok and "fill it in" in msg
    src = path.read_text()
    assert "assert " not in src, "checks must raise ExerciseError (python -O removes assert)"


@pytest.mark.parametrize("path", EXERCISES, ids=[p.stem for p in EXERCISES])
def test_failure_messages_never_reveal_the_answer(path):
    """Wrong answers get a message; the reference answer's numbers never appear in it."""
    from rbmphys.verify.exercise import ExerciseError
    exercise = _load(path)
    solution = _load(ROOT / "exercises" / "solutions" / path.name)
    right = solution.solve()
    wrong = _perturb(right)
    with pytest.raises(ExerciseError) as exc:
        exercise.check(wrong)
    msg = str(exc.value)
    for number in _numbers(right):
        assert f"{number:.4f}" not in msg and f"{number:.6g}" not in msg, msg


def _numbers(answer):
    import numpy as np
    out = []
    vals = answer.values() if isinstance(answer, dict) else [answer]
    for v in vals:
        if isinstance(v, (int, float, np.floating)) and not isinstance(v, bool):
            out.append(float(v))
    return out


def _perturb(answer):
    """A wrong answer of the same shape: numbers shifted, sympy expressions plus 1, models
    with scrambled weights, arrays negated."""
    import numpy as np
    import sympy as sp
    out = {}
    for k, v in answer.items():
        if isinstance(v, (bool, dict)):
            out[k] = v
        elif isinstance(v, (int, np.integer)):
            out[k] = v
        elif isinstance(v, (float, np.floating)):
            out[k] = float(v) + 0.37
        elif isinstance(v, (sp.Basic, sp.MatrixBase)):
            out[k] = v + (sp.ones(*v.shape) if isinstance(v, sp.MatrixBase) else 1)
        elif hasattr(v, "W"):
            w = v.copy()
            w.W[...] = -w.W                      # couplings of the wrong sign
            out[k] = w
        else:
            arr = np.asarray(v)
            out[k] = ~arr if arr.dtype == bool else arr + 0.5 if arr.dtype.kind == "f" and \
                np.all(np.abs(arr) != 1) else -arr
    return out
