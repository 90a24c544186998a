"""Solution 8.1: R Haar-random; W' = R U Σ Vᵀ; ln P is unchanged because Tr(W'ᵀW') = Σσ²."""

import numpy as np

from rbmphys.analysis import symmetry as S


def solve():
    W = np.random.default_rng(81).normal(0, 0.1, (20, 8))
    Wr = S.rotate_singular_vectors(W, S.random_rotation(20, rng=1))
    return {"W_rotated": Wr, "log_prior": S.log_gaussian_prior(Wr, 0.1)}
