"""Solution 6.2: with t = σ², ρ ∝ √((t₊ − t)(t − t₋))/t; d/dt of its log vanishes at
t² = t₊t₋, so σ* = √(σ₊σ₋) = σ_W √|N − M| (= 0.01·√416 here)."""

import numpy as np


def solve():
    n, m, sw = 784, 1200, 0.01
    lo, hi = sw * abs(np.sqrt(n) - np.sqrt(m)), sw * (np.sqrt(n) + np.sqrt(m))
    peak = np.sqrt(lo * hi)
    q = min(n, m) * sw**2
    dens = np.sqrt((hi**2 - peak**2) * (peak**2 - lo**2)) / (np.pi * q * peak)
    return {"peak": float(peak), "density": float(dens)}
