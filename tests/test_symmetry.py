"""Chapter 8 library pieces: rotations of the singular vectors, the constraint force of one mode,
and following modes by overlap (tracked_learning_times) on synthetic trajectories whose answer
is known by construction."""

from __future__ import annotations

import numpy as np
import pytest

from rbmphys.analysis import symmetry as S
from rbmphys.experiments.toledo import learning_times, tracked_learning_times


def test_bad_input_names_the_quantity():
    W = np.ones((4, 3))
    with pytest.raises(ValueError, match="side"):
        S.rotate_singular_vectors(W, np.eye(4), side="left")
    with pytest.raises(ValueError, match="4×4"):
        S.rotate_singular_vectors(W, np.eye(3))
    with pytest.raises(ValueError, match="3×3"):
        S.rotate_singular_vectors(W, np.eye(4), side="hidden")
    with pytest.raises(ValueError, match="4×4"):
        S.rotate_singular_vectors(W, np.eye(2))          # a smaller R is as wrong as a larger
    with pytest.raises(ValueError, match="3×3"):
        S.rotate_singular_vectors(W, np.eye(2), side="hidden")
    for keep in (-1, 3, 5):                              # keep must lie in [0, n − 2]
        with pytest.raises(ValueError, match="keep"):
            S.rotate_except(W, keep)
    with pytest.raises(ValueError, match="outside"):
        S.constraint_force(np.ones(4), 2.0)              # |z| < Σ|c|/2 = 2 is required
    with pytest.raises(ValueError, match="sigma_w"):
        S.log_gaussian_prior(W, 0.0)


def test_constraint_force_solves_its_equation_and_is_odd():
    # tolerance: brentq to 1e-15 in t; the residual is then round-off of a 7-term sum
    c = np.array([0.3, -1.1, 0.7, 2.0, 0.05, -0.4, 0.9])
    for z in (0.2, 1.0, 2.2):
        t = S.constraint_force(c, z)
        assert abs(0.5 * np.sum(c * np.tanh(0.5 * t * c)) - z) < 1e-12
        assert S.constraint_force(c, -z) == pytest.approx(-t, rel=1e-12)
    assert S.constraint_force(c, 0.0) == 0.0
    ts = S.constraint_force(c, np.array([0.2, 1.0]))
    assert ts.shape == (2,) and np.all(np.diff(ts) > 0)   # V_c is convex: t(z) increases


def test_ordered_minimum_critical_point():
    # σ_c = 1/κ₂ with κ₂ = Σc²/4: no ordered minimum at or below it, one just above
    c = np.array([0.5, -1.5, 1.0, 0.8])
    k2 = 0.25 * np.sum(c * c)
    assert S.ordered_minimum(c, 0.999 / k2) == 0.0
    assert S.ordered_minimum(c, 1.0 / k2) == 0.0
    z = S.ordered_minimum(c, 1.2 / k2)
    assert z > 0 and abs(S.constraint_force(c, z) - 1.2 / k2 * z) < 1e-10


def _trajectories(E=12, n=30, r=6, seed=3):
    """Synthetic records: r modes with fixed directions (a random orthonormal set) whose
    singular values grow at different epochs; mode 1 starts later but ends larger than mode 2
    (they cross), so ranking the sorted values would mislabel them."""
    g = np.random.default_rng(seed)
    Q, _ = np.linalg.qr(g.normal(size=(n, r)))
    start = np.array([1, 6, 3, 8, 40, 40])               # modes 4, 5 never grow
    rate = np.array([2.0, 3.0, 0.5, 0.4, 0.0, 0.0])
    epochs = np.arange(E)
    sig = 1.0 + np.clip(epochs[:, None] - start[None, :], 0, None) * rate[None, :]
    sig = sig - 0.01 * np.arange(r)[None, :]             # break ties in the bulk
    sigma, U = [], []
    for e in range(E):
        order = np.argsort(-sig[e])
        sigma.append(sig[e, order])
        U.append(Q[:, order] * np.where(g.random(r) < 0.5, -1, 1))   # arbitrary SVD signs
    return epochs, np.array(sigma), np.array(U), start


def test_tracked_learning_times_follow_modes_through_a_crossing():
    epochs, sigma, U, start = _trajectories()
    times, tracked = tracked_learning_times(epochs=epochs, sigma=sigma, U=U, n_modes=4, growth=0.25)
    # final ranks: mode 0 (1 + 10·2), mode 1 (1 + 5·3), mode 2 (1 + 8·0.5), mode 3 (1 + 3·0.4);
    # each passes the edge 1.25·σ₁(0) = 1.25 one epoch after it starts growing
    assert times.tolist() == [2.0, 7.0, 4.0, 9.0]
    assert np.isnan(tracked[:2, 0]).all() and tracked[-1, 0] == pytest.approx(sigma[-1, 0])
    # the rank-based times re-sort: rank 1 is mode 2 until mode 1 overtakes it at epoch 9
    assert learning_times(epochs=epochs, sigma=sigma, n_modes=4).tolist() != times.tolist()


def test_tracked_learning_times_stop_when_the_overlap_is_lost():
    epochs, sigma, U, _ = _trajectories()
    U = U.copy()
    g = np.random.default_rng(0)
    Qr, _ = np.linalg.qr(g.normal(size=(U.shape[1], U.shape[1])))
    U[:5] = Qr[:, :U.shape[2]]                            # early records: unrelated vectors
    times, _ = tracked_learning_times(epochs=epochs, sigma=sigma, U=U, n_modes=2, min_overlap=0.9)
    assert times.tolist() == [5.0, 7.0]                   # mode 0 cut at the first record kept
    with pytest.raises(ValueError, match="n_modes"):
        tracked_learning_times(epochs=epochs, sigma=sigma, U=U, n_modes=7)
    with pytest.raises(ValueError, match="n_records"):
        tracked_learning_times(epochs=epochs[:-1], sigma=sigma, U=U)
