"""The quick ledger of Chapters 3-5 catches realistic one-line bugs in the library it serves.

Each case plants one bug in the library's *source* (one fragment replaced, see
``_source_bug.py``), runs the quick claims named with it, and requires at least one of them to
fail.  The first five are the misses of the issue "claims that catch bugs" (a factor 2 in the
Gaussian learning ODE, σ_h² multiplied where it divides in the exact couplings, a Gaussian unit
whose sampling width or log-partition loses β, K built with σ_h instead of σ_h²); the others
are bugs of the same kind found while writing the claims (one of them, the order of the singular
values at the Δθ = π/2 fixed point, was a real bug of ``fixed_points``).
"""

from __future__ import annotations

import pytest

from _source_bug import source_bug
from rbmphys.verify import get_claim, load_all


def _clear():
    from rbmphys.symbolic import gaussian as G
    for f in (G.flow_derivation, G.flow_derivation_rhs, G.two_by_two_system, G.two_by_two_rhs,
              G._two_by_two_w_flow,
              G.mode_flow_rhs, G.mode_mu2_rhs):
        f.cache_clear()


def bug(module, qualname, old, new):
    return source_bug(module, qualname, old, new, before=_clear)


CASES = [
    # --- the misses
    ("factor 2 in the matrix learning ODE", bug(
        "rbmphys.theory._flow", "flow_rhs", "{k: pos[k] - neg[k] for k in pos}",
        "{k: 2 * (pos[k] - neg[k]) for k in pos}"),
     ["ch04.flow_sympy_numeric", "ch04.flow_trajectory"]),
    ("factor 2 in the mode flow (80)", bug(
        "rbmphys.symbolic.gaussian", "mode_flow", "2 * s2 * (1 / k - 1 / lam) * x",
        "4 * s2 * (1 / k - 1 / lam) * x"),
     ["ch05.mode_flow_closed_form", "ch05.mode_vs_matrix_flow"]),
    ("factor 2 in the 2×2 flow", bug(
        "rbmphys.symbolic.gaussian", "_two_by_two_w_flow",
        "M = (s2 * (U.T * Kphi_inv * U - DK.inv()) * Xi)",
        "M = (2 * s2 * (U.T * Kphi_inv * U - DK.inv()) * Xi)"),
     ["ch04.delta_theta", "ch04.rates_closed_form"]),
    ("σ_h² multiplied instead of divided in the exact couplings", bug(
        "rbmphys.datasets._lattice", "rbm_weights_from_kernel", "- K) / sigma_h2",
        "- K) * sigma_h2"),
     ["ch03.exact_solutions_generic", "ch03.gibbs_beta"]),
    ("Gaussian sampling width loses β", bug(
        "rbmphys.kernels._gaussian", "sample_gaussian", "math.sqrt(variance / beta)",
        "math.sqrt(variance)"),
     ["ch03.gibbs_beta", "ch03.gaussian_unit_sampling"]),
    ("Gaussian log-partition loses β (quadratic term)", bug(
        "rbmphys.models._units", "Gaussian.log_partition", "0.5 * beta * self.variance * f * f",
        "0.5 * self.variance * f * f"),
     ["ch03.gaussian_unit_beta"]),
    ("Gaussian log-partition loses β (normalisation)", bug(
        "rbmphys.models._units", "Gaussian.log_partition",
        "math.log(2.0 * math.pi * self.variance / beta)",
        "math.log(2.0 * math.pi * self.variance)"),
     ["ch03.gaussian_unit_beta"]),
    ("K built with σ_h instead of σ_h²", bug(
        "rbmphys.models._gaussian", "GaussianRBM._kernel", "self.sigma_h2 * (W @ W.T)",
        "math.sqrt(self.sigma_h2) * (W @ W.T)"),
     ["ch03.marginal_covariance", "ch03.joint_density"]),
    # --- more of the same kind
    ("source J = Wη/σ_h²", bug(
        "rbmphys.models._gaussian", "GaussianRBM.source",
        "@ self.eta.astype(np.float64)", "@ (self.eta / self.sigma_h2).astype(np.float64)"),
     ["ch03.marginal_mean", "ch03.joint_density"]),
    ("½ JᵀK⁻¹J without the ½", bug(
        "rbmphys.models._gaussian", "GaussianRBM.log_partition",
        "+ 0.5 * J @ cho_solve(c, J)", "+ J @ cho_solve(c, J)"),
     ["ch03.log_partition", "ch03.joint_density"]),
    ("hidden normalisation ln 2πσ_h without the square", bug(
        "rbmphys.models._gaussian", "GaussianRBM.log_partition",
        "math.log(2 * math.pi * self.sigma_h2)", "math.log(2 * math.pi * self.sigma_h2 ** 0.5)"),
     ["ch03.log_partition", "ch03.marginal_density"]),
    ("positive phase of η with σ_h²", bug(
        "rbmphys.models._gaussian", "GaussianRBM.moment_statistics", '"eta": W.T @ m}',
        '"eta": self.sigma_h2 * W.T @ m}'),
     ["ch04.positive_phase_fd", "ch04.negative_phase_fd", "ch04.flow_fd"]),
    ("the 2×2 eigenvalues without σ_h²", bug(
        "rbmphys.theory._flow", "two_by_two_flow", '"lambda1": m - sigma_h2 * x1**2',
        '"lambda1": m - x1**2'),
     ["ch04.decay_rates"]),
    ("fixed points with ξ1 ↔ ξ2 swapped at Δθ = π/2 (the bug fixed here)", bug(
        "rbmphys.symbolic.gaussian", "fixed_points", "xi = (xis[0], xis[1])",
        "xi = (xis[0], xis[1]) if big_first else (xis[1], xis[0])"),
     ["ch04.fixed_points_generic"]),
    ("lattice Laplacian's 2D part from N_x twice", bug(
        "rbmphys.datasets._lattice", "lattice_spectrum", "parts[0][:, None] + parts[1][None, :]",
        "parts[0][:, None] + parts[0][None, :len(parts[1])]"),
     ["ch03.lattice_spectrum"]),
    ("mode flow's μ² term with the wrong sign", bug(
        "rbmphys.symbolic.gaussian", "mode_mu2_term", "sp.diff(l, mu2)", "-sp.diff(l, mu2)"),
     ["ch05.mode_vs_matrix_flow", "ch05.learnable_mu2"]),
    ("closed-form t(λ) with κ² in the prefactor", bug(
        "rbmphys.theory._closed_forms", "mode_flow_time", "return k / (2 * s2",
        "return k * k / (2 * s2"),
     ["ch05.mode_flow_closed_form"]),
    ("(A2) decays one step late", bug(
        "rbmphys.training._schedules", "step_decay.__call__", "(epoch // self.every)",
        "((epoch - 1) // self.every)"),
     ["ch05.step_decay_values"]),
]


@pytest.mark.parametrize("what,plant,claims", CASES, ids=[c[0] for c in CASES])
def test_quick_ledger_catches(what, plant, claims, monkeypatch):
    monkeypatch.setenv("RBMPHYS_NO_CACHE", "1")
    monkeypatch.setenv("RBMPHYS_JOBS", "1")
    load_all([3, 4, 5])
    for cid in claims:                           # the catchers are claims of Chapters 3-5
        assert get_claim(cid).chapter in (3, 4, 5)
    plant(monkeypatch)
    try:
        results = [get_claim(cid).run(quick=True) for cid in claims]
    finally:
        _clear()
    assert any(not r.passed for r in results), (
        f"the bug '{what}' passes every one of {claims}: "
        + "; ".join(r.line() for r in results))
