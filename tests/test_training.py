"""Training against the exact oracle: it learns, it is reproducible, it resumes, it fails loudly."""

from __future__ import annotations

import io
import sys

import numpy as np
import pytest

import rbmphys as rp
from rbmphys.kernels import reference as R
from rbmphys.kernels._rng import derive_key
from rbmphys.training import (PCD, Trainer, TrainingDivergedError, constant, exponential,
                              inverse_time, step_decay)

BARS3 = rp.datasets.bars(3)          # 6 images; the optimum mean LL is -ln 6


@pytest.mark.parametrize("rule", [rp.ExactGradient(), rp.PCD(k=1, n_chains=50), rp.CD(k=1),
                                  rp.RdmK(k=5), rp.PCD(k=3, n_chains=20)])
def test_every_rule_raises_the_exact_log_likelihood(rule):
    m = rp.BernoulliRBM.random(9, 8, rng=0)
    before = rp.exact.log_likelihood(m, BARS3)
    hist = rp.train(m, BARS3, rule, epochs=300, batch_size=6, lr=0.1, rng=1)
    after = rp.exact.log_likelihood(m, BARS3)
    # from -6.24 (near uniform: -9 ln 2) every rule gains more than 1.5 nats in 300 epochs
    assert after > before + 1.5
    assert hist["exact_ll"][-1] == pytest.approx(after, abs=1e-12)


def test_exact_gradient_ascent_is_monotone_and_approaches_the_optimum():
    m = rp.BernoulliRBM.random(9, 8, weight_scale=0.1, rng=0)
    ll = rp.train(m, BARS3, rp.ExactGradient(), epochs=600, batch_size=6, lr=0.3,
                  rng=1)["exact_ll"]
    assert np.diff(ll).min() > 0                      # full-batch ascent, small enough lr
    assert ll[-1] > -np.log(6) - 0.15                 # -1.94 after 600 epochs (measured)


def test_exact_gradient_update_equals_lr_times_exact_gradient():
    m = rp.SpinRBM.random(4, 5, weight_scale=0.5, bias_scale=0.2, rng=2)
    data = rp.datasets.bars(2, units="spin")[[0, 1, 1]]
    g = rp.exact.gradient(m, data)
    m0 = m.copy()
    Trainer(m, rp.ExactGradient(), batch_size=3, lr=0.05, rng=0).update(data, 0.05)
    for k in ("W", "a", "b"):
        np.testing.assert_allclose(getattr(m, k) - getattr(m0, k), 0.05 * g[k], atol=1e-15)


@pytest.mark.parametrize("dtype,tol", [(np.float64, 1e-12), (np.float32, 1e-5)])
@pytest.mark.parametrize("cls", [rp.BernoulliRBM, rp.SpinRBM])
def test_one_pcd_update_equals_a_numpy_reference(dtype, tol, cls):
    m = cls.random(7, 5, weight_scale=0.5, bias_scale=0.3, rng=3, dtype=dtype)
    lo, g = m.visible.lo, m.visible.gain
    data = (rp.datasets.bars(3)[:4, :7] if lo == 0
            else 2 * rp.datasets.bars(3)[:4, :7] - 1).astype(dtype)
    rule = PCD(k=1, n_chains=6)
    tr = Trainer(m, rule, batch_size=4, lr=0.1, rng=4)
    key0 = derive_key(tr.key, 0)                        # the key of update 0
    rule.chains_v, rule.chains_h = rule._init_chains(m, key0)
    h = rule.chains_h.copy()
    W0, a0, b0 = m.W.astype(float), m.a.astype(float), m.b.astype(float)
    tr.update(data, 0.1)
    # the same update with the NumPy twins and the same keys
    v = R.sample_layer(np.dot(h, W0.T.astype(dtype)), a0.astype(dtype), g, lo,
                       derive_key(key0, 0, 1))
    mean = lambda x: R.mean_layer(np.dot(x, W0.astype(dtype)), b0.astype(dtype), g, lo < 0)  # noqa
    mp, mn = mean(data).astype(float), mean(v).astype(float)
    dW = 0.1 * (data.T.astype(float) @ mp / 4 - v.T.astype(float) @ mn / 6)
    np.testing.assert_allclose(m.W - W0, dW, atol=tol, rtol=tol)
    np.testing.assert_allclose(m.a - a0, 0.1 * (data.mean(0) - v.mean(0)), atol=tol)
    np.testing.assert_allclose(m.b - b0, 0.1 * (mp.mean(0) - mn.mean(0)), atol=tol)
    np.testing.assert_array_equal(rule.chains_v, v)


def test_same_seed_same_parameters():
    runs = []
    for _ in range(2):
        m = rp.BernoulliRBM.random(9, 6, rng=5, dtype=np.float32)
        rp.train(m, BARS3, rp.PCD(k=2, n_chains=7), epochs=20, batch_size=4, lr=0.05,
                 momentum=0.5, rng=6)
        runs.append(m)
    assert runs[0] == runs[1]
    m = rp.BernoulliRBM.random(9, 6, rng=5, dtype=np.float32)
    rp.train(m, BARS3, rp.PCD(k=2, n_chains=7), epochs=20, batch_size=4, lr=0.05,
             momentum=0.5, rng=7)
    assert not m == runs[0]
    assert m.dtype == np.float32


def test_divergence_restores_the_last_good_state():
    m = rp.BernoulliRBM.random(9, 6, rng=0)
    tr = Trainer(m, rp.PCD(k=1, n_chains=10), batch_size=6, lr=0.01, rng=0, max_weight=0.5)
    tr.fit(BARS3, 2)
    good = m.copy()
    tr.schedule = constant(1e3)
    with pytest.raises(TrainingDivergedError, match="epoch 2.*Lower the learning rate"):
        tr.fit(BARS3, 5)
    assert m == good and np.all(np.isfinite(m.W))
    assert tr.epoch == 2 and len(tr.history) == 2          # counters rolled back too


def test_schedules():
    s = step_decay(0.1, r=0.99, every=128)          # Eq. (A2) of Aarts, Lucini, Park
    assert s(0) == s(127) == 0.1
    assert s(128) == pytest.approx(0.099) and s(256) == pytest.approx(0.1 * 0.99**2)
    assert exponential(1.0, gamma=0.5)(3) == 0.125
    assert inverse_time(1.0, tau=10)(10) == 0.5
    with pytest.raises(ValueError, match="decay factor r"):
        step_decay(0.1, r=1.5)
    with pytest.raises(ValueError, match="lr must be positive"):
        constant(-1.0)
    m = rp.BernoulliRBM.random(9, 4, rng=0)
    hist = rp.train(m, BARS3, rp.CD(), epochs=3, batch_size=6, lr=exponential(0.1, 0.5),
                    rng=0)
    np.testing.assert_allclose(hist["lr"], [0.1, 0.05, 0.025])


def test_history_and_callbacks():
    m = rp.BernoulliRBM.random(9, 4, rng=0)
    seen = []
    hist = rp.train(m, BARS3, rp.PCD(k=1, n_chains=10), epochs=10, batch_size=3, lr=0.1, rng=0,
                    monitor={"test": BARS3[:2], "spectrum_every": 2},
                    callbacks=[lambda tr, ep, rec: seen.append(ep) or ep == 4])
    assert seen == [1, 2, 3, 4] and len(hist) == 4
    assert np.all(np.isfinite(hist["exact_test_ll"])) and np.all(hist["recon_error"] >= 0)
    sv = hist["singular_values"]
    assert len(sv[1]) == 4 and np.isnan(sv[0]).all()
    assert hist.to_dict()["records"][-1]["epoch"] == 4


def test_progress_bar_is_silent_off_a_terminal(monkeypatch):
    err = io.StringIO()
    monkeypatch.setattr(sys, "stderr", err)
    rp.train(rp.BernoulliRBM.random(9, 4, rng=0), BARS3, rp.CD(), epochs=20, batch_size=6,
             rng=0)
    assert err.getvalue() == ""
    rp.train(rp.BernoulliRBM.random(9, 4, rng=0), BARS3, rp.CD(), epochs=2, batch_size=6,
             rng=0, progress=True)
    assert "2/2" in err.getvalue() and "epoch" in err.getvalue()


def test_validation():
    m = rp.BernoulliRBM.random(9, 4, rng=0)
    with pytest.raises(ValueError, match="training data must contain only 0 and 1"):
        rp.train(m, 2 * BARS3 - 1, rp.CD(), epochs=1)
    with pytest.raises(ValueError, match=r"shape \(n_samples, 9\)"):
        rp.train(m, BARS3[:, :5], rp.CD(), epochs=1)
    with pytest.raises(ValueError, match="lr must be positive"):
        rp.train(m, BARS3, rp.CD(), epochs=1, lr=0.0)
    with pytest.raises(ValueError, match="batch_size"):
        rp.train(m, BARS3, rp.CD(), epochs=1, batch_size=0)
    with pytest.raises(ValueError, match="epochs"):
        rp.train(m, BARS3, rp.CD(), epochs=-1)
    with pytest.raises(ValueError, match="k \\(Gibbs sweeps\\)"):
        rp.PCD(k=0)
    with pytest.raises(ValueError, match="n_chains"):
        rp.PCD(n_chains=0)
    with pytest.raises(TypeError, match="rule must be a learning rule"):
        rp.train(m, BARS3, "pcd", epochs=1)
    bad = m.copy()
    bad.W[0, 0] = np.nan
    with pytest.raises(ValueError, match="NaN"):  # noqa: PT011
        rp.train(bad, BARS3, rp.CD(), epochs=1)


def test_training_runs_without_tqdm_unless_a_bar_is_asked_for(monkeypatch):
    """tqdm is a dependency, but a bare machine without it still trains (no bar); asking for a
    bar there is a clear ImportError."""
    import sys
    monkeypatch.setitem(sys.modules, "tqdm.auto", None)          # import now raises
    m = rp.BernoulliRBM.random(9, 4, rng=0)
    rp.train(m, rp.datasets.bars(3), rp.CD(), epochs=2, batch_size=6, lr=0.1, rng=1,
             progress=False)
    with pytest.raises(ImportError, match="needs tqdm"):
        rp.train(m, rp.datasets.bars(3), rp.CD(), epochs=1, batch_size=6, lr=0.1, rng=1,
                 progress=True)
