"""Exercise 3.2 (computation) — the spectrum of a 2D lattice from its 1D pieces.

The kernel of a free field with mass m on a periodic N_x × N_y lattice is a Kronecker sum,
K = m² 1 + Δ_x ⊗ 1 + 1 ⊗ Δ_y (Aarts et al. eq. (83)), where Δ is the periodic 1D lattice
Laplacian (2 on the diagonal, −1 to each neighbour). For N_x = 6, N_y = 4 and m² = 1:

1. find the eigenvalues of the 1D Laplacians in closed form (they are plane waves);
2. combine them into the 24 eigenvalues of K without diagonalising any 24 × 24 matrix;
3. group equal eigenvalues (to 1e-9) and count their multiplicities.

Return ``{"eigenvalues": sorted array of 24 floats, "multiplicities": {eigenvalue: count}}``.
``check`` compares with a numerical diagonalisation of the library's
``rp.datasets.lattice_kernel((6, 4), 1.0)`` and says what is off.
"""

import numpy as np

from rbmphys.verify.exercise import answer_dict, array, integer, number, require


def solve():
    return None  # your answer here


def check(answer):
    import rbmphys as rp

    answer_dict(answer, "eigenvalues", "multiplicities")
    ev = np.sort(array(answer, "eigenvalues").ravel())
    require(len(ev) == 24, f"a 6 × 4 lattice has 24 eigenvalues, not {len(ev)}")
    want = np.sort(np.linalg.eigvalsh(rp.datasets.lattice_kernel((6, 4), 1.0)))
    wrong = int(np.sum(np.abs(ev - want) > 1e-9))
    require(wrong == 0, f"{wrong} of your 24 eigenvalues are off: check the 1D plane-wave "
                        "eigenvalues and how two of them combine")
    vals, counts = np.unique(np.round(want, 9), return_counts=True)
    mm = answer["multiplicities"]
    require(isinstance(mm, dict), "multiplicities must be a dict {eigenvalue: count}")
    mult = {round(number({"eigenvalue": k}, "eigenvalue"), 9):
            integer({"multiplicity": v}, "multiplicity") for k, v in mm.items()}
    require(sum(mult.values()) == 24, "the multiplicities must add up to 24")
    ok = all(mult.get(round(float(v), 9), 0) == c for v, c in zip(vals, counts))
    require(ok, "some multiplicities are wrong: group eigenvalues equal to 1e-9")
    return True
