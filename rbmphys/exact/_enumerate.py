r"""Exact enumeration: the oracle every sampler, estimator and trainer is tested against.

The partition function, the probabilities, the log-likelihood and its gradient of a binary RBM
are computed exactly by enumerating the *smaller* layer and summing the larger one
analytically:

.. math::

    Z = \sum_{v} e^{-F(v)} = \sum_{h} e^{-F_h(h)}, \qquad
    e^{-F(v)} = \sum_h e^{-E(v,h)}, \quad e^{-F_h(h)} = \sum_v e^{-E(v,h)},

i.e. :math:`2^{\min(V,H)}` terms instead of :math:`2^{V+H}`.  Spin (±1) models are enumerated
through the exact gauge map (:func:`rbmphys.gauge_to_bernoulli`):
:math:`\ln Z_\pm = \ln Z_{01} - c`.

The likelihood gradient is the positive minus the negative phase (Eqs. (4), (6a-c), (9a-c) of
[ToledoMarin2025]_),

.. math::

    \frac{\partial \mathcal L}{\partial W_{ij}} = \langle v_i h_j \rangle_{\mathcal D}
        - \langle v_i h_j \rangle_{\text{model}}, \qquad
    \langle v_i h_j \rangle_{\mathcal D} = \frac{1}{|\mathcal D|} \sum_\mu v^{(\mu)}_i
        \, E[h_j | v^{(\mu)}],

with :math:`E[h_j|v] = \sigma(\phi_j)` for {0,1} and :math:`\tanh\phi_j` for ±1 units.

Introduced in Chapter 1 (log Z, p(v), ground states) and Chapter 2 (gradient).

References
----------
.. [ToledoMarin2025] J. Q. Toledo-Marin, A. Maiti, G. C. Fox, R. G. Melko, Mach. Learn.: Sci.
   Technol. 6, 035030 (2025).
"""

from __future__ import annotations

import dataclasses

import numpy as np

from ..kernels._exact import gray_log_partition
from ..models import BernoulliRBM, SpinRBM, gauge_to_bernoulli
from ..models._binary import _log_2cosh

__all__ = ["all_states", "log_partition", "log_partition_numpy", "log_p", "p",
           "visible_distribution", "log_likelihood", "expectations", "gradient",
           "kl_divergence", "ground_states", "GroundStates", "MAX_ENUMERATED"]

#: Default largest log2(number of enumerated states).
MAX_ENUMERATED = 26
_CHUNK = 4096


def all_states(n, units="bernoulli"):
    """All :math:`2^n` states as rows (float64), in binary counting order: row k is the binary
    expansion of k with unit 0 as the most significant bit ({0,1}, or ±1 for ``"spin"``)."""
    if int(n) != n or n < 1 or n > 24:
        raise ValueError(f"number of units n must be an integer in [1, 24], got {n}")
    n = int(n)
    k = np.arange(2**n, dtype=np.int64)
    bits = ((k[:, None] >> np.arange(n - 1, -1, -1)[None, :]) & 1).astype(np.float64)
    if units == "bernoulli":
        return bits
    if units == "spin":
        return 2.0 * bits - 1.0
    raise ValueError(f"units must be 'bernoulli' or 'spin', got {units!r}")


def _check_model(model):
    if not isinstance(model, (BernoulliRBM, SpinRBM)):
        raise TypeError(f"expected a BernoulliRBM or SpinRBM, got {type(model).__name__}")
    model.check_parameters()


def _bernoulli_form(model):
    """(W, a, b) in float64 of the {0,1} model, and the constant c with ln Z = ln Z_01 − c."""
    _check_model(model)
    if isinstance(model, SpinRBM):
        bern, c = gauge_to_bernoulli(model.astype(np.float64))
    else:
        bern, c = model.astype(np.float64), 0.0
    return bern.W, bern.a, bern.b, c


def _too_big(n, max_enumerated):
    if n > max_enumerated:
        raise ValueError(
            f"the smaller layer has {n} units: 2**{n} states is too many to enumerate "
            f"(limit 2**{max_enumerated}, set by max_enumerated). Estimate ln Z with "
            "rbmphys.ais(model, ...) and rbmphys.reverse_ais(model, data, ...) instead")


def log_partition(model, *, max_enumerated=MAX_ENUMERATED):
    r"""Exact :math:`\ln Z` (float64), enumerating the smaller layer in Gray-code order.

    The numba kernel (:mod:`rbmphys.kernels._exact`) adds one weight row per state, sums the
    larger layer in product form with one log per 256 factors, and parallelises over blocks of
    states with a fixed-order combination, so the result is identical for any number of
    threads.  V=16, H=1000 takes about a tenth of a second.

    Parameters
    ----------
    model : BernoulliRBM or SpinRBM
    max_enumerated : int
        Refuse (ValueError, suggesting AIS) if the smaller layer has more units than this.

    Examples
    --------
    >>> import numpy as np, rbmphys as rp
    >>> m = rp.BernoulliRBM(np.zeros((3, 2)))      # no couplings: Z = 2^(3+2)
    >>> bool(np.isclose(rp.exact.log_partition(m), 5 * np.log(2)))
    True
    """
    W, a, b, c = _bernoulli_form(model)
    V, H = W.shape
    _too_big(min(V, H), max_enumerated)
    if V <= H:
        return gray_log_partition(W, b, a) - c
    return gray_log_partition(W.T, a, b) - c


def log_partition_numpy(model, *, max_enumerated=MAX_ENUMERATED):
    """Exact ln Z with plain NumPy, enumerating the smaller layer in chunks of 4096 states.

    The NumPy twin of :func:`log_partition` (test oracle) and the baseline of ``rbmphys bench``.
    """
    W, a, b, c = _bernoulli_form(model)
    V, H = W.shape
    _too_big(min(V, H), max_enumerated)
    M, cc, d = (W, b, a) if V <= H else (W.T, a, b)
    X = all_states(M.shape[0])
    terms = np.concatenate([X[i:i + _CHUNK] @ d
                            + np.logaddexp(0.0, X[i:i + _CHUNK] @ M + cc).sum(axis=1)
                            for i in range(0, len(X), _CHUNK)])
    return float(np.logaddexp.reduce(terms)) - c


def log_p(model, v, *, log_z=None):
    """Exact :math:`\\ln p(v) = -F(v) - \\ln Z` of a batch of visible states, shape (B,)."""
    if log_z is None:
        log_z = log_partition(model)
    return -model.free_energy(v) - log_z


def p(model, v, *, log_z=None):
    """Exact :math:`p(v)` of a batch of visible states, shape (B,)."""
    return np.exp(log_p(model, v, log_z=log_z))


def visible_distribution(model):
    """All visible states (:func:`all_states` order, model units) and their exact p(v).

    Limited to V <= 20 (a million states).
    """
    _check_model(model)
    if model.n_visible > 20:
        raise ValueError(f"visible_distribution lists all 2**V states; V = {model.n_visible} "
                         "is too many (limit 20)")
    states = all_states(model.n_visible, model.units)
    return states, p(model, states)


def log_likelihood(model, data, *, log_z=None):
    r"""Exact mean log-likelihood :math:`\mathcal L = \frac1{|\mathcal D|}\sum_\mu \ln
    p(v^{(\mu)})` (Eq. (1) of [ToledoMarin2025]_)."""
    data = model.check_visible(data, "data")
    return float(np.mean(log_p(model, data, log_z=log_z)))


def _hidden_free_energy(model, h):
    """F_h(h) = −ln Σ_v e^{−E(v,h)} (visible layer summed), float64."""
    field = h @ model.W.T.astype(np.float64) + model.a
    s = np.logaddexp(0.0, field) if model.units == "bernoulli" else _log_2cosh(field)
    return -(h @ model.b.astype(np.float64)) - s.sum(axis=1)


def expectations(model, *, max_enumerated=20):
    r"""Exact model averages :math:`\langle v_i h_j\rangle`, :math:`\langle v_i\rangle`,
    :math:`\langle h_j\rangle` (Eq. (8) of [ToledoMarin2025]_), float64.

    Enumerates the smaller layer; the other layer enters through its conditional mean.

    Returns
    -------
    dict with "vh" (V, H), "v" (V,), "h" (H,)
    """
    _check_model(model)
    V, H = model.n_visible, model.n_hidden
    _too_big(min(V, H), max_enumerated)
    log_z = log_partition(model)
    vh, v_mean, h_mean = np.zeros((V, H)), np.zeros(V), np.zeros(H)
    enum_visible = V <= H
    X = all_states(min(V, H), model.units)
    for i in range(0, len(X), _CHUNK):
        x = X[i:i + _CHUNK]
        if enum_visible:
            w = np.exp(-model.free_energy(x) - log_z)
            other = model.mean_h_given_v(x)
            vh += (x * w[:, None]).T @ other
            v_mean += w @ x
            h_mean += w @ other
        else:
            w = np.exp(-_hidden_free_energy(model, x) - log_z)
            other = model.mean_v_given_h(x)
            vh += (other * w[:, None]).T @ x
            v_mean += w @ other
            h_mean += w @ x
    return {"vh": vh, "v": v_mean, "h": h_mean}


def gradient(model, data):
    r"""Exact gradient of the mean log-likelihood: positive minus negative phase.

    .. math::

        \partial_W \mathcal L = \langle v h^T\rangle_{\mathcal D} - \langle v h^T\rangle,\quad
        \partial_a \mathcal L = \langle v\rangle_{\mathcal D} - \langle v\rangle,\quad
        \partial_b \mathcal L = \langle h\rangle_{\mathcal D} - \langle h\rangle

    (Eqs. (6a-c), (9a-c) of [ToledoMarin2025]_; for ±1 units the data averages use
    :math:`E[h|v] = \tanh`).  Returns a dict {"W", "a", "b"} of float64 arrays: the ascent
    direction.
    """
    data = model.check_visible(data, "data")
    mh = model.mean_h_given_v(data)
    n = len(data)
    neg = expectations(model)
    return {"W": data.T @ mh / n - neg["vh"], "a": data.mean(0) - neg["v"],
            "b": mh.mean(0) - neg["h"]}


def kl_divergence(data_distribution, model):
    r""":math:`\mathrm{KL}(q\,\|\,p) = \sum_v q(v) \ln\frac{q(v)}{p(v)}` (nats).

    Parameters
    ----------
    data_distribution : ndarray (n, V) or tuple (states, probs)
        A data array stands for its empirical distribution over distinct rows; a tuple gives
        the states and their probabilities q (zeros allowed, must sum to 1).
    model : BernoulliRBM or SpinRBM
    """
    if isinstance(data_distribution, tuple):
        states, q = data_distribution
        states = model.check_visible(states, "states")
        q = np.asarray(q, dtype=np.float64)
        if q.shape != (len(states),) or np.any(q < 0) or abs(q.sum() - 1) > 1e-9:
            raise ValueError("probs must be non-negative, one per state, and sum to 1")
    else:
        data = model.check_visible(data_distribution, "data")
        states, counts = np.unique(data, axis=0, return_counts=True)
        q = counts / counts.sum()
    keep = q > 0
    return float(np.sum(q[keep] * (np.log(q[keep]) - log_p(model, states[keep]))))


@dataclasses.dataclass
class GroundStates:
    """All joint ground states of a model: energy E0 and the states as rows of v and h."""

    energy: float
    v: np.ndarray
    h: np.ndarray

    def __len__(self):
        return len(self.v)


def ground_states(model, *, atol=1e-9, max_states=4096, max_enumerated=MAX_ENUMERATED):
    r"""All minimum-energy joint states (v, h), by enumeration of the smaller layer.

    For each state x of the smaller layer the other layer is minimised analytically: with
    field :math:`f` a {0,1} unit is on iff :math:`f > 0` (energy :math:`-\max(f, 0)`), a ±1
    unit points along :math:`f` (energy :math:`-|f|`).  Units whose field vanishes (within
    ``atol``) are degenerate and both values are listed.

    Examples
    --------
    Mattis K=1 has exactly the two ground states ±ξ with :math:`E_0 = -VH` (Chapter 1).

    Raises
    ------
    ValueError
        If more than ``max_states`` ground states exist (e.g. a zero-weight model).
    """
    _check_model(model)
    W = model.W.astype(np.float64)
    a, b = model.a.astype(np.float64), model.b.astype(np.float64)
    V, H = W.shape
    _too_big(min(V, H), max_enumerated)
    enum_visible = V <= H
    M, c, d = (W, b, a) if enum_visible else (W.T, a, b)
    spin = model.units == "spin"
    lo = -1.0 if spin else 0.0
    X = all_states(M.shape[0], model.units)
    emin = np.concatenate([-(X[i:i + _CHUNK] @ d)
                           - (np.abs if spin else (lambda f: np.maximum(f, 0.0)))(
                               X[i:i + _CHUNK] @ M + c).sum(axis=1)
                           for i in range(0, len(X), _CHUNK)])
    E0 = float(emin.min())
    cand = np.flatnonzero(emin <= E0 + atol * max(1.0, abs(E0)))
    xs, ys = [], []
    for k in cand:
        f = X[k] @ M + c
        y = np.where(f > 0, 1.0, lo)
        free = np.flatnonzero(np.abs(f) <= atol)
        if 2 ** len(free) * (len(xs) + 1) > max_states:
            raise ValueError(f"more than {max_states} degenerate ground states; raise "
                             "max_states or break the degeneracy")
        for bits in all_states(len(free), model.units) if len(free) else [np.empty(0)]:
            yy = y.copy()
            yy[free] = bits
            xs.append(X[k])
            ys.append(yy)
    xs, ys = np.array(xs), np.array(ys)
    v, h = (xs, ys) if enum_visible else (ys, xs)
    return GroundStates(E0, v, h)
