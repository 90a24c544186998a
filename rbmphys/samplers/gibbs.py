r"""Block Gibbs sampling for binary RBMs.

Because the graph is bipartite, all hidden units are conditionally independent given the
visible layer and vice versa, so one *sweep* updates a whole layer at once
(Eq. (12) of [ToledoMarin2025]_):

.. math::

    h^{(t)} \sim p(h \mid v^{(t)}), \qquad v^{(t+1)} \sim p(v \mid h^{(t)}),

with the factorised conditionals of :mod:`rbmphys.models`.  The chain satisfies detailed
balance with respect to :math:`p(v,h)`; Chapter 2 checks its stationary distribution against
the exact :math:`p(v)` with a χ² test.  At inverse temperature :math:`\beta` the fields are
multiplied by :math:`\beta` (used by parallel tempering and AIS).

Each half-step is one BLAS product (``v @ W`` or ``h @ W.T``) and one fused numba pass
(:mod:`rbmphys.kernels._gibbs`).  Randomness: the half-step ``(t, layer)`` of a
:class:`ChainState` with key ``k`` uses the key ``derive_key(k, t, layer)`` and the counter
``chain * n_units + unit``, so results do not depend on thread count or chain slicing.

Introduced in Chapter 2.
"""

from __future__ import annotations

import numpy as np

from .._validation import as_generator, draw_key
from ..kernels._gibbs import mean_layer, sample_layer
from ..kernels._rng import derive_key

__all__ = ["ChainState", "gibbs", "sample_hidden", "sample_visible"]


def _lo(model):
    return 0.0 if model.units == "bernoulli" else -1.0


def sample_hidden(model, v, key, *, beta=1.0, chain0=0, out=None, pre=None):
    """Draw :math:`h \\sim p(h|v)` at inverse temperature ``beta`` (low level, no validation).

    ``v`` must be a C-contiguous array of the model's dtype; ``out``/``pre`` are optional
    preallocated (B, H) buffers (keep them distinct: an aliased output loses SIMD).
    Returns ``out``.
    """
    B = v.shape[0]
    if pre is None:
        pre = np.empty((B, model.n_hidden), dtype=model.dtype)
    np.dot(v, model.W, out=pre)
    if out is None:
        out = np.empty_like(pre)
    sample_layer(pre, model.b, beta * model._gain, _lo(model), key, chain0, out)
    return out


def sample_visible(model, h, key, *, beta=1.0, chain0=0, out=None, pre=None):
    """Draw :math:`v \\sim p(v|h)` at inverse temperature ``beta`` (low level, no validation)."""
    B = h.shape[0]
    if pre is None:
        pre = np.empty((B, model.n_visible), dtype=model.dtype)
    np.dot(h, model.W.T, out=pre)
    if out is None:
        out = np.empty_like(pre)
    sample_layer(pre, model.a, beta * model._gain, _lo(model), key, chain0, out)
    return out


class ChainState:
    r"""A set of persistent block-Gibbs chains (the "fantasy particles" of PCD).

    Parameters
    ----------
    model : BernoulliRBM or SpinRBM
        Fixes the layer sizes, unit type and dtype; :meth:`run` may be given an updated model
        of the same shape (PCD changes the parameters between steps).
    v0 : array_like, shape (n_chains, n_visible), optional
        Initial visible states.  If omitted, ``n_chains`` uniformly random states are drawn.
    n_chains : int, optional
        Number of chains when ``v0`` is omitted.
    rng : None, int, SeedSequence or Generator
        Draws the random initial states (if needed) and then the 64-bit key that drives every
        later step.
    beta : float
        Inverse temperature of the chains (1 by default).

    Attributes
    ----------
    v : ndarray (n_chains, n_visible)
        Current visible states, model dtype.
    h : ndarray (n_chains, n_hidden) or None
        Hidden states drawn in the last step (None before the first step).
    key : int
        The chains' 64-bit key.
    step : int
        Number of full sweeps done so far; the next sweep uses keys derived from (key, step).

    Examples
    --------
    Same seed, same chains, however the work is split:

    >>> import numpy as np, rbmphys as rp
    >>> m = rp.BernoulliRBM.random(6, 4, weight_scale=1.0, rng=1)
    >>> a = rp.ChainState(m, n_chains=8, rng=3).run(5).v
    >>> b = rp.ChainState(m, n_chains=8, rng=3).run(2).run(3).v
    >>> bool(np.array_equal(a, b))
    True

    Introduced in Chapter 2.
    """

    def __init__(self, model, v0=None, *, n_chains=None, rng=None, beta=1.0):
        g = as_generator(rng)
        if v0 is None:
            if n_chains is None or int(n_chains) != n_chains or n_chains < 1:
                raise ValueError("give either v0 or a positive integer n_chains")
            bits = g.integers(0, 2, size=(int(n_chains), model.n_visible))
            v0 = bits if model.units == "bernoulli" else 2 * bits - 1
        v = model.check_visible(v0, "initial visible states v0", dtype=model.dtype)
        if n_chains is not None and v.shape[0] != n_chains:
            raise ValueError(f"v0 has {v.shape[0]} chains but n_chains={n_chains}")
        if not np.isfinite(beta) or beta < 0:
            raise ValueError(f"inverse temperature beta must be finite and >= 0, got {beta}")
        self.model = model
        self.v = np.array(v, dtype=model.dtype, order="C")
        self.h = None
        self.key = draw_key(g)
        self.step = 0
        self.beta = float(beta)
        self._pre_h = None
        self._pre_v = None

    @property
    def n_chains(self) -> int:
        return self.v.shape[0]

    def _buffers(self, model):
        B = self.n_chains
        if self._pre_h is None or self._pre_h.shape != (B, model.n_hidden) \
                or self._pre_h.dtype != model.dtype:
            self._pre_h = np.empty((B, model.n_hidden), model.dtype)
            self._pre_v = np.empty((B, model.n_visible), model.dtype)
            self.h = np.empty((B, model.n_hidden), model.dtype)
        return self._pre_h, self._pre_v

    def run(self, n_steps=1, model=None):
        """Advance every chain by ``n_steps`` full sweeps v → h → v; returns ``self``.

        Preallocated buffers: the BLAS products land in ``pre`` buffers and the states are
        written to separate arrays (an in-place kernel would alias its input and lose SIMD).
        ``self.h`` is overwritten by the next sweep.
        """
        if int(n_steps) != n_steps or n_steps < 0:
            raise ValueError(f"n_steps must be a non-negative integer, got {n_steps}")
        model = self.model if model is None else model
        if (model.n_visible, model.n_hidden) != (self.model.n_visible, self.model.n_hidden) \
                or model.units != self.model.units:
            raise ValueError("the model given to run() must match the chains' model in "
                             "layer sizes and unit type")
        self.model = model
        if self.v.dtype != model.dtype:
            self.v = self.v.astype(model.dtype)
        pre_h, pre_v = self._buffers(model)
        for _ in range(int(n_steps)):
            sample_hidden(model, self.v, derive_key(self.key, self.step, 0), beta=self.beta,
                          out=self.h, pre=pre_h)
            sample_visible(model, self.h, derive_key(self.key, self.step, 1), beta=self.beta,
                           out=self.v, pre=pre_v)
            self.step += 1
        return self

    def mean_hidden(self, model=None):
        """Conditional means :math:`E[h|v]` of the current visible states (model dtype)."""
        model = self.model if model is None else model
        pre = np.dot(self.v, model.W)
        mean_layer(pre, model.b, self.beta * model._gain, model.units == "spin", pre)
        return pre

    # checkpoint support -------------------------------------------------------------
    def state_dict(self) -> dict:
        """Everything needed to continue the chains bit for bit."""
        return {"v": self.v.copy(), "key": int(self.key), "step": int(self.step),
                "beta": self.beta}

    def load_state_dict(self, state: dict):
        """Restore from :meth:`state_dict` (shapes must match the model)."""
        v = self.model.check_visible(state["v"], "checkpointed chain states",
                                     dtype=self.model.dtype)
        self.v = np.array(v, order="C")
        self.key, self.step, self.beta = int(state["key"]), int(state["step"]), float(state["beta"])
        self._pre_h = self._pre_v = None
        self.h = None
        return self


def gibbs(model, v0, n_steps=10, rng=None, *, beta=1.0, return_hidden=False):
    r"""Run block Gibbs sampling from ``v0`` and return the final visible states.

    Parameters
    ----------
    model : BernoulliRBM or SpinRBM
    v0 : array_like, shape (n_chains, n_visible)
        Initial visible states ({0,1} or ±1 to match the model); each row is one chain.
    n_steps : int
        Number of sweeps :math:`v \to h \to v`.
    rng : None, int, SeedSequence or Generator
        Seed of the chains' key (one draw from the generator).
    beta : float
        Inverse temperature.
    return_hidden : bool
        Also return the hidden states of the last sweep.

    Returns
    -------
    v : ndarray (n_chains, n_visible), model dtype
    h : ndarray (n_chains, n_hidden), only if ``return_hidden``

    Introduced in Chapter 2.
    """
    state = ChainState(model, v0, rng=rng, beta=beta).run(n_steps)
    if return_hidden:
        return state.v, state.h
    return state.v
