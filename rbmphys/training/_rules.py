r"""Learning rules: strategy objects that say where the negative phase comes from.

All rules ascend the mean log-likelihood with the positive-minus-negative-phase gradient
(Eqs. (4), (6), (12), (13) of [ToledoMarin2025]_),

.. math::

    \Delta\theta = \eta\big(\langle -\partial_\theta F\rangle_{\text{batch}}
        - \langle -\partial_\theta F\rangle_{\text{model}}\big),
    \qquad \text{e.g.}\quad
    \Delta W = \eta\big(\langle v\, E[h|v]^T\rangle_{\text{batch}}
        - \langle v\, E[h|v]^T\rangle_{\text{chains}}\big),

and differ in how they estimate the model average:

* :class:`CD` (contrastive divergence, Hinton 2002): chains start at the minibatch, k sweeps;
* :class:`PCD` (persistent CD, Tieleman 2008): ``n_chains`` chains carried from update to update
  (the "fantasy particles"), k sweeps per update — the rule of [AartsLuciniPark2024]_, App. A;
* :class:`RdmK` (random-start k-step chains, the "Rdm-k" of [ToledoMarin2025]_): chains start
  at random at every update;
* :class:`ExactGradient`: the model average by exact enumeration (small binary models) or in
  closed form (the scalar-field RBM);
* :class:`rbmphys.RAPID` (Chapter 9): the negative phase from the model's own patterns.

**The protocol** (the pattern of NetKet's ``MetropolisRule``): a rule is an object with

* ``step(model, batch, ctx) -> dict | None``: one update on a minibatch.  ``ctx`` carries
  ``ctx.lr`` (this epoch's learning rate), ``ctx.key`` (the 64-bit key of this update: derive
  sub-keys with :func:`rbmphys.kernels._rng.derive_key`), ``ctx.update`` (index since training
  started) and ``ctx.epoch``.  Return ``{name: increment}`` for entries of ``model.params``
  (the trainer adds weight decay and momentum and applies them) or ``None`` if the rule wrote
  the parameters itself.  An increment is an array, or an object with ``add_to(param)`` and
  ``__array__`` such as :class:`rbmphys.models._increments.ProductIncrement` (the fused
  phases' :math:`\Delta W = X^T H_s`, which the trainer adds with one accumulating GEMM);
* ``end_epoch(model, ctx)``: an optional hook after each epoch;
* ``config() -> dict``: JSON-able constructor arguments; ``runtime_state()`` /
  ``load_runtime_state(state, model=None)``: everything else needed to resume bit for bit
  (persistent chains, patterns, ...): ``{"arrays": {name: ndarray}, "values": {JSON-able}}``;
  ``load_runtime_state`` is given the model the rule will train when it is known, to check
  shapes against.

``state_dict()`` means what it means for models, schedules and the trainer: the whole object
(class, configuration and runtime state), and ``from_state`` is its inverse.

:class:`LearningRule` provides defaults for all but ``step``; subclasses are registered for
checkpoints (:mod:`rbmphys._state`), so a rule written in a user's own code saves and loads.
The trainer never asks which rule it runs.

Example: a rule written outside the package — CD-k from public functions only (slower than
:class:`CD`, which fuses the phases into three GEMMs, but the same estimator):

>>> import numpy as np, rbmphys as rp
>>> class GibbsCD(rp.training.LearningRule):
...     def __init__(self, k=1):
...         self.k = k
...     def config(self):
...         return {"k": self.k}
...     def step(self, model, batch, ctx):
...         vneg = rp.gibbs(model, batch, n_sweeps=self.k, rng=ctx.key)
...         pos, neg = model.free_energy_gradient(batch), model.free_energy_gradient(vneg)
...         return {name: ctx.lr * (pos[name] - neg[name]) for name in pos}
>>> data = rp.datasets.bars(3)
>>> m = rp.BernoulliRBM.random(9, 6, weight_scale=0.1, rng=0)
>>> before = rp.exact.log_likelihood(m, data)
>>> _ = rp.train(m, data, GibbsCD(k=1), epochs=300, batch_size=6, lr=0.1, rng=0)
>>> bool(rp.exact.log_likelihood(m, data) > before + 1.0)
True

Introduced in Chapter 2.

References
----------
.. [ToledoMarin2025] J. Q. Toledo-Marin et al., Mach. Learn.: Sci. Technol. 6, 035030 (2025).
.. [AartsLuciniPark2024] G. Aarts, B. Lucini, C. Park, Phys. Rev. D 109, 034521 (2024).
"""

from __future__ import annotations

import dataclasses

import numpy as np

from .._state import Configured, arrays_state, loaded_arrays
from .._validation import check_int
from ..samplers.chains import ChainSampler
from ..samplers._engine import HIDDEN, INITIAL_HIDDEN, VISIBLE, half_step, random_key, \
    random_visible, sweep_key, sweeps

__all__ = ["LearningRule", "StepContext", "CD", "PCD", "RdmK", "ExactGradient"]


@dataclasses.dataclass(frozen=True)
class StepContext:
    """What a rule's ``step`` learns about the update it performs (see the module docstring)."""

    lr: float
    key: int
    update: int
    epoch: int


class LearningRule(Configured):
    """Base class of learning rules (the protocol is in the module docstring)."""

    def __init_subclass__(cls, **kw):
        super().__init_subclass__(**kw)
        _migrate_old_state_protocol(cls)

    def step(self, model, batch, ctx):  # pragma: no cover - interface
        raise NotImplementedError(f"{type(self).__name__} must implement step(model, batch, "
                                  "ctx)")

    def end_epoch(self, model, ctx):
        """Hook called after every epoch (default: nothing)."""


def _migrate_old_state_protocol(cls):
    """Rules written for rbmphys ≤ 0.3 defined ``state_dict()`` / ``load_state_dict(state)`` as
    the *runtime* state; since 0.4 those names mean the whole object, as for models.  A
    subclass that defines the old pair and not ``runtime_state`` keeps working: its methods
    become ``runtime_state`` / ``load_runtime_state``, with a DeprecationWarning."""
    own = vars(cls)
    if "runtime_state" in own or "load_runtime_state" in own:
        return
    old_get, old_load = own.get("state_dict"), own.get("load_state_dict")
    if old_get is None and old_load is None:
        return
    import warnings
    warnings.warn(f"{cls.__name__} defines state_dict()/load_state_dict() as its runtime "
                  "state (the protocol of rbmphys <= 0.3): rename them runtime_state() and "
                  "load_runtime_state(state, model=None)", DeprecationWarning, stacklevel=3)
    if old_get is not None:
        cls.runtime_state = old_get
        del cls.state_dict
    if old_load is not None:
        cls.load_runtime_state = lambda self, state, model=None: old_load(self, state)
        del cls.load_state_dict


def _sweeps(model, v, h_buf, key, k, buffers, first_sweep=0):
    """k full sweeps v → h → v on chains, in place on ``v`` (:func:`~rbmphys.samplers._engine.
    sweeps` with the rule's buffers)."""
    return sweeps(model, v, key, k, first=first_sweep, pre_h=buffers["pre_h"],
                  pre_v=buffers["pre_v"], h_out=h_buf)[0]


class _SampledRule(LearningRule):
    """Shared machinery of the Gibbs-chain rules: buffers and the fused phase update."""

    def __init__(self):
        self._buf = {}

    def _buffers(self, model, B, C):
        key = (B, C, model.dtype, model.n_visible, model.n_hidden)
        if self._buf.get("key") != key:
            dt, V, H = model.dtype, model.n_visible, model.n_hidden
            self._buf = {"key": key, "X": np.empty((B + C, V), dt),
                         "pre_h": np.empty((C, H), dt), "pre_v": np.empty((C, V), dt),
                         "h": np.empty((C, H), dt), "phase": {}}
        return self._buf

    def _n_chains(self, B):
        return B

    def step(self, model, batch, ctx):
        B = len(batch)
        C = self._n_chains(B)
        buf = self._buffers(model, B, C)
        X = buf["X"]
        if batch.ctypes.data != X.ctypes.data:      # the trainer gathers minibatches in place
            X[:B] = batch
        self._negative(model, X, B, C, ctx, buf)
        return self._phases(model, X, B, ctx, buf)

    def _phases(self, model, X, B, ctx, buf):
        return model.phase_increments(X, B, ctx.lr, buffers=buf["phase"])

    def batch_buffer(self, model, B):
        """The (B, V) view the trainer may gather a minibatch into (saves one copy)."""
        return self._buffers(model, B, self._n_chains(B))["X"][:B]


@dataclasses.dataclass(eq=False)
class CD(_SampledRule):
    """Contrastive divergence: chains start at the minibatch and run ``k`` sweeps.

    Introduced in Chapter 2.
    """

    k: int = 1

    def __post_init__(self):
        self.k = check_int(self.k, "k (Gibbs sweeps)", 1)
        _SampledRule.__init__(self)

    def _negative(self, model, X, B, C, ctx, buf):
        X[B:] = X[:B]
        _sweeps(model, X[B:], buf["h"], ctx.key, self.k, buf)


@dataclasses.dataclass(eq=False)
class RdmK(_SampledRule):
    """Chains started at random (uniform over the unit values) at every update, ``k`` sweeps;
    ``n_chains`` defaults to the minibatch size.  Introduced in Chapter 2."""

    k: int = 10
    n_chains: int | None = None

    def __post_init__(self):
        self.k = check_int(self.k, "k (Gibbs sweeps)", 1)
        if self.n_chains is not None:
            self.n_chains = check_int(self.n_chains, "n_chains", 1)
        _SampledRule.__init__(self)

    def _n_chains(self, B):
        return B if self.n_chains is None else self.n_chains

    def _negative(self, model, X, B, C, ctx, buf):
        X[B:] = random_visible(model, C, ctx.key)
        _sweeps(model, X[B:], buf["h"], ctx.key, self.k, buf)


@dataclasses.dataclass(eq=False)
class PCD(_SampledRule):
    """Persistent contrastive divergence: ``n_chains`` persistent chains, ``k`` sweeps per
    update.

    Without a ``sampler``, the chains keep their last hidden sample, so PCD-1 costs one visible
    half-step plus the phase computation, whose GEMM also draws the chains' next hidden sample
    (three GEMMs per update: the floor ``rbmphys bench`` measures against).  With a
    ``sampler`` (:class:`rbmphys.samplers.ChainSampler`, e.g.
    :class:`~rbmphys.samplers.TemperedGibbs` for tempered PCD), the sampler moves the chains
    ``k`` sweeps per update.  The chains (and the sampler's own state) are the rule's state:
    they are saved in checkpoints and continue bit for bit.

    Introduced in Chapter 2.
    """

    k: int = 1
    n_chains: int = 100
    sampler: object = None

    def __post_init__(self):
        self.k = check_int(self.k, "k (Gibbs sweeps)", 1)
        self.n_chains = check_int(self.n_chains, "n_chains", 1)
        if isinstance(self.sampler, dict):              # from a checkpoint's config
            self.sampler = _sampler_from_config(self.sampler)
        if self.sampler is not None and not isinstance(self.sampler, ChainSampler):
            raise TypeError(f"sampler must be a rbmphys.samplers.ChainSampler (e.g. "
                            f"BlockGibbs(), TemperedGibbs(betas)), got "
                            f"{type(self.sampler).__name__}")
        _SampledRule.__init__(self)
        self.chains_v = None
        self.chains_h = None

    def config(self):
        c = {"k": self.k, "n_chains": self.n_chains}
        if self.sampler is not None:
            full = self.sampler.state_dict()
            c["sampler"] = {"class": full["class"], "qualname": full["qualname"],
                            "config": full["config"]}
        return c

    def _n_chains(self, B):
        return self.n_chains

    def reset(self):
        self.chains_v = self.chains_h = None
        if self.sampler is not None:
            self.sampler.reset()

    def _init_chains(self, model, key):
        v = random_visible(model, self.n_chains, key)
        h = half_step(model, "hidden", v, random_key(key, INITIAL_HIDDEN))
        return v, h

    def _negative(self, model, X, B, C, ctx, buf):
        if self.sampler is not None:
            return self._negative_by_sampler(model, X[B:], C, ctx)
        if self.chains_v is None or self.chains_v.shape != (C, model.n_visible) \
                or self.chains_v.dtype != model.dtype:
            self.chains_v, self.chains_h = self._init_chains(model, ctx.key)
        vneg = X[B:]
        # v ~ p(v | h_kept), then k - 1 full sweeps
        half_step(model, "visible", self.chains_h, sweep_key(ctx.key, 0, VISIBLE),
                  pre=buf["pre_v"], out=vneg)
        if self.k > 1:
            _sweeps(model, vneg, buf["h"], ctx.key, self.k - 1, buf, first_sweep=1)

    def _negative_by_sampler(self, model, vneg, C, ctx):
        if self.chains_v is None or self.chains_v.shape != (C, model.n_visible):
            self.chains_v = model.check_visible(self.sampler.init_chains(model, C, ctx.key),
                                                "the sampler's initial chains",
                                                dtype=model.dtype)
        vneg[...] = self.chains_v
        out = self.sampler.run(model, vneg, ctx.key, self.k)
        if out is not vneg:
            vneg[...] = out

    def _phases(self, model, X, B, ctx, buf):
        if self.sampler is not None:
            inc = model.phase_increments(X, B, ctx.lr, buffers=buf["phase"])
            self.chains_v = X[B:]
            return inc
        inc = model.phase_increments(X, B, ctx.lr, buffers=buf["phase"],
                                     sample_key=sweep_key(ctx.key, self.k, HIDDEN),
                                     h_out=buf["h"])
        self.chains_h, buf["h"] = buf["h"], self.chains_h
        self.chains_v = X[B:]           # a view: the next update writes its new states there
        return inc

    def runtime_state(self):
        if self.sampler is not None:
            inner = self.sampler.runtime_state()
            arrays = {f"sampler.{k}": v for k, v in inner.get("arrays", {}).items()}
            values = {"sampler": inner.get("values", {}),
                      "initialised": self.chains_v is not None}
            if self.chains_v is not None:
                arrays["chains_v"] = self.chains_v.copy()
            return {"arrays": arrays, "values": values}
        return arrays_state(chains_v=self.chains_v, chains_h=self.chains_h)

    def load_runtime_state(self, state, model=None):
        arrays, values = state.get("arrays", {}), state.get("values", {})
        if self.sampler is not None:
            self.sampler.load_runtime_state({
                "arrays": {k[len("sampler."):]: v for k, v in arrays.items()
                           if k.startswith("sampler.")},
                "values": values.get("sampler", {})}, model=model)
            loaded = loaded_arrays(state, ["chains_v"], "PCD")
            if loaded is not None:
                self.chains_v, = loaded
                if self.chains_v.shape[0] != self.n_chains:
                    raise ValueError(f"the PCD state holds {self.chains_v.shape[0]} chains, "
                                     f"the rule {self.n_chains}")
                _check_chain_width(self.chains_v, model)
            else:
                self.chains_v = None
            return
        loaded = loaded_arrays(state, ["chains_v", "chains_h"], "PCD")
        if loaded is not None:
            self.chains_v, self.chains_h = loaded
            if self.chains_v.shape[0] != self.n_chains or self.chains_h.shape[0] != \
                    self.n_chains:
                raise ValueError(f"the PCD state holds {self.chains_v.shape[0]} chains, the "
                                 f"rule {self.n_chains}")
            _check_chain_width(self.chains_v, model, self.chains_h)
        else:
            self.chains_v = self.chains_h = None


def _check_chain_width(chains_v, model, chains_h=None):
    """Refuse checkpointed chains whose width is not the model's (when the model is known)."""
    if model is None:
        return
    if chains_v.ndim != 2 or chains_v.shape[1] != model.n_visible or (
            chains_h is not None and (chains_h.ndim != 2
                                      or chains_h.shape[1] != model.n_hidden)):
        raise ValueError(f"the checkpointed chains have shapes {chains_v.shape}"
                         f"{'' if chains_h is None else ', ' + str(chains_h.shape)}; the model "
                         f"has {model.n_visible} visible and {model.n_hidden} hidden units")


def _sampler_from_config(c):
    """The sampler a checkpoint's PCD config describes (a registered class: nothing named by
    the file is imported)."""
    from .._state import lookup
    if not isinstance(c, dict) or "class" not in c:
        raise ValueError(f"the PCD sampler must be described by a dict with 'class' and "
                         f"'config', got {c!r}")
    cls = lookup(c.get("qualname", c["class"]))
    if not (isinstance(cls, type) and issubclass(cls, ChainSampler)):
        raise ValueError(f"the PCD sampler class {c['class']!r} is not a ChainSampler")
    return cls.from_state({"config": c.get("config", {})})


@dataclasses.dataclass(eq=False)
class ExactGradient(LearningRule):
    """The exact gradient (:func:`rbmphys.exact.gradient`): negative phase by enumeration or,
    for the scalar-field RBM, in closed form.  Introduced in Chapter 2."""

    def step(self, model, batch, ctx):
        from .. import exact
        g = exact.gradient(model, batch)
        return {k: (ctx.lr * v).astype(model.params[k].dtype) if np.ndim(v)
                else np.asarray(ctx.lr * v) for k, v in g.items()}
