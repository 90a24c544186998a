r"""Statistics with error bars: χ² goodness of fit, Fisher's method, SEM, autocorrelation time.

The tolerance policy of the book: identities at 1e-10 or tighter; Monte Carlo estimates within
k standard errors; whole distributions by a χ² test against the exact p(v), several independent
repetitions combined with Fisher's method.  Introduced in Chapter 2.
"""

from __future__ import annotations

import numpy as np
from scipy import stats as _st

__all__ = ["chi2_test", "fisher_combine", "mean_with_sem", "integrated_autocorr_time"]


def chi2_test(counts, probs, min_expected=5.0):
    r"""Pearson's χ² test of observed ``counts`` against probabilities ``probs``.

    Bins with expected count below ``min_expected`` are pooled (smallest first) so that the χ²
    approximation holds.

    .. math:: \chi^2 = \sum_k \frac{(n_k - N p_k)^2}{N p_k}, \qquad \text{dof} = K - 1.

    Returns
    -------
    (statistic, dof, p_value)
    """
    counts = np.asarray(counts, dtype=np.float64)
    probs = np.asarray(probs, dtype=np.float64)
    if counts.shape != probs.shape or counts.ndim != 1:
        raise ValueError("counts and probs must be 1-D arrays of equal length")
    if np.any(probs < 0) or abs(probs.sum() - 1) > 1e-8:
        raise ValueError("probs must be non-negative and sum to 1")
    N = counts.sum()
    exp = N * probs
    order = np.argsort(exp)
    keep = exp[order] >= min_expected
    small = order[~keep]
    e = list(exp[order[keep]])
    o = list(counts[order[keep]])
    if len(small):
        pe, po = exp[small].sum(), counts[small].sum()
        if pe > 0:
            e.append(pe)
            o.append(po)
        elif po > 0:
            return np.inf, max(len(e) - 1, 1), 0.0      # impossible events observed
    e, o = np.array(e), np.array(o)
    if len(e) < 2:
        raise ValueError("fewer than two bins with enough expected counts")
    stat = float(np.sum((o - e) ** 2 / e))
    dof = len(e) - 1
    return stat, dof, float(_st.chi2.sf(stat, dof))


def fisher_combine(pvalues):
    r"""Fisher's method: :math:`-2\sum\ln p_i \sim \chi^2_{2k}` under the null; returns p."""
    p = np.asarray(pvalues, dtype=np.float64)
    if np.any((p < 0) | (p > 1)):
        raise ValueError("p-values must lie in [0, 1]")
    stat = -2.0 * np.sum(np.log(np.maximum(p, 1e-300)))
    return float(_st.chi2.sf(stat, 2 * len(p)))


def mean_with_sem(x, axis=0):
    """Mean and standard error of the mean (ddof = 1) along ``axis``."""
    x = np.asarray(x, dtype=np.float64)
    n = x.shape[axis]
    return x.mean(axis=axis), x.std(axis=axis, ddof=1) / np.sqrt(n)


def integrated_autocorr_time(x, c=5.0):
    r"""Integrated autocorrelation time :math:`\tau = 1 + 2\sum_{t\ge1}\rho(t)` of a 1-D series,
    with Sokal's automatic window (smallest M with M ≥ c τ(M)).  For an AR(1) process with
    coefficient ρ, τ = (1 + ρ)/(1 − ρ)."""
    x = np.asarray(x, dtype=np.float64)
    n = len(x)
    if n < 10:
        raise ValueError("need at least 10 samples")
    y = x - x.mean()
    f = np.fft.rfft(y, 2 * n)
    acf = np.fft.irfft(f * np.conj(f))[:n]
    acf /= acf[0]
    taus = 2.0 * np.cumsum(acf) - 1.0
    for M in range(1, n):
        if M >= c * taus[M]:
            return float(taus[M])
    return float(taus[-1])
