r"""Closed forms of the trained scalar-field RBM (Aarts, Lucini, Park, Secs. IV-V, App. B).

Introduced in Chapter 5 (and the rates in Chapter 4).
"""

from __future__ import annotations

import numpy as np

from .._validation import as_float_array, check_int, check_real

__all__ = ["learnt_eigenvalues", "n_learnable_modes", "kl_gaussian", "kl_after_training",
           "modes_below_cutoff", "relaxation_rates", "mode_flow_time"]


def learnt_eigenvalues(kappa, mu2, n_hidden=None):
    r"""The RBM kernel's eigenvalues at the end of training, Eqs. (81), (84):

    .. math::

        \lambda_\alpha = \begin{cases}\min(\kappa_\alpha, \mu^2) & \alpha \le N_h
        \ (\text{the } N_h \text{ smallest } \kappa)\\ \mu^2 & \text{otherwise,}\end{cases}

    i.e. the infrared part of the target spectrum is reproduced and the ultraviolet part
    (κ above μ², or beyond the N_h smallest) sits at μ².  Sorted ascending."""
    k = np.sort(as_float_array(kappa, "target eigenvalues kappa", ndim=1))
    mu2 = check_real(mu2, "mu2", low=0, low_open=True)
    nh = len(k) if n_hidden is None else check_int(n_hidden, "n_hidden", 1, len(k))
    lam = np.full(len(k), mu2)
    lam[:nh] = np.minimum(k[:nh], mu2)
    return np.sort(lam)


def n_learnable_modes(kappa, mu2, n_hidden=None):
    r"""Number of modes the RBM learns: :math:`\min(N_h, \#\{\kappa_\alpha < \mu^2\})`."""
    k = as_float_array(kappa, "target eigenvalues kappa", ndim=1)
    nh = len(k) if n_hidden is None else check_int(n_hidden, "n_hidden", 1, len(k))
    return int(min(nh, np.sum(k < mu2)))


def kl_gaussian(a, b):
    r"""KL divergence (B7) between zero-mean Gaussians diagonal in one basis, with
    precisions (eigenvalues) ``a`` (target p) and ``b`` (model q):

    .. math:: \mathrm{KL}(p\|q) = \tfrac12\sum_i\Big(-1 + \frac{b_i}{a_i} - \ln\frac{b_i}{a_i}\Big).
    """
    a = as_float_array(a, "target precisions a", ndim=1)
    b = as_float_array(b, "model precisions b", ndim=1)
    if a.shape != b.shape or np.any(a <= 0) or np.any(b <= 0):
        raise ValueError("a and b must be positive precisions of the same length")
    r = b / a
    return float(0.5 * np.sum(-1.0 + r - np.log(r)))


def kl_after_training(kappa, mu2, n_hidden=None):
    r"""KL divergence of the trained RBM from the target, (B7) with the learnt eigenvalues
    of :func:`learnt_eigenvalues` — (B8) when μ² is above every κ:
    :math:`\tfrac12\sum_{i > N_h}(-1 + \mu^2/\kappa_i - \ln(\mu^2/\kappa_i))`."""
    k = np.sort(as_float_array(kappa, "target eigenvalues kappa", ndim=1))
    return kl_gaussian(k, learnt_eigenvalues(k, mu2, n_hidden))


def modes_below_cutoff(correlation, mu2):
    r"""Number of modes of data with correlation matrix :math:`\langle\phi\phi^T\rangle` that
    an RBM with mass μ² can learn: :math:`\#\{\kappa_\alpha < \mu^2\} =
    \#\{\text{eig}\langle\phi\phi^T\rangle > 1/\mu^2\}` (Sec. V, the count "289 of 784" for MNIST
    at μ² = 100)."""
    C = as_float_array(correlation, "correlation matrix", ndim=2)
    mu2 = check_real(mu2, "mu2", low=0, low_open=True)
    ev = np.linalg.eigvalsh(0.5 * (C + C.T))
    return int(np.sum(ev > 1.0 / mu2))


def relaxation_rates(kappa1, kappa2, mu2):
    r""":math:`(\gamma_1, \gamma_2, \gamma_{\Delta\theta})` of Eq. (67) (in units of
    :math:`\sigma_h^2`; the Jacobian eigenvalues are :math:`-2\gamma_1, -\gamma_{\Delta\theta},
    -2\gamma_2`, see :mod:`rbmphys.symbolic.gaussian`)."""
    g1 = (mu2 - kappa1) / kappa1**2
    g2 = (mu2 - kappa2) / kappa2**2
    return g1, g2, kappa1 / kappa2 * g1 + kappa2 / kappa1 * g2


def mode_flow_time(lam, lam0, kappa, mu2, sigma_h2=1.0):
    r"""Learning time at which one mode of the decoupled flow (80) has RBM eigenvalue
    :math:`\lambda`, starting from :math:`\lambda_0` (the flow at fixed μ², solved in closed
    form).  With :math:`\lambda = \mu^2 - \sigma_h^2\xi^2` the flow reads
    :math:`\dot\lambda = -2\sigma_h^2(\mu^2 - \lambda)(\lambda - \kappa)/(\kappa\lambda)`;
    separating variables and splitting into partial fractions,

    .. math::

        t(\lambda) = \frac{\kappa}{2\sigma_h^2(\mu^2 - \kappa)}\Big[
        \mu^2\ln\frac{\mu^2 - \lambda}{\mu^2 - \lambda_0}
        - \kappa\ln\frac{\lambda - \kappa}{\lambda_0 - \kappa}\Big],

    valid for a learnt mode (:math:`\kappa < \lambda < \mu^2`, λ falls to κ) and an unlearnt
    one (:math:`\lambda < \mu^2 < \kappa`, λ rises to μ²).  Broadcasts.  Introduced in
    Chapter 5."""
    lam, lam0, k = (np.asarray(x, dtype=np.float64) for x in (lam, lam0, kappa))
    mu2 = check_real(mu2, "mu2", low=0, low_open=True)
    s2 = check_real(sigma_h2, "sigma_h2", low=0, low_open=True)
    return k / (2 * s2 * (mu2 - k)) * (mu2 * np.log((mu2 - lam) / (mu2 - lam0))
                                       - k * np.log((lam - k) / (lam0 - k)))
