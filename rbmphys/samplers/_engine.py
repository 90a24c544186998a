r"""The one block-Gibbs engine: half-steps, sweeps and random initial states for any model.

Because the graph is bipartite, all hidden units are conditionally independent given the
visible layer and vice versa, so one *sweep* updates a whole layer at once (Eq. (12) of
[ToledoMarin2025]_):

.. math::

    h^{(t)} \sim p(h \mid v^{(t)}), \qquad v^{(t+1)} \sim p(v \mid h^{(t)}) .

A half-step is one BLAS product (``v @ W`` or ``h @ W.T``) and one fused numba pass of the
receiving layer's unit type (:meth:`rbmphys.units.Units.sample`): the sigmoid and a Bernoulli
draw for binary units, Box–Muller for Gaussian units.  Every sampler of the library goes
through :func:`half_step` — :func:`rbmphys.gibbs`, :class:`rbmphys.ChainState`, the learning
rules' chains, parallel tempering (one GEMM for all replicas, a β per replica block) and the
visible half of AIS — so there is one place to make fast.

Randomness: a half-step receives a 64-bit key; unit :math:`(c, i)` uses the counter
:math:`(\text{chain0} + c)\,n + i`, so results do not depend on thread count or on how the
chains are split into slices.  :func:`sweep_key` fixes the convention (key, sweep, layer).
Random initial states come from :func:`random_visible` (the unit type's ``random_states``).

Introduced in Chapter 2.

References
----------
.. [ToledoMarin2025] J. Q. Toledo-Marin et al., Mach. Learn.: Sci. Technol. 6, 035030 (2025).
"""

from __future__ import annotations

import numpy as np

from ..kernels._rng import derive_key

__all__ = ["half_step", "sweep", "sweeps", "sweep_key", "random_visible", "random_key",
           "Buffers", "INITIAL_HIDDEN"]

#: Layer indices used in key derivation.
HIDDEN, VISIBLE = 0, 1
#: Tag of :func:`random_key` for the hidden layer drawn from random initial visible states
#: (the persistent chains of PCD); tag 0 is the visible states themselves.
INITIAL_HIDDEN = 1


def sweep_key(key, step, layer):
    """Key of the half-step ``layer`` (0 hidden, 1 visible) of sweep ``step``."""
    return derive_key(key, step, layer)


def random_key(key, tag=0):
    """Key of the random initial states drawn from ``key`` (one convention everywhere)."""
    return derive_key(key, 2**40 + int(tag))


def random_visible(model, n_states, key, tag=0):
    """``n_states`` random visible states (uniform over the unit values; Gaussian units:
    :math:`\\mathcal N(0,\\varsigma^2)`), model dtype, C-contiguous."""
    return model.visible.random_states(n_states, model.n_visible, random_key(key, tag),
                                       model.dtype)


def half_step(model, layer, x, key, *, beta=1.0, chain0=0, pre=None, out=None, bias=None,
              blocks=None):
    """Sample one layer given the other: ``layer="hidden"`` draws h ~ p(h|x), ``"visible"``
    draws v ~ p(v|x).

    Parameters
    ----------
    model : RBM
    layer : {"hidden", "visible"}
    x : ndarray (B, n_other), model dtype, C-contiguous
        States of the other layer (not validated: this is the inner loop).
    key : int
        64-bit key of this half-step.
    beta : float
        Inverse temperature.
    chain0 : int
        Global index of the first chain (for chain slices).
    pre, out : ndarray (B, n), optional
        Preallocated buffers for the BLAS product and the result; keep them distinct (an output
        aliasing its input drops the SIMD path).
    bias : ndarray (n,), optional
        Override the layer's linear field (AIS interpolates the visible bias).
    blocks : sequence of (start, stop, beta), optional
        Sample row blocks at different inverse temperatures after one shared GEMM (parallel
        tempering: replica r holds rows ``r·B … (r+1)·B − 1``); chain indices stay global.

    Returns
    -------
    out : ndarray (B, n)
    """
    if layer == "hidden":
        W, units, b, n = model.W, model.hidden, model.b, model.n_hidden
    else:
        W, units, b, n = model.W.T, model.visible, model.a, model.n_visible
    if bias is not None:
        b = bias
    B = x.shape[0]
    if pre is None:
        pre = np.empty((B, n), dtype=model.dtype)
    np.dot(x, W, out=pre)
    if out is None:
        out = np.empty_like(pre)
    if blocks is None:
        units.sample(pre, b, key, beta=beta, chain0=chain0, out=out)
    else:
        for start, stop, bt in blocks:
            units.sample(pre[start:stop], b, key, beta=bt, chain0=chain0 + start,
                         out=out[start:stop])
    return out


class Buffers:
    """Preallocated arrays for block Gibbs on ``n_chains`` chains of one model shape/dtype."""

    def __init__(self, model, n_chains):
        dt, V, H = model.dtype, model.n_visible, model.n_hidden
        self.shape = (int(n_chains), V, H, dt)
        self.pre_h = np.empty((n_chains, H), dt)
        self.pre_v = np.empty((n_chains, V), dt)
        self.h = np.empty((n_chains, H), dt)
        self.v = np.empty((n_chains, V), dt)

    def fits(self, model, n_chains):
        return self.shape == (int(n_chains), model.n_visible, model.n_hidden, model.dtype)


def sweep(model, v, key, step, *, beta=1.0, chain0=0, pre_h=None, pre_v=None, h_out=None,
          v_out=None, blocks=None):
    r"""One sweep :math:`v \to h \to v'` with the keys of sweep ``step``; returns ``(v', h)``.

    This is the one v → h → v loop body of the library: Gibbs chains, the learning rules'
    negative phases, parallel tempering, RAPID's Gibbs projection and clamped reconstruction
    all call it, so that the key convention (:func:`sweep_key`) is written once.

    Parameters
    ----------
    model : RBM
    v : ndarray (B, n_visible), model dtype, C-contiguous
    key : int
        The chains' 64-bit key; the half-steps use ``sweep_key(key, step, HIDDEN/VISIBLE)``.
    step : int
        Index of the sweep.
    beta, chain0, blocks
        As in :func:`half_step`.
    pre_h, pre_v, h_out, v_out : ndarray, optional
        Buffers for the two BLAS products and the two layers.  ``v_out`` may be ``v`` itself
        (the visible half-step reads only ``h``); ``h_out`` must not alias ``pre_h``.
    """
    h = half_step(model, "hidden", v, sweep_key(key, step, HIDDEN), beta=beta, chain0=chain0,
                  pre=pre_h, out=h_out, blocks=blocks)
    vo = half_step(model, "visible", h, sweep_key(key, step, VISIBLE), beta=beta,
                   chain0=chain0, pre=pre_v, out=v_out, blocks=blocks)
    return vo, h


def sweeps(model, v, key, n_sweeps, *, first=0, beta=1.0, pre_h=None, pre_v=None, h_out=None,
           v_out=None):
    """``n_sweeps`` sweeps (:func:`sweep`) numbered ``first, first + 1, …``, written into
    ``v_out`` (default: in place on ``v``); returns ``(v', h)`` of the last sweep (``h`` is
    ``None`` when ``n_sweeps == 0``)."""
    out = v if v_out is None else v_out
    src, h = v, None
    if n_sweeps > 0 and h_out is None:
        h_out = np.empty((v.shape[0], model.n_hidden), model.dtype)
    for s in range(first, first + int(n_sweeps)):
        _, h = sweep(model, src, key, s, beta=beta, pre_h=pre_h, pre_v=pre_v, h_out=h_out,
                     v_out=out)
        src = out
    if n_sweeps == 0 and out is not v:
        out[...] = v
    return out, h
