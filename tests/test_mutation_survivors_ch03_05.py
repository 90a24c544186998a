"""Tests for mutants of the Chapter 3-5 library modules that survived the ledger (the mutation
run of ``benchmarks/mutation/run.py``): each test pins down the behaviour the mutant changed."""

from __future__ import annotations

import numpy as np
import pytest

import rbmphys as rp


def test_kl_gaussian_refuses_mismatched_lengths():
    # `a.shape != b.shape` → `a.shape < b.shape` let (2,) against (1,) broadcast silently
    for a, b in (([1.0, 2.0], [1.0]), ([1.0], [1.0, 2.0]), ([1.0, 2.0, 3.0], [1.0, 2.0])):
        with pytest.raises(ValueError, match="same length"):
            rp.theory.kl_gaussian(a, b)


def test_kl_gaussian_value():
    # (B7) against the KL of two zero-mean Gaussians by dense linear algebra
    a, b = np.array([0.7, 2.0, 3.5]), np.array([1.1, 2.0, 0.9])
    Sp, Qq = np.diag(1 / a), np.diag(b)
    want = 0.5 * (np.trace(Qq @ Sp) - 3 - np.linalg.slogdet(Qq @ Sp)[1])
    assert rp.theory.kl_gaussian(a, b) == pytest.approx(want, rel=1e-12)


@pytest.mark.parametrize("a,b", [([1.0, 2.0], [1.0, 0.0]), ([1.0, 2.0], [1.0, -0.5]),
                                 ([0.0, 2.0], [1.0, 1.0]), ([-1.0, 2.0], [1.0, 1.0])])
def test_kl_gaussian_refuses_non_positive_precisions(a, b):
    # `b <= 0` → `b < 0` let a zero precision through (KL = inf), `b == 0` a negative one
    with pytest.raises(ValueError, match="positive precisions"):
        rp.theory.kl_gaussian(a, b)


@pytest.mark.parametrize("lr", [0.0, -0.5, -1e-9, float("inf"), float("nan")])
def test_learning_rates_must_be_positive_and_finite(lr):
    # `float(lr) > 0` → `float(lr) > -1` accepted rates in (-1, 0]: every schedule refuses them
    from rbmphys.training import constant, exponential, inverse_time, step_decay
    from rbmphys.training._schedules import check_rate
    for make in (constant, step_decay, exponential, inverse_time, check_rate):
        with pytest.raises(ValueError, match="positive and finite"):
            make(lr)


@pytest.mark.parametrize("s2", [0.0, -0.5])
def test_exact_couplings_refuse_non_positive_sigma_h2(s2):
    # `low=0` → `low=-1` accepted σ_h² in (-1, 0]
    K = rp.datasets.lattice_kernel((4,), 1.0)
    with pytest.raises(ValueError, match="sigma_h2"):
        rp.datasets.rbm_weights_from_kernel(K, 9.0, s2)


def test_gaussian_rbm_with_one_hidden_unit():
    # `W.shape[1] < 1` → `W.shape[1] == 1` refused the single hidden field of Exercise 3.1
    W = np.array([[0.4], [-0.3], [0.2]])
    m = rp.GaussianRBM(W, 2.0, 0.7, eta=[0.5])
    P = np.block([[2.0 * np.eye(3), -W], [-W.T, np.eye(1) / 0.7]])     # the joint action
    np.testing.assert_allclose(m.marginal_covariance(), np.linalg.inv(P)[:3, :3], atol=1e-12)
    with pytest.raises(ValueError, match="both >= 1"):
        rp.GaussianRBM(np.zeros((3, 0)), 2.0)
