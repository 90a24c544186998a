"""Exercise 2.3 (experiment) — CD-1, PCD-1 and the exact gradient on Bars 3×3.

Bars 3×3 has N = 6 images (2³ − 2), so the best possible mean log-likelihood is −ln 6 ≈ −1.79.
Train three copies of the same initial RBM (V = 9, H = 8,
``rp.BernoulliRBM.random(9, 8, weight_scale=0.1, rng=0)``) with ``rp.train`` for 1500 epochs,
batch size 6:

* ``rp.ExactGradient()`` with lr = 0.3,
* ``rp.PCD(k=1, n_chains=100)`` with lr = 0.05,
* ``rp.CD(k=1)`` with lr = 0.05,

and measure each model's exact mean log-likelihood with ``rp.exact.log_likelihood``.

Return ``{"exact": float, "PCD-1": float, "CD-1": float}``.  ``check`` verifies that no value
beats the optimum, that each rule learnt (LL > −3.5, from ≈ −6.2 at the start), and that the
exact gradient ends best.  Then think: CD-1's chains never leave the data — which part of the
model distribution can it not see?
"""

import numpy as np


def solve():
    return None  # your answer here


def check(answer):
    assert answer is not None, "solve() returned None: fill it in"
    assert isinstance(answer, dict) and {"exact", "PCD-1", "CD-1"} <= set(answer), \
        "return a dict with keys 'exact', 'PCD-1', 'CD-1'"
    opt = -np.log(6)
    for k in ("exact", "PCD-1", "CD-1"):
        v = float(answer[k])
        assert v <= opt + 1e-9, f"{k}: LL {v:.4f} beats the optimum −ln 6 = {opt:.4f}: impossible"
        assert v > -3.5, f"{k}: LL {v:.4f} — did it train? (the initial model has about −6.2)"
    assert answer["exact"] >= max(answer["PCD-1"], answer["CD-1"]) - 0.05, \
        "the exact gradient should end at least as high as the sampled rules"
    return True
