"""Solution 2.2: AIS in twenty lines of NumPy."""

import numpy as np

import rbmphys as rp


def solve(n_chains=200, n_betas=2000, seed=0):
    m = rp.BernoulliRBM.random(10, 12, weight_scale=0.6, bias_scale=0.3, rng=22)
    rng = np.random.default_rng(seed)
    W, a, b = m.W, m.a, m.b
    sig = lambda x: 1 / (1 + np.exp(-x))                              # noqa: E731
    log_p = lambda v, beta: v @ a + np.logaddexp(0, beta * (v @ W + b)).sum(1)  # noqa: E731
    betas = np.linspace(0, 1, n_betas)
    v = (rng.random((n_chains, 10)) < sig(a)).astype(float)           # exact draw from p_A
    logw = np.zeros(n_chains)
    for b0, b1 in zip(betas[:-1], betas[1:]):
        logw += log_p(v, b1) - log_p(v, b0)
        h = (rng.random((n_chains, 12)) < sig(b1 * (v @ W + b))).astype(float)
        v = (rng.random((n_chains, 10)) < sig(b1 * (h @ W.T) + a)).astype(float)
    log_za = 12 * np.log(2) + np.logaddexp(0, a).sum()
    r = np.exp(logw - logw.max())
    return log_za + logw.max() + np.log(r.mean()), r.std(ddof=1) / (np.sqrt(n_chains) * r.mean())
