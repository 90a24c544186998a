"""Solution 5.2: at the fixed point λ_α = κ_α on the learnt modes and μ² on the others; each
unlearnt mode contributes ½(μ²/κ − 1 − ln(μ²/κ)). (a) N_h = 6 keeps the six smallest κ (all
below μ² = 10); (b) μ² = 4.5 keeps the κ below 4.5, N_h = 12 does not bind."""

import numpy as np


def solve():
    k = np.sort(2.0 + 4 * np.sin(np.pi * np.arange(12) / 12) ** 2)

    def kl(mu2, nh):
        lam = k.copy()
        lam[nh:] = mu2
        lam = np.where(k < mu2, lam, mu2)
        r = lam / k
        return float(0.5 * np.sum(r - 1 - np.log(r)))

    return {"kl_a": kl(10.0, 6), "kl_b": kl(4.5, 12)}
