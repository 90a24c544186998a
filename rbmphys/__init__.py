"""rbmphys — restricted Boltzmann machines, the physicist's way.

A textbook in code: models and exact oracles, fast numba samplers and trainers, symbolic
derivations, and a ledger (``rbmphys verify``) that checks every analytic claim of the book
numerically.  Notation: :mod:`rbmphys.conventions`.

Importing ``rbmphys`` loads numpy and numba only; sympy (``rbmphys.symbolic``) and matplotlib
(``rbmphys.plotting``) load when first used.
"""

from __future__ import annotations

import importlib

from ._version import __version__
from .models import BernoulliRBM, SpinRBM, gauge_to_bernoulli, gauge_to_spin
from .samplers.gibbs import ChainState, gibbs

# name -> (module, attribute or None for the module itself); resolved on first access
_LAZY = {
    "exact": ("rbmphys.exact", None),
    "datasets": ("rbmphys.datasets", None),
    "verify": ("rbmphys.verify", None),
    "analysis": ("rbmphys.analysis", None),
    "training": ("rbmphys.training", None),
    "samplers": ("rbmphys.samplers", None),
    "kernels": ("rbmphys.kernels", None),
    "models": ("rbmphys.models", None),
    "conventions": ("rbmphys.conventions", None),
    "plotting": ("rbmphys.plotting", None),
    "ais": ("rbmphys.samplers.ais", "ais"),
    "reverse_ais": ("rbmphys.samplers.ais", "reverse_ais"),
    "AISResult": ("rbmphys.samplers.ais", "AISResult"),
    "ParallelTempering": ("rbmphys.samplers.tempering", "ParallelTempering"),
    "parallel_tempering": ("rbmphys.samplers.tempering", "parallel_tempering"),
    "train": ("rbmphys.training", "train"),
    "Trainer": ("rbmphys.training", "Trainer"),
    "History": ("rbmphys.training", "History"),
    "CD": ("rbmphys.training", "CD"),
    "PCD": ("rbmphys.training", "PCD"),
    "RdmK": ("rbmphys.training", "RdmK"),
    "ExactGradient": ("rbmphys.training", "ExactGradient"),
    "save": ("rbmphys.training.checkpoint", "save"),
    "load": ("rbmphys.training.checkpoint", "load"),
}

__all__ = ["__version__", "BernoulliRBM", "SpinRBM", "gauge_to_bernoulli", "gauge_to_spin",
           "ChainState", "gibbs", *_LAZY]


def __getattr__(name):
    try:
        module, attr = _LAZY[name]
    except KeyError:
        raise AttributeError(f"module 'rbmphys' has no attribute {name!r}") from None
    mod = importlib.import_module(module)
    value = mod if attr is None else getattr(mod, attr)
    globals()[name] = value
    return value


def __dir__():
    return sorted(set(globals()) | set(_LAZY))
