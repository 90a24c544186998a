"""Lattice free fields: kernels, spectra, exact samples, exact RBM solutions."""

from __future__ import annotations

import numpy as np
import pytest

import rbmphys as rp
from rbmphys import datasets as ds


def test_spectra_closed_form():
    K = ds.lattice_kernel((10,), 4.0)
    np.testing.assert_allclose(np.linalg.eigvalsh(K), ds.lattice_spectrum((10,), 4.0),
                               atol=1e-12)
    np.testing.assert_allclose(ds.lattice_spectrum(10, 4.0),
                               [4, 4.382, 4.382, 5.382, 5.382, 6.618, 6.618, 7.618, 7.618, 8],
                               atol=1e-3)
    ev = np.round(np.linalg.eigvalsh(ds.lattice_kernel((4, 4), 4.0)), 8)
    vals, counts = np.unique(ev, return_counts=True)
    assert dict(zip(vals.tolist(), counts.tolist())) == {4.0: 1, 6.0: 4, 8.0: 6, 10.0: 4,
                                                         12.0: 1}
    np.testing.assert_allclose(np.sort(ev), ds.lattice_spectrum((4, 4), 4.0), atol=1e-12)


def test_exact_rbm_solutions_and_rotation_freedom():
    K = ds.lattice_kernel((8,), 2.0)
    for kind in ("cholesky", "symmetric"):
        W = ds.rbm_weights_from_kernel(K, 9.0, 0.8, kind)
        m = rp.GaussianRBM(W, mu2=9.0, sigma_h2=0.8)
        np.testing.assert_allclose(m.precision(), K, atol=1e-12)
        O = ds.random_rotation(8, rng=1)
        np.testing.assert_allclose(rp.GaussianRBM(W @ O, 9.0, 0.8).precision(), K, atol=1e-12)
    assert np.allclose(np.triu(ds.rbm_weights_from_kernel(K, 9.0, kind="cholesky"), 1), 0)
    with pytest.raises(ValueError, match="below the largest eigenvalue"):
        ds.rbm_weights_from_kernel(K, 5.0)


def test_free_field_samples():
    K = ds.lattice_kernel((5,), 1.0)
    x = ds.sample_free_field(K, 100_000, rng=0)
    C = np.linalg.inv(K)
    se = np.sqrt((np.outer(np.diag(C), np.diag(C)) + C**2) / len(x))   # SE of a covariance
    assert np.all(np.abs(np.cov(x.T) - C) < 4.5 * se)
    with pytest.raises(ValueError, match="positive definite"):
        ds.sample_free_field(-K, 3, rng=0)
