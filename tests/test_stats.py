"""Statistics helpers against exact distributions and known processes."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from rbmphys.analysis import chi2_test, fisher_combine, integrated_autocorr_time, mean_with_sem


def test_chi2_accepts_the_truth_and_rejects_a_wrong_distribution():
    p = np.array([0.5, 0.3, 0.15, 0.04, 0.01])
    counts = np.random.default_rng(0).multinomial(20000, p)
    assert chi2_test(counts, p)[2] > 0.01
    q = np.array([0.48, 0.32, 0.15, 0.04, 0.01])
    assert chi2_test(counts, q)[2] < 1e-3
    # pooling: tiny expected counts are merged, dof shrinks accordingly
    stat, dof, _ = chi2_test([50, 45, 3, 2], [0.5, 0.45, 0.03, 0.02], min_expected=5)
    assert dof == 2
    with pytest.raises(ValueError, match="sum to 1"):
        chi2_test([1, 2], [0.5, 0.6])


def test_fisher_matches_scipy():
    p = [0.2, 0.03, 0.7]
    assert fisher_combine(p) == pytest.approx(stats.combine_pvalues(p, "fisher").pvalue,
                                              rel=1e-12)


def test_autocorrelation_time_of_ar1():
    rho, n = 0.8, 200_000
    rng = np.random.default_rng(1)
    e = rng.normal(size=n)
    x = np.empty(n)
    x[0] = e[0]
    for t in range(1, n):
        x[t] = rho * x[t - 1] + e[t]
    # τ = (1+ρ)/(1−ρ) = 9; the estimator's relative error at n = 2e5 is a few percent
    assert integrated_autocorr_time(x) == pytest.approx(9.0, rel=0.1)
    m, se = mean_with_sem(np.arange(10.0))
    assert m == 4.5 and se == pytest.approx(np.std(np.arange(10.0), ddof=1) / np.sqrt(10))
