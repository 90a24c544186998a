"""Exercise 6.2 (derivation) — where is the Marchenko–Pastur density largest?

The singular values of an N×M matrix with i.i.d. N(0, σ_W²) entries have the density (20)

    ρ(σ) = √((σ₊² − σ²)(σ² − σ₋²)) / (π q σ),   σ± = σ_W |√N ± √M|,   q = min(N, M) σ_W².

Set ρ'(σ) = 0 and find the position σ* of the maximum in closed form (sympy may help: work with
t = σ²). Then evaluate it for an RBM with N = 784 visible units, M = 1200 hidden units and
σ_W = 0.01, and give the density there.

Return ``{"peak": float, "density": float}``. ``check`` locates the maximum of the library's
density numerically on a fine grid and compares; it says which part is wrong.
"""

import numpy as np

from rbmphys.verify.exercise import answer_dict, number, require


def solve():
    return None  # your answer here


def check(answer):
    from rbmphys.analysis.random_matrix import marchenko_pastur

    answer_dict(answer, "peak", "density")
    mp = marchenko_pastur(784, 1200, 0.01)
    s = np.linspace(mp.a, mp.b, 400001)
    rho = mp.pdf(s)
    k = int(np.argmax(rho))
    peak = number(answer, "peak")
    require(abs(peak - s[k]) < 2e-5, "the position of the maximum is wrong: ρ' = 0 is a "
                                     "quadratic equation in t = σ² with roots ±σ₊σ₋")
    require(abs(number(answer, "density") - float(mp.pdf(peak))) < 1e-6 * rho[k],
            "the density at your peak is not ρ(σ*)")
    return True
