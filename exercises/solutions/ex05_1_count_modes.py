"""Solution 5.1: κ − m² = a + b with a, b ∈ {0, 1, 3, 4} (multiplicities 1, 2, 2, 1 per
direction), so κ = 1 (×1), 2 (×4), 3 (×4), 4 (×4), 5 (×10), ... Below μ² = 5.5 lie 23 modes;
N_h = 12 keeps the 12 most infrared: 1, 2×4, 3×4 and three of the four modes at κ = 4 (a
level cut in the middle). The other 24 eigenvalues sit at μ² = 5.5."""

import numpy as np

import rbmphys as rp


def solve():
    K = rp.datasets.lattice_kernel((6, 6), 1.0)
    kappa = np.sort(np.linalg.eigvalsh(K))
    return {"n_learnt": rp.theory.n_learnable_modes(kappa, 5.5, 12),
            "eigenvalues": np.sort(rp.theory.learnt_eigenvalues(kappa, 5.5, 12))}
