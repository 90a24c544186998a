r"""Annealed importance sampling (AIS) and reverse AIS: ln Z of models too big to enumerate.

The partition function of a binary RBM is a sum over :math:`2^{\min(V,H)}` states: fine for
the V = 12 models of the early chapters, hopeless for MNIST (V = 784, H = 500).  AIS
(Neal 2001) estimates it by annealing from a tractable *base model* :math:`p_A` to the RBM
:math:`p_B`; Salakhutdinov & Murray (2008) gave the path used here.

**The path.**  On the joint space :math:`(v, h)` of the target, with inverse temperatures
:math:`0 = \beta_0 < \beta_1 < \dots < \beta_K = 1`,

.. math::

    -E_\beta(v, h) = (1-\beta)\,a_A^T v + \beta\,\big(a_B^T v + v^T W h + b^T h\big),
    \qquad
    p^*_\beta(v) = \sum_h e^{-E_\beta(v,h)}
      = e^{((1-\beta) a_A + \beta a_B)^T v}\prod_{j=1}^{H}\big(1 + e^{\beta x_j}\big),

with :math:`x_j = b_j + (W^T v)_j`, i.e.
:math:`p_\beta(v) \propto e^{-(1-\beta) F_A(v) - F_B^{(\beta)}(v)}`, where
:math:`F_B^{(\beta)}` is the free energy of the target with all its parameters multiplied by
:math:`\beta`.  The base model has visible bias :math:`a_A`, no weights and zero hidden bias;
its hidden units are those of the target at :math:`\beta = 0`, so
:math:`Z_A = \sum_v p^*_0(v) = 2^H\prod_i(1 + e^{a_{A,i}})`, analytic.  The transition at
:math:`\beta` is one block-Gibbs sweep of :math:`p_\beta(v, h)`:
:math:`h_j \sim \sigma(\beta x_j)` (the target's hidden layer at weights :math:`\beta W`), then
:math:`v_i \sim \sigma\big((1-\beta) a_{A,i} + \beta (a_{B,i} + (W h)_i)\big)`.

**Forward AIS.**  A chain starts with an exact draw :math:`v \sim p_A`; at each step it collects
:math:`\ln w \mathrel{+}= \ln p^*_{\beta_k}(v) - \ln p^*_{\beta_{k-1}}(v)` and then moves with
the transition at :math:`\beta_k`.  Then :math:`E[w] = Z_B/Z_A` exactly, and

.. math::

    \widehat{\ln Z_B} = \ln Z_A + \ln\frac1n\sum_{c=1}^n w_c
      = \ln Z_A + \operatorname{logsumexp}(\ln w) - \ln n .

Because :math:`\ln` is concave, :math:`E[\widehat{\ln Z_B}] \le \ln Z_B` (Jensen): forward AIS
*under*-estimates :math:`\ln Z` in expectation, so the test log-likelihood computed with it,
:math:`-\langle F(v)\rangle - \widehat{\ln Z}`, is an *upper* estimate.

**Reverse AIS** (Burda, Grosse & Salakhutdinov 2015) walks the same path from
:math:`\beta = 1` to 0, starting the chains at data points.  If those are draws from
:math:`p_B`, the reversed chain is an importance sampler of the reversed path and
:math:`E[w_\text{rev}] = Z_A/Z_B`; hence
:math:`\widehat{\ln Z_B} = \ln Z_A - \ln\frac1n\sum_c w_{\text{rev},c}`, and Jensen now gives
:math:`E[\widehat{\ln Z_B}] \ge \ln Z_B`: an *over*-estimate, and a *lower* estimate of the
test log-likelihood.  The assumption "data ~ model" is exact for samples of the model and
approximate for held-out data of a well-trained model; for a poorly fitted model the reverse
estimate is not guaranteed to lie above :math:`\ln Z`.  Together

.. math::

    \mathcal L_\text{test} \in \big[-\langle F\rangle - \widehat{\ln Z}_\text{rev},\;
                                    -\langle F\rangle - \widehat{\ln Z}_\text{AIS}\big]

(:func:`ll_bracket`), the bracket used for Fig. 1 of [ToledoMarin2025]_.

**Standard error.**  With :math:`r_c = w_c/\max_c w_c` (overflow-safe), the delta method gives
:math:`\mathrm{SE}(\ln\bar w) \approx \mathrm{std}(r)/(\sqrt n\,\bar r)`, the relative standard
error of the mean weight.  When one chain dominates, :math:`r \le 1` caps this at about 1 nat
whatever the true uncertainty: a run that is off by 20 nats can report ±0.9.  So the reported
``stderr`` is the larger of the delta-method value and a bootstrap over chains (resampling the
:math:`n` log-weights with replacement, 1000 times, seeded by the weights themselves), which
grows when the estimate hinges on a few chains.  Kish's effective sample size
:math:`n_\text{eff} = (\sum w)^2/\sum w^2` is reported, and a :class:`AISWarning` is raised when
:math:`n_\text{eff}` falls below ``min(10, n/4)``: the weights are then too heavy-tailed for
any error bar computed from them to be trusted (both estimators see only the chains that were
run); anneal more slowly (more β) or run more chains.

**Base rate.**  With ``data``, :math:`a_A = \operatorname{logit}\hat p_i`, where
:math:`\hat p_i = (n_i + 1)/(n + 2)` is the data's Laplace-smoothed visible marginal, clipped to
:math:`[10^{-3}, 1 - 10^{-3}]` (Salakhutdinov & Murray's recipe: the base then already
reproduces the pixel statistics and the weights are smaller).  Without data,
:math:`a_A = a_B`, the model's own visible bias (the :math:`(a_B - a_A)^T v` term then
vanishes).  ``base=`` sets :math:`a_A` directly.

**Spin models** (±1) are annealed in their exact {0,1} gauge
(:func:`rbmphys.models.gauge_to_bernoulli`, :math:`E_\pm = E_{01} + c`), and
:math:`\ln Z_\pm = \ln Z_{01} - c` is returned; data are mapped with :math:`v = (s+1)/2`.

**Schedule.**  :func:`default_betas`: the piecewise-linear schedule of Salakhutdinov & Murray,
500 steps on [0, 0.5), 4000 on [0.5, 0.9) and 10 000 on [0.9, 1], scaled to ``n_betas``
points; the weights change fastest near :math:`\beta = 1`, where the steps are densest.

**Cost.**  Per step: two BLAS products (``v @ W`` and ``h @ W.T``) and two fused numba passes
(:func:`rbmphys.kernels._anneal.ais_step`: weight increment + hidden sample;
:func:`rbmphys.kernels._gibbs.sample_layer`: visible sample), all chains at once, buffers
preallocated, never aliased.  Keys: step ``k`` uses ``derive_key(key, k, 0)`` (hidden) and
``derive_key(key, k, 1)`` (visible); the initial draw from :math:`p_A` uses
``derive_key(key, 0, 1)``.

References
----------
.. [Neal2001] R. M. Neal, *Annealed importance sampling*, Stat. Comput. 11, 125 (2001).
.. [SalakhutdinovMurray2008] R. Salakhutdinov, I. Murray, *On the quantitative analysis of deep
   belief networks*, ICML 2008, Sec. 4 (AIS for RBMs, base-rate model, schedule).
.. [Burda2015] Y. Burda, R. Grosse, R. Salakhutdinov, *Accurate and conservative estimates of
   MRF log-likelihood using reverse annealing*, AISTATS 2015.
.. [ToledoMarin2025] J. Q. Toledo-Marin et al., Mach. Learn.: Sci. Technol. 6, 035030 (2025),
   Eq. (1) (the mean log-likelihood) and Fig. 1 (its AIS / reverse-AIS bracket for MNIST RBMs).
.. [PozasKerstjens2021] A. Pozas-Kerstjens et al., *Efficient training of energy-based models
   via spin-glass control*, Eq. (3) (NLL = ln Z + ⟨F⟩) and Figs. 6-7 (AIS NLL on MNIST).

Introduced in Chapter 2.
"""

from __future__ import annotations

import dataclasses
import warnings

import numpy as np
from scipy.special import logit, logsumexp

from .._validation import check_data, check_int, check_model, check_real, \
    deprecated_positional, draw_key
from ..kernels._anneal import ais_step
from ..kernels._rng import derive_key
from ..models import BernoulliRBM
from ._engine import half_step

__all__ = ["AISResult", "AISWarning", "ais", "reverse_ais", "ll_bracket", "default_betas",
           "base_rate_bias"]


@dataclasses.dataclass
class AISResult:
    r"""An estimate of :math:`\ln Z` with its standard error.

    Attributes
    ----------
    log_z : float
        :math:`\widehat{\ln Z}` of the model (in the model's own gauge: ±1 models get
        :math:`\ln Z_\pm`).
    stderr : float
        Delta-method standard error of ``log_z``.
    log_weights : ndarray (n_chains,)
        :math:`\ln w` of each chain: forward, estimates of :math:`\ln(Z_B/Z_A)`; reverse, of
        :math:`\ln(Z_A/Z_B)`.
    log_z_base : float
        :math:`\ln Z_A` of the base model (same gauge as ``log_z``).
    n_chains, n_betas : int
    direction : {"forward", "reverse"}
        Forward under-estimates :math:`\ln Z` in expectation, reverse over-estimates it.
    model : RBM
        The model whose partition function was estimated (for :meth:`log_likelihood`).
    stderr_delta, stderr_bootstrap : float
        The two standard errors ``stderr`` is the larger of (module docstring).

    Introduced in Chapter 2.
    """

    log_z: float
    stderr: float
    log_weights: np.ndarray
    log_z_base: float
    n_chains: int
    n_betas: int
    direction: str = "forward"
    model: object = dataclasses.field(default=None, repr=False, compare=False)
    stderr_delta: float = float("nan")
    stderr_bootstrap: float = float("nan")

    @property
    def effective_sample_size(self) -> float:
        r"""Kish's :math:`n_\text{eff} = (\sum_c w_c)^2 / \sum_c w_c^2` (between 1 and n)."""
        r = np.exp(self.log_weights - self.log_weights.max())
        return float(r.sum() ** 2 / (r * r).sum())

    def log_likelihood(self, data, model=None):
        r"""Mean log-likelihood :math:`-\langle F(v)\rangle_\text{data} - \widehat{\ln Z}`.

        ``model`` defaults to the model this estimate belongs to (the old call
        ``log_likelihood(model, data)`` is accepted too).  With a forward estimate this is an
        upper estimate of the true value in expectation; with a reverse estimate, a lower one.

        .. math::

            \mathcal L = \frac{1}{|\mathcal D|}\sum_{\mu}\ln p(v^{(\mu)})
                        = -\langle F(v)\rangle_{\mathcal D} - \ln Z

        (Eq. (1) of [ToledoMarin2025]_; Eq. (3) of [PozasKerstjens2021]_ with the sign of the
        NLL).
        """
        if hasattr(data, "free_energy"):                  # the old call log_likelihood(model, data)
            data, model = model, data
        model = self.model if model is None else model
        if model is None:
            raise ValueError("this AISResult holds no model: pass model=")
        return float(-np.mean(model.free_energy(data)) - self.log_z)


def default_betas(n_betas):
    r"""The piecewise-linear AIS schedule of Salakhutdinov & Murray (2008), ``n_betas`` points.

    Their 14 500 steps (500 uniform on [0, 0.5), 4000 on [0.5, 0.9), 10 000 on [0.9, 1])
    scaled by ``n_betas / 14500``: 3.4 % of the points below 0.5, 27.6 % in [0.5, 0.9), 69 %
    in [0.9, 1].  Starts at exactly 0 and ends at exactly 1, strictly increasing.

    Examples
    --------
    >>> b = default_betas(14500)
    >>> int((b < 0.5).sum()), int(((b >= 0.5) & (b < 0.9)).sum()), int((b >= 0.9).sum())
    (500, 4000, 10000)

    Introduced in Chapter 2.
    """
    n = check_int(n_betas, "n_betas (number of inverse temperatures)", 3)
    n1 = max(1, round(n * 500 / 14500))
    n2 = max(1, round(n * 4000 / 14500))
    n3 = n - n1 - n2
    return np.concatenate([np.linspace(0, 0.5, n1, endpoint=False),
                           np.linspace(0.5, 0.9, n2, endpoint=False),
                           np.linspace(0.9, 1.0, n3)])


def base_rate_bias(data, *, smoothing=1.0, clip=1e-3):
    r"""Base-rate visible bias :math:`a_{A,i} = \operatorname{logit}\hat p_i`, with
    :math:`\hat p_i = (n_i + s)/(n + 2s)` clipped to ``[clip, 1 - clip]``.  ``data`` are {0,1}
    states (n, V).  The maximum-likelihood independent-unit model of the data (smoothed).
    Introduced in Chapter 2."""
    smoothing = check_real(smoothing, "smoothing", low=0)
    clip = check_real(clip, "clip", low=0, high=0.5, low_open=True, high_open=True)
    if np.ndim(data) != 2:
        raise ValueError(f"data for the base rate must be a 2-D array (n, V) of {{0,1}} states, "
                         f"got shape {np.shape(data)}")
    data = np.asarray(check_data(data, "data for the base rate", np.shape(data)[1]),
                      dtype=np.float64)
    if not np.all((data == 0) | (data == 1)):
        raise ValueError("data for the base rate must be {0,1} states (map ±1 spins with "
                         "(s + 1) / 2)")
    p = (data.sum(axis=0) + smoothing) / (len(data) + 2.0 * smoothing)
    return logit(np.clip(p, clip, 1.0 - clip))


def _bernoulli_target(model):
    """The {0,1} form of a binary model and the gauge constant c (ln Z = ln Z_01 − c)."""
    check_model(model, "AIS").check_parameters()
    try:
        W, a, b, c = model.bernoulli_form(dtype=model.dtype)
    except ValueError as exc:
        raise ValueError(f"AIS anneals binary layers: {exc}. A Gaussian model's ln Z is exact "
                         "(e.g. GaussianRBM.log_partition())") from None
    return BernoulliRBM(W, a, b), float(c)        # biases cast to W's dtype


def _to_bits(model, states):
    """Visible states of a binary model mapped to {0,1}: v = (s − lo)/(hi − lo)."""
    u = model.visible
    return (np.asarray(states, dtype=np.float64) - u.lo) / u.gain


def _prepare(model, data, base, betas, n_betas):
    """Validate; return (bernoulli model, gauge constant c, a_A, betas, ln Z_A in {0,1} gauge)."""
    bern, c = _bernoulli_target(model)
    if base is None:
        if data is not None:
            d = model.check_visible(data, "data for the base rate")
            base = base_rate_bias(_to_bits(model, d))
        else:
            base = bern.a.astype(np.float64)
    base = np.asarray(base, dtype=np.float64)
    if base.shape != (bern.n_visible,) or not np.all(np.isfinite(base)):
        raise ValueError(f"base visible bias a_A must be a finite array of shape "
                         f"({bern.n_visible},), got shape {base.shape}")
    if betas is None:
        betas = default_betas(n_betas)
    else:
        betas = np.asarray(betas, dtype=np.float64)
        if betas.ndim != 1 or len(betas) < 2 or not np.all(np.isfinite(betas)) \
                or betas[0] != 0.0 or betas[-1] != 1.0 or np.any(np.diff(betas) <= 0):
            raise ValueError("betas (the annealing schedule) must be finite and increase "
                             "strictly from 0 to 1")
    log_z_a = float(np.logaddexp(0.0, base).sum() + bern.n_hidden * np.log(2.0))
    return bern, c, base, betas, log_z_a


class AISWarning(RuntimeWarning):
    """The importance weights of an AIS run are dominated by a few chains."""


def _logmeanexp_se(logw, direction):
    """ln mean(w), the reported standard error (max of delta method and bootstrap), the two
    standard errors, and a warning when the effective sample size is tiny."""
    n = len(logw)
    lm = float(logsumexp(logw, b=1.0 / n))         # ln mean w
    m = logw.max()
    r = np.exp(logw - m)
    mean = r.mean()
    se_delta = float(r.std(ddof=1) / (np.sqrt(n) * mean))
    # bootstrap over chains, seeded by the weights themselves (reproducible, no global state)
    seed = np.frombuffer(np.ascontiguousarray(logw, dtype=np.float64).tobytes(), np.uint32)
    g = np.random.default_rng(np.random.SeedSequence(seed.tolist()))
    idx = g.integers(0, n, size=(1000, n))
    boots = m + np.log(r[idx].mean(axis=1))        # ln mean w of each resample (r = w / max w)
    se_boot = float(np.std(boots, ddof=1))
    ess = float(r.sum() ** 2 / (r * r).sum())
    if ess < min(10.0, n / 4.0):
        se = max(se_delta, se_boot)
        warnings.warn(f"{direction} AIS: effective sample size {ess:.2f} of {n} chains - the "
                      f"estimate hinges on a few chains and its error bar ({se:.3g} nats) "
                      "cannot be trusted; anneal more slowly (more betas) or run more chains",
                      AISWarning, stacklevel=4)
    return lm, max(se_delta, se_boot), se_delta, se_boot


def _anneal(bern, base, betas, v, key, logw):
    """Walk ``betas`` in the given order (up: forward, down: reverse) from the states ``v``
    (B, V, model dtype, {0,1}); adds the log weights to ``logw``."""
    dt = bern.dtype
    B = len(v)
    W, b = bern.W, bern.b
    a64 = bern.a.astype(np.float64)
    da = a64 - base
    pre_h = np.empty((B, bern.n_hidden), dt)
    h = np.empty((B, bern.n_hidden), dt)
    pre_v = np.empty((B, bern.n_visible), dt)
    v = np.ascontiguousarray(v, dtype=dt)
    v_new = np.empty_like(v)
    bias64 = np.empty(bern.n_visible)
    bias = np.empty(bern.n_visible, dt)
    zero_model = None
    K = len(betas) - 1
    for k in range(1, K + 1):
        b0, b1 = float(betas[k - 1]), float(betas[k])
        np.dot(v, W, out=pre_h)
        ais_step(pre_h, b, v, da, b0, b1, derive_key(key, k, 0), h, logw)
        if k == K:
            break
        # visible field (1-β) a_A + β (a_B + W h) = β (W h + a_B + (1-β)/β a_A): gain β
        if b1 > 0.0:
            np.multiply(base, (1.0 - b1) / b1, out=bias64)
            bias64 += a64
            bias[:] = bias64
            half_step(bern, "visible", h, derive_key(key, k, 1), beta=b1, pre=pre_v,
                      out=v_new, bias=bias)
        else:                                # β = 0 inside a custom path: the base model
            if zero_model is None:
                zero_model = BernoulliRBM(np.zeros_like(W))
            bias[:] = base
            half_step(zero_model, "visible", h, derive_key(key, k, 1), pre=pre_v, out=v_new,
                      bias=bias)
        v, v_new = v_new, v
    return logw


@deprecated_positional("rng")
def ais(model, n_chains=100, n_betas=10000, *, rng=None, data=None, betas=None, base=None):
    r"""Forward AIS estimate of :math:`\ln Z` (an underestimate in expectation).

    Parameters
    ----------
    model : RBM with binary units (BernoulliRBM, SpinRBM, ...)
    n_chains : int
        Independent annealing runs (importance samples), run together as one batch.
    n_betas : int
        Number of inverse temperatures of the default schedule (:func:`default_betas`);
        ignored when ``betas`` is given.
    rng : None, int, SeedSequence or Generator
        Draws the 64-bit key of the run (initial draw from the base model, every Gibbs
        half-step).
    data : array (n, V), optional
        Training data: the base model then gets the data's base rate (:func:`base_rate_bias`),
        a much better starting point than the model's own visible bias.
    betas : array, optional
        Custom schedule, strictly increasing from 0 to 1.
    base : array (V,), optional
        Custom base visible bias :math:`a_A` ({0,1} gauge); overrides ``data``.

    Returns
    -------
    AISResult
        ``direction="forward"``.

    Notes
    -----
    .. math::

        \widehat{\ln Z_B} = \ln Z_A + \operatorname{logsumexp}_c \ln w_c - \ln n, \qquad
        \ln w_c = \sum_{k=1}^{K}\big[\ln p^*_{\beta_k}(v_c^{(k)})
                                   - \ln p^*_{\beta_{k-1}}(v_c^{(k)})\big],

    with :math:`v^{(1)} \sim p_A` and :math:`v^{(k+1)}` one Gibbs sweep at :math:`\beta_k` from
    :math:`v^{(k)}` (Neal 2001; Salakhutdinov & Murray 2008, Sec. 4).  Cost: two GEMMs of
    ``n_chains × V × H`` per step.  The module docstring gives the path and the error bar.

    Examples
    --------
    >>> import rbmphys as rp
    >>> m = rp.BernoulliRBM.random(10, 12, weight_scale=0.5, rng=0)
    >>> r = rp.ais(m, n_chains=200, n_betas=2000, rng=1)
    >>> bool(abs(r.log_z - rp.exact.log_partition(m)) < 3 * r.stderr + 1e-3)
    True

    Introduced in Chapter 2.
    """
    n_chains = check_int(n_chains, "n_chains", 2)
    bern, c, base, betas, log_z_a = _prepare(model, data, base, betas, n_betas)
    key = draw_key(rng)
    zeros = np.zeros((n_chains, bern.n_visible), bern.dtype)
    v = bern.visible.sample(zeros, base.astype(bern.dtype), derive_key(key, 0, 1),
                            out=np.empty_like(zeros))
    logw = _anneal(bern, base, betas, v, key, np.zeros(n_chains))
    lm, se, sd, sb = _logmeanexp_se(logw, "forward")
    return AISResult(log_z_a + lm - c, se, logw, log_z_a - c, n_chains, len(betas),
                     "forward", model, sd, sb)


@deprecated_positional("rng")
def reverse_ais(model, data, n_betas=10000, *, rng=None, n_chains=None, betas=None, base=None,
                base_data=None):
    r"""Reverse AIS estimate of :math:`\ln Z` from data (an overestimate in expectation).

    Parameters
    ----------
    model : RBM with binary units (BernoulliRBM, SpinRBM, ...)
    data : array (n, V)
        Starting states of the chains, *assumed to be draws from the model* (Burda et al.
        2015): exact samples make the estimator an unbiased estimate of :math:`Z_A/Z_B`;
        held-out data of a well-trained model are the usual, approximate, choice.
    n_betas : int
        Number of inverse temperatures (:func:`default_betas`), walked from 1 down to 0.
    rng : None, int, SeedSequence or Generator
    n_chains : int, optional
        Use the first ``n_chains`` rows of ``data`` (all rows by default).
    betas : array, optional
        Custom schedule, increasing from 0 to 1 (walked backwards).
    base : array (V,), optional
        Custom base visible bias :math:`a_A` ({0,1} gauge).
    base_data : array, optional
        Data for the base model's base rate (default: ``data``).  Give the *training* data
        to use the same base model as :func:`ais` (``data=train``).

    Returns
    -------
    AISResult
        ``direction="reverse"``.

    Notes
    -----
    Starting from :math:`v^{(K)} = ` data, for :math:`k = K, \dots, 1`:

    .. math::

        \ln w_c \mathrel{+}= \ln p^*_{\beta_{k-1}}(v_c^{(k)}) - \ln p^*_{\beta_k}(v_c^{(k)}),
        \qquad v^{(k-1)} \sim T_{\beta_{k-1}}(v^{(k)}),

    so :math:`E[w] = Z_A/Z_B` when the data are draws from :math:`p_B`, and

    .. math:: \widehat{\ln Z_B} = \ln Z_A - \operatorname{logsumexp}_c\ln w_c + \ln n

    over-estimates :math:`\ln Z_B` in expectation (Jensen); the log-likelihood computed with
    it is a lower estimate (:func:`ll_bracket`).

    The base rate is, by default, that of the starting data themselves, which makes the base
    model depend weakly on the chains' starting points (a second-order effect: not
    measurable at 100 chains on V = 784 in our tests); pass ``base_data=train`` to avoid it
    and to share the base model with :func:`ais`.

    Introduced in Chapter 2.
    """
    if data is None:
        raise ValueError("reverse AIS starts its chains at data: give data (n, V)")
    _bernoulli_target(model)
    start = model.check_visible(data, "data (starting states of reverse AIS)")
    bern, c, base, betas, log_z_a = _prepare(
        model, start if base_data is None else base_data, base, betas, n_betas)
    start = _to_bits(model, start)
    if n_chains is not None:
        n_chains = check_int(n_chains, "n_chains", 2)
        if n_chains > len(start):
            raise ValueError(f"n_chains = {n_chains} exceeds the {len(start)} data points")
        start = start[:n_chains]
    if len(start) < 2:
        raise ValueError("reverse AIS needs at least 2 data points (chains)")
    key = draw_key(rng)
    logw = _anneal(bern, base, betas[::-1], start, key, np.zeros(len(start)))
    lm, se, sd, sb = _logmeanexp_se(logw, "reverse")
    return AISResult(log_z_a - lm - c, se, logw, log_z_a - c, len(start), len(betas),
                     "reverse", model, sd, sb)


def ll_bracket(model, data, ais_result, rais_result):
    r"""Bracket of the mean test log-likelihood, ``(lower, upper)``.

    .. math::

        \text{lower} = -\langle F(v)\rangle - \widehat{\ln Z}_\text{reverse}, \qquad
        \text{upper} = -\langle F(v)\rangle - \widehat{\ln Z}_\text{AIS}.

    Each end holds in expectation (Jensen; the lower one if the reverse chains started from
    model-like data); with finite chains each has its own ``stderr``, so "lower ≤ upper" holds
    up to a few combined standard errors.  :math:`\mathcal L` is Eq. (1) of [ToledoMarin2025]_,
    whose Fig. 1 plots this bracket against training epochs.

    Introduced in Chapter 2.
    """
    if ais_result.direction != "forward" or rais_result.direction != "reverse":
        raise ValueError("ll_bracket expects (forward AIS result, reverse AIS result), got "
                         f"({ais_result.direction!r}, {rais_result.direction!r})")
    return (rais_result.log_likelihood(data, model=model),
            ais_result.log_likelihood(data, model=model))
