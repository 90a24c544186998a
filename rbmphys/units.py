"""Unit (layer) types: :class:`Bernoulli` ({0,1}), :class:`Spin` (±1), :class:`Gaussian`.

The public namespace of :mod:`rbmphys.models._units` (read its docstring for the physics).
Combine any two in :class:`rbmphys.RBM`::

    rp.RBM(W, visible=rp.units.Spin(), hidden=rp.units.Gaussian(variance=0.5))
"""

from .models._units import Bernoulli, Gaussian, Spin, Units, counter_uniforms, log_2cosh, \
    softplus

__all__ = ["Units", "Bernoulli", "Spin", "Gaussian", "softplus", "log_2cosh", "counter_uniforms"]
