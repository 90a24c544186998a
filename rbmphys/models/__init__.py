"""Models: an RBM is two unit types and the parameters that couple them.

:class:`RBM` takes any pair of units (:mod:`rbmphys.units`); the named models of the book are
:class:`BernoulliRBM` ({0,1}), :class:`SpinRBM` (±1), :class:`GaussianRBM` (the scalar field of
Aarts, Lucini, Park) and :class:`GaussianBernoulliRBM` (Gaussian visible, binary hidden).
"""

from ._base import RBM
from ._binary import BernoulliRBM, SpinRBM, log_sigmoid, sigmoid
from ._gauge import bits_to_spins, gauge_to_bernoulli, gauge_to_spin, spins_to_bits
from ._gaussian import GaussianBernoulliRBM, GaussianRBM
from ._units import Bernoulli, Gaussian, Spin, Units
from ._patterns import pattern_rbm, pattern_weight_moments, pattern_weights, random_pattern_pair

__all__ = ["RBM", "BernoulliRBM", "SpinRBM", "GaussianRBM", "GaussianBernoulliRBM",
           "Units", "Bernoulli", "Spin", "Gaussian", "sigmoid", "log_sigmoid",
           "gauge_to_bernoulli", "gauge_to_spin", "spins_to_bits", "bits_to_spins",
           "pattern_weights", "random_pattern_pair", "pattern_rbm", "pattern_weight_moments"]
