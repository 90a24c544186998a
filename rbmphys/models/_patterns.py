r"""Pattern-parametrised weights: the Regularised Axons (RA) of Pozas-Kerstjens et al.

K joint patterns :math:`\xi^{(k)} = (\xi_v^{(k)}, \xi_h^{(k)}) \in \{\pm1\}^{V+H}` define the
weights of a ±1 RBM by the Hebb rule restricted to the visible–hidden block, eq. (5) of
[PozasKerstjens2021]_:

.. math::

    W_{i\alpha} = \frac{1}{\sqrt K}\sum_{k=1}^K \xi_i^{(k)}\xi_\alpha^{(k)},
    \qquad W = \xi_v^T\xi_h/\sqrt K \quad(\xi_v: K\times V,\ \xi_h: K\times H).

Two limits bracket the family:

* **Mattis** (K = 1): :math:`W = \xi_v\xi_h^T` is unfrustrated; the ground states are exactly
  :math:`\pm(\xi_v, \xi_h)` with :math:`E_0 = -VH` (Chapter 1).
* **Sherrington–Kirkpatrick** (K → ∞): an entry is a sum of K independent ±1 over √K, so
  :math:`W_{i\alpha} = (2\,\mathrm{Bin}(K, \tfrac12) - K)/\sqrt K` with
  :math:`\langle W^2\rangle = 1` and :math:`\langle W^4\rangle = 3 - 2/K` (Gaussian couplings:
  the spin glass where standard initialisations start).

In between, K/(V+H) plays the role of the Hopfield load: small loads keep a few low-energy
minima close to the patterns, which is what the pattern-induced negative phase of
:class:`rbmphys.RAPID` relies on.

Introduced in Chapter 9.

References
----------
.. [PozasKerstjens2021] A. Pozas-Kerstjens et al., *Efficient training of energy-based models
   via spin-glass control*, Mach. Learn.: Sci. Technol. 2, 025026 (2021).
"""

from __future__ import annotations

import math

import numpy as np

from .._validation import as_float_array, check_int
from ._binary import SpinRBM
from ._units import Spin

__all__ = ["pattern_weights", "random_pattern_pair", "pattern_rbm", "pattern_weight_moments"]


def _check_patterns(xi_v, xi_h):
    xv = as_float_array(xi_v, "visible patterns xi_v", ndim=2)
    xh = as_float_array(xi_h, "hidden patterns xi_h", ndim=2)
    if xv.shape[0] != xh.shape[0]:
        raise ValueError(f"xi_v and xi_h must hold the same number of patterns K (rows), got "
                         f"{xv.shape[0]} and {xh.shape[0]}")
    if xv.shape[0] < 1:
        raise ValueError("at least one pattern (K >= 1) is needed")
    return xv, xh


def pattern_weights(xi_v, xi_h, dtype=np.float64):
    r"""Weights from patterns, eq. (5): :math:`W = \xi_v^T\xi_h/\sqrt K`.

    Parameters
    ----------
    xi_v : array_like (K, V)
    xi_h : array_like (K, H)
        Visible and hidden parts of the K patterns (±1, or continuous values for the
        clipped variant of App. B).

    Returns
    -------
    W : ndarray (V, H)

    Examples
    --------
    >>> import numpy as np
    >>> pattern_weights([[1, -1]], [[1, 1, -1]])       # Mattis, K = 1
    array([[ 1.,  1., -1.],
           [-1., -1.,  1.]])
    """
    xv, xh = _check_patterns(xi_v, xi_h)
    W = xv.T @ xh
    W *= _normalisation(xv.shape[0])
    return W.astype(dtype, copy=False)


def _normalisation(K):
    """The 1/√K of eq. (5): keeps ⟨W²⟩ = 1 for every K."""
    return 1.0 / math.sqrt(K)


def random_pattern_pair(n_patterns, n_visible, n_hidden, *, rng=None):
    """K independent uniform ±1 patterns (the initialisation of Algorithm 1).

    Drawn from the counter RNG (:mod:`rbmphys.kernels._rng`) keyed by ``rng``, so the same seed
    gives the same patterns on every machine and thread count.

    Returns
    -------
    xi_v : ndarray (K, V), xi_h : ndarray (K, H)
    """
    from .._validation import draw_key
    from ..kernels._rng import derive_key
    K = check_int(n_patterns, "n_patterns (K)", 1)
    V = check_int(n_visible, "n_visible", 1)
    H = check_int(n_hidden, "n_hidden", 1)
    key = draw_key(rng)
    unit = Spin()
    return (unit.random_states(K, V, derive_key(key, 1), np.float64),
            unit.random_states(K, H, derive_key(key, 2), np.float64))


def pattern_rbm(n_visible, n_hidden, n_patterns, *, scale=1.0, rng=None, dtype=np.float64):
    r"""A ±1 RBM without biases whose weights come from K random patterns (an RA-RBM).

    ``scale`` multiplies eq. (5) (Fig. 1 of the paper varies the weight standard deviation,
    which is ``scale`` since :math:`\langle W^2\rangle = 1`).  Returns the model; its patterns
    are ``random_pattern_pair(n_patterns, n_visible, n_hidden, rng=rng)``.
    """
    xv, xh = random_pattern_pair(n_patterns, n_visible, n_hidden, rng=rng)
    W = pattern_weights(xv, xh) * float(scale)
    return SpinRBM(W.astype(dtype))


def pattern_weight_moments(n_patterns):
    r"""Exact :math:`\langle W^2\rangle` and :math:`\langle W^4\rangle` of one entry of eq. (5)
    over uniform random ±1 patterns: :math:`W = S/\sqrt K` with S a sum of K independent
    signs, so :math:`\langle S^2\rangle = K`, :math:`\langle S^4\rangle = 3K^2 - 2K`:

    .. math::  \langle W^2\rangle = 1, \qquad \langle W^4\rangle = 3 - 2/K .

    (Computed here from the binomial law with :mod:`scipy.stats`, not typed in.)
    """
    from scipy import stats
    K = check_int(n_patterns, "n_patterns (K)", 1)
    s = 2 * np.arange(K + 1) - K
    p = stats.binom.pmf(np.arange(K + 1), K, 0.5)
    return float(p @ s.astype(float) ** 2 / K), float(p @ s.astype(float) ** 4 / K ** 2)
