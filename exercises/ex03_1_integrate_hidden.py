"""Exercise 3.1 (derivation, sympy) — integrate the hidden field out of the scalar-field RBM.

For N_v = 2 visible and N_h = 1 hidden Gaussian units the action is

    S(φ, h) = ½ μ² (φ_0² + φ_1²) + (h − η)² / (2 σ_h²) − h (W_0 φ_0 + W_1 φ_1).

Integrate e^{−S} over h with sympy (``sympy.integrate(..., (h, -oo, oo))`` with suitable
assumptions, or complete the square by hand and let sympy check it). The result is
C · exp(−½ φᵀKφ + φᵀJ) for a 2×2 matrix K and a vector J that depend on μ², σ_h², W, η.

Return ``{"K": Matrix (2×2), "J": Matrix (2×1)}`` in the symbols ``mu2, sigma_h2, W_0, W_1,
eta`` (``sympy.symbols(..., positive=True)`` for mu2 and sigma_h2). ``check`` evaluates them at
random parameters against the library's ``GaussianRBM.precision()`` and ``.source()`` and says
which one is wrong.
"""

import numpy as np

from rbmphys.verify.exercise import answer_dict, require


def solve():
    return None  # your answer here


def check(answer):
    import sympy as sp

    import rbmphys as rp

    answer_dict(answer, "K", "J")
    syms = {n: sp.Symbol(n, positive=True) for n in ("mu2", "sigma_h2")}
    syms.update({n: sp.Symbol(n, real=True) for n in ("W_0", "W_1", "eta")})
    try:
        K, J = sp.Matrix(answer["K"]), sp.Matrix(answer["J"]).reshape(2, 1)
    except Exception as exc:                       # noqa: BLE001 - any malformed answer
        require(False, f"K must be a 2×2 and J a 2-entry sympy Matrix ({exc})")
    require(K.shape == (2, 2), "K must be 2×2")
    names = {str(s) for s in K.free_symbols | J.free_symbols}
    require(names <= set(syms), f"use only the symbols {sorted(syms)}; found {sorted(names)}")
    g = np.random.default_rng(31)
    for _ in range(3):
        vals = {"mu2": g.uniform(3, 5), "sigma_h2": g.uniform(0.5, 1.5),
                "W_0": g.normal(), "W_1": g.normal(), "eta": g.normal()}
        sub = {sp.Symbol(k, positive=k in ("mu2", "sigma_h2"), real=True): v
               for k, v in vals.items()}
        sub = {s: vals[str(s)] for s in K.free_symbols | J.free_symbols}
        m = rp.GaussianRBM([[vals["W_0"]], [vals["W_1"]]], vals["mu2"], vals["sigma_h2"],
                           eta=[vals["eta"]])
        Kn = np.array(K.subs(sub).evalf(), dtype=float)
        Jn = np.array(J.subs(sub).evalf(), dtype=float).ravel()
        require(np.allclose(Kn, m.precision(), atol=1e-10),
                "K is not the kernel of the marginal: check the terms quadratic in φ that the "
                "h-integral produces")
        require(np.allclose(Jn, m.source(), atol=1e-10),
                "J is not the source of the marginal: check the terms linear in φ")
    return True
