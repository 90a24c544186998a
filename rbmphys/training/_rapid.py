r"""RAPID: Regularised Axons trained with Pattern-InDuced correlations (Chapter 9).

Algorithm 1 of [PozasKerstjens2021]_ as a learning rule of :func:`rbmphys.train`.  The model
is a ±1 RBM without biases whose weights are built from K joint patterns by eq. (5),
:math:`W = \xi_v^T\xi_h/\sqrt K` (:mod:`rbmphys.models._patterns`); the *patterns* are the
trainable parameters and live in the rule (its checkpointed state).

**Gradient.**  The mean log-likelihood :math:`\ell` depends on the patterns through W, so with
:math:`G = \partial\ell/\partial W = \langle v\,\tanh(W^Tv)^T\rangle_{\text{data}} -
\langle v\,h^T\rangle_{\text{model}}` (eqs. (4), (A5), (A6)) the chain rule gives

.. math::

    \frac{\partial\ell}{\partial\xi_v} = \frac{\xi_h G^T}{\sqrt K},\qquad
    \frac{\partial\ell}{\partial\xi_h} = \frac{\xi_v G}{\sqrt K},

i.e. :math:`-\partial\mathcal F/\partial\xi_i^{(k)} = +\tfrac{1}{\sqrt K} v_i\sum_\alpha
\xi_\alpha^{(k)}\tanh(\sum_j W_{j\alpha}v_j)` for one visible configuration.  **Sign.**  The
printed (A7a,b) carry the opposite sign: with :math:`\mathcal F = -\sum_\alpha\ln 2\cosh(\cdot)`
(the definition, and (A6)) finite differences equal *minus* the printed (A7)
(the ledger's ``ch09.pattern_gradient``: ~1e-10 with our sign, ~0.5 with the printed one;
the book's appendix A.11).  The
printed (A2) lacks the same minus sign, so the paper is self-consistent only if both are read
as :math:`\partial(-\mathcal F)`; we implement the sign the finite differences confirm and
ascend :math:`\ell` (``tests/test_rapid.py`` checks the update against finite differences of
the exact log-likelihood).

**Negative phase (PID, eq. (6)).**  :math:`\langle f\rangle_{\text{model}} \approx
\frac1K\sum_k f(\xi^{(k)})`: with :math:`f = v h^T` evaluated on the joint pattern
configurations, :math:`\langle vh^T\rangle_{\text{model}} \approx \mathrm{sgn}(\xi_v)^T
\mathrm{sgn}(\xi_h)/K` — no Markov chain at all (for ±1 patterns this is :math:`W/\sqrt K`).
With ``gibbs_steps = k > 0`` (the MNIST variant of Sec. V B) the binarised visible patterns
seed K chains that run k block-Gibbs sweeps, and the negative phase is
:math:`\frac1K\sum_k v^{(k)}\tanh(W^Tv^{(k)})^T` over their final states.

**Back to spins (App. B).**  ``projection="sign"`` (B1): :math:`\xi\leftarrow\mathrm{sgn}\,\xi`
after every epoch (the Bars and BAS runs of the paper and of Chapter 9; the learning rate must
let one epoch's summed updates flip signs, else nothing changes); ``"clip"``: :math:`\xi \in [-x, x]`
after every update (the MNIST run, x = 1); ``"gibbs"`` (B2): after every epoch the patterns are
replaced by one block-Gibbs sweep seeded at their signs,
:math:`\xi_h \sim p(\cdot\mid\mathrm{sgn}\,\xi_v)`, :math:`\xi_v \sim p(\cdot\mid\xi_h)` (B2a,b);
``None``: leave them continuous.

**Cost (App. D).**  One update costs :math:`2BVH` multiply-adds for the positive phase, KVH for
the PID negative phase, 2KVH for the pattern gradients and KVH to rebuild W — against
:math:`2BVH + 2(B{+}C)VH + 2kCVH` for PCD-k on C chains (:meth:`RAPID.multiply_adds`,
:func:`pcd_multiply_adds`).

Introduced in Chapter 9.

References
----------
.. [PozasKerstjens2021] A. Pozas-Kerstjens et al., *Efficient training of energy-based models
   via spin-glass control*, Mach. Learn.: Sci. Technol. 2, 025026 (2021).
"""

from __future__ import annotations

import dataclasses
import math

import numpy as np

from .._state import arrays_state, loaded_arrays
from .._validation import check_int, check_real
from ..kernels._rng import derive_key
from ..models._patterns import pattern_weights, random_pattern_pair
from ..samplers._engine import half_step, sweep
from ._rules import LearningRule, _sweeps

__all__ = ["RAPID", "pcd_multiply_adds"]

#: Key tags: pattern initialisation, negative-phase chains, end-of-epoch Gibbs projection.
_INIT, _CHAINS, _PROJECT = 0x50415454, 0x43484149, 0x50524f4a
_PROJECTIONS = ("sign", "clip", "gibbs", None)


def _spin_sign(x):
    """sgn with sgn(0) = +1 (a pattern entry that lands exactly on 0 must still be a spin)."""
    return np.where(x >= 0, 1.0, -1.0)


def pcd_multiply_adds(n_visible, n_hidden, batch_size, n_chains, k):
    r"""Multiply-adds of one PCD-k update on C chains (App. D with our fused phases):
    :math:`2kCVH` for k sweeps plus :math:`2(B+C)VH` for the phases (one GEMM for the fields of
    data and chains, one for :math:`\Delta W`)."""
    V, H, B, C = n_visible, n_hidden, batch_size, n_chains
    return 2 * k * C * V * H + 2 * (B + C) * V * H


@dataclasses.dataclass(eq=False)
class RAPID(LearningRule):
    r"""Pattern-parametrised RBM trained with the pattern-induced negative phase (Algorithm 1).

    Parameters
    ----------
    n_patterns : int
        K, the number of joint patterns :math:`(\xi_v^{(k)}, \xi_h^{(k)})`.  Keep
        K/(V+H) small (the Hopfield load) so that the model stays out of the spin-glass phase.
    projection : {"sign", "clip", "gibbs", None}
        How the continuous patterns return to spins (App. B): (B1) after every epoch, clipping
        to ``[-clip, clip]`` after every update, (B2) after every epoch, or not at all.
    clip : float
        x of the clipped variant.
    gibbs_steps : int
        0: pure PID (no Markov chain).  k > 0: k Gibbs sweeps seeded at the binarised patterns
        give the negative-phase configurations (Sec. V B).

    Notes
    -----
    The rule owns the patterns (``xi_v``, ``xi_h``; float64) and rewrites ``model.W`` from them
    after every update, so :func:`rbmphys.train` returns no increments to apply (momentum and
    weight decay do not act).  Biases are not trained (the paper's RBMs have none).  On the first
    update the patterns are drawn from the update key (Algorithm 1, first lines) unless
    :meth:`attach` set them before; checkpoints hold them and resume bit for bit.

    The model must have ±1 units on both layers (:class:`rbmphys.SpinRBM`).

    Examples
    --------
    >>> import numpy as np, rbmphys as rp
    >>> data = 2 * rp.datasets.bars(3) - 1                       # ±1 images
    >>> rule = rp.RAPID(n_patterns=3)
    >>> m = rule.attach(rp.SpinRBM(np.zeros((9, 40))), rng=0)    # W from 3 random patterns
    >>> _ = rp.train(m, data, rule, epochs=20, batch_size=6, lr=0.01, rng=0)
    >>> bool(np.allclose(m.W, rp.pattern_weights(rule.xi_v, rule.xi_h)))
    True

    Introduced in Chapter 9.
    """

    n_patterns: int = 8
    projection: str | None = "sign"
    clip: float = 1.0
    gibbs_steps: int = 0

    def __post_init__(self):
        self.n_patterns = check_int(self.n_patterns, "n_patterns (K)", 1)
        if self.projection not in _PROJECTIONS:
            raise ValueError(f"projection must be one of {_PROJECTIONS}, got "
                             f"{self.projection!r}")
        self.clip = check_real(self.clip, "clip (pattern bound x)", low=0, low_open=True)
        self.gibbs_steps = check_int(self.gibbs_steps, "gibbs_steps", 0)
        self.xi_v = self.xi_h = None
        self._attached = False

    # ------------------------------------------------------------------ patterns
    @staticmethod
    def _check_model(model):
        for name, u in (("visible", model.visible), ("hidden", model.hidden)):
            if getattr(u, "values", None) != (-1.0, 1.0):
                raise ValueError(f"RAPID trains ±1 units (a SpinRBM); the {name} units are "
                                 f"{u!r}")

    def attach(self, model, rng=None, *, patterns=None):
        """Draw K random ±1 patterns (or take ``patterns=(xi_v, xi_h)``) and write eq. (5) into
        ``model.W``; returns the model."""
        self._check_model(model)
        if patterns is None:
            xv, xh = random_pattern_pair(self.n_patterns, model.n_visible, model.n_hidden, rng=rng)
        else:
            xv, xh = (np.array(p, dtype=np.float64, order="C") for p in patterns)
            if xv.shape != (self.n_patterns, model.n_visible) or \
                    xh.shape != (self.n_patterns, model.n_hidden):
                raise ValueError(f"patterns must have shapes ({self.n_patterns}, "
                                 f"{model.n_visible}) and ({self.n_patterns}, {model.n_hidden}),"
                                 f" got {xv.shape} and {xh.shape}")
        self.xi_v, self.xi_h = xv, xh
        self._attached = True
        self._write_weights(model)
        return model

    def _write_weights(self, model):
        model.W[...] = pattern_weights(self.xi_v, self.xi_h)

    def _ensure(self, model, key):
        if self.xi_v is None:
            self.attach(model, rng=np.random.default_rng(derive_key(key, _INIT)))
        elif self.xi_v.shape[1] != model.n_visible or self.xi_h.shape[1] != model.n_hidden:
            raise ValueError(f"the rule's patterns are for V={self.xi_v.shape[1]}, "
                             f"H={self.xi_h.shape[1]}; the model has V={model.n_visible}, "
                             f"H={model.n_hidden}")

    def negative_states(self, model, key=0):
        r"""The configurations of the negative phase: :math:`(\mathrm{sgn}\,\xi_v,
        \mathrm{sgn}\,\xi_h)` for pure PID, else the K Gibbs chains after ``gibbs_steps``
        sweeps from :math:`\mathrm{sgn}\,\xi_v` (their hidden layer sampled once more) —
        what the paper's *method accessibility* (Fig. 2b) measures.  Model dtype."""
        self._check_model(model)
        if self.xi_v is None:
            raise ValueError("the rule has no patterns yet: attach() it or train first")
        dt = model.dtype
        v = np.ascontiguousarray(_spin_sign(self.xi_v), dtype=dt)
        if self.gibbs_steps == 0:
            return v, np.ascontiguousarray(_spin_sign(self.xi_h), dtype=dt)
        v = self._chains(model, v, key)
        h = half_step(model, "hidden", v, derive_key(key, _CHAINS, 2**20))
        return v, h

    def _chains(self, model, v, key):
        K = len(v)
        buffers = {"pre_h": np.empty((K, model.n_hidden), model.dtype),
                   "pre_v": np.empty((K, model.n_visible), model.dtype)}
        h = np.empty((K, model.n_hidden), model.dtype)
        return _sweeps(model, v, h, derive_key(key, _CHAINS), self.gibbs_steps, buffers)

    # ------------------------------------------------------------------ the update
    def negative_phase(self, model, key=0):
        r"""The PID estimate of :math:`\langle v h^T\rangle_{\text{model}}` (eq. (6)), float64
        (V, H): :math:`\mathrm{sgn}(\xi_v)^T\mathrm{sgn}(\xi_h)/K` for pure PID; with
        ``gibbs_steps`` the Rao–Blackwellised :math:`\frac1K\sum_k v^{(k)}
        \tanh(W^Tv^{(k)} + b)^T` over the chains seeded at the binarised patterns."""
        K = self.n_patterns
        if self.gibbs_steps == 0:
            return _spin_sign(self.xi_v).T @ _spin_sign(self.xi_h) / K
        v = self._chains(model, np.ascontiguousarray(_spin_sign(self.xi_v), dtype=model.dtype),
                         key)
        Th = model.hidden.mean_pass(v @ model.W, model.b, scale=1.0 / K)
        return (v.T @ Th).astype(np.float64)

    def pattern_gradient(self, model, batch, negative):
        r"""Gradient of the mean log-likelihood with respect to the patterns,
        :math:`(\partial\ell/\partial\xi_v, \partial\ell/\partial\xi_h) = (\xi_h G^T,
        \xi_v G)/\sqrt K` with :math:`G = \langle v\tanh(W^Tv+b)^T\rangle_{\text{batch}} -`
        ``negative`` — eq. (A7) with the sign that finite differences confirm (module
        docstring).  ``negative`` is the model's :math:`\langle vh^T\rangle` (V, H): the PID
        estimate in training, the exact one to check the formula.

        The positive phase runs through the model's fused numba pass (one GEMM for the
        fields, the tanh pass, one GEMM for :math:`X^T T`)."""
        X = np.ascontiguousarray(batch, dtype=model.dtype)
        T = model.hidden.mean_pass(X @ model.W, model.b, scale=1.0 / len(X))
        G = (X.T @ T).astype(np.float64) - negative
        c = 1.0 / math.sqrt(self.n_patterns)
        return c * (self.xi_h @ G.T), c * (self.xi_v @ G)

    def step(self, model, batch, ctx):
        self._check_model(model)
        self._ensure(model, ctx.key)
        dv, dh = self.pattern_gradient(model, batch, self.negative_phase(model, ctx.key))
        self.xi_v += ctx.lr * dv
        self.xi_h += ctx.lr * dh
        if self.projection == "clip":
            np.clip(self.xi_v, -self.clip, self.clip, out=self.xi_v)
            np.clip(self.xi_h, -self.clip, self.clip, out=self.xi_h)
        if not (np.isfinite(self.xi_v).all() and np.isfinite(self.xi_h).all()):
            from ._trainer import TrainingDivergedError
            raise TrainingDivergedError(f"non-finite patterns at update {ctx.update}; lower "
                                        f"the learning rate (now {ctx.lr:g})")
        self._write_weights(model)
        return None

    def end_epoch(self, model, ctx):
        if self.xi_v is None:
            return
        if self.projection == "sign":                               # (B1)
            self.xi_v, self.xi_h = _spin_sign(self.xi_v), _spin_sign(self.xi_h)
        elif self.projection == "gibbs":                            # (B2a,b)
            dt = model.dtype
            v = np.ascontiguousarray(_spin_sign(self.xi_v), dtype=dt)
            key = derive_key(ctx.key, _PROJECT)
            v, h = sweep(model, v, key, 0)
            self.xi_v, self.xi_h = v.astype(np.float64), h.astype(np.float64)
        else:
            return
        self._write_weights(model)

    # ------------------------------------------------------------------ cost (App. D)
    def multiply_adds(self, n_visible, n_hidden, batch_size):
        r"""Multiply-adds of one update: :math:`2BVH` (positive phase) + :math:`KVH` (PID
        negative phase; with k Gibbs sweeps :math:`2kKVH + 2KVH`) + :math:`2KVH` (pattern
        gradients) + :math:`KVH` (W from eq. (5))."""
        V, H, B, K = n_visible, n_hidden, batch_size, self.n_patterns
        neg = K * V * H if self.gibbs_steps == 0 else 2 * (self.gibbs_steps + 1) * K * V * H
        return 2 * B * V * H + neg + 3 * K * V * H

    # ------------------------------------------------------------------ state
    def config(self):
        return {"n_patterns": self.n_patterns, "projection": self.projection,
                "clip": self.clip, "gibbs_steps": self.gibbs_steps}

    def runtime_state(self):
        return arrays_state(xi_v=self.xi_v, xi_h=self.xi_h)

    def load_runtime_state(self, state, model=None):
        loaded = loaded_arrays(state, ["xi_v", "xi_h"], "RAPID", dtype=np.float64)
        if loaded is not None:
            xv, xh = loaded
            if xv.ndim != 2 or xh.ndim != 2 or len(xv) != self.n_patterns or \
                    len(xh) != self.n_patterns:
                raise ValueError(f"the RAPID state holds patterns of shapes {xv.shape}, "
                                 f"{xh.shape}; the rule has K={self.n_patterns}")
            self.xi_v, self.xi_h = xv, xh
        else:
            self.xi_v = self.xi_h = None

    def reset(self):
        """Forget the patterns — except patterns just set by :meth:`attach`, which the next
        trainer (whose construction calls ``reset``) is meant to train."""
        if self._attached:
            self._attached = False
            return
        self.xi_v = self.xi_h = None
