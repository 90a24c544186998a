"""Extending the library from outside: a new unit type, a new learning rule and a new chain
sampler, each one class written with public names only, checked against exact enumeration,
trained through ``rp.train`` and resumed from a checkpoint bit for bit.

These are the three seams a reader adds to when the book's models are not enough: the unit
protocol (:class:`rbmphys.units.Units`: a discrete unit type needs only ``values`` and its
self-energy), the rule protocol (:class:`rbmphys.LearningRule`) and the chain-sampler protocol
(:class:`rbmphys.samplers.ChainSampler`).
"""

import inspect
import itertools
import re

import numpy as np
import pytest

import rbmphys as rp
from rbmphys.analysis import chi2_test

SEED = 20261203


# -- the three extensions, public names only ---------------------------------------------------
class Ternary(rp.units.Units):
    r"""Three-state units s ∈ {−1, 0, +1} with a single-ion anisotropy :math:`U(s) = D s^2`
    (the spin-1 Blume–Capel unit)."""

    name = "ternary-test"
    values = (-1.0, 0.0, 1.0)

    def __init__(self, D=0.4):
        self.D = float(D)

    def config(self):
        return {"D": self.D}

    def self_energy(self, x):
        return self.D * np.asarray(x, dtype=np.float64) ** 2


class MeanFieldCD(rp.LearningRule):
    """CD-k whose negative phase uses the chains' hidden *means* on both sides (the
    Rao–Blackwellised estimator), written from public functions only."""

    def __init__(self, k=3):
        self.k = k

    def config(self):
        return {"k": self.k}

    def step(self, model, batch, ctx):
        vneg = rp.gibbs(model, batch, n_sweeps=self.k, rng=ctx.key)
        pos, neg = model.free_energy_gradient(batch), model.free_energy_gradient(vneg)
        return {name: ctx.lr * (pos[name] - neg[name]) for name in pos}


class MetropolisFlip(rp.samplers.ChainSampler):
    r"""Single-site Metropolis on the visible marginal :math:`p(v) \propto e^{-F(v)}`: each
    sweep proposes, unit after unit, another value of that unit and accepts with
    :math:`\min(1, e^{F(v) - F(v')})`.  Uniforms from the counter RNG of the update's key."""

    def run(self, model, v, key, n_sweeps):
        vals = np.asarray(model.visible.values)
        C, V = v.shape
        for t in range(n_sweeps):
            u = rp.units.counter_uniforms(key + 2 * t + 1, (C, 2 * V))
            for i in range(V):
                cur = np.searchsorted(vals, v[:, i])
                step = 1 + np.floor(u[:, 2 * i] * (len(vals) - 1)).astype(int)
                prop = v.copy()
                prop[:, i] = vals[(cur + step) % len(vals)]
                dF = model.free_energy(prop) - model.free_energy(v)
                acc = np.log(u[:, 2 * i + 1]) < -dF
                v[acc, i] = prop[acc, i]
        return v


def test_the_extensions_use_public_names_only():
    """No private attribute of the library (``rp._x``, ``rp.a._b``) in the three classes."""
    for cls in (Ternary, MeanFieldCD, MetropolisFlip):
        src = inspect.getsource(cls)
        assert not re.search(r"\brp(\.\w+)*\._\w", src), cls.__name__


# -- a new unit type ------------------------------------------------------------------------------
def _ternary_model():
    rng = np.random.default_rng(SEED)
    return rp.RBM(rng.normal(0, 0.6, (3, 2)), a=[0.3, -0.2, 0.1], b=[-0.4, 0.25],
                  visible=Ternary(0.4), hidden=rp.units.Bernoulli())


def _brute_force(model):
    """ln Z and p(v) from the joint energy E(v, h) = −vWh − a·v − b·h + Σ D v_i², summed over
    all 3^V · 2^H joint states (shares no code with rbmphys.exact)."""
    W, a, b, D = model.W, model.a, model.b, model.visible.D
    vs = np.array(list(itertools.product((-1.0, 0.0, 1.0), repeat=model.n_visible)))
    hs = np.array(list(itertools.product((0.0, 1.0), repeat=model.n_hidden)))
    E = -(vs @ W @ hs.T) - (vs @ a)[:, None] - (hs @ b)[None, :] \
        + D * (vs ** 2).sum(1)[:, None]
    w = np.exp(-E).sum(1)
    return np.log(w.sum()), vs, w / w.sum()


def test_a_new_discrete_unit_type_enumerates_exactly():
    m = _ternary_model()
    log_z, vs, p = _brute_force(m)
    assert rp.exact.log_partition(m) == pytest.approx(log_z, abs=1e-12)   # round-off of 108 terms
    states, p_lib = rp.exact.visible_distribution(m)
    np.testing.assert_array_equal(states, vs)          # base-3 counting order, unit 0 first
    np.testing.assert_allclose(p_lib, p, atol=1e-14)
    # the conditional mean of the unit is Σ s e^{s f − D s²} / Σ e^{s f − D s²}
    f = np.array([-1.3, 0.0, 0.7])
    want = (np.exp(f - 0.4) - np.exp(-f - 0.4)) / (1 + np.exp(f - 0.4) + np.exp(-f - 0.4))
    np.testing.assert_allclose(m.visible.mean(f), want, rtol=1e-13)


def test_a_new_unit_type_samples_the_exact_distribution():
    """Block Gibbs with the default (inverse-CDF, counter-RNG) sampler of the new unit: the
    histogram of 4000 chains after 30 sweeps against the exact p(v), Pearson χ² (p > 1e-3: a
    correct sampler fails one seed in a thousand)."""
    m = _ternary_model()
    _, vs, p = _brute_force(m)
    v = rp.ChainState(m, n_chains=4000, rng=SEED).run(30).v
    idx = ((v + 1) @ (3 ** np.arange(m.n_visible - 1, -1, -1))).astype(int)
    counts = np.bincount(idx, minlength=len(vs))
    assert chi2_test(counts, p)[2] > 1e-3


def test_a_new_unit_type_trains_and_resumes_bit_for_bit(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    data = rp.exact.sample(_ternary_model(), 60, rng=SEED)

    def fresh():
        return rp.RBM(np.zeros((3, 2)) + 0.01, visible=Ternary(0.4),
                      hidden=rp.units.Bernoulli())
    ref = fresh()
    before = rp.exact.log_likelihood(ref, data)
    rp.train(ref, data, rp.PCD(k=2, n_chains=20), epochs=6, batch_size=20, lr=0.05, rng=3)
    assert rp.exact.log_likelihood(ref, data) > before          # it learns
    part = fresh()
    rp.train(part, data, rp.PCD(k=2, n_chains=20), epochs=3, batch_size=20, lr=0.05, rng=3,
             checkpoint="run")
    back = rp.load("run")
    assert back.model.visible == Ternary(0.4)
    resumed = fresh()
    rp.train(resumed, data, rp.PCD(k=2, n_chains=20), epochs=6, batch_size=20, lr=0.05, rng=3,
             checkpoint="run", resume="run")
    assert resumed == ref


# -- a new learning rule ----------------------------------------------------------------------
def test_a_new_rule_estimates_the_exact_gradient_and_resumes(tmp_path, monkeypatch):
    """With chains run long (k = 40 sweeps from the data) the rule's increment is the exact
    gradient up to Monte Carlo error: 3000 chains, per-entry standard error ≤ 0.5/√3000 ≈ 0.009;
    tolerance 0.05 (> 5 SE)."""
    monkeypatch.chdir(tmp_path)
    m = rp.BernoulliRBM.random(5, 3, weight_scale=0.8, bias_scale=0.4, rng=SEED)
    data = rp.exact.sample(m, 3000, rng=1)
    data[:, 0] = 1.0                       # data ≠ model: a gradient of order one
    g = rp.exact.gradient(m, data)
    inc = MeanFieldCD(k=40).step(m, data, rp.training.StepContext(lr=1.0, key=5, update=0,
                                                                   epoch=0))
    for name in ("W", "a", "b"):
        np.testing.assert_allclose(np.asarray(inc[name]), g[name], atol=0.05)

    bars = rp.datasets.bars(3)

    def fresh():
        return rp.BernoulliRBM.random(9, 4, weight_scale=0.1, rng=2)
    ref = fresh()
    rp.train(ref, bars, MeanFieldCD(k=2), epochs=4, batch_size=3, lr=0.1, rng=4)
    part = fresh()
    rp.train(part, bars, MeanFieldCD(k=2), epochs=2, batch_size=3, lr=0.1, rng=4,
             checkpoint="rule")
    assert type(rp.load("rule").rule) is MeanFieldCD
    resumed = fresh()
    rp.train(resumed, bars, MeanFieldCD(k=2), epochs=4, batch_size=3, lr=0.1, rng=4,
             checkpoint="rule", resume="rule")
    assert resumed == ref


# -- a new chain sampler, and the book's own ---------------------------------------------------
def _mattis():
    """A Mattis-like ferromagnet with a weak field along ξ: correlated, two unequal modes,
    mixing within 40 sweeps for every sampler here (the barrier case is the next test)."""
    xi = np.array([1, -1, 1, 1, -1, 1.0])
    return rp.SpinRBM(0.3 * np.outer(xi, np.ones(3)), a=0.1 * xi)


@pytest.mark.parametrize("make", [
    lambda: MetropolisFlip(),
    lambda: rp.samplers.BlockGibbs(),
    lambda: rp.samplers.TemperedGibbs((0.2, 0.45, 0.7, 1.0)),
], ids=["MetropolisFlip", "BlockGibbs", "TemperedGibbs"])
def test_chain_samplers_sample_the_exact_distribution(make):
    """2000 chains, 40 sweeps from random states: Pearson χ² of the visible histogram against
    exact enumeration (p > 1e-3)."""
    m = _mattis()
    s = make()
    v = s.init_chains(m, 2000, SEED)
    v = s.run(m, v, SEED + 1, 40)
    states, p = rp.exact.visible_distribution(m)
    bits = ((v > 0) @ (2 ** np.arange(m.n_visible - 1, -1, -1))).astype(int)
    counts = np.bincount(bits, minlength=len(states))
    assert chi2_test(counts, p)[2] > 1e-3


def test_tempered_exchanges_cross_the_barrier_plain_gibbs_does_not():
    """At coupling 1.2 the two ±ξ modes of the ferromagnet are separated by a barrier that block
    Gibbs at β = 1 almost never crosses in 30 sweeps; the tempered sampler (same sweeps, a
    ladder down to β = 0.1) equilibrates the modes' weights, which are equal by symmetry
    (a = 0).  All chains start in the +ξ mode; measured: fraction in the −ξ mode."""
    xi = np.array([1, -1, 1, 1, -1, 1, 1, -1.0])
    m = rp.SpinRBM(1.2 * np.outer(xi, np.ones(4)))
    v0 = np.tile(xi, (600, 1))

    def minus_fraction(s):
        v = s.run(m, v0.copy(), SEED, 30)
        return float(np.mean(v @ xi < 0))
    plain = minus_fraction(rp.samplers.BlockGibbs())
    tempered = minus_fraction(rp.samplers.TemperedGibbs(tuple(np.geomspace(0.1, 1, 6))))
    assert plain < 0.05
    assert tempered == pytest.approx(0.5, abs=0.1)      # binomial SE 0.02, autocorrelated


@pytest.mark.parametrize("make", [lambda: MetropolisFlip(),
                                  lambda: rp.samplers.TemperedGibbs((0.3, 0.6, 1.0))],
                         ids=["MetropolisFlip", "TemperedGibbs"])
def test_pcd_with_a_sampler_trains_and_resumes_bit_for_bit(tmp_path, monkeypatch, make):
    monkeypatch.chdir(tmp_path)
    bars = rp.datasets.bars(3)

    def fresh():
        return rp.BernoulliRBM.random(9, 4, weight_scale=0.1, rng=2)

    def rule():
        return rp.PCD(k=2, n_chains=8, sampler=make())
    ref = fresh()
    before = rp.exact.log_likelihood(ref, bars)
    rp.train(ref, bars, rule(), epochs=200, batch_size=3, lr=0.1, rng=4)
    assert rp.exact.log_likelihood(ref, bars) > before + 1.0
    part = fresh()
    rp.train(part, bars, rule(), epochs=100, batch_size=3, lr=0.1, rng=4, checkpoint="pcd")
    assert type(rp.load("pcd").rule.sampler) is type(make())
    resumed = fresh()
    rp.train(resumed, bars, rule(), epochs=200, batch_size=3, lr=0.1, rng=4,
             checkpoint="pcd", resume="pcd")
    assert resumed == ref


def test_pcd_refuses_a_sampler_that_is_not_one():
    with pytest.raises(TypeError, match="sampler must be a rbmphys.samplers.ChainSampler"):
        rp.PCD(sampler=lambda model, v, key, n: v)


def test_a_rule_written_for_the_old_state_protocol_still_resumes(tmp_path):
    """A rule of rbmphys ≤ 0.3 defined state_dict()/load_state_dict() as its runtime state; it
    is migrated (with a DeprecationWarning) and still checkpoints and resumes bit for bit."""
    with pytest.warns(DeprecationWarning, match="runtime_state"):
        class Counting(rp.LearningRule):
            def __init__(self):
                self.seen = 0

            def state_dict(self):
                return {"arrays": {}, "values": {"seen": self.seen}}

            def load_state_dict(self, state):
                self.seen = int(state["values"]["seen"])

            def step(self, model, batch, ctx):
                self.seen += len(batch)
                return MeanFieldCD(k=1).step(model, batch, ctx)
    bars = rp.datasets.bars(3)
    tr = rp.Trainer(rp.BernoulliRBM.random(9, 3, rng=0), Counting(), batch_size=3, lr=0.1,
                    rng=1)
    tr.fit(bars, 2)
    back = rp.load(tr.save(tmp_path / "old.npz"))
    assert back.rule.seen == 12 and back.rule.state_dict()["class"] == "Counting"
