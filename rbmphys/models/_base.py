r"""The restricted Boltzmann machine: two layers of units and the parameters that couple them.

.. math::

    E(v, h) = -v^T W h - a^T v - b^T h + \sum_i U_v(v_i) + \sum_j U_h(h_j),
    \qquad p(v, h) = \frac{e^{-E(v,h)}}{Z},

with the unit types of :mod:`rbmphys.models._units` (self-energies :math:`U = 0` for binary
units).  Because the graph is bipartite, summing the hidden layer out gives the free energy

.. math::

    F(v) = -\ln\sum_h e^{-E(v,h)}
         = \sum_i U_v(v_i) - a^T v - \sum_j \ln\sum_{h_j} e^{h_j f_j - U_h(h_j)},
    \qquad f_j = b_j + (W^T v)_j ,

and the conditionals factorise over units (Eqs. (10)-(11) of [ToledoMarin2025]_).  The
likelihood gradient of every parameter :math:`\theta` is a difference of two averages of
:math:`-\partial F/\partial\theta` ("positive minus negative phase", Eqs. (4), (6) of
[ToledoMarin2025]_), which :meth:`RBM.phase_increments` computes with one matrix product for
both phases and one for the weight update.

:class:`RBM` takes any pair of unit types; :class:`rbmphys.BernoulliRBM`,
:class:`rbmphys.SpinRBM` and :class:`rbmphys.GaussianRBM` are the named models of the book.

Introduced in Chapter 1.

References
----------
.. [ToledoMarin2025] J. Q. Toledo-Marin, A. Maiti, G. C. Fox, R. G. Melko, Mach. Learn.: Sci.
   Technol. 6, 035030 (2025).
"""

from __future__ import annotations

import numpy as np

from .._state import Stateful
from .._validation import as_float_array, as_generator, check_data, check_dtype, check_finite, \
    check_int, check_real
from ._increments import ProductIncrement
from ._units import Units

__all__ = ["RBM"]


class RBM(Stateful):
    r"""An RBM with any pair of unit types.

    Parameters
    ----------
    W : array_like, shape (n_visible, n_hidden)
        Weights; float32 or float64 is kept, anything else becomes float64.  Copied.
    a : array_like, shape (n_visible,), optional
        Visible bias (field); zero by default.  Copied.
    b : array_like, shape (n_hidden,), optional
        Hidden bias (field); zero by default.  Copied.
    visible, hidden : Units
        The unit types (:class:`rbmphys.units.Bernoulli`, :class:`~rbmphys.units.Spin`,
        :class:`~rbmphys.units.Gaussian`).

    Examples
    --------
    Spin visible units coupled to Gaussian hidden units: summing the Gaussian layer out gives a
    Hopfield-like quadratic free energy, :math:`F(s) = -\tfrac{\varsigma^2}{2}|W^T s|^2 + c`:

    >>> import numpy as np, rbmphys as rp
    >>> W = np.array([[1.0, 0.5], [0.0, -1.0], [0.3, 0.2]])
    >>> m = rp.RBM(W, visible=rp.units.Spin(), hidden=rp.units.Gaussian(0.5))
    >>> s = np.array([[1, -1, 1], [1, 1, 1]])
    >>> dF = m.free_energy(s) - (-0.25 * ((s @ W) ** 2).sum(1))
    >>> bool(np.isclose(dF[0], dF[1], rtol=1e-12))       # the same constant for every state
    True

    Introduced in Chapter 1 (binary units) and Chapter 3 (Gaussian units).
    """

    #: Names of the trainable parameters (keys of :attr:`params`).
    param_names = ("W", "a", "b")

    def __init__(self, W, a=None, b=None, *, visible, hidden):
        if not isinstance(visible, Units) or not isinstance(hidden, Units):
            raise TypeError("visible and hidden must be unit objects (rbmphys.units.Bernoulli(), "
                            f"Spin(), Gaussian(variance)), got {visible!r} and {hidden!r}")
        self._visible, self._hidden = visible, hidden
        W = as_float_array(W, "weights W", ndim=2, copy=True)
        if W.shape[0] < 1 or W.shape[1] < 1:
            raise ValueError(f"weights W must have shape (n_visible, n_hidden) with both >= 1, "
                             f"got {W.shape}")
        V, H = W.shape
        dt = W.dtype
        self.W = W
        self.a = self._bias(a, V, dt, "visible bias a", W.shape)
        self.b = self._bias(b, H, dt, "hidden bias b", W.shape)
        self._check_normalisable()

    def _check_normalisable(self):
        r"""Two Gaussian layers are normalisable only while the joint precision
        :math:`\begin{pmatrix}\mathbb 1/\varsigma_v^2 & -W \\ -W^T & \mathbb 1/\varsigma_h^2
        \end{pmatrix}` is positive definite, i.e. :math:`\varsigma_v^2\varsigma_h^2\,
        \lambda_\max(WW^T) < 1` (the stability bound (14) of Aarts, Lucini and Park in the
        general notation; Chapter 3).  Other unit pairs always are."""
        if self.visible.name == self.hidden.name == "gaussian" and np.all(np.isfinite(self.W)):
            s = float(np.linalg.norm(self.W.astype(np.float64), 2))
            prod = self.visible.variance * self.hidden.variance * s * s
            if not prod < 1.0:
                raise ValueError(
                    f"weights W with Gaussian visible and hidden units: var_v * var_h * max "
                    f"eig(W W^T) = {prod:.6g} must be below 1, or the joint Gaussian cannot be "
                    "normalised (the stability bound of Chapter 3); shrink W or the variances")

    @staticmethod
    def _bias(x, n, dtype, name, wshape):
        if x is None:
            return np.zeros(n, dtype)
        x = as_float_array(x, name, ndim=1, dtype=dtype, copy=True)
        if x.shape != (n,):
            side = "n_visible" if name.startswith("visible") else "n_hidden"
            raise ValueError(f"{name} must have shape ({side},) = ({n},) to match W of shape "
                             f"{wshape}, got {x.shape}")
        return x

    # ------------------------------------------------------------------ units
    @property
    def visible(self) -> Units:
        """Unit type of the visible layer."""
        return self._visible

    @property
    def hidden(self) -> Units:
        """Unit type of the hidden layer."""
        return self._hidden

    @property
    def units(self) -> str:
        """Deprecated: the unit name when both layers share it; use ``model.visible`` /
        ``model.hidden`` (unit objects)."""
        import warnings
        warnings.warn("model.units is deprecated since rbmphys 0.2: use model.visible and "
                      "model.hidden (unit objects, e.g. model.visible.gain)", DeprecationWarning,
                      stacklevel=2)
        if self.visible.name != self.hidden.name:
            return f"{self.visible.name}-{self.hidden.name}"
        return self.visible.name

    # ------------------------------------------------------------------ construction helpers
    @classmethod
    def _construct(cls, W, a, b, **units):
        """Build an instance from W, a, b (subclasses with fixed units ignore ``units``)."""
        if cls is RBM:
            return cls(W, a, b, **units)
        return cls(W, a, b)

    @classmethod
    def random(cls, n_visible, n_hidden, *, weight_scale=0.01, bias_scale=0.0,
               dtype=np.float64, rng=None, **units):
        r"""A model with i.i.d. Gaussian parameters.

        :math:`W_{ij} \sim \mathcal N(0, \text{weight\_scale}^2)`, biases
        :math:`\mathcal N(0, \text{bias\_scale}^2)` (zero by default).

        Parameters
        ----------
        n_visible, n_hidden : int
            Layer sizes ``V`` and ``H`` (>= 1).
        weight_scale, bias_scale : float
            Standard deviations.  0.01 is the customary start of training (Hinton's guide;
            the initialisation of [ToledoMarin2025]_).
        dtype : float32 or float64
            The dtype the model computes in.
        rng : None, int, SeedSequence or Generator
            Used for the weights, then the visible bias, then the hidden bias.
        **units
            ``visible=``, ``hidden=`` unit objects (for :class:`RBM` itself).
        """
        V = check_int(n_visible, "n_visible", 1)
        H = check_int(n_hidden, "n_hidden", 1)
        ws = check_real(weight_scale, "weight_scale", low=0)
        bs = check_real(bias_scale, "bias_scale", low=0)
        dtype = check_dtype(dtype)
        g = as_generator(rng)
        W = g.normal(0.0, ws, size=(V, H)).astype(dtype)
        a = g.normal(0.0, bs, size=V).astype(dtype) if bs else None
        b = g.normal(0.0, bs, size=H).astype(dtype) if bs else None
        return cls._construct(W, a, b, **units)

    def _units_kwargs(self):
        return {"visible": self.visible, "hidden": self.hidden} if type(self) is RBM else {}

    def copy(self):
        """A deep copy (parameters copied)."""
        return self.from_state(self.state_dict())

    def astype(self, dtype):
        """The same model computing in ``dtype`` (float32 or float64)."""
        dtype = check_dtype(dtype)
        st = self.state_dict()
        st["params"] = {k: (np.asarray(v).astype(dtype) if np.ndim(v) else v)
                        for k, v in st["params"].items()}
        return self.from_state(st)

    # ------------------------------------------------------------------ state protocol
    def config(self) -> dict:
        """Non-parameter constructor arguments (JSON-able)."""
        if type(self) is RBM:
            return {"visible": self.visible.state_dict(), "hidden": self.hidden.state_dict()}
        return {}

    def state_dict(self) -> dict:
        """``{"class", "config", "params"}``: the model as a checkpoint stores it."""
        return {"class": type(self).__name__, "config": self.config(),
                "params": {k: np.array(v) for k, v in self.params.items()}}

    @classmethod
    def from_state(cls, state):
        cfg = dict(state.get("config", {}))
        if cls is RBM:
            from ._units import Units as _U
            cfg = {k: _U.from_state(v) for k, v in cfg.items()}
        return cls(**state["params"], **cfg)

    # ------------------------------------------------------------------ properties
    @property
    def n_visible(self) -> int:
        return self.W.shape[0]

    @property
    def n_hidden(self) -> int:
        return self.W.shape[1]

    @property
    def dtype(self):
        return self.W.dtype

    @property
    def params(self) -> dict:
        """The trainable parameters ``{name: array}`` (views, not copies: training updates
        them in place)."""
        return {"W": self.W, "a": self.a, "b": self.b}

    def check_parameters(self):
        """Raise ``ValueError`` if a parameter holds NaN or infinity (e.g. after divergence)."""
        for name, p in self.params.items():
            check_finite(p, f"parameter {name}")
        self._check_normalisable()
        return self

    def __repr__(self):
        return (f"{type(self).__name__}(n_visible={self.n_visible}, n_hidden={self.n_hidden}, "
                f"visible={self.visible!r}, hidden={self.hidden!r}, dtype={self.dtype}, "
                f"|W|max={float(np.max(np.abs(self.W))):.3g})")

    def __eq__(self, other):
        return (type(self) is type(other) and self.dtype == other.dtype
                and self.visible == other.visible and self.hidden == other.hidden
                and self.params.keys() == other.params.keys()
                and all(np.array_equal(p, other.params[k]) for k, p in self.params.items()))

    __hash__ = None

    # ------------------------------------------------------------------ validation
    def check_visible(self, v, name="visible states v", dtype=np.float64):
        """Validate a batch of visible states (shape and unit values); return it 2-D."""
        return self.visible.check(v, name, self.n_visible, dtype=dtype)

    def check_hidden(self, h, name="hidden states h", dtype=np.float64):
        """Validate a batch of hidden states (shape and unit values); return it 2-D."""
        return self.hidden.check(h, name, self.n_hidden, dtype=dtype)

    # ------------------------------------------------------------------ physics
    def hidden_field(self, v):
        r"""Field on the hidden units, :math:`f_j(v) = b_j + (W^T v)_j`, float64 (B, H).

        ``v`` may be any real array of shape (B, V) (states or mean-field values)."""
        v = np.asarray(check_data(v, "visible values v", self.n_visible), dtype=np.float64)
        return v @ self.W.astype(np.float64) + self.b

    def visible_field(self, h):
        r"""Field on the visible units, :math:`a_i + (W h)_i`, float64 (B, V).

        ``h`` may be any real array of shape (B, H) (states or mean-field values)."""
        h = np.asarray(check_data(h, "hidden values h", self.n_hidden), dtype=np.float64)
        return h @ self.W.T.astype(np.float64) + self.a

    def energy(self, v, h):
        r"""Energy :math:`E(v,h)` of a batch of joint states, float64, shape (B,).

        Examples
        --------
        >>> import numpy as np, rbmphys as rp
        >>> m = rp.BernoulliRBM(np.ones((2, 1)), a=[0.5, 0.0], b=[-1.0])
        >>> float(m.energy([1, 1], [1])[0])    # -(1 + 1) - 0.5 + 1
        -1.5
        """
        v = self.check_visible(v)
        h = self.check_hidden(h)
        if v.shape[0] != h.shape[0]:
            raise ValueError(f"v and h must hold the same number of states, got {v.shape[0]} "
                             f"and {h.shape[0]}")
        W = self.W.astype(np.float64)
        return (-np.einsum("bi,ij,bj->b", v, W, h) - v @ self.a.astype(np.float64)
                - h @ self.b.astype(np.float64) + self.visible.self_energy(v).sum(1)
                + self.hidden.self_energy(h).sum(1) + self._energy_constant())

    def _energy_constant(self):
        """A constant added to the energy (0; the scalar-field RBM's (h − η)² has one)."""
        return 0.0

    def free_energy(self, v):
        r"""Free energy :math:`F(v) = -\ln\sum_h e^{-E(v,h)}` of a batch, float64, shape (B,)."""
        v = self.check_visible(v)
        f = v @ self.W.astype(np.float64) + self.b
        return (self.visible.self_energy(v).sum(1) - v @ self.a.astype(np.float64)
                - self.hidden.log_partition(f).sum(1) + self._energy_constant())

    def hidden_free_energy(self, h):
        r""":math:`F_h(h) = -\ln\sum_v e^{-E(v,h)}` (the visible layer summed), float64 (B,)."""
        h = self.check_hidden(h)
        f = h @ self.W.T.astype(np.float64) + self.a
        return (self.hidden.self_energy(h).sum(1) - h @ self.b.astype(np.float64)
                - self.visible.log_partition(f).sum(1) + self._energy_constant())

    def mean_h_given_v(self, v):
        r""":math:`E[h_j \mid v]`: :math:`\sigma(f_j)` for {0,1}, :math:`\tanh f_j` for ±1,
        :math:`\varsigma^2 f_j` for Gaussian units; float64 (B, H)."""
        return self.hidden.mean(self.hidden_field(v))

    def mean_v_given_h(self, h):
        r""":math:`E[v_i \mid h]` (see :meth:`mean_h_given_v`); float64 (B, V)."""
        return self.visible.mean(self.visible_field(h))

    def p_h_given_v(self, v):
        r"""Binary hidden units: :math:`p(h_j = \text{up}\mid v)` (up = 1 or +1), float64."""
        return self.hidden.p_up(self.hidden_field(v))

    def p_v_given_h(self, h):
        r"""Binary visible units: :math:`p(v_i = \text{up}\mid h)`, float64."""
        return self.visible.p_up(self.visible_field(h))

    # ------------------------------------------------------------------ gauge (binary units)
    def bernoulli_form(self, dtype=np.float64):
        r"""The equivalent {0,1} parameters of a model with two binary layers.

        With :math:`s = lo + (hi - lo) v` on each layer (the exact gauge map of Chapter 1),
        :math:`E(s, t) = E_{01}(v, h) + c` with

        .. math::

            W' = d_v d_h W,\quad a' = d_v (a + lo_h W\mathbf 1),\quad
            b' = d_h (b + lo_v W^T\mathbf 1),\quad
            c = -lo_v lo_h \mathbf 1^T W \mathbf 1 - lo_v \mathbf 1^T a - lo_h \mathbf 1^T b,

        (:math:`d = hi - lo`), so :math:`\ln Z = \ln Z_{01} - c`.

        Parameters
        ----------
        dtype : {np.float64, np.float32}
            Precision of the returned :math:`W'` (the gains are 1 or 2, so the scaling is exact
            in either); :math:`a', b', c` are float64.

        Returns
        -------
        W : ndarray of ``dtype``
        a, b : float64 arrays
        c : float

        Raises
        ------
        ValueError
            If a layer is not binary (Gaussian units have no {0,1} form).
        """
        for name, u in (("visible", self.visible), ("hidden", self.hidden)):
            if not u.binary:
                raise ValueError(f"the {name} units ({u!r}) are not binary: the model has no "
                                 "{0,1} form")
        lv, lh = self.visible.lo, self.hidden.lo
        dv, dh = self.visible.gain, self.hidden.gain
        W = self.W
        a, b = self.a.astype(np.float64), self.b.astype(np.float64)
        # row and column sums only where a lo ≠ 0 needs them (a {0,1} model maps to itself)
        rows = W.sum(axis=1, dtype=np.float64) if lh else 0.0
        cols = W.sum(axis=0, dtype=np.float64) if lv else 0.0
        total = float(np.sum(rows)) if lv and lh else 0.0
        c = float(-lv * lh * total - lv * a.sum() - lh * b.sum())
        Wd = W.astype(dtype)
        if dv * dh != 1:
            Wd *= np.dtype(dtype).type(dv * dh)
        return Wd, dv * (a + lh * rows), dh * (b + lv * cols), c

    # ------------------------------------------------------------------ learning
    def free_energy_gradient(self, v, weights=None):
        r""":math:`\sum_r w_r\,(-\partial F/\partial\theta)(v_r)` for every parameter.

        For the W, a, b of :class:`RBM`: :math:`-\partial F/\partial W = v\,E[h\mid v]^T`,
        :math:`-\partial F/\partial a = v`, :math:`-\partial F/\partial b = E[h\mid v]`.
        ``weights`` default to :math:`1/B` (the batch mean).  float64 dict keyed like
        :attr:`params`.  The plain NumPy counterpart of :meth:`phase_increments`.
        """
        v = self.check_visible(v)
        w = np.full(len(v), 1.0 / len(v)) if weights is None else np.asarray(weights, float)
        mh = self.mean_h_given_v(v)
        raw = {"W": v.T @ (mh * w[:, None]), "a": w @ v, "b": w @ mh}
        return self._map_statistics(raw, v, w)

    def _map_statistics(self, raw, v, w):
        """Turn the raw statistics {"W", "a", "b"} into increments keyed like ``params``
        (subclasses with other parameters override)."""
        return raw

    def phase_increments(self, X, n_pos, lr, *, buffers=None, sample_key=None, h_out=None):
        r"""Learning-rate-scaled positive-minus-negative phase of every parameter, fused.

        ``X`` stacks the positive states (rows ``:n_pos``, the minibatch) and the negative
        states (rows ``n_pos:``, the chains).  With :math:`P = XW` (one GEMM) and
        :math:`H_s = [\tfrac{\eta}{B} E[h|v^+];\,-\tfrac{\eta}{C} E[h|v^-]]` (one fused pass),
        :math:`\Delta W = X^T H_s` (one GEMM), :math:`\Delta b = \sum_r H_{s,r}`,
        :math:`\Delta a = \tfrac{\eta}{B}\sum v^+ - \tfrac{\eta}{C}\sum v^-` (column sums as
        GEMVs :math:`1^T X`, exact integer counts for binary states).

        With ``sample_key``, the negative rows' hidden states are also sampled from the same
        :math:`P` into ``h_out`` (persistent chains continue from them: PCD's fused path).

        Returns a dict keyed like :attr:`params` (arrays may be the buffers: consume before the
        next call).  The weight increment is a :class:`~rbmphys.models._increments.ProductIncrement`
        :math:`X^T H_s`: the trainer adds it to :math:`W` with one accumulating GEMM
        (``np.asarray`` gives the array).
        """
        B = int(n_pos)
        C = X.shape[0] - B
        H = self.n_hidden
        buf = buffers if buffers is not None else {}
        P = buf.get("P")
        if P is None or P.shape != (X.shape[0], H) or P.dtype != X.dtype:
            P = buf["P"] = np.empty((X.shape[0], H), X.dtype)
            buf["Hs"] = np.empty_like(P)
            buf["dW"] = np.empty((X.shape[1], H), X.dtype)
            buf["sh"], buf["sv+"], buf["sv-"] = np.empty(H, X.dtype), \
                np.empty(X.shape[1], X.dtype), np.empty(X.shape[1], X.dtype)
            buf["ones"] = np.ones(X.shape[0], X.dtype)
        Hs, ones = buf["Hs"], buf["ones"]
        np.dot(X, self.W, out=P)
        self.hidden.mean_pass(P[:B], self.b, scale=lr / B, out=Hs[:B])
        if sample_key is not None:
            self.hidden.mean_and_sample(P[B:], self.b, sample_key, scale=-lr / C,
                                        mean_out=Hs[B:], sample_out=h_out)
        else:
            self.hidden.mean_pass(P[B:], self.b, scale=-lr / C, out=Hs[B:])
        dW = ProductIncrement(X, Hs, 1.0, work=buf["dW"])      # X^T Hs, added by one GEMM
        # column sums by BLAS (1ᵀX): counts of binary states are exact integers in any
        # precision; Σ_r Hs_r is accumulated in the model's precision, exactly as ΔW = XᵀHs
        db = np.dot(ones, Hs, out=buf["sh"]).astype(np.float64)
        da = (lr / B) * np.dot(ones[:B], X[:B], out=buf["sv+"]).astype(np.float64) \
            - (lr / C) * np.dot(ones[:C], X[B:], out=buf["sv-"]).astype(np.float64)
        raw = {"W": dW, "a": da, "b": db}
        return self._map_increments(raw, X, B, lr)

    def _map_increments(self, raw, X, n_pos, lr):
        """Map {"W", "a", "b"} increments to ``params`` (subclasses override)."""
        return raw
