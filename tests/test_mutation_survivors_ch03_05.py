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
