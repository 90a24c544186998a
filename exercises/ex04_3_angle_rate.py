"""Exercise 4.3 (experiment) — measure how fast the angle learns.

For κ = (0.25, 0.5), μ² = 1, σ_h² = 1, start the 2×2 flow at its fixed point for the singular
values (σ_h² ξ_i² = μ² − κ_i) but with a small angle Δθ(0) = 1e-3, and integrate it with
``rp.theory.two_by_two_flow`` to t = 0.5. Near the fixed point Δθ decays exponentially: fit the
rate (a straight line to ln|Δθ| against t, where |Δθ| is still above 1e-9) and compare with the
closed-form γ_Δθ of Eq. (67).

Return ``{"t": array, "dtheta": array, "rate": float}``. ``check`` re-integrates the flow from
your Δθ(0) to confirm the trajectory is the flow's, refits the rate from your arrays, and
compares with γ_Δθ within 2 %.
"""

import numpy as np

from rbmphys.verify.exercise import answer_dict, array, number, require


def solve():
    return None  # your answer here


def check(answer):
    import rbmphys as rp

    answer_dict(answer, "t", "dtheta", "rate")
    t = array(answer, "t")
    y = array(answer, "dtheta")
    require(t.ndim == 1 and y.shape == t.shape and len(t) >= 20 and t[0] == 0.0,
            "t and dtheta must be arrays of the same length (≥ 20) starting at t = 0")
    xi0 = (np.sqrt(0.75), np.sqrt(0.5))
    f = rp.theory.two_by_two_flow((0.25, 0.5), 1.0, xi0=xi0, dtheta0=float(y[0]),
                                  t_max=float(t[-1]), n_points=len(t))
    require(abs(y[0] - 1e-3) < 1e-12, "start from Δθ(0) = 1e-3")
    require(np.allclose(np.interp(t, f["t"], f["dtheta"]), y, atol=1e-8),
            "your Δθ(t) is not the flow's trajectory from this start")
    ok = np.abs(y) > 1e-9
    refit = -np.polyfit(t[ok], np.log(np.abs(y[ok])), 1)[0]
    require(abs(number(answer, "rate") / refit - 1) < 0.01,
            "your rate is not the slope of ln|Δθ| against t of your own data")
    gd = rp.theory.relaxation_rates(0.25, 0.5, 1.0)[2]
    require(abs(refit / gd - 1) < 0.02, "the measured rate does not match γ_Δθ: is the start "
                                       "close enough to the fixed point?")
    return True
