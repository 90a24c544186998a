r"""A weight increment kept as its two factors until it is added: :math:`\Delta W = \alpha X^T Y`.

The fused phases of :meth:`rbmphys.RBM.phase_increments` end with
:math:`\Delta W = X^T H_s` (positive and negative phase in one product).  Returning that product
as an array and letting the trainer add it costs an extra pass over the :math:`V\times H`
matrix; returning it as a :class:`ProductIncrement` lets the trainer add it with one
accumulating GEMM (:func:`rbmphys.kernels._blas.gemm_tn_add`).  Everything else that needs the
numbers — momentum, weight decay, a test, a planted bug that flips the sign — sees an array:
``np.asarray(inc)`` forms the product (into a reused buffer), and ``-inc`` / ``c * inc`` stay
deferred.

This is the increment protocol of :mod:`rbmphys.training`: an increment is an array, or an
object with ``add_to(param)`` and ``__array__``.  Introduced for the speed issue of Chapter 2.
"""

from __future__ import annotations

import numpy as np

from ..kernels._blas import gemm_tn_add


class ProductIncrement:
    r""":math:`\alpha X^T Y`, formed only when needed.

    Parameters
    ----------
    X : ndarray (K, M)
    Y : ndarray (K, N)
    alpha : float
    work : ndarray (M, N), optional
        Buffer for :meth:`__array__` and for the fallback of :meth:`add_to` (reused between
        updates: consume an array view before the next update).
    """

    __array_priority__ = 20        # ndarray (op) ProductIncrement defers to our reflected ops

    def __init__(self, X, Y, alpha=1.0, work=None):
        self.X, self.Y, self.alpha, self.work = X, Y, float(alpha), work

    @property
    def shape(self):
        return (self.X.shape[1], self.Y.shape[1])

    @property
    def size(self):
        return self.shape[0] * self.shape[1]

    @property
    def ndim(self):
        return 2

    @property
    def dtype(self):
        return np.result_type(self.X, self.Y)

    def add_to(self, param):
        """``param += α XᵀY`` in place (one accumulating GEMM where NumPy's BLAS allows)."""
        gemm_tn_add(self.X, self.Y, param, self.alpha, work=self.work)
        return param

    def __array__(self, dtype=None, copy=None):
        w = self.work
        if w is None or w.shape != self.shape or w.dtype != self.dtype:
            w = self.work = np.empty(self.shape, self.dtype)
        np.dot(self.X.T, self.Y, out=w)
        if self.alpha != 1.0:
            w *= self.alpha
        return w if dtype is None else w.astype(dtype, copy=False)

    def _scaled(self, c):
        return ProductIncrement(self.X, self.Y, self.alpha * float(c), self.work)

    def __neg__(self):
        return self._scaled(-1.0)

    def __mul__(self, c):
        if np.ndim(c) == 0:
            return self._scaled(c)
        return np.asarray(self) * c

    __rmul__ = __mul__

    def __add__(self, other):
        return np.asarray(self) + other

    __radd__ = __add__

    def __sub__(self, other):
        return np.asarray(self) - other

    def __rsub__(self, other):
        return other - np.asarray(self)

    def __repr__(self):
        return f"ProductIncrement({self.alpha:g} X^T Y, shape={self.shape})"
