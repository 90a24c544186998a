"""Exercise 5.2 (closed form) — what the ultraviolet cutoff costs, Eqs. (B7)-(B8).

Target: the 1D periodic free field with N_v = 12 sites and m² = 2 (κ_k = m² + 4 sin²(πk/12)).
The scalar-field RBM (σ_h² = 1) is trained to its fixed point in two settings:

* (a) μ² = 10 and N_h = 6 hidden units;
* (b) μ² = 4.5 and N_h = 12 hidden units.

For each, compute the Kullback–Leibler divergence KL(p_target ‖ p_RBM) in nats at the fixed
point. Work in the eigenbasis of the target: there both kernels are diagonal, and KL of two
zero-mean Gaussians with precisions κ_α (target) and λ_α (model) is a sum over modes.

Return ``{"kl_a": float, "kl_b": float}``. ``check`` integrates the learning flow (26) to
convergence for each setting and evaluates the KL of the two Gaussians in the site basis
(traces and determinants of 12×12 matrices, no eigenbasis), and tells you which one is wrong.
"""

import numpy as np

from rbmphys.verify.exercise import answer_dict, require


def solve():
    return None  # your answer here


def _kl_of_trained(mu2, n_hidden, seed):
    import rbmphys as rp
    K = rp.datasets.lattice_kernel((12,), 2.0)
    flow = rp.theory.gaussian_flow(K, n_hidden, mu2, t_max=3000, rng=seed, weight_scale=0.1)
    Kq = rp.GaussianRBM(flow.W, mu2).precision()
    M = Kq @ np.linalg.inv(K)
    return 0.5 * (np.trace(M) - 12 - np.linalg.slogdet(M)[1])


def check(answer):
    answer_dict(answer, "kl_a", "kl_b")
    for key, mu2, nh, seed in (("kl_a", 10.0, 6, 52), ("kl_b", 4.5, 12, 53)):
        got = float(answer[key])
        require(np.isfinite(got) and got >= 0, f"{key}: a KL divergence is finite and ≥ 0")
        want = _kl_of_trained(mu2, nh, seed)
        require(abs(got - want) <= 1e-6 * max(1.0, abs(want)),
                f"{key} is wrong: only the modes the RBM does not learn contribute, each "
                "½(λ/κ − 1 − ln(λ/κ)) with λ the model's eigenvalue there")
    return True
