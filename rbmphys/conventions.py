r"""Notation, fixed once for the whole book.

Energy and Boltzmann weight
---------------------------
A restricted Boltzmann machine (RBM) couples ``V`` visible units :math:`v` to ``H`` hidden
units :math:`h` through a weight matrix :math:`W` of shape ``(n_visible, n_hidden)``:

.. math::

    E(v, h) = -v^T W h - a^T v - b^T h, \qquad
    p(v, h) = \frac{e^{-\beta E(v, h)}}{Z}, \qquad
    Z = \sum_{v, h} e^{-\beta E(v, h)} .

The inverse temperature :math:`\beta` is 1 unless a routine says otherwise (parallel tempering
and annealed importance sampling move along :math:`\beta`).

Free energy of a visible configuration (the hidden layer summed analytically),

.. math::

    e^{-F(v)} = \sum_h e^{-E(v, h)} .

Units
-----
Every layer is a unit type of :mod:`rbmphys.units`; with self-energies :math:`U` (zero for
binary units) the energy is :math:`E(v,h) = -v^TWh - a^Tv - b^Th + \sum_i U_v(v_i) +
\sum_j U_h(h_j)`.

* ``"bernoulli"``: :math:`v_i, h_j \in \{0, 1\}` (:class:`rbmphys.BernoulliRBM`);
  :math:`F(v) = -a^T v - \sum_j \ln(1 + e^{b_j + (W^T v)_j})`.
* ``"spin"``: :math:`s_i, \sigma_j \in \{-1, +1\}` (:class:`rbmphys.SpinRBM`);
  :math:`F(s) = -a^T s - \sum_j \ln(2\cosh(b_j + (W^T s)_j))`.
  RAPID (Pozas-Kerstjens et al.) uses spins without biases.
* ``"gaussian"``: real values with variance :math:`\varsigma^2`, :math:`U(x) = x^2/2\varsigma^2`
  (:class:`rbmphys.GaussianRBM`: the scalar field :math:`\phi` with :math:`\varsigma^2 =
  1/\mu^2` and hidden :math:`\varsigma^2 = \sigma_h^2`).

The two parametrisations describe the same physics: with :math:`s = 2v - 1`,
:math:`\sigma = 2h - 1`, see :func:`rbmphys.models.gauge_to_bernoulli`.

Arrays
------
* a batch of visible states has shape ``(n_samples, n_visible)``; hidden ``(n_samples, n_hidden)``;
* probabilities and log-quantities are returned in float64; states keep the model's dtype.

Reproducibility: what is promised
---------------------------------
This is the one statement of the promise; every module that mentions determinism refers here.

* **Same seed, same machine, same BLAS thread count: the same bits.**  Samples, trained
  parameters and resumed checkpoints are identical bit for bit, for any number of numba
  threads and any split of the chains into slices: every random number comes from a
  counter-based hash keyed by the seed (:mod:`rbmphys.kernels._rng`), and every numba
  reduction sums in a fixed order (:mod:`rbmphys.kernels._reduce`).
* **Another BLAS thread count (or another processor): the same results to rounding, not the
  same bits.**  The matrix products are BLAS's.  How OpenBLAS partitions a product over its
  threads (and so the order of its sums) depends on the kernel it selects for the processor,
  the cache sizes it detects and the shape, so the last bits of a product can change with
  ``OPENBLAS_NUM_THREADS``.  A binary unit whose uniform lies within round-off of its
  probability (about one unit in 10⁴ per float32 sweep) may then flip, after which a Markov
  chain follows another, statistically equivalent trajectory; Gaussian units shift in their
  last bits.  Pin ``OPENBLAS_NUM_THREADS`` when bit-identical reruns matter; the tests check
  exactly this promise (same count: same bits; 1 against 2 threads: agreement to rounding).

Introduced in Chapter 1.
"""

from __future__ import annotations

#: Unit types and the values their states take (None: real-valued).  The unit classes of
#: :mod:`rbmphys.units` read their values from here.
UNIT_VALUES = {"bernoulli": (0.0, 1.0), "spin": (-1.0, 1.0), "gaussian": None}

#: Floating dtypes a model may compute in.
FLOAT_DTYPES = ("float32", "float64")

#: Symbols used in docstrings and chapter output (the README notation table is built from it).
NOTATION = [
    ("v, h", "visible / hidden state", "(V,), (H,); {0,1} or ±1"),
    ("W", "weights", "(n_visible, n_hidden)"),
    ("a, b", "visible / hidden biases (fields)", "(V,), (H,)"),
    ("E(v,h)", "energy", "-vᵀWh - aᵀv - bᵀh"),
    ("F(v)", "free energy, hidden layer summed out", "e^{-F(v)} = Σ_h e^{-E(v,h)}"),
    ("Z", "partition function", "Σ_{v,h} e^{-βE(v,h)}"),
    ("β", "inverse temperature", "1 unless stated"),
    ("σ(x)", "logistic function", "1/(1+e^{-x})"),
    ("K", "number of patterns (RAPID)", "W = ξ_v ξ_hᵀ/√K"),
    ("μ², σ_h²", "scalar-field RBM mass and hidden variance", "K = μ²1 - σ_h² WWᵀ"),
    ("φ, η", "scalar field (Gaussian visible) and hidden mean", "J = Wη"),
]
