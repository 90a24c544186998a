r"""Learning-rate schedules: callables ``epoch -> lr`` that can be saved in a checkpoint.

:func:`step_decay` is Eq. (A2) of [AartsLuciniPark2024]_: the learning rate is multiplied by
:math:`r` every :math:`N^\text{rate}_\text{epoch}` epochs,

.. math::

    \eta_n = r\,\eta_{n-1} \quad \text{if } n \bmod N^\text{rate}_\text{epoch} = 0,
    \qquad\text{i.e.}\quad \eta_n = \eta_0\, r^{\lfloor n / N^\text{rate}_\text{epoch}\rfloor},

with :math:`r = 0.99`, :math:`N^\text{rate}_\text{epoch} = 128` in the paper (Figs. 18-19).

Every parameter is checked when the schedule is built, so that the rate is positive and finite
at *every* epoch, not only the first; the trainer checks each epoch's rate again (a custom
schedule may misbehave).  A subclass of :class:`Schedule` written in a user's own code is saved
and loaded with the checkpoint like the built-in ones.

Introduced in Chapter 2.

References
----------
.. [AartsLuciniPark2024] G. Aarts, B. Lucini, C. Park, Phys. Rev. D 109, 034521 (2024), App. A.
"""

from __future__ import annotations

import dataclasses
import math
import numbers
from typing import ClassVar

from .._state import Stateful
from .._validation import check_int, check_real

__all__ = ["Schedule", "constant", "step_decay", "exponential", "inverse_time", "as_schedule",
           "check_rate"]


def check_rate(lr, epoch=None):
    """``lr`` as a float if it is positive and finite (else ValueError naming the epoch)."""
    where = "" if epoch is None else f" at epoch {epoch}"
    if isinstance(lr, (str, bytes, bool)) or not isinstance(lr, numbers.Real):
        raise TypeError(f"learning rate lr{where} must be a number, got {lr!r}")
    ok = float(lr) > 0 and math.isfinite(float(lr))
    if not ok:
        raise ValueError(f"learning rate lr{where} must be positive and finite, got {lr!r}")
    return float(lr)


@dataclasses.dataclass(frozen=True)
class Schedule(Stateful):
    """Base class: ``schedule(epoch)`` returns the learning rate of that epoch (0-based)."""

    lr: float

    #: field -> the function that checks (and converts) its value when the schedule is built;
    #: a subclass lists its own fields here instead of writing ``__post_init__``.
    _checks: ClassVar[dict] = {}

    def __post_init__(self):
        object.__setattr__(self, "lr", check_rate(self.lr))
        for name, check in self._checks.items():       # frozen: set through object.__setattr__
            object.__setattr__(self, name, check(getattr(self, name)))

    def __call__(self, epoch):  # pragma: no cover - interface
        raise NotImplementedError

    def config(self):
        return dataclasses.asdict(self)

    def to_dict(self):
        return {"class": type(self).__name__, **self.config()}

    def state_dict(self):
        return {"class": type(self).__name__,
                "qualname": f"{type(self).__module__}.{type(self).__qualname__}",
                "config": self.config()}

    @classmethod
    def from_state(cls, state):
        return cls(**state.get("config", {}))


@dataclasses.dataclass(frozen=True)
class constant(Schedule):
    """η_n = lr."""

    def __call__(self, epoch):
        return self.lr


@dataclasses.dataclass(frozen=True)
class step_decay(Schedule):
    """η_n = lr · r^⌊n / every⌋ — Eq. (A2) of Aarts, Lucini, Park (r = 0.99, every = 128)."""

    r: float = 0.99
    every: int = 128

    _checks: ClassVar[dict] = {
        "r": lambda r: check_real(r, "decay factor r", low=0, high=1, low_open=True),
        "every": lambda every: check_int(every, "every (epochs per decay step)", 1)}

    def __call__(self, epoch):
        return self.lr * self.r ** (epoch // self.every)


@dataclasses.dataclass(frozen=True)
class exponential(Schedule):
    """η_n = lr · γⁿ with 0 < γ ≤ 1."""

    gamma: float = 0.99

    _checks: ClassVar[dict] = {
        "gamma": lambda g: check_real(g, "decay factor gamma", low=0, high=1, low_open=True)}

    def __call__(self, epoch):
        return self.lr * self.gamma ** epoch


@dataclasses.dataclass(frozen=True)
class inverse_time(Schedule):
    """η_n = lr / (1 + n / tau) (Robbins–Monro), tau > 0."""

    tau: float = 100.0

    _checks: ClassVar[dict] = {
        "tau": lambda tau: check_real(tau, "time constant tau", low=0, low_open=True)}

    def __call__(self, epoch):
        return self.lr / (1.0 + epoch / self.tau)


def as_schedule(lr):
    """A number becomes :class:`constant`; a :class:`Schedule` is kept."""
    if isinstance(lr, Schedule):
        return lr
    if callable(lr):
        raise TypeError("lr must be a number or an rbmphys.training.Schedule (constant, "
                        "step_decay, exponential, inverse_time, or your own subclass) so that "
                        "it can be checkpointed")
    return constant(check_rate(lr))
