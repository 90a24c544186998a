r"""The :math:`\ln\cosh` interactions of a Gaussian field coupled to binary hidden spins.

Summing ±1 hidden spins out of :math:`S(\phi, h) = V_\phi - \sum_a h_a\psi_a` with
:math:`\psi_a = \eta_a + (W^T\phi)_a` leaves (Eq. (91) of [AartsLuciniPark2024]_)

.. math::

    S(\phi) = V_\phi - \sum_a\ln(2\cosh\psi_a),\qquad
    -\ln\cosh\psi = \sum_{n\ge1}(-1)^n\frac{c_n}{(2n)!}\psi^{2n}\quad\text{(92)},

with the tangent numbers :math:`c_n = 1, 2, 16, 272, 7936, \dots` (the coefficients of
:math:`\tanh`, the derivative of :math:`\ln\cosh`).  To quartic order the field theory has a
mass shift :math:`-\tfrac12\phi^TWW^T\phi` (93) and the quartic couplings (94)-(95)

.. math::

    \frac1{12}\sum_a\psi_a^4 \ni \frac{1}{12}\sum_{ijkl}\lambda_{ijkl}\phi_i\phi_j\phi_k\phi_l,
    \qquad \lambda_{ijkl} = \sum_a W_{ia}W_{ja}W_{ka}W_{la}.

:func:`lncosh_coefficients` reads :math:`c_n` off sympy's series of :math:`\ln\cosh`;
:func:`quartic_couplings` builds :math:`\lambda` (numerically, with ``numpy.einsum``).

Introduced in Chapter 5.

References
----------
.. [AartsLuciniPark2024] G. Aarts, B. Lucini, C. Park, Phys. Rev. D 109, 034521 (2024), Sec. VI.
"""

from __future__ import annotations

import functools

import numpy as np
import sympy as sp

from .._validation import check_int

#: Largest ``n`` :func:`lncosh_coefficients` accepts (about 4 s; the series grows fast).
MAX_LNCOSH_TERMS = 40

__all__ = ["lncosh_coefficients", "lncosh_series", "quartic_couplings"]


@functools.lru_cache(maxsize=8)
def lncosh_series(order):
    """The Taylor series of :math:`-\\ln\\cosh\\psi` up to (excluding) ``psi**order``."""
    psi = sp.Symbol("psi")
    return sp.series(-sp.log(sp.cosh(psi)), psi, 0, order).removeO(), psi


def lncosh_coefficients(n):
    r"""The first ``n`` coefficients :math:`c_k` of Eq. (92),
    :math:`-\ln\cosh\psi = \sum_k (-1)^k c_k\,\psi^{2k}/(2k)!`, read off sympy's series.

    Examples
    --------
    >>> lncosh_coefficients(5)
    [1, 2, 16, 272, 7936]
    """
    n = check_int(n, "n (number of coefficients, a positive integer)", 1, MAX_LNCOSH_TERMS,
                  hint=f"sympy's series takes seconds at n = {MAX_LNCOSH_TERMS} and grows "
                       "fast; beyond it use the tangent numbers' recurrence (c_k = "
                       "2^{2k}(2^{2k}-1)|B_{2k}|/(2k), Bernoulli numbers)")
    ser, psi = lncosh_series(2 * n + 1)
    poly = sp.Poly(ser, psi)
    return [int((-1) ** k * poly.coeff_monomial(psi ** (2 * k)) * sp.factorial(2 * k))
            for k in range(1, n + 1)]


def quartic_couplings(W):
    r""":math:`\lambda_{ijkl} = \sum_a W_{ia}W_{ja}W_{ka}W_{la}` (Eqs. (94)-(95)), float64
    array of shape (V, V, V, V)."""
    W = np.asarray(W, dtype=np.float64)
    if W.ndim != 2:
        raise ValueError(f"W must be 2-dimensional, got shape {W.shape}")
    return np.einsum("ia,ja,ka,la->ijkl", W, W, W, W)
