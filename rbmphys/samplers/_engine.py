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

__all__ = ["half_step", "sweep", "sweep_key", "random_visible", "random_key", "Buffers"]

#: Layer indices used in key derivation.
HIDDEN, VISIBLE = 0, 1


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


def sweep(model, v, key, step, *, beta=1.0, chain0=0, buffers=None, v_out=None, blocks=None):
    """One sweep v → h → v' with the keys of sweep ``step``; returns ``(v', h)``.

    ``v_out`` (default: ``buffers.v``) receives v'; it must not be ``v``.
    """
    buf = buffers if buffers is not None else Buffers(model, v.shape[0])
    h = half_step(model, "hidden", v, sweep_key(key, step, HIDDEN), beta=beta, chain0=chain0,
                  pre=buf.pre_h, out=buf.h, blocks=blocks)
    vo = buf.v if v_out is None else v_out
    half_step(model, "visible", h, sweep_key(key, step, VISIBLE), beta=beta, chain0=chain0,
              pre=buf.pre_v, out=vo, blocks=blocks)
    return vo, h
