r"""Reciprocal space: a binary RBM seen through the singular value decomposition of its weights
(Toledo-Marin, Maiti, Fox, Melko, Sec. 3-4, eqs. (14)-(28); Chapter 6).

With :math:`W = U\Sigma V^T` (:math:`U \in O(N)`, :math:`V \in O(M)`, singular values
:math:`\sigma_1 \ge \sigma_2 \ge \dots`) the *reciprocal variables* and *projected biases* are

.. math::

    \mathbf x = U^T\mathbf v,\quad \mathbf y = V^T\mathbf h,\quad
    \tilde{\mathbf a} = U^T\mathbf a,\quad \tilde{\mathbf b} = V^T\mathbf b \qquad (17)

and the energy :math:`E = -\mathbf v^TW\mathbf h - \mathbf a^T\mathbf v - \mathbf b^T\mathbf h`
decouples into modes (14)-(16),

.. math::

    E = \sum_{\alpha\le K} E_\alpha(x_\alpha, y_\alpha) - \sum_{\alpha > K}\tilde a_\alpha x_\alpha
        - \sum_{\alpha > K}\tilde b_\alpha y_\alpha,\qquad
    E_\alpha = -\sigma_\alpha x_\alpha y_\alpha - \tilde a_\alpha x_\alpha - \tilde b_\alpha y_\alpha,

:math:`K = \min(N, M)`. Each :math:`E_\alpha` is a hyperbolic paraboloid with its saddle at
:math:`x^*_\alpha = -\tilde b_\alpha/\sigma_\alpha`, :math:`y^*_\alpha = -\tilde a_\alpha/\sigma_\alpha`
and energy :math:`\epsilon_\alpha = \tilde a_\alpha\tilde b_\alpha/\sigma_\alpha`; rotated by π/4
about it (18),

.. math::

    u_\alpha = \frac{\Delta x_\alpha + \Delta y_\alpha}{\sqrt2},\quad
    w_\alpha = \frac{\Delta y_\alpha - \Delta x_\alpha}{\sqrt2},\qquad
    E_\alpha = \epsilon_\alpha - \frac{\sigma_\alpha}{2}\big(u_\alpha^2 - w_\alpha^2\big) \qquad (19)

(:math:`u` downhill with curvature :math:`-\sigma_\alpha`, :math:`w` uphill with
:math:`+\sigma_\alpha`).

**Derivations.** (14)-(28) are derived in the book's appendix (sections "Reciprocal
variables and saddle points" and "The relaxed partition function", ``book/appendix.md``);
the conventions are those of the authors' public code (``LandscapeAnalysis.jl``: saddle
``xsp = -(Vᵀb)/S``, ``ysp = -(Uᵀa)/S``; ``u = (x + y - xsp - ysp)/√2``). The tests repeat those checks (energy sum
over all states of a 7×4 model, saddle gradient and Hessian, the rotated form).

The **Gaussian relaxation** of Z, eqs. (21)-(28) and (45)-(46): under the uniform measure on
:math:`(\mathbf v, \mathbf h)` the reciprocal variables have exactly the mean
:math:`\mu_x = \tfrac12U^T\mathbf 1` (28) and covariance :math:`\mathbb 1/4` (51); replacing their
density of states by the Gaussian with these two moments gives

.. math::

    \ln Z \approx (N+M)\ln 2 + \ln\mathbb E_{\mathbf z\sim\mathcal N(\mu, \mathbb 1/4)}
    \big[e^{-\beta E(\mathbf z)}\big],

a product of two-dimensional Gaussian integrals, finite only while every
:math:`\beta\sigma_\alpha < 4` (= 1/s², s = ½): the threshold of Sec. 4.1.

Introduced in Chapter 6.
"""

from __future__ import annotations

import dataclasses

import numpy as np

from .._validation import as_float_array, check_real

__all__ = ["ReciprocalModes", "relaxed_log_partition", "RelaxedPartition",
           "reciprocal_kurtosis", "haar_mean_kurtosis"]


def _bernoulli_parameters(model):
    """{0,1} parameters ``(W, a, b, c)`` of a binary model: :math:`E = E_{01}(v, h) + c`
    (identity and c = 0 for {0,1} units: the gauge map has d=1, lo=0, so the values are
    bit-identical)."""
    if not hasattr(model, "W") or not hasattr(model, "bernoulli_form"):
        raise TypeError(f"expected a binary RBM (BernoulliRBM or SpinRBM), got "
                        f"{type(model).__name__}")
    try:
        W, a, b, c = model.bernoulli_form()
    except ValueError as exc:      # Gaussian units have no {0,1} form
        raise TypeError(f"reciprocal space of Chapter 6 is defined for {{0,1}} units; "
                        f"{type(model).__name__} has no Bernoulli form ({exc})") from None
    return (np.asarray(W, dtype=np.float64), np.asarray(a, dtype=np.float64),
            np.asarray(b, dtype=np.float64), float(c))


@dataclasses.dataclass(frozen=True)
class ReciprocalModes:
    r"""The SVD view of a binary RBM, eqs. (14)-(19) of Toledo-Marin et al.

    Build with :meth:`of` (``ReciprocalModes.of(model)``); a ``SpinRBM`` is first mapped to
    its {0,1} form (Chapter 1's gauge map), as the paper works with {0,1} units.

    Attributes
    ----------
    U : (N, N) orthogonal;  V : (M, M) orthogonal;  sigma : (K,) singular values, descending
    a_t, b_t : projected biases :math:`U^T a`, :math:`V^T b` (17)

    Introduced in Chapter 6.
    """

    U: np.ndarray
    sigma: np.ndarray
    V: np.ndarray
    a_t: np.ndarray
    b_t: np.ndarray

    @classmethod
    def of(cls, model):
        W, a, b, _ = _bernoulli_parameters(model)
        U, s, Vt = np.linalg.svd(W, full_matrices=True)
        # fix the sign freedom of each singular pair: the visible vector sums to ≥ 0, so that
        # μ_x = ½Uᵀ1 ≥ 0 (a convention, not physics; the energy does not depend on it)
        K = len(s)
        sign = np.where(U[:, :K].sum(0) < 0, -1.0, 1.0)
        U = U.copy()
        V = Vt.T.copy()
        U[:, :K] *= sign
        V[:, :K] *= sign
        return cls(U, s, V, U.T @ a, V.T @ b)

    @property
    def n_visible(self):
        return self.U.shape[0]

    @property
    def n_hidden(self):
        return self.V.shape[0]

    @property
    def n_modes(self):
        return len(self.sigma)

    def x(self, v):
        """Reciprocal visible variables :math:`x = U^Tv` (17a), rows of ``v`` are states."""
        return np.asarray(v, dtype=np.float64) @ self.U

    def y(self, h):
        """Reciprocal hidden variables :math:`y = V^Th` (17a)."""
        return np.asarray(h, dtype=np.float64) @ self.V

    def mode_energies(self, x, y):
        r""":math:`E_\alpha = -\sigma_\alpha x_\alpha y_\alpha - \tilde a_\alpha x_\alpha
        - \tilde b_\alpha y_\alpha` for the K paired modes (16); shape (..., K)."""
        K = self.n_modes
        x, y = np.asarray(x)[..., :K], np.asarray(y)[..., :K]
        return -self.sigma * x * y - self.a_t[:K] * x - self.b_t[:K] * y

    def energy(self, x, y):
        """The RBM energy from the reciprocal variables (15): the sum of the mode energies and
        the linear terms of the unpaired modes."""
        K = self.n_modes
        x, y = np.asarray(x), np.asarray(y)
        return (self.mode_energies(x, y).sum(-1) - x[..., K:] @ self.a_t[K:]
                - y[..., K:] @ self.b_t[K:])

    def saddle_points(self):
        r"""``(x_star, y_star, eps)``: the saddle of every paired mode,
        :math:`x^* = -\tilde b/\sigma`, :math:`y^* = -\tilde a/\sigma`,
        :math:`\epsilon = \tilde a\tilde b/\sigma` (text of Sec. 3; derived in the book's appendix).
        Modes with σ = 0 have no saddle (``inf``/``nan``)."""
        K = self.n_modes
        with np.errstate(divide="ignore", invalid="ignore"):
            xs = -self.b_t[:K] / self.sigma
            ys = -self.a_t[:K] / self.sigma
            eps = self.a_t[:K] * self.b_t[:K] / self.sigma
        return xs, ys, eps

    def rotate(self, x, y):
        """``(u, w)`` of eq. (18): translate to the saddle and rotate by π/4."""
        K = self.n_modes
        xs, ys, _ = self.saddle_points()
        dx, dy = np.asarray(x)[..., :K] - xs, np.asarray(y)[..., :K] - ys
        return (dx + dy) / np.sqrt(2.0), (dy - dx) / np.sqrt(2.0)

    def unrotate(self, u, w):
        """Inverse of :meth:`rotate`: ``(x, y)`` of the paired modes."""
        xs, ys, _ = self.saddle_points()
        u, w = np.asarray(u), np.asarray(w)
        return xs + (u - w) / np.sqrt(2.0), ys + (u + w) / np.sqrt(2.0)

    def energy_uw(self, u, w):
        r""":math:`E_\alpha = \epsilon_\alpha - \tfrac{\sigma_\alpha}{2}(u_\alpha^2 - w_\alpha^2)`
        (19)."""
        _, _, eps = self.saddle_points()
        return eps - 0.5 * self.sigma * (np.asarray(u) ** 2 - np.asarray(w) ** 2)

    def high_temperature_means(self):
        r"""``(mu_x, mu_y)``: :math:`\langle x\rangle = \tfrac12U^T\mathbf 1`,
        :math:`\langle y\rangle = \tfrac12V^T\mathbf 1` under the uniform measure (β → 0), eq. (28);
        the covariance there is exactly :math:`\mathbb 1/4` (51)."""
        return 0.5 * self.U.sum(0), 0.5 * self.V.sum(0)

    def constraint_minima(self):
        r"""``(mu_u, mu_w)``: the high-temperature means in the rotated variables, eq. (39) —
        the minima of the Gaussian constraint potential (orange markers of the paper's
        Figs. 7-8)."""
        mx, my = self.high_temperature_means()
        K = self.n_modes
        return self.rotate(mx, my) if K else (np.zeros(0), np.zeros(0))


@dataclasses.dataclass(frozen=True)
class RelaxedPartition:
    """Result of :func:`relaxed_log_partition`: ``log_z`` (``inf`` when a mode diverges),
    ``beta_sigma`` (βσ per paired mode), ``n_diverging`` (modes with βσ ≥ 4) and the
    contributions ``entropy`` ((N+M) ln 2), ``paired`` (per mode), ``unpaired`` and
    ``offset`` (−βc, the energy constant of the gauge map for ±1 units; 0 for {0,1})."""

    log_z: float
    beta_sigma: np.ndarray
    n_diverging: int
    entropy: float
    paired: np.ndarray
    unpaired: float
    offset: float = 0.0


def relaxed_log_partition(model, beta=1.0, *, s2=0.25):
    r"""Gaussian relaxation of the partition function in reciprocal space, eqs. (21)-(28) with
    the Gaussian density of states (45)-(46) (Toledo-Marin et al. Sec. 4; reconstructed, see
    the module docstring; the authors' ``gaussian_orth_partition.jl`` computes the same sum).

    .. math::

        \ln Z_\text{relaxed} = (N+M)\ln2 + \sum_{\alpha\le K}\ln\mathbb E
        \big[e^{\beta(\sigma_\alpha x y + \tilde a_\alpha x + \tilde b_\alpha y)}\big]
        + \sum_{\alpha > K}\Big(\beta\tilde c_\alpha\mu_\alpha
        + \tfrac{s^2}{2}\beta^2\tilde c_\alpha^2\Big),

    (plus :math:`-\beta c` for a ``SpinRBM``, whose energy is :math:`E_{01} + c` in its {0,1}
    form), with independent :math:`x \sim \mathcal N(\mu_{x,\alpha}, s^2)`,
    :math:`y \sim \mathcal N(\mu_{y,\alpha}, s^2)`, :math:`s^2 = 1/4`, and
    :math:`\tilde c` the projected bias of an unpaired mode. Each paired integral is a
    two-dimensional Gaussian one: with :math:`Q = \beta\sigma\begin{pmatrix}0&1\\1&0\end{pmatrix}`,
    :math:`\ell = \beta(\tilde a, \tilde b)`, :math:`m = (\mu_x, \mu_y)`,

    .. math::

        \ln\mathbb E[\cdot] = -\tfrac12\ln(1 - s^4\beta^2\sigma^2)
        + \tfrac12 (\ell + m/s^2)^T(\mathbb 1/s^2 - Q)^{-1}(\ell + m/s^2) - \tfrac{|m|^2}{2s^2},

    finite iff :math:`\beta\sigma_\alpha s^2 < 1`, i.e. :math:`\beta\sigma_\alpha < 4`. Written
    this way (rather than via the saddle point) it stays finite at σ = 0; it equals the rotated
    form :math:`e^{-\beta\epsilon}\,\mathbb E[e^{\beta\sigma u^2/2}]\,\mathbb E[e^{-\beta\sigma w^2/2}]`
    (tested).

    The relaxation keeps the first two moments of every reciprocal variable exact; it errs at
    the fourth (a Bernoulli(½) bit has :math:`\langle\delta v^4\rangle = 1/16`, the Gaussian
    3/16), so for small couplings the error of ln Z grows as the fourth power of the weight
    scale (Chapter 6).

    Parameters
    ----------
    model : BernoulliRBM or SpinRBM
    beta : float
        Inverse temperature (> 0).
    s2 : float
        Variance of the Gaussian density of states (1/4 for uniform bits; a parameter only so
        that the chapters can show what a wrong variance does).

    Returns
    -------
    RelaxedPartition

    Introduced in Chapter 6.
    """
    beta = check_real(beta, "beta", low=0.0, low_open=True)
    s2 = check_real(s2, "s2", low=0.0, low_open=True)
    rm = ReciprocalModes.of(model)
    offset = -beta * _bernoulli_parameters(model)[3]
    N, M, K = rm.n_visible, rm.n_hidden, rm.n_modes
    mx, my = rm.high_temperature_means()
    bs = beta * rm.sigma
    ok = bs * s2 < 1.0
    paired = np.full(K, np.inf)
    for k in np.flatnonzero(ok):
        Q = np.array([[0.0, bs[k]], [bs[k], 0.0]])
        ell = beta * np.array([rm.a_t[k], rm.b_t[k]])
        m = np.array([mx[k], my[k]])
        r = ell + m / s2
        A = np.eye(2) / s2 - Q
        paired[k] = (-0.5 * np.log1p(-(s2 * bs[k]) ** 2) + 0.5 * r @ np.linalg.solve(A, r)
                     - 0.5 * (m @ m) / s2)
    c_v, c_h = beta * rm.a_t[K:], beta * rm.b_t[K:]
    unpaired = float(c_v @ mx[K:] + 0.5 * s2 * c_v @ c_v + c_h @ my[K:] + 0.5 * s2 * c_h @ c_h)
    entropy = (N + M) * np.log(2.0)
    n_div = int(np.sum(~ok))
    log_z = float(entropy + paired.sum() + unpaired + offset) if n_div == 0 else np.inf
    return RelaxedPartition(log_z, bs, n_div, entropy, paired, unpaired, offset)


def reciprocal_kurtosis(U):
    r"""Exact kurtosis of every reciprocal variable :math:`x_\alpha = \sum_iU_{i\alpha}v_i`
    under uniform binary :math:`\mathbf v`: :math:`3 - 2\sum_iU_{i\alpha}^4` (derived in
    the book's appendix from the cumulants of independent Bernoulli(½) bits: the fourth
    cumulant of a bit is −1/8, its variance 1/4). Returns one value per column of ``U``.

    Introduced in Chapter 6.
    """
    U = as_float_array(U, "U", ndim=2)
    return 3.0 - 2.0 * np.sum(U ** 4, axis=0) / np.sum(U ** 2, axis=0) ** 2


def haar_mean_kurtosis(n):
    r"""Average of :func:`reciprocal_kurtosis` over Haar-random orthogonal U of size n:
    :math:`3 - 6/(n+2)` (:math:`\mathbb E\sum_i U_{i\alpha}^4 = 3/(n+2)` for a uniform unit
    vector) — linear in 1/n, the extrapolation of the paper's Fig. 3e.

    Introduced in Chapter 6.
    """
    n = np.asarray(n, dtype=np.float64)
    return 3.0 - 6.0 / (n + 2.0)
