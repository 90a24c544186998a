"""Exercise 8.3 (critical point) — the order parameter of one mode.

For the centred variable z = Σ c_i (v_i − ½) of Exercise 8.2 with the 24 couplings
c = np.random.default_rng(83).normal(size=24) normalised to a unit vector, the mode's free energy
is F(z) = −σz²/2 + V_c(z).

1. At which singular value σ_c does z = 0 stop being the minimum?
2. At σ = 1.2 σ_c, where is the positive minimum z* of F (to 1e-6)? Use the exact V_c —
   ``rbmphys.analysis.symmetry.constraint_force`` gives V_c'(z) — not its quartic truncation.
3. How far (relative) is the Landau prediction √((σ − k̄)/ᾱ) from your z* there?

Return ``{"sigma_c": float, "z_star": float, "landau_error": float}``. ``check`` verifies that
F'(z*) = 0 and F'' > 0 there, and recomputes σ_c and the Landau error; it says which part fails.
"""

import numpy as np

from rbmphys.verify.exercise import answer_dict, number, require


def solve():
    return None  # your answer here


def check(answer):
    from rbmphys.analysis.symmetry import constraint_force
    from rbmphys.symbolic.fokker_planck import landau_coefficients_numeric

    answer_dict(answer, "sigma_c", "z_star", "landau_error")
    c = np.random.default_rng(83).normal(size=24)
    c /= np.linalg.norm(c)
    coef = landau_coefficients_numeric(c)
    k2 = coef["kappa2"]                                 # κ₂ = Σc²/4 of uniform bits
    require(abs(number(answer, "sigma_c") * k2 - 1) < 1e-9, "σ_c is wrong: where −σ + V_c''(0) "
                                                           "changes sign")
    sig = 1.2 / k2
    z = number(answer, "z_star")
    require(0 < z < 0.5 * np.abs(c).sum(), "z* must be positive and inside the range of z")
    require(abs(constraint_force(c, z) - sig * z) < 1e-6, "F'(z*) ≠ 0: not a stationary point")
    d = 1e-5
    curv = (constraint_force(c, z + d) - constraint_force(c, z - d)) / (2 * d) - sig
    require(curv > 0, "F''(z*) ≤ 0: that is not a minimum")
    alpha = coef["alpha"]                               # ᾱ = K₁₁₁₁/6 from the cumulants
    landau = np.sqrt((sig - 1 / k2) / alpha)
    require(abs(number(answer, "landau_error") - abs(landau / z - 1)) < 1e-4,
            "the Landau error is wrong: |√((σ − k̄)/ᾱ)/z* − 1|")
    return True
