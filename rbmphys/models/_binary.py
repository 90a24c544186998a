r"""Binary restricted Boltzmann machines: {0,1} units (:class:`BernoulliRBM`) and ±1 units
(:class:`SpinRBM`).

Both share the energy of :mod:`rbmphys.conventions`,

.. math::

    E(v, h) = -v^T W h - a^T v - b^T h ,

and differ only in the values a unit takes (:class:`rbmphys.units.Bernoulli`,
:class:`rbmphys.units.Spin`).  Summing the hidden layer out analytically gives the free energy
(Eq. (A1) of [PozasKerstjens2021]_ with the sign the checks confirm, see
:class:`SpinRBM`),

.. math::

    F(v) = -a^T v - \sum_j \ln \sum_{h_j} e^{h_j (b_j + (W^T v)_j)} ,

and the conditionals factorise over units (Eqs. (D1)-(D2) and (B2) of [PozasKerstjens2021]_;
Eqs. (10)-(11) of [ToledoMarin2025]_):

.. math::

    \{0,1\}:\quad p(h_j = 1 | v) = \sigma(b_j + (W^T v)_j), \qquad
    p(v_i = 1 | h) = \sigma(a_i + (W h)_i),

    \pm 1:\quad p(h_j = +1 | v) = \sigma(2 (b_j + (W^T v)_j)), \qquad
    p(v_i = +1 | h) = \sigma(2 (a_i + (W h)_i)).

Introduced in Chapter 1.

References
----------
.. [PozasKerstjens2021] A. Pozas-Kerstjens et al., Efficient training of energy-based models
   via spin-glass control (2021).
.. [ToledoMarin2025] J. Q. Toledo-Marin, A. Maiti, G. C. Fox, R. G. Melko, Mach. Learn.: Sci.
   Technol. 6, 035030 (2025).
"""

from __future__ import annotations

import numpy as np
from scipy import special

from ._base import RBM
from ._units import Bernoulli, Spin

__all__ = ["BernoulliRBM", "SpinRBM", "log_sigmoid", "sigmoid"]


def sigmoid(x):
    r"""Logistic function :math:`\sigma(x) = 1/(1+e^{-x})` (``scipy.special.expit``), float64."""
    return special.expit(np.asarray(x, dtype=np.float64))


def log_sigmoid(x):
    r""":math:`\ln\sigma(x) = -\ln(1 + e^{-x})` (``scipy.special.log_expit``), float64."""
    return special.log_expit(np.asarray(x, dtype=np.float64))


class BernoulliRBM(RBM):
    r"""RBM with {0,1} visible and hidden units.

    .. math::

        E(v,h) = -v^T W h - a^T v - b^T h, \quad v \in \{0,1\}^V,\ h \in \{0,1\}^H,

        F(v) = -a^T v - \sum_j \ln\big(1 + e^{b_j + (W^T v)_j}\big).

    Parameters
    ----------
    W : array_like, shape (n_visible, n_hidden)
        Weights; float32 or float64 is kept, anything else becomes float64.  The model keeps
        its own copy of every array it is given.
    a : array_like, shape (n_visible,), optional
        Visible bias (field); zero by default.
    b : array_like, shape (n_hidden,), optional
        Hidden bias (field); zero by default.

    Examples
    --------
    The free energy sums the hidden layer exactly:

    >>> import numpy as np, rbmphys as rp
    >>> m = rp.BernoulliRBM.random(3, 2, weight_scale=1.0, rng=0)
    >>> v = np.array([[1, 0, 1]])
    >>> hs = np.array([[0, 0], [0, 1], [1, 0], [1, 1]])
    >>> brute = -np.log(np.exp(-m.energy(np.repeat(v, 4, 0), hs)).sum())
    >>> bool(np.isclose(m.free_energy(v)[0], brute, rtol=1e-12))
    True

    Introduced in Chapter 1.
    """

    def __init__(self, W, a=None, b=None):
        super().__init__(W, a, b, visible=Bernoulli(), hidden=Bernoulli())


class SpinRBM(RBM):
    r"""RBM with ±1 visible and hidden units (an Ising model on a bipartite graph).

    .. math::

        E(s,\sigma) = -s^T W \sigma - a^T s - b^T \sigma, \quad s \in \{\pm1\}^V,\
        \sigma \in \{\pm1\}^H,

        F(s) = -a^T s - \sum_j \ln\big(2\cosh(b_j + (W^T s)_j)\big).

    This is Eq. (A2) of [PozasKerstjens2021]_ *with the minus sign*: the printed closed form
    lacks it, but :math:`e^{-F} = \sum_\sigma e^{-E}` and enumeration (error 1.8e-15; the book's
    appendix A.1) fix it.  RAPID uses no biases
    (``a = b = 0``, the default).

    Parameters
    ----------
    W : array_like, shape (n_visible, n_hidden)
    a, b : array_like, optional
        Visible and hidden fields, zero by default.

    Introduced in Chapter 1.
    """

    def __init__(self, W, a=None, b=None):
        super().__init__(W, a, b, visible=Spin(), hidden=Spin())
