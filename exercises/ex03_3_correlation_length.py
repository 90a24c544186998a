"""Exercise 3.3 (experiment) — the correlation length of a lattice field, sampled by an RBM.

Build the exact RBM of the 1D periodic free field with N = 24 sites and m² = 0.25
(``rp.datasets.lattice_kernel((24,), 0.25)``; μ² = 5, the symmetric solution of
``rp.datasets.rbm_weights_from_kernel``), and draw at least 20 000 independent samples of φ
with Gaussian block Gibbs (``rp.gibbs``, 40 sweeps from zero is plenty here — why?).

1. Measure the correlator G(r) = ⟨φ_0 φ_r⟩, averaged over the lattice by translation
   invariance, for r = 0 … 12.
2. Fit G(r) ≈ A cosh((r − N/2)/ξ) (the periodic image of e^{−r/ξ}) for the correlation length
   ξ. For a continuum field ξ = 1/m; on the lattice, cosh(1/ξ) = 1 + m²/2.

Return ``{"samples": array (n, 24), "correlator": array (13,), "xi": float}``. ``check``
recomputes the correlator from your samples, compares it with the exact K⁻¹ within 4.5
standard errors, and checks your ξ against the lattice formula within 5 %.
"""

import numpy as np

from rbmphys.verify.exercise import answer_dict, array, number, require

N, M2 = 24, 0.25


def solve():
    return None  # your answer here


def check(answer):
    import rbmphys as rp

    answer_dict(answer, "samples", "correlator", "xi")
    x = array(answer, "samples")
    require(x.ndim == 2 and x.shape[1] == N and len(x) >= 20_000,
            "samples must be an (n ≥ 20000, 24) array of field configurations")
    G = np.array([np.mean(x * np.roll(x, -r, axis=1)) for r in range(13)])
    got = array(answer, "correlator").ravel()
    require(got.shape == (13,) and np.allclose(got, G, rtol=1e-6, atol=1e-9),
            "your correlator is not the translation-averaged ⟨φ_i φ_(i+r)⟩ of your samples")
    C = np.linalg.inv(rp.datasets.lattice_kernel((N,), M2))
    exact = C[0, :13]
    # SE of a translation average: correlated sites; bound it by the single-pair SE
    se = np.sqrt((C[0, 0] ** 2 + exact**2) / len(x))
    require(np.all(np.abs(G - exact) < 4.5 * se),
            "the correlator of your samples disagrees with the exact field by more than 4.5 "
            "standard errors: are the samples from the right model, and independent?")
    xi_lattice = 1.0 / np.arccosh(1 + M2 / 2)
    require(abs(number(answer, "xi") / xi_lattice - 1) < 0.05,
            "your correlation length is more than 5 % off: fit the cosh form, not a plain "
            "exponential, on a periodic lattice")
    return True
