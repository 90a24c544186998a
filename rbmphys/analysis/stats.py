r"""Statistics with error bars: χ² goodness of fit, Fisher's method, SEM, autocorrelation time.

The book's tolerance policy: identities at 1e-10 or tighter; Monte Carlo
estimates within k standard errors, where the standard error of a mean over a Markov chain is
inflated by the integrated autocorrelation time,

.. math::

    \mathrm{SE}(\bar x) = \sqrt{\frac{\tau_\text{int}\,\mathrm{Var}(x)}{n}}, \qquad
    \tau_\text{int} = 1 + 2\sum_{t \ge 1}\rho(t);

and whole distributions by Pearson's χ² test of a sample histogram against the exact
:math:`p(v)` of an enumerable model, independent repetitions combined with Fisher's method
(the protocol of NetKet's sampler tests: pass if the combined p-value exceeds 0.01).

Introduced in Chapter 2.

References
----------
.. [Pearson1900] K. Pearson, Philos. Mag. 50, 157 (1900): the χ² statistic.
.. [Fisher1932] R. A. Fisher, *Statistical Methods for Research Workers*, 4th ed. (1932),
   Sec. 21.1: combining independent p-values.
.. [Sokal1997] A. D. Sokal, *Monte Carlo methods in statistical mechanics: foundations and new
   algorithms*, in Functional Integration (Cargèse 1996), Plenum (1997), Sec. 3: the
   integrated autocorrelation time and its automatic window.
"""

from __future__ import annotations

import numpy as np
from scipy import stats as _st

# A Markov-chain diagnostic that the samplers themselves use (Langevin relaxation rates): it
# lives with them, one layer down, and is re-exported here beside the other error bars.
from ..samplers._autocorr import integrated_autocorr_time

__all__ = ["chi2_test", "fisher_combine", "mean_with_sem", "integrated_autocorr_time"]


def chi2_test(counts, probs, min_expected=5.0, *, ddof=0):
    r"""Pearson's χ² test of observed ``counts`` against the probabilities ``probs``.

    .. math::

        \chi^2 = \sum_k \frac{(n_k - N p_k)^2}{N p_k}, \qquad
        \text{dof} = K' - 1 - \text{ddof},

    where :math:`N = \sum_k n_k` and :math:`K'` is the number of bins after pooling.  The χ²
    law of the statistic needs expected counts that are not too small: all bins with
    :math:`N p_k <` ``min_expected`` are pooled into one bin, and if that pool is still below
    ``min_expected``, the next-smallest bins are added to it until it is not.

    Parameters
    ----------
    counts : array_like (K,)
        Observed counts (non-negative).
    probs : array_like (K,)
        Probabilities under the null hypothesis (non-negative, summing to 1 within 1e-8).
    min_expected : float
        Smallest expected count of a bin (5 is the textbook rule).
    ddof : int
        Parameters fitted to the same data (reduce the degrees of freedom).

    Returns
    -------
    statistic : float
    dof : int
    p_value : float
        Probability of a statistic at least this large under the null hypothesis.  Observed
        counts in a bin of probability 0 give ``(inf, dof, 0.0)``.

    Examples
    --------
    Counts exactly proportional to the probabilities give χ² = 0:

    >>> chi2_test([50, 25, 25], [0.5, 0.25, 0.25])
    (0.0, 2, 1.0)

    Introduced in Chapter 2 (block Gibbs and parallel tempering against the exact p(v)).
    """
    counts = np.asarray(counts, dtype=np.float64)
    probs = np.asarray(probs, dtype=np.float64)
    if counts.ndim != 1 or counts.shape != probs.shape:
        raise ValueError(f"counts and probs must be 1-D arrays of equal length, got shapes "
                         f"{counts.shape} and {probs.shape}")
    if np.any(counts < 0) or not np.all(np.isfinite(counts)):
        raise ValueError("counts must be finite and non-negative")
    if np.any(probs < 0) or not np.all(np.isfinite(probs)) or abs(probs.sum() - 1.0) > 1e-8:
        raise ValueError(f"probs must be non-negative and sum to 1 (sum = {probs.sum()!r})")
    N = counts.sum()
    if N <= 0:
        raise ValueError("counts must contain at least one observation")
    exp = N * probs
    impossible = (probs == 0) & (counts > 0)
    order = np.argsort(exp, kind="stable")
    e_sorted, o_sorted = exp[order], counts[order]
    n_pool = int(np.searchsorted(e_sorted, min_expected, side="left"))   # bins below the rule
    pool_e = e_sorted[:n_pool].sum()
    while 0 < n_pool < len(e_sorted) and pool_e < min_expected:
        pool_e += e_sorted[n_pool]
        n_pool += 1
    e = list(e_sorted[n_pool:])
    o = list(o_sorted[n_pool:])
    if n_pool and pool_e > 0:
        e.append(pool_e)
        o.append(o_sorted[:n_pool].sum())
    if len(e) < 2 + ddof:
        raise ValueError(f"fewer than {2 + ddof} bins remain after pooling bins with expected "
                         f"count < {min_expected}: collect more samples")
    dof = len(e) - 1 - int(ddof)
    if np.any(impossible):
        return float("inf"), dof, 0.0
    e, o = np.array(e), np.array(o)
    # the pooling above is ours (scipy does not pool sparse bins); the statistic is scipy's
    res = _st.chisquare(o, e * (o.sum() / e.sum()), ddof=int(ddof))
    return float(res.statistic), dof, float(res.pvalue)


def fisher_combine(pvalues):
    r"""Fisher's method: combine independent p-values into one.

    .. math::

        X = -2\sum_{i=1}^{k}\ln p_i \sim \chi^2_{2k} \quad\text{under the null},
        \qquad p = P(\chi^2_{2k} \ge X).

    p-values of 0 are clipped to 1e-300 (the combined p is then ~0).  Computed by
    ``scipy.stats.combine_pvalues(method="fisher")``.

    Examples
    --------
    >>> round(fisher_combine([0.5]), 12)
    0.5

    Introduced in Chapter 2.
    """
    p = np.asarray(pvalues, dtype=np.float64).ravel()
    if p.size == 0:
        raise ValueError("fisher_combine needs at least one p-value")
    if np.any(~np.isfinite(p)) or np.any((p < 0) | (p > 1)):
        raise ValueError("p-values must lie in [0, 1]")
    return float(_st.combine_pvalues(np.maximum(p, 1e-300), method="fisher").pvalue)


def mean_with_sem(x, axis=0):
    r"""Mean and standard error of the mean, :math:`\mathrm{std}(x)/\sqrt n` (ddof = 1), along
    ``axis``, for independent samples (for a Markov chain multiply by
    :math:`\sqrt{\tau_\text{int}}`, :func:`integrated_autocorr_time`).  Introduced in
    Chapter 2."""
    x = np.asarray(x, dtype=np.float64)
    n = x.shape[axis]
    if n < 2:
        raise ValueError(f"need at least 2 samples along axis {axis} for a standard error")
    return x.mean(axis=axis), _st.sem(x, axis=axis, ddof=1)
