r"""Exact enumeration: the oracle every sampler, estimator and trainer is tested against.

The partition function, the probabilities, the log-likelihood and its gradient of a binary RBM
are computed exactly by enumerating the *smaller* layer and summing the larger one
analytically:

.. math::

    Z = \sum_{v} e^{-F(v)} = \sum_{h} e^{-F_h(h)}, \qquad
    e^{-F(v)} = \sum_h e^{-E(v,h)}, \quad e^{-F_h(h)} = \sum_v e^{-E(v,h)},

i.e. :math:`2^{\min(V,H)}` terms instead of :math:`2^{V+H}`.  Models with two binary layers
(any of {0,1}, ±1) are enumerated in their exact {0,1} gauge (:meth:`rbmphys.RBM.bernoulli_form`,
:math:`\ln Z = \ln Z_{01} - c`) by a Gray-code numba kernel; a model with one binary and one
Gaussian layer enumerates the binary layer and integrates the Gaussian one; the scalar-field
RBM (two Gaussian layers) has its closed form (:meth:`rbmphys.GaussianRBM.log_partition`).

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

from .. import conventions
from .._validation import check_int, check_model
from ..kernels._exact import gray_log_partition

__all__ = ["all_states", "log_partition", "log_partition_numpy", "log_p", "p",
           "visible_distribution", "log_likelihood", "expectations", "gradient",
           "kl_divergence", "ground_states", "GroundStates", "MAX_ENUMERATED", "enumerable",
           "sample", "central_differences", "finite_difference_gradient"]

#: Default largest log2(number of enumerated states).
MAX_ENUMERATED = 26
_CHUNK = 4096


def _values(units):
    """The values of a discrete unit object, or of a unit name of
    :data:`rbmphys.conventions.UNIT_VALUES`."""
    vals = getattr(units, "values", None)
    if vals is None:
        vals = conventions.UNIT_VALUES.get(units) if isinstance(units, str) else None
    if vals is None:
        names = sorted(k for k, v in conventions.UNIT_VALUES.items() if v)
        raise ValueError(f"units must be discrete (a name in {names} or a unit object with "
                         f"values), got {units!r}")
    return tuple(float(x) for x in vals)


def all_states(n, units="bernoulli"):
    """All :math:`k^n` states of ``n`` units with ``k`` values as rows (float64), in counting
    order: row m is the base-k expansion of m with unit 0 as the most significant digit,
    written with the unit values in their order ({0,1} for ``"bernoulli"``, ±1 for
    ``"spin"``, or the ``values`` of a discrete unit object)."""
    n = check_int(n, "number of units n", 1, 24)
    vals = np.asarray(_values(units), dtype=np.float64)
    k = len(vals)
    if k ** n > 2 ** 24:
        raise ValueError(f"{k}**{n} states is too many to list (limit 2**24)")
    m = np.arange(k ** n, dtype=np.int64)
    digits = (m[:, None] // (k ** np.arange(n - 1, -1, -1, dtype=np.int64))[None, :]) % k
    return vals[digits]


def _check_model(model):
    check_model(model, "exact enumeration").check_parameters()


def _bernoulli_form(model):
    """(W, a, b) in float64 of the {0,1} model, and the constant c with ln Z = ln Z_01 − c."""
    _check_model(model)
    return model.bernoulli_form()


def _too_big(n, max_enumerated, k=2):
    """Refuse ``k**n`` states beyond ``2**max_enumerated`` (k values per unit)."""
    if n * np.log2(k) > max_enumerated + 1e-9:
        raise ValueError(
            f"the smaller layer has {n} units: {k}**{n} states is too many to enumerate "
            f"(limit 2**{max_enumerated}, set by max_enumerated). Estimate ln Z with "
            "rbmphys.ais(model, ...) and rbmphys.reverse_ais(model, data, ...) instead")


def _enumerated_layer(model):
    """Which layer to enumerate: ``"visible"`` or ``"hidden"`` (the discrete one with fewer
    states)."""
    dv, dh = model.visible.discrete, model.hidden.discrete
    if dv and dh:
        nv = model.n_visible * np.log(len(model.visible.values))
        nh = model.n_hidden * np.log(len(model.hidden.values))
        return "visible" if nv <= nh else "hidden"
    if dv:
        return "visible"
    if dh:
        return "hidden"
    return None


def _layer_log_weights(model, layer, x):
    """−F(x) of states x of the enumerated layer (the other layer summed), float64."""
    return -(model.free_energy(x) if layer == "visible" else model.hidden_free_energy(x))


def log_partition(model, *, max_enumerated=MAX_ENUMERATED):
    r"""Exact :math:`\ln Z` (float64).

    * two binary layers: the smaller layer is enumerated in Gray-code order by a numba kernel
      (:mod:`rbmphys.kernels._exact`) that adds one weight row per state, sums the larger
      layer in product form with one log per 256 factors, and parallelises over blocks of
      states with a fixed-order combination, so the result is identical for any number of
      threads.  V=16, H=1000 takes about a tenth of a second;
    * otherwise, a discrete layer (binary, or any unit type with ``values``) is enumerated
      (NumPy, chunks) and the other summed or integrated analytically through its unit type's
      ``log_partition``;
    * two Gaussian layers: the model's closed form (``model.log_partition()``).

    Parameters
    ----------
    model : RBM
    max_enumerated : int
        Refuse (ValueError, suggesting AIS) if the enumerated layer has more units than this.

    Examples
    --------
    >>> import numpy as np, rbmphys as rp
    >>> m = rp.BernoulliRBM(np.zeros((3, 2)))      # no couplings: Z = 2^(3+2)
    >>> bool(np.isclose(rp.exact.log_partition(m), 5 * np.log(2)))
    True
    """
    _check_model(model)
    layer = _enumerated_layer(model)
    if layer is None:
        closed = getattr(model, "log_partition", None)
        if closed is None:
            raise ValueError(f"{type(model).__name__} has no discrete layer to enumerate and no "
                             "closed-form log_partition()")
        return float(closed())
    if model.visible.binary and model.hidden.binary:
        W, a, b, c = model.bernoulli_form()
        V, H = W.shape
        _too_big(min(V, H), max_enumerated)
        if V <= H:
            return gray_log_partition(W, b, a) - c
        return gray_log_partition(W.T, a, b) - c
    n = model.n_visible if layer == "visible" else model.n_hidden
    units = model.visible if layer == "visible" else model.hidden
    _too_big(n, max_enumerated, len(units.values))
    X = all_states(n, units)
    terms = np.concatenate([_layer_log_weights(model, layer, X[i:i + _CHUNK])
                            for i in range(0, len(X), _CHUNK)])
    return float(np.logaddexp.reduce(terms))


def log_partition_numpy(model, *, max_enumerated=MAX_ENUMERATED):
    """Exact ln Z of a model with two binary layers, plain NumPy, enumerating the smaller layer
    in chunks of 4096 states.

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
    r"""Exact :math:`\ln p(v) = -F(v) - \ln Z` of a batch of visible states, shape (B,)."""
    if log_z is None:
        log_z = log_partition(model)
    return -model.free_energy(v) - log_z


def p(model, v, *, log_z=None):
    """Exact :math:`p(v)` of a batch of visible states, shape (B,)."""
    return np.exp(log_p(model, v, log_z=log_z))


def visible_distribution(model):
    """All visible states (:func:`all_states` order, model units) and their exact p(v).

    Limited to V <= 20 (a million states) and binary visible units.
    """
    _check_model(model)
    if not model.visible.discrete:
        raise ValueError(f"visible_distribution lists all visible states: the visible units "
                         f"{model.visible!r} are not discrete")
    k = len(model.visible.values)
    if model.n_visible * np.log2(k) > 20 + 1e-9:
        raise ValueError(f"visible_distribution lists all {k}**V states; V = "
                         f"{model.n_visible} is too many (limit 20 for binary units: 2**20 states)")
    states = all_states(model.n_visible, model.visible)
    return states, p(model, states)


def log_likelihood(model, data, *, log_z=None):
    r"""Exact mean log-likelihood :math:`\mathcal L = \frac1{|\mathcal D|}\sum_\mu \ln
    p(v^{(\mu)})` (Eq. (1) of [ToledoMarin2025]_).  ``data`` must hold at least one state."""
    data = model.check_visible(data, "data")
    return float(np.mean(log_p(model, data, log_z=log_z)))


def expectations(model, *, max_enumerated=20):
    r"""Exact model averages :math:`\langle v_i h_j\rangle`, :math:`\langle v_i\rangle`,
    :math:`\langle h_j\rangle` (Eq. (8) of [ToledoMarin2025]_), float64.

    Enumerates the smaller binary layer; the other layer enters through its conditional mean.

    Returns
    -------
    dict with "vh" (V, H), "v" (V,), "h" (H,)
    """
    _check_model(model)
    V, H = model.n_visible, model.n_hidden
    layer = _enumerated_layer(model)
    if layer is None:
        raise ValueError(f"{type(model).__name__} has no discrete layer to enumerate")
    units = model.visible if layer == "visible" else model.hidden
    _too_big(V if layer == "visible" else H, max_enumerated, len(units.values))
    log_z = log_partition(model)
    vh, v_mean, h_mean = np.zeros((V, H)), np.zeros(V), np.zeros(H)
    X = all_states(V if layer == "visible" else H, units)
    for i in range(0, len(X), _CHUNK):
        x = X[i:i + _CHUNK]
        w = np.exp(_layer_log_weights(model, layer, x) - log_z)
        if layer == "visible":
            other = model.mean_h_given_v(x)
            vh += (x * w[:, None]).T @ other
            v_mean += w @ x
            h_mean += w @ other
        else:
            other = model.mean_v_given_h(x)
            vh += (other * w[:, None]).T @ x
            v_mean += w @ other
            h_mean += w @ x
    return {"vh": vh, "v": v_mean, "h": h_mean}


def gradient(model, data):
    r"""Exact gradient of the mean log-likelihood: positive minus negative phase.

    .. math::

        \partial_\theta \mathcal L = \langle -\partial_\theta F\rangle_{\mathcal D}
            - \langle -\partial_\theta F\rangle_\text{model};\quad
        \partial_W \mathcal L = \langle v h^T\rangle_{\mathcal D} - \langle v h^T\rangle,\
        \partial_a \mathcal L = \langle v\rangle_{\mathcal D} - \langle v\rangle,\
        \partial_b \mathcal L = \langle h\rangle_{\mathcal D} - \langle h\rangle

    (Eqs. (6a-c), (9a-c) of [ToledoMarin2025]_; the data averages use the conditional mean
    :math:`E[h|v]`: :math:`\sigma` for {0,1}, :math:`\tanh` for ±1).  The model average is
    enumerated (:func:`expectations`) or, for the scalar-field RBM, its closed form
    (``model.model_statistics()``, Eqs. (26)-(27) of Aarts, Lucini, Park).  Returns a dict
    keyed like ``model.params`` of float64 arrays: the ascent direction.
    """
    data = model.check_visible(data, "data")
    pos = model.free_energy_gradient(data)
    closed = getattr(model, "model_statistics", None)
    if closed is not None:
        neg = closed()
    else:
        e = expectations(model)
        neg = model._map_statistics({"W": e["vh"], "a": e["v"], "b": e["h"]}, None,
                                    np.ones(1))
    return {k: pos[k] - neg[k] for k in pos}


def central_differences(f, x, h=1e-5):
    r"""Central finite differences of the scalar ``f()`` with respect to every entry of the
    array ``x`` that ``f`` reads:

    .. math::

        \frac{\partial f}{\partial x_k} \approx \frac{f(x + h e_k) - f(x - h e_k)}{2h}.

    Parameters
    ----------
    f : callable
        ``f()`` returns a float computed from the current contents of ``x`` (a model's
        log-likelihood that reads its parameter array ``x``, a closure over ``x``).
    x : ndarray
        Perturbed in place, one entry at a time, and restored (also when ``f`` raises): it
        holds the same values afterwards.
    h : float
        The step.  The error is the truncation :math:`h^2 |f^{(3)}|/6` — :math:`O(h^2)`, the
        symmetric stencil cancels the even terms of the Taylor series — plus the round-off
        :math:`\sim\epsilon |f| / h` of the difference of two values of ``f``
        (:math:`\epsilon \approx 2.2\times10^{-16}`).  Their sum is smallest near
        :math:`h \sim (\epsilon|f| / |f^{(3)}|)^{1/3}`, about :math:`10^{-5}` for values and
        third derivatives of order one, where both terms are ~1e-10: hence the default.  A
        caller with larger ``|f|``, or one that wants the truncation far below its tolerance,
        passes its own ``h`` and states the error it expects.

    Returns
    -------
    ndarray of float64, the shape of ``x``

    Notes
    -----
    Written here because ``scipy.differentiate.jacobian`` needs a function vectorised over
    batches of arguments; a log-likelihood that reads a model's parameter arrays is not.

    Introduced in Chapter 2.
    """
    if not isinstance(x, np.ndarray):
        raise TypeError(f"central_differences perturbs x in place; got a {type(x).__name__}")
    out = np.zeros(x.shape)
    for idx in np.ndindex(x.shape):
        old = x[idx].copy()
        try:
            x[idx] = old + h
            up = f()
            x[idx] = old - h
            dn = f()
        finally:
            x[idx] = old
        out[idx] = (up - dn) / (2 * h)
    return out


def finite_difference_gradient(model, data, name="W", h=1e-5):
    r"""Central finite differences (:func:`central_differences`) of the exact mean
    log-likelihood with respect to the parameter ``name`` (float64, the parameter's shape):
    truncation error :math:`O(h^2)` and round-off :math:`\sim\epsilon|\mathcal L|/h` (both
    about 1e-10 at the default h = 1e-5).  The independent route against which
    :func:`gradient` (the positive-minus-negative-phase formula, Eq. (8) of
    [ToledoMarin2025]_) is checked: it uses only :func:`log_likelihood`, never the phases.  The
    model is unchanged afterwards.

    Introduced in Chapter 2.
    """
    param = model.params[name]
    if not isinstance(param, np.ndarray):
        raise TypeError(f"finite_difference_gradient perturbs the parameter arrays in place; "
                        f"{name!r} is a {type(param).__name__}")
    return central_differences(lambda: log_likelihood(model, data), param, h)


def kl_divergence(data_distribution, model):
    r""":math:`\mathrm{KL}(q\,\|\,p) = \sum_v q(v) \ln\frac{q(v)}{p(v)}` (nats).

    Parameters
    ----------
    data_distribution : ndarray (n, V) or tuple (states, probs)
        A data array stands for its empirical distribution over distinct rows; a tuple gives
        the states and their probabilities q (zeros allowed, must sum to 1).
    model : RBM with binary visible units
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
    r"""All minimum-energy joint states (v, h) of a model with two binary layers, by
    enumeration of the smaller layer.

    For each state x of the smaller layer the other layer is minimised analytically: a unit
    with values :math:`\{lo, hi\}` in the field :math:`f` takes :math:`hi` if :math:`f > 0`
    and :math:`lo` otherwise (energy :math:`-\max(lo\,f, hi\,f)`: :math:`-\max(f, 0)` for
    {0,1}, :math:`-|f|` for ±1).  Units whose field vanishes (within ``atol``) are degenerate
    and both values are listed.

    Examples
    --------
    Mattis K=1 has exactly the two ground states ±ξ with :math:`E_0 = -VH` (Chapter 1).

    Raises
    ------
    ValueError
        If more than ``max_states`` ground states exist (e.g. a zero-weight model).
    """
    _check_model(model)
    for name, u in (("visible", model.visible), ("hidden", model.hidden)):
        if not u.binary:
            raise ValueError(f"ground_states enumerates binary layers; the {name} units "
                             f"{u!r} are not binary")
    W = model.W.astype(np.float64)
    a, b = model.a.astype(np.float64), model.b.astype(np.float64)
    V, H = W.shape
    _too_big(min(V, H), max_enumerated)
    enum_visible = V <= H
    M, c, d = (W, b, a) if enum_visible else (W.T, a, b)
    xu, yu = (model.visible, model.hidden) if enum_visible else (model.hidden, model.visible)
    lo, hi = yu.values
    X = all_states(M.shape[0], xu)
    emin = np.concatenate([-(X[i:i + _CHUNK] @ d)
                           - np.maximum(lo * (X[i:i + _CHUNK] @ M + c),
                                        hi * (X[i:i + _CHUNK] @ M + c)).sum(axis=1)
                           for i in range(0, len(X), _CHUNK)])
    E0 = float(emin.min())
    cand = np.flatnonzero(emin <= E0 + atol * max(1.0, abs(E0)))
    xs, ys = [], []
    for k in cand:
        f = X[k] @ M + c
        y = np.where(f > 0, hi, lo)
        free = np.flatnonzero(np.abs(f) <= atol)
        if 2 ** len(free) * (len(xs) + 1) > max_states:
            raise ValueError(f"more than {max_states} degenerate ground states; raise "
                             "max_states or break the degeneracy")
        for bits in all_states(len(free), yu) if len(free) else [np.empty(0)]:
            yy = y.copy()
            yy[free] = bits
            xs.append(X[k])
            ys.append(yy)
    xs, ys = np.array(xs), np.array(ys)
    v, h = (xs, ys) if enum_visible else (ys, xs)
    return GroundStates(E0, v, h)


def enumerable(model, limit=20) -> bool:
    """Whether :func:`log_partition` is exact and cheap for ``model``: a closed form, or at most
    ``limit`` units in the layer that would be enumerated."""
    layer = _enumerated_layer(model)
    if layer is None:
        return hasattr(model, "log_partition")
    if model.visible.binary and model.hidden.binary:
        return min(model.n_visible, model.n_hidden) <= limit
    units = model.visible if layer == "visible" else model.hidden
    n = model.n_visible if layer == "visible" else model.n_hidden
    return n * np.log2(len(units.values)) <= limit + 1e-9


def sample(model, n_samples, *, rng=None, return_hidden=False, max_enumerated=22):
    r"""Exact, independent samples of :math:`p(v)` (and :math:`p(v, h)`) by enumeration.

    The smaller binary layer :math:`x` is drawn from its exact marginal
    :math:`p(x) = e^{-F(x)}/Z` (all :math:`2^n` states enumerated), then the other layer from
    the factorised conditional :math:`p(y \mid x)`.  Every sample is independent and exact: the
    oracle against which Markov-chain samplers are tested, and the "data drawn from the model"
    that makes reverse AIS an unbiased estimator of :math:`Z_A/Z_B` (Chapter 2).  The
    ``ExactSampler`` of NetKet plays the same role.

    Parameters
    ----------
    model : RBM with at least one binary layer (the enumerated one has at most
        ``max_enumerated`` units)
    n_samples : int
    rng : None, int, SeedSequence or Generator
    return_hidden : bool

    Returns
    -------
    v : ndarray (n_samples, V), model dtype
    h : ndarray (n_samples, H), only if ``return_hidden``

    Examples
    --------
    >>> import numpy as np, rbmphys as rp
    >>> m = rp.BernoulliRBM.random(3, 30, weight_scale=0.5, rng=0)
    >>> v = rp.exact.sample(m, 40000, rng=1)          # hidden layer (30 units) is the larger
    >>> states, p = rp.exact.visible_distribution(m)
    >>> freq = [(v == s).all(1).mean() for s in states]
    >>> bool(np.max(np.abs(freq - p)) < 0.01)
    True

    Introduced in Chapter 2.
    """
    from .._validation import as_generator
    from ..samplers._engine import half_step
    _check_model(model)
    n = check_int(n_samples, "n_samples", 1)
    layer = _enumerated_layer(model)
    if layer is None:
        raise ValueError(f"{type(model).__name__} has no discrete layer to enumerate")
    units = model.visible if layer == "visible" else model.hidden
    n_units = model.n_visible if layer == "visible" else model.n_hidden
    _too_big(n_units, max_enumerated, len(units.values))
    g = as_generator(rng)
    X = all_states(n_units, units)
    lw = np.concatenate([_layer_log_weights(model, layer, X[i:i + _CHUNK])
                         for i in range(0, len(X), _CHUNK)])
    p = np.exp(lw - np.logaddexp.reduce(lw))
    idx = g.choice(len(X), size=n, p=p / p.sum())
    x = np.ascontiguousarray(X[idx], dtype=model.dtype)
    key = int(g.integers(0, 2**63 - 1))
    other = "hidden" if layer == "visible" else "visible"
    y = half_step(model, other, x, key)
    v, h = (x, y) if layer == "visible" else (y, x)
    return (v, h) if return_hidden else v
