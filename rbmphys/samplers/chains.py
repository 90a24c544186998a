r"""The chain-sampler protocol: what moves a learning rule's persistent chains.

A persistent-chain rule (:class:`rbmphys.PCD`) estimates the model average of the gradient,
:math:`\langle v\,E[h|v]^T\rangle_\text{model}`, from chains of visible states that it carries
from update to update.  *How* the chains move is a separate choice — plain block Gibbs,
replica exchange (:class:`rbmphys.samplers.TemperedGibbs`), or a sampler written by a reader —
and this protocol is the seam between the two, in the pattern of NetKet's sampler rules:

* ``init_chains(model, n_chains, key) -> v``: the initial visible states (default: random
  states of the visible unit type, :func:`rbmphys.samplers._engine.random_visible`);
* ``run(model, v, key, n_sweeps) -> v``: advance the chains ``v`` (shape ``(n_chains, V)``,
  model dtype) by ``n_sweeps`` sweeps of the current ``model`` with the 64-bit ``key`` of this
  update; it may work in place and returns the new states;
* ``config()``: JSON-able constructor arguments; ``runtime_state()`` /
  ``load_runtime_state(state, model=None)``: any state beyond the chains themselves (e.g. the
  replicas of tempering), as ``{"arrays": {...}, "values": {...}}``, so that training resumes
  bit for bit; ``state_dict()`` / ``from_state`` the whole object, as for rules and models.

A sampler draws all its randomness from the ``key`` it is given (counter-based: the same key
gives the same chains however often the run is interrupted and resumed).  Subclasses are
registered for checkpoints like rules and models.

Examples
--------
A sampler written outside the package from public names only — block Gibbs that keeps the
visible means instead of samples every other sweep would be one more method; here, Gibbs at
a fixed inverse temperature:

>>> import numpy as np, rbmphys as rp
>>> class HotGibbs(rp.samplers.ChainSampler):
...     def __init__(self, beta=0.5):
...         self.beta = beta
...     def config(self):
...         return {"beta": self.beta}
...     def run(self, model, v, key, n_sweeps):
...         return rp.ChainState(model, v, rng=key, beta=self.beta).run(n_sweeps).v
>>> m = rp.BernoulliRBM.random(6, 4, weight_scale=0.5, rng=0)
>>> v = HotGibbs().run(m, np.zeros((3, 6)), key=7, n_sweeps=2)
>>> v.shape
(3, 6)

Introduced in Chapter 2.
"""

from __future__ import annotations

import dataclasses

from .._state import Configured
from .._validation import check_real
from ._engine import random_visible, sweeps

__all__ = ["ChainSampler", "BlockGibbs"]


class ChainSampler(Configured):
    """Base class of chain samplers (the protocol is in the module docstring)."""

    def init_chains(self, model, n_chains, key):
        """Random initial visible states of the visible unit type (``n_chains`` rows)."""
        return random_visible(model, n_chains, key)

    def run(self, model, v, key, n_sweeps):  # pragma: no cover - interface
        raise NotImplementedError(f"{type(self).__name__} must implement run(model, v, key, "
                                  "n_sweeps)")


@dataclasses.dataclass(eq=False)
class BlockGibbs(ChainSampler):
    r"""Block Gibbs sweeps :math:`v \to h \to v'` at inverse temperature ``beta``
    (:func:`rbmphys.samplers._engine.sweeps`): the sampler of plain PCD, here as an object a
    rule can take.  ``PCD(sampler=BlockGibbs())`` follows the same law as ``PCD()`` but not
    the same bits: the default PCD path fuses the chains' hidden sample into the gradient's
    GEMM (three GEMMs per update), a sampler starts every update from the visible states.

    Introduced in Chapter 2.
    """

    beta: float = 1.0

    def __post_init__(self):
        self.beta = check_real(self.beta, "inverse temperature beta", low=0)

    def run(self, model, v, key, n_sweeps):
        return sweeps(model, v, key, n_sweeps, beta=self.beta)[0]
