"""Tests for mutants that survived the second round of mutation runs (``benchmarks/mutation/
run.py``, sessions accumulated over seeds): each test pins down the behaviour the mutant
changed, by a boundary value, a closed form or an exact enumeration."""

from __future__ import annotations

import numpy as np
import pytest

import rbmphys as rp


# ------------------------------------------------------------------ models/_patterns.py
def test_pattern_weights_many_patterns_equal_rows():
    # `xv.shape[0] != xh.shape[0]` -> `is not`: two equal ints >= 257 are distinct objects in
    # CPython, so K = 300 equal pattern counts were refused.  Eq. (5) against an explicit sum
    # over the K patterns (exact in float64 up to summation order: rel 1e-12).
    from rbmphys.models import pattern_weights
    rs = np.random.default_rng(7)
    K, V, H = 300, 3, 2
    xv = rs.choice([-1.0, 1.0], size=(K, V))
    xh = rs.choice([-1.0, 1.0], size=(K, H))
    want = sum(np.outer(xv[k], xh[k]) for k in range(K)) / np.sqrt(K)
    np.testing.assert_allclose(pattern_weights(xv, xh), want, rtol=1e-12, atol=1e-12)
    with pytest.raises(ValueError, match="same number of patterns"):
        pattern_weights(xv, xh[:-1])


def test_random_pattern_pair_accepts_one_hidden_unit():
    # `check_int(n_hidden, "n_hidden", 1)` -> minimum 2 refused H = 1 (the Mattis/Hopfield
    # case with a single hidden unit); 0 must still be refused
    from rbmphys.models import random_pattern_pair
    xv, xh = random_pattern_pair(2, 3, 1, rng=5)
    assert xv.shape == (2, 3) and xh.shape == (2, 1)
    assert set(np.unique(np.concatenate([xv.ravel(), xh.ravel()]))) <= {-1.0, 1.0}
    with pytest.raises(ValueError, match="n_hidden"):
        random_pattern_pair(2, 3, 0, rng=5)


# ------------------------------------------------------------------ models/_units.py
# The default methods of a discrete unit type (built from ``values`` and ``self_energy``) are
# used by any unit type written outside the package; nothing in the package itself has more
# than two values, so a three-valued unit written here is their only test.  Every expected
# value is the explicit sum over the three values.
from rbmphys.models._units import Bernoulli, Gaussian, Spin, Units  # noqa: E402


class Spin1(Units):
    """Spin-1 units s in {-1, 0, 1} with a crystal field U(s) = D s^2 (Blume-Capel)."""

    name = "spin1_round2_test_units"
    values = (-1.0, 0.0, 1.0)
    D = 0.4

    def self_energy(self, x):
        return self.D * np.asarray(x, dtype=np.float64) ** 2


def _spin1_weights(f, beta):
    s = np.array(Spin1.values)
    w = np.exp(beta * (s * np.asarray(f)[..., None] - Spin1.D * s * s))
    return w, s


@pytest.mark.parametrize("beta", [1.0, 0.7])
def test_discrete_unit_defaults_against_the_explicit_sum(beta):
    u = Spin1()
    f = np.array([[-1.3, 0.0, 0.45], [2.1, -0.2, 0.9]])
    w, s = _spin1_weights(f, beta)
    kw = {} if beta == 1.0 else {"beta": beta}      # beta = 1 through the defaults
    # closed sums, float64: agreement to round-off (rel 1e-12)
    np.testing.assert_allclose(u.log_partition(f, **kw), np.log(w.sum(-1)), rtol=1e-12)
    np.testing.assert_allclose(u.probabilities(f, **kw), w / w.sum(-1, keepdims=True),
                               rtol=1e-12)
    np.testing.assert_allclose(u.mean(f, **kw), (w * s).sum(-1) / w.sum(-1), rtol=1e-12,
                               atol=1e-15)
    out = np.empty_like(f)
    got = u.mean_pass(f[:, :2], np.array([0.1, -0.3]), out=out[:, :2], **kw)
    np.testing.assert_allclose(got, u.mean(f[:, :2] + [0.1, -0.3], **kw), rtol=1e-12)
    np.testing.assert_allclose(u.mean_pass(f, np.zeros(3), scale=2.5, **kw),
                               2.5 * u.mean(f, **kw), rtol=1e-12)


def test_discrete_unit_check():
    u = Spin1()
    x = u.check([[1, 0, -1], [0, 0, 1]], "v", 3)
    assert x.dtype == np.float64 and x.flags.c_contiguous
    np.testing.assert_array_equal(x, [[1, 0, -1], [0, 0, 1]])
    with pytest.raises(ValueError, match=r"only the values \(-1.0, 0.0, 1.0\)"):
        u.check([[1, 0.5, -1]], "v", 3)


def test_discrete_unit_sampling_law_and_chain_split():
    # each value's frequency over B = 20000 chains against p(s|f): binomial standard error
    # <= 0.0036; 5 SE (0.018) keeps a seeded test from flaking and catches any wrong law
    u = Spin1()
    B, beta = 20000, 0.7
    pre = np.tile([-0.8, 0.0, 1.1], (B, 1))
    bias = np.array([0.2, -0.5, 0.3])
    x = u.sample(pre, bias, 4242, beta=beta)
    assert set(np.unique(x)) <= set(Spin1.values)
    w, s = _spin1_weights(pre[0] + bias, beta)
    p = w / w.sum(-1, keepdims=True)
    freq = np.stack([(x == v).mean(0) for v in s], -1)
    np.testing.assert_allclose(freq, p, atol=0.018)
    # the same key gives the same states for any split of the chains (chain0)
    y = np.empty_like(pre[:7])
    y[:3] = u.sample(pre[:3], bias, 4242, beta=beta)
    y[3:] = u.sample(pre[3:7], bias, 4242, beta=beta, chain0=3)
    np.testing.assert_array_equal(y, x[:7])
    # default beta = 1 is the beta = 1 law
    np.testing.assert_array_equal(u.sample(pre[:50], bias, 9), u.sample(pre[:50], bias, 9,
                                                                       beta=1.0))
    m, smp = u.mean_and_sample(pre[:50], bias, 9, beta=beta, chain0=2, scale=0.5)
    np.testing.assert_array_equal(smp, u.sample(pre[:50], bias, 9, beta=beta, chain0=2))
    np.testing.assert_allclose(m, 0.5 * u.mean(pre[:50] + bias, beta), rtol=1e-12)


def test_discrete_unit_random_states_follow_exp_minus_u():
    # zero field: p(s) ∝ exp(-D s^2); 20000 states x 2 units, 5 binomial SE as above
    u = Spin1()
    x = u.random_states(20000, 2, 77)
    assert x.shape == (20000, 2)
    w = np.exp(-Spin1.D * np.array(Spin1.values) ** 2)
    for v, p in zip(Spin1.values, w / w.sum()):
        np.testing.assert_allclose((x == v).mean(0), p, atol=0.018)


def test_unit_registry_round_trip_and_unknown_type():
    assert Spin1().discrete and not Spin1().binary and Spin1().values == (-1.0, 0.0, 1.0)
    assert Spin().discrete and Spin().binary and Bernoulli().discrete and Bernoulli().binary
    assert not Gaussian(0.35).discrete and not Gaussian(0.35).binary
    assert repr(Gaussian(0.35)) == "Gaussian(variance=0.35)" and repr(Spin()) == "Spin()"
    for u in (Bernoulli(), Spin(), Gaussian(0.35), Spin1()):
        back = Units.from_state(u.state_dict())
        assert back == u and type(back) is type(u) and hash(back) == hash(u)
    assert Gaussian(0.35) != Gaussian(0.36) and Spin() != Bernoulli()
    for bad in ({"type": "no_such_units"}, None, "spin"):
        with pytest.raises(ValueError, match="unknown unit type"):
            Units.from_state(bad)


@pytest.mark.parametrize("cls", [Bernoulli, Spin])
@pytest.mark.parametrize("beta", [1.0, 0.6])
def test_binary_units_against_their_two_values(cls, beta):
    u = cls()
    lo, hi = cls.lo, cls.hi
    f = np.array([[-1.7, -0.1, 0.0, 0.8, 2.4]])
    wlo, whi = np.exp(beta * lo * f), np.exp(beta * hi * f)
    kw = {} if beta == 1.0 else {"beta": beta}
    np.testing.assert_allclose(u.log_partition(f, **kw), np.log(wlo + whi), rtol=1e-12)
    np.testing.assert_allclose(u.p_up(f, **kw), whi / (wlo + whi), rtol=1e-12)
    np.testing.assert_allclose(u.mean(f, **kw), (lo * wlo + hi * whi) / (wlo + whi),
                               rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(u.mean_pass(f, np.zeros(5), **kw), u.mean(f, **kw), rtol=1e-12)
    np.testing.assert_allclose(u.mean_pass(f, np.zeros(5), scale=3.0, **kw),
                               3.0 * u.mean(f, **kw), rtol=1e-12)
    assert u.gain == hi - lo and u.values == (lo, hi)
    # sampling: default beta is beta = 1, and the frequency of "up" is p_up (B = 20000
    # chains, 5 binomial SE <= 0.018)
    pre = np.tile(f[0], (20000, 1))
    x = u.sample(pre, np.zeros(5), 31, **kw)
    assert set(np.unique(x)) <= {lo, hi}
    np.testing.assert_allclose((x == hi).mean(0), u.p_up(f[0], beta), atol=0.018)
    m, smp = u.mean_and_sample(pre[:40], np.zeros(5), 31, scale=2.0, **kw)
    np.testing.assert_array_equal(smp, x[:40])
    np.testing.assert_allclose(m, 2.0 * u.mean(pre[:40], beta), rtol=1e-12)


def test_binary_check_messages_and_hints():
    ok = Spin().check([[1, -1, 1]], "v", 3)
    np.testing.assert_array_equal(ok, [[1, -1, 1]])
    with pytest.raises(ValueError, match=r"only -1 and 1 for Spin units.*looks like \{0,1\} "
                                         r"data.*BernoulliRBM.*v -> 2v - 1"):
        Spin().check([[0, 1, 1]], "v", 3)
    with pytest.raises(ValueError, match=r"only 0 and 1 for Bernoulli units.*looks like ±1 "
                                         r"spins.*SpinRBM.*s -> \(s \+ 1\)/2"):
        Bernoulli().check([[-1, 1, 1]], "v", 3)
    with pytest.raises(ValueError, match=r"only 0 and 1 for Bernoulli units$"):
        Bernoulli().check([[0, 2, 1]], "v", 3)        # neither pair: no hint
    with pytest.raises(ValueError):
        Bernoulli().check([[0, np.nan, 1]], "v", 3)


@pytest.mark.parametrize("beta", [1.0, 0.55])
def test_gaussian_units_against_quadrature_and_moments(beta):
    from scipy import integrate
    var = 0.35
    u = Gaussian(var)
    kw = {} if beta == 1.0 else {"beta": beta}
    for f in (-1.2, 0.0, 0.7):
        # ln ∫ exp(beta (x f - x^2 / 2 var)) dx by quadrature (quad's error ~1e-12 here)
        num = integrate.quad(lambda x: np.exp(beta * (x * f - x * x / (2 * var))), -40, 40,
                             epsabs=0, epsrel=1e-13)[0]
        assert u.log_partition(f, **kw) == pytest.approx(np.log(num), rel=1e-10, abs=1e-12)
    assert u.self_energy(0.8) == pytest.approx(0.64 / (2 * var), rel=1e-14)
    f = np.array([[0.3, -0.9]])
    np.testing.assert_allclose(u.mean(f, **kw), var * f, rtol=1e-14)
    np.testing.assert_allclose(u.mean_pass(f, np.array([0.1, 0.2]), scale=1.5, **kw),
                               1.5 * var * (f + [0.1, 0.2]), rtol=1e-14)
    # samples: mean var f and variance var / beta; 40000 draws, 5 standard errors
    B = 40000
    pre = np.tile(f[0], (B, 1))
    x = u.sample(pre, np.zeros(2), 5150, **kw)
    se_m = np.sqrt(var / beta / B)
    np.testing.assert_allclose(x.mean(0), var * f[0], atol=5 * se_m)
    np.testing.assert_allclose(x.var(0), var / beta, rtol=5 * np.sqrt(2 / B))
    m, smp = u.mean_and_sample(pre[:30], np.zeros(2), 5150, scale=0.5, **kw)
    np.testing.assert_array_equal(smp, x[:30])
    np.testing.assert_allclose(m, 0.5 * var * pre[:30], rtol=1e-14)
    with pytest.raises(ValueError, match="beta > 0"):
        u.sample(pre[:2], np.zeros(2), 1, beta=0.0)
    with pytest.raises(ValueError, match="variance"):
        Gaussian(0.0)
    np.testing.assert_array_equal(u.check([[0.5, -2.0]], "v", 2), [[0.5, -2.0]])


# ------------------------------------------------------------------ training/_schedules.py
def test_schedule_closed_forms_at_finite_epochs():
    # the documented formulas, evaluated independently by Python floats (exact to round-off)
    from rbmphys.training import constant, exponential, inverse_time, step_decay
    for n in (0, 1, 127, 128, 129, 300, 1000):
        assert constant(0.3)(n) == 0.3
        assert step_decay(0.2)(n) == pytest.approx(0.2 * 0.99 ** (n // 128), rel=1e-14)
        assert step_decay(0.2, r=0.5, every=3)(n) == pytest.approx(0.2 * 0.5 ** (n // 3),
                                                                  rel=1e-14)
        assert exponential(0.2)(n) == pytest.approx(0.2 * 0.99 ** n, rel=1e-13)
        assert exponential(0.2, gamma=0.9)(n) == pytest.approx(0.2 * 0.9 ** n, rel=1e-13)
        assert inverse_time(0.2)(n) == pytest.approx(0.2 / (1 + n / 100.0), rel=1e-14)
        assert inverse_time(0.2, tau=7.0)(n) == pytest.approx(0.2 / (1 + n / 7.0), rel=1e-14)
    # the defaults are those of Eq. (A2) of Aarts-Lucini-Park (r = 0.99 every 128 epochs)
    s = step_decay(0.1)
    assert (s.r, s.every) == (0.99, 128)
    assert exponential(0.1).gamma == 0.99 and inverse_time(0.1).tau == 100.0


def test_schedule_parameter_boundaries():
    from rbmphys.training import exponential, inverse_time, step_decay
    assert step_decay(0.1, r=1.0)(500) == 0.1              # r = 1: no decay, allowed
    assert step_decay(0.1, every=1, r=0.5)(2) == pytest.approx(0.025, rel=1e-15)
    assert exponential(0.1, gamma=1.0)(50) == 0.1
    assert inverse_time(0.1, tau=1e-3)(1) == pytest.approx(0.1 / 1001, rel=1e-14)
    for bad in (dict(r=0.0), dict(r=1.01), dict(r=-0.5), dict(every=0), dict(every=2.5)):
        with pytest.raises((ValueError, TypeError)):
            step_decay(0.1, **bad)
    for bad in (0.0, 1.5, -0.1):
        with pytest.raises(ValueError, match="gamma"):
            exponential(0.1, gamma=bad)
    for bad in (0.0, -2.0):
        with pytest.raises(ValueError, match="tau"):
            inverse_time(0.1, tau=bad)


def test_check_rate_and_as_schedule():
    from rbmphys.training import Schedule, constant, step_decay
    from rbmphys.training._schedules import as_schedule, check_rate
    assert check_rate(3) == 3.0 and isinstance(check_rate(3), float)
    assert check_rate(1e-300) == 1e-300
    with pytest.raises(ValueError, match=r"lr at epoch 4 must be positive"):
        check_rate(-1.0, epoch=4)
    with pytest.raises(ValueError, match=r"learning rate lr must be positive"):
        check_rate(0.0)
    for bad in ("0.1", b"1", True, None, [0.1]):
        with pytest.raises(TypeError, match="must be a number"):
            check_rate(bad)
    s = step_decay(0.05, r=0.9, every=4)
    assert as_schedule(s) is s
    assert as_schedule(0.25) == constant(0.25) and isinstance(as_schedule(2), Schedule)
    with pytest.raises(TypeError, match="checkpointed"):
        as_schedule(lambda n: 0.1)
    assert s.to_dict() == {"class": "step_decay", "lr": 0.05, "r": 0.9, "every": 4}
    st = s.state_dict()
    assert st["class"] == "step_decay" and st["qualname"].endswith("._schedules.step_decay")
    assert type(s).from_state(st) == s


# ------------------------------------------------------------------ analysis/symmetry.py
def test_constraint_force_refuses_z_outside_the_range():
    # `not abs(zz) < zmax` -> `not abs(zz) != zmax` accepted |z| > zmax, where t(z) has no
    # solution (the bracket search doubles forever); both ends and beyond must be refused
    from rbmphys.analysis.symmetry import constraint_force
    c = np.array([0.8, -1.3, 2.0])
    zmax = 0.5 * np.abs(c).sum()
    for z in (zmax, -zmax, 1.01 * zmax, -1.5 * zmax, [0.1, 2 * zmax]):
        with pytest.raises(ValueError, match="outside the range"):
            constraint_force(c, z)
    # inside: t solves sum_i (c_i/2) tanh(t c_i/2) = z (checked by substitution, 1e-12)
    t = constraint_force(c, 0.9 * zmax)
    assert 0.5 * np.sum(c * np.tanh(0.5 * t * c)) == pytest.approx(0.9 * zmax, rel=1e-12)


@pytest.mark.parametrize("side,n", [("visible", 4), ("hidden", 3)])
def test_rotate_singular_vectors_refuses_wrong_sized_rotations(side, n):
    # `R.shape != (n, n)` -> `<` let a larger R through (to a matmul error or a wrong W')
    from rbmphys.analysis.symmetry import random_rotation, rotate_singular_vectors
    W = np.random.default_rng(3).normal(size=(4, 3))
    for m in (n - 1, n + 1, n + 2):
        with pytest.raises(ValueError, match=f"R must be {n}×{n} for the {side} side"):
            rotate_singular_vectors(W, random_rotation(m, 5), side=side)
    with pytest.raises(ValueError, match=f"R must be {n}×{n}"):
        rotate_singular_vectors(W, np.eye(n + 1)[:, :n], side=side)
    # the right size keeps the singular values (rel 1e-12: two SVDs in float64)
    Wr = rotate_singular_vectors(W, random_rotation(n, 5), side=side)
    np.testing.assert_allclose(np.linalg.svd(Wr, compute_uv=False),
                               np.linalg.svd(W, compute_uv=False), rtol=1e-12)


def test_rotate_except_range_of_keep():
    # the message states the allowed range [0, n - 2] (`n - 2` -> `n * 2` said [0, 8] for n = 4)
    from rbmphys.analysis.symmetry import rotate_except
    W = np.random.default_rng(4).normal(size=(4, 3))
    for keep in (-1, 3, 4):
        with pytest.raises(ValueError, match=r"keep must be in \[0, 2\], got "):
            rotate_except(W, keep, rng=1)
    Wr = rotate_except(W, 2, rng=1)            # keep = n - 2 is allowed: one 2x2 rotation
    # the two leading singular directions are untouched (rel 1e-12: SVDs in float64)
    U, s, Vt = np.linalg.svd(W)
    Ur, sr, Vtr = np.linalg.svd(Wr)
    np.testing.assert_allclose(sr, s, rtol=1e-12)
    np.testing.assert_allclose(np.abs(np.sum(U[:, :2] * Ur[:, :2], 0)), 1.0, rtol=1e-10)


# ------------------------------------------------------------------ defaults (round 2)
def test_gaussian_units_default_variance_is_one():
    # `variance=1.0` -> 2.0: Gaussian() is the unit-variance unit, p(x|f) = N(f, 1)
    u = Gaussian()
    assert u.variance == 1.0
    np.testing.assert_allclose(u.mean(np.array([0.3, -1.1])), [0.3, -1.1], rtol=1e-15)
    assert u.log_partition(0.0) == pytest.approx(0.5 * np.log(2 * np.pi), rel=1e-14)


def test_pattern_rbm_default_scale_is_eq5():
    # `scale=1.0` -> 2.0: without scale the weights are exactly eq. (5) of the patterns drawn
    # from the same key (bit-identical: the same float operations)
    from rbmphys.models import pattern_rbm, pattern_weights, random_pattern_pair
    m = pattern_rbm(5, 3, 2, rng=11)
    xv, xh = random_pattern_pair(2, 5, 3, rng=11)
    np.testing.assert_allclose(m.W, pattern_weights(xv, xh), rtol=0, atol=1e-15)
    np.testing.assert_allclose(pattern_rbm(5, 3, 2, scale=0.4, rng=11).W,
                               0.4 * pattern_weights(xv, xh), rtol=1e-15)


def test_gaussian_flow_refuses_couplings_beyond_the_stability_bound():
    """Round 3 (theory/_flow.py: `not mu2 > bound`): initial couplings with σ_h² max eig WWᵀ ≥
    μ² make K indefinite (Eq. (14)); the flow refuses them, and accepts a μ² well above."""
    K = rp.datasets.lattice_kernel((6,), 0.5)
    with pytest.raises(ValueError, match="stability bound"):
        rp.theory.gaussian_flow(K, 3, 0.05, t_max=1.0, rng=0, weight_scale=1.0)
    r = rp.theory.gaussian_flow(K, 3, 50.0, t_max=1.0, rng=0, weight_scale=1.0)
    assert np.all(np.isfinite(r.eigenvalues))


def test_reciprocal_kurtosis_of_a_rectangular_unnormalised_basis_by_enumeration():
    """Round 3 (analysis/reciprocal.py: the normalisation Σ_i U_iα² summed over the wrong axis
    agrees for square orthogonal U only): a 6 × 3 basis with column norms ≠ 1 against the
    kurtosis of x = Uᵀv over all 2⁶ equally likely binary v (shift invariant, so {0,1} is
    fine); exact up to round-off."""
    from rbmphys.analysis.reciprocal import reciprocal_kurtosis
    g = np.random.default_rng(7)
    U = np.linalg.qr(g.normal(size=(6, 3)))[0] * np.array([0.5, 1.0, 2.0])
    v = rp.exact.all_states(6)
    x = v @ U
    d = x - x.mean(0)
    want = (d ** 4).mean(0) / (d ** 2).mean(0) ** 2
    np.testing.assert_allclose(reciprocal_kurtosis(U), want, rtol=1e-12)


# ---- round 3 (lead session, seed-23 samples): input boundaries the samples found unchecked
def test_lattice_boundaries():
    """datasets/_lattice.py: an asymmetric kernel is refused; the default σ_h² = 1 gives
    W Wᵀ = μ² − K exactly; μ² below κ_max is refused even for the symmetric root (the bound is
    relative, 1e-10 of the largest eigenvalue); a 1 × 1 rotation is the identity."""
    with pytest.raises(ValueError, match="symmetric"):
        rp.datasets.sample_free_field([[2.0, 0.5], [0.0, 2.0]], 3, rng=0)
    K = rp.datasets.lattice_kernel((5,), 0.7)
    kmax = float(np.linalg.eigvalsh(K).max())
    W = rp.datasets.rbm_weights_from_kernel(K, kmax + 1.0)
    np.testing.assert_allclose(W @ W.T, (kmax + 1.0) * np.eye(5) - K, atol=1e-12)
    with pytest.raises(ValueError, match="below the largest eigenvalue"):
        rp.datasets.rbm_weights_from_kernel(K, kmax - 0.3, kind="symmetric")
    np.testing.assert_array_equal(rp.datasets.random_rotation(1, rng=0), [[1.0]])


def test_closed_form_boundaries():
    """theory/_closed_forms.py: no hidden units and σ_h² = 0 are refused."""
    with pytest.raises(ValueError, match="n_hidden"):
        rp.theory.learnt_eigenvalues([1.0, 2.0], 3.0, n_hidden=0)
    with pytest.raises(ValueError, match="sigma_h2"):
        rp.theory.mode_flow_time(1.5, 2.5, 1.0, 3.0, sigma_h2=0.0)


def test_fokker_planck_spectrum_with_one_eigenvalue():
    """theory/_fokker_planck.py: k = 1 is allowed and is the stationary rate 0 (to the grid's
    accuracy, ~1/n_grid²)."""
    vals = rp.theory.fokker_planck_spectrum(lambda z: z ** 2, 6.0, n_grid=2000, k=1)
    assert vals.shape == (1,) and abs(vals[0]) < 1e-6


def test_fokker_planck_spectrum_default_box_is_centred_at_zero():
    """theory/_fokker_planck.py: the default box is [−L, L]; in a box of half-width 2 the walls
    shape the rates, so a shifted box gives other ones."""
    phi = lambda z: 0.5 * z ** 2                                        # noqa: E731
    default = rp.theory.fokker_planck_spectrum(phi, 2.0, n_grid=1000, k=3)
    np.testing.assert_array_equal(default, rp.theory.fokker_planck_spectrum(
        phi, 2.0, n_grid=1000, k=3, center=0.0))
    shifted = rp.theory.fokker_planck_spectrum(phi, 2.0, n_grid=1000, k=3, center=1.0)
    assert np.max(np.abs(shifted - default)) > 1e-3
