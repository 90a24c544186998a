"""Solution 3.1: integrate the Gaussian hidden unit with sympy and read off K and J."""

import sympy as sp


def solve():
    mu2, s2 = sp.symbols("mu2 sigma_h2", positive=True)
    W0, W1, eta, h, p0, p1, L = sp.symbols("W_0 W_1 eta h phi_0 phi_1 L", real=True)
    # the h-integral only sees L = W_0 φ_0 + W_1 φ_1
    inner = sp.integrate(sp.exp(-(h - eta) ** 2 / (2 * s2) + h * L), (h, -sp.oo, sp.oo))
    log_inner = sp.expand(sp.expand_log(sp.log(sp.simplify(inner)), force=True))
    logm = sp.expand(-mu2 * (p0**2 + p1**2) / 2 + log_inner.subs(L, W0 * p0 + W1 * p1))
    poly = sp.Poly(logm, p0, p1)
    K = sp.Matrix([[-2 * poly.coeff_monomial(p0**2), -poly.coeff_monomial(p0 * p1)],
                   [-poly.coeff_monomial(p0 * p1), -2 * poly.coeff_monomial(p1**2)]])
    J = sp.Matrix([poly.coeff_monomial(p0), poly.coeff_monomial(p1)])
    return {"K": sp.simplify(K), "J": sp.simplify(J)}
