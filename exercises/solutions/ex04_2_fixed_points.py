"""Solution 4.2: both κ below μ², so both modes are learnt (σ²ξ² = μ² − κ, larger ξ with the
smaller κ, Δθ = 0); the Jacobian eigenvalues are −2γ₁, −γ_Δθ, −2γ₂, 0."""

import numpy as np

from rbmphys import theory


def solve():
    k1, k2, mu2 = 0.3, 0.5, 0.8
    xi = (np.sqrt(mu2 - k1), np.sqrt(mu2 - k2))
    g1, g2, gd = theory.relaxation_rates(k1, k2, mu2)
    return {"xi": xi, "dtheta": 0.0, "eigenvalues": (k1, k2),
            "jacobian_eigenvalues": sorted([-2 * g1, -gd, -2 * g2, 0.0])}
