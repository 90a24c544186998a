"""Symbolic derivations (sympy): the only subpackage that imports sympy.

``import rbmphys`` does not load this package; ``rbmphys.symbolic`` is imported on first use.
Every derived expression becomes a numeric function through one bridge,
:func:`rbmphys.symbolic.numeric.to_numeric`.
"""

from .numeric import to_numeric

__all__ = ["to_numeric"]
