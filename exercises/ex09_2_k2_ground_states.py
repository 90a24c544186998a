"""Exercise 9.2 (enumeration) — ground states of a two-pattern model.

Take the two patterns

    xi_v = [[ 1,  1,  1, -1, -1, -1],        xi_h = [[ 1,  1, -1, -1, 1],
            [ 1, -1,  1, -1,  1, -1]]                [ 1, -1,  1, -1, 1]]

(K = 2, V = 6, H = 5) and the ±1 RBM without biases whose weights are eq. (5),
W = xi_vᵀ xi_h / √2.

1. Find the ground-state energy E₀ = min over all 2^11 joint states of E(v, h) = −vᵀWh. (Hint:
   for a fixed v the best h is h = sign(Wᵀv), so only 2^6 states need enumerating.)
2. List all ground states (v, h).
3. How many of the four configurations ±(ξ_v^(k), ξ_h^(k)) are ground states?

Return ``{"E0": float, "ground_states": array (n, 11) of joint states [v, h],
"patterns_among_them": int}``.
``check`` verifies each state's energy and that none is missing, by its own enumeration.
"""

import numpy as np

from rbmphys.verify.exercise import answer_dict, array, integer, number, require

XI_V = np.array([[1, 1, 1, -1, -1, -1], [1, -1, 1, -1, 1, -1]], float)
XI_H = np.array([[1, 1, -1, -1, 1], [1, -1, 1, -1, 1]], float)


def solve():
    return None  # your answer here


def check(answer):
    import itertools

    answer_dict(answer, "E0", "ground_states", "patterns_among_them")
    from rbmphys import pattern_weights
    W = pattern_weights(XI_V, XI_H)                     # eq. (5), K = 2
    states = np.array(list(itertools.product([-1.0, 1.0], repeat=11)))
    E = -np.einsum("si,ia,sa->s", states[:, :6], W, states[:, 6:])
    e0 = float(E.min())
    require(abs(number(answer, "E0") - e0) < 1e-9, "E0 is not the minimum of -v^T W h")
    gs = {tuple(s) for s in states[np.abs(E - e0) < 1e-9]}
    got = set()
    arr = array(answer, "ground_states")
    require(arr.ndim == 2 and arr.shape[1] == 11, "ground_states must be an array (n, 11) of "
            "joint states [v, h]")
    for row in arr:
        v, h = row[:6], row[6:]
        require(abs(-(v @ W @ h) - e0) < 1e-9, f"{v.tolist()}, {h.tolist()} is not a ground state")
        got.add(tuple(np.r_[v, h]))
    require(got == gs, f"{len(gs - got)} ground state(s) missing")
    pats = {tuple(s * np.r_[XI_V[k], XI_H[k]]) for k in range(2) for s in (1, -1)}
    require(integer(answer, "patterns_among_them") == len(pats & gs),
            "count again which ±patterns are ground states")
    return True
