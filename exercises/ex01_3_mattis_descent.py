"""Exercise 1.3 (experiment) — zero-temperature descent in Mattis' model.

Mattis' model is an RBM with ±1 units, no biases and one pattern (RAPID eq. (5), K = 1):
W = ξ_v ξ_hᵀ. Its ground states are ±(ξ_v, ξ_h). At zero temperature block Gibbs becomes a
deterministic descent, two half-steps

    h ← sign(Wᵀ s),    s ← sign(W h)          (np.sign, so sign(0) = 0).

1. Predict, with pencil and paper, the fraction of uniformly random starts s ∈ {±1}^V that end
   in ±(ξ_v, ξ_h) after these two half-steps, for V = 20. (Write Wᵀs in terms of the overlap
   ξ_vᵀs: what can go wrong?)
2. Measure it on ``model()`` from at least 2000 uniformly random starts.

Return ``{"predicted": float, "starts": array (n, 20) of the ±1 starts you used,
"reached": bool array (n,) — whether each start reached ±ξ}``. ``check`` redoes the descent
from your starts, so the measurement must be real; it checks your prediction exactly and that
the measured fraction agrees with it within 4 binomial standard errors.
Why it matters: the Mattis landscape has no frustration — one sweep finds the ground state
from almost anywhere, unlike the spin glass of random weights (Chapter 9).
"""

import math

import numpy as np

from rbmphys.analysis import ising
from rbmphys.verify.exercise import answer_dict, array, number, require


def model():
    """The Mattis model and its pattern: (SpinRBM, ξ_v (20,), ξ_h (10,))."""
    m, xv, xh = ising.mattis_model(20, 10, rng=3)
    return m, xv[0], xh[0]


def _descend(m, s):
    h = np.sign(s @ m.W)
    return np.sign(h @ m.W.T), h


def check(answer):
    answer_dict(answer, "predicted", "starts", "reached")
    m, xv, xh = model()
    s0 = array(answer, "starts")
    reached = np.asarray(answer["reached"], dtype=bool)
    require(s0.ndim == 2 and s0.shape[1] == 20 and np.all(np.abs(s0) == 1),
            "starts must be an (n, 20) array of ±1 spins")
    n = len(s0)
    require(n >= 2000, f"use at least 2000 starts, not {n}")
    require(reached.shape == (n,), "reached must hold one boolean per start")
    # the starts must look uniformly random: each spin +1 about half of the time
    require(np.all(np.abs(s0.mean(0)) < 5 / np.sqrt(n)),
            "the starts are not uniformly random ±1 spins")
    s, h = _descend(m, s0)
    target = np.hstack([xv, xh])
    joint = np.hstack([s, h])
    truly = (joint == target).all(1) | (joint == -target).all(1)
    require(np.array_equal(truly, reached),
            f"'reached' disagrees with the descent from your starts for "
            f"{int((truly != reached).sum())} of them")
    exact = 1.0 - math.comb(20, 10) / 2**20
    require(abs(number(answer, "predicted") - exact) < 1e-12,
            "the prediction is not right: for which starts is Wᵀs = 0, and how many of the "
            "2^20 starts are they?")
    se = math.sqrt(exact * (1 - exact) / n)
    require(abs(reached.mean() - exact) < 4 * se,
            "the measured fraction is more than 4 standard errors from your prediction")
    return True


def solve():
    return None  # your answer here
