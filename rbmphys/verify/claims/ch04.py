"""Chapter 4 claims: learning dynamics of the scalar-field RBM in closed form.

sympy derives the equations (:mod:`rbmphys.symbolic.gaussian`); these claims check the
derivations against the paper's printed formulas and against finite differences, integrate them
(:mod:`rbmphys.theory`) and compare with their closed-form fixed points, rates and Δθ(t), and
compare stochastic PCD training with the ODE.  Sources: Aarts, Lucini, Park eqs. (26)-(74).
"""

from __future__ import annotations

import numpy as np

import rbmphys as rp

from ...exact import central_differences
from .._registry import Measurement, claim, nanmax as _nanmax, t_bound, worst_over

SEED = 404
_SYM = "exact symbolic identity: simplify(derived − printed) == 0 for every entry"


@claim("ch04.flow_derivation",
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
    """max |library gradient − central finite differences of the exact Gaussian
    log-likelihood|: (i) η = 0 and the flow (26)-(27) (:func:`rbmphys.theory.flow_rhs`) for
    W and μ²; (ii) η ≠ 0 and data of non-zero mean, the positive minus the negative phase
    (``moment_statistics`` − ``model_statistics``) for W, η and μ²."""
    g = np.random.default_rng(seed)
    W = g.normal(0, 0.4, (n_visible, n_hidden))
    data = g.normal(size=(50, n_visible)) @ g.normal(0, 0.5, (n_visible, n_visible)) + 0.3
    C = data.T @ data / len(data)

    def error(eta):
        m = rp.GaussianRBM(W, mu2, sigma_h2, eta=eta, learn_mu2=True)
        if eta is None:
            want = rp.theory.flow_rhs(m, C)
            names = ("W", "mu2")
        else:
            pos = m.moment_statistics(data.mean(0), C)
            neg = m.model_statistics()
            want = {k: pos[k] - neg[k] for k in pos}
            names = ("W", "eta", "mu2")
        return tuple(np.abs(central_differences(lambda: m.log_likelihood(data), m.params[name], h)
                            - want[name]) for name in names)
    return worst_over((None, g.normal(0, 0.6, n_hidden)), error)[0]


@claim("ch04.flow_fd",
       title="the flow (26)-(27) is the gradient of the library's exact log-likelihood",
       source="AartsLuciniPark2024 eqs. (26), (27)")
def _fd(quick):
    return Measurement(0.0, flow_fd_error(), 1e-7, "central differences, h = 1e-6: "
                       "truncation O(h²) ~ 1e-11, round-off ~ ε|L|/h ~ 1e-9 (σ_h² = 0.7, "
                       "η = 0 for the flow, η ≠ 0 and data of non-zero mean for the phases)")


@claim("ch04.svd_basis",
       title="in the SVD basis K = U D_K Uᵀ and Ẇ = σ_h² U Λ Ξ Vᵀ, Λ = UᵀK_φ⁻¹U − D_K⁻¹",
       source="AartsLuciniPark2024 eqs. (33), (36), (37)")
def _svd(quick):
    from ...symbolic import gaussian as G
    a, b = G.svd_basis_identity()
    return Measurement(0, sum(e != 0 for e in a) + sum(e != 0 for e in b), 0, _SYM, "eq")


@claim("ch04.two_by_two_equations",
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
    """(ξ̇1, ξ̇2, θ̇_U, θ̇_V, μ̇²) by finite differences of the SVD of W ± dt·Ẇ, with Ẇ and μ̇²
    from :func:`rbmphys.theory.flow_rhs`, at the point (σ_h² = 1.3, μ² = 1, κ = (0.2, 0.45), θ0 = 0.3, θ_U = 0.75, θ_V = −0.4,
    ξ = (0.6, 0.35)): an oracle independent of sympy."""
    def rot(t):
        return np.array([[np.cos(t), -np.sin(t)], [np.sin(t), np.cos(t)]])
    s2, mu2, k, th0, thu, thv, xi = 1.3, 1.0, (0.2, 0.45), 0.3, 0.75, -0.4, (0.6, 0.35)
    W = rot(thu) @ np.diag(xi) @ rot(thv).T
    C = rot(th0) @ np.diag([1 / k[0], 1 / k[1]]) @ rot(th0).T

    from ...models import GaussianRBM
    from ...theory import flow_rhs

    def wdot(W):                                # the library's flow (26) at W
        return flow_rhs(GaussianRBM(W, mu2, s2), C)["W"]

    def params(W):
        U, s, Vt = np.linalg.svd(W)
        if U[0, 0] < 0:
            U, Vt = -U, -Vt
        return s, np.arctan2(U[1, 0], U[0, 0]), np.arctan2(Vt[0, 1], Vt[0, 0])
    (sp_, up, vp), (sm, um, vm) = params(W + dt * wdot(W)), params(W - dt * wdot(W))
    mudot = float(flow_rhs(GaussianRBM(W, mu2, s2, learn_mu2=True), C)["mu2"])      # (27)
    return np.array([*(sp_ - sm) / (2 * dt), (up - um) / (2 * dt), (vp - vm) / (2 * dt),
                     mudot])


@claim("ch04.two_by_two_numbers",
       title="the derived 2×2 rates equal finite differences of the SVD along Ẇ",
       source="AartsLuciniPark2024 eqs. (53)-(57)")
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


@claim("ch04.fixed_points",
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


@claim("ch04.jacobian",
       title="Jacobian eigenvalues at κ=(0.2,0.4), μ²=1: (−2γ₁, −γ_Δθ, −2γ₂, 0) = (−40, −17.5, −7.5, 0)",
       source="AartsLuciniPark2024 eqs. (63)-(67); the text's 'min(γ_i, γ_Δθ)' drops a 2")
def _jac(quick):
    from ...symbolic.gaussian import jacobian_eigenvalues
    got = np.array(jacobian_eigenvalues(0.2, 0.4, 1.0))
    want = np.array([-40.0, -17.5, -7.5, 0.0])
    return Measurement(0.0, float(np.max(np.abs(got - want))), 1e-9,
                       "sympy eigenvalues of the derived Jacobian, evaluated in float64",
                       details={"eigenvalues": got})


def fitted_decay_rates(kappa=(0.2, 0.4), mu2=1.0, t_max=0.6, sigma_h2=1.0):
    """Decay rates fitted (log-linear least squares) to the integrated 2×2 flow near its fixed
    point: λ1 − κ1 and λ2 − κ2 from a start with Δθ = 0 (the singular values alone), and Δθ
    from a start with the singular values at the fixed point (the angle alone)."""
    from ... import theory
    from ...symbolic.gaussian import fixed_points
    fp = fixed_points(*kappa, mu2, sigma_h2)
    f = theory.two_by_two_flow(kappa, mu2, sigma_h2, xi0=(fp["xi"][0] * 1.001,
                                                         fp["xi"][1] * 0.999),
                               dtheta0=0.0, t_max=t_max, n_points=600)
    g = theory.two_by_two_flow(kappa, mu2, sigma_h2, xi0=fp["xi"], dtheta0=1e-4, t_max=t_max,
                               n_points=600)
    rates = []
    for t, y in ((f["t"], np.abs(f["lambda1"] - kappa[0])),
                 (f["t"], np.abs(f["lambda2"] - kappa[1])), (g["t"], np.abs(g["dtheta"]))):
        ok = (y > 1e-9) & (t > 0.02 * t_max)        # above the solver tolerance floor
        rates.append(-np.polyfit(t[ok], np.log(y[ok]), 1)[0])
    return np.array(rates)


#: (κ1, κ2, μ², σ_h², t_max) of the rate claims: the paper's point and a generic one
_RATE_POINTS = ((0.2, 0.4, 1.0, 1.0, 0.6), (0.3, 0.5, 1.2, 1.4, 0.9))


@claim("ch04.decay_rates",
       title="decay rates fitted to the integrated flow: λ_i with 2σ_h²γ_i, Δθ with σ_h²γ_Δθ",
       source="AartsLuciniPark2024 eqs. (63)-(67) (with the factor 2 the text drops)")
def _rates(quick):
    from ... import theory
    worst, out = 0.0, []
    for k1, k2, mu2, s2, t_max in _RATE_POINTS:
        g1, g2, gd = theory.relaxation_rates(k1, k2, mu2)
        got = fitted_decay_rates((k1, k2), mu2, t_max, s2)
        want = s2 * np.array([2 * g1, 2 * g2, gd])
        worst = _nanmax(worst, float(np.max(np.abs(got / want - 1))))
        out.append((got, want))
    return Measurement(0.0, worst, 0.02,
                       "log-linear fits over the linear regime (distances 1e-3 to 1e-9); 2 % "
                       "covers the curvature of the nonlinear start; the text's rate without "
                       "the factor 2 misses by 50 %, a lost σ_h² = 1.4 by 29 %",
                       details={"fitted_vs_closed": out})


@claim("ch04.rates_closed_form",
       title="the closed-form rates (67) times σ_h² are the eigenvalues of sympy's Jacobian of "
             "the derived 2×2 flow, at generic (κ, μ², σ_h²)",
       source="AartsLuciniPark2024 eqs. (63)-(67)")
def _rates_closed(quick):
    from ... import theory
    from ...symbolic.gaussian import jacobian_eigenvalues
    worst = 0.0
    for k1, k2, mu2, s2 in ((0.3, 0.5, 1.2, 1.4), (0.6, 0.9, 2.1, 0.55)):
        g1, g2, gd = theory.relaxation_rates(k1, k2, mu2)
        want = np.sort(np.array([-2 * g1, -2 * g2, -gd, 0.0]) * s2)
        got = np.array(jacobian_eigenvalues(k1, k2, mu2, s2))
        worst = _nanmax(worst, float(np.max(np.abs(got - want) / np.maximum(1, np.abs(want)))))
    return Measurement(0.0, worst, 1e-9, "sympy eigenvalues (exact rationals) in float64 "
                       "against the closed form; relative")


@claim("ch04.delta_theta",
       title="Δθ(t) of the integrated flow (one mode) equals tan Δθ(0) e^{σ_h²(1/κ₂ − 1/κ₁)t}, "
             "σ_h² ≠ 1",
       source="AartsLuciniPark2024 eqs. (69), (72)-(74)")
def _dth(quick):
    from ... import theory
    from ...symbolic import to_numeric
    from ...symbolic.gaussian import delta_theta_closed_form, two_by_two_symbols
    expr, t, d0 = delta_theta_closed_form()
    sy = two_by_two_symbols()
    closed_fn = to_numeric(expr, [t], [d0, sy["kappa1"], sy["kappa2"], sy["sigma_h2"]],
                           name="delta_theta")
    worst = 0.0
    for kappa, s2 in (((0.2, 0.7), 0.6), ((0.7, 0.2), 1.7)):
        f = theory.two_by_two_flow(kappa, 0.4, s2, xi0=(0.4, 0.0), dtheta0=0.6, t_max=3.0)
        closed = np.array([closed_fn([ti], [0.6, kappa[0], kappa[1], s2]) for ti in f["t"]])
        closed = np.where(closed < 0, closed + np.pi, closed)
        worst = _nanmax(worst, float(np.max(np.abs(f["dtheta"] - closed))))
    return Measurement(0.0, worst, 1e-7, "ODE tolerance rtol 1e-10, atol 1e-12 over t ≤ 3")


@claim("ch04.fixed_points_generic",
       title="σ_h² ≠ 1: 2×2 flows end at the singular values ξ_i = √((μ² − κ_i)/σ_h²) of (59)-(62)",
       source="AartsLuciniPark2024 eqs. (59)-(62)")
def _fp_generic(quick):
    from ... import theory
    from ...symbolic.gaussian import fixed_points
    worst = 0.0
    for kappa, mu2, s2 in (((0.3, 0.5), 1.1, 0.6), ((0.5, 0.3), 0.9, 1.8)):
        fp = fixed_points(*kappa, mu2, s2)
        f = theory.two_by_two_flow(kappa, mu2, s2, xi0=(0.3, 0.2), dtheta0=0.6, t_max=60.0)
        dth = np.mod(f["dtheta"][-1], np.pi)
        worst = _nanmax(worst, abs(f["xi1"][-1] - fp["xi"][0]), abs(f["xi2"][-1] - fp["xi"][1]),
                        min(abs(dth - fp["dtheta"]), abs(dth - fp["dtheta"] - np.pi)))
    return Measurement(0.0, worst, 1e-6, "LSODA rtol 1e-10 to t = 60 (slowest rate ≥ 1: "
                       "converged to e^-60)")


def _generic_flow_problem(seed):
    """A 3×2 learning problem at generic parameters: couplings, a data correlation with
    eigenvalues near 1, μ² (learnt), σ_h²."""
    g = np.random.default_rng(seed)
    A = g.normal(size=(3, 3))
    C = A @ A.T / 6 + 0.4 * np.eye(3)
    W0 = g.normal(0.0, 0.3, (3, 2))
    return W0, C


@claim("ch04.flow_sympy_numeric",
       title="the library's flow (26)-(27) = sympy's derivative of the log-likelihood, "
             "V = 3, H = 2, σ_h² ≠ 1, at random points",
       source="AartsLuciniPark2024 eqs. (26), (27)")
def _flow_sym(quick):
    from ...symbolic.gaussian import flow_derivation_rhs
    f = flow_derivation_rhs(3, 2)
    worst = 0.0
    for k, (mu2, s2) in enumerate(((2.5, 0.7), (4.0, 1.6))):
        W, C = _generic_flow_problem(SEED + k)
        m = rp.GaussianRBM(W, mu2, s2, learn_mu2=True)
        d = rp.theory.flow_rhs(m, C)
        sym = f(W.ravel(), C[np.triu_indices(3)], [mu2, s2])
        worst = _nanmax(worst, float(np.max(np.abs(sym[:-1] - d["W"].ravel()))),
                        abs(sym[-1] - float(d["mu2"])))
    return Measurement(0.0, worst, 1e-12, "identity: float64 round-off (entries of order 1)")


@claim("ch04.flow_trajectory",
       title="the library's learning flow along its trajectory = a high-accuracy solve of the "
             "sympy-derived ODE, W(t) and μ²(t) at finite times (σ_h² ≠ 1, μ² learnt)",
       source="AartsLuciniPark2024 eqs. (26), (27), Figs. 6-7")
def _flow_traj(quick):
    from scipy.integrate import solve_ivp
    from ...symbolic.gaussian import flow_derivation_rhs
    f = flow_derivation_rhs(3, 2)
    t_eval = np.array([0.0, 0.2, 0.7, 2.0, 6.0])
    worst, moved = 0.0, 0.0
    for k, (mu2, s2) in enumerate(((2.5, 0.7), (4.0, 1.6))):
        W0, C = _generic_flow_problem(SEED + k)
        cu = C[np.triu_indices(3)]
        ref = solve_ivp(lambda t, y: f(y[:-1], cu, [y[-1], s2]), (0, t_eval[-1]),
                        np.append(W0.ravel(), mu2), method="DOP853", t_eval=t_eval,
                        rtol=1e-12, atol=1e-14)
        r = rp.theory.gaussian_flow(data_correlation=C, n_hidden=2, mu2=mu2, sigma_h2=s2,
                                    init=W0, t_eval=t_eval, learn_mu2=True, keep_W=True,
                                    rtol=1e-10, atol=1e-12)
        got = np.hstack([r.Ws.reshape(len(t_eval), -1), r.mu2[:, None]])
        worst = _nanmax(worst, float(np.max(np.abs(got - ref.y.T))))
        moved = max(moved, float(np.max(np.abs(ref.y[:, -1] - ref.y[:, 0]))))
    return Measurement(0.0, worst, 1e-6, "LSODA at rtol 1e-10 against DOP853 at rtol 1e-12; "
                       f"the state moves by {moved:.2f} over t ≤ 6, so a flow at the wrong "
                       "speed misses by O(0.1)", details={"max_change": moved})


def _phase_model():
    g = np.random.default_rng(SEED + 7)
    W = g.normal(0.0, 0.35, (5, 3))
    s2 = 0.6
    m = rp_gaussian(W, 1.3 * s2 * np.linalg.norm(W, 2) ** 2 + 0.7, s2, g.normal(0, 0.6, 3))
    return m, g


def rp_gaussian(W, mu2, s2, eta):
    from ...models import GaussianRBM
    return GaussianRBM(W, mu2, s2, eta=eta, learn_mu2=True)


def _phase_fd_error(m, fun, stats, h=1e-6):
    """max over θ = W, η, μ² of |∂fun/∂θ by central differences (step h) − stats[θ]|."""
    return max(float(np.max(np.abs(central_differences(fun, m.params[k], h) - stats[k])))
               for k in ("W", "eta", "mu2"))


@claim("ch04.negative_phase_fd",
       title="exact model averages ⟨−∂F/∂θ⟩ = ∂ ln Z/∂θ (finite differences) for W, η, μ², "
             "η ≠ 0, σ_h² ≠ 1, V ≠ H",
       source="AartsLuciniPark2024 eqs. (9), (26), (27)")
def _neg_fd(quick):
    m, _ = _phase_model()
    st = m.model_statistics()
    worst = _phase_fd_error(m, m.log_partition, st)
    return Measurement(0.0, worst, 1e-7, "central differences, h = 1e-6: truncation ~1e-11, "
                       "round-off ~ ε|ln Z|/h ~ 1e-9")


@claim("ch04.positive_phase_fd",
       title="data averages of −∂F/∂θ from the mean and second moment alone = finite "
             "differences of the free energy averaged over the data",
       source="AartsLuciniPark2024 App. A (positive phase from the correlation matrix)")
def _pos_fd(quick):
    m, g = _phase_model()
    X = g.normal(0.4, 1.0, (30, m.n_visible))
    st = m.moment_statistics(X.mean(0), X.T @ X / len(X))
    worst = _phase_fd_error(m, lambda: -np.mean(m.free_energy(X)), st)
    return Measurement(0.0, worst, 1e-7, "central differences, h = 1e-6: truncation ~1e-11, "
                       "round-off ~ ε|F|/h ~ 1e-9")


def pcd_replicas(quick):
    """Final RBM kernels μ² − σ_h²WWᵀ of independent PCD runs (TargetPCD, 128 chains, 1D
    lattice N = 6, m² = 4, μ² = 12 > κ_max = 8, learning-rate decay (A2)) and the target K_φ,
    the ODE's fixed point when every mode is learnt."""
    from ...experiments.aarts import pcd_run
    n = 8 if quick else 12          # 4 runs left the SE itself too noisy (t with 3 dof)
    epochs = 4000 if quick else 8000
    finals = np.array([pcd_run(shape=(6,), m2=4.0, mu2=12.0, epochs=epochs, lr=0.05,
                               decay=(0.95, 400), weight_scale=0.3, record_every=epochs,
                               seed=SEED + s)["model"].precision()
                       for s in range(n)])
    return finals, rp.datasets.lattice_kernel((6,), 4.0)


@claim("ch04.pcd_vs_ode",
       title="stochastic PCD training ends at the ODE's fixed point K = K_φ within MC error",
       source="AartsLuciniPark2024 App. A (PCD, 128 chains) and eqs. (80)-(81)")
def _pcd(quick):
    finals, want = pcd_replicas(quick)
    iu = np.triu_indices(want.shape[0])
    x = finals[:, iu[0], iu[1]]
    mean = x.mean(0)
    se = x.std(0, ddof=1) / np.sqrt(len(x))
    z = np.abs(mean - want[iu]) / np.maximum(se, 1e-12)
    # the SE is estimated from the same n runs, so z is Student-t with n − 1 degrees of
    # freedom (a Gaussian 4.5 was exceeded by chance in 2 % (n = 12) to 6 % (n = 8) of runs)
    m, n = len(z), len(x)
    crit = t_bound(n, m)
    return Measurement(0.0, float(z.max()), crit, f"max over the {m} entries of the kernel of "
                       f"|mean of {n} independent runs − K_φ| in standard errors across the "
                       "runs (entries, not sorted eigenvalues: sorting a noisy degenerate pair "
                       f"biases it); bound: the Student-t quantile ({n - 1} degrees of freedom) "
                       f"at a family-wise false-alarm rate of 1e-3 over the {m} entries; Gaussian "
                       "chains sampled at β = 0.9 (a 10 % error) give 22 SE in the quick run",
                       "le", {"max_abs_error": float(np.abs(mean - want[iu]).max())},
                       stderr=float(se.max()), max_stderr=0.05)


def mode_convergence_times(kappa, mu2, sigma_h2, xi0=0.05, frac=0.05, t_max=4000.0):
    """Times at which each learnt mode of the numerically integrated mode flow (80)
    (:func:`rbmphys.theory.mode_flow`) comes within ``frac`` of its initial distance to κ:
    bracketed on a geometric grid, refined on 400 sub-steps of the bracket and read off by
    linear interpolation of ln|λ − κ|.  Returns ``(times, lam0, interpolation_bound)``, the
    last the a-priori relative error h²/8·max|f''|/min|f'|/t of the interpolation."""
    from ... import theory
    kappa = np.asarray(kappa, dtype=np.float64)
    lam0 = mu2 - sigma_h2 * xi0 ** 2
    t = np.concatenate([[0.0], np.geomspace(1e-3, t_max, 400)])
    _, lam = theory.mode_flow(kappa, mu2, sigma_h2, xi0=xi0, t_eval=t)
    times, bound = [], 0.0
    for i, k in enumerate(kappa):
        d = np.abs(lam[:, i] - k) / abs(lam0 - k)
        far = np.flatnonzero(d > frac)
        if len(far) == 0 or far[-1] + 1 >= len(t):
            times.append(np.nan)                        # never (or immediately) converged
            continue
        j = int(far[-1])
        tf = np.linspace(t[j], t[j + 1], 401)
        _, lf = theory.mode_flow(kappa[i:i + 1], mu2, sigma_h2, xi0=xi0, t_eval=tf)
        f = np.log(np.abs(lf[:, 0] - k) / abs(lam0 - k))
        m = int(np.flatnonzero(f > np.log(frac))[-1])
        ts = tf[m] + (np.log(frac) - f[m]) * (tf[m + 1] - tf[m]) / (f[m + 1] - f[m])
        h = tf[1] - tf[0]
        bound = max(bound, h * h / 8 * np.abs(np.diff(f, 2)).max() / h ** 2
                    / (np.abs(np.diff(f)).min() / h) / ts)
        times.append(float(ts))
    return np.array(times), lam0, float(bound)


@claim("ch04.infrared_first",
       title="infrared modes (small κ) are learnt first: the convergence time of each mode of "
             "the integrated flow equals the closed-form t(λ), and it increases with κ",
       source="AartsLuciniPark2024 Sec. V, Fig. 6, eq. (80); rates γ = (μ² − κ)/κ² of (67)")
def _ir(quick):
    from ... import theory
    frac = 0.05
    kappa = np.unique(np.round(rp.datasets.lattice_spectrum((10,), 4.0), 9))   # 4 ... 8
    worst, inversions, rows, bound = 0.0, 0, {}, 0.0
    for mu2, s2 in ((9.0, 0.7), (8.6, 1.9)):          # every mode learnt (κ < μ²), σ_h² ≠ 1
        times, lam0, b = mode_convergence_times(kappa, mu2, s2, frac=frac)
        want = theory.mode_flow_time(kappa + frac * (lam0 - kappa), lam0, kappa, mu2, s2)
        worst = _nanmax(worst, np.abs(times / want - 1))
        inversions += int(np.sum(~(np.diff(times) > 0)))
        bound = max(bound, b)
        rows[f"mu2={mu2}, s2={s2}"] = {"numeric": times, "closed form": want}
    # an out-of-order pair of the numeric times counts as an infinite error
    measured = worst if inversions == 0 else np.inf
    return Measurement(0.0, measured, 1e-6, "largest relative difference of the time at which "
                       "each mode of the BDF-integrated flow (80) comes within 5 % of κ (10-site "
                       "lattice, m² = 4, six distinct κ, ξ₀ = 0.05; μ², σ_h² = 9, 0.7 and 8.6, "
                       "1.9) from the closed-form t(λ) (mode_flow_time); any κ-ordering "
                       "violation counts as ∞. BDF rtol 1e-9 on ξ² gives δλ ~ 1e-9·λ, a time "
                       "error δλ/|λ̇| ≲ 1e-7·t at 5 % of the distance; linear interpolation of "
                       "ln|λ − κ| on 400 sub-steps adds ≤ the bound in details (~1e-9); a lost "
                       "σ_h² or a 1 % error in κ moves the times by ≳ 1e-2", "abs",
                       {"interpolation bound": bound, "inversions": inversions, **rows})


def fused_phase_error(h=1e-6, seed=SEED):
    """max |fused phase increments − finite differences of the exact log-likelihood| for
    Gaussian-unit models at σ² ≠ 1: the scalar-field RBM with learnable μ² and hidden bias
    (σ_h² = 0.7), a ±1-visible RBM with Gaussian hidden units (σ_h² = 0.5) and a Gaussian–
    Bernoulli RBM (μ² = 3).  The increments of :meth:`~rbmphys.RBM.phase_increments` with
    positive rows D₁ and negative rows D₂ are ∂/∂θ [L(D₁) − L(D₂)]: ln Z cancels, so central
    differences of :func:`rbmphys.exact.log_likelihood` (which never calls the fused passes)
    give the expected side."""
    g = np.random.default_rng(seed)
    models = [
        rp.GaussianRBM(g.normal(0, 0.4, (5, 3)), 4.0, 0.7, eta=g.normal(0, 0.5, 3),
                       learn_mu2=True),
        rp.RBM(g.normal(0, 0.3, (6, 4)), a=g.normal(0, 0.2, 6), b=g.normal(0, 0.2, 4),
               visible=rp.units.Spin(), hidden=rp.units.Gaussian(0.5)),
        rp.GaussianBernoulliRBM(g.normal(0, 0.3, (4, 3)), mu2=3.0, a=g.normal(0, 0.2, 4),
                                b=g.normal(0, 0.2, 3)),
    ]

    def error(m):
        if m.visible.discrete:
            d1 = np.where(g.random((7, m.n_visible)) < 0.7, 1.0, -1.0)
            d2 = np.where(g.random((9, m.n_visible)) < 0.4, 1.0, -1.0)
        else:
            d1 = g.normal(size=(7, m.n_visible)) + 0.3
            d2 = 0.8 * g.normal(size=(9, m.n_visible))
        X = np.ascontiguousarray(np.vstack([d1, d2]))
        inc = m.phase_increments(X, len(d1), 1.0)
        fd = lambda d, name: rp.exact.finite_difference_gradient(m, d, name, h)   # noqa: E731
        return tuple(np.abs(np.asarray(inc[name]) - (fd(d1, name) - fd(d2, name)))
                     for name in inc)
    return worst_over(models, error)[0]


@claim("ch04.fused_phases_fd",
       title="the fused phase increments PCD applies are ∂(L(D₁) − L(D₂))/∂θ for Gaussian units",
       source="AartsLuciniPark2024 eqs. (26), (27); ToledoMarin2025 eqs. (6a-c)")
def _fused(quick):
    return Measurement(0.0, fused_phase_error(), 1e-7, "central differences, h = 1e-6: "
                       "truncation O(h²) ~ 1e-11, round-off ~ ε|L|/h ~ 1e-9; σ_h² = 0.7 and 0.5, "
                       "μ² = 4 and 3, non-zero biases, V ≠ H")
