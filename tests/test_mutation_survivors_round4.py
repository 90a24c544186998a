"""Tests for mutants that survived the fourth round of mutation runs (``benchmarks/mutation/
scores.md``, "Round 4": seed-23 samples of ``symbolic/numeric.py`` and ``symbolic/series.py``).

Each test checks the behaviour against a route that does not go through the code under test:
exact values computed by hand or by Python itself, never a stored output of the code.
"""

from __future__ import annotations

import pytest

sp = pytest.importorskip("sympy")

from rbmphys.symbolic import to_numeric  # noqa: E402


# ------------------------------------------------------------------ symbolic/numeric.py
def test_to_numeric_default_is_plain_numpy_for_constructs_numba_cannot_compile():
    """Round 4 (``njit=False`` default turned to ``True``): the default bridge is plain NumPy
    lambdify, so it evaluates expressions that numba's nopython mode cannot type (a
    ``Piecewise``, which lambdify writes as ``numpy.select``; a ``Max``, written as
    ``numpy.amax(..., axis=0)``).  Expected values are the definitions, evaluated by Python:
    exact in float64 (a selection and a maximum involve no rounding)."""
    x, y = sp.symbols("x y")
    ramp = to_numeric(sp.Piecewise((x, x > 0), (0, True)), [x])
    for v in (-1.5, 0.0, 2.25):
        assert ramp([v]) == (v if v > 0 else 0.0)
    top = to_numeric(sp.Max(x, y), [x, y])
    for a, b in ((0.0, 1.0), (3.5, -2.0), (-1.0, -1.0)):
        assert top([a, b]) == max(a, b)
    both = to_numeric(sp.Matrix([sp.Max(x, y), sp.Min(x, y)]), [x, y])
    assert both([3.5, -2.0]).tolist() == [3.5, -2.0]


def test_to_numeric_wrong_length_argument_message_counts_the_entries():
    """Round 4 (the count in the message, ``a.shape[0]`` turned to ``a.shape[1]``: an
    IndexError instead of the ValueError): an argument with the wrong number of entries is a
    ValueError that names the symbols expected and the number of entries given, here 3 for a
    2-symbol group (and 1 for a scalar, which is reshaped to one entry)."""
    x, y, k = sp.symbols("x y k")
    f = to_numeric(-k * x + y, [x, y], [k], name="rhs")
    assert f([1.0, 2.0], [0.5]) == -0.5 * 1.0 + 2.0      # exact in binary floating point
    with pytest.raises(ValueError, match=r"argument 0 of rhs must have 2 entries \(x, y\), "
                                         r"got 3$"):
        f([1.0, 2.0, 3.0], [0.5])
    with pytest.raises(ValueError, match=r"argument 1 of rhs must have 1 entries \(k\), got 2$"):
        f([1.0, 2.0], [0.5, 0.25])
    with pytest.raises(ValueError, match=r"argument 0 of rhs must have 2 entries \(x, y\), "
                                         r"got 1$"):
        f(1.0, [0.5])
    with pytest.raises(TypeError, match="rhs takes 2 argument arrays, got 1"):
        f([1.0, 2.0])
