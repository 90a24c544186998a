"""Exercise 1.3 (experiment) — zero-temperature descent in Mattis' model.

Mattis' model is an RBM with ±1 units, no biases and one pattern (RAPID eq. (5), K = 1):
W = ξ_v ξ_hᵀ.  Its ground states are ±(ξ_v, ξ_h).  At zero temperature block Gibbs becomes a
deterministic descent:

    h ← sign(Wᵀ s),    s ← sign(W h)          (np.sign, so sign(0) = 0).

1. Predict (pencil and paper) the fraction of uniformly random starts s ∈ {±1}^V that reach
   ±(ξ_v, ξ_h) after these two half-steps.  Hint: Wᵀs = ξ_h (ξ_vᵀ s); when is it zero?
   Express the answer for even V with a binomial coefficient.
2. Measure it for V = 20, H = 10 (use ``rbmphys.analysis.ising.mattis_model(20, 10, rng=3)``)
   from at least 2000 random starts.

Return ``{"predicted": float, "measured": float, "n_starts": int}``.  ``check`` verifies the
prediction exactly and that the measurement agrees within 4 binomial standard errors.
Why it matters: the Mattis landscape has no frustration — one sweep finds the ground state from
almost anywhere, in contrast with the spin glass of random weights (Chapter 9).
"""

import math

import numpy as np


def solve():
    return None  # your answer here


def check(answer):
    assert answer is not None, "solve() returned None: fill it in"
    assert isinstance(answer, dict) and {"predicted", "measured", "n_starts"} <= set(answer), \
        "return a dict with keys 'predicted', 'measured', 'n_starts'"
    V = 20
    exact = 1.0 - math.comb(V, V // 2) / 2**V
    assert abs(answer["predicted"] - exact) < 1e-12, \
        f"predicted {answer['predicted']:.6f}, but the fraction of starts with ξ_vᵀs ≠ 0 is " \
        "different: count the s with zero overlap"
    n = int(answer["n_starts"])
    assert n >= 2000, f"use at least 2000 starts, not {n}"
    se = math.sqrt(exact * (1 - exact) / n)
    assert abs(answer["measured"] - exact) < 4 * se, \
        f"measured {answer['measured']:.4f} vs predicted {exact:.4f} (4 SE = {4 * se:.4f})"
    return True
