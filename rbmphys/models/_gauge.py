r"""The exact gauge map between {0,1} and ±1 parametrisations.

With :math:`s = 2v - 1` and :math:`\sigma = 2h - 1`, a spin RBM :math:`(W, a, b)` and a
Bernoulli RBM :math:`(W', a', b')` assign the same energy to corresponding states up to a
constant :math:`c`,

.. math::

    E_{\pm}(s, \sigma) = E_{01}(v, h) + c, \qquad
    W' = 4W, \quad a' = 2a - 2W\mathbf 1, \quad b' = 2b - 2W^T\mathbf 1,

    c = -\mathbf 1^T W \mathbf 1 + \mathbf 1^T a + \mathbf 1^T b,

so :math:`p_\pm(s) = p_{01}(v)` exactly and :math:`\ln Z_\pm = \ln Z_{01} - c`.  Biases
change, physics does not.  (:meth:`rbmphys.RBM.bernoulli_form` is the same map for any pair
of binary unit types.)  Introduced in Chapter 1.
"""

from __future__ import annotations

import numpy as np

from ._binary import BernoulliRBM, SpinRBM
from ._units import Bernoulli, Spin

__all__ = ["gauge_to_bernoulli", "gauge_to_spin", "spins_to_bits", "bits_to_spins"]


def spins_to_bits(s):
    """Map ±1 states to {0,1}: v = (s + 1) / 2 (dtype kept)."""
    s = np.asarray(s)
    return (s + 1) // 2 if s.dtype.kind in "iu" else (s + 1) / 2


def bits_to_spins(v):
    """Map {0,1} states to ±1: s = 2v - 1 (dtype kept)."""
    return 2 * np.asarray(v) - 1


def _check_units(model, unit_type, fname, expected):
    if not (getattr(model, "visible", None) == unit_type()
            and getattr(model, "hidden", None) == unit_type()):
        raise TypeError(f"{fname} expects a model with {unit_type.__name__} units on both "
                        f"layers ({expected}), got {type(model).__name__}")


def gauge_to_bernoulli(model):
    r"""Map a ±1 model (:class:`SpinRBM`) to the equivalent :class:`BernoulliRBM`.

    Returns
    -------
    bernoulli : BernoulliRBM
        Same dtype as ``model``.
    c : float
        The constant with :math:`E_\pm(2v-1, 2h-1) = E_{01}(v,h) + c`, hence
        :math:`\ln Z_\pm = \ln Z_{01} - c` and :math:`F_\pm(2v-1) = F_{01}(v) + c`.
    """
    _check_units(model, Spin, "gauge_to_bernoulli", "a SpinRBM")
    W, a, b, c = model.bernoulli_form()
    return BernoulliRBM(W, a, b).astype(model.dtype), c


def gauge_to_spin(model):
    r"""Map a {0,1} model (:class:`BernoulliRBM`) to the equivalent :class:`SpinRBM`.

    .. math::

        W_\pm = W/4,\quad a_\pm = a/2 + W\mathbf 1/4,\quad b_\pm = b/2 + W^T\mathbf 1/4,\quad
        E_{01}(v,h) = E_\pm(s,\sigma) + c', \quad
        c' = -\tfrac14 \mathbf 1^T W \mathbf 1 - \tfrac12 \mathbf 1^T a - \tfrac12 \mathbf 1^T b .

    Returns
    -------
    spin : SpinRBM
    c : float
        The constant :math:`c'` above (:math:`\ln Z_{01} = \ln Z_\pm - c'`).
    """
    _check_units(model, Bernoulli, "gauge_to_spin", "a BernoulliRBM")
    W = model.W.astype(np.float64)
    a, b = model.a.astype(np.float64), model.b.astype(np.float64)
    c = float(-0.25 * W.sum() - 0.5 * a.sum() - 0.5 * b.sum())
    out = SpinRBM(0.25 * W, 0.5 * a + 0.25 * W.sum(axis=1), 0.5 * b + 0.25 * W.sum(axis=0))
    return out.astype(model.dtype), c
