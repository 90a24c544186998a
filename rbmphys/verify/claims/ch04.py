"""Chapter 4 claims: learning dynamics of the scalar-field RBM in closed form.

sympy derives the equations (:mod:`rbmphys.symbolic.gaussian`); these claims check the
derivations against the paper's printed formulas and against finite differences, integrate them
(:mod:`rbmphys.theory`) and compare with their closed-form fixed points, rates and Δθ(t), and
compare stochastic PCD training with the ODE.  Sources: Aarts, Lucini, Park eqs. (26)-(74).
"""

from __future__ import annotations

import numpy as np

from .._registry import Measurement, claim, nanmax as _nanmax

SEED = 404
_SYM = "exact symbolic identity: simplify(derived − printed) == 0 for every entry"


@claim("ch04.flow_derivation", chapter=4,
       title="sympy's ∂L/∂W and ∂L/∂μ² of the Gaussian log-likelihood are (26)-(27)",
       source="AartsLuciniPark2024 eqs. (26), (27)")
def _deriv(quick):
    import sympy as sp
    from ...symbolic import gaussian as G
    nonzero = 0
    for nv, nh in ([(2, 1), (2, 2)] if quick else [(2, 1), (2, 2), (3, 1), (3, 2)]):
        d = G.flow_derivation(nv, nh)
        nonzero += sum(sp.simplify(e) != 0 for e in (d["dW"] - d["dW_printed"]))
        nonzero += int(sp.simplify(d["dmu2"] - d["dmu2_printed"]) != 0)
    return Measurement(0, nonzero, 0, _SYM + " (count of nonzero differences)", "eq")


def flow_fd_error(n_visible=6, n_hidden=4, mu2=5.0, sigma_h2=0.7, h=1e-6, seed=SEED):
    """max |(26)-(27) − central finite differences of the exact Gaussian log-likelihood|."""
    import rbmphys as rp
    g = np.random.default_rng(seed)
    W = g.normal(0, 0.4, (n_visible, n_hidden))
    data = g.normal(size=(50, n_visible)) @ g.normal(0, 0.5, (n_visible, n_visible))
    C = data.T @ data / len(data)
    m = rp.GaussianRBM(W, mu2, sigma_h2, learn_mu2=True)
    K = m.precision()
    rhs_W = sigma_h2 * (C - np.linalg.inv(K)) @ W
    rhs_mu2 = -0.5 * np.trace(C) + 0.5 * np.trace(np.linalg.inv(K))
    worst = 0.0
    for name, want in (("W", rhs_W), ("mu2", rhs_mu2)):
        p = m.params[name]
        fd = np.zeros(p.shape)
        for idx in np.ndindex(p.shape):
            old = p[idx].copy()
            p[idx] = old + h
            up = m.log_likelihood(data)
            p[idx] = old - h
            dn = m.log_likelihood(data)
            p[idx] = old
            fd[idx] = (up - dn) / (2 * h)
        worst = _nanmax(worst, float(np.max(np.abs(fd - want))))
    return worst


@claim("ch04.flow_fd", chapter=4,
       title="the flow (26)-(27) is the gradient of the library's exact log-likelihood",
       source="AartsLuciniPark2024 eqs. (26), (27)")
def _fd(quick):
    return Measurement(0.0, flow_fd_error(), 1e-7, "central differences, h = 1e-6: "
                       "truncation O(h²) ~ 1e-11, round-off ~ ε|L|/h ~ 1e-9")


@claim("ch04.svd_basis", chapter=4,
       title="in the SVD basis K = U D_K Uᵀ and Ẇ = σ_h² U Λ Ξ Vᵀ, Λ = UᵀK_φ⁻¹U − D_K⁻¹",
       source="AartsLuciniPark2024 eqs. (33), (36), (37)")
def _svd(quick):
    import sympy as sp
    from ...symbolic import gaussian as G
    a, b = G.svd_basis_identity()
    return Measurement(0, sum(e != 0 for e in a) + sum(e != 0 for e in b), 0, _SYM, "eq")


@claim("ch04.two_by_two_equations", chapter=4,
       title="the sympy-derived 2×2 flow equals (53), (54), (56), (57) and the missing (55)",
       source="AartsLuciniPark2024 eqs. (52)-(58); (55) reconstructed")
def _two(quick):
    import sympy as sp
    from ...symbolic import gaussian as G
    _, derived = G.two_by_two_system(learn_mu2=True)
    nonzero = sum(sp.simplify(a - b) != 0 for a, b in zip(derived, G.two_by_two_printed()))
    return Measurement(0, nonzero, 0, _SYM + "; (55) is missing from the text and "
                       "reconstructed by the same derivation", "eq")


def svd_finite_difference_rates(dt=1e-6):
    """(ξ̇1, ξ̇2, θ̇_U, θ̇_V, μ̇²) by finite differences of the SVD of W ± dt·Ẇ at the point of
    appendix A.4 (σ_h² = 1.3, μ² = 1, κ = (0.2, 0.45), θ0 = 0.3, θ_U = 0.75, θ_V = −0.4,
    ξ = (0.6, 0.35)): an oracle independent of sympy."""
    def rot(t):
        return np.array([[np.cos(t), -np.sin(t)], [np.sin(t), np.cos(t)]])
    s2, mu2, k, th0, thu, thv, xi = 1.3, 1.0, (0.2, 0.45), 0.3, 0.75, -0.4, (0.6, 0.35)
    W = rot(thu) @ np.diag(xi) @ rot(thv).T
    C = rot(th0) @ np.diag([1 / k[0], 1 / k[1]]) @ rot(th0).T

    def wdot(W):
        return s2 * (C - np.linalg.inv(mu2 * np.eye(2) - s2 * W @ W.T)) @ W

    def params(W):
        U, s, Vt = np.linalg.svd(W)
        if U[0, 0] < 0:
            U, Vt = -U, -Vt
        return s, np.arctan2(U[1, 0], U[0, 0]), np.arctan2(Vt[0, 1], Vt[0, 0])
    (sp_, up, vp), (sm, um, vm) = params(W + dt * wdot(W)), params(W - dt * wdot(W))
    mudot = -0.5 * np.trace(C) + 0.5 * np.trace(np.linalg.inv(mu2 * np.eye(2) - s2 * W @ W.T))
    return np.array([*(sp_ - sm) / (2 * dt), (up - um) / (2 * dt), (vp - vm) / (2 * dt),
                     mudot])


@claim("ch04.two_by_two_numbers", chapter=4,
       title="the derived 2×2 rates equal finite differences of the SVD along Ẇ",
       source="AartsLuciniPark2024 eqs. (53)-(57); theory_checks/check_002_aarts.py")
def _two_num(quick):
    from ...symbolic.gaussian import two_by_two_rhs
    got = two_by_two_rhs(True)([0.6, 0.35, 0.75 - 0.3, -0.4, 1.0], [0.2, 0.45, 1.3])
    want = svd_finite_difference_rates()
    return Measurement(0.0, float(np.max(np.abs(got - want))), 1e-6,
                       "central differences with dt = 1e-6: error O(dt²) + round-off ε/dt "
                       "~ 1e-9", details={"derived": got, "finite_differences": want})


def _fixed_point_cases():
    return [((0.2, 0.4), 1.0, False), ((0.4, 0.2), 1.0, False), ((0.2, 0.7), 0.4, False),
            ((0.7, 0.2), 0.4, False), ((0.2, 0.7), 0.4, True)]


@claim("ch04.fixed_points", chapter=4,
       title="2×2 flows from generic starts reach the fixed points (59)-(62), learnable μ² too",
       source="AartsLuciniPark2024 eqs. (59)-(62), (57)")
def _fp(quick):
    from ... import theory
    from ...symbolic.gaussian import fixed_points
    worst, finals = 0.0, []
    for kappa, mu2, learn in _fixed_point_cases():
        f = theory.two_by_two_flow(kappa, mu2, xi0=(0.3, 0.2), dtheta0=0.6, t_max=60.0,
                                   learn_mu2=learn)
        lam = np.sort([f["lambda1"][-1], f["lambda2"][-1]])
        if learn:     # μ² grows until both modes are learnt: eigenvalues κ
            want_lam, want_dth = np.sort(kappa), 0.0
        else:
            fp = fixed_points(*kappa, mu2)
            want_lam, want_dth = np.array(fp["eigenvalues"]), fp["dtheta"]
        dth = np.mod(f["dtheta"][-1], np.pi)
        worst = _nanmax(worst, float(np.max(np.abs(lam - want_lam))),
                    min(abs(dth - want_dth), abs(dth - want_dth - np.pi)))
        finals.append(lam.tolist())
    return Measurement(0.0, worst, 1e-6, "LSODA with rtol 1e-10 to t = 60, where every "
                       "distance to the fixed point has decayed below e^-20",
                       details={"final_eigenvalues": finals})


@claim("ch04.jacobian", chapter=4,
       title="Jacobian eigenvalues at κ=(0.2,0.4), μ²=1: (−2γ₁, −γ_Δθ, −2γ₂, 0) = (−40, −17.5, −7.5, 0)",
       source="AartsLuciniPark2024 eqs. (63)-(67); the text's 'min(γ_i, γ_Δθ)' drops a 2")
def _jac(quick):
    from ...symbolic.gaussian import jacobian_eigenvalues
    got = np.array(jacobian_eigenvalues(0.2, 0.4, 1.0))
    want = np.array([-40.0, -17.5, -7.5, 0.0])
    return Measurement(0.0, float(np.max(np.abs(got - want))), 1e-9,
                       "sympy eigenvalues of the derived Jacobian, evaluated in float64",
                       details={"eigenvalues": got})


def fitted_decay_rates(kappa=(0.2, 0.4), mu2=1.0, t_max=0.6):
    """Decay rates fitted (log-linear least squares) to the integrated 2×2 flow near its fixed
    point: λ1 − κ1 and λ2 − κ2 from a start with Δθ = 0 (the singular values alone), and Δθ
    from a start with the singular values at the fixed point (the angle alone)."""
    from ... import theory
    from ...symbolic.gaussian import fixed_points
    fp = fixed_points(*kappa, mu2)
    t_eval = None
    f = theory.two_by_two_flow(kappa, mu2, xi0=(fp["xi"][0] * 1.001, fp["xi"][1] * 0.999),
                               dtheta0=0.0, t_max=t_max, n_points=600)
    g = theory.two_by_two_flow(kappa, mu2, xi0=fp["xi"], dtheta0=1e-4, t_max=t_max,
                               n_points=600)
    rates = []
    for t, y in ((f["t"], np.abs(f["lambda1"] - kappa[0])),
                 (f["t"], np.abs(f["lambda2"] - kappa[1])), (g["t"], np.abs(g["dtheta"]))):
        ok = (y > 1e-9) & (t > 0.02 * t_max)        # above the solver tolerance floor
        rates.append(-np.polyfit(t[ok], np.log(y[ok]), 1)[0])
    return np.array(rates)


@claim("ch04.decay_rates", chapter=4,
       title="decay rates fitted to the integrated flow: λ_i with 2γ_i, Δθ with γ_Δθ",
       source="AartsLuciniPark2024 eqs. (63)-(67) (factor 2 of appendix A.4)")
def _rates(quick):
    from ... import theory
    g1, g2, gd = theory.relaxation_rates(0.2, 0.4, 1.0)
    got = fitted_decay_rates()
    want = np.array([2 * g1, 2 * g2, gd])
    return Measurement(0.0, float(np.max(np.abs(got / want - 1))), 0.02,
                       "log-linear fits over the linear regime (distances 1e-3 to 1e-9); 2 % "
                       "covers the curvature of the nonlinear start; the text's rate without "
                       "the factor 2 misses by 50 %", details={"fitted": got, "closed": want})


@claim("ch04.delta_theta", chapter=4,
       title="Δθ(t) of the integrated flow (one mode) equals tan Δθ(0) e^{σ_h²(1/κ₂ − 1/κ₁)t}",
       source="AartsLuciniPark2024 eqs. (69), (72)-(74)")
def _dth(quick):
    from ... import theory
    worst = 0.0
    for kappa in ((0.2, 0.7), (0.7, 0.2)):
        f = theory.two_by_two_flow(kappa, 0.4, xi0=(0.4, 0.0), dtheta0=0.6, t_max=3.0)
        closed = np.arctan(np.tan(0.6) * np.exp((1 / kappa[1] - 1 / kappa[0]) * f["t"]))
        closed = np.where(closed < 0, closed + np.pi, closed)
        worst = _nanmax(worst, float(np.max(np.abs(f["dtheta"] - closed))))
    return Measurement(0.0, worst, 1e-7, "ODE tolerance rtol 1e-10, atol 1e-12 over t ≤ 3")


def pcd_replicas(quick):
    """Final RBM kernels μ² − σ_h²WWᵀ of independent PCD runs (TargetPCD, 128 chains, 1D
    lattice N = 6, m² = 4, μ² = 12 > κ_max = 8, learning-rate decay (A2)) and the target K_φ,
    the ODE's fixed point when every mode is learnt."""
    import rbmphys as rp
    from ..experiments.aarts import pcd_run
    n = 8 if quick else 12          # 4 runs left the SE itself too noisy (t with 3 dof)
    epochs = 4000 if quick else 8000
    finals = np.array([pcd_run((6,), 4.0, 12.0, None, epochs, 0.05, (0.95, 400), "random",
                               0.3, False, 128, epochs, SEED + s)["model"].precision()
                       for s in range(n)])
    return finals, rp.datasets.lattice_kernel((6,), 4.0)


@claim("ch04.pcd_vs_ode", chapter=4,
       title="stochastic PCD training ends at the ODE's fixed point K = K_φ within MC error",
       source="AartsLuciniPark2024 App. A (PCD, 128 chains) and eqs. (80)-(81)")
def _pcd(quick):
    finals, want = pcd_replicas(quick)
    iu = np.triu_indices(want.shape[0])
    x = finals[:, iu[0], iu[1]]
    mean = x.mean(0)
    se = x.std(0, ddof=1) / np.sqrt(len(x))
    z = np.abs(mean - want[iu]) / np.maximum(se, 1e-12)
    return Measurement(0.0, float(z.max()), 4.5, "max over the 21 entries of the kernel of "
                       f"|mean of {len(x)} independent runs − K_φ| in standard errors across the "
                       "runs (entries, not sorted eigenvalues: sorting a noisy degenerate pair "
                       "biases it)", "le", {"max_abs_error": float(np.abs(mean - want[iu]).max())},
                       stderr=float(se.max()), max_stderr=0.05)


@claim("ch04.infrared_first", chapter=4,
       title="infrared modes (small κ) are learnt first: convergence times increase with κ",
       source="AartsLuciniPark2024 Sec. V, Fig. 6; rates γ = (μ² − κ)/κ² of (67)")
def _ir(quick):
    from ... import theory
    from ..experiments.aarts import decay_time
    import rbmphys as rp
    kappa = np.sort(rp.datasets.lattice_spectrum((10,), 4.0))
    uniq = np.unique(np.round(kappa, 9))
    t = np.concatenate([[0], np.geomspace(1e-3, 2000, 400)])
    _, lam = theory.mode_flow(uniq, 9.0, xi0=0.05, t_eval=t)
    times = np.array([decay_time(t, lam[:, i], uniq[i]) for i in range(len(uniq))])
    inversions = int(np.sum(np.diff(times) <= 0))
    return Measurement(0, inversions, 0, "times to come within 5 % of the target, mode by "
                       "mode (the decoupled flow (80)); a count of out-of-order pairs", "eq",
                       {"kappa": uniq, "times": times})
