r"""Binary restricted Boltzmann machines: {0,1} units (:class:`BernoulliRBM`) and ±1 units
(:class:`SpinRBM`).

Both share the energy of :mod:`rbmphys.conventions`,

.. math::

    E(v, h) = -v^T W h - a^T v - b^T h ,

and differ only in the values a unit takes.  Summing the hidden layer out analytically gives
the free energy (Eq. (A1) of [PozasKerstjens2021]_ with the sign the checks confirm, see
:meth:`SpinRBM.free_energy`),

.. math::

    F(v) = -a^T v - \sum_j \ln \sum_{h_j} e^{h_j (b_j + (W^T v)_j)} ,

and the conditionals factorise over units (Eqs. (D1)-(D2) and (B2) of [PozasKerstjens2021]_;
Eqs. (10)-(11) of [ToledoMarin2025]_):

.. math::

    \{0,1\}:\quad p(h_j = 1 | v) = \sigma(b_j + (W^T v)_j), \qquad
    p(v_i = 1 | h) = \sigma(a_i + (W h)_i),

    \pm 1:\quad p(h_j = +1 | v) = \sigma(2 (b_j + (W^T v)_j)), \qquad
    p(v_i = +1 | h) = \sigma(2 (a_i + (W h)_i)).

Introduced in Chapter 1.

References
----------
.. [PozasKerstjens2021] A. Pozas-Kerstjens et al., Efficient training of energy-based models
   via spin-glass control (2021).
.. [ToledoMarin2025] J. Q. Toledo-Marin, A. Maiti, G. C. Fox, R. G. Melko, Mach. Learn.: Sci.
   Technol. 6, 035030 (2025).
"""

from __future__ import annotations

import numpy as np

from .._validation import as_float_array, as_generator, check_states, check_finite

__all__ = ["BernoulliRBM", "SpinRBM", "log_sigmoid", "sigmoid"]


def sigmoid(x):
    r"""Logistic function :math:`\sigma(x) = 1/(1+e^{-x})`, overflow-free, in float64."""
    x = np.asarray(x, dtype=np.float64)
    return np.exp(-np.logaddexp(0.0, -x))


def log_sigmoid(x):
    r""":math:`\ln\sigma(x) = -\ln(1 + e^{-x})`, overflow-free, in float64."""
    return -np.logaddexp(0.0, -np.asarray(x, dtype=np.float64))


def _softplus(x):
    return np.logaddexp(0.0, x)


def _log_2cosh(x):
    ax = np.abs(x)
    return ax + np.log1p(np.exp(-2.0 * ax))


class _BinaryRBM:
    """Shared machinery of the two binary RBMs (not public: use a subclass)."""

    #: "bernoulli" or "spin"; fixes the unit values and the form of F(v).
    units: str = ""
    #: The two values a unit takes.
    values: tuple = ()

    def __init__(self, W, a=None, b=None):
        W = as_float_array(W, "weights W", ndim=2)
        if W.shape[0] < 1 or W.shape[1] < 1:
            raise ValueError(f"weights W must have shape (n_visible, n_hidden) with both >= 1, "
                             f"got {W.shape}")
        V, H = W.shape
        dtype = W.dtype
        a = np.zeros(V, dtype) if a is None else as_float_array(a, "visible bias a", ndim=1,
                                                                  dtype=dtype)
        b = np.zeros(H, dtype) if b is None else as_float_array(b, "hidden bias b", ndim=1,
                                                                  dtype=dtype)
        if a.shape != (V,):
            raise ValueError(f"visible bias a must have shape (n_visible,) = ({V},) to match "
                             f"W of shape {W.shape}, got {a.shape}")
        if b.shape != (H,):
            raise ValueError(f"hidden bias b must have shape (n_hidden,) = ({H},) to match "
                             f"W of shape {W.shape}, got {b.shape}")
        self.W, self.a, self.b = W, a, b

    # ------------------------------------------------------------------ construction helpers
    @classmethod
    def random(cls, n_visible, n_hidden, *, weight_scale=0.01, bias_scale=0.0,
               dtype=np.float64, rng=None):
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
        """
        for name, n in (("n_visible", n_visible), ("n_hidden", n_hidden)):
            if int(n) != n or n < 1:
                raise ValueError(f"{name} must be a positive integer, got {n}")
        if weight_scale < 0 or bias_scale < 0:
            raise ValueError("weight_scale and bias_scale must be non-negative")
        dtype = np.dtype(dtype)
        if dtype not in (np.float32, np.float64):
            raise TypeError(f"dtype must be float32 or float64, got {dtype}")
        g = as_generator(rng)
        W = g.normal(0.0, weight_scale, size=(int(n_visible), int(n_hidden)))
        a = g.normal(0.0, bias_scale, size=int(n_visible)) if bias_scale else None
        b = g.normal(0.0, bias_scale, size=int(n_hidden)) if bias_scale else None
        W = W.astype(dtype)
        return cls(W, None if a is None else a.astype(dtype), None if b is None else b.astype(dtype))

    def copy(self):
        """A deep copy (parameters copied)."""
        return type(self)(self.W.copy(), self.a.copy(), self.b.copy())

    def astype(self, dtype):
        """The same model computing in ``dtype`` (float32 or float64)."""
        dtype = np.dtype(dtype)
        if dtype not in (np.float32, np.float64):
            raise TypeError(f"dtype must be float32 or float64, got {dtype}")
        return type(self)(self.W.astype(dtype), self.a.astype(dtype), self.b.astype(dtype))

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
        """The parameters as a dict ``{"W": W, "a": a, "b": b}`` (views, not copies)."""
        return {"W": self.W, "a": self.a, "b": self.b}

    def check_parameters(self):
        """Raise ``ValueError`` if a parameter holds NaN or infinity (e.g. after divergence)."""
        for name, p in (("weights W", self.W), ("visible bias a", self.a),
                        ("hidden bias b", self.b)):
            check_finite(p, name)
        return self

    def __repr__(self):
        return (f"{type(self).__name__}(n_visible={self.n_visible}, n_hidden={self.n_hidden}, "
                f"dtype={self.dtype}, |W|max={float(np.max(np.abs(self.W))):.3g})")

    def __eq__(self, other):
        return (type(self) is type(other) and self.dtype == other.dtype
                and all(np.array_equal(p, q) for p, q in zip(self.params.values(),
                                                             other.params.values())))

    # ------------------------------------------------------------------ validation
    def check_visible(self, v, name="visible states v", dtype=np.float64):
        """Validate a batch of visible states (shape and unit values); return it 2-D."""
        return check_states(v, name, self.units, self.n_visible, dtype=dtype)

    def check_hidden(self, h, name="hidden states h", dtype=np.float64):
        """Validate a batch of hidden states (shape and unit values); return it 2-D."""
        return check_states(h, name, self.units, self.n_hidden, dtype=dtype)

    # ------------------------------------------------------------------ physics
    def hidden_field(self, v):
        r"""Local field on the hidden units, :math:`\phi_j(v) = b_j + (W^T v)_j`, float64."""
        v = self.check_visible(v)
        return v @ self.W.astype(np.float64) + self.b

    def visible_field(self, h):
        r"""Local field on the visible units, :math:`a_i + (W h)_i`, float64."""
        h = self.check_hidden(h)
        return h @ self.W.T.astype(np.float64) + self.a

    def energy(self, v, h):
        r"""Energy :math:`E(v,h) = -v^T W h - a^T v - b^T h` of a batch, float64, shape (B,).

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
        return -np.einsum("bi,ij,bj->b", v, W, h) - v @ self.a - h @ self.b

    def free_energy(self, v):
        r"""Free energy :math:`F(v) = -\ln\sum_h e^{-E(v,h)}` of a batch, float64, shape (B,)."""
        v = self.check_visible(v)
        return -(v @ self.a.astype(np.float64)) - self._log_hidden_sum(
            v @ self.W.astype(np.float64) + self.b).sum(axis=1)

    def p_h_given_v(self, v):
        r"""Probabilities :math:`p(h_j = \text{up} | v)` (up = 1 or +1), float64, shape (B, H)."""
        return sigmoid(self._gain * self.hidden_field(v))

    def p_v_given_h(self, h):
        r"""Probabilities :math:`p(v_i = \text{up} | h)` (up = 1 or +1), float64, shape (B, V)."""
        return sigmoid(self._gain * self.visible_field(h))

    def mean_h_given_v(self, v):
        r""":math:`E[h_j | v]`: :math:`\sigma(\phi_j)` for {0,1}, :math:`\tanh\phi_j` for ±1."""
        p = self.p_h_given_v(v)
        return p if self.units == "bernoulli" else 2.0 * p - 1.0

    def mean_v_given_h(self, h):
        r""":math:`E[v_i | h]`: :math:`\sigma` for {0,1}, :math:`\tanh` for ±1 units."""
        p = self.p_v_given_h(h)
        return p if self.units == "bernoulli" else 2.0 * p - 1.0


class BernoulliRBM(_BinaryRBM):
    r"""RBM with {0,1} visible and hidden units.

    .. math::

        E(v,h) = -v^T W h - a^T v - b^T h, \quad v \in \{0,1\}^V,\ h \in \{0,1\}^H,

        F(v) = -a^T v - \sum_j \ln\big(1 + e^{b_j + (W^T v)_j}\big).

    Parameters
    ----------
    W : array_like, shape (n_visible, n_hidden)
        Weights; float32 or float64 is kept, anything else becomes float64.
    a : array_like, shape (n_visible,), optional
        Visible bias (field); zero by default.
    b : array_like, shape (n_hidden,), optional
        Hidden bias (field); zero by default.

    Examples
    --------
    The free energy sums the hidden layer exactly:

    >>> import numpy as np, rbmphys as rp
    >>> m = rp.BernoulliRBM.random(3, 2, weight_scale=1.0, rng=0)
    >>> v = np.array([[1, 0, 1]])
    >>> hs = np.array([[0, 0], [0, 1], [1, 0], [1, 1]])
    >>> brute = -np.log(np.exp(-m.energy(np.repeat(v, 4, 0), hs)).sum())
    >>> bool(np.isclose(m.free_energy(v)[0], brute, rtol=1e-12))
    True

    Introduced in Chapter 1.
    """

    units = "bernoulli"
    values = (0.0, 1.0)
    _gain = 1.0

    @staticmethod
    def _log_hidden_sum(phi):
        return _softplus(phi)


class SpinRBM(_BinaryRBM):
    r"""RBM with ±1 visible and hidden units (an Ising model on a bipartite graph).

    .. math::

        E(s,\sigma) = -s^T W \sigma - a^T s - b^T \sigma, \quad s \in \{\pm1\}^V,\
        \sigma \in \{\pm1\}^H,

        F(s) = -a^T s - \sum_j \ln\big(2\cosh(b_j + (W^T s)_j)\big).

    This is Eq. (A2) of [PozasKerstjens2021]_ *with the minus sign*: the printed closed form
    lacks it, but :math:`e^{-F} = \sum_\sigma e^{-E}` and the enumeration check in
    ``theory_checks/check_004_rapid.py`` (error 1.8e-15) fix it.  RAPID uses no biases
    (``a = b = 0``, the default).

    Parameters
    ----------
    W : array_like, shape (n_visible, n_hidden)
    a, b : array_like, optional
        Visible and hidden fields, zero by default.

    Introduced in Chapter 1.
    """

    units = "spin"
    values = (-1.0, 1.0)
    _gain = 2.0

    @staticmethod
    def _log_hidden_sum(phi):
        return _log_2cosh(phi)
