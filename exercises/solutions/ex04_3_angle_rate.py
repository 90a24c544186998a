"""Solution 4.3: integrate from the fixed point's singular values, fit ln|Δθ| linearly."""

import numpy as np

import rbmphys as rp


def solve():
    f = rp.theory.two_by_two_flow((0.25, 0.5), 1.0, xi0=(np.sqrt(0.75), np.sqrt(0.5)),
                                  dtheta0=1e-3, t_max=0.5, n_points=200)
    ok = np.abs(f["dtheta"]) > 1e-9
    rate = -np.polyfit(f["t"][ok], np.log(np.abs(f["dtheta"][ok])), 1)[0]
    return {"t": f["t"], "dtheta": f["dtheta"], "rate": float(rate)}
