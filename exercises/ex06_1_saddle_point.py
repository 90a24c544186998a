"""Exercise 6.1 (computation) — the saddle point of an RBM mode.

Take the 6×4 Bernoulli RBM ``rbmphys.BernoulliRBM.random(6, 4, weight_scale=0.7,
bias_scale=0.5, rng=61)``. In reciprocal space (Chapter 6, eqs. (14)-(19)) every paired mode
α has a saddle point (x*_α, y*_α) of its energy E_α(x, y) = −σ_α x y − ã_α x − b̃_α y.

For the *leading* mode (largest singular value) find

1. the saddle point in the original variables: the real vectors v* = x* u₁ and h* = y* v₁
   (u₁, v₁ the leading left and right singular vectors — mind their sign: any sign works, as
   long as you use the same one for both);
2. the energy ε₁ of the mode there.

Return ``{"v": array (6,), "h": array (4,), "eps": float}``. ``check`` verifies that the
gradient of the full energy −vᵀWh − aᵀv − bᵀh at (v, h), projected on the leading singular
directions, vanishes, that (v, h) lies on those directions, and that ε₁ equals the mode energy
there; it says which part is wrong.
"""

import numpy as np

from rbmphys.verify.exercise import answer_dict, array, number, require


def solve():
    return None  # your answer here


def check(answer):
    import rbmphys as rp

    answer_dict(answer, "v", "h", "eps")
    v = array(answer, "v").ravel()
    h = array(answer, "h").ravel()
    require(v.shape == (6,) and h.shape == (4,), "v must have 6 entries and h 4")
    m = rp.BernoulliRBM.random(6, 4, weight_scale=0.7, bias_scale=0.5, rng=61)
    U, s, Vt = np.linalg.svd(m.W)
    u1, v1 = U[:, 0], Vt[0]
    x, y = u1 @ v, v1 @ h
    require(np.allclose(v, x * u1, atol=1e-8) and np.allclose(h, y * v1, atol=1e-8),
            "v and h must lie along the leading singular vectors (v = x u₁, h = y v₁)")
    gx = u1 @ (-(m.W @ h) - m.a)
    gy = v1 @ (-(m.W.T @ v) - m.b)
    require(abs(gx) < 1e-8 and abs(gy) < 1e-8,
            "the energy is not stationary there along the leading mode: solve "
            "∂E₁/∂x = ∂E₁/∂y = 0")
    from rbmphys.analysis.reciprocal import ReciprocalModes
    rm = ReciprocalModes.of(m)
    e1 = float(rm.mode_energies(rm.x(v), rm.y(h))[0])     # E₁(x, y) of eq. (16)
    require(abs(number(answer, "eps") - e1) < 1e-8,
            "ε₁ is not the mode energy at your saddle point")
    return True
