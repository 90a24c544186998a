"""Exercise 1.1 (derivation, sympy) — the gauge map between ±1 and {0,1} units.

A spin RBM with couplings W (V×H) and fields a, b has energy

    E_±(s, σ) = -sᵀWσ - aᵀs - bᵀσ,      s ∈ {±1}^V, σ ∈ {±1}^H.

Substitute s = 2v − 1 and σ = 2h − 1 with v, h ∈ {0,1}. Show that the result is again an RBM
energy in v and h plus a constant,

    E_±(2v − 1, 2h − 1) = -vᵀW'h - a'ᵀv - b'ᵀh + c,

and find W', a', b' and c as functions of W, a, b. Do it with sympy for V = 2, H = 3: build
the energy from symbols named ``W_0_0 … W_1_2``, ``a_0, a_1``, ``b_0 … b_2``, ``v_0, v_1``,
``h_0 … h_2``, expand it, and read off the coefficients of v_i h_j, v_i, h_j and 1.

Return from ``solve()`` a dict of sympy objects in the symbols W_i_j, a_i, b_j:
``{"W": Matrix (2×3), "a": Matrix (2×1), "b": Matrix (3×1), "c": expression}``.

``check`` substitutes random numbers and compares with the library's gauge map
(:func:`rbmphys.gauge_to_bernoulli`); it tells you which of the four pieces is wrong, not what
it should be. Why it matters: p(v) is unchanged by the map, so every statement about one
parametrisation holds in the other; only the biases look different.
"""

import numpy as np

from rbmphys.verify.exercise import answer_dict, formula, require


def solve():
    return None  # your answer here


def check(answer):
    import sympy as sp

    import rbmphys as rp

    answer_dict(answer, "W", "a", "b", "c")
    V, H = 2, 3
    Ws = {(i, j): sp.Symbol(f"W_{i}_{j}") for i in range(V) for j in range(H)}
    As = [sp.Symbol(f"a_{i}") for i in range(V)]
    Bs = [sp.Symbol(f"b_{j}") for j in range(H)]
    allowed = [*Ws.values(), *As, *Bs]
    hint = " (did v_i or h_j survive? they must not appear in the coefficients)"
    Wn, an, bn = (formula(answer, k, allowed, hint) for k in ("W", "a", "b"))
    cn = formula(answer, "c", allowed, hint)
    require(all(isinstance(x, sp.MatrixBase) for x in (Wn, an, bn))
            and not isinstance(cn, sp.MatrixBase),
            "W', a', b' must be Matrices (or lists) and c one expression")
    require(Wn.shape == (V, H), f"W' must be a {V}×{H} Matrix, got shape {Wn.shape}")
    require(an.shape in ((V, 1), (1, V)), "a' must have 2 entries")
    require(bn.shape in ((H, 1), (1, H)), "b' must have 3 entries")
    rng = np.random.default_rng(11)
    for _ in range(3):
        W, a, b = rng.normal(size=(V, H)), rng.normal(size=V), rng.normal(size=H)
        subs = {Ws[i, j]: W[i, j] for i in range(V) for j in range(H)}
        subs.update(zip(As, a))
        subs.update(zip(Bs, b))
        ev = lambda x: np.array(sp.Matrix(x).subs(subs).evalf(), dtype=float).ravel()  # noqa
        bern, c = rp.gauge_to_bernoulli(rp.SpinRBM(W, a, b))
        for name, got, want in (("W'", ev(Wn), bern.W.ravel()), ("a'", ev(an), bern.a),
                                ("b'", ev(bn), bern.b), ("c", ev(sp.Matrix([cn])), [c])):
            require(np.allclose(got, want, atol=1e-10),
                    f"{name} disagrees with the gauge map at random W, a, b: re-check the "
                    f"terms of the expanded energy that {name} collects")
    return True
