"""Exercise 8.1 (computation) — a symmetry of the initialisation.

Draw W ∈ R^{20×8} with i.i.d. N(0, 0.1²) entries (``np.random.default_rng(81).normal(0, 0.1,
(20, 8))``). Construct a *different* weight matrix W' with the same Gaussian prior probability
(49) and the same singular values, by rotating the left singular vectors: W' = (RU)ΣVᵀ with a
rotation R of R^20 of your choice (not the identity).

Return ``{"W_rotated": array (20, 8), "log_prior": float}`` where log_prior is ln P(W') for
σ_W = 0.1. ``check`` verifies that your W' has the singular values of W, differs from W, that
its entries still pass a Kolmogorov–Smirnov test against N(0, 0.1²) (p > 0.001), and that
ln P(W') is right; it says which part fails.
"""

import numpy as np

from rbmphys.verify.exercise import answer_dict, array, number, require


def solve():
    return None  # your answer here


def check(answer):
    from scipy import stats

    answer_dict(answer, "W_rotated", "log_prior")
    W = np.random.default_rng(81).normal(0, 0.1, (20, 8))
    Wr = array(answer, "W_rotated")
    require(Wr.shape == (20, 8), "W_rotated must be 20×8")
    require(np.allclose(np.linalg.svd(Wr, compute_uv=False), np.linalg.svd(W, compute_uv=False),
                        atol=1e-10), "the singular values changed: R must be orthogonal")
    require(np.max(np.abs(Wr - W)) > 1e-3, "W_rotated is (nearly) W itself: pick a rotation "
                                           "that is not the identity")
    require(stats.kstest(Wr.ravel(), stats.norm(0, 0.1).cdf).pvalue > 1e-3,
            "the rotated entries do not look N(0, σ_W²): is R a proper random rotation?")
    want = float(-0.5 * W.size * np.log(2 * np.pi * 0.01) - np.sum(Wr**2) / (2 * 0.01))
    require(abs(number(answer, "log_prior") - want) < 1e-8 * abs(want),
            "ln P(W') is wrong: (49) with Tr(WᵀW) = Σσ²")
    return True
