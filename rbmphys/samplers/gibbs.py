r"""Block Gibbs sampling: :func:`gibbs` and persistent chains (:class:`ChainState`).

Because the graph is bipartite, all hidden units are conditionally independent given the
visible layer and vice versa, so one *sweep* updates a whole layer at once
(Eq. (12) of [ToledoMarin2025]_):

.. math::

    h^{(t)} \sim p(h \mid v^{(t)}), \qquad v^{(t+1)} \sim p(v \mid h^{(t)}),

with the factorised conditionals of the model's unit types (:mod:`rbmphys.units`), for any
pair of them ({0,1}, ±1, Gaussian).  The chain satisfies detailed balance with respect to
:math:`p(v,h)`; Chapter 2 checks its stationary distribution against the exact :math:`p(v)`
with a χ² test, Chapter 3 the covariance of the Gaussian field against :math:`K^{-1}`.  At
inverse temperature :math:`\beta` the energy is multiplied by :math:`\beta`.

Each half-step is one BLAS product and one fused numba pass (:mod:`rbmphys.samplers._engine`).
Randomness: the half-step ``(t, layer)`` of a :class:`ChainState` with key ``k`` uses the key
``derive_key(k, t, layer)`` and the counter ``chain * n_units + unit``, so the numba kernels
give the same samples for any number of numba threads and any split of the chains.  (The
matrix products are BLAS's, whose last bits can depend on the BLAS thread count: the
reproducibility promise is stated once, in :mod:`rbmphys.conventions`.)

Introduced in Chapter 2.

References
----------
.. [ToledoMarin2025] J. Q. Toledo-Marin et al., Mach. Learn.: Sci. Technol. 6, 035030 (2025).
"""

from __future__ import annotations

import numpy as np

from .._validation import as_generator, check_int, check_model, check_real, \
    deprecated_positional, draw_key, renamed_kwargs
from ._engine import Buffers, half_step, random_visible, sweep

__all__ = ["ChainState", "gibbs", "sample_hidden", "sample_visible"]


def sample_hidden(model, v, key, *, beta=1.0, chain0=0, out=None, pre=None):
    """Draw :math:`h \\sim p(h|v)` at inverse temperature ``beta`` (low level, no validation).

    ``v`` must be a C-contiguous array of the model's dtype; ``out``/``pre`` are optional
    preallocated (B, H) buffers (keep them distinct: an aliased output loses SIMD).
    """
    return half_step(model, "hidden", v, key, beta=beta, chain0=chain0, pre=pre, out=out)


def sample_visible(model, h, key, *, beta=1.0, chain0=0, out=None, pre=None):
    """Draw :math:`v \\sim p(v|h)` at inverse temperature ``beta`` (low level, no validation)."""
    return half_step(model, "visible", h, key, beta=beta, chain0=chain0, pre=pre, out=out)


class ChainState:
    r"""A set of persistent block-Gibbs chains (the "fantasy particles" of PCD).

    Parameters
    ----------
    model : RBM
        Fixes the layer sizes, unit types and dtype; :meth:`run` may be given an updated model
        of the same shape (PCD changes the parameters between sweeps).
    v0 : array_like, shape (n_chains, n_visible), optional
        Initial visible states.  If omitted, ``n_chains`` random states are drawn (uniform
        over the unit values; Gaussian units: :math:`\mathcal N(0, \varsigma^2)`).
    n_chains : int, optional
        Number of chains when ``v0`` is omitted.
    rng : None, int, SeedSequence or Generator
        Draws the 64-bit key that drives the random initial states (if needed) and every sweep.
    beta : float
        Inverse temperature of the chains (1 by default).

    Attributes
    ----------
    v : ndarray (n_chains, n_visible)
        Current visible states, model dtype.
    h : ndarray (n_chains, n_hidden) or None
        Hidden states drawn in the last sweep (None before the first sweep).
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
        check_model(model, "block Gibbs sampling").check_parameters()
        self.beta = check_real(beta, "inverse temperature beta", low=0)
        self.key = draw_key(as_generator(rng))
        if v0 is None:
            if n_chains is None:
                raise ValueError("give either v0 (initial states) or n_chains")
            n = check_int(n_chains, "n_chains", 1)
            v = random_visible(model, n, self.key)
        else:
            v = model.check_visible(v0, "initial visible states v0", dtype=model.dtype)
            if n_chains is not None and v.shape[0] != check_int(n_chains, "n_chains", 1):
                raise ValueError(f"v0 has {v.shape[0]} chains but n_chains={n_chains}")
        self.model = model
        self.v = np.array(v, dtype=model.dtype, order="C")
        self.h = None
        self.step = 0
        self._buf = None

    @property
    def n_chains(self) -> int:
        return self.v.shape[0]

    def _check_model(self, model):
        same = ((model.n_visible, model.n_hidden) == (self.model.n_visible, self.model.n_hidden)
                and model.visible == self.model.visible and model.hidden == self.model.hidden)
        if not same:
            raise ValueError("the model given to run() must match the chains' model in layer "
                             "sizes and unit types")

    @renamed_kwargs(n_steps="n_sweeps")
    def run(self, n_sweeps=1, model=None):
        """Advance every chain by ``n_sweeps`` full sweeps v → h → v; returns ``self``.

        ``model`` (optional) replaces the chains' model by an updated one of the same shape and
        unit types.  ``self.h`` holds the hidden states of the last sweep.
        """
        n_sweeps = check_int(n_sweeps, "n_sweeps", 0)
        if model is not None:
            self._check_model(model)
            self.model = model
        model = self.model
        if self.v.dtype != model.dtype:
            self.v = self.v.astype(model.dtype)
        if self._buf is None or not self._buf.fits(model, self.n_chains):
            self._buf = Buffers(model, self.n_chains)
        buf = self._buf
        for _ in range(n_sweeps):
            _, self.h = sweep(model, self.v, self.key, self.step, beta=self.beta,
                              pre_h=buf.pre_h, pre_v=buf.pre_v, h_out=buf.h, v_out=self.v)
            self.step += 1
        return self

    def mean_hidden(self, model=None):
        r"""Conditional means :math:`E[h|v]` of the current visible states (model dtype)."""
        model = self.model if model is None else model
        pre = np.dot(self.v, model.W)
        return model.hidden.mean_pass(pre, model.b, beta=self.beta, out=np.empty_like(pre))

    # checkpoint support -------------------------------------------------------------
    def state_dict(self) -> dict:
        """Everything needed to continue the chains bit for bit."""
        return {"v": self.v.copy(), "key": str(int(self.key)), "step": int(self.step),
                "beta": self.beta}

    def load_state_dict(self, state: dict):
        """Restore from :meth:`state_dict` (shapes must match the model)."""
        v = self.model.check_visible(state["v"], "checkpointed chain states",
                                     dtype=self.model.dtype)
        self.v = np.array(v, order="C")
        self.key, self.step, self.beta = int(state["key"]), int(state["step"]), \
            float(state["beta"])
        self.h = None
        self._buf = None
        return self


@deprecated_positional("rng")
@renamed_kwargs(n_steps="n_sweeps")
def gibbs(model, v0, n_sweeps=10, *, rng=None, beta=1.0, return_hidden=False):
    r"""Run block Gibbs sampling from ``v0`` and return the final visible states.

    Parameters
    ----------
    model : RBM
        Any pair of unit types (:class:`~rbmphys.BernoulliRBM`, :class:`~rbmphys.SpinRBM`,
        :class:`~rbmphys.GaussianRBM`, ...).
    v0 : array_like, shape (n_chains, n_visible)
        Initial visible states (values of the model's visible units); each row is one chain.
    n_sweeps : int
        Number of sweeps :math:`v \to h \to v` (``n_steps`` is the deprecated name).
    rng : None, int, SeedSequence or Generator
        Seed of the chains' key (one draw from the generator).
    beta : float
        Inverse temperature.
    return_hidden : bool
        Also return the hidden states of the last sweep (needs ``n_sweeps >= 1``).

    Returns
    -------
    v : ndarray (n_chains, n_visible), model dtype
    h : ndarray (n_chains, n_hidden), only if ``return_hidden``

    Examples
    --------
    The Gaussian field of a scalar-field RBM relaxes to the covariance :math:`K^{-1}`:

    >>> import numpy as np, rbmphys as rp
    >>> m = rp.GaussianRBM(np.array([[0.8], [0.5]]), mu2=2.0)
    >>> v = rp.gibbs(m, np.zeros((40000, 2)), n_sweeps=30, rng=0)
    >>> bool(np.allclose(np.cov(v.T), m.marginal_covariance(), atol=0.03))
    True

    Introduced in Chapter 2.
    """
    n_sweeps = check_int(n_sweeps, "n_sweeps", 0)
    if return_hidden and n_sweeps == 0:
        raise ValueError("return_hidden=True needs n_sweeps >= 1: no hidden states are drawn "
                         "before the first sweep")
    state = ChainState(model, v0, rng=rng, beta=beta).run(n_sweeps)
    if return_hidden:
        return state.v, state.h.copy()
    return state.v
