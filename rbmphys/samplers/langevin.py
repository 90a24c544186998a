r"""Overdamped Langevin dynamics of decoupled modes and the relaxation rates it shows
(Toledo-Marin et al. Sec. 4.1, eq. (33); Chapter 7).

:func:`langevin` integrates :math:`d\mathbf z = -\nabla\Phi\,dt + \sqrt2\,d\mathbf W` by
Euler–Maruyama for potentials whose gradient is a polynomial in each coordinate (the jit kernel
:mod:`rbmphys.kernels._langevin`, counter RNG: the same walkers for any thread count);
:func:`relaxation_rate` turns a stationary time series into the rate of its slowest
exponential, from the integrated autocorrelation time of Chapter 2.

Introduced in Chapter 7.
"""

from __future__ import annotations

import numpy as np

from .._validation import as_float_array, as_generator, check_int, check_real
from ._autocorr import integrated_autocorr_time

__all__ = ["langevin", "relaxation_rate", "ou_discrete_rate"]


def langevin(drift, z0, *, dt, n_steps, thin=1, center=None, rng=None):
    r"""Euler–Maruyama trajectories of overdamped Langevin dynamics (33).

    Parameters
    ----------
    drift : array_like (n, d)
        Polynomial coefficients of the gradient, :math:`\Phi_i'(z) = \sum_k
        \text{drift}[i, k]\,(z - \text{center}_i)^k`. A harmonic mode with curvature Γ is
        ``[[0, Γ]]``; the Landau well of Chapter 8 ``[[h, k − σ, γ, α]]``.
    z0 : array_like (R, n)
        Initial positions of R independent walkers.
    dt : float
        Time step (> 0); the drift must satisfy :math:`\Delta t\,|\Phi''| < 2` for stability.
    n_steps, thin : int
        Steps to take; every ``thin``-th state is returned.
    center : array_like (n,), optional
        Expansion points of the polynomials (default 0).
    rng : int or Generator
        Seed of the counter RNG.

    Returns
    -------
    ndarray (n_steps // thin, R, n)

    Examples
    --------
    An Ornstein–Uhlenbeck mode with Γ = 2 relaxes to variance 1/Γ:

    >>> z = langevin([[0.0, 2.0]], np.zeros((2000, 1)), dt=0.01, n_steps=400, thin=400, rng=0)
    >>> round(float(z[-1].var()), 1)
    0.5

    Introduced in Chapter 7.
    """
    from ..kernels._langevin import langevin_run
    drift = as_float_array(drift, "drift coefficients", ndim=2)
    z0 = as_float_array(z0, "z0", ndim=2)
    if drift.shape[0] < 1 or drift.shape[1] < 1:
        raise ValueError(f"drift coefficients must have shape (n_modes, degree + 1) with both "
                         f">= 1, got {drift.shape}")
    if z0.shape[0] < 1:
        raise ValueError("z0 must hold at least one walker (shape (R, n) with R >= 1)")
    if z0.shape[1] != drift.shape[0]:
        raise ValueError(f"z0 has {z0.shape[1]} coordinates but drift has {drift.shape[0]} rows")
    center = np.zeros(drift.shape[0]) if center is None else as_float_array(center, "center",
                                                                             ndim=1)
    if center.shape != (drift.shape[0],):
        raise ValueError(f"center must have {drift.shape[0]} entries")
    dt = check_real(dt, "dt", low=0.0, low_open=True)
    n_steps = check_int(n_steps, "n_steps", minimum=1)
    thin = check_int(thin, "thin", minimum=1, maximum=n_steps)
    _check_stable(drift, center, z0, dt, "at the initial positions z0")
    key = int(as_generator(rng).integers(0, 2**63))
    out = langevin_run(z0, drift, center, dt, n_steps, thin, key)
    if not np.all(np.isfinite(out)):
        raise ValueError(f"the Langevin walkers ran away to infinity with dt = {dt:g}: the "
                         "Euler-Maruyama step is stable only while dt |Phi''(z)| < 2 along the "
                         "path; lower dt")
    _check_stable(drift, center, out[-1], dt, "at the final positions")
    return out


def _curvature(drift, center, z):
    r""":math:`\Phi_i''(z) = \sum_k k\,\text{drift}[i,k]\,(z-c_i)^{k-1}` at walkers ``z``."""
    x = np.asarray(z, dtype=np.float64) - center
    out = np.zeros_like(x)
    with np.errstate(over="ignore", invalid="ignore"):
        for k in range(1, drift.shape[1]):
            out += k * drift[:, k] * x ** (k - 1)
    return out


def _check_stable(drift, center, z, dt, where):
    """Refuse a step with dt |Phi''| >= 2 (Euler-Maruyama diverges): the docstring's condition."""
    worst = float(np.max(np.abs(_curvature(drift, center, z)))) * dt
    if not worst < 2.0:
        raise ValueError(f"dt = {dt:g} is too large for this drift {where}: dt |Phi''(z)| = "
                         f"{worst:.3g} must stay below 2 for Euler-Maruyama to be stable; use "
                         f"dt < {2.0 * dt / worst if worst > 0 and np.isfinite(worst) else 0:.3g}")


def relaxation_rate(series, dt_record):
    r"""Rate Γ of the slowest exponential in a stationary series sampled every ``dt_record``:
    with the integrated autocorrelation time τ (in records, :func:`rbmphys.analysis.stats.
    integrated_autocorr_time`) of an AR(1) process, :math:`\rho = (\tau - 1)/(\tau + 1)` and
    :math:`\Gamma = -\ln\rho/\Delta t_\text{record}`.

    For Euler–Maruyama with step Δt the exact one-step correlation of an Ornstein–Uhlenbeck
    mode is 1 − ΓΔt, so the measured rate is :func:`ou_discrete_rate` rather than Γ (a 4 %
    difference at ΓΔt = 0.08).
    """
    dt_record = check_real(dt_record, "dt_record (time between records)", low=0.0,
                           low_open=True)
    series = as_float_array(series, "series")
    if series.size < 2 or not np.all(np.isfinite(series)):
        raise ValueError(f"series must hold at least 2 finite values, got {series.size} values"
                         f"{'' if np.all(np.isfinite(series)) else ' with NaN or inf'}")
    tau = integrated_autocorr_time(series)
    if tau <= 1.0:
        return np.inf
    return float(-np.log((tau - 1.0) / (tau + 1.0)) / dt_record)


def ou_discrete_rate(gamma, dt):
    r"""The relaxation rate an Euler–Maruyama chain with step ``dt`` shows for an
    Ornstein–Uhlenbeck mode of rate Γ: :math:`-\ln(1 - \Gamma\Delta t)/\Delta t`."""
    gamma = np.asarray(gamma, dtype=np.float64)
    return -np.log1p(-gamma * dt) / dt
