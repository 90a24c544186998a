"""Solution 9.2: enumerate v, take h = sign(Wᵀv) (ties: both values), keep the minima."""

import numpy as np

import rbmphys as rp

XI_V = np.array([[1, 1, 1, -1, -1, -1], [1, -1, 1, -1, 1, -1]], float)
XI_H = np.array([[1, 1, -1, -1, 1], [1, -1, 1, -1, 1]], float)


def solve():
    m = rp.SpinRBM(rp.pattern_weights(XI_V, XI_H))
    gs = rp.exact.ground_states(m)
    pats = {tuple(s * np.r_[XI_V[k], XI_H[k]]) for k in range(2) for s in (1, -1)}
    found = {tuple(np.r_[v, h]) for v, h in zip(gs.v, gs.h)}
    return {"E0": gs.energy, "ground_states": np.hstack([gs.v, gs.h]),
            "patterns_among_them": len(pats & found)}
