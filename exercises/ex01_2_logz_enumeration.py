"""Exercise 1.2 (computation) — ln Z by enumerating the smaller layer.

For the {0,1} RBM of ``model()`` (V = 14 visible, H = 6 hidden units, weights of scale 50),
compute the exact log partition function

    ln Z = ln Σ_{v,h} e^{-E(v,h)},    E(v,h) = -vᵀWh - aᵀv - bᵀh,

without listing the 2^20 joint states: for a fixed hidden state the sum over the visible
layer factorises over the visible units, so only the hidden states need to be enumerated.
Work in log space (``np.logaddexp``): with weights this large ln Z is about a thousand, and
e^x overflows float64 for x > 709, so the naive Σ e^{...} returns inf.

Return ``{"log_z": float, "n_terms": int}``, where n_terms is the number of terms your sum
had. ``check`` compares with :func:`rbmphys.exact.log_partition` to a relative 1e-10
(round-off of a few dozen terms). Follow-up: how many terms would the naive double sum have,
and how long would it take at 10⁹ terms per second if V = 40?
"""

import numpy as np

import rbmphys as rp
from rbmphys.verify.exercise import answer_dict, integer, number, require


def model():
    return rp.BernoulliRBM.random(14, 6, weight_scale=50.0, bias_scale=1.0, rng=12)


def solve():
    return None  # your answer here


def check(answer):
    answer_dict(answer, "log_z", "n_terms")
    x = number(answer, "log_z")
    require(np.isfinite(x), "ln Z is not finite: did e^{...} overflow? sum in log space")
    m = model()
    require(integer(answer, "n_terms") <= 2 ** min(m.n_visible, m.n_hidden),
            f"{answer['n_terms']} terms: enumerate the smaller layer only")
    want = rp.exact.log_partition(m)
    require(abs(x - want) <= 1e-10 * abs(want),
            "your ln Z differs from the exact value by more than a relative 1e-10: check the "
            "factor each visible unit contributes for a fixed h, and the sign of E")
    return True
