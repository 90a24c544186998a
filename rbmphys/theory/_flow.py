r"""Integration of the scalar-field RBM's learning ODEs (Aarts, Lucini, Park, Secs. III-V).

Gradient ascent of the Gaussian log-likelihood in continuous learning time :math:`t` (one unit
of :math:`t` is one unit of learning rate × number of updates):

.. math::

    \dot W = \sigma_h^2\,[C - K^{-1}]\,W,\qquad
    \dot{\mu^2} = -\tfrac12\operatorname{tr}C + \tfrac12\operatorname{tr}K^{-1},\qquad
    K = \mu^2\mathbb 1 - \sigma_h^2WW^T,

with :math:`C = K_\phi^{-1}` the target (or data) correlation matrix — Eqs. (26)-(27),
derived symbolically in :mod:`rbmphys.symbolic.gaussian` (the matrix form is checked there
against sympy's derivative of the log-likelihood for explicit small matrices; here it is
evaluated with NumPy for any size).

Introduced in Chapter 4.
"""

from __future__ import annotations

import dataclasses

import numpy as np
from scipy.integrate import solve_ivp

from .._validation import as_float_array, as_generator, check_int, check_real

__all__ = ["FlowResult", "flow_rhs", "gaussian_flow", "two_by_two_flow", "mode_flow"]


@dataclasses.dataclass
class FlowResult:
    """Trajectories of the learning flow.

    Attributes
    ----------
    t : ndarray (T,)
        Learning times.
    eigenvalues : ndarray (T, N_v)
        Eigenvalues of the RBM kernel :math:`K = \\mu^2 - \\sigma_h^2WW^T`, ascending.
    singular_values : ndarray (T, N_h)
        Singular values of W, descending.
    mu2 : ndarray (T,)
    W : ndarray (N_v, N_h)
        Final couplings.
    target_eigenvalues : ndarray (N_v,)
        Eigenvalues κ of the target kernel :math:`K_\\phi = C^{-1}`, ascending.
    Ws : ndarray (T, N_v, N_h) or None
        All couplings (``keep_W=True``).
    """

    t: np.ndarray
    eigenvalues: np.ndarray
    singular_values: np.ndarray
    mu2: np.ndarray
    W: np.ndarray
    target_eigenvalues: np.ndarray
    Ws: np.ndarray | None = None


def flow_rhs(model, correlation):
    r"""The right-hand side of the learning flow (26)-(27) at the parameters of ``model``: the
    exact gradient of the mean log-likelihood of zero-mean data with second moment
    :math:`C = \langle\phi\phi^T\rangle`,

    .. math::

        \dot\theta = \langle -\partial_\theta F\rangle_C - \langle -\partial_\theta
        F\rangle_\text{model},\qquad\text{e.g.}\quad
        \dot W = \sigma_h^2\,[C - K^{-1}]\,W,\quad
        \dot{\mu^2} = -\tfrac12\operatorname{tr}C + \tfrac12\operatorname{tr}K^{-1},

    with both phases from :meth:`rbmphys.GaussianRBM.moment_statistics` and
    :meth:`~rbmphys.GaussianRBM.model_statistics` (the positive phase of
    :class:`rbmphys.training.TargetPCD` and the exact negative phase), so the ODE, the exact
    gradient and stochastic training share one formula.  Keys as ``model.params``
    (``"mu2"`` only with ``learn_mu2``).  Introduced in Chapter 4.
    """
    C = np.asarray(correlation, dtype=np.float64)
    pos = model.moment_statistics(np.zeros(model.n_visible), C)
    neg = model.model_statistics()
    return {k: pos[k] - neg[k] for k in pos}


def _initial_W(init, C, n_hidden, mu2, sigma_h2, weight_scale, rng):
    n_v = C.shape[0]
    if isinstance(init, np.ndarray) or (not isinstance(init, str) and init is not None):
        W0 = as_float_array(init, "initial couplings W0", ndim=2)
        if W0.shape != (n_v, n_hidden):
            raise ValueError(f"initial W must have shape ({n_v}, {n_hidden}), got {W0.shape}")
        return W0.copy()
    if init == "random":
        return as_generator(rng).normal(0.0, weight_scale, size=(n_v, n_hidden))
    if init in ("cholesky", "symmetric"):
        from ..datasets import rbm_weights_from_kernel
        if n_hidden != n_v:
            raise ValueError(f"init={init!r} needs n_hidden = n_visible = {n_v}")
        return rbm_weights_from_kernel(np.linalg.inv(C), mu2, sigma_h2, kind=init)
    raise ValueError(f"init must be 'random', 'cholesky', 'symmetric' or an array, got {init!r}")


def gaussian_flow(target_precision=None, n_hidden=None, mu2=None, sigma_h2=1.0, *,
                  data_correlation=None, t_max=100.0, t_eval=None, n_points=200,
                  learn_mu2=False, init="random", weight_scale=0.1, rng=None,
                  method="LSODA", rtol=1e-8, atol=1e-10, keep_W=False):
    r"""Integrate the learning flow (26)-(27) of the scalar-field RBM.

    Parameters
    ----------
    target_precision : array (N_v, N_v), optional
        The target kernel :math:`K_\phi` (e.g. :func:`rbmphys.datasets.lattice_kernel`): the
        flow then needs no data, as in the paper's scalar-field experiments.
    n_hidden : int
        :math:`N_h \le N_v`.
    mu2 : float
        Initial (or fixed) mass :math:`\mu^2`; must lie above the stability bound of the
        initial W.
    sigma_h2 : float
    data_correlation : array (N_v, N_v), optional
        :math:`C = \langle\phi\phi^T\rangle` of data, instead of ``target_precision``.
    t_max, t_eval, n_points :
        Integrate to ``t_max``; output at ``t_eval`` (default: ``n_points`` log-spaced times
        from ``t_max``·1e-4, plus t = 0).
    learn_mu2 : bool
        Integrate :math:`\mu^2` too (Eq. (27)).
    init : {"random", "cholesky", "symmetric"} or array
        Initial W: Gaussian entries of scale ``weight_scale``, an exact solution of the target
        (Eqs. (13)-(16)), or given.
    rng : seed for ``init="random"``.
    method, rtol, atol : passed to ``scipy.integrate.solve_ivp`` (LSODA: the flow is stiff,
        its rates spread over the ratio of the largest to the smallest γ).
    keep_W : bool
        Keep W at every output time.

    Returns
    -------
    FlowResult

    Examples
    --------
    N_v = N_h = 10, m² = 4, μ² = 7: exactly the 7 modes with κ < μ² are learnt, the others
    sit at μ² (Sec. V):

    >>> import numpy as np, rbmphys as rp
    >>> K = rp.datasets.lattice_kernel((10,), 4.0)
    >>> r = rp.theory.gaussian_flow(K, 10, 7.0, t_max=5000, rng=0)
    >>> np.round(r.eigenvalues[-1], 3).tolist()
    [4.0, 4.382, 4.382, 5.382, 5.382, 6.618, 6.618, 7.0, 7.0, 7.0]

    Introduced in Chapter 4.
    """
    if (target_precision is None) == (data_correlation is None):
        raise ValueError("give exactly one of target_precision (K_phi) and data_correlation "
                         "(<phi phi^T>)")
    if target_precision is not None:
        Kphi = as_float_array(target_precision, "target_precision", ndim=2)
        if Kphi.shape[0] != Kphi.shape[1] or not np.allclose(Kphi, Kphi.T):
            raise ValueError("target_precision must be a symmetric square matrix")
        try:
            np.linalg.cholesky(Kphi)
        except np.linalg.LinAlgError:
            raise ValueError("target_precision must be positive definite") from None
        C = np.linalg.inv(Kphi)
    else:
        C = as_float_array(data_correlation, "data_correlation", ndim=2)
        if C.shape[0] != C.shape[1] or not np.allclose(C, C.T):
            raise ValueError("data_correlation must be a symmetric square matrix")
    C = 0.5 * (C + C.T)
    n_v = C.shape[0]
    n_h = check_int(n_hidden, "n_hidden", 1, n_v)
    mu2 = check_real(mu2, "mu2", low=0, low_open=True)
    s2 = check_real(sigma_h2, "sigma_h2", low=0, low_open=True)
    W0 = _initial_W(init, C, n_h, mu2, s2, check_real(weight_scale, "weight_scale", low=0), rng)
    bound = s2 * np.linalg.norm(W0, 2) ** 2
    if not mu2 > bound:
        raise ValueError(f"mu2 = {mu2:g} is at or below the stability bound sigma_h2 max "
                         f"eig(W W^T) = {bound:.6g} of the initial couplings (Eq. (14))")
    t_max = check_real(t_max, "t_max", low=0, low_open=True)
    if t_eval is None:
        n_points = check_int(n_points, "n_points", 1, 10**6)
        t_eval = np.concatenate([[0.0], np.geomspace(t_max * 1e-4, t_max, n_points)])
    t_eval = as_float_array(t_eval, "t_eval (output times)", ndim=1, dtype=np.float64)
    if t_eval.size < 1 or t_eval[0] < 0 or np.any(np.diff(t_eval) < 0):
        raise ValueError("t_eval (output times) must be a non-empty, non-decreasing sequence of "
                         f"finite times >= 0, got {t_eval[:5]}{'...' if t_eval.size > 5 else ''}")
    from ..models import GaussianRBM
    model = GaussianRBM(W0, mu2, s2, learn_mu2=bool(learn_mu2))

    def at(y):                       # the model at the state y (no stability check per call)
        model.W = y[:-1].reshape(n_v, n_h).copy()
        model.mu2 = y[-1]
        return model

    def rhs(t, y):
        d = flow_rhs(at(y), C)
        return np.concatenate([d["W"].ravel(), [float(d["mu2"]) if learn_mu2 else 0.0]])

    y0 = np.concatenate([W0.ravel(), [mu2]])
    sol = solve_ivp(rhs, (0.0, float(t_eval[-1])), y0, method=method, t_eval=t_eval,
                    rtol=rtol, atol=atol)
    if not sol.success:
        raise RuntimeError(f"the learning flow could not be integrated: {sol.message}")
    Ws = sol.y[:-1].T.reshape(len(sol.t), n_v, n_h)
    mus = sol.y[-1]
    eig = np.array([np.linalg.eigvalsh(at(y).precision()) for y in sol.y.T])
    sv = np.linalg.svd(Ws, compute_uv=False)
    kappa = np.sort(1.0 / np.linalg.eigvalsh(C))
    return FlowResult(sol.t, eig, sv, mus, Ws[-1].copy(), kappa, Ws if keep_W else None)


def two_by_two_flow(kappa=(0.2, 0.4), mu2=1.0, sigma_h2=1.0, *, xi0=(0.3, 0.2),
                    dtheta0=0.6, theta_v0=0.0, t_max=2.0, n_points=400, learn_mu2=False,
                    rtol=1e-10, atol=1e-12):
    r"""Integrate the 2×2 system (52)-(58) in :math:`(\xi_1, \xi_2, \Delta\theta, \theta_V,
    \mu^2)`, with the right-hand side *derived by sympy* (:mod:`rbmphys.symbolic.gaussian`,
    incl. the reconstructed Eq. (55)) and turned numeric by the one bridge.

    Returns a dict with ``t`` and the arrays ``xi1``, ``xi2``, ``dtheta``, ``theta_V``,
    ``mu2``, and the RBM eigenvalues ``lambda1``, ``lambda2``
    (:math:`\mu^2 - \sigma_h^2\xi_i^2`).  Introduced in Chapter 4.
    """
    from ..symbolic.gaussian import two_by_two_rhs
    f = two_by_two_rhs(bool(learn_mu2))
    p = np.array([kappa[0], kappa[1], sigma_h2], dtype=np.float64)
    y0 = np.array([xi0[0], xi0[1], dtheta0, theta_v0, mu2], dtype=np.float64)
    t_eval = np.linspace(0.0, t_max, n_points)
    sol = solve_ivp(lambda t, y: f(y, p), (0.0, t_max), y0, method="LSODA", t_eval=t_eval,
                    rtol=rtol, atol=atol)
    if not sol.success:
        raise RuntimeError(f"the 2x2 flow could not be integrated: {sol.message}")
    x1, x2, dth, thv, m = sol.y
    return {"t": sol.t, "xi1": x1, "xi2": x2, "dtheta": dth, "theta_V": thv, "mu2": m,
            "lambda1": m - sigma_h2 * x1**2, "lambda2": m - sigma_h2 * x2**2}


def mode_flow(kappa, mu2, sigma_h2=1.0, *, xi0=0.1, t_eval, learn_mu2=False, n_visible=None):
    r"""Integrate the decoupled mode flow (80) for every κ at once (the sympy-derived right-hand
    side, broadcast over modes): the exact flow from couplings aligned with the target's
    eigenvectors, :math:`W = O\,\mathrm{diag}(\xi)`.

    .. math:: \dot{\xi_\alpha^2} = 2\sigma_h^2\xi_\alpha^2\Big(\frac{1}{\kappa_\alpha}
              - \frac{1}{\mu^2 - \sigma_h^2\xi_\alpha^2}\Big),\qquad
              \dot{\mu^2} = \frac12\sum_{\alpha=1}^{N_v}\Big(\frac{1}{\lambda_\alpha}
              - \frac{1}{\kappa_\alpha}\Big)\ \text{(27, if learnt)}.

    ``kappa`` may contain ``inf`` (a direction the data never visits, as MNIST's always-black
    pixels: correlation 0). With ``learn_mu2`` the sum runs over ``n_visible`` modes (default:
    ``len(kappa)``); modes beyond ``len(kappa)`` have no coupling and contribute
    :math:`\tfrac12(1/\mu^2 - 1/\kappa)`, with κ = ∞ there.

    Returns ``(xi2, lambda)`` arrays of shape (T, n_modes) — the squared singular values and
    the RBM eigenvalues :math:`\mu^2 - \sigma_h^2\xi^2` — and, with ``learn_mu2``, a third
    array ``mu2`` of shape (T,).

    Introduced in Chapter 5.
    """
    from ..symbolic.gaussian import mode_flow_rhs, mode_mu2_rhs
    f = mode_flow_rhs()
    k = np.asarray(kappa, dtype=np.float64)
    if k.ndim != 1 or np.any(np.isnan(k)) or np.any(k <= 0):
        raise ValueError("kappa must be a 1-d array of positive eigenvalues (inf allowed for "
                         "directions the data never visits)")
    # the bridge's simplified expression has the form (λ − κ)/(κλ): evaluate κ = ∞ as a
    # finite 1e300 (exact to double precision for any λ < 1e8)
    k = np.where(np.isinf(k), 1e300, k)
    x0 = np.broadcast_to(np.asarray(xi0, dtype=np.float64) ** 2, k.shape).copy()
    t_eval = np.asarray(t_eval, dtype=np.float64)
    if learn_mu2:
        g = mode_mu2_rhs()
        n_extra = (len(k) if n_visible is None else int(n_visible)) - len(k)
        if n_extra < 0:
            raise ValueError(f"n_visible = {n_visible} is smaller than the number of modes "
                             f"{len(k)}")

        def rhs(t, y):
            x, m2 = y[:-1], y[-1]
            return np.append(f(x, k, m2, sigma_h2), g(x, k, m2, sigma_h2).sum()
                             + 0.5 * n_extra / m2)

        y0 = np.append(x0, float(mu2))
    else:
        def rhs(t, x):
            return f(x, k, mu2, sigma_h2)

        y0 = x0
    # the modes are coupled only through μ²: a sparse Jacobian pattern keeps the stiff solver
    # cheap for hundreds of modes (MNIST: rates from 1e-2 to 1e5, a dense finite-difference
    # Jacobian would cost one right-hand side per mode)
    from scipy.sparse import lil_matrix
    n = len(y0)
    pattern = lil_matrix((n, n))
    pattern.setdiag(1)
    if learn_mu2:
        pattern[-1, :] = 1
        pattern[:, -1] = 1
    sol = solve_ivp(rhs, (0.0, float(t_eval[-1])), y0, method="BDF", t_eval=t_eval,
                    rtol=1e-9, atol=1e-12, jac_sparsity=pattern.tocsc())
    if not sol.success:
        raise RuntimeError(f"the mode flow could not be integrated: {sol.message}")
    if learn_mu2:
        x, m2 = sol.y[:-1].T, sol.y[-1]
        return x, m2[:, None] - sigma_h2 * x, m2
    x = sol.y.T
    return x, mu2 - sigma_h2 * x
