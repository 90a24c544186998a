"""Solution 4.1: differentiate L for explicit matrices; the result is −½tr C + ½tr K⁻¹."""

import sympy as sp


def solve():
    mu2, s2 = sp.symbols("mu2 sigma_h2", positive=True)
    W = sp.Matrix([[sp.Symbol("W_00")], [sp.Symbol("W_10")]])
    c00, c01, c11 = sp.symbols("C_00 C_01 C_11")
    C = sp.Matrix([[c00, c01], [c01, c11]])
    K = mu2 * sp.eye(2) - s2 * W * W.T
    L = -(K * C).trace() / 2 + sp.log(K.det()) / 2
    return {"dmu2": sp.simplify(sp.diff(L, mu2))}
