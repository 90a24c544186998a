r"""The scalar-field RBM of Aarts, Lucini and Park, and a Gaussian–binary RBM.

**Scalar-field RBM** (Gaussian visible field :math:`\phi\in\mathbb R^{N_v}`, Gaussian hidden
:math:`h\in\mathbb R^{N_h}`), Eq. (2) of [AartsLuciniPark2024]_:

.. math::

    S(\phi, h) = \tfrac12\mu^2\phi^T\phi + \frac{(h-\eta)^T(h-\eta)}{2\sigma_h^2} - \phi^T W h .

Integrating the hidden field out (Eqs. (9), (11)) leaves a free field with kernel and source

.. math::

    p(\phi) \propto e^{-\frac12\phi^T K\phi + \phi^T J}, \qquad
    K = \mu^2\mathbb 1 - \sigma_h^2 W W^T, \qquad J = W\eta,

so :math:`\langle\phi\rangle = K^{-1}J` and :math:`\langle\phi\phi^T\rangle_c = K^{-1}`.  The
model exists only while :math:`K` is positive definite, i.e. above the stability bound (14),

.. math::  \mu^2 > \sigma_h^2\,\lambda_\max(W W^T) = \sigma_h^2\,\xi_1^2 ,

which every constructor and every training epoch checks.  In the book's general notation
(:mod:`rbmphys.models._base`) this is an RBM with Gaussian units of variance :math:`1/\mu^2`
(visible) and :math:`\sigma_h^2` (hidden), :math:`a = 0`, :math:`b = \eta/\sigma_h^2` and the
constant :math:`\eta^T\eta/2\sigma_h^2`.

**Gaussian–binary RBM**: a Gaussian visible field with binary (±1 by default) hidden units,
:math:`S(\phi, h) = \tfrac12\mu^2\phi^T\phi - a^T\phi - \phi^T W h - b^T h`, whose visible
action after summing the hidden spins is :math:`\tfrac12\mu^2\phi^T\phi - a^T\phi -
\sum_a\ln 2\cosh\psi_a` with :math:`\psi = b + W^T\phi`: the interacting theory of Sec. VI
(Eqs. (91)-(95)).

Introduced in Chapter 3 (Gaussian fields) and Chapter 5 (interactions).

References
----------
.. [AartsLuciniPark2024] G. Aarts, B. Lucini, C. Park, *Scalar field restricted Boltzmann
   machine as an ultraviolet regulator*, Phys. Rev. D 109, 034521 (2024).
"""

from __future__ import annotations

import math

import numpy as np

from .._validation import as_float_array, as_generator, check_dtype, check_finite, check_int, \
    check_real
from ._base import RBM
from ._units import Bernoulli, Gaussian, Spin

__all__ = ["GaussianRBM", "GaussianBernoulliRBM"]


def _check_mu2(mu2, name="mu2"):
    return check_real(mu2, f"{name} (the mass term μ² of the visible field)", low=0,
                      low_open=True)


class GaussianRBM(RBM):
    r"""The scalar-field RBM :math:`S(\phi,h)` of [AartsLuciniPark2024]_ (module docstring).

    Parameters
    ----------
    W : array_like, shape (n_visible, n_hidden)
        Couplings :math:`W` (:math:`N_v \times N_h`).  Copied.
    mu2 : float
        Mass term :math:`\mu^2` of the visible field; must lie above the stability bound
        :math:`\sigma_h^2\lambda_\max(WW^T)` (Eq. (14)).
    sigma_h2 : float > 0
        Variance :math:`\sigma_h^2` of the hidden field.
    eta : array_like (n_hidden,), optional
        Hidden mean :math:`\eta` (zero by default; the paper's Sec. IV uses :math:`\eta = 0`).
    learn_mu2 : bool
        Make :math:`\mu^2` a trainable parameter (``params`` then holds ``"mu2"``, Eq. (27)).

    Examples
    --------
    The marginal covariance of the visible field is :math:`K^{-1}`:

    >>> import numpy as np, rbmphys as rp
    >>> m = rp.GaussianRBM(np.array([[1.0, 0.2], [0.3, 0.5], [0.0, 0.4]]), mu2=3.0)
    >>> K = m.precision()
    >>> bool(np.allclose(K, 3.0 * np.eye(3) - m.W @ m.W.T))
    True
    >>> bool(np.allclose(m.marginal_covariance() @ K, np.eye(3)))
    True

    Introduced in Chapter 3.
    """

    param_names = ("W", "eta")

    def __init__(self, W, mu2, sigma_h2=1.0, eta=None, *, learn_mu2=False):
        W = as_float_array(W, "couplings W", ndim=2, copy=True)
        if W.shape[0] < 1 or W.shape[1] < 1:
            raise ValueError(f"couplings W must have shape (n_visible, n_hidden) with both >= 1, "
                             f"got {W.shape}")
        self.W = W
        self.sigma_h2 = check_real(sigma_h2, "sigma_h2 (variance of the hidden field)", low=0,
                                   low_open=True)
        self._mu2 = np.array(_check_mu2(mu2), dtype=np.float64)
        self.eta = self._bias(eta, W.shape[1], W.dtype, "hidden mean eta", W.shape)
        self.learn_mu2 = bool(learn_mu2)
        self._hidden = Gaussian(self.sigma_h2)
        self.check_parameters()

    # -------------------------------------------------------------- parameters and units
    @property
    def mu2(self) -> float:
        r"""The mass term :math:`\mu^2`."""
        return float(self._mu2)

    @mu2.setter
    def mu2(self, value):
        old = float(self._mu2)
        self._mu2[...] = _check_mu2(value)
        try:
            self.check_parameters()
        except ValueError:
            self._mu2[...] = old
            raise

    @property
    def visible(self):
        r"""Gaussian units of variance :math:`1/\mu^2`."""
        return Gaussian(1.0 / float(self._mu2))

    @property
    def a(self):
        """Visible linear field: zero (the scalar-field action has none)."""
        return np.zeros(self.n_visible, self.dtype)

    @property
    def b(self):
        r"""Hidden linear field :math:`b = \eta/\sigma_h^2`."""
        return (self.eta / self.sigma_h2).astype(self.dtype)

    @property
    def params(self):
        p = {"W": self.W, "eta": self.eta}
        if self.learn_mu2:
            p["mu2"] = self._mu2
        return p

    def config(self):
        return {"sigma_h2": self.sigma_h2, "learn_mu2": self.learn_mu2,
                **({} if self.learn_mu2 else {"mu2": self.mu2})}

    def state_dict(self):
        st = super().state_dict()
        return st

    @classmethod
    def from_state(cls, state):
        params = dict(state["params"])
        cfg = dict(state.get("config", {}))
        mu2 = params.pop("mu2", None)
        if mu2 is None:
            mu2 = cfg.pop("mu2")
        else:
            cfg.pop("mu2", None)
            mu2 = np.asarray(mu2, dtype=np.float64)
            if mu2.size != 1:
                raise ValueError(f"mu2 must be one number, got an array of shape {mu2.shape}")
            mu2 = float(mu2.reshape(()))     # 0-d; files of rbmphys <= 0.3 stored shape (1,)
        return cls(params["W"], mu2, eta=params["eta"], **cfg)

    def astype(self, dtype):
        dtype = check_dtype(dtype)
        return GaussianRBM(self.W.astype(dtype), self.mu2, self.sigma_h2,
                           self.eta.astype(dtype), learn_mu2=self.learn_mu2)

    @classmethod
    def random(cls, n_visible, n_hidden, mu2, *, sigma_h2=1.0, weight_scale=0.01,
               dtype=np.float64, learn_mu2=False, rng=None):
        r"""A scalar-field RBM with :math:`W_{ij}\sim\mathcal N(0, \text{weight\_scale}^2)`,
        :math:`\eta = 0`."""
        V = check_int(n_visible, "n_visible", 1)
        H = check_int(n_hidden, "n_hidden", 1)
        dtype = check_dtype(dtype)
        ws = check_real(weight_scale, "weight_scale", low=0)
        W = as_generator(rng).normal(0.0, ws, size=(V, H)).astype(dtype)
        return cls(W, mu2, sigma_h2, learn_mu2=learn_mu2)

    def stability_bound(self) -> float:
        r""":math:`\sigma_h^2\,\lambda_\max(WW^T)`: :math:`\mu^2` must lie above it (Eq. (14))."""
        # the largest singular value, as np.linalg.norm(W, 2) computes it, without its wrapper
        # (this runs after every update of a training, through the health check)
        s = np.linalg.svd(self.W.astype(np.float64), compute_uv=False)[0]
        return self.sigma_h2 * float(s) ** 2

    def check_parameters(self):
        """Raise ``ValueError`` on non-finite parameters or :math:`\\mu^2` at or below the
        stability bound (14) (see :meth:`_factor`)."""
        self._factor()
        return self

    def _kernel(self):
        W = self.W.astype(np.float64)
        return self.mu2 * np.eye(self.n_visible) - self.sigma_h2 * (W @ W.T)

    def _factor(self):
        r"""``(K, (L, lower))``: the kernel and its Cholesky factor :math:`K = LL^T`
        (``scipy.linalg.cho_factor``).  The factorisation exists exactly when :math:`K` is
        positive definite, so its failure *is* the stability error (Eq. (14)); every closed
        form goes through here, so the guard holds after ``m.mu2 = ...`` or ``m.W[...] = ...``
        too.  Raises ``ValueError`` on non-finite parameters."""
        from scipy.linalg import LinAlgError, cho_factor
        for name, p in self.params.items():
            check_finite(p, f"parameter {name}")
        K = self._kernel()
        bound = None
        try:
            c = cho_factor(K, lower=True, check_finite=False)
            bound = self.stability_bound()
            ok = self.mu2 > bound and bool(np.all(np.diag(c[0]) > 0))
        except LinAlgError:
            ok = False
        if not ok:
            bound = self.stability_bound() if bound is None else bound
            raise ValueError(
                f"mu2 = {self.mu2:.6g} is at or below the stability bound sigma_h2 * max eig(W "
                f"W^T) = {bound:.6g} (Eq. (14) of Aarts, Lucini, Park): the kernel K = mu2 - "
                "sigma_h2 W W^T is not positive definite (its Cholesky factorisation fails) and "
                "p(phi) cannot be normalised")
        return K, c

    # -------------------------------------------------------------- the energy
    def _energy_constant(self):
        eta = self.eta.astype(np.float64)
        return float(eta @ eta) / (2.0 * self.sigma_h2)

    # -------------------------------------------------------------- closed forms
    def precision(self):
        r"""The kernel :math:`K = \mu^2\mathbb 1 - \sigma_h^2 WW^T` (Eq. (9)), float64."""
        return self._factor()[0]

    def source(self):
        r"""The source :math:`J = W\eta` (Eq. (9)), float64."""
        return self.W.astype(np.float64) @ self.eta.astype(np.float64)

    def marginal_covariance(self):
        r""":math:`\langle\phi\phi^T\rangle_c = K^{-1}` (Eq. (11)), float64."""
        return np.linalg.inv(self.precision())

    def marginal_mean(self):
        r""":math:`\langle\phi\rangle = K^{-1}J`, float64."""
        return np.linalg.solve(self.precision(), self.source())

    def log_partition(self):
        r"""Exact :math:`\ln Z = \ln\int d\phi\,dh\,e^{-S}`:

        .. math::

            \ln Z = \tfrac{N_h}{2}\ln(2\pi\sigma_h^2) + \tfrac{N_v}{2}\ln 2\pi
                    - \tfrac12\ln\det K + \tfrac12 J^T K^{-1} J .
        """
        from scipy.linalg import cho_solve
        K, c = self._factor()
        logdet = 2.0 * float(np.sum(np.log(np.diag(c[0]))))      # ln det K = 2 Σ ln L_ii
        J = self.source()
        return float(0.5 * self.n_hidden * math.log(2 * math.pi * self.sigma_h2)
                     + 0.5 * self.n_visible * math.log(2 * math.pi) - 0.5 * logdet
                     + 0.5 * J @ cho_solve(c, J))

    def log_likelihood(self, data):
        r"""Exact mean log-likelihood :math:`\langle\ln p(\phi)\rangle_\text{data}
        = -\langle F(\phi)\rangle - \ln Z`."""
        log_z = self.log_partition()                  # checks stability first
        return float(-np.mean(self.free_energy(data)) - log_z)

    def moment_statistics(self, mean, second):
        r"""Averages of :math:`-\partial F/\partial\theta` over a distribution of :math:`\phi`
        given only its mean :math:`m` and second moment :math:`S = \langle\phi\phi^T\rangle`
        (the statistics are linear in them): :math:`W`: :math:`m\eta^T + \sigma_h^2 SW`;
        :math:`\eta`: :math:`W^Tm`; :math:`\mu^2`: :math:`-\tfrac12\operatorname{tr}S`.
        The positive phase of training from a target kernel (App. A of
        [AartsLuciniPark2024]_: "directly using the analytical form of the kernel")."""
        W = self.W.astype(np.float64)
        V = self.n_visible
        m = as_float_array(mean, "mean of phi", ndim=1, dtype=np.float64)
        S = as_float_array(second, "second moment <phi phi^T>", ndim=2, dtype=np.float64)
        if m.shape != (V,) or S.shape != (V, V):
            raise ValueError(f"moment_statistics needs a mean of shape ({V},) and a second "
                             f"moment of shape ({V}, {V}) for {V} visible units, got "
                             f"{m.shape} and {S.shape}")
        out = {"W": np.outer(m, self.eta) + self.sigma_h2 * S @ W, "eta": W.T @ m}
        if self.learn_mu2:
            out["mu2"] = np.array(-0.5 * np.trace(S))
        return out

    def model_statistics(self):
        r"""Exact model averages of :math:`-\partial F/\partial\theta` (the negative phase):

        .. math::

            \langle\phi\,E[h|\phi]^T\rangle = m\eta^T + \sigma_h^2(K^{-1} + mm^T)W,\quad
            \langle W^T\phi\rangle = W^T m,\quad
            \langle -\tfrac12|\phi|^2\rangle = -\tfrac12\operatorname{tr}(K^{-1} + mm^T),

        with :math:`m = K^{-1}J`.  Keys as :attr:`params`.
        """
        m = self.marginal_mean()
        return self.moment_statistics(m, self.marginal_covariance() + np.outer(m, m))

    # -------------------------------------------------------------- learning
    def _map_statistics(self, raw, v, w):
        out = {"W": raw["W"], "eta": raw["b"] / self.sigma_h2 - float(w.sum()) * self.eta
               / self.sigma_h2}
        if self.learn_mu2:
            out["mu2"] = np.array(-0.5 * float(w @ (v * v).sum(1)))
        return out

    def _map_increments(self, raw, X, n_pos, lr):
        # the constant eta^T eta / 2 sigma_h^2 cancels between the phases
        out = {"W": raw["W"], "eta": raw["b"] / self.sigma_h2}
        if self.learn_mu2:
            x = X.astype(np.float64)
            sq = (x * x).sum(1)
            C = X.shape[0] - n_pos
            out["mu2"] = np.array(-0.5 * lr * (sq[:n_pos].mean() - sq[n_pos:].sum() / C))
        return out


class GaussianBernoulliRBM(RBM):
    r"""Gaussian visible field, binary hidden units (module docstring).

    .. math::

        S(\phi, h) = \tfrac12\mu^2\phi^T\phi - a^T\phi - \phi^T W h - b^T h,\qquad
        F(\phi) = \tfrac12\mu^2\phi^T\phi - a^T\phi - \sum_j\ln 2\cosh(b_j + (W^T\phi)_j)
        \ (\pm1\ \text{hidden}).

    Parameters
    ----------
    W : array_like (n_visible, n_hidden)
    mu2 : float > 0
        Mass term of the visible field (fixed).
    a, b : array_like, optional
        Visible and hidden linear fields (zero by default).
    hidden : {"spin", "bernoulli"}
        ±1 hidden spins (the :math:`\ln\cosh` interactions of Eqs. (91)-(95),
        [AartsLuciniPark2024]_) or {0,1} units.

    Introduced in Chapter 5.
    """

    def __init__(self, W, mu2, a=None, b=None, *, hidden="spin"):
        if hidden == "spin":
            h_units = Spin()
        elif hidden == "bernoulli":
            h_units = Bernoulli()
        else:
            raise ValueError(f"hidden must be 'spin' or 'bernoulli', got {hidden!r}")
        self._mu2v = _check_mu2(mu2)
        super().__init__(W, a, b, visible=Gaussian(1.0 / self._mu2v), hidden=h_units)

    @property
    def mu2(self) -> float:
        return self._mu2v

    def config(self):
        return {"mu2": self._mu2v, "hidden": self.hidden.name}

    @classmethod
    def _construct(cls, W, a, b, **units):
        raise TypeError("use GaussianBernoulliRBM(W, mu2, ...) directly")
