"""Models: binary RBMs ({0,1} and ±1 units) and the gauge map between them.

Gaussian (scalar-field) and Gaussian-Bernoulli RBMs join here in Chapter 3.
"""

from ._binary import BernoulliRBM, SpinRBM, sigmoid, log_sigmoid
from ._gauge import gauge_to_bernoulli, gauge_to_spin, spins_to_bits, bits_to_spins

__all__ = ["BernoulliRBM", "SpinRBM", "sigmoid", "log_sigmoid", "gauge_to_bernoulli",
           "gauge_to_spin", "spins_to_bits", "bits_to_spins"]
