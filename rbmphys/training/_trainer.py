r"""``train()`` and :class:`Trainer`: minibatch gradient ascent on the log-likelihood.

One update on a minibatch :math:`v^+` (B×V) with chains :math:`v^-` (C×V), scale
:math:`\eta/B` and :math:`\eta/C`:

1. advance the chains (rule-dependent; PCD-1: one half-step :math:`v^- \sim p(v|h^-)` from the
   hidden sample kept from the previous update);
2. one GEMM for both phases, :math:`P = X W` with :math:`X = [v^+; v^-]`;
3. one fused pass writing :math:`H_s = [\tfrac{\eta}{B} E[h|v^+];\ -\tfrac{\eta}{C} E[h|v^-]]`
   (and, for PCD, the chains' next hidden sample from the same :math:`P`);
4. one GEMM for the whole weight update, :math:`\Delta W = X^T H_s`; biases from column sums in
   float64.

PCD-1 thus costs three GEMMs, 5·B·V·H multiply-adds: the floor of ``PERFORMANCE.md``.  All
buffers are allocated once.  Randomness: the trainer's 64-bit key drives the chains
(``derive_key(key, update, sweep, layer)``) and a NumPy generator drawn from the same seed
shuffles the minibatches; both are saved in checkpoints, so a resumed run is identical bit for
bit to an uninterrupted one.

Divergence: after every update the bias increments must be finite; after every epoch all
parameters must be finite and :math:`\max|W|` below ``max_weight``.  Otherwise the last good
parameters (end of the previous epoch) are restored and :class:`TrainingDivergedError` is raised.

Introduced in Chapter 2.
"""

from __future__ import annotations

import math
import sys
import time

import numpy as np

from .._validation import as_generator, draw_key
from ..kernels._gibbs import column_sums, mean_and_sample_layer, mean_layer, sample_layer
from ..kernels._rng import derive_key
from ..models import BernoulliRBM, SpinRBM
from ._history import History
from ._rules import CD, PCD, ExactGradient, RdmK
from ._schedules import as_schedule

__all__ = ["Trainer", "train", "TrainingDivergedError", "make_pcd_stepper"]

#: Default limit on max|W| before training counts as diverged.
MAX_WEIGHT = 1e4


class TrainingDivergedError(RuntimeError):
    """Training produced NaN/inf or exploding parameters; the model holds the last good state."""


class _Progress:
    """A one-line text progress bar on stderr (silent unless stderr is a terminal)."""

    def __init__(self, total, enabled):
        self.total, self.enabled, self.t0 = total, enabled, time.perf_counter()

    def update(self, done, info=""):
        if not self.enabled:
            return
        frac = done / max(self.total, 1)
        bar = "#" * int(30 * frac)
        el = time.perf_counter() - self.t0
        eta = el / frac - el if frac > 0 else float("nan")
        sys.stderr.write(f"\r[{bar:<30s}] {done}/{self.total} epochs  {el:6.1f}s  "
                         f"eta {eta:6.1f}s  {info}")
        sys.stderr.flush()
        if done >= self.total:
            sys.stderr.write("\n")


class Trainer:
    r"""Minibatch stochastic gradient ascent of the mean log-likelihood of a binary RBM.

    Parameters
    ----------
    model : BernoulliRBM or SpinRBM
        Updated in place; keeps its dtype (float32 or float64).
    rule : CD, PCD, RdmK or ExactGradient
    batch_size : int
    lr : float or schedule
        Learning rate η, or a schedule ``epoch -> η`` (:mod:`rbmphys.training` schedules, e.g.
        ``step_decay`` = Eq. (A2) of Aarts, Lucini, Park).
    momentum : float in [0, 1)
        Classical momentum on all parameters.
    weight_decay : float >= 0
        L2 penalty: adds :math:`-\eta\lambda W` to the weight update.
    rng : None, int, SeedSequence or Generator
        Seeds the chains' key and the minibatch shuffling.
    max_weight : float
        Divergence threshold on max|W|.

    Introduced in Chapter 2.
    """

    def __init__(self, model, rule, *, batch_size=100, lr=0.01, momentum=0.0, weight_decay=0.0,
                 rng=None, max_weight=MAX_WEIGHT):
        if not isinstance(model, (BernoulliRBM, SpinRBM)):
            raise TypeError(f"model must be a BernoulliRBM or SpinRBM, got "
                            f"{type(model).__name__}")
        if not isinstance(rule, (CD, PCD, RdmK, ExactGradient)):
            raise TypeError(f"rule must be CD, PCD, RdmK or ExactGradient, got {rule!r}")
        if int(batch_size) != batch_size or batch_size < 1:
            raise ValueError(f"batch_size must be a positive integer, got {batch_size}")
        if not 0 <= momentum < 1:
            raise ValueError(f"momentum must lie in [0, 1), got {momentum}")
        if not weight_decay >= 0:
            raise ValueError(f"weight_decay must be >= 0, got {weight_decay}")
        model.check_parameters()
        self.model, self.rule = model, rule
        self.batch_size = int(batch_size)
        self.schedule = as_schedule(lr)
        self.momentum, self.weight_decay = float(momentum), float(weight_decay)
        self.max_weight = float(max_weight)
        g = as_generator(rng)
        self.key = draw_key(g)
        self.shuffler = np.random.Generator(np.random.PCG64(draw_key(g)))
        self.epoch = 0
        self.n_updates = 0
        self.history = History()
        self.chains_v = None          # persistent chain states (PCD)
        self.chains_h = None
        self.velocity = None
        self._buf = None

    # ------------------------------------------------------------------ buffers
    @property
    def _lo(self):
        return 0.0 if self.model.units == "bernoulli" else -1.0

    def _n_chains(self, B):
        r = self.rule
        if isinstance(r, PCD):
            return r.n_chains
        if isinstance(r, RdmK) and r.n_chains is not None:
            return r.n_chains
        return B

    def _buffers(self, B):
        m = self.model
        C = self._n_chains(B)
        key = (B, C, m.dtype, m.n_visible, m.n_hidden)
        if self._buf is None or self._buf["key"] != key:
            dt = m.dtype
            V, H = m.n_visible, m.n_hidden
            X = np.empty((B + C, V), dt)
            self._buf = {"key": key, "X": X, "P": np.empty((B + C, H), dt),
                         "Hs": np.empty((B + C, H), dt), "dW": np.empty((V, H), dt),
                         "ph": np.empty((C, H), dt), "h": np.empty((C, H), dt),
                         "pv": np.empty((C, V), dt), "v": np.empty((C, V), dt),
                         "sh": np.empty(H), "sv+": np.empty(V), "sv-": np.empty(V)}
        return self._buf

    def _init_chains(self, C):
        """Uniformly random chain states from the counter RNG (reproducible)."""
        m = self.model
        zeros = np.zeros((C, m.n_visible), m.dtype)
        v = sample_layer(zeros, np.zeros(m.n_visible, m.dtype), 1.0, self._lo,
                         derive_key(self.key, 2**40))
        ph = np.dot(v, m.W)
        h = sample_layer(ph, m.b, m._gain, self._lo, derive_key(self.key, 2**40 + 1))
        return v, h

    # ------------------------------------------------------------------ one update
    def _sweep(self, buf, v_out, h_in, key_v, key_h=None, v_in=None):
        """Half-steps on the chains: (optionally h ~ p(h|v_in)) then v_out ~ p(v|h)."""
        m, lo = self.model, self._lo
        if v_in is not None:
            np.dot(v_in, m.W, out=buf["ph"])
            sample_layer(buf["ph"], m.b, m._gain, lo, key_h, 0, h_in)
        np.dot(h_in, m.W.T, out=buf["pv"])
        sample_layer(buf["pv"], m.a, m._gain, lo, key_v, 0, v_out)

    def update(self, batch, lr):
        """One gradient step on a minibatch (already in the model's dtype, C-contiguous)."""
        m, rule = self.model, self.rule
        if isinstance(rule, ExactGradient):
            from .. import exact
            g = exact.gradient(m, batch)
            self._apply(lr * g["W"].astype(m.dtype), lr * g["a"], lr * g["b"])
            self.n_updates += 1
            return
        B = len(batch)
        C = self._n_chains(B)
        buf = self._buffers(B)
        X, P, Hs, lo = buf["X"], buf["P"], buf["Hs"], self._lo
        if batch.ctypes.data != X.ctypes.data:      # train() gathers minibatches in place
            X[:B] = batch
        vneg = X[B:]
        t = self.n_updates
        k = rule.k
        if isinstance(rule, PCD):
            if self.chains_v is None or len(self.chains_v) != C:
                self.chains_v, self.chains_h = self._init_chains(C)
            h = self.chains_h
            # k sweeps: v ~ p(v|h) from the kept hidden sample, then k-1 full sweeps
            self._sweep(buf, vneg, h, derive_key(self.key, t, 0, 1))
            for s in range(1, k):
                self._sweep(buf, vneg, buf["h"], derive_key(self.key, t, s, 1),
                            derive_key(self.key, t, s, 0), v_in=vneg)
        else:
            if isinstance(rule, CD):
                if C != B:
                    raise ValueError("CD chains are the minibatch itself")
                vneg[:] = batch
            else:   # RdmK: uniform random starts
                zeros = buf["pv"]
                zeros[:] = 0
                sample_layer(zeros, np.zeros(m.n_visible, m.dtype), 1.0, lo,
                             derive_key(self.key, t, 0, 2), 0, vneg)
            for s in range(k):
                self._sweep(buf, vneg, buf["h"], derive_key(self.key, t, s, 1),
                            derive_key(self.key, t, s, 0), v_in=vneg)
        # both phases in one GEMM; scaled means into Hs; the chains' next hidden sample
        np.dot(X, m.W, out=P)
        mean_layer(P[:B], m.b, m._gain, lo < 0, Hs[:B], lr / B)
        if isinstance(rule, PCD):
            mean_and_sample_layer(P[B:], m.b, m._gain, lo, derive_key(self.key, t, k, 0), 0,
                                  -lr / C, Hs[B:], buf["h"])
            self.chains_h, buf["h"] = buf["h"], self.chains_h
            self.chains_v = vneg
        else:
            mean_layer(P[B:], m.b, m._gain, lo < 0, Hs[B:], -lr / C)
        np.dot(X.T, Hs, out=buf["dW"])
        db = column_sums(Hs, buf["sh"])
        da = (lr / B) * column_sums(X[:B], buf["sv+"]) - (lr / C) * column_sums(vneg, buf["sv-"])
        if not (np.all(np.isfinite(db)) and np.all(np.isfinite(da))):
            raise TrainingDivergedError(f"non-finite gradient at update {t} (epoch "
                                        f"{self.epoch}); lower the learning rate")
        self._apply(buf["dW"], da, db)
        self.n_updates += 1

    def _apply(self, dW, da, db):
        m = self.model
        if self.weight_decay:
            dW = dW - (self.schedule(self.epoch) * self.weight_decay) * m.W
        if self.momentum:
            if self.velocity is None:
                self.velocity = {"W": np.zeros_like(m.W), "a": np.zeros(m.n_visible),
                                 "b": np.zeros(m.n_hidden)}
            vel = self.velocity
            vel["W"] *= self.momentum
            vel["W"] += dW
            vel["a"] = self.momentum * vel["a"] + da
            vel["b"] = self.momentum * vel["b"] + db
            dW, da, db = vel["W"], vel["a"], vel["b"]
        m.W += dW
        m.a += da.astype(m.dtype)
        m.b += db.astype(m.dtype)

    # ------------------------------------------------------------------ epochs
    def _check_health(self, good):
        m = self.model
        for name in ("W", "a", "b"):
            p = getattr(m, name)
            bad = not np.all(np.isfinite(p))
            too_big = name == "W" and not bad and float(np.max(np.abs(p))) > self.max_weight
            if bad or too_big:
                for n2 in ("W", "a", "b"):
                    getattr(m, n2)[...] = good[n2]
                why = "NaN or infinite values" if bad else \
                    f"max|W| above {self.max_weight:g}"
                raise TrainingDivergedError(
                    f"training diverged in epoch {self.epoch}: {name} has {why}; the model "
                    f"was restored to the end of epoch {self.epoch - 1}. Lower the learning "
                    f"rate (now {self.schedule(self.epoch):g})")

    def fit(self, data, epochs, *, callbacks=(), monitor=None, progress=None):
        """Train for ``epochs`` more epochs on ``data``; returns the :class:`History`.

        Parameters
        ----------
        data : ndarray (n, V)
            {0,1} data for a BernoulliRBM, ±1 for a SpinRBM.
        epochs : int >= 0
        callbacks : iterable of callables ``(trainer, epoch, record) -> bool | None``
            Called after each epoch; returning True stops training.
        monitor : dict, optional
            What to record each epoch (see :class:`History`): ``test`` (data), ``every``,
            ``exact`` (True/False/None = when enumerable), ``ais_every``, ``n_chains``,
            ``n_betas``, ``spectrum_every``, ``recon_size``.
        progress : bool or None
            Text progress bar on stderr; None = only when stderr is a terminal.
        """
        m = self.model
        data = m.check_visible(data, "training data", dtype=m.dtype)
        if int(epochs) != epochs or epochs < 0:
            raise ValueError(f"epochs must be a non-negative integer, got {epochs}")
        monitor = dict(monitor or {})
        n = len(data)
        B = min(self.batch_size, n)
        if progress is None:
            progress = sys.stderr.isatty() and epochs >= 10
        bar = _Progress(int(epochs), bool(progress))
        stop_at = self.epoch + int(epochs)
        batch = np.empty((B, m.n_visible), m.dtype)
        while self.epoch < stop_at:
            t0 = time.perf_counter()
            lr = float(self.schedule(self.epoch))
            good = {k: v.copy() for k, v in m.params.items()}
            order = self.shuffler.permutation(n)
            buf = None if isinstance(self.rule, ExactGradient) else self._buffers(B)
            for start in range(0, n - B + 1, B):          # a ragged last batch is dropped
                idx = order[start:start + B]
                if buf is not None:
                    np.take(data, idx, axis=0, out=buf["X"][:B])
                    self.update(buf["X"][:B], lr)
                else:
                    np.take(data, idx, axis=0, out=batch)
                    self.update(batch, lr)
            self.epoch += 1
            self._check_health(good)
            record = self.history.record(self, data, monitor, lr, time.perf_counter() - t0)
            bar.update(self.epoch - (stop_at - int(epochs)), f"lr {lr:.3g}")
            if any(cb(self, self.epoch, record) for cb in callbacks):
                break
        return self.history

    # ------------------------------------------------------------------ persistence
    def save(self, path):
        """Write a checkpoint (see :mod:`rbmphys.training.checkpoint`)."""
        from .checkpoint import save
        return save(self, path)


def train(model, data, rule, *, epochs, batch_size=100, lr=0.01, schedule=None, momentum=0.0,
          weight_decay=0.0, rng=None, callbacks=(), monitor=None, progress=None):
    r"""Train ``model`` in place on ``data`` with a learning ``rule``; returns the History.

    .. math::

        \theta \leftarrow \theta + \eta_n\,\partial_\theta \mathcal L_{\mathcal B}

    (Eq. (13) of [ToledoMarin2025]_), minibatches drawn without replacement each epoch.

    Parameters
    ----------
    model : BernoulliRBM or SpinRBM
    data : ndarray (n, V)
    rule : CD, PCD, RdmK or ExactGradient
    epochs : int
    batch_size : int
    lr : float
        Learning rate (ignored if ``schedule`` is given).
    schedule : schedule, optional
        ``epoch -> lr``, e.g. ``rbmphys.training.step_decay(0.1, r=0.99, every=128)``.
    momentum, weight_decay : float
    rng : None, int, SeedSequence or Generator
    callbacks, monitor, progress :
        See :meth:`Trainer.fit`.

    Examples
    --------
    >>> import rbmphys as rp
    >>> data = rp.datasets.bars(3)
    >>> m = rp.BernoulliRBM.random(9, 8, rng=0)
    >>> before = rp.exact.log_likelihood(m, data)
    >>> _ = rp.train(m, data, rp.PCD(k=1, n_chains=50), epochs=500, batch_size=6, lr=0.1, rng=1)
    >>> rp.exact.log_likelihood(m, data) > before + 2.0      # from -6.24 to -2.79
    True

    (After 200 epochs the gain is only 0.2 nats: small initial weights sit near the symmetric
    saddle point W = 0, which training leaves slowly — Chapter 8.)
    """
    tr = Trainer(model, rule, batch_size=batch_size, lr=schedule if schedule is not None else lr,
                 momentum=momentum, weight_decay=weight_decay, rng=rng)
    return tr.fit(data, epochs, callbacks=callbacks, monitor=monitor, progress=progress)


def make_pcd_stepper(model, batch_size, n_chains, k=1, lr=0.01, rng=None):
    """A callable ``step(v_batch)`` doing one PCD-k update in place (used by ``rbmphys bench``).

    ``v_batch`` (batch_size × V) is copied into the trainer's stacked buffer, as ``train()``
    does when it gathers a shuffled minibatch.
    """
    tr = Trainer(model, PCD(k=k, n_chains=n_chains), batch_size=batch_size, lr=lr, rng=rng)
    buf = tr._buffers(batch_size)

    def step(v_batch):
        np.copyto(buf["X"][:batch_size], v_batch)
        tr.update(buf["X"][:batch_size], lr)

    return step
