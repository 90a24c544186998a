"""Exercise 7.2 (random matrices) — when does a random RBM first have a runaway mode?

In the relaxed picture of Chapters 6-7 a mode with singular value σ > 4 has no stationary state.
An RBM initialised with W_ij ~ N(0, σ_W²) has singular values filling the Marchenko–Pastur
interval [σ₋, σ₊] (20).

For N = 784 visible and M = 500 hidden units find

1. ``first``: the σ_W at which the *largest* singular value (the upper MP edge) reaches 4;
2. ``peak``: the σ_W at which the *most likely* singular value (the MP peak) reaches 4;
3. ``all``: the σ_W at which *every* singular value (the lower edge) exceeds 4.

Return a dict with these three floats. ``check`` evaluates the library's Marchenko–Pastur law
at your σ_W values and says which one is wrong.
"""

import numpy as np

from rbmphys.verify.exercise import answer_dict, require


def solve():
    return None  # your answer here


def check(answer):
    from rbmphys.analysis.random_matrix import marchenko_pastur

    answer_dict(answer, "first", "peak", "all")
    for key, what in (("first", "b"), ("peak", "peak"), ("all", "a")):
        sw = float(answer[key])
        require(np.isfinite(sw) and sw > 0, f"{key}: σ_W must be a positive number")
        mp = marchenko_pastur(784, 500, sw)
        val = getattr(mp, what)
        require(abs(val - 4.0) < 1e-6, f"{key}: at your σ_W the relevant singular value is "
                                       "not 4 (upper edge σ_W(√N+√M), peak σ_W√|N−M|, lower "
                                       "edge σ_W|√N−√M|)")
    return True
