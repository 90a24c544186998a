"""Statistics helpers against exact distributions, scipy, and processes with known answers."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from rbmphys.analysis import chi2_test, fisher_combine, integrated_autocorr_time, mean_with_sem


def test_chi2_accepts_the_truth_and_rejects_a_wrong_distribution():
    p = np.array([0.5, 0.3, 0.15, 0.04, 0.01])
    counts = np.random.default_rng(0).multinomial(20000, p)
    assert chi2_test(counts, p)[2] > 0.01
    # 2 % of the mass moved between the two largest bins: 20000 draws see it clearly
    q = np.array([0.48, 0.32, 0.15, 0.04, 0.01])
    assert chi2_test(counts, q)[2] < 1e-3
    # observations in a bin of probability zero are impossible under the null
    assert chi2_test([5, 5, 1], [0.5, 0.5, 0.0])[2] == 0.0


def test_chi2_without_pooling_is_pearsons_statistic():
    counts = np.array([18, 25, 31, 26])
    p = np.array([0.2, 0.25, 0.3, 0.25])
    ref = stats.chisquare(counts, counts.sum() * p)
    stat, dof, pval = chi2_test(counts, p)
    assert dof == 3
    assert stat == pytest.approx(ref.statistic, rel=1e-12)
    assert pval == pytest.approx(ref.pvalue, rel=1e-10)


def test_chi2_pooling():
    # expected 50, 45, 3, 2: the two small bins are pooled into one of expected 5 -> dof 2
    stat, dof, _ = chi2_test([50, 45, 3, 2], [0.5, 0.45, 0.03, 0.02], min_expected=5)
    assert dof == 2 and stat == pytest.approx(0.0, abs=1e-12)
    # expected 60, 36, 3, 1: the pool {1, 3} is still < 5, so the next bin (36) joins it
    stat, dof, _ = chi2_test([60, 36, 3, 1], [0.6, 0.36, 0.03, 0.01], min_expected=5)
    assert dof == 1 and stat == pytest.approx(0.0, abs=1e-12)
    with pytest.raises(ValueError, match="bins remain"):
        chi2_test([1, 1], [0.5, 0.5])
    with pytest.raises(ValueError, match="sum to 1"):
        chi2_test([1, 2], [0.5, 0.6])
    with pytest.raises(ValueError, match="equal length"):
        chi2_test([1, 2, 3], [0.5, 0.5])


def test_chi2_p_values_are_uniform_under_the_null():
    # the size of the test: at level 0.05 it rejects 5 % of exact multinomial samples
    # (binomial, 400 repetitions: 4 standard errors = 0.044); the pooling keeps it honest
    # even with many small-probability bins
    rng = np.random.default_rng(1)
    p = rng.dirichlet(np.full(60, 0.5))
    pv = np.array([chi2_test(rng.multinomial(2000, p), p)[2] for _ in range(400)])
    assert abs(np.mean(pv < 0.05) - 0.05) < 0.044
    assert stats.kstest(pv, "uniform").pvalue > 0.001


def test_fisher_matches_scipy():
    for p in ([0.2, 0.03, 0.7], [0.5], [1e-5, 0.9, 0.9, 0.4]):
        assert fisher_combine(p) == pytest.approx(stats.combine_pvalues(p, "fisher").pvalue,
                                                  rel=1e-12)
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        fisher_combine([0.5, 1.2])


def ar1(rho, n, k, seed):
    rng = np.random.default_rng(seed)
    e = rng.normal(size=(n, k))
    x = np.empty((n, k))
    x[0] = e[0] / np.sqrt(1 - rho**2)          # start in the stationary law
    for t in range(1, n):
        x[t] = rho * x[t - 1] + e[t]
    return x


def test_autocorrelation_time_of_ar1():
    # τ = (1+ρ)/(1−ρ) = 9 for ρ = 0.8; Sokal's relative error sqrt(2(2M+1)/n) with M ≈ 45,
    # n = 2e5: about 3 %, so 10 % is over 3 of its standard errors
    x = ar1(0.8, 200_000, 1, seed=1)[:, 0]
    assert integrated_autocorr_time(x) == pytest.approx(9.0, rel=0.1)
    # ten independent series of 20 000 in columns: same precision, same answer
    assert integrated_autocorr_time(ar1(0.8, 20_000, 10, seed=2)) == pytest.approx(9.0, rel=0.1)
    # independent samples: τ = 1 (relative error ~ sqrt(22/n) = 1 %, tolerance 5 %)
    white = np.random.default_rng(3).normal(size=200_000)
    assert integrated_autocorr_time(white) == pytest.approx(1.0, abs=0.05)
    # ρ = 0.5: τ = 3
    assert integrated_autocorr_time(ar1(0.5, 100_000, 1, seed=4)[:, 0]) == pytest.approx(
        3.0, rel=0.1)
    with pytest.raises(ValueError, match="constant"):
        integrated_autocorr_time(np.ones(100))


def test_mean_with_sem():
    m, se = mean_with_sem(np.arange(10.0))
    assert m == 4.5 and se == pytest.approx(np.std(np.arange(10.0), ddof=1) / np.sqrt(10),
                                            rel=1e-14)
    x = np.arange(12.0).reshape(3, 4)
    m, se = mean_with_sem(x, axis=1)
    np.testing.assert_allclose(m, [1.5, 5.5, 9.5], rtol=1e-14)
    np.testing.assert_allclose(se, np.full(3, np.std([0, 1, 2, 3], ddof=1) / 2), rtol=1e-14)
    with pytest.raises(ValueError, match="at least 2"):
        mean_with_sem([1.0])
