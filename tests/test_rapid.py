"""RAPID and the spin-glass diagnostics of Chapter 9, against closed forms and exact enumeration."""

from __future__ import annotations

import numpy as np
import pytest

import rbmphys as rp
from rbmphys.analysis.spinglass import (accessibility, gibbs_accessibility, ground_state_energy,
                                        ground_state_energy_numpy, hamming_distance, reconstruct,
                                        top_row_mask)

SEED = 91


def _bars_pm1():
    return 2.0 * rp.datasets.bars(3) - 1.0


# ------------------------------------------------------------------ pattern weights
def test_pattern_weights_closed_form_and_mattis():
    xv, xh = rp.random_pattern_pair(3, 7, 5, rng=SEED)
    W = rp.pattern_weights(xv, xh)
    # eq. (5) entry by entry (tolerance: exact sums of ±1 times 1/√3, round-off only)
    for i in range(7):
        for a in range(5):
            assert abs(W[i, a] - sum(xv[k, i] * xh[k, a] for k in range(3)) / np.sqrt(3)) < 1e-14
    assert set(np.unique(xv)) == {-1.0, 1.0}
    # the same key gives the same patterns
    np.testing.assert_array_equal(rp.random_pattern_pair(3, 7, 5, rng=SEED)[0], xv)


def test_pattern_weight_moments_closed_form():
    for K in (1, 2, 5, 40):
        m2, m4 = rp.models.pattern_weight_moments(K)
        assert abs(m2 - 1) < 1e-12 and abs(m4 - (3 - 2 / K)) < 1e-12


@pytest.mark.parametrize("call, match", [
    (lambda: rp.pattern_weights(np.ones((2, 3)), np.ones((3, 4))), "same number of patterns K"),
    (lambda: rp.pattern_weights(np.ones(3), np.ones((1, 4))), "xi_v"),
    (lambda: rp.RAPID(n_patterns=0), "n_patterns"),
    (lambda: rp.RAPID(projection="round"), "projection"),
    (lambda: rp.RAPID(clip=0.0), "clip"),
    (lambda: rp.RAPID(gibbs_steps=-1), "gibbs_steps"),
    (lambda: rp.RAPID(2).attach(rp.BernoulliRBM(np.zeros((4, 3)))), "±1 units"),
    (lambda: rp.RAPID(2).attach(rp.SpinRBM(np.zeros((4, 3))),
                                patterns=(np.ones((2, 4)), np.ones((3, 3)))), "shapes"),
    (lambda: rp.RAPID(2).negative_states(rp.SpinRBM(np.zeros((4, 3)))), "no patterns"),
])
def test_bad_input_names_the_quantity(call, match):
    with pytest.raises((ValueError, TypeError), match=match):
        call()


# ------------------------------------------------------------------ the rule
def test_attach_then_train_keeps_eq5_and_patterns_survive_the_first_trainer():
    rule = rp.RAPID(n_patterns=3, projection="sign")
    m = rule.attach(rp.SpinRBM(np.zeros((9, 30))), rng=SEED)
    xv0 = rule.xi_v.copy()
    tr = rp.Trainer(m, rule, batch_size=6, lr=0.05, rng=SEED)
    np.testing.assert_array_equal(rule.xi_v, xv0)          # attach() survives the binding
    tr.fit(_bars_pm1(), epochs=5)
    np.testing.assert_allclose(m.W, rp.pattern_weights(rule.xi_v, rule.xi_h), atol=1e-12)
    assert set(np.unique(rule.xi_v)) <= {-1.0, 1.0}        # (B1) after every epoch
    rp.Trainer(m, rule, rng=0)                              # a second run starts afresh
    assert rule.xi_v is None


def test_pid_negative_phase_is_w_over_sqrt_k_for_spin_patterns():
    rule = rp.RAPID(n_patterns=4)
    m = rule.attach(rp.SpinRBM(np.zeros((6, 9))), rng=SEED)
    # identity: sgn(ξ_v)ᵀ sgn(ξ_h)/K = W/√K for ±1 patterns (round-off only)
    np.testing.assert_allclose(rule.negative_phase(m), m.W / 2.0, atol=1e-14)


def test_one_update_is_the_clipped_pattern_gradient_step():
    """One trainer update = ξ ← clip(ξ + η ∂ℓ/∂ξ) with the PID negative phase, W ← eq. (5)
    (identity up to round-off of the same float64 operations)."""
    data = _bars_pm1()
    rule = rp.RAPID(n_patterns=3, projection="clip", clip=1.0)
    m = rule.attach(rp.SpinRBM(np.zeros((9, 12))), rng=SEED)
    xv, xh = rule.xi_v.copy(), rule.xi_h.copy()
    dv, dh = rule.pattern_gradient(m, data[:6], rule.negative_phase(m))
    tr = rp.Trainer(m, rule, batch_size=6, lr=0.01, rng=SEED)
    tr.update(np.ascontiguousarray(data[:6]), 0.01)
    np.testing.assert_allclose(rule.xi_v, np.clip(xv + 0.01 * dv, -1, 1), atol=1e-14)
    np.testing.assert_allclose(rule.xi_h, np.clip(xh + 0.01 * dh, -1, 1), atol=1e-14)
    np.testing.assert_allclose(m.W, rp.pattern_weights(rule.xi_v, rule.xi_h), atol=1e-14)
    assert np.all(np.abs(rule.xi_v) <= 1.0) and np.all(np.abs(rule.xi_h) <= 1.0)


def test_k1_rapid_ascends_the_exact_log_likelihood():
    """For K = 1 the PID negative phase is exact up to e^{-2 min(V, H)}, so RAPID is gradient
    ascent on ℓ: a small step from a warm (scaled) pattern model must raise it."""
    data = _bars_pm1()[:2]
    rule = rp.RAPID(n_patterns=1, projection=None)
    m = rule.attach(rp.SpinRBM(np.zeros((9, 12))), rng=SEED)
    before = rp.exact.log_likelihood(m, data)
    dv, dh = rule.pattern_gradient(m, data, rp.exact.expectations(m)["vh"])
    slope = float(np.sum(dv * dv) + np.sum(dh * dh))             # dℓ along the gradient
    rp.Trainer(m, rule, batch_size=2, lr=1e-4, rng=SEED).fit(data, epochs=1)
    after = rp.exact.log_likelihood(m, data)
    assert after > before and abs((after - before) - 1e-4 * slope) < 0.2 * 1e-4 * slope


def test_gibbs_projection_and_gibbs_seeded_negative_phase_are_spins_and_reproducible():
    data = _bars_pm1()
    runs = []
    for _ in range(2):
        rule = rp.RAPID(n_patterns=3, projection="gibbs", gibbs_steps=2)
        m = rule.attach(rp.SpinRBM(np.zeros((9, 20))), rng=SEED)
        rp.train(m, data, rule, epochs=3, batch_size=6, lr=0.01, rng=SEED)
        runs.append((m.W.copy(), rule.xi_v.copy()))
        v, h = rule.negative_states(m, key=5)
        assert v.shape == (3, 9) and h.shape == (3, 20)
        assert set(np.unique(v)) <= {-1.0, 1.0} and set(np.unique(rule.xi_h)) <= {-1.0, 1.0}
    np.testing.assert_array_equal(runs[0][0], runs[1][0])


def test_checkpoint_holds_the_patterns_and_resumes_bit_for_bit(tmp_path):
    data = _bars_pm1()

    def fresh():
        rule = rp.RAPID(n_patterns=3, projection="clip", gibbs_steps=1)
        return rule, rule.attach(rp.SpinRBM(np.zeros((9, 15))), rng=SEED)

    r1, m1 = fresh()
    rp.train(m1, data, r1, epochs=6, batch_size=3, lr=0.02, rng=SEED)
    ck = tmp_path / "rapid.npz"
    r2, m2 = fresh()
    rp.train(m2, data, r2, epochs=3, batch_size=3, lr=0.02, rng=SEED, checkpoint=ck,
             checkpoint_every=1)
    r3 = rp.RAPID(n_patterns=3, projection="clip", gibbs_steps=1)
    m3 = rp.SpinRBM(np.zeros((9, 15)))
    rp.train(m3, data, r3, epochs=6, batch_size=3, lr=0.02, rng=SEED, checkpoint=ck,
             resume=ck)
    np.testing.assert_array_equal(m3.W, m1.W)
    np.testing.assert_array_equal(r3.xi_v, r1.xi_v)
    np.testing.assert_array_equal(r3.xi_h, r1.xi_h)


def test_divergence_restores_patterns_and_weights():
    data = _bars_pm1()
    rule = rp.RAPID(n_patterns=2, projection=None)
    m = rule.attach(rp.SpinRBM(np.zeros((9, 20))), rng=SEED)
    tr = rp.Trainer(m, rule, batch_size=3, lr=1e-3, rng=SEED, max_weight=50.0)
    tr.fit(data, epochs=1)
    W, xv = m.W.copy(), rule.xi_v.copy()
    tr.schedule = rp.training.constant(1e3)
    with pytest.raises(rp.TrainingDivergedError):
        tr.fit(data, epochs=3)
    np.testing.assert_array_equal(m.W, W)
    np.testing.assert_array_equal(rule.xi_v, xv)


def test_cost_model_of_appendix_d():
    rule = rp.RAPID(n_patterns=8)
    V, H, B = 16, 1000, 10
    assert rule.multiply_adds(V, H, B) == 2 * B * V * H + 4 * 8 * V * H
    pcd = rp.training.pcd_multiply_adds(V, H, B, 256, 10)
    assert pcd == 2 * 10 * 256 * V * H + 2 * (B + 256) * V * H
    assert pcd > 50 * rule.multiply_adds(V, H, B)


# ------------------------------------------------------------------ diagnostics
@pytest.mark.parametrize("cls, shape", [(rp.SpinRBM, (6, 9)), (rp.SpinRBM, (9, 5)),
                                        (rp.BernoulliRBM, (7, 4))])
def test_ground_state_energy_matches_the_enumerated_ground_states(cls, shape):
    m = cls.random(*shape, weight_scale=1.0, bias_scale=0.5, rng=SEED)
    e0 = ground_state_energy(m)
    gs = rp.exact.ground_states(m)
    assert abs(e0 - gs.energy) < 1e-10
    assert abs(e0 - float(np.min(m.energy(gs.v, gs.h)))) < 1e-10
    # brute force over all joint states (2^(V+H) ≤ 2^15)
    V, H = shape
    S = rp.exact.all_states(V + H, m.visible)
    assert abs(e0 - float(m.energy(S[:, :V], S[:, V:]).min())) < 1e-10


@pytest.mark.parametrize("cls, shape, bias", [(rp.SpinRBM, (6, 9), 0.0), (rp.SpinRBM, (9, 5), 0.5),
                                              (rp.SpinRBM, (12, 40), 0.0),
                                              (rp.BernoulliRBM, (7, 4), 0.5),
                                              (rp.BernoulliRBM, (11, 30), 0.0)])
def test_ground_state_energy_kernel_matches_numpy_twin_and_brute_force(cls, shape, bias):
    """The Gray-code kernel (blocks of 2^10 codes, the spin-flip half when there are no biases)
    against the NumPy twin (counting order, matrix products) and, for small shapes, the joint
    brute force; both routes add the same numbers in different orders, so the tolerance is
    round-off: 1e-10 on energies of order V·H·|W| ≤ 500."""
    m = cls.random(*shape, weight_scale=1.0, bias_scale=bias, rng=SEED + shape[0])
    e0 = ground_state_energy(m)
    assert abs(e0 - ground_state_energy_numpy(m)) < 1e-10
    V, H = shape
    if V + H <= 15:
        S = rp.exact.all_states(V + H, m.visible)
        assert abs(e0 - float(m.energy(S[:, :V], S[:, V:]).min())) < 1e-10
    else:
        gs = rp.exact.ground_states(m)
        assert abs(e0 - gs.energy) < 1e-10


def test_accessibility_is_one_at_the_ground_state_and_gibbs_finds_mattis_ground_state():
    rule = rp.RAPID(n_patterns=1)
    m = rule.attach(rp.SpinRBM(np.zeros((10, 40))), rng=SEED)
    v, h = rule.negative_states(m)
    assert abs(accessibility(m, v, h) - 1.0) < 1e-12
    # K = 1 at these energies (|W| = 1, gap 2H = 80): 10 sweeps from anywhere reach ±ξ
    assert abs(gibbs_accessibility(m, 50, 10, rng=SEED) - 1.0) < 1e-12
    ratios = gibbs_accessibility(m, 50, 10, rng=SEED, reduce=None)
    assert ratios.shape == (50,)


def test_reconstruct_keeps_the_clamped_pixels_and_hamming_distance_counts():
    data = 2.0 * rp.datasets.bars(4) - 1.0
    m = rp.SpinRBM.random(16, 30, weight_scale=1.0, rng=SEED)
    clamp = top_row_mask((4, 4))
    r = reconstruct(m, data, clamp, n_sweeps=3, rng=SEED)
    np.testing.assert_array_equal(r[:, clamp], data[:, clamp])
    assert set(np.unique(r)) <= {-1.0, 1.0}
    a = np.array([[1, 1, -1, -1]])
    b = np.array([[1, -1, -1, 1]])
    assert hamming_distance(a, b)[0] == 0.5
    assert hamming_distance(a, b, mask=[False, True, True, True])[0] == pytest.approx(2 / 3)
    with pytest.raises(ValueError, match="clamp"):
        reconstruct(m, data, clamp[:5])


# ------------------------------------------------------------------ sweeps on a cluster
def _square(x):
    return x * x


def test_sweep_on_a_local_dask_cluster_gives_the_local_results():
    distributed = pytest.importorskip("distributed")
    from joblib import parallel_config
    from rbmphys.parallel import run as run_parallel
    from rbmphys.experiments.rapid import bars_single_run
    pts = [dict(method="rapid", seed=s, n_hidden=20, epochs=2, record_every=1, n_recon=2)
           for s in (1, 2)]
    local = run_parallel(bars_single_run, pts, n_jobs=1)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                                  dashboard_address=None) as cluster, \
            distributed.Client(cluster):
        with parallel_config(backend="dask"):
            remote = run_parallel(bars_single_run, pts, backend="dask", n_jobs=2)
    for a, b in zip(local, remote):
        for k in a:
            np.testing.assert_array_equal(a[k], b[k])


def test_bench_reports_rapid_against_pcd10_with_the_cost_model():
    from rbmphys._bench import bench_rapid
    rows = bench_rapid(1)
    assert [r["case"] for r in rows] == ["Bars 4x4", "MNIST-sized"]
    for r in rows:
        rule = rp.RAPID(n_patterns=r["K"])
        model = rp.training.pcd_multiply_adds(r["V"], r["H"], r["B"], r["chains"], 10) \
            / rule.multiply_adds(r["V"], r["H"], r["B"])
        assert r["multiply_add_ratio"] == pytest.approx(model, rel=1e-12)
        assert r["rapid_ms"] > 0 and r["pcd10_ms"] > 0
