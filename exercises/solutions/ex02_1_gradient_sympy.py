"""Solution 2.1: differentiate ln p(v=1) of the 1×1 RBM and split it into two phases."""

import sympy as sp


def solve():
    w, a, b = sp.symbols("w a b")
    terms = {(v, h): sp.exp(w * v * h + a * v + b * h) for v in (0, 1) for h in (0, 1)}
    Z = sum(terms.values())
    log_p1 = sp.log(terms[(1, 0)] + terms[(1, 1)]) - sp.log(Z)
    d = sp.diff(log_p1, w)
    positive = terms[(1, 1)] / (terms[(1, 0)] + terms[(1, 1)])     # E[h | v = 1] = σ(w + b)
    negative = terms[(1, 1)] / Z                                  # ⟨v h⟩_model
    if sp.simplify(d - (positive - negative)) != 0:
        raise RuntimeError("the split does not reproduce the derivative")
    return {"dlogp_dw": d, "positive": positive, "negative": negative}
