"""Exercise 6.3 (closed form) — the Gaussian relaxation of Z without couplings.

Chapter 6 relaxes the binary density of states of an RBM to a Gaussian with the exact first two
moments: every reciprocal variable (and, when W = 0, every unit) becomes N(½, ¼). For an RBM
*without couplings* (W = 0) with visible biases a = (0.5, −1, 2) and hidden biases
b = (0.3, −0.7):

1. compute the relaxed ln Z (closed form: one Gaussian integral per unit, plus the (N+M) ln 2 of
   the uniform measure);
2. compute the exact ln Z (the units are independent);
3. give the difference, relaxed − exact.

Return ``{"relaxed": float, "exact": float, "difference": float}``. ``check`` recomputes both
with the library (its relaxation and exact enumeration) and says which one is wrong.
"""

import numpy as np

from rbmphys.verify.exercise import answer_dict, number, require


def solve():
    return None  # your answer here


def check(answer):
    import rbmphys as rp
    from rbmphys.analysis.reciprocal import relaxed_log_partition

    answer_dict(answer, "relaxed", "exact", "difference")
    m = rp.BernoulliRBM(np.zeros((3, 2)), [0.5, -1.0, 2.0], [0.3, -0.7])
    rel, ex = relaxed_log_partition(m).log_z, rp.exact.log_partition(m)
    require(abs(number(answer, "exact") - ex) < 1e-9, "the exact ln Z is wrong: each unit "
                                                     "contributes ln(1 + e^{bias})")
    require(abs(number(answer, "relaxed") - rel) < 1e-9, "the relaxed ln Z is wrong: "
            "E[e^{c v}] for v ~ N(½, ¼) is exp(c/2 + c²/8)")
    require(abs(number(answer, "difference") - (rel - ex)) < 1e-9,
            "the difference does not match your two numbers")
    return True
