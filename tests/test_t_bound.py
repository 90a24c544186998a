"""``t_bound``: the bound for the largest of m |z|-scores whose standard errors come from the
spread of n runs, checked by Monte Carlo of exactly that situation (not by its own formula)."""

import numpy as np
import pytest

from rbmphys.verify import _registry as R


@pytest.mark.parametrize("n, m", [(5, 3), (12, 1), (8, 21)])
def test_false_alarm_rate_is_what_it_promises(n, m):
    # alarm 0.1 so that 200 000 trials measure it to ±7e-4 (1 SE); the Bonferroni bound is
    # nearly tight for independent scores: the rate lies in [1 − (1 − α/m)^m, α]
    alpha, trials = 0.1, 200_000
    g, bound, alarms = np.random.default_rng(n * 100 + m), R.t_bound(n, m, alpha), 0
    for _ in range(trials // 20_000):                 # in chunks: at most 27 MB at a time
        x = g.normal(size=(20_000, m, n))
        z = np.abs(x.mean(-1)) / (x.std(-1, ddof=1) / np.sqrt(n))
        alarms += int(np.sum(z.max(-1) > bound))
    rate = alarms / trials
    se = np.sqrt(alpha * (1 - alpha) / trials)
    assert 1 - (1 - alpha / m) ** m - 5 * se <= rate <= alpha + 5 * se


def test_a_gaussian_bound_would_be_too_tight_for_few_runs():
    # the point of the helper: with 8 runs the t bound is far above the Gaussian one
    from scipy import stats
    assert R.t_bound(8, 21) > 1.8 * stats.norm.isf(1e-3 / 42)
    assert abs(R.t_bound(100_000, 1) - stats.norm.isf(5e-4)) < 1e-3   # many runs: Gaussian


@pytest.mark.parametrize("args", [(1, 3), (2.5, 3), (5, 0), (5, 2, 0.0), (5, 2, 1.0)])
def test_bad_arguments(args):
    with pytest.raises(ValueError, match="t_bound"):
        R.t_bound(*args)
