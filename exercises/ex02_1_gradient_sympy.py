"""Exercise 2.1 (derivation, sympy) — the likelihood gradient is positive minus negative phase.

Take the smallest RBM: one visible and one hidden {0,1} unit, weight w, biases a and b,
E(v, h) = −w v h − a v − b h.

1. Write Z = Σ_{v,h} e^{−E(v,h)} (four terms) and ln p(v = 1) with sympy.
2. Differentiate ln p(v = 1) with respect to w.
3. Split the result into two terms: a "positive phase" that depends only on the data point
   v = 1 (an average of v h over p(h | v = 1)) and a "negative phase" (an average of v h over
   the model's p(v, h)) — Toledo-Marin et al. eqs. (4), (6a), (9a) — and confirm with
   ``sympy.simplify`` that their difference is the derivative.

Return from ``solve()`` a dict ``{"dlogp_dw": expr, "positive": expr, "negative": expr}``:
sympy expressions in the symbols ``w, a, b`` (``sympy.symbols("w a b")``).

``check`` evaluates them at random points against :func:`rbmphys.exact.gradient` for the data
set {v = 1} and against the exact averages; it says which piece is wrong.
"""

import numpy as np

from rbmphys.verify.exercise import answer_dict, formula, require


def solve():
    return None  # your answer here


def _value(x, key):
    try:
        v = complex(x)
    except (TypeError, ValueError):
        v = complex("nan")
    require(v.imag == 0 and np.isfinite(v.real), f"{key} does not evaluate to a finite real "
            "number at (w, a, b)")
    return v.real


def check(answer):
    import sympy as sp

    import rbmphys as rp

    answer_dict(answer, "dlogp_dw", "positive", "negative")
    w, a, b = sp.symbols("w a b")
    exprs = {k: formula(answer, k, (w, a, b)) for k in ("dlogp_dw", "positive", "negative")}
    for k, e in exprs.items():
        require(not isinstance(e, sp.MatrixBase), f"{k} must be one expression, not a list")
    rng = np.random.default_rng(21)
    for _ in range(4):
        vals = dict(zip((w, a, b), rng.normal(0, 1.5, 3)))
        m = rp.BernoulliRBM([[float(vals[w])]], a=[float(vals[a])], b=[float(vals[b])])
        g = rp.exact.gradient(m, np.array([[1.0]]))["W"][0, 0]
        neg = rp.exact.expectations(m)["vh"][0, 0]
        got = {k: _value(e.subs(vals), k) for k, e in exprs.items()}
        require(abs(got["dlogp_dw"] - g) < 1e-10,
                "∂ln p(v=1)/∂w disagrees with the exact gradient at random (w, a, b)")
        require(abs(got["negative"] - neg) < 1e-10,
                "the negative phase is not the model average of v h")
        require(abs(got["positive"] - got["negative"] - g) < 1e-10,
                "positive − negative phase does not give the gradient")
    return True
