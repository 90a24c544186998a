"""Marchenko–Pastur law (Toledo-Marin et al. eq. (20), reconstructed): normalisation, CDF,
peak, and a KS test against sampled random weights."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import integrate, stats

from rbmphys.analysis import random_matrix as rmt


@pytest.mark.parametrize("n,m", [(784, 500), (784, 3000), (300, 300)])
def test_density_integrates_to_one_and_cdf_matches_quad(n, m):
    mp = rmt.marchenko_pastur(n, m, 0.01)
    total, err = integrate.quad(mp.pdf, mp.a, mp.b, limit=200)
    assert total == pytest.approx(1.0, abs=1e-7)           # quad's own error ~1e-9
    for s in np.linspace(mp.a, mp.b, 7)[1:-1]:
        ref, _ = integrate.quad(mp.pdf, mp.a, s, limit=200)
        assert mp.cdf(s) == pytest.approx(ref, abs=1e-8)


def test_peak_is_the_maximum():
    mp = rmt.marchenko_pastur(784, 500, 0.01)
    s = np.linspace(mp.a, mp.b, 200001)
    assert s[np.argmax(mp.pdf(s))] == pytest.approx(mp.peak, abs=1e-5)
    assert mp.peak == pytest.approx(0.01 * np.sqrt(284))


def test_sampled_spectra_follow_the_law_ks():
    """KS test of pooled singular values of 4 random 400×250 matrices. Singular values repel
    (they are far more regular than independent draws), so the KS p-value, computed for i.i.d.
    samples, is very conservative: it passes (p > 0.01) but cannot see a 3 % error in σ_W.
    The distance D itself can: at the truth D ~ 1/n_per_matrix (rigidity) ≈ 0.005, a 3 %
    wrong σ_W gives D ≈ 0.026. Bound: D < 0.01."""
    sv = rmt.random_singular_values(400, 250, 0.02, n_samples=4, rng=0).ravel()
    mp = rmt.marchenko_pastur(400, 250, 0.02)
    r = stats.kstest(sv, mp.cdf)
    assert r.pvalue > 0.01 and r.statistic < 0.01
    assert stats.kstest(sv, rmt.marchenko_pastur(400, 250, 0.0206).cdf).statistic > 0.01


def test_bad_input():
    with pytest.raises(ValueError, match="sigma_w"):
        rmt.marchenko_pastur(10, 5, 0.0)
    with pytest.raises((TypeError, ValueError), match="n"):
        rmt.marchenko_pastur(0, 5, 1.0)
