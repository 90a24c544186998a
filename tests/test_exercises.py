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
    # at least three per written chapter (DESIGN.md)
    chapters = sorted((ROOT / "chapters").glob("ch*_*.py"))
    for ch in chapters:
        n = ch.stem[2:4]
        assert len(list((ROOT / "exercises").glob(f"ex{n}_*.py"))) >= 3, ch.name


@pytest.mark.parametrize("path", EXERCISES, ids=[p.stem for p in EXERCISES])
def test_solution_passes_and_stub_fails(path):
    exercise = _load(path)
    solution = _load(ROOT / "exercises" / "solutions" / path.name)
    assert exercise.__doc__ and len(exercise.__doc__) > 200, "the problem statement is missing"
    assert exercise.check(solution.solve()) is True
    with pytest.raises(AssertionError):
        exercise.check(exercise.solve())
