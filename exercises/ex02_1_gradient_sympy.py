"""Exercise 2.1 (derivation, sympy) — the likelihood gradient is positive minus negative phase.

Take the smallest RBM: one visible and one hidden {0,1} unit, weight w, biases a and b,
E(v, h) = −w v h − a v − b h.

1. Write Z = Σ_{v,h} e^{−E(v,h)} (four terms) and ln p(v = 1) with sympy.
2. Differentiate ln p(v = 1) with respect to w.
3. Show (sympy ``simplify``) that the result equals ⟨v h⟩_data − ⟨v h⟩_model with
   ⟨v h⟩_data = σ(w + b) (the data point is v = 1; E[h|v=1] = σ(w + b)) and
   ⟨v h⟩_model = e^{w+a+b}/Z — Toledo-Marin et al. eqs. (4), (6a), (9a).

Return from ``solve()`` a dict ``{"dlogp_dw": expr, "positive": expr, "negative": expr}``: sympy
expressions in the symbols ``w, a, b`` (``sympy.symbols("w a b")``).

``check`` compares them at random points with :func:`rbmphys.exact.gradient` for the data set
{v = 1}, and checks that dlogp_dw = positive − negative.
"""


def solve():
    return None  # your answer here


def check(answer):
    import numpy as np
    import sympy as sp

    import rbmphys as rp

    assert answer is not None, "solve() returned None: fill it in"
    assert isinstance(answer, dict) and {"dlogp_dw", "positive", "negative"} <= set(answer), \
        "return a dict with keys 'dlogp_dw', 'positive', 'negative'"
    w, a, b = sp.symbols("w a b")
    rng = np.random.default_rng(21)
    for _ in range(4):
        vals = dict(zip((w, a, b), rng.normal(0, 1.5, 3)))
        m = rp.BernoulliRBM([[float(vals[w])]], a=[float(vals[a])], b=[float(vals[b])])
        g = rp.exact.gradient(m, np.array([[1.0]]))["W"][0, 0]
        got = {k: float(sp.sympify(answer[k]).subs(vals)) for k in answer}
        assert abs(got["dlogp_dw"] - g) < 1e-10, \
            f"∂ln p(v=1)/∂w = {got['dlogp_dw']:.6f} at {vals}, exact gradient {g:.6f}"
        assert abs(got["positive"] - got["negative"] - g) < 1e-10, \
            "positive − negative phase does not reproduce the gradient"
        sig = 1 / (1 + np.exp(-(float(vals[w]) + float(vals[b]))))
        assert abs(got["positive"] - sig) < 1e-10, \
            "the positive phase is ⟨v h⟩ with h averaged given the data point v = 1"
    return True
