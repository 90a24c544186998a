"""Training: learning rules (strategy objects), ``train()``, schedules, History.  Chapter 2.

Checkpoints live in :mod:`rbmphys.checkpoint` (``rbmphys.save`` / ``rbmphys.load``).
"""

import warnings as _warnings

from ._history import History, Monitor
from ._rules import CD, PCD, ExactGradient, LearningRule, RdmK, StepContext
from ._target import TargetPCD
from ._rapid import RAPID, pcd_multiply_adds
from ._schedules import Schedule, constant, exponential, inverse_time, step_decay
from ._trainer import Trainer, TrainingDivergedError, TrainingInterrupted, train

__all__ = ["LearningRule", "StepContext", "CD", "PCD", "RdmK", "ExactGradient", "TargetPCD", "RAPID", "pcd_multiply_adds",
           "Trainer",
           "train", "History", "Monitor", "TrainingDivergedError", "TrainingInterrupted", "Schedule",
           "constant", "step_decay", "exponential", "inverse_time", "save", "load"]

_MOVED = {"save": ("rbmphys.checkpoint", "save"), "load": ("rbmphys.checkpoint", "load"),
          "make_pcd_stepper": ("rbmphys.training._trainer", "_make_pcd_stepper")}


def __getattr__(name):
    if name in _MOVED:
        import importlib
        mod, attr = _MOVED[name]
        if name == "make_pcd_stepper":
            _warnings.warn("rbmphys.training.make_pcd_stepper is no longer public (it was a "
                           "benchmark helper); use rbmphys.train", DeprecationWarning,
                           stacklevel=2)
        return getattr(importlib.import_module(mod), attr)
    raise AttributeError(f"module 'rbmphys.training' has no attribute {name!r}")
