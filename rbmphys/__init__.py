"""rbmphys — restricted Boltzmann machines, the physicist's way.

A textbook in code: models and exact oracles, fast numba samplers and trainers, symbolic
derivations, and a ledger (``rbmphys verify``) that checks every analytic claim of the book
numerically.  Notation: :mod:`rbmphys.conventions`.

Layering (lower layers never import higher ones): ``conventions``, ``_validation``,
``_state`` → ``kernels`` (numba, private) → ``models`` (units and RBMs) → ``samplers`` (the
block-Gibbs engine, tempering, AIS) → ``exact`` → ``training`` (rules, trainer) and
``checkpoint`` → ``analysis``, ``theory``, ``symbolic``, ``datasets``, ``plotting``,
``parallel`` → ``experiments`` (the book's runs) → ``verify`` (the ledger) → ``cli``.  The
private helpers ``_version``, ``_runmode``, ``_progress`` and ``_book`` sit with the base layer,
``units`` with the models, ``_bench`` with the experiments, ``site`` between the ledger and the
``cli``; ``tests/test_house.py`` checks every import against this order.

Importing ``rbmphys`` loads numpy, scipy and numba only; sympy (``rbmphys.symbolic``) and
matplotlib (``rbmphys.plotting``) load when first used.
"""

from __future__ import annotations

import importlib
import warnings

from ._version import __version__
from .models import (RBM, BernoulliRBM, GaussianBernoulliRBM, GaussianRBM, SpinRBM,
                     gauge_to_bernoulli, gauge_to_spin)
from .samplers.gibbs import ChainState, gibbs

#: Subpackages and modules loaded on first access as ``rp.<name>``.
_SUBPACKAGES = ("units", "exact", "datasets", "verify", "analysis", "training", "samplers",
                "models", "conventions", "plotting", "symbolic", "theory", "checkpoint")

#: Module -> the names it lends to the top level (``rp.ais``, ``rp.PCD``, ...), loaded on first
#: access.
_NAMES_FROM = {
    "rbmphys.samplers.ais": ("ais", "reverse_ais", "AISResult"),
    "rbmphys.samplers.tempering": ("ParallelTempering", "parallel_tempering"),
    "rbmphys.training": ("train", "Trainer", "History", "LearningRule", "CD", "PCD", "RdmK",
                         "ExactGradient", "RAPID", "TrainingDivergedError",
                         "TrainingInterrupted"),
    "rbmphys.models": ("pattern_weights", "random_pattern_pair", "pattern_rbm"),
    "rbmphys.checkpoint": ("save", "load"),
    "rbmphys._runmode": ("quick_mode",),
}

# name -> (module, attribute or None for the module itself); resolved on first access
_LAZY = {**{name: (f"rbmphys.{name}", None) for name in _SUBPACKAGES},
         **{name: (module, name) for module, names in _NAMES_FROM.items() for name in names}}

#: Names that left the public surface: name -> (module, attribute, message).
_DEPRECATED = {
    "kernels": ("rbmphys.kernels", None, "rbmphys.kernels is private (numba kernels); use the "
                "samplers and models"),
}

__all__ = ["__version__", "RBM", "BernoulliRBM", "SpinRBM", "GaussianRBM",
           "GaussianBernoulliRBM", "gauge_to_bernoulli", "gauge_to_spin", "ChainState", "gibbs",
           *_LAZY]


# the numba kernels are private: the import of the models put the subpackage in this namespace;
# take it out so that ``rp.kernels`` goes through the deprecation shim below
globals().pop("kernels", None)


def __getattr__(name):
    if name in _DEPRECATED:
        module, attr, msg = _DEPRECATED[name]
        warnings.warn(f"rbmphys.{name}: {msg}", DeprecationWarning, stacklevel=2)
        mod = importlib.import_module(module)
        return mod if attr is None else getattr(mod, attr)
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
