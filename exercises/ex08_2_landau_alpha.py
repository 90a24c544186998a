"""Exercise 8.2 (cumulants) — the quartic Landau coefficient of a mode.

A centred reciprocal variable z = Σ_i c_i (v_i − ½) with independent uniform bits v_i ∈ {0, 1}
has cumulants κ₂ = Σc_i²/4 and κ₄ = Σc_i⁴ κ₄(bit). Its constraint potential V_c (the Legendre
transform of the cumulant generating function Σ ln cosh(t c_i/2)) has, at z = 0, the Taylor
coefficients K₁₁ = 1/κ₂ and K₁₁₁₁ = −κ₄/κ₂⁴ (no odd terms: z is symmetric), and the Landau
coefficients are k̄ = K₁₁, ᾱ = K₁₁₁₁/6 (55).

For n = 16 bits with equal couplings c_i = 1/4 (a unit vector), compute

1. κ₄ of one centred bit;
2. k̄ and ᾱ.

Return ``{"bit_kappa4": float, "k": float, "alpha": float}``. ``check`` computes V_c
numerically (Legendre transform by root finding, finite differences) and compares; it says
which part is wrong.
"""

import numpy as np

from rbmphys.verify.exercise import answer_dict, number, require


def solve():
    return None  # your answer here


def check(answer):
    from rbmphys.analysis.symmetry import constraint_force

    answer_dict(answer, "bit_kappa4", "k", "alpha")
    vals = np.array([-0.5, 0.5])
    k4 = np.mean(vals**4) - 3 * np.mean(vals**2) ** 2
    require(abs(number(answer, "bit_kappa4") - k4) < 1e-12, "κ₄ of a centred bit is wrong: "
                                                           "⟨x⁴⟩ − 3⟨x²⟩²")
    c = np.full(16, 0.25)
    h = 0.02
    t = lambda z: constraint_force(c, z)          # noqa: E731
    k_num = (8 * (t(h) - t(-h)) - (t(2 * h) - t(-2 * h))) / (12 * h)
    a_num = (t(2 * h) - 2 * t(h) + 2 * t(-h) - t(-2 * h)) / (2 * h**3) / 6
    require(abs(number(answer, "k") / k_num - 1) < 1e-4, "k̄ is wrong: 1/κ₂")
    require(abs(number(answer, "alpha") / a_num - 1) < 2e-3, "ᾱ is wrong: −κ₄/(6κ₂⁴), with κ₄ "
                                                            "of the sum = Σc⁴ κ₄(bit)")
    return True
