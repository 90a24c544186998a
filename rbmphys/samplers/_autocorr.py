r"""The integrated autocorrelation time of a Markov chain (Sokal's automatic window).

It inflates the standard error of a chain average (:mod:`rbmphys.analysis.stats`, where it is
re-exported) and gives the relaxation rate of Langevin dynamics
(:func:`rbmphys.samplers.relaxation_rate`).  It sits with the samplers so that they need
nothing from the analysis layer above them.

Introduced in Chapter 2.

References
----------
.. [Sokal1997] A. D. Sokal, *Monte Carlo methods in statistical mechanics: foundations and new
   algorithms*, in Functional Integration (Cargèse 1996), Plenum (1997), Sec. 3: the
   integrated autocorrelation time and its automatic window.
"""

from __future__ import annotations

import numpy as np

__all__ = ["integrated_autocorr_time"]


def integrated_autocorr_time(x, c=5.0):
    r"""Integrated autocorrelation time of a time series, with Sokal's automatic window.

    .. math::

        \hat\tau(M) = 1 + 2\sum_{t=1}^{M}\hat\rho(t), \qquad
        M = \min\{M : M \ge c\,\hat\tau(M)\},

    with :math:`\hat\rho(t)` the normalised autocovariance (computed by FFT).  The window trades
    bias (truncating a slow tail) for variance (summing noise); with :math:`c \approx 5`
    the relative error is about :math:`\sqrt{2(2M+1)/n}` (Sokal 1997, Sec. 3).  For an AR(1)
    process :math:`x_t = \rho x_{t-1} + \epsilon_t`: :math:`\tau = (1+\rho)/(1-\rho)`.
    Meant for positively correlated series (Markov chains): with an oscillating
    :math:`\rho(t)` the window closes at once and :math:`\hat\tau` is too small.

    Parameters
    ----------
    x : array_like (n,) or (n, k)
        One series, or ``k`` independent series of equal length in columns (time along axis 0;
        their autocorrelation functions are averaged).
    c : float
        Window constant.

    Returns
    -------
    float
        :math:`\hat\tau` in units of the sampling interval (1 for independent samples).

    Introduced in Chapter 2.
    """
    x = np.asarray(x, dtype=np.float64)
    if x.ndim == 1:
        x = x[:, None]
    if x.ndim != 2:
        raise ValueError("x must be a series (n,) or several series (n, k)")
    n = x.shape[0]
    if n < 10:
        raise ValueError(f"need at least 10 samples for an autocorrelation time, got {n}")
    if not np.all(np.isfinite(x)):
        raise ValueError("x must be finite")
    y = x - x.mean(axis=0)
    f = np.fft.rfft(y, 2 * n, axis=0)
    acov = np.fft.irfft(f * np.conj(f), axis=0)[:n].sum(axis=1)
    if acov[0] <= 0:
        raise ValueError("x is constant: the autocorrelation time is undefined")
    rho = acov / acov[0]
    taus = 2.0 * np.cumsum(rho) - 1.0
    ok = np.flatnonzero(np.arange(n) >= c * taus)
    return float(taus[ok[0]] if ok.size else taus[-1])
