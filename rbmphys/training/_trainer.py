r"""``train()`` and :class:`Trainer`: minibatch gradient ascent on the log-likelihood.

Each epoch visits the data in a random order, split into minibatches (a ragged last batch is
dropped); for every minibatch the learning rule (:mod:`rbmphys.training._rules`) returns the
increments of the model's parameters, which the trainer applies:

.. math::

    \theta \leftarrow \theta + \eta_n\,\widehat{\partial_\theta\mathcal L_{\mathcal B}}
        - \eta_n\lambda\,\theta_W + \text{momentum},

(Eq. (13) of [ToledoMarin2025]_).  The trainer loops over ``model.params`` and never asks which
rule or which unit types it runs: any rule object with a ``step`` method and any model with
``params`` will do.  With PCD-1 on a binary model one update costs three GEMMs, 5·B·V·H
multiply-adds: the floor that ``rbmphys bench`` measures against.

**Reproducibility.**  The trainer's 64-bit key drives everything random: update ``t`` hands the
rule the key ``derive_key(key, t)``, and the minibatch order of epoch ``n`` is a permutation
drawn from ``derive_key(key, n, SHUFFLE)``.  A checkpoint therefore needs no generator state,
and a resumed run is identical bit for bit to an uninterrupted one (on the same machine and
BLAS thread count: the promise is stated in :mod:`rbmphys.conventions`).

**Consistent state.**  An epoch is a transaction: the parameters, the rule's state (persistent
chains, patterns), the momentum, the counters and the history are snapshotted when it starts.
If the epoch does not finish — divergence, an exception in a callback, Ctrl-C, SIGTERM — all of
them are restored together, so the trainer is exactly at the end of the previous epoch and a
checkpoint saved then resumes to the same bits.  Ctrl-C and SIGTERM are caught between updates
(the current update finishes), the state is rolled back, a final checkpoint is written if
checkpointing is on, and :class:`TrainingInterrupted` (a :class:`KeyboardInterrupt`) is raised.

**Divergence.**  Small increments (biases, scalars) are checked after every update, everything
after every epoch: non-finite values, :math:`\max|W|` above ``max_weight``, or a model that
refuses its parameters (``model.check_parameters()``, e.g. a scalar-field RBM below its
stability bound) restore the last good epoch and raise :class:`TrainingDivergedError`.

Introduced in Chapter 2.

References
----------
.. [ToledoMarin2025] J. Q. Toledo-Marin et al., Mach. Learn.: Sci. Technol. 6, 035030 (2025).
"""

from __future__ import annotations

import copy
import dataclasses
import hashlib
import os
import signal
import threading
import time
import weakref

import numpy as np

from .._state import Stateful, lookup
from .._validation import as_generator, check_int, check_model, check_real, draw_key
from ..kernels._gibbs import gather_rows
from ..kernels._rng import derive_key
from ._history import History, Monitor
from ._rules import StepContext
from ._schedules import as_schedule, check_rate

__all__ = ["Trainer", "train", "TrainingDivergedError", "TrainingInterrupted"]

#: Default limit on max|W| before training counts as diverged.
MAX_WEIGHT = 1e4
#: Key-derivation tag of the minibatch order.
SHUFFLE = 0x5348
#: Increments with at most this many entries are checked for finiteness after every update.
_SMALL = 4096


class TrainingDivergedError(RuntimeError):
    """Training produced NaN/inf or exploding parameters; the model holds the last good state."""


class TrainingInterrupted(KeyboardInterrupt):
    """Ctrl-C or SIGTERM during training; the trainer was rolled back to the last whole epoch
    (and a checkpoint written if checkpointing was on).  ``.signal`` is the signal number."""

    def __init__(self, message, signum=signal.SIGINT):
        super().__init__(message)
        self.signal = signum


def _check_rule(rule):
    if not callable(getattr(rule, "step", None)) or isinstance(rule, type):
        raise TypeError(f"rule must be a learning rule object with a step(model, batch, ctx) "
                        f"method, e.g. rp.PCD(k=1, n_chains=100), got {rule!r}")
    return rule


def _rule_state(rule):
    if callable(getattr(rule, "runtime_state", None)) and callable(
            getattr(rule, "state_dict", None)):
        return rule.state_dict()
    raise TypeError(f"{type(rule).__name__} cannot be checkpointed: derive it from "
                    "rbmphys.training.LearningRule")


def data_fingerprint(data) -> str:
    """SHA-256 of the training data's bytes (a resumed run checks it trains on the same data)."""
    arr = np.ascontiguousarray(data)
    h = hashlib.sha256()
    h.update(str((arr.shape, arr.dtype.str)).encode())
    h.update(arr.tobytes())
    return h.hexdigest()


class _SignalGuard:
    """Turn SIGINT/SIGTERM into a flag checked between updates (main thread only)."""

    def __init__(self):
        self.signum = None
        self._old = {}

    def _handler(self, signum, frame):
        if self.signum is not None and signum == signal.SIGINT:
            raise KeyboardInterrupt      # a second Ctrl-C interrupts at once
        self.signum = signum

    def __enter__(self):
        if threading.current_thread() is threading.main_thread():
            for s in (signal.SIGINT, signal.SIGTERM):
                try:
                    self._old[s] = signal.signal(s, self._handler)
                except (ValueError, OSError):       # pragma: no cover - exotic platforms
                    pass
        return self

    def __exit__(self, *exc):
        for s, h in self._old.items():
            signal.signal(s, h)
        return False


#: rule -> weak reference to the Trainer that drives it (see ``Trainer._bind_rule``).
_RULE_OWNERS: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()


@dataclasses.dataclass
class _FitPlan:
    """What :meth:`Trainer.fit` checked and prepared before the first epoch."""

    data: np.ndarray
    stop_at: int
    batch_size: int
    callbacks: tuple
    monitor: Monitor
    checkpoint: object
    checkpoint_every: int | None


class Trainer(Stateful):
    r"""Minibatch stochastic gradient ascent of the mean log-likelihood.

    Parameters
    ----------
    model : RBM
        Updated in place; keeps its dtype (float32 or float64).
    rule : learning rule
        :class:`~rbmphys.CD`, :class:`~rbmphys.PCD`, :class:`~rbmphys.RdmK`,
        :class:`~rbmphys.ExactGradient`, :class:`~rbmphys.RAPID` or your own
        (:class:`rbmphys.training.LearningRule`).
    batch_size : int
    lr : float or Schedule
        Learning rate η, or a schedule ``epoch -> η`` (e.g. ``step_decay`` = Eq. (A2) of
        Aarts, Lucini, Park).  The only way to set the rate.
    momentum : float in [0, 1)
        Classical momentum on all parameters (rules that write the parameters themselves,
        such as RAPID, handle their own).
    weight_decay : float >= 0
        L2 penalty: adds :math:`-\eta\lambda W` to the weight update.
    rng : None, int, SeedSequence or Generator
        Draws the trainer's 64-bit key (minibatch order and every random number of the rule).
    max_weight : float
        Divergence threshold on max|W|.

    Introduced in Chapter 2.
    """

    def __init__(self, model, rule, *, batch_size=100, lr=0.01, momentum=0.0, weight_decay=0.0,
                 rng=None, max_weight=MAX_WEIGHT):
        check_model(model, "training")
        self.rule = _check_rule(rule)
        self.batch_size = check_int(batch_size, "batch_size", 1)
        self.momentum = check_real(momentum, "momentum", low=0, high=1, high_open=True)
        self.weight_decay = check_real(weight_decay, "weight_decay", low=0)
        self.max_weight = check_real(max_weight, "max_weight", low=0, low_open=True)
        self.schedule = as_schedule(lr)
        model.check_parameters()
        self.model = model
        self._bind_rule()
        self.key = draw_key(as_generator(rng))
        self.epoch = 0
        self.n_updates = 0
        self.history = History()
        self.velocity = None
        self._data_sha = None
        self._data = None           # the last training data (for its fingerprint, computed lazily)

    def _bind_rule(self):
        """A rule holds the state of one run (chains, patterns): a new trainer starts it fresh,
        and a rule still driving another trainer is refused in :meth:`fit`.  Which trainer
        drives which rule is kept here, in a weak table, not written onto the caller's rule."""
        reset = getattr(self.rule, "reset", None)
        if reset is not None:
            reset()
        try:
            _RULE_OWNERS[self.rule] = weakref.ref(self)
        except TypeError:               # a rule that cannot be weakly referenced or hashed
            pass

    def _check_rule_binding(self):
        try:
            ref = _RULE_OWNERS.get(self.rule)
        except TypeError:
            ref = None
        owner = ref() if ref is not None else None
        if owner is not None and owner is not self:
            raise ValueError(f"the rule object {self.rule!r} now drives another Trainer (its "
                             "persistent state belongs to one run): create a new rule object "
                             "for each training run")

    # ------------------------------------------------------------------ one update
    def _context(self, lr):
        return StepContext(lr=lr, key=derive_key(self.key, self.n_updates), update=self.n_updates,
                           epoch=self.epoch)

    def update(self, batch, lr):
        """One gradient step on a minibatch (model dtype, C-contiguous); returns the increments
        that were applied (None if the rule wrote the parameters itself)."""
        m = self.model
        inc = self.rule.step(m, batch, self._context(lr))
        if inc is not None:
            self._apply(inc, lr)
        self.n_updates += 1
        return inc

    def _apply(self, inc, lr):
        params = self.model.params
        if not inc.keys() <= params.keys():
            unknown = set(inc) - set(params)
            raise KeyError(f"the rule returned increments for {sorted(unknown)}, which are not "
                           f"parameters of the model ({sorted(params)})")
        for name, d in inc.items():
            if np.size(d) <= _SMALL and not np.isfinite(d).all():
                raise TrainingDivergedError(
                    f"non-finite increment of {name} at update {self.n_updates} (epoch "
                    f"{self.epoch}); lower the learning rate (now {lr:g})")
        if self.weight_decay and "W" in inc:
            inc = dict(inc)
            inc["W"] = np.asarray(inc["W"]) - (lr * self.weight_decay) * params["W"]
        if self.momentum:
            if self.velocity is None:
                self.velocity = {k: np.zeros(np.shape(p), np.float64 if np.ndim(p) < 2 else
                                             p.dtype) for k, p in params.items()}
            for k, d in inc.items():
                vel = self.velocity[k]
                vel *= self.momentum
                vel += np.asarray(d)
            inc = {k: self.velocity[k] for k in inc}
        for k, d in inc.items():
            p = params[k]
            add_to = getattr(d, "add_to", None)     # a deferred product: one accumulating GEMM
            if add_to is not None:
                add_to(p)
            else:
                p += np.asarray(d).astype(p.dtype, copy=False)

    # ------------------------------------------------------------------ epochs
    def _snapshot(self):
        return {"params": {k: np.array(v, copy=True) for k, v in self.model.params.items()},
                "rule": copy.deepcopy(self.rule.runtime_state())
                if hasattr(self.rule, "runtime_state") else None,
                "velocity": None if self.velocity is None else
                {k: v.copy() for k, v in self.velocity.items()},
                "epoch": self.epoch, "n_updates": self.n_updates, "n_hist": len(self.history)}

    def _restore(self, snap):
        for k, p in self.model.params.items():
            p[...] = snap["params"][k]
        if snap["rule"] is not None and hasattr(self.rule, "load_runtime_state"):
            self.rule.load_runtime_state(snap["rule"], model=self.model)
        self.velocity = snap["velocity"]
        self.epoch, self.n_updates = snap["epoch"], snap["n_updates"]
        self.history.truncate(snap["n_hist"])

    def _check_health(self, snap, lr):
        m = self.model
        why = None
        for name, p in m.params.items():
            if not np.all(np.isfinite(p)):
                why = f"{name} has NaN or infinite values"
                break
        if why is None and "W" in m.params:
            wmax = float(np.max(np.abs(m.params["W"])))
            if wmax > self.max_weight:
                why = f"max|W| = {wmax:.3g} is above max_weight = {self.max_weight:g}"
        if why is None:
            try:
                m.check_parameters()
            except ValueError as exc:
                why = str(exc)
        if why is not None:
            ep = self.epoch
            self._restore(snap)
            raise TrainingDivergedError(
                f"training diverged in epoch {ep}: {why}; the model, the rule's state and the "
                f"counters were restored to the end of epoch {ep - 1}. Lower the learning rate "
                f"(now {lr:g})")

    def order(self, n, epoch=None):
        """The minibatch order of ``epoch`` (default: the next one) for ``n`` data points."""
        if n == 1:                  # dataless rules (one update per epoch): nothing to shuffle
            return np.zeros(1, dtype=np.int64)
        ep = self.epoch if epoch is None else epoch
        return np.random.Generator(np.random.PCG64(derive_key(self.key, ep, SHUFFLE))) \
            .permutation(n)

    def fit(self, data, epochs, *, callbacks=(), monitor=None, progress=None, checkpoint=None,
            checkpoint_every=None):
        """Train for ``epochs`` more epochs on ``data``; returns the :class:`History`.

        Parameters
        ----------
        data : ndarray (n, V)
            States of the model's visible units ({0,1} for BernoulliRBM, ±1 for SpinRBM, real
            for Gaussian units).
        epochs : int >= 0
        callbacks : iterable of callables ``(trainer, epoch, record) -> bool | None``
            Called after each epoch; returning True stops training.
        monitor : Monitor or dict, optional
            What to record each epoch (:class:`rbmphys.training.Monitor`: ``test``, ``every``,
            ``exact``, ``ais_every``, ``n_chains``, ``n_betas``, ``spectrum_every``,
            ``recon_size``; a dict with those keys is accepted).
        progress : bool or None
            True: a ``tqdm`` bar; False: nothing; None: a bar on a terminal and in Jupyter, a
            progress line now and then when the output goes elsewhere (a log).
        checkpoint : str or path, optional
            Write a checkpoint there every ``checkpoint_every`` epochs, at the end, and when
            interrupted (atomic: a crash never leaves a half-written file).
        checkpoint_every : int, optional
            Epochs between checkpoints (default: only at the end and on interruption).
        """
        plan = self._plan(data, epochs, callbacks, monitor, checkpoint, checkpoint_every)
        bar = _progress_bar(epochs, progress, f"{type(self.rule).__name__}")
        with bar, _SignalGuard() as guard:
            while self.epoch < plan.stop_at:
                lr = check_rate(self.schedule(self.epoch), self.epoch)
                stop = self._guarded_epoch(plan, lr, guard)
                bar.update(1)
                bar.set_postfix(lr=f"{lr:.3g}")
                if plan.checkpoint is not None and (
                        (plan.checkpoint_every and self.epoch % plan.checkpoint_every == 0)
                        or self.epoch == plan.stop_at or stop):
                    self.save(plan.checkpoint)
                if stop:
                    break
        return self.history

    # the steps of fit -----------------------------------------------------------------
    def _plan(self, data, epochs, callbacks, monitor, checkpoint, checkpoint_every):
        """Check every argument of :meth:`fit` before any work (a bad one fails at once)."""
        m = self.model
        self._check_rule_binding()
        if data is None:
            if getattr(self.rule, "needs_data", True):
                raise ValueError(f"training data is required by the rule {self.rule!r} (only "
                                 "rules with needs_data = False, e.g. TargetPCD, train "
                                 "without data)")
            data = np.zeros((1, m.n_visible), m.dtype)      # one update per epoch
            if not isinstance(monitor, Monitor):         # nothing to measure on no data
                monitor = {"every": 0, **(monitor or {})}
            monitor = Monitor.of(monitor)
        else:
            data = m.check_visible(data, "training data", dtype=m.dtype)
            monitor = Monitor.of(monitor)
            if self._data is not data:
                self._data, self._data_sha = data, None
        epochs = check_int(epochs, "epochs", 0)
        if callable(callbacks):
            callbacks = (callbacks,)
        callbacks = tuple(callbacks)
        for cb in callbacks:
            if not callable(cb):
                raise TypeError(f"callbacks must be callables (trainer, epoch, record), got "
                                f"{cb!r}")
        if checkpoint_every is not None:
            checkpoint_every = check_int(checkpoint_every, "checkpoint_every", 1)
        if checkpoint is not None:
            from ..checkpoint import check_writable
            check_writable(checkpoint)
        return _FitPlan(data=data, stop_at=self.epoch + epochs,
                        batch_size=min(self.batch_size, len(data)), callbacks=callbacks,
                        monitor=monitor, checkpoint=checkpoint,
                        checkpoint_every=checkpoint_every)

    def _guarded_epoch(self, plan, lr, guard):
        """One epoch with the last good state kept: on divergence, interruption or any error
        the model, the rule's state and the counters go back to the end of the previous epoch
        (an interruption also writes the checkpoint).  Returns True if a callback asked to
        stop."""
        snap = self._snapshot()
        try:
            t0 = time.perf_counter()
            self._epoch_updates(plan.data, plan.batch_size, lr, guard)
            self.epoch += 1
            self._check_health(snap, lr)
            end = getattr(self.rule, "end_epoch", None)
            if end is not None:
                end(self.model, self._context(lr))
            record = self.history.record(self, plan.data, plan.monitor, lr,
                                         time.perf_counter() - t0)
            return any(cb(self, self.epoch, record) for cb in plan.callbacks)
        except TrainingDivergedError as exc:
            if self.epoch != snap["epoch"] or self.n_updates != snap["n_updates"]:
                self._restore(snap)
                raise TrainingDivergedError(
                    f"{exc}; the model, the rule's state and the counters were restored "
                    f"to the end of epoch {self.epoch - 1}") from None
            raise
        except BaseException as exc:
            self._restore(snap)
            if isinstance(exc, KeyboardInterrupt) and plan.checkpoint is not None:
                self.save(plan.checkpoint)
            if isinstance(exc, KeyboardInterrupt) and not isinstance(exc, TrainingInterrupted):
                raise TrainingInterrupted(
                    f"training interrupted in epoch {self.epoch}; rolled back to the "
                    f"end of epoch {self.epoch - 1}") from None
            raise

    def _epoch_updates(self, data, B, lr, guard):
        """The minibatch updates of one epoch, in this epoch's order; a signal stops between
        updates."""
        m = self.model
        n = len(data)
        order = self.order(n)
        gather = getattr(self.rule, "batch_buffer", None)
        batch = gather(m, B) if gather is not None else np.empty((B, m.n_visible), m.dtype)
        for start in range(0, n - B + 1, B):
            gather_rows(data, order[start:start + B], batch)
            try:
                self.update(batch, lr)
            except (ValueError, FloatingPointError) as exc:
                bad = [k for k, p in m.params.items() if not np.all(np.isfinite(p))]
                if not bad:
                    raise
                raise TrainingDivergedError(f"{exc} (parameters {bad} non-finite)") from None
            if guard.signum is not None:
                raise TrainingInterrupted(f"training interrupted by signal {guard.signum} in "
                                          f"epoch {self.epoch}", guard.signum)

    # ------------------------------------------------------------------ persistence
    def state_dict(self) -> dict:
        """The trainer as a checkpoint stores it (model, rule, schedule, counters, history)."""
        return {"model": self.model.state_dict(), "rule": _rule_state(self.rule),
                "schedule": self.schedule.state_dict(),
                "config": {"batch_size": self.batch_size, "momentum": self.momentum,
                           "weight_decay": self.weight_decay, "max_weight": self.max_weight},
                "key": str(self.key), "epoch": self.epoch, "n_updates": self.n_updates,
                "has_velocity": self.velocity is not None,
                "velocity": {} if self.velocity is None else
                {k: np.array(v) for k, v in self.velocity.items()},
                "history": self.history.to_dict()["records"], "data_sha": self.data_sha}

    @property
    def data_sha(self):
        """SHA-256 fingerprint of the data trained on last (None before any training)."""
        if self._data_sha is None and self._data is not None:
            self._data_sha = data_fingerprint(self._data)
        return self._data_sha

    @data_sha.setter
    def data_sha(self, value):
        self._data_sha, self._data = value, None

    @classmethod
    def from_state(cls, state):
        try:
            model = lookup(state["model"]["class"]).from_state(state["model"])
            rs = state["rule"]
            rule = lookup(rs.get("qualname", rs["class"])).from_state(rs, model=model)
            ss = state["schedule"]
            schedule = lookup(ss.get("qualname", ss["class"])).from_state(ss)
            cfg = state["config"]
            tr = cls(model, rule, lr=schedule, rng=0, **cfg)      # (its reset() forgets)
            rule.load_runtime_state(rs.get("state", {"arrays": {}, "values": {}}), model=model)
            tr.key = int(state["key"])
            tr.epoch, tr.n_updates = int(state["epoch"]), int(state["n_updates"])
            vel = state.get("velocity") or {}
            # a rule that writes the parameters itself (RAPID) never makes a velocity
            expected = state.get("has_velocity", tr.momentum and tr.n_updates)
            if expected and not vel:
                raise ValueError("the momentum velocity is missing")
            if vel:
                if set(vel) != set(model.params):
                    raise ValueError(f"velocity for {sorted(vel)}, parameters "
                                     f"{sorted(model.params)}")
                tr.velocity = {k: np.array(v) for k, v in vel.items()}
            tr.history = History(state.get("history", []))
            tr.data_sha = state.get("data_sha")
        except (KeyError, TypeError, AttributeError) as exc:
            raise ValueError(f"incomplete or inconsistent trainer checkpoint: {exc!r}") from None
        return tr

    def save(self, path):
        """Write a checkpoint (see :mod:`rbmphys.checkpoint`); returns the path."""
        from ..checkpoint import save
        return save(self, path)


def _resume_into(model, rule, path, data):
    """Load the trainer checkpointed at ``path`` and make it drive ``model`` and ``rule``."""
    from ..checkpoint import load
    tr = load(path)
    if not isinstance(tr, Trainer):
        raise ValueError(f"{path} holds a model, not a trainer: it cannot be resumed")
    if type(tr.model) is not type(model) or tr.model.params.keys() != model.params.keys() \
            or any(np.shape(p) != np.shape(model.params[k]) for k, p in tr.model.params.items()):
        raise ValueError(f"{path} was written for a {type(tr.model).__name__} of another shape "
                         f"than the model given ({model!r})")
    if type(tr.rule) is not type(rule) or _rule_state(tr.rule)["config"] != \
            _rule_state(rule)["config"]:
        raise ValueError(f"{path} was written with the rule {tr.rule!r}, not {rule!r}")
    if data is not None and tr.data_sha is not None and tr.data_sha != data_fingerprint(
            model.check_visible(data, "training data", dtype=model.dtype)):
        raise ValueError(f"{path} was written while training on other data: resuming would not "
                         "continue the same run")
    for k, p in model.params.items():
        p[...] = tr.model.params[k]
    state = tr.rule.runtime_state()
    tr.model, tr.rule = model, rule
    tr._bind_rule()
    rule.load_runtime_state(state, model=model)
    return tr


def _check_same_settings(tr, path, *, batch_size, lr, momentum, weight_decay, rng):
    """Refuse to resume with settings other than those the checkpoint was written with (they
    would be silently ignored: the run continues with the checkpoint's own)."""
    given = {"batch_size": check_int(batch_size, "batch_size", 1),
             "momentum": check_real(momentum, "momentum", low=0, high=1, high_open=True),
             "weight_decay": check_real(weight_decay, "weight_decay", low=0)}
    for name, value in given.items():
        if getattr(tr, name) != value:
            raise ValueError(f"resume={path}: the run there has {name}={getattr(tr, name)!r}, "
                             f"not {value!r}; pass the same settings to continue it, or start a "
                             "new run with another checkpoint path")
    sched = as_schedule(lr)
    if type(sched) is not type(tr.schedule) or sched.state_dict() != tr.schedule.state_dict():
        raise ValueError(f"resume={path}: the run there has the learning rate {tr.schedule!r}, "
                         f"not {sched!r}; pass the same lr to continue it, or start a new run "
                         "with another checkpoint path")
    if rng is not None and not isinstance(rng, np.random.Generator):
        if draw_key(as_generator(rng)) != tr.key:
            raise ValueError(f"resume={path}: the run there was started with another rng seed "
                             f"than {rng!r}; pass the same seed to continue it, or start a new "
                             "run with another checkpoint path")


def _progress_bar(epochs, progress, desc):
    """The library's progress helper over epochs (:func:`rbmphys._progress.progress_bar`): a bar
    on a terminal and in Jupyter, a line now and then in a log, nothing for ``progress=False``."""
    from .._progress import progress_bar
    return progress_bar(epochs, progress=progress, desc=desc, unit="epoch")


def train(model, data, rule, *, epochs, batch_size=100, lr=0.01, momentum=0.0,
          weight_decay=0.0, rng=None, callbacks=(), monitor=None, progress=None,
          checkpoint=None, checkpoint_every=None, resume=None, schedule=None):
    r"""Train ``model`` in place on ``data`` with a learning ``rule``; returns the History.

    .. math::

        \theta \leftarrow \theta + \eta_n\,\partial_\theta \mathcal L_{\mathcal B}

    (Eq. (13) of [ToledoMarin2025]_), minibatches drawn without replacement each epoch.

    Parameters
    ----------
    model : RBM
    data : ndarray (n, V)
    rule : learning rule
        ``rp.CD(k)``, ``rp.PCD(k, n_chains)``, ``rp.RdmK(k)``, ``rp.ExactGradient()``,
        ``rp.RAPID(n_patterns)`` or your own (:class:`rbmphys.training.LearningRule`).
    epochs : int
        Total number of epochs (with ``resume``: counting the epochs already done).
    batch_size : int
    lr : float or Schedule
        Learning rate, or a schedule ``epoch -> lr`` such as
        ``rp.training.step_decay(0.1, r=0.99, every=128)`` (Eq. (A2) of Aarts, Lucini, Park).
    momentum, weight_decay : float
    rng : None, int, SeedSequence or Generator
    callbacks, monitor, progress :
        See :meth:`Trainer.fit`.
    checkpoint : str or path, optional
        Checkpoint file written every ``checkpoint_every`` epochs, at the end and when
        interrupted (Ctrl-C, SIGTERM).
    checkpoint_every : int, optional
    resume : str or path, optional
        If this checkpoint exists, continue the run it holds (same model shape, rule and data:
        checked) up to ``epochs`` in total; the result is identical bit for bit to an
        uninterrupted run.  If it does not exist, start afresh.  Usually the same path as
        ``checkpoint``; ``"run"`` means ``run.npz``, as for :func:`rbmphys.load`.  A
        ``batch_size``, ``lr``, ``momentum``, ``weight_decay`` or integer ``rng`` other than the
        run's is refused (it would be ignored: the run continues with its own).
    schedule : Schedule, optional
        Deprecated: pass the schedule as ``lr``.

    Examples
    --------
    >>> import rbmphys as rp
    >>> data = rp.datasets.bars(3)
    >>> m = rp.BernoulliRBM.random(9, 8, rng=0)
    >>> before = rp.exact.log_likelihood(m, data)
    >>> _ = rp.train(m, data, rp.PCD(k=1, n_chains=50), epochs=500, batch_size=6, lr=0.1, rng=1)
    >>> rp.exact.log_likelihood(m, data) > before + 2.0
    True

    (Small initial weights sit near the symmetric saddle point W = 0, which training leaves
    slowly — Chapter 8.)
    """
    if schedule is not None:
        import warnings
        warnings.warn("train(schedule=...) is deprecated since rbmphys 0.2: pass the schedule "
                      "as lr=", DeprecationWarning, stacklevel=2)
        lr = schedule
    epochs = check_int(epochs, "epochs", 0)
    _check_rule(rule)
    if resume is not None:
        from ..checkpoint import _norm_path
        resume = _norm_path(resume, for_reading=True)      # "run" means run.npz, as in load()
    if resume is not None and os.path.isfile(resume):
        tr = _resume_into(model, rule, resume, data)
        _check_same_settings(tr, resume, batch_size=batch_size, lr=lr, momentum=momentum,
                             weight_decay=weight_decay, rng=rng)
    else:
        tr = Trainer(model, rule, batch_size=batch_size, lr=lr, momentum=momentum,
                     weight_decay=weight_decay, rng=rng)
    return tr.fit(data, max(0, epochs - tr.epoch), callbacks=callbacks, monitor=monitor,
                  progress=progress, checkpoint=checkpoint, checkpoint_every=checkpoint_every)


def _make_pcd_stepper(model, batch_size, n_chains, k=1, lr=0.01, rng=None):
    """A callable ``step(v_batch)`` doing one PCD-k update in place (``rbmphys bench``).

    ``v_batch`` (batch_size × V) is copied into the rule's stacked buffer, as :meth:`Trainer.fit`
    does when it gathers a shuffled minibatch.  Private: the public way is :func:`train`.
    """
    from ._rules import PCD
    tr = Trainer(model, PCD(k=k, n_chains=n_chains), batch_size=batch_size, lr=lr, rng=rng)
    buf = tr.rule.batch_buffer(model, batch_size)

    def step(v_batch):
        np.copyto(buf, v_batch)
        tr.update(buf, lr)

    return step
