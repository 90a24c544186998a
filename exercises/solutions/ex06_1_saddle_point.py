"""Solution 6.1: x* = −b̃₁/σ₁, y* = −ã₁/σ₁, ε₁ = ã₁b̃₁/σ₁ with ã = Uᵀa, b̃ = Vᵀb."""

import numpy as np

import rbmphys as rp


def solve():
    m = rp.BernoulliRBM.random(6, 4, weight_scale=0.7, bias_scale=0.5, rng=61)
    U, s, Vt = np.linalg.svd(m.W)
    at, bt = U[:, 0] @ m.a, Vt[0] @ m.b
    x, y = -bt / s[0], -at / s[0]
    return {"v": x * U[:, 0], "h": y * Vt[0], "eps": at * bt / s[0]}
