r"""Units (layers): what a unit takes as values, how it responds to a field, how it is sampled.

An RBM is a pair of unit types and the parameters that couple them (:class:`rbmphys.RBM`).  With
the energy of :mod:`rbmphys.conventions`,

.. math::

    E(v, h) = -v^T W h - a^T v - b^T h + \sum_i U_v(v_i) + \sum_j U_h(h_j),

a unit in the field :math:`f` (e.g. :math:`f_j = b_j + (W^T v)_j` for hidden unit :math:`j`)
has the conditional law :math:`p(s \mid f) \propto e^{\beta(s f - U(s))}`.  Each unit type
here owns

* the values it takes and the validation of states (``check``),
* its self-energy :math:`U(s)` (``self_energy``),
* the log-partition term :math:`\ln\sum_s e^{\beta(s f - U(s))}` (``log_partition``: the
  softplus for {0,1}, :math:`\ln 2\cosh` for ±1, the Gaussian integral), which is what summing
  a layer out contributes to the free energy :math:`F(v)`,
* the conditional mean (``mean``) and the fused numba passes that sample the layer
  (``sample``, ``mean_pass``, ``mean_and_sample``; counter RNG, NumPy twins in
  :mod:`rbmphys.kernels.reference` and :mod:`rbmphys.kernels._gaussian`),
* random initial states (``random_states``).

=========== ============ =============== ============================== ======================
unit        values       :math:`U(s)`    :math:`\ln\sum_s e^{s f - U}`  :math:`E[s\mid f]`
=========== ============ =============== ============================== ======================
Bernoulli   {0, 1}       0               :math:`\ln(1 + e^{f})`         :math:`\sigma(f)`
Spin        {−1, +1}     0               :math:`\ln 2\cosh f`           :math:`\tanh f`
Gaussian    ℝ            :math:`s^2/2\varsigma^2` :math:`\varsigma^2 f^2/2 + \tfrac12\ln 2\pi\varsigma^2` :math:`\varsigma^2 f`
=========== ============ =============== ============================== ======================

(:math:`\varsigma^2` is the Gaussian unit's variance; at inverse temperature :math:`\beta`
the field is multiplied by :math:`\beta` for binary units and the Gaussian variance divided by
it.)  A binary unit with values :math:`\{lo, hi\}` is up with probability
:math:`\sigma(\beta(hi - lo) f)`: the *gain* :math:`hi - lo` is 1 for {0,1} and 2 for ±1
(Eq. (B2) of [PozasKerstjens2021]_).

Units are small immutable value objects: two units are equal when their type and parameters
are.  Introduced in Chapter 1 (binary) and Chapter 3 (Gaussian).

References
----------
.. [PozasKerstjens2021] A. Pozas-Kerstjens et al., Efficient training of energy-based models
   via spin-glass control (2021).
"""

from __future__ import annotations

import math

import numpy as np
from scipy import special

from .. import conventions
from .._validation import check_data, check_real
from ..kernels._gaussian import sample_gaussian
from ..kernels._gibbs import all_in_pair, mean_and_sample_layer, mean_layer, sample_layer
from ..kernels._rng import uniform64_np

__all__ = ["Units", "Bernoulli", "Spin", "Gaussian", "log_2cosh", "softplus", "counter_uniforms"]


def softplus(x):
    r""":math:`\ln(1 + e^x)`, overflow-free, float64."""
    return np.logaddexp(0.0, np.asarray(x, dtype=np.float64))


def log_2cosh(x):
    r""":math:`\ln(2\cosh x) = \ln(e^{x} + e^{-x})`, overflow-free (``np.logaddexp``),
    float64."""
    x = np.asarray(x, dtype=np.float64)
    return np.logaddexp(x, -x)


_UNIT_TYPES: dict[str, type] = {}


class Units:
    """Base class of unit types (see the module docstring).  Subclasses set ``name``."""

    #: Name used in checkpoints and ``repr`` (a unit type registers itself under it).
    name: str = ""
    #: The finitely many values a discrete unit takes (a tuple of floats), or ``None`` for
    #: continuous units.  A discrete unit type needs nothing more than ``values`` (and
    #: ``self_energy`` if :math:`U \ne 0`): every other method has a default built from them.
    values: tuple | None = None
    #: True for the two-valued units with :math:`U = 0` that the fast kernels, the Gray-code
    #: enumeration and AIS are written for (:class:`Bernoulli`, :class:`Spin`).
    binary: bool = False

    @property
    def discrete(self) -> bool:
        """True for units with finitely many values (enumerable by :mod:`rbmphys.exact`)."""
        return self.values is not None

    def __init_subclass__(cls, **kw):
        super().__init_subclass__(**kw)
        if cls.name:
            _UNIT_TYPES[cls.name] = cls

    # -- identity -------------------------------------------------------------------------
    def config(self) -> dict:
        """Constructor arguments (JSON-able), for checkpoints."""
        return {}

    def state_dict(self) -> dict:
        return {"type": self.name, "config": self.config()}

    @staticmethod
    def from_state(state):
        """The unit described by :meth:`state_dict` (``{"type": name, "config": {...}}``)."""
        try:
            cls = _UNIT_TYPES[state["type"]]
        except (KeyError, TypeError):
            raise ValueError(f"unknown unit type in {state!r}; known: "
                             f"{sorted(_UNIT_TYPES)}") from None
        return cls(**state.get("config", {}))

    def __eq__(self, other):
        return type(self) is type(other) and self.config() == other.config()

    def __hash__(self):
        return hash((type(self), tuple(sorted(self.config().items()))))

    def __repr__(self):
        args = ", ".join(f"{k}={v!r}" for k, v in self.config().items())
        return f"{type(self).__name__}({args})"

    # -- interface (documented in the module docstring) ---------------------------------------
    # Continuous unit types implement every method; discrete ones inherit these defaults,
    # which work from ``values`` and ``self_energy`` in NumPy (the fused numba passes of the
    # binary units are their fast special case, with the same conditional law).
    def _values_array(self):
        if self.values is None:
            raise NotImplementedError(f"{type(self).__name__} is a continuous unit type: it must "
                                      "implement this method itself")
        return np.asarray(self.values, dtype=np.float64)

    def _log_weights(self, field, beta):
        r""":math:`\beta(s f - U(s))` for every value ``s``, on a new last axis (float64)."""
        s = self._values_array()
        f = np.asarray(field, dtype=np.float64)[..., None]
        return beta * (s * f - self.self_energy(s))

    def self_energy(self, x):
        """:math:`U(s)` (default: 0)."""
        return np.zeros(np.shape(x))

    def log_partition(self, field, beta=1.0):
        r""":math:`\ln\sum_s e^{\beta(s f - U(s))}` (default: the sum over ``values``)."""
        return special.logsumexp(self._log_weights(field, beta), axis=-1)

    def probabilities(self, field, beta=1.0):
        r""":math:`p(s \mid f)` for every value (last axis), float64 (discrete units)."""
        return special.softmax(self._log_weights(field, beta), axis=-1)

    def mean(self, field, beta=1.0):
        r""":math:`E[s \mid f]` (default: the weighted sum over ``values``)."""
        return self.probabilities(field, beta) @ self._values_array()

    def check(self, x, name, n_units, dtype=np.float64):
        """Validate states (default: every entry one of ``values``)."""
        arr = check_data(x, name, n_units)
        vals = self._values_array()
        if not np.all(np.isin(arr, vals)):
            raise ValueError(f"{name} must contain only the values {tuple(self.values)} of "
                             f"{type(self).__name__} units")
        return np.ascontiguousarray(arr, dtype=dtype)

    def sample(self, pre, bias, key, *, beta=1.0, chain0=0, out=None):
        r"""Draw each unit from :math:`p(s \mid f)`, :math:`f` = ``pre + bias``, by inverting
        the cumulative distribution with the counter uniforms of unit (chain0 + c, i)
        (:func:`counter_uniforms`): the same key gives the same states for any split of the
        chains."""
        vals = self._values_array()
        P = self.probabilities(np.asarray(pre, np.float64) + np.asarray(bias, np.float64), beta)
        u = counter_uniforms(key, pre.shape, chain0)
        idx = np.minimum((np.cumsum(P, axis=-1) <= u[..., None]).sum(-1), len(vals) - 1)
        out = np.empty_like(pre) if out is None else out
        out[...] = vals[idx]
        return out

    def mean_pass(self, pre, bias, *, beta=1.0, scale=1.0, out=None):
        r"""``scale`` × :math:`E[s \mid f]` with :math:`f` = ``pre + bias``, in the dtype of
        ``pre`` (default: :meth:`mean`)."""
        out = np.empty_like(pre) if out is None else out
        out[...] = scale * self.mean(np.asarray(pre, np.float64) + np.asarray(bias,
                                                                              np.float64), beta)
        return out

    def mean_and_sample(self, pre, bias, key, *, beta=1.0, chain0=0, scale=1.0,
                        mean_out=None, sample_out=None):
        """Both :meth:`mean_pass` and :meth:`sample` of one field (default: one after the
        other)."""
        sample_out = self.sample(pre, bias, key, beta=beta, chain0=chain0, out=sample_out)
        return self.mean_pass(pre, bias, beta=beta, scale=scale, out=mean_out), sample_out

    def random_states(self, n_states, n_units, key, dtype=np.float64):
        r"""``n_states`` random states of ``n_units`` units from the counter RNG: the zero-field
        law :math:`\propto e^{-U(s)}` (uniform over the values of binary units,
        :math:`\mathcal N(0, \varsigma^2)` for Gaussian)."""
        zeros = np.zeros((int(n_states), int(n_units)), dtype)
        return self.sample(zeros, np.zeros(int(n_units), dtype), key, beta=1.0,
                           out=np.empty_like(zeros))


def counter_uniforms(key, shape, chain0=0):
    r"""Uniforms in (0, 1) from the counter RNG: entry (c, i) of a (B, n) array depends only on
    ``key`` and the counter :math:`(\text{chain0} + c)\,n + i`, so a chain's numbers do not
    depend on how the chains are split — the randomness every unit type's ``sample`` uses
    (the fused kernels draw the same numbers inside numba).  float64, shape ``shape``.

    Introduced in Chapter 2 (the random-number conventions of :mod:`rbmphys.conventions`).
    """
    from ..kernels.reference import counters
    B, n = (int(x) for x in shape)
    return uniform64_np(int(key), counters(B, n, int(chain0)))


class _Binary(Units):
    """Two-valued units ``{lo, hi}`` with ``hi = 1`` (the kernels' "up" value) and
    :math:`U = 0`: the fused numba passes."""

    lo: float = 0.0
    hi: float = 1.0
    binary = True

    @property
    def values(self):
        """The two values a unit takes, ``(lo, hi)``."""
        return (self.lo, self.hi)

    @property
    def gain(self):
        r"""Gain :math:`g = hi - lo`: :math:`p(\text{up}\mid f) = \sigma(\beta g f)`."""
        return self.hi - self.lo

    def self_energy(self, x):
        return np.zeros(np.shape(x))

    def log_partition(self, field, beta=1.0):
        f = beta * np.asarray(field, dtype=np.float64)
        return np.logaddexp(self.lo * f, self.hi * f)

    def p_up(self, field, beta=1.0):
        r""":math:`p(s = hi \mid f) = \sigma(\beta (hi - lo) f)`, float64."""
        return special.expit(self.gain * beta * np.asarray(field, dtype=np.float64))

    def mean(self, field, beta=1.0):
        return self.lo + self.gain * self.p_up(field, beta)

    def check(self, x, name, n_units, dtype=np.float64):
        arr = check_data(x, name, n_units, finite=False)
        if all_in_pair(arr, self.lo, self.hi):           # one fast pass over float data
            return np.ascontiguousarray(arr, dtype=dtype)
        arr = check_data(arr, name, n_units)              # NaN/inf get their own message
        ok = (arr == self.lo) | (arr == self.hi)
        if not np.all(ok):
            hint = ""
            for other in _UNIT_TYPES.values():
                if issubclass(other, _Binary) and other is not type(self) and np.all(
                        (arr == other.lo) | (arr == other.hi)):
                    hint = (f" (it looks like {other.described}: use {other.model_name} "
                            f"(units.{other.__name__}) or map {other.to_hint[self.name]})")
            raise ValueError(f"{name} must contain only {self.lo:g} and {self.hi:g} for "
                             f"{type(self).__name__} units{hint}")
        return np.ascontiguousarray(arr, dtype=dtype)

    def sample(self, pre, bias, key, *, beta=1.0, chain0=0, out=None):
        return sample_layer(pre, bias, self.gain * beta, self.lo, key, chain0, out)

    def mean_pass(self, pre, bias, *, beta=1.0, scale=1.0, out=None):
        return mean_layer(pre, bias, self.gain * beta, self.lo < 0, out, scale)

    def mean_and_sample(self, pre, bias, key, *, beta=1.0, chain0=0, scale=1.0,
                        mean_out=None, sample_out=None):
        mean_out = np.empty_like(pre) if mean_out is None else mean_out
        sample_out = np.empty_like(pre) if sample_out is None else sample_out
        return mean_and_sample_layer(pre, bias, self.gain * beta, self.lo, key, chain0, scale,
                                     mean_out, sample_out)

    def config(self):
        return {}


class Bernoulli(_Binary):
    r"""{0,1} units: :math:`p(s=1\mid f) = \sigma(f)`, log-partition term
    :math:`\ln(1 + e^f)` (softplus).  Introduced in Chapter 1."""

    name = "bernoulli"
    lo, hi = conventions.UNIT_VALUES["bernoulli"]
    described, model_name = "{0,1} data", "BernoulliRBM"
    to_hint = {"spin": "v -> 2v - 1"}


class Spin(_Binary):
    r"""±1 units (Ising spins): :math:`p(s=+1\mid f) = \sigma(2f)`, :math:`E[s\mid f] = \tanh f`,
    log-partition term :math:`\ln 2\cosh f`.  Introduced in Chapter 1."""

    name = "spin"
    lo, hi = conventions.UNIT_VALUES["spin"]
    described, model_name = "±1 spins", "SpinRBM"
    to_hint = {"bernoulli": "s -> (s + 1)/2"}

    def log_partition(self, field, beta=1.0):
        return log_2cosh(beta * np.asarray(field, dtype=np.float64))

    def mean(self, field, beta=1.0):
        return np.tanh(beta * np.asarray(field, dtype=np.float64))


class Gaussian(Units):
    r"""Real-valued units with variance :math:`\varsigma^2` (self-energy
    :math:`x^2/2\varsigma^2`): :math:`p(x\mid f) = \mathcal N(\varsigma^2 f, \varsigma^2/\beta)`.

    The visible field :math:`\phi` of the scalar-field RBM has :math:`\varsigma^2 = 1/\mu^2`,
    its hidden units :math:`\varsigma^2 = \sigma_h^2` (Eq. (2) of [AartsLuciniPark2024]_).
    Sampling: Box–Muller on the counter RNG (:mod:`rbmphys.kernels._gaussian`).

    Parameters
    ----------
    variance : float > 0

    Examples
    --------
    The log-partition term is the Gaussian integral
    :math:`\ln\int dx\, e^{xf - x^2/2\varsigma^2}`:

    >>> import numpy as np
    >>> from scipy import integrate
    >>> g = Gaussian(0.5)
    >>> num = np.log(integrate.quad(lambda x: np.exp(0.7 * x - x * x), -30, 30)[0])
    >>> bool(abs(g.log_partition(0.7) - num) < 1e-10)
    True

    Introduced in Chapter 3.

    References
    ----------
    .. [AartsLuciniPark2024] G. Aarts, B. Lucini, C. Park, Phys. Rev. D 109, 034521 (2024).
    """

    name = "gaussian"

    def __init__(self, variance=1.0):
        self.variance = check_real(variance, "variance of the Gaussian units", low=0,
                                   low_open=True)

    def config(self):
        return {"variance": self.variance}

    def self_energy(self, x):
        return np.asarray(x, dtype=np.float64) ** 2 / (2.0 * self.variance)

    def log_partition(self, field, beta=1.0):
        f = np.asarray(field, dtype=np.float64)
        return 0.5 * beta * self.variance * f * f \
            + 0.5 * math.log(2.0 * math.pi * self.variance / beta)

    def mean(self, field, beta=1.0):
        return self.variance * np.asarray(field, dtype=np.float64)

    def check(self, x, name, n_units, dtype=np.float64):
        return np.ascontiguousarray(check_data(x, name, n_units), dtype=dtype)

    def sample(self, pre, bias, key, *, beta=1.0, chain0=0, out=None):
        if not beta > 0:
            raise ValueError(f"Gaussian units need an inverse temperature beta > 0, got {beta}")
        return sample_gaussian(pre, bias, self.variance, beta, key, chain0, out)

    def mean_pass(self, pre, bias, *, beta=1.0, scale=1.0, out=None):
        out = np.empty_like(pre) if out is None else out
        np.add(pre, bias, out=out)
        out *= out.dtype.type(scale * self.variance)
        return out

    def mean_and_sample(self, pre, bias, key, *, beta=1.0, chain0=0, scale=1.0,
                        mean_out=None, sample_out=None):
        sample_out = self.sample(pre, bias, key, beta=beta, chain0=chain0, out=sample_out)
        return self.mean_pass(pre, bias, beta=beta, scale=scale, out=mean_out), sample_out

