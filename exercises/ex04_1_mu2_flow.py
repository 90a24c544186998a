"""Exercise 4.1 (derivation, sympy) — the flow of the mass term, Eq. (27).

For N_v = 2 visible units and N_h = 1 hidden unit, write the Gaussian log-likelihood of the
scalar-field RBM,

    L = −½ tr(K C) + ½ ln det K,      K = μ² 1 − σ_h² W Wᵀ,

with symbols ``mu2, sigma_h2`` (positive), ``W_00, W_10`` (the 2×1 couplings) and a symmetric
data correlation ``C_00, C_01, C_11``. Differentiate with respect to μ² and simplify.

Return ``{"dmu2": expr}``. ``check`` evaluates it at random points against an independent
finite difference of the library's exact log-likelihood (with a learnable μ²) on data with that
correlation matrix, and tells you whether it is wrong.
"""

import numpy as np

from rbmphys.verify.exercise import answer_dict, formula, require


def solve():
    return None  # your answer here


def check(answer):
    import sympy as sp

    import rbmphys as rp

    answer_dict(answer, "dmu2")
    names = {"mu2", "sigma_h2", "W_00", "W_10", "C_00", "C_01", "C_11"}
    expr = formula(answer, "dmu2", sp.symbols(sorted(names)))
    require(not isinstance(expr, sp.MatrixBase), "dmu2 must be one expression, not a list")
    g = np.random.default_rng(41)
    for _ in range(3):
        W = g.normal(0, 0.5, (2, 1))
        A = g.normal(size=(2, 2))
        C = A @ A.T + 0.5 * np.eye(2)
        mu2, s2 = float(np.linalg.norm(W) ** 2 + g.uniform(1, 2)), float(g.uniform(0.5, 1))
        vals = {"mu2": mu2, "sigma_h2": s2, "W_00": W[0, 0], "W_10": W[1, 0], "C_00": C[0, 0],
                "C_01": C[0, 1], "C_11": C[1, 1]}
        got = complex(expr.subs({s: vals[str(s)] for s in expr.free_symbols}))
        require(got.imag == 0 and np.isfinite(got.real), "dmu2 does not evaluate to a finite "
                "real number")
        got = got.real

        # two data points with second moment exactly C: X = √2 Lᵀ for C = L Lᵀ
        X = np.sqrt(2.0) * np.linalg.cholesky(C).T
        model = rp.GaussianRBM(W, mu2, s2, learn_mu2=True)

        def L(m):
            model.mu2 = m
            return model.log_likelihood(X)
        fd = (L(mu2 + 1e-6) - L(mu2 - 1e-6)) / 2e-6
        require(abs(got - fd) < 1e-6, "your ∂L/∂μ² disagrees with a finite difference of L: "
                                      "differentiate both the trace and the log-determinant")
    return True
