"""The open model core: unit types, any unit pairing, rules and units written outside the
package, the state protocol, and the layering rules (no class tests, no unit-name strings)."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest
from scipy import integrate, stats

import rbmphys as rp
from rbmphys.kernels._gaussian import sample_gaussian, sample_gaussian_np

PKG = Path(rp.__file__).parent
SEED = 7070


# ------------------------------------------------------------------------------------------
# code written by a user, outside the package
# ------------------------------------------------------------------------------------------
class GibbsCD(rp.training.LearningRule):
    """CD-k from public functions only, with a running count as extra state."""

    def __init__(self, k=1):
        self.k = k
        self.seen = 0

    def config(self):
        return {"k": self.k}

    def runtime_state(self):
        return {"arrays": {}, "values": {"seen": self.seen}}

    def load_runtime_state(self, state, model=None):
        self.seen = int(state["values"]["seen"])

    def reset(self):
        self.seen = 0

    def step(self, model, batch, ctx):
        self.seen += len(batch)
        vneg = rp.gibbs(model, batch, n_sweeps=self.k, rng=ctx.key)
        pos, neg = model.free_energy_gradient(batch), model.free_energy_gradient(vneg)
        return {name: ctx.lr * (pos[name] - neg[name]) for name in pos}


class Bipolar(rp.units.Spin):
    """A unit type defined in user code (±1 spins under another name)."""

    name = "bipolar_test_units"


def spin_gaussian_model(seed=SEED):
    W = np.random.default_rng(seed).normal(0.0, 0.4, size=(5, 3))
    return rp.RBM(W, a=np.linspace(-0.3, 0.3, 5), b=[0.1, -0.2, 0.0], visible=Bipolar(),
                  hidden=rp.units.Gaussian(0.5))


def test_user_rule_and_unit_pairing_train_checkpoint_and_resume_bit_for_bit(tmp_path):
    data = rp.datasets.bars(2, units="spin")[[0, 1, 0, 1]]
    data = np.hstack([data, np.ones((4, 1))])                     # 5 spins per state
    before = rp.exact.log_likelihood(spin_gaussian_model(), data)
    # uninterrupted: 6 epochs
    m1 = spin_gaussian_model()
    h1 = rp.train(m1, data, GibbsCD(k=2), epochs=6, batch_size=2, lr=0.05, momentum=0.5,
                  rng=SEED)
    # interrupted after 3 epochs (a checkpoint every epoch), then resumed to 6
    m2 = spin_gaussian_model()
    ck = tmp_path / "run.npz"
    rp.train(m2, data, GibbsCD(k=2), epochs=3, batch_size=2, lr=0.05, momentum=0.5,
             rng=SEED, checkpoint=ck, checkpoint_every=1)
    m3 = spin_gaussian_model()                                   # a fresh process would do this
    rule3 = GibbsCD(k=2)
    h3 = rp.train(m3, data, rule3, epochs=6, batch_size=2, lr=0.05, momentum=0.5,
                  rng=SEED, checkpoint=ck, resume=ck)
    assert m3 == m1                                               # bit for bit
    assert rule3.seen == 6 * 4                                    # the rule's own state resumed
    np.testing.assert_array_equal(h3["exact_ll"], h1["exact_ll"])
    assert rp.exact.log_likelihood(m1, data) > before             # and it learns
    loaded = rp.load(ck)
    assert loaded.model == m1 and loaded.model.visible == Bipolar() and loaded.epoch == 6


def test_exact_log_z_of_a_mixed_pairing_against_quadrature():
    # Bipolar visible (enumerated) x Gaussian hidden (integrated): brute force over the 2^5
    # spins and numerical integration over the 3 hidden reals, done as a product of 1-D
    # integrals per hidden unit (the hidden units are independent given the spins)
    m = spin_gaussian_model()
    total = []
    for s in rp.exact.all_states(5, m.visible):
        log_terms = m.a @ s
        for j in range(3):
            f = m.b[j] + s @ m.W[:, j]
            val, _ = integrate.quad(lambda x: np.exp(x * f - x * x / (2 * 0.5)), -np.inf, np.inf)
            log_terms += np.log(val)
        total.append(log_terms)
    # identity up to quadrature error (quad: ~1e-12 relative)
    assert rp.exact.log_partition(m) == pytest.approx(np.logaddexp.reduce(total), rel=1e-10)


# ------------------------------------------------------------------------------------------
# Gaussian units
# ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_gaussian_kernel_equals_its_numpy_twin(dtype):
    g = np.random.default_rng(SEED)
    pre = g.normal(size=(40, 13)).astype(dtype)
    bias = g.normal(size=13).astype(dtype)
    a = sample_gaussian(pre, bias, 0.7, 1.3, 987654321, chain0=5)
    b = sample_gaussian_np(pre, bias, 0.7, 1.3, 987654321, chain0=5)
    np.testing.assert_array_equal(a, b)
    assert a.dtype == dtype
    # chain slicing changes nothing
    c = np.vstack([sample_gaussian(pre[:17], bias, 0.7, 1.3, 987654321, chain0=5),
                   sample_gaussian(pre[17:], bias, 0.7, 1.3, 987654321, chain0=22)])
    np.testing.assert_array_equal(a, c)


def test_gaussian_units_sample_their_conditional():
    """p(x|f) = N(s² f, s²/β): moments within 4 standard errors and a KS test."""
    var, beta, n = 0.6, 2.0, 200_000
    f = np.array([-1.5, 0.0, 0.8])
    u = rp.units.Gaussian(var)
    x = u.sample(np.zeros((n, 3)), f, 12345, beta=beta)
    mean, sd = var * f, np.sqrt(var / beta)
    se_mean = sd / np.sqrt(n)
    np.testing.assert_array_less(np.abs(x.mean(0) - mean), 4 * se_mean)
    se_var = sd**2 * np.sqrt(2.0 / (n - 1))                        # SE of a Gaussian variance
    np.testing.assert_array_less(np.abs(x.var(0, ddof=1) - sd**2), 4 * se_var)
    for j in range(3):
        assert stats.kstest((x[:, j] - mean[j]) / sd, "norm").pvalue > 0.001
    # the conditional mean, the log-partition term and the self-energy fit together:
    # d/df log_partition = E[x|f] (finite differences, 1e-6 relative)
    h = 1e-6
    fd = (u.log_partition(f + h, beta) - u.log_partition(f - h, beta)) / (2 * h * beta)
    np.testing.assert_allclose(fd, u.mean(f), rtol=1e-6)


def test_gaussian_rbm_closed_forms():
    W = np.array([[0.7, 0.1], [0.2, -0.5]])
    m = rp.GaussianRBM(W, mu2=2.0, sigma_h2=0.8, eta=[0.3, -0.2])
    K = m.precision()
    np.testing.assert_allclose(K, 2.0 * np.eye(2) - 0.8 * W @ W.T, atol=1e-15)
    # ln Z against 2-D quadrature of e^{-F(phi)} (identity up to quadrature error)
    Z, _ = integrate.dblquad(lambda y, x: np.exp(-m.free_energy(np.array([[x, y]]))[0]),
                             -12, 12, -12, 12, epsabs=1e-11)
    assert m.log_partition() == pytest.approx(np.log(Z), rel=1e-8)
    # the marginal: <phi> = K^-1 J
    np.testing.assert_allclose(m.marginal_mean(), np.linalg.solve(K, W @ [0.3, -0.2]),
                               atol=1e-14)
    # the exact gradient (closed-form negative phase) against central finite differences
    data = np.random.default_rng(SEED).normal(size=(7, 2))
    g = rp.exact.gradient(m, data)
    for name in ("W", "eta"):
        p = m.params[name]
        fd = np.zeros(p.shape)
        for idx in np.ndindex(p.shape):
            old = p[idx]
            p[idx] = old + 1e-6
            up = m.log_likelihood(data)
            p[idx] = old - 1e-6
            dn = m.log_likelihood(data)
            p[idx] = old
            fd[idx] = (up - dn) / 2e-6
        np.testing.assert_allclose(g[name], fd, atol=1e-7)   # O(h²) + round-off ε/h


def test_gaussian_rbm_refuses_mu2_below_the_stability_bound():
    W = np.array([[1.0], [1.0]])                         # max eig WWᵀ = 2
    with pytest.raises(ValueError, match=r"stability bound.*= 2"):
        rp.GaussianRBM(W, mu2=1.9)
    with pytest.raises(ValueError, match="sigma_h2"):
        rp.GaussianRBM(W, mu2=3.0, sigma_h2=0.0)
    with pytest.raises(ValueError, match="couplings W must be 2-dimensional"):
        rp.GaussianRBM(np.ones(3), mu2=3.0)


def test_gaussian_rbm_gibbs_and_pcd():
    m = rp.GaussianRBM(np.array([[0.8, 0.0], [0.5, 0.4], [0.0, 0.3]]), mu2=2.0)
    v = rp.gibbs(m, np.zeros((40_000, 3)), n_sweeps=40, rng=SEED)
    cov = np.cov(v.T)
    # SE of a sample covariance entry ~ sqrt((S_ii S_jj + S_ij²)/n) ≲ 0.006 here: 6 SE
    np.testing.assert_allclose(cov, m.marginal_covariance(), atol=0.035)
    # PCD through rp.train with learnable mu2 moves towards data drawn from a target model
    target = rp.GaussianRBM(np.array([[1.0, 0.0], [0.6, 0.5], [0.0, 0.4]]), mu2=2.0)
    data = rp.gibbs(target, np.zeros((2000, 3)), n_sweeps=40, rng=SEED + 1)
    learner = rp.GaussianRBM.random(3, 2, mu2=2.5, weight_scale=0.1, learn_mu2=True, rng=1)
    before = learner.log_likelihood(data)
    rp.train(learner, data, rp.PCD(k=1, n_chains=200), epochs=30, batch_size=100, lr=0.02,
             rng=2)
    assert learner.log_likelihood(data) > before + 0.1
    assert learner.mu2 != 2.5                                     # μ² was trained


# ------------------------------------------------------------------------------------------
# layering: the middle layer asks objects, not classes or names
# ------------------------------------------------------------------------------------------
_CLASS = r"(RBM|BernoulliRBM|SpinRBM|GaussianRBM|GaussianBernoulliRBM|CD|PCD|RdmK|" \
         r"ExactGradient|RAPID|LearningRule|Bernoulli|Spin|Gaussian|Units)"
_ISINSTANCE = re.compile(r"isinstance\([^)]*\b" + _CLASS + r"\b")
_NAMES = re.compile(r"""(==|!=)\s*["'](bernoulli|spin|gaussian)["']|["'](bernoulli|spin|"""
                    r"""gaussian)["']\s*(==|!=)|\.units\b\s*==""")


def test_no_class_tests_or_unit_name_comparisons_outside_units_and_models():
    allowed = {PKG / "units.py"} | set((PKG / "models").glob("*.py"))
    offenders = []
    for f in sorted(PKG.rglob("*.py")):
        if f in allowed:
            continue
        for n, line in enumerate(f.read_text().splitlines(), 1):
            if _ISINSTANCE.search(line) or _NAMES.search(line):
                offenders.append(f"{f.relative_to(PKG)}:{n}: {line.strip()}")
    assert not offenders, "\n".join(offenders)


def test_the_scan_itself_finds_offences():
    assert _ISINSTANCE.search("if isinstance(model, (BernoulliRBM, SpinRBM)):")
    assert _NAMES.search('lo = 0.0 if model.units == "bernoulli" else -1.0')
    assert not _ISINSTANCE.search("isinstance(x, np.ndarray)")


def test_deprecated_names_still_work_with_a_warning():
    m = rp.BernoulliRBM.random(4, 3, rng=0)
    with pytest.warns(DeprecationWarning, match="n_sweeps"):
        a = rp.gibbs(m, np.zeros((2, 4)), n_steps=3, rng=1)
    with pytest.warns(DeprecationWarning, match="by keyword"):
        b = rp.gibbs(m, np.zeros((2, 4)), 3, 1)
    np.testing.assert_array_equal(a, b)
    with pytest.warns(DeprecationWarning, match="model.units"):
        assert m.units == "bernoulli"
    with pytest.warns(DeprecationWarning, match="private"):
        rp.kernels
    with pytest.warns(DeprecationWarning, match="lr="):
        rp.train(m, rp.datasets.bars(2), rp.CD(), epochs=1, batch_size=2,
                 schedule=rp.training.constant(0.1), rng=0)
    with pytest.warns(DeprecationWarning, match="no longer public"):
        rp.training.make_pcd_stepper


def test_models_copy_what_they_are_given():
    W = np.zeros((9, 4))
    m = rp.BernoulliRBM(W)
    rp.train(m, rp.datasets.bars(3), rp.CD(), epochs=2, batch_size=3, lr=0.5, rng=0)
    assert np.all(W == 0) and not np.all(m.W == 0)
