r"""Parallel tempering (replica exchange) for binary RBMs.

Block Gibbs mixes badly when p(v) has well-separated modes (strong, ordered weights): a chain
started in one mode stays there.  Parallel tempering runs replicas at inverse temperatures
:math:`\beta_1 < \dots < \beta_R = 1`, each with block Gibbs for
:math:`p_\beta(v,h) \propto e^{-\beta E(v,h)}`, and proposes to exchange the joint states of
neighbouring replicas, accepted with probability

.. math::

    A = \min\big(1, e^{(\beta_r - \beta_{r+1})(E_r - E_{r+1})}\big),

which keeps the product of the replicas' Boltzmann distributions invariant (detailed balance).
Even and odd pairs alternate from sweep to sweep.  Hot replicas cross barriers; exchanges carry
those moves down to :math:`\beta = 1`.

Randomness: the Gibbs half-steps use the counter RNG (key, sweep, layer; chain counters offset
per replica); the exchange uniforms come from a NumPy generator seeded from the same ``rng``.

Introduced in Chapter 2.
"""

from __future__ import annotations

import numpy as np

from .._validation import as_generator, draw_key
from ..kernels._gibbs import sample_layer
from ..kernels._rng import derive_key

__all__ = ["ParallelTempering", "parallel_tempering"]


class ParallelTempering:
    """Replica-exchange block Gibbs sampler.

    Parameters
    ----------
    model : BernoulliRBM or SpinRBM
    betas : array, strictly increasing, last entry 1
    n_chains : int
        Independent PT chains (each a full ladder of replicas).
    rng : None, int, SeedSequence or Generator
    v0 : array (n_chains, V), optional
        Initial state of every replica (uniformly random by default).

    Attributes
    ----------
    v : ndarray (n_chains, V)
        Current states of the β = 1 replicas.
    acceptance_rates : ndarray (R − 1,)
        Fraction of accepted exchanges per neighbouring pair so far.

    Introduced in Chapter 2.
    """

    def __init__(self, model, betas, n_chains, rng=None, v0=None):
        betas = np.asarray(betas, dtype=np.float64)
        if betas.ndim != 1 or len(betas) < 2 or np.any(np.diff(betas) <= 0) or betas[0] < 0 \
                or betas[-1] != 1.0:
            raise ValueError("betas must be strictly increasing, non-negative, and end at 1")
        if int(n_chains) != n_chains or n_chains < 1:
            raise ValueError(f"n_chains must be a positive integer, got {n_chains}")
        model.check_parameters()
        self.model, self.betas, self.n_chains = model, betas, int(n_chains)
        g = as_generator(rng)
        self.key = draw_key(g)
        self.swap_rng = np.random.Generator(np.random.PCG64(draw_key(g)))
        R, B, V, H = len(betas), self.n_chains, model.n_visible, model.n_hidden
        self._lo = 0.0 if model.units == "bernoulli" else -1.0
        if v0 is None:
            bits = g.integers(0, 2, size=(R * B, V))
            vs = bits if model.units == "bernoulli" else 2 * bits - 1
        else:
            v0 = model.check_visible(v0, "v0")
            if len(v0) != B:
                raise ValueError(f"v0 must hold n_chains = {B} states")
            vs = np.tile(v0, (R, 1))
        self._v = np.ascontiguousarray(vs, dtype=model.dtype)     # replica r: rows r*B:(r+1)*B
        self._h = np.empty((R * B, H), model.dtype)
        self._pre_h = np.empty((R * B, H), model.dtype)
        self._pre_v = np.empty((R * B, V), model.dtype)
        self._v_new = np.empty_like(self._v)
        self.sweeps = 0
        self._accepted = np.zeros(R - 1)
        self._proposed = np.zeros(R - 1)

    @property
    def v(self):
        B = self.n_chains
        return self._v[-B:].copy()

    @property
    def acceptance_rates(self):
        with np.errstate(invalid="ignore"):
            return self._accepted / self._proposed

    def _energies(self):
        m = self.model
        W = m.W.astype(np.float64)
        v, h = self._v.astype(np.float64), self._h.astype(np.float64)
        return -np.einsum("bi,ij,bj->b", v, W, h) - v @ m.a - h @ m.b

    def run(self, n_sweeps=1):
        """``n_sweeps`` rounds of (block Gibbs in every replica, then exchanges); returns self."""
        m, B, R = self.model, self.n_chains, len(self.betas)
        for _ in range(int(n_sweeps)):
            t = self.sweeps
            np.dot(self._v, m.W, out=self._pre_h)
            for r, beta in enumerate(self.betas):
                s = slice(r * B, (r + 1) * B)
                sample_layer(self._pre_h[s], m.b, beta * m._gain, self._lo,
                             derive_key(self.key, t, 0), r * B, self._h[s])
            np.dot(self._h, m.W.T, out=self._pre_v)
            for r, beta in enumerate(self.betas):
                s = slice(r * B, (r + 1) * B)
                sample_layer(self._pre_v[s], m.a, beta * m._gain, self._lo,
                             derive_key(self.key, t, 1), r * B, self._v_new[s])
            self._v, self._v_new = self._v_new, self._v
            # exchanges between neighbours (r, r+1), even pairs on even sweeps
            E = self._energies().reshape(R, B)
            for r in range(t % 2, R - 1, 2):
                log_a = (self.betas[r] - self.betas[r + 1]) * (E[r] - E[r + 1])
                acc = np.log(self.swap_rng.random(B)) < log_a
                self._accepted[r] += acc.sum()
                self._proposed[r] += B
                if acc.any():
                    i, j = r * B + np.flatnonzero(acc), (r + 1) * B + np.flatnonzero(acc)
                    self._v[[i, j]] = self._v[[j, i]]
                    self._h[[i, j]] = self._h[[j, i]]
                    E[r, acc], E[r + 1, acc] = E[r + 1, acc], E[r, acc].copy()
            self.sweeps += 1
        return self


def parallel_tempering(model, n_samples, betas=None, n_chains=100, burn_in=100, thin=5,
                       rng=None):
    """Samples of p(v) at β = 1 from :class:`ParallelTempering`.

    Runs ``burn_in`` sweeps, then keeps the β = 1 states of all chains every ``thin`` sweeps
    until ``n_samples`` states are collected.  ``betas`` defaults to 10 geometrically spaced
    values from 0.05 to 1.
    """
    if betas is None:
        betas = np.geomspace(0.05, 1.0, 10)
    pt = ParallelTempering(model, betas, n_chains, rng=rng)
    pt.run(burn_in)
    out = []
    while sum(len(x) for x in out) < n_samples:
        out.append(pt.run(thin).v)
    return np.vstack(out)[:n_samples]
