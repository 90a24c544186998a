r"""Learning rules: where the negative phase comes from.

All rules ascend the mean log-likelihood with the positive-minus-negative-phase gradient
(Eqs. (4), (6), (12), (13) of [ToledoMarin2025]_),

.. math::

    \Delta W = \eta\big(\langle v\, E[h|v]^T\rangle_{\text{batch}}
        - \langle v\, E[h|v]^T\rangle_{\text{chains}}\big), \quad
    \Delta a = \eta(\langle v\rangle_{\text{batch}} - \langle v\rangle_{\text{chains}}), \quad
    \Delta b = \eta(\langle E[h|v]\rangle_{\text{batch}} - \langle E[h|v]\rangle_{\text{chains}}),

and differ in the chains that estimate the model average:

* :class:`CD` (contrastive divergence, Hinton 2002): chains start at the minibatch, k sweeps;
* :class:`PCD` (persistent CD, Tieleman 2008): ``n_chains`` chains carried from update to update
  (the "fantasy particles"), k sweeps per update — the rule of [AartsLuciniPark2024]_, App. A;
* :class:`RdmK` (random-start k-step chains, the "Rdm-k" of [ToledoMarin2025]_): chains start
  uniformly at random at every update;
* :class:`ExactGradient`: the model average by exact enumeration (small models only).

Introduced in Chapter 2.
"""

from __future__ import annotations

import dataclasses


def _check_pos_int(name, x):
    if int(x) != x or x < 1:
        raise ValueError(f"{name} must be a positive integer, got {x}")
    return int(x)


@dataclasses.dataclass(frozen=True)
class CD:
    """Contrastive divergence: chains start at the minibatch and run ``k`` sweeps."""

    k: int = 1

    def __post_init__(self):
        object.__setattr__(self, "k", _check_pos_int("k (Gibbs sweeps)", self.k))


@dataclasses.dataclass(frozen=True)
class PCD:
    """Persistent contrastive divergence: ``n_chains`` persistent chains, ``k`` sweeps per update."""

    k: int = 1
    n_chains: int = 100

    def __post_init__(self):
        object.__setattr__(self, "k", _check_pos_int("k (Gibbs sweeps)", self.k))
        object.__setattr__(self, "n_chains", _check_pos_int("n_chains", self.n_chains))


@dataclasses.dataclass(frozen=True)
class RdmK:
    """Chains started uniformly at random at every update, ``k`` sweeps; ``n_chains`` defaults
    to the minibatch size."""

    k: int = 10
    n_chains: int | None = None

    def __post_init__(self):
        object.__setattr__(self, "k", _check_pos_int("k (Gibbs sweeps)", self.k))
        if self.n_chains is not None:
            object.__setattr__(self, "n_chains", _check_pos_int("n_chains", self.n_chains))


@dataclasses.dataclass(frozen=True)
class ExactGradient:
    """The exact gradient (:func:`rbmphys.exact.gradient`): negative phase by enumeration."""


RULES = {"CD": CD, "PCD": PCD, "RdmK": RdmK, "ExactGradient": ExactGradient}


def rule_to_dict(rule) -> dict:
    return {"class": type(rule).__name__, **dataclasses.asdict(rule)}


def rule_from_dict(d: dict):
    d = dict(d)
    cls = RULES.get(d.pop("class", None))
    if cls is None:
        raise ValueError(f"unknown learning rule in checkpoint: {d}")
    return cls(**d)
