r"""Learning-rate schedules: callables ``epoch -> lr`` that can be saved in a checkpoint.

:func:`step_decay` is Eq. (A2) of [AartsLuciniPark2024]_: the learning rate is multiplied by
:math:`r` every :math:`N^\text{rate}_\text{epoch}` epochs,

.. math::

    \eta_n = r\,\eta_{n-1} \quad \text{if } n \bmod N^\text{rate}_\text{epoch} = 0,
    \qquad\text{i.e.}\quad \eta_n = \eta_0\, r^{\lfloor n / N^\text{rate}_\text{epoch}\rfloor},

with :math:`r = 0.99`, :math:`N^\text{rate}_\text{epoch} = 128` in the paper (Figs. 18-19).

Introduced in Chapter 2.
"""

from __future__ import annotations

import dataclasses
import math


@dataclasses.dataclass(frozen=True)
class Schedule:
    """Base class: ``schedule(epoch)`` returns the learning rate of that epoch (0-based)."""

    lr: float

    def __post_init__(self):
        if not (self.lr > 0 and math.isfinite(self.lr)):
            raise ValueError(f"learning rate lr must be positive and finite, got {self.lr}")

    def to_dict(self):
        return {"class": type(self).__name__, **dataclasses.asdict(self)}


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

    def __post_init__(self):
        super().__post_init__()
        if not 0 < self.r <= 1:
            raise ValueError(f"decay factor r must lie in (0, 1], got {self.r}")
        if int(self.every) != self.every or self.every < 1:
            raise ValueError(f"every must be a positive integer, got {self.every}")

    def __call__(self, epoch):
        return self.lr * self.r ** (epoch // self.every)


@dataclasses.dataclass(frozen=True)
class exponential(Schedule):
    """η_n = lr · γⁿ."""

    gamma: float = 0.99

    def __call__(self, epoch):
        return self.lr * self.gamma ** epoch


@dataclasses.dataclass(frozen=True)
class inverse_time(Schedule):
    """η_n = lr / (1 + n / tau) (Robbins–Monro)."""

    tau: float = 100.0

    def __call__(self, epoch):
        return self.lr / (1.0 + epoch / self.tau)


SCHEDULES = {c.__name__: c for c in (constant, step_decay, exponential, inverse_time)}


def as_schedule(lr):
    """A float becomes :class:`constant`; a :class:`Schedule` is kept."""
    if isinstance(lr, Schedule):
        return lr
    if callable(lr):
        raise TypeError("lr must be a number or an rbmphys.training schedule (constant, "
                        "step_decay, exponential, inverse_time) so that it can be checkpointed")
    return constant(float(lr))


def schedule_from_dict(d):
    d = dict(d)
    cls = SCHEDULES.get(d.pop("class", None))
    if cls is None:
        raise ValueError(f"unknown schedule in checkpoint: {d}")
    return cls(**d)
