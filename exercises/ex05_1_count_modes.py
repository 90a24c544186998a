"""Exercise 5.1 (computation) — which modes does an RBM learn on a 2D lattice?

Take the free field on a 6×6 periodic lattice with m² = 1 (Chapter 3, Eqs. (82)-(83)), and a
scalar-field RBM with σ_h² = 1, a fixed μ² = 5.5 and N_h = 12 hidden units. Using only the
spectrum κ_k = m² + 4 sin²(π k_x/6) + 4 sin²(π k_y/6) and the two ultraviolet cutoffs of
Chapter 5 (Eqs. (81) and (84)):

1. how many modes does the trained RBM reproduce (``n_learnt``)?
2. what are all 36 eigenvalues λ of the trained RBM's kernel K = μ² − σ_h² W Wᵀ, in
   ascending order (``eigenvalues``)?

Mind the degeneracies: a level may be cut in the middle.

Return ``{"n_learnt": int, "eigenvalues": array of 36 floats}``. ``check`` integrates the
learning flow (26) for this lattice to convergence and compares; it tells you which part is
wrong.
"""

import numpy as np

from rbmphys.verify.exercise import answer_dict, array, integer, require


def solve():
    return None  # your answer here


def check(answer):
    import rbmphys as rp

    answer_dict(answer, "n_learnt", "eigenvalues")
    lam = array(answer, "eigenvalues").ravel()
    require(lam.shape == (36,), "give all 36 eigenvalues (one per lattice site)")
    require(np.all(np.diff(lam) >= 0), "sort the eigenvalues in ascending order")
    K = rp.datasets.lattice_kernel((6, 6), 1.0)
    kappa = np.sort(np.linalg.eigvalsh(K))
    flow = rp.theory.gaussian_flow(K, 12, 5.5, t_max=4000, rng=51, weight_scale=0.1)
    final = flow.eigenvalues[-1]
    learnt = int(np.sum(np.abs(final - kappa) < 1e-6) - np.sum(np.abs(kappa - 5.5) < 1e-6))
    require(integer(answer, "n_learnt") == learnt,
            "the number of learnt modes is wrong: count the modes below μ², then apply the "
            "hidden-layer cutoff")
    require(np.allclose(lam, final, atol=1e-5),
            "the eigenvalues are wrong: a learnt mode keeps its κ, every other one sits at μ²")
    return True
