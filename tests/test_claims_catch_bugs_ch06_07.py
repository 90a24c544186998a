"""Realistic one-line bugs planted in the source of the library code of Chapters 6-7 are
caught by the quick ledger of those chapters (issue "claims that catch bugs").

Each case edits one line of a library function (see ``_source_bug``) — the kind of slip a
careless edit makes: a pair of arguments swapped, a factor or a power lost, the inverse
temperature forgotten, an aspect ratio inverted — and runs the quick claims of the chapter
that relies on it. At least one must fail; the case names the claims expected to catch it
(run those, not the whole chapter, to keep the test short; ``claims=None`` runs every quick
claim of the chapter).
"""

from __future__ import annotations

import pytest

from _source_bug import _clear_symbolic_caches, source_bug
from rbmphys.verify import get_claim, load_all, registry

R, RM = "rbmphys.analysis.reciprocal", "rbmphys.analysis.random_matrix"
F, FPN, LK = ("rbmphys.symbolic.fokker_planck", "rbmphys.theory._fokker_planck",
              "rbmphys.kernels._langevin")
LS = "rbmphys.samplers.langevin"

#: (label, module, function, old text, new text, chapter, claims expected to catch it)
CASES = [
    # --- the five the issue names
    ("relaxed Z: projected biases swapped", R, "relaxed_log_partition",
     "ell = beta * np.array([rm.a_t[k], rm.b_t[k]])",
     "ell = beta * np.array([rm.b_t[k], rm.a_t[k]])", 6,
     ["ch06.relaxed_z_quadrature", "ch06.relaxed_modes_rotated"]),
    ("Fokker–Planck rates without β (u mode)", F, "mode_potentials",
     "Phi_u = -beta * sigma / 2 * u**2", "Phi_u = -sigma / 2 * u**2", 7,
     ["ch07.langevin_rates", "ch07.fp_spectrum_2d", "ch07.schrodinger_mode"]),
    ("Fokker–Planck rates: β dropped at evaluation", F, "relaxation_rates",
     "f([s, beta_value])", "f([s, 1.0])", 7,
     ["ch07.langevin_rates", "ch07.fp_spectrum", "ch07.mean_trajectory"]),
    ("Langevin noise √(2Δt) → 2Δt", LK, "_run", "sq = np.sqrt(2.0 * dt)", "sq = 2.0 * dt", 7,
     ["ch07.mean_trajectory", "ch07.quartic_stationary"]),
    ("Langevin noise without the factor 2", LK, "_run", "sq = np.sqrt(2.0 * dt)",
     "sq = np.sqrt(dt)", 7, ["ch07.mean_trajectory", "ch07.quartic_stationary"]),
    ("MP edges with the inverse aspect ratio", RM, "MarchenkoPastur.__init__",
     "self.lo = sigma_w * abs(np.sqrt(n) - np.sqrt(m))",
     "self.lo = sigma_w * np.sqrt(min(n, m)) * abs(1 - np.sqrt(max(n, m) / min(n, m)))", 6,
     ["ch06.mp_moments", "ch06.mp_normalisation"]),
    ("MP normalisation q = max(N, M)σ_W²", RM, "MarchenkoPastur.__init__",
     "self.q = min(n, m) * sigma_w ** 2", "self.q = max(n, m) * sigma_w ** 2", 6,
     ["ch06.mp_moments", "ch06.mp_normalisation"]),
    ("Haar kurtosis limit 3 − 3/(n+2)", R, "haar_mean_kurtosis", "3.0 - 6.0 / (n + 2.0)",
     "3.0 - 3.0 / (n + 2.0)", 6, ["ch06.haar_kurtosis"]),
    ("Haar kurtosis limit 3 − 6/(n+1)", R, "haar_mean_kurtosis", "3.0 - 6.0 / (n + 2.0)",
     "3.0 - 6.0 / (n + 1.0)", 6, ["ch06.haar_kurtosis"]),
    # --- more of the same kind
    ("relaxed Z: unpaired variance term without ½", R, "relaxed_log_partition",
     "0.5 * s2 * c_v @ c_v", "s2 * c_v @ c_v", 6, ["ch06.relaxed_z_quadrature"]),
    ("relaxed Z: hidden unpaired mean from the visible side", R, "relaxed_log_partition",
     "c_h @ my[K:]", "c_h @ mx[K:len(c_h) + K]", 6, ["ch06.relaxed_z_quadrature"]),
    ("relaxed Z: determinant with s²βσ instead of its square", R, "relaxed_log_partition",
     "np.log1p(-(s2 * bs[k]) ** 2)", "np.log1p(-(s2 * bs[k]))", 6,
     ["ch06.relaxed_z_quadrature", "ch06.relaxed_modes_rotated"]),
    ("relaxed Z: gauge constant of ±1 units dropped", R, "relaxed_log_partition",
     "offset = -beta * _bernoulli_parameters(model)[3]", "offset = 0.0", 6,
     ["ch06.relaxed_z_spin"]),
    ("relaxed Z: threshold on σ instead of βσ", R, "relaxed_log_partition",
     "ok = bs * s2 < 1.0", "ok = rm.sigma * s2 < 1.0", 6, ["ch06.threshold_beta"]),
    ("constraint minima with x and y swapped", R, "ReciprocalModes.constraint_minima",
     "self.rotate(mx, my)", "self.rotate(my, mx)", 6, ["ch06.constraint_minima"]),
    ("hidden high-temperature mean without ½", R, "ReciprocalModes.high_temperature_means",
     "0.5 * self.V.sum(0)", "self.V.sum(0)", 6, ["ch06.constraint_minima"]),
    ("MP peak at σ_W √max(N, M)", RM, "mp_peak", "np.sqrt(abs(n - m))",
     "np.sqrt(max(n, m))", 6, ["ch06.mp_peak"]),
    ("MP CDF Jacobian without its factor 2", RM, "MarchenkoPastur._cdf",
     "f = 2.0 * d**2", "f = d**2", 6, ["ch06.mp_cdf", "ch06.mp_ks"]),
    ("Langevin drift polynomial loses its constant term", LK, "_run",
     "for k in range(deg - 2, -1, -1):", "for k in range(deg - 2, 0, -1):", 7,
     ["ch07.mean_trajectory", "ch07.quartic_stationary"]),
    ("Langevin drift about +centre instead of −centre", LK, "_run",
     "x = z[r, i] - center[i]", "x = z[r, i] + center[i]", 7, ["ch07.quartic_stationary"]),
    ("Euler–Maruyama rate with log1p(+ΓΔt)", LS, "ou_discrete_rate",
     "-np.log1p(-gamma * dt) / dt", "np.log1p(gamma * dt) / dt", 7, ["ch07.langevin_rates"]),
    ("Fokker–Planck operator with diffusion 2", F, "fokker_planck_operator",
     "+ _lap(p, zs)", "+ 2 * _lap(p, zs)", 7, ["ch07.ou_propagator", "ch07.similarity"]),
    ("Schrödinger potential |∇Φ|²/2", F, "schrodinger_potential", "sp.Rational(1, 4)",
     "sp.Rational(1, 2)", 7, ["ch07.schrodinger_mode", "ch07.similarity"]),
    ("1D Fokker–Planck hop rate e^{−ΔΦ} (detailed balance at T = 1/2)", FPN,
     "fokker_planck_spectrum", "r_up = np.exp(-dp / 2) / h**2", "r_up = np.exp(-dp) / h**2",
     7, ["ch07.fp_spectrum", "ch07.double_well"]),
    ("1D Fokker–Planck generator symmetrised with r_up instead of √(r_up r_dn)", FPN,
     "fokker_planck_spectrum", "off = -np.sqrt(r_up * r_dn)", "off = -r_up", 7,
     ["ch07.fp_spectrum", "ch07.double_well"]),
    ("Schrödinger discretisation with Φ'²/2", FPN, "schrodinger_spectrum",
     "np.asarray(dphi(z)) ** 2 / 4", "np.asarray(dphi(z)) ** 2 / 2", 7, ["ch07.double_well"]),
    ("similarity transform e^{−Φ} instead of e^{−Φ/2}", F, "similarity_identity",
     "p = sp.exp(-Phi / 2) * psi", "p = sp.exp(-Phi) * psi", 7, ["ch07.similarity"]),
    ("Hermite functions with e^{−Γζ²/2}", F, "oscillator_check",
     "sp.exp(-G * z**2 / 4)", "sp.exp(-G * z**2 / 2)", 7, ["ch07.oscillator"]),
    ("constraint potential (u − μ)²/s² (the ½ lost)", F, "mode_potentials",
     "Phi_u = -beta * sigma / 2 * u**2 + (u - mu_u) ** 2 / (2 * s2)",
     "Phi_u = -beta * sigma / 2 * u**2 + (u - mu_u) ** 2 / s2", 7,
     ["ch07.langevin_rates", "ch07.fp_spectrum_2d"]),
    ("rotation with w = (Δx − Δy)/√2", R, "ReciprocalModes.rotate",
     "(dy - dx) / np.sqrt(2.0)", "(dx - dy) / np.sqrt(2.0)", 7, ["ch07.relaxed_stationary"]),
    ("relaxed Z: constraint mean m·s² instead of m/s²", R, "relaxed_log_partition",
     "r = ell + m / s2", "r = ell + m * s2", 6, ["ch06.relaxed_z_quadrature"]),
    ("saddle energy with the wrong sign", R, "ReciprocalModes.saddle_points",
     "eps = self.a_t[:K] * self.b_t[:K] / self.sigma",
     "eps = -self.a_t[:K] * self.b_t[:K] / self.sigma", 6,
     ["ch06.saddle_points", "ch06.relaxed_modes_rotated"]),
]


@pytest.fixture(autouse=True)
def _fresh():
    yield
    _clear_symbolic_caches()


@pytest.mark.parametrize("label,module,func,old,new,chapter,claims", CASES,
                         ids=[c[0] for c in CASES])
def test_quick_ledger_catches_planted_bug(label, module, func, old, new, chapter, claims,
                                          monkeypatch):
    monkeypatch.setenv("RBMPHYS_NO_CACHE", "1")
    monkeypatch.setenv("RBMPHYS_JOBS", "1")
    load_all()
    ids = claims or sorted(c for c in registry if registry[c].chapter == chapter)
    source_bug(module, func, old, new)(monkeypatch)
    results = {cid: get_claim(cid).run(quick=True) for cid in ids}
    caught = [cid for cid, r in results.items() if not r.passed]
    assert caught, (f"bug '{label}' in {module}.{func} passes every claim: "
                    + "; ".join(r.line() for r in results.values()))


def test_every_listed_claim_exists_and_the_case_list_covers_the_issue():
    load_all()
    listed = {cid for *_, claims in CASES for cid in claims}
    assert listed <= set(registry), sorted(listed - set(registry))
    assert len(CASES) >= 20
