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
