"""Training: learning rules, ``train()``, schedules, History, checkpoints.  Chapter 2."""

from ._history import History
from ._rules import CD, PCD, ExactGradient, RdmK
from ._schedules import constant, exponential, inverse_time, step_decay
from ._trainer import Trainer, TrainingDivergedError, make_pcd_stepper, train
from .checkpoint import load, save

__all__ = ["CD", "PCD", "RdmK", "ExactGradient", "Trainer", "train", "History",
           "TrainingDivergedError", "make_pcd_stepper", "constant", "step_decay",
           "exponential", "inverse_time", "save", "load"]
