r"""Learning dynamics of the scalar-field RBM, derived with sympy (Aarts, Lucini, Park).

Everything here is *derived*, not typed in: each function builds the expressions from the
Gaussian log-likelihood with sympy, and the tests compare them with the paper's printed
formulas (``simplify(a - b) == 0``) and with finite differences.

**The flow (26)-(27).**  For data with correlation matrix :math:`C = K_\phi^{-1}` the mean
log-likelihood of the scalar-field RBM is, up to a constant,

.. math::

    \mathcal L = -\tfrac12\operatorname{tr}(KC) + \tfrac12\ln\det K,\qquad
    K = \mu^2\mathbb 1 - \sigma_h^2 WW^T ,

and gradient ascent in continuous learning time gives

.. math::

    \dot W = \sigma_h^2\,[K_\phi^{-1} - K^{-1}]\,W,\qquad
    \dot{\mu^2} = -\tfrac12\operatorname{tr}K_\phi^{-1} + \tfrac12\operatorname{tr}K^{-1}
    \qquad\text{(Eqs. (26), (27))}.

:func:`flow_derivation` differentiates :math:`\mathcal L` entry by entry for explicit small
matrices of symbols and returns the derived and the printed right-hand sides.

**The 2×2 system (52)-(58).**  With :math:`W = R(\theta_U)\,\mathrm{diag}(\xi_1,\xi_2)\,
R(\theta_V)^T` and a target kernel :math:`K_\phi = R(\theta_0)\,\mathrm{diag}(\kappa_1,\kappa_2)\,
R(\theta_0)^T`, differentiating the singular-value decomposition along :math:`\dot W` gives
:math:`\dot\xi_i`, :math:`\dot\theta_U`, :math:`\dot\theta_V` in closed form
(:func:`two_by_two_system`).  The angle difference :math:`\Delta\theta = \theta_U - \theta_0`
obeys

.. math::

    \dot{\Delta\theta} = \sigma_h^2\,\frac{\xi_1^2 + \xi_2^2}{\xi_1^2 - \xi_2^2}\,\rho,\qquad
    \dot\theta_V = 2\sigma_h^2\,\frac{\xi_1\xi_2}{\xi_1^2 - \xi_2^2}\,\rho,\qquad
    \rho = \Big(\frac1{\kappa_2} - \frac1{\kappa_1}\Big)\cos\Delta\theta\sin\Delta\theta .

The first of these is Eq. (55), which the paper states without its derivation: it follows
here (and in the book's appendix A.4) from the steps that yield the printed (56), and is
checked against finite differences of the SVD of :math:`W \pm dt\,\dot W` (the ledger's ``ch04.two_by_two_numbers``)
and by the tests.  It reduces to (69) for :math:`\xi_2 = 0`.

**Fixed points and rates (59)-(67).**  At :math:`\Delta\theta = 0` (for
:math:`\kappa_1 < \kappa_2`) and :math:`\sigma_h^2\xi_i^2 = \mu^2 - \kappa_i` the Jacobian of
the 2×2 flow in :math:`(\xi_1, \xi_2, \Delta\theta, \theta_V)` has the eigenvalues

.. math::

    (-2\gamma_1,\ -\gamma_{\Delta\theta},\ -2\gamma_2,\ 0)\,\sigma_h^2,\qquad
    \gamma_i = \frac{\mu^2 - \kappa_i}{\kappa_i^2},\qquad
    \gamma_{\Delta\theta} = \frac{\kappa_1}{\kappa_2}\gamma_1 + \frac{\kappa_2}{\kappa_1}\gamma_2 .

The singular values relax with *twice* :math:`\gamma_i` and :math:`\Delta\theta` with
:math:`\gamma_{\Delta\theta}`; the paper's sentence "decay with min(γ_i, γ_Δθ)" drops that
factor 2 (the book's appendix A.4: the Jacobian of the full matrix flow at κ = (0.2, 0.4), μ² = 1 has
eigenvalues −40, −17.5, −7.5, 0).  :func:`jacobian_eigenvalues` derives them.

**Δθ(t) (69), (72)-(74).**  With one singular value (:math:`\xi_2 = 0`),
:math:`\dot{\Delta\theta} = \sigma_h^2(1/\kappa_2 - 1/\kappa_1)\sin\Delta\theta\cos\Delta\theta`
integrates to :math:`\tan\Delta\theta(t) = \tan\Delta\theta(0)\,
e^{\sigma_h^2(1/\kappa_2 - 1/\kappa_1)t}` (:func:`delta_theta_closed_form`, checked by
``dsolve``-free differentiation in the tests): Δθ → 0 if :math:`\kappa_2 > \kappa_1`, → π/2
otherwise.

**Mode flow (80)-(81).**  In the eigenbasis of :math:`K_\phi` each mode evolves alone,
:math:`\frac{d}{dt}\xi_\alpha^2 = 2\sigma_h^2\big(\frac1{\kappa_\alpha} -
\frac1{\mu^2 - \sigma_h^2\xi_\alpha^2}\big)\xi_\alpha^2`, with the fixed point
:math:`\sigma_h^2\xi_\alpha^2 = \mu^2 - \kappa_\alpha` if :math:`\kappa_\alpha < \mu^2` and
:math:`\xi_\alpha = 0` otherwise: the RBM eigenvalue is :math:`\min(\kappa_\alpha, \mu^2)`.

Introduced in Chapter 4 (and the mode flow in Chapter 5).

References
----------
.. [AartsLuciniPark2024] G. Aarts, B. Lucini, C. Park, Phys. Rev. D 109, 034521 (2024).
"""

from __future__ import annotations

import functools

import sympy as sp

from .numeric import to_numeric, to_ufunc

__all__ = ["gaussian_log_likelihood", "flow_derivation", "flow_derivation_rhs",
           "two_by_two_symbols",
           "svd_basis_identity",
           "two_by_two_system", "two_by_two_printed", "two_by_two_rhs", "fixed_points",
           "jacobian_eigenvalues", "delta_theta_closed_form",
           "mode_flow", "mode_flow_rhs", "mode_log_likelihood", "mode_mu2_term",
           "mode_mu2_rhs"]

mu2, s2 = sp.symbols("mu2 sigma_h2", positive=True)


def _rot(t):
    return sp.Matrix([[sp.cos(t), -sp.sin(t)], [sp.sin(t), sp.cos(t)]])


def gaussian_log_likelihood(n_visible, n_hidden):
    r"""The factory of the symbolic model: ``(L, W, C, mu2, sigma_h2)`` with
    :math:`\mathcal L = -\tfrac12\operatorname{tr}(KC) + \tfrac12\ln\det K` for explicit
    ``n_visible × n_hidden`` couplings ``W`` and a symmetric data correlation ``C``.
    The symbolic determinant limits it to ``n_visible <= 3`` (0.2 s; 4 takes 13 s, 5 over a
    minute) and ``n_hidden <= 6``: larger models use the numeric flow
    (:func:`rbmphys.theory.gaussian_flow`)."""
    from .._validation import check_int
    hint = "the symbolic determinant grows factorially; use rbmphys.theory.gaussian_flow"
    n_visible = check_int(n_visible, "n_visible", 1, 3, hint=hint)
    n_hidden = check_int(n_hidden, "n_hidden", 1, 6, hint=hint)
    W = sp.Matrix(n_visible, n_hidden, lambda i, j: sp.Symbol(f"W_{i}{j}", real=True))
    C = sp.Matrix(n_visible, n_visible,
                  lambda i, j: sp.Symbol(f"C_{min(i, j)}{max(i, j)}", real=True))
    K = mu2 * sp.eye(n_visible) - s2 * W * W.T
    L = -sp.Rational(1, 2) * (K * C).trace() + sp.Rational(1, 2) * sp.log(K.det())
    return L, W, C, mu2, s2


@functools.lru_cache(maxsize=8)
def flow_derivation(n_visible=2, n_hidden=1):
    r"""Derive (26)-(27) by differentiating :math:`\mathcal L` for explicit matrices.

    Returns a dict: ``"dW"`` (the derived :math:`\partial\mathcal L/\partial W`),
    ``"dW_printed"`` (:math:`\sigma_h^2[C - K^{-1}]W`), ``"dmu2"`` and ``"dmu2_printed"``
    (:math:`-\tfrac12\operatorname{tr}C + \tfrac12\operatorname{tr}K^{-1}`), and the symbols.
    The tests check ``simplify(derived - printed) == 0``.
    """
    L, W, C, m, s = gaussian_log_likelihood(n_visible, n_hidden)
    K = m * sp.eye(n_visible) - s * W * W.T
    Kinv = K.inv()
    dW = W.applyfunc(lambda w: sp.diff(L, w))
    return {"dW": dW, "dW_printed": s * (C - Kinv) * W, "dmu2": sp.diff(L, m),
            "dmu2_printed": -C.trace() / 2 + Kinv.trace() / 2, "W": W, "C": C}


@functools.lru_cache(maxsize=8)
def flow_derivation_rhs(n_visible=2, n_hidden=1):
    r"""The *derived* flow of :func:`flow_derivation` (sympy's :math:`\partial\mathcal L/
    \partial W` and :math:`\partial\mathcal L/\partial\mu^2`, not the printed forms) as a
    numeric function through the one bridge (:func:`rbmphys.symbolic.to_numeric`):
    ``f(W, C_upper, (mu2, sigma_h2))`` with ``W`` row-major (``n_visible·n_hidden`` entries)
    and the upper triangle of the symmetric ``C`` row by row; returns the ``n_visible·n_hidden``
    entries of :math:`\dot W` (row-major) followed by :math:`\dot{\mu^2}`.  An
    implementation of (26)-(27) that shares nothing with :func:`rbmphys.theory.flow_rhs`.
    Introduced in Chapter 4."""
    d = flow_derivation(n_visible, n_hidden)
    W, C = d["W"], d["C"]
    cs = [C[i, j] for i in range(n_visible) for j in range(i, n_visible)]
    expr = sp.Matrix(list(d["dW"]) + [d["dmu2"]])
    return to_numeric(expr, list(W), cs, [mu2, s2], name=f"flow_{n_visible}x{n_hidden}")


def two_by_two_symbols():
    """The symbols of the 2×2 problem: state (ξ1, ξ2, Δθ, θ_V, μ²) and parameters
    (κ1, κ2, σ_h²)."""
    x1, x2 = sp.symbols("xi1 xi2", positive=True)
    dth, thv = sp.symbols("Delta_theta theta_V", real=True)
    k1, k2 = sp.symbols("kappa1 kappa2", positive=True)
    return {"xi1": x1, "xi2": x2, "dtheta": dth, "theta_V": thv, "mu2": mu2,
            "kappa1": k1, "kappa2": k2, "sigma_h2": s2}


def svd_basis_identity():
    r"""The step from (26) to the SVD basis (33), (36)-(37), for 2×2: with
    :math:`W = U\Xi V^T` the kernel :math:`K = \mu^2 - \sigma_h^2WW^T` equals
    :math:`U D_K U^T` with :math:`D_K = \mathrm{diag}(\mu^2 - \sigma_h^2\xi_i^2)` (Eq. (33)),
    hence :math:`K^{-1} = UD_K^{-1}U^T` and
    :math:`\dot W = \sigma_h^2[K_\phi^{-1} - K^{-1}]W = \sigma_h^2U\Lambda\Xi V^T` with
    :math:`\Lambda = U^TK_\phi^{-1}U - D_K^{-1}` (Eqs. (36)-(37)).  Returns the two
    differences ``(K - U D_K U^T, Wdot_26 - Wdot_37)`` with the second written with
    :math:`K^{-1} = UD_K^{-1}U^T`; both simplify to zero (the tests check it)."""
    sy = two_by_two_symbols()
    x1, x2, thu, thv = sp.symbols("xi1 xi2 theta_U theta_V", real=True)
    th0 = sp.Symbol("theta_0", real=True)
    U, V, Xi = _rot(thu), _rot(thv), sp.diag(x1, x2)
    W = U * Xi * V.T
    K = mu2 * sp.eye(2) - s2 * W * W.T
    DK = sp.diag(mu2 - s2 * x1**2, mu2 - s2 * x2**2)
    Kinv = U * DK.inv() * U.T
    Kphi_inv = _rot(th0) * sp.diag(1 / sy["kappa1"], 1 / sy["kappa2"]) * _rot(th0).T
    Lam = U.T * Kphi_inv * U - DK.inv()
    tsimp = lambda e: _reduce_trig(e, (thu, thv, th0))   # noqa: E731
    return ((K - U * DK * U.T).applyfunc(tsimp),
            (s2 * (Kphi_inv - Kinv) * W - s2 * U * Lam * Xi * V.T).applyfunc(tsimp))


def _reduce_trig(expr, angles):
    r"""The numerator of ``expr`` with :math:`\cos a \to c_a`, :math:`\sin a \to s_a`,
    reduced modulo the ideal :math:`(c_a^2 + s_a^2 - 1)_a` (already a Gröbner basis: the leading
    terms :math:`c_a^2` are coprime), so the result is 0 exactly when ``expr`` vanishes
    identically on the circle — the job of ``trigsimp``, ten times faster."""
    rep, ideal, gens = {}, [], []
    for i, a in enumerate(angles):
        c, sn = sp.Symbol(f"_c{i}"), sp.Symbol(f"_s{i}")
        rep[sp.cos(a)], rep[sp.sin(a)] = c, sn
        ideal.append(c**2 + sn**2 - 1)
        gens += [c, sn]
    num = sp.expand(sp.numer(sp.together(sp.expand(expr).xreplace(rep))))
    if num == 0:
        return sp.Integer(0)
    rest = sorted(num.free_symbols - set(gens), key=str)
    return sp.expand(sp.reduced(num, ideal, *gens, *rest)[1])


@functools.lru_cache(maxsize=2)
def two_by_two_system(learn_mu2=True):
    r"""The 2×2 flow in :math:`(\xi_1, \xi_2, \Delta\theta, \theta_V, \mu^2)`, derived.

    In the SVD basis (:func:`svd_basis_identity`) :math:`U^T\dot WV = \sigma_h^2\Lambda\Xi`
    with :math:`\Lambda = U^TK_\phi^{-1}U - D_K^{-1}`.  Differentiating
    :math:`W = U\Xi V^T` gives :math:`U^T\dot WV = \dot\theta_U J\Xi + \dot\Xi -
    \dot\theta_V\Xi J` with :math:`J = \begin{pmatrix}0&-1\\1&0\end{pmatrix}`: the diagonal
    gives :math:`\dot\xi_i`, the off-diagonal entries a linear system for
    :math:`\dot\theta_U, \dot\theta_V`.  Only :math:`\Delta\theta = \theta_U - \theta_0`
    appears (:math:`U^TK_\phi^{-1}U` depends on the two angles through their difference), so
    the target is taken at :math:`\theta_0 = 0`.  :math:`\dot{\mu^2}` is (27) with
    :math:`\operatorname{tr}K^{-1} = \operatorname{tr}D_K^{-1}`.

    Returns ``(state, rhs)``: the list of state symbols and the list of simplified
    right-hand sides (``learn_mu2=False`` fixes :math:`\dot{\mu^2} = 0`).
    """
    sy = two_by_two_symbols()
    x1, x2, dth, thv, k1, k2 = (sy[k] for k in ("xi1", "xi2", "dtheta", "theta_V", "kappa1",
                                               "kappa2"))
    DK = sp.diag(mu2 - s2 * x1**2, mu2 - s2 * x2**2)
    Kphi_inv = sp.diag(1 / k1, 1 / k2)
    mu2_dot = sp.factor(-(Kphi_inv.trace()) / 2 + (DK.inv().trace()) / 2) if learn_mu2 else \
        sp.Integer(0)
    return [x1, x2, dth, thv, mu2], [*_two_by_two_w_flow(), mu2_dot]


@functools.lru_cache(maxsize=1)
def _two_by_two_w_flow():
    """(ξ̇1, ξ̇2, Δθ̇, θ̇_V) of :func:`two_by_two_system`: the same with a learnt or a fixed μ²,
    so derived once for both."""
    sy = two_by_two_symbols()
    x1, x2, dth, k1, k2 = (sy[k] for k in ("xi1", "xi2", "dtheta", "kappa1", "kappa2"))
    U = _rot(dth)
    Xi = sp.diag(x1, x2)
    DK = sp.diag(mu2 - s2 * x1**2, mu2 - s2 * x2**2)
    Kphi_inv = sp.diag(1 / k1, 1 / k2)
    M = (s2 * (U.T * Kphi_inv * U - DK.inv()) * Xi).applyfunc(sp.expand)
    t_u, t_v = sp.symbols("tdot_U tdot_V")
    sol = sp.solve([sp.Eq(M[0, 1], -t_u * x2 + t_v * x1), sp.Eq(M[1, 0], t_u * x1 - t_v * x2)],
                   [t_u, t_v], dict=True)[0]
    xi1_dot = sp.factor(sp.trigsimp(M[0, 0]))
    xi2_dot = sp.factor(sp.trigsimp(M[1, 1]))
    dth_dot = sp.factor(sp.trigsimp(sol[t_u]))
    thv_dot = sp.factor(sp.trigsimp(sol[t_v]))
    return xi1_dot, xi2_dot, dth_dot, thv_dot


def two_by_two_printed():
    r"""The paper's 2×2 right-hand sides, as printed ((53), (54), (56), (57)) plus the
    reconstructed (55): ``[ξ̇1, ξ̇2, Δθ̇, θ̇_V, μ̇²]``."""
    sy = two_by_two_symbols()
    x1, x2, dth, k1, k2 = (sy[k] for k in ("xi1", "xi2", "dtheta", "kappa1", "kappa2"))
    c, s = sp.cos(dth), sp.sin(dth)
    rho = (1 / k2 - 1 / k1) * c * s
    lam1, lam2 = mu2 - s2 * x1**2, mu2 - s2 * x2**2
    xi1 = s2 * x1 * (c**2 / k1 + s**2 / k2 - 1 / lam1)
    xi2 = s2 * x2 * (s**2 / k1 + c**2 / k2 - 1 / lam2)
    dthdot = s2 * (x1**2 + x2**2) / (x1**2 - x2**2) * rho                  # (55), reconstructed
    thv = 2 * s2 * x1 * x2 / (x1**2 - x2**2) * rho                          # (56)
    mudot = -(1 / k1 + 1 / k2) / 2 + (1 / lam1 + 1 / lam2) / 2              # (57)
    return [xi1, xi2, dthdot, thv, mudot]


@functools.lru_cache(maxsize=4)
def two_by_two_rhs(learn_mu2=True, njit=False):
    """The derived 2×2 flow as a numeric function ``f(state, params)`` (the one bridge,
    :func:`rbmphys.symbolic.to_numeric`): state ``(ξ1, ξ2, Δθ, θ_V, μ²)``, params
    ``(κ1, κ2, σ_h²)``."""
    sy = two_by_two_symbols()
    state, rhs = two_by_two_system(learn_mu2)
    return to_numeric(sp.Matrix(rhs), state, [sy["kappa1"], sy["kappa2"], sy["sigma_h2"]],
                      name="two_by_two_flow", njit=njit)


def fixed_points(kappa1, kappa2, mu2_value, sigma_h2=1):
    r"""Fixed points (59)-(62) of the 2×2 flow at fixed μ², solved with sympy.

    Learnt modes are those with :math:`\kappa_i < \mu^2`: :math:`\sigma_h^2\xi_i^2 =
    \mu^2 - \kappa_i`, otherwise :math:`\xi_i = 0`; the angle is :math:`\Delta\theta = 0` when
    the larger singular value is paired with the smaller κ (:math:`\kappa_1 < \kappa_2`) and
    :math:`\pi/2` otherwise; either way the larger singular value :math:`\xi_1` belongs to the
    smaller κ.  Returns a dict with ``xi`` (ξ1 ≥ ξ2), ``dtheta``, ``eigenvalues``
    (of the RBM kernel, :math:`\lambda_i = \mu^2 - \sigma_h^2\xi_i^2`, sorted)."""
    k = sorted([sp.nsimplify(kappa1), sp.nsimplify(kappa2)])
    m, s = sp.nsimplify(mu2_value), sp.nsimplify(sigma_h2)
    x = sp.Symbol("x", nonnegative=True)
    xis = []
    for ki in k:
        # the mode flow's fixed points: x (1/κ - 1/(μ² - σ² x²)) = 0, stable one chosen
        roots = sp.solve(sp.Eq(x * (1 / ki - 1 / (m - s * x**2)), 0), x)
        learnt = [r for r in roots if r.is_positive]
        xis.append(learnt[0] if (ki < m and learnt) else sp.Integer(0))
    big_first = sp.nsimplify(kappa1) <= sp.nsimplify(kappa2)
    # the larger singular value ξ1 always pairs with the smaller κ: at Δθ = 0 that is κ1, at
    # Δθ = π/2 (U turned by a right angle) κ2 — in both cases ξ1 = ξ(min κ)
    xi = (xis[0], xis[1])
    lam = sorted(float(m - s * v**2) for v in xi)
    return {"xi": tuple(float(v) for v in xi), "dtheta": 0.0 if big_first else float(sp.pi / 2),
            "eigenvalues": lam}


def jacobian_eigenvalues(kappa1, kappa2, mu2_value, sigma_h2=1):
    r"""Eigenvalues of the Jacobian of the derived 2×2 flow (fixed μ²) in
    :math:`(\xi_1, \xi_2, \Delta\theta, \theta_V)` at the learnt fixed point (both modes
    below μ², :math:`\kappa_1 < \kappa_2`, Δθ = 0) — Eqs. (63)-(67).  Sorted ascending."""
    sy = two_by_two_symbols()
    state, rhs = two_by_two_system(learn_mu2=False)
    st, f = state[:4], sp.Matrix(rhs[:4])
    fp = fixed_points(kappa1, kappa2, mu2_value, sigma_h2)
    vals = {sy["kappa1"]: sp.nsimplify(kappa1), sy["kappa2"]: sp.nsimplify(kappa2),
            mu2: sp.nsimplify(mu2_value), s2: sp.nsimplify(sigma_h2)}
    J = f.jacobian(st).subs(vals)
    at = {st[0]: sp.nsimplify(fp["xi"][0]), st[1]: sp.nsimplify(fp["xi"][1]), st[2]: 0,
          st[3]: 0}
    Jn = J.subs(at).applyfunc(sp.simplify)
    return sorted(float(sp.re(e)) for e in Jn.eigenvals(multiple=True))


def delta_theta_closed_form():
    r"""``(expr, t, dtheta0)``: :math:`\Delta\theta(t) = \arctan\big(\tan\Delta\theta(0)\,
    e^{\sigma_h^2(1/\kappa_2 - 1/\kappa_1)t}\big)`, Eqs. (69), (72)-(74)."""
    sy = two_by_two_symbols()
    t, d0 = sp.symbols("t dtheta0", real=True)
    expr = sp.atan(sp.tan(d0) * sp.exp(s2 * (1 / sy["kappa2"] - 1 / sy["kappa1"]) * t))
    return expr, t, d0


def mode_flow():
    r"""``(xi2_dot, xi2, kappa)``: the mode flow (80) for :math:`x = \xi_\alpha^2`,
    :math:`\dot x = 2\sigma_h^2(1/\kappa - 1/(\mu^2 - \sigma_h^2 x))\,x`, derived from the
    diagonal of (43) in the aligned basis."""
    x, k = sp.symbols("x kappa", positive=True)
    lam = mu2 - s2 * x
    return sp.simplify(2 * s2 * (1 / k - 1 / lam) * x), x, k


@functools.lru_cache(maxsize=2)
def mode_flow_rhs():
    """Numeric mode flow ``f(x, kappa, mu2, sigma_h2)`` (broadcasting over modes) through the
    bridge."""
    expr, x, k = mode_flow()
    return to_ufunc(expr, [x, k, mu2, s2], name="mode_flow")


def mode_log_likelihood():
    r"""``(l, xi, kappa)``: one mode's share of the mean log-likelihood in the aligned basis,
    :math:`l_\alpha = -\lambda_\alpha/(2\kappa_\alpha) + \tfrac12\ln\lambda_\alpha` with
    :math:`\lambda_\alpha = \mu^2 - \sigma_h^2\xi_\alpha^2` (the trace and log-determinant of
    Chapter 4 written mode by mode). Its ξ-derivative gives the mode flow (80), its
    μ²-derivative the mode's share of (27). Introduced in Chapter 5."""
    xi, k = sp.symbols("xi kappa", positive=True)
    lam = mu2 - s2 * xi**2
    return -lam / (2 * k) + sp.log(lam) / 2, xi, k


def mode_mu2_term():
    r"""``(term, x, kappa)``: :math:`\partial l_\alpha/\partial\mu^2 = \tfrac12(1/\lambda_\alpha
    - 1/\kappa_\alpha)` as a function of :math:`x = \xi_\alpha^2`; summed over all
    :math:`N_v` modes (unlearnt ones with x = 0) it is :math:`\dot{\mu^2}` of (27)."""
    l, xi, k = mode_log_likelihood()
    x = sp.symbols("x", positive=True)
    return sp.simplify(sp.diff(l, mu2).subs(xi, sp.sqrt(x))), x, k


@functools.lru_cache(maxsize=2)
def mode_mu2_rhs():
    """Numeric ``g(x, kappa, mu2, sigma_h2)``: one mode's contribution to dμ²/dt."""
    expr, x, k = mode_mu2_term()
    return to_ufunc(expr, [x, k, mu2, s2], name="mode_mu2")
