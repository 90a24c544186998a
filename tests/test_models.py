"""Binary RBMs and the gauge map against brute-force enumeration of tiny models."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

import rbmphys as rp
from rbmphys.models import bits_to_spins, spins_to_bits

SEED = 20261123


def all_states(n, units):
    s = np.array(list(itertools.product([0.0, 1.0], repeat=n)))
    return s if units == "bernoulli" else 2 * s - 1


def random_model(cls, V, H, scale=1.0, seed=SEED, dtype=np.float64):
    return cls.random(V, H, weight_scale=scale, bias_scale=scale, rng=seed, dtype=dtype)


@pytest.mark.parametrize("cls", [rp.BernoulliRBM, rp.SpinRBM])
def test_energy_is_the_bilinear_form(cls):
    m = random_model(cls, 4, 3)
    vs, hs = all_states(4, cls.random(1, 1).visible.name), all_states(3, cls.random(1, 1).visible.name)
    for v in vs[::3]:
        for h in hs:
            want = -(v @ m.W @ h) - m.a @ v - m.b @ h
            # identity, float64 round-off
            assert m.energy(v, h)[0] == pytest.approx(want, rel=1e-12, abs=1e-12)


@pytest.mark.parametrize("cls", [rp.BernoulliRBM, rp.SpinRBM])
@pytest.mark.parametrize("scale", [0.5, 10.0])
def test_free_energy_sums_the_hidden_layer(cls, scale):
    m = random_model(cls, 5, 4, scale=scale)
    vs, hs = all_states(5, cls.random(1, 1).visible.name), all_states(4, cls.random(1, 1).visible.name)
    for v in vs:
        E = m.energy(np.repeat(v[None], len(hs), 0), hs)
        brute = -np.logaddexp.reduce(-E)
        # identity; relative 1e-12 of |F| (weights of scale 10 make F ~ 100)
        assert m.free_energy(v)[0] == pytest.approx(brute, rel=1e-12, abs=1e-12)


@pytest.mark.parametrize("cls", [rp.BernoulliRBM, rp.SpinRBM])
def test_conditionals_from_the_joint(cls):
    m = random_model(cls, 4, 3)
    vs, hs = all_states(4, cls.random(1, 1).visible.name), all_states(3, cls.random(1, 1).visible.name)
    up = 1.0
    E = np.array([[m.energy(v, h)[0] for h in hs] for v in vs])
    P = np.exp(-E - np.logaddexp.reduce(-E.ravel()))
    p_h_up = np.array([[P[i, hs[:, j] == up].sum() / P[i].sum() for j in range(3)]
                       for i in range(len(vs))])
    p_v_up = np.array([[P[vs[:, i] == up, k].sum() / P[:, k].sum() for i in range(4)]
                       for k in range(len(hs))])
    # (D1)-(D2) and (B2): identities up to round-off
    np.testing.assert_allclose(m.p_h_given_v(vs), p_h_up, atol=1e-12)
    np.testing.assert_allclose(m.p_v_given_h(hs), p_v_up, atol=1e-12)


def test_gauge_map_preserves_p_and_shifts_energy_by_a_constant():
    s_model = random_model(rp.SpinRBM, 4, 3)
    b_model, c = rp.gauge_to_bernoulli(s_model)
    vs, hs = all_states(4, "bernoulli"), all_states(3, "bernoulli")
    for v in vs:
        for h in hs:
            e_s = s_model.energy(bits_to_spins(v), bits_to_spins(h))[0]
            assert e_s == pytest.approx(b_model.energy(v, h)[0] + c, abs=1e-12)
    back, c2 = rp.gauge_to_spin(b_model)
    for p, q in zip(back.params.values(), s_model.params.values()):
        np.testing.assert_allclose(p, q, atol=1e-14)   # round trip is exact up to round-off
    assert c2 == pytest.approx(-c, abs=1e-12)
    np.testing.assert_array_equal(spins_to_bits(bits_to_spins(vs)), vs)


def test_dtype_is_kept_and_results_are_float64():
    m = rp.BernoulliRBM.random(6, 3, rng=1, dtype=np.float32)
    assert m.W.dtype == np.float32 and m.a.dtype == np.float32
    v = np.ones((2, 6))
    assert m.free_energy(v).dtype == np.float64
    assert m.copy() == m and m.astype(np.float64).dtype == np.float64


def test_random_is_reproducible():
    a = rp.SpinRBM.random(5, 4, weight_scale=0.3, rng=7)
    b = rp.SpinRBM.random(5, 4, weight_scale=0.3, rng=7)
    assert a == b and not (a == rp.SpinRBM.random(5, 4, weight_scale=0.3, rng=8))


def test_validation_errors_name_the_quantity():
    with pytest.raises(ValueError, match="weights W must be 2-dimensional"):
        rp.BernoulliRBM(np.ones(3))
    with pytest.raises(ValueError, match="visible bias a must have shape"):
        rp.BernoulliRBM(np.ones((3, 2)), a=np.ones(2))
    with pytest.raises(ValueError, match="hidden bias b must have shape"):
        rp.BernoulliRBM(np.ones((3, 2)), b=np.ones(3))
    with pytest.raises(ValueError, match="NaN"):
        rp.BernoulliRBM(np.array([[np.nan, 1.0]]))
    with pytest.raises(TypeError, match="real numeric"):
        rp.BernoulliRBM(np.array([["a"]]))
    m = rp.BernoulliRBM(np.ones((3, 2)))
    with pytest.raises(ValueError, match="only 0 and 1.*SpinRBM"):
        m.free_energy(np.array([[1, -1, 1]]))
    with pytest.raises(ValueError, match=r"shape \(n_samples, 3\)"):
        m.free_energy(np.ones((2, 4)))
    s = rp.SpinRBM(np.ones((3, 2)))
    with pytest.raises(ValueError, match="only -1 and 1.*BernoulliRBM"):
        s.free_energy(np.array([[1, 0, 1]]))
    with pytest.raises(ValueError, match="n_visible must be an integer >= 1"):
        rp.BernoulliRBM.random(0, 3)
    with pytest.raises(TypeError, match="rng must be"):
        rp.BernoulliRBM.random(2, 3, rng="seed")
    with pytest.raises(TypeError, match="expects a model with Spin units"):
        rp.gauge_to_bernoulli(m)
    bad = rp.BernoulliRBM(np.ones((3, 2)))
    bad.W[0, 0] = np.inf
    with pytest.raises(ValueError, match="parameter W contains"):
        bad.check_parameters()
