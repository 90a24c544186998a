"""Symbolic derivations (sympy): the only subpackage that imports sympy.

``import rbmphys`` does not load this package; ``rbmphys.symbolic`` is imported on first use.
Every derived expression becomes a numeric function through one bridge,
:func:`rbmphys.symbolic.numeric.to_numeric`.
"""

from . import gaussian
from .numeric import to_numeric, to_ufunc
from .series import lncosh_coefficients, quartic_couplings

__all__ = ["to_numeric", "to_ufunc", "gaussian", "lncosh_coefficients", "quartic_couplings"]
