"""Solution 1.1: expand the spin energy in binary variables and read off the coefficients."""

import sympy as sp


def solve():
    V, H = 2, 3
    W = sp.Matrix(V, H, lambda i, j: sp.Symbol(f"W_{i}_{j}"))
    a = sp.Matrix(V, 1, lambda i, _: sp.Symbol(f"a_{i}"))
    b = sp.Matrix(H, 1, lambda j, _: sp.Symbol(f"b_{j}"))
    v = sp.Matrix(V, 1, lambda i, _: sp.Symbol(f"v_{i}"))
    h = sp.Matrix(H, 1, lambda j, _: sp.Symbol(f"h_{j}"))
    s, sig = 2 * v - sp.ones(V, 1), 2 * h - sp.ones(H, 1)
    E = sp.expand((-(s.T * W * sig) - a.T * s - b.T * sig)[0])
    poly = sp.Poly(E, *v, *h)
    # E = -vᵀW'h - a'ᵀv - b'ᵀh + c: coefficients of v_i h_j, v_i, h_j and the constant
    Wp = sp.Matrix(V, H, lambda i, j: -poly.coeff_monomial(v[i] * h[j]))
    ap = sp.Matrix(V, 1, lambda i, _: -poly.coeff_monomial(v[i]))
    bp = sp.Matrix(H, 1, lambda j, _: -poly.coeff_monomial(h[j]))
    c = poly.coeff_monomial(1)
    return {"W": Wp, "a": ap, "b": bp, "c": sp.simplify(c)}
