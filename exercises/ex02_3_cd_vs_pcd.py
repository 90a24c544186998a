"""Exercise 2.3 (experiment) — CD-1, PCD-1 and the exact gradient on Bars 3×3.

Bars 3×3 has N = 6 images, so the best possible mean log-likelihood is −ln 6 ≈ −1.79. Train
three copies of the initial RBM of ``initial_model()`` with ``rp.train`` on
``rp.datasets.bars(3)`` for 1500 epochs, batch size 6, *the same learning rate 0.05 for all*
(with different rates you would compare the rates, not the rules):

* ``rp.ExactGradient()``, * ``rp.PCD(k=1, n_chains=100)``, * ``rp.CD(k=1)``.

Return the three trained models: ``{"exact": model, "PCD-1": model, "CD-1": model}``.
``check`` measures each model's exact log-likelihood itself, checks that every model learnt
(from about −6.2 at the start), that the exact gradient ends at least as high as the sampled
rules, and that the two sampled rules end close to each other. Then think: CD-1's chains never
leave the data's neighbourhood — which part of a model distribution can it not correct, and
why does that not matter on Bars 3×3? (Chapter 2, Sec. 2.4 measures its negative-phase bias.)
"""

import numpy as np

import rbmphys as rp
from rbmphys.verify.exercise import answer_dict, require


def initial_model():
    return rp.BernoulliRBM.random(9, 8, weight_scale=0.1, rng=0)


def solve():
    return None  # your answer here


def check(answer):
    answer_dict(answer, "exact", "PCD-1", "CD-1", hint=" mapping to trained models")
    data = rp.datasets.bars(3)
    start = initial_model()
    ll = {}
    for k in ("exact", "PCD-1", "CD-1"):
        m = answer[k]
        require(hasattr(m, "W") and np.shape(m.W) == (9, 8),
                f"{k}: return the trained 9×8 model itself")
        require(not np.allclose(m.W, start.W), f"{k}: this model was never trained")
        ll[k] = rp.exact.log_likelihood(m, data)
        require(ll[k] > -3.0, f"{k}: the model has hardly learnt: train for 1500 epochs at lr 0.05")
    require(ll["exact"] >= max(ll["PCD-1"], ll["CD-1"]) - 0.02,
            "the exact gradient should end at least as high as the sampled rules: was it "
            "trained with the same learning rate and epochs?")
    require(abs(ll["PCD-1"] - ll["CD-1"]) < 0.3,
            "PCD-1 and CD-1 should end close to each other here: same initial model, rate "
            "and epochs?")
    return True
