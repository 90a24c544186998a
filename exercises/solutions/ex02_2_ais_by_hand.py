"""Solution 2.2: AIS in twenty lines of NumPy."""

import numpy as np

from rbmphys.verify.exercise import exercise_path, load_exercise


def solve(n_chains=200, n_betas=2000, seed=0):
    m = load_exercise(exercise_path("ex02_2")).model()
    rng = np.random.default_rng(seed)
    W, a, b = m.W, m.a, m.b
    V, H = W.shape
    sig = lambda x: 1 / (1 + np.exp(-x))                              # noqa: E731
    log_p = lambda v, beta: v @ a + np.logaddexp(0, beta * (v @ W + b)).sum(1)  # noqa: E731
    betas = np.linspace(0, 1, n_betas)
    v = (rng.random((n_chains, V)) < sig(a)).astype(float)            # exact draw from p_A
    logw = np.zeros(n_chains)
    for b0, b1 in zip(betas[:-1], betas[1:]):
        logw += log_p(v, b1) - log_p(v, b0)
        h = (rng.random((n_chains, H)) < sig(b1 * (v @ W + b))).astype(float)
        v = (rng.random((n_chains, V)) < sig(b1 * (h @ W.T) + a)).astype(float)
    return {"log_weights": logw, "n_betas": n_betas,
            "log_z_base": H * np.log(2) + np.logaddexp(0, a).sum()}
