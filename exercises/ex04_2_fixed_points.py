"""Exercise 4.2 (computation) — fixed points and stability of the 2×2 learning flow.

Take κ = (0.3, 0.5) for the target kernel, μ² = 0.8 and σ_h² = 1. Using the 2×2 system of
Chapter 4 (the state (ξ1, ξ2, Δθ, θ_V) at fixed μ²; ``rbmphys.symbolic.gaussian`` gives you the
derived right-hand sides, but you may derive the fixed point by hand):

1. find the fixed point the flow converges to: the singular values ξ1 ≥ ξ2 ≥ 0 and the angle
   Δθ, and the RBM eigenvalues λ_i = μ² − σ_h² ξ_i² there;
2. compute the four eigenvalues of the Jacobian of the flow at that point (sympy's
   ``Matrix.jacobian`` and ``eigenvals``, or the relaxation rates of Eq. (67) — mind the factor
   the paper's text drops).

Return ``{"xi": (ξ1, ξ2), "dtheta": float, "eigenvalues": (λ1, λ2),
"jacobian_eigenvalues": 4 floats}``. ``check`` integrates the flow from your fixed point
(it must stay there) and compares your Jacobian spectrum with the library's; it tells you which
part is wrong.
"""

import numpy as np

from rbmphys.verify.exercise import answer_dict, array, number, require


def solve():
    return None  # your answer here


def check(answer):
    import rbmphys as rp
    from rbmphys.symbolic.gaussian import jacobian_eigenvalues

    keys = {"xi", "dtheta", "eigenvalues", "jacobian_eigenvalues"}
    answer_dict(answer, *sorted(keys))
    xi = array(answer, "xi").ravel()
    require(xi.shape == (2,) and xi[0] >= xi[1] >= 0, "xi must be (ξ1, ξ2) with ξ1 ≥ ξ2 ≥ 0")
    f = rp.theory.two_by_two_flow((0.3, 0.5), 0.8, xi0=tuple(xi), dtheta0=number(answer, "dtheta"),
                                  t_max=5.0)
    drift = max(abs(f["xi1"][-1] - xi[0]), abs(f["xi2"][-1] - xi[1]),
                abs(f["dtheta"][-1] - number(answer, "dtheta")))
    require(drift < 1e-6, "the flow moves away from your point: it is not a fixed point")
    lam = np.sort(array(answer, "eigenvalues").ravel())
    require(np.allclose(lam, np.sort(0.8 - xi**2), atol=1e-9),
            "the eigenvalues λ_i = μ² − σ_h² ξ_i² do not match your ξ")
    # a stable fixed point: the flow from a perturbed start comes back to it
    g = rp.theory.two_by_two_flow((0.3, 0.5), 0.8, xi0=tuple(xi * 1.05 + 0.01),
                                  dtheta0=number(answer, "dtheta") + 0.05, t_max=40.0)
    require(abs(g["xi1"][-1] - xi[0]) < 1e-5 and abs(g["xi2"][-1] - xi[1]) < 1e-5,
            "this fixed point is not the stable one the flow converges to")
    want = np.array(jacobian_eigenvalues(0.3, 0.5, 0.8))
    got = np.sort(array(answer, "jacobian_eigenvalues").ravel())
    require(got.shape == (4,), "give the four Jacobian eigenvalues")
    require(np.allclose(got, want, atol=1e-6), "the Jacobian eigenvalues are not right: the "
                                               "singular values relax with 2γ_i, the angle with "
                                               "γ_Δθ, and one direction is neutral")
    return True
