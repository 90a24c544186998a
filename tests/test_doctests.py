"""The Examples sections of the docstrings run and show what they claim (STYLE.md habit 3)."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = ["rbmphys.models._binary", "rbmphys.samplers.gibbs", "rbmphys.exact._enumerate",
           "rbmphys.training._trainer", "rbmphys.samplers.ais", "rbmphys.datasets._bars"]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    mod = importlib.import_module(name)
    result = doctest.testmod(mod, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0, f"{name} has no examples"
    assert result.failed == 0
