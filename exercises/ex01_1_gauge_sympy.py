"""Exercise 1.1 (derivation, sympy) — the gauge map between ±1 and {0,1} units.

A spin RBM with couplings W (V×H) and fields a, b has energy

    E_±(s, σ) = -sᵀWσ - aᵀs - bᵀσ,      s ∈ {±1}^V, σ ∈ {±1}^H.

Substitute s = 2v − 1 and σ = 2h − 1 with v, h ∈ {0,1}.  Show that the result is again an RBM
energy in v and h plus a constant,

    E_±(2v − 1, 2h − 1) = -vᵀW'h - a'ᵀv - b'ᵀh + c,

and find W', a', b' and c as functions of W, a, b.  Do it with sympy for V = 2, H = 3 (symbols
W_ij, a_i, b_j, v_i, h_j): expand, then read off the coefficients (``Poly`` or ``coeff``); use
v_i² = v_i for binary units if needed.

What to return from ``solve()``: a dict with sympy objects
``{"W": Matrix (2×3), "a": Matrix (2×1), "b": Matrix (3×1), "c": expression}``, written in
terms of the symbols ``W_0_0 … W_1_2``, ``a_0, a_1``, ``b_0 … b_2`` (sympy.symbols names).

``check`` substitutes random numbers and compares with :func:`rbmphys.gauge_to_bernoulli`.
Why it matters: p(v) is unchanged by the map (Chapter 1's first claim), so every statement about
one parametrisation holds in the other; only the biases look different.
"""

import numpy as np


def solve():
    return None  # your answer here


def check(answer):
    import sympy as sp

    import rbmphys as rp

    assert answer is not None, "solve() returned None: fill it in"
    assert isinstance(answer, dict) and set(answer) >= {"W", "a", "b", "c"}, \
        "return a dict with keys 'W', 'a', 'b', 'c'"
    V, H = 2, 3
    Ws = {f"W_{i}_{j}": sp.Symbol(f"W_{i}_{j}") for i in range(V) for j in range(H)}
    As = {f"a_{i}": sp.Symbol(f"a_{i}") for i in range(V)}
    Bs = {f"b_{j}": sp.Symbol(f"b_{j}") for j in range(H)}
    Wn = sp.Matrix(answer["W"])
    assert Wn.shape == (V, H), f"W' has shape {Wn.shape}, expected {(V, H)}"
    assert sp.Matrix(answer["a"]).shape in ((V, 1), (1, V)), "a' must have 2 entries"
    assert sp.Matrix(answer["b"]).shape in ((H, 1), (1, H)), "b' must have 3 entries"
    rng = np.random.default_rng(11)
    for _ in range(3):
        W, a, b = rng.normal(size=(V, H)), rng.normal(size=V), rng.normal(size=H)
        subs = {Ws[f"W_{i}_{j}"]: W[i, j] for i in range(V) for j in range(H)}
        subs.update({As[f"a_{i}"]: a[i] for i in range(V)})
        subs.update({Bs[f"b_{j}"]: b[j] for j in range(H)})
        ev = lambda x: np.array(sp.Matrix(x).subs(subs).evalf(), dtype=float).ravel()  # noqa
        bern, c = rp.gauge_to_bernoulli(rp.SpinRBM(W, a, b))
        for name, got, want in (("W'", ev(answer["W"]), bern.W.ravel()),
                                ("a'", ev(answer["a"]), bern.a), ("b'", ev(answer["b"]), bern.b),
                                ("c", ev(sp.Matrix([answer["c"]])), [c])):
            assert np.allclose(got, want, atol=1e-10), \
                f"{name} = {np.round(got, 4)} but the gauge map gives {np.round(want, 4)}"
    return True
