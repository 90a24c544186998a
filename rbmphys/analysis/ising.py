r"""Ising-model views of binary RBMs: Mattis and pattern weights, Hopfield couplings.

Pattern weights (Eq. (5) of [PozasKerstjens2021]_): from :math:`K` patterns
:math:`\xi^{(k)} = (\xi_v^{(k)}, \xi_h^{(k)}) \in \{\pm1\}^{V+H}`,

.. math::

    W_{i\alpha} = \frac{1}{\sqrt K} \sum_{k=1}^{K} \xi^{(k)}_i \xi^{(k)}_\alpha .

For :math:`K = 1` this is Mattis' unfrustrated model: the joint ground states are exactly
:math:`\pm(\xi_v, \xi_h)` with :math:`E_0 = -VH` (no biases, :math:`|W_{i\alpha}| = 1`).

Hopfield couplings (Eq. (E1)): summing out ±1 hidden units without biases,

.. math::

    -F(s) = \sum_\alpha \ln 2\cosh\big((W^T s)_\alpha\big)
          = H\ln 2 + \tfrac12 s^T J s - \tfrac1{12}\sum_\alpha (W^T s)_\alpha^4 + \dots,
    \qquad J = W W^T,

so for weak weights the visible marginal is the Hopfield model :math:`p(s) \propto
e^{\frac12 s^T J s}`, with corrections of order :math:`|W|^4`.  With pattern weights (Eq. (E2))
:math:`J_{ij} = \frac1K \sum_{kk'} \xi^{(k)}_i \xi^{(k')}_j M_{kk'}`,
:math:`M_{kk'} = \sum_\alpha \xi^{(k)}_\alpha \xi^{(k')}_\alpha`.

Introduced in Chapter 1.

References
----------
.. [PozasKerstjens2021] A. Pozas-Kerstjens et al., Efficient training of energy-based models
   via spin-glass control (2021).
"""

from __future__ import annotations

import numpy as np

from .._validation import as_generator, deprecated_positional
from ..models import SpinRBM
from ..models._patterns import pattern_weights  # the one implementation of eq. (5)

__all__ = ["random_patterns", "pattern_weights", "mattis_model", "hopfield_couplings",
           "hopfield_couplings_from_patterns", "hopfield_log_p"]


@deprecated_positional("rng")
def random_patterns(n_patterns, n_units, *, rng=None):
    """``n_patterns`` i.i.d. uniform ±1 patterns, shape (n_patterns, n_units)."""
    g = as_generator(rng)
    return 2.0 * g.integers(0, 2, size=(int(n_patterns), int(n_units))) - 1.0


@deprecated_positional("rng", "n_patterns")
def mattis_model(n_visible, n_hidden, *, rng=None, n_patterns=1):
    """A :class:`SpinRBM` with pattern weights and no biases; returns (model, xi_v, xi_h).

    ``n_patterns=1`` is Mattis' model: ground states exactly ±(ξ_v, ξ_h), E0 = −V·H.
    """
    g = as_generator(rng)
    xi_v = random_patterns(n_patterns, n_visible, rng=g)
    xi_h = random_patterns(n_patterns, n_hidden, rng=g)
    return SpinRBM(pattern_weights(xi_v, xi_h)), xi_v, xi_h


def hopfield_couplings(W):
    r"""Hopfield couplings :math:`J = W W^T` of the visible marginal (Eq. (E1))."""
    W = np.asarray(W, dtype=np.float64)
    return W @ W.T


def hopfield_couplings_from_patterns(xi_v, xi_h):
    r""":math:`J = \frac1K \xi_v^T M \xi_v`, :math:`M = \xi_h \xi_h^T` (Eq. (E2))."""
    xi_v = np.atleast_2d(np.asarray(xi_v, dtype=np.float64))
    xi_h = np.atleast_2d(np.asarray(xi_h, dtype=np.float64))
    M = xi_h @ xi_h.T
    return xi_v.T @ M @ xi_v / xi_v.shape[0]


def hopfield_log_p(J, states):
    r"""Normalised :math:`\ln p_J(s) = \tfrac12 s^T J s - \ln\sum_{s'} e^{\frac12 s'^T J s'}`.

    ``states`` must be *all* :math:`2^V` spin states (the normalisation sums over them).
    """
    s = np.asarray(states, dtype=np.float64)
    if len(s) != 2 ** s.shape[1]:
        raise ValueError("states must list all 2**V spin configurations")
    logw = 0.5 * np.einsum("bi,ij,bj->b", s, np.asarray(J, dtype=np.float64), s)
    return logw - np.logaddexp.reduce(logw)
