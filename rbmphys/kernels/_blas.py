r"""Accumulating matrix products :math:`C \mathrel{+}= \alpha A^T B` through NumPy's own BLAS.

A learning step ends with :math:`W \leftarrow W + \Delta W`, :math:`\Delta W = X^T H_s` (the
fused phases of :meth:`rbmphys.RBM.phase_increments`).  ``np.dot(X.T, Hs, out=dW)`` followed by
``W += dW`` reads and writes the :math:`V\times H` matrix twice more than needed: at V=784,
H=500, B=100 the addition alone costs 4–8 % of the whole PCD-1 update.  BLAS computes
:math:`C \leftarrow \alpha\,\mathrm{op}(A)\,\mathrm{op}(B) + \beta C`; with :math:`\beta = 1` the
product lands in :math:`W` directly, and the GEMM is no slower than the one without :math:`C`.

NumPy exposes no GEMM with :math:`\beta \ne 0`, and ``scipy.linalg.blas`` must not be used in
the hot loop: SciPy's wheels bundle a *second* OpenBLAS whose thread pool alternating with
NumPy's is ×4–8 slower (``rbmphys bench``).  So this module calls the ``cblas_?gemm`` of the
BLAS that NumPy itself links, found with ``dlsym`` through NumPy's core extension module (its
dependencies are searched too).  Only ILP64 symbols with an unambiguous 64-bit-integer ABI are
used (``scipy_cblas_?gemm64_`` of NumPy ≥ 2 wheels, ``cblas_?gemm64_``), each checked on a small
product first; anywhere else — MKL or Accelerate builds, a symbol not found, arrays that are not
C-contiguous, or ``RBMPHYS_FUSED_GEMM=0`` in the environment — :func:`gemm_tn_add` falls back
to ``np.dot`` plus an addition, which gives the same result up to rounding.

Determinism: the promise is the one stated in :mod:`rbmphys.conventions` (same seed, same
BLAS thread count: same bits).  How OpenBLAS partitions a GEMM over its threads depends on the
kernel it selects for the processor, the cache sizes it detects and the shape, so across BLAS
thread counts a product agrees only to rounding (tested as such).
Introduced for the speed issue of Chapter 2's engine.
"""

from __future__ import annotations

import ctypes
import os

import numpy as np

__all__ = ["gemm_tn_add", "fused_gemm_available"]

_ROW_MAJOR, _NO_TRANS, _TRANS = 101, 111, 112
_SYMBOLS = ("scipy_cblas_{}gemm64_", "cblas_{}gemm64_")
_FUNCS = None


def _load():
    """``{dtype: cblas function}`` for float32/float64, or {} when unavailable."""
    global _FUNCS
    if _FUNCS is not None:
        return _FUNCS
    _FUNCS = {}
    if os.environ.get("RBMPHYS_FUSED_GEMM") == "0":
        return _FUNCS
    try:
        try:
            from numpy._core import _multiarray_umath as core
        except ImportError:                             # pragma: no cover - NumPy 1.x
            from numpy.core import _multiarray_umath as core
        lib = ctypes.CDLL(core.__file__)
    except (OSError, ImportError, AttributeError):     # pragma: no cover - exotic builds
        return _FUNCS
    i64, vp = ctypes.c_int64, ctypes.c_void_p
    for dtype, letter, real in ((np.float32, "s", ctypes.c_float),
                                (np.float64, "d", ctypes.c_double)):
        for pattern in _SYMBOLS:
            fn = getattr(lib, pattern.format(letter), None)
            if fn is None:
                continue
            fn.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_int, i64, i64, i64, real, vp,
                           i64, vp, i64, real, vp, i64]
            fn.restype = None
            if _self_test(fn, dtype):
                _FUNCS[np.dtype(dtype)] = fn
            break
    return _FUNCS


def _self_test(fn, dtype):
    """Check the ABI on a small product before trusting the symbol."""
    g = np.random.default_rng(0)
    A = g.random((5, 3)).astype(dtype)
    B = g.random((5, 4)).astype(dtype)
    C = g.random((3, 4)).astype(dtype)
    want = C + 0.5 * (A.T.astype(np.float64) @ B.astype(np.float64))
    got = C.copy()
    fn(_ROW_MAJOR, _TRANS, _NO_TRANS, 3, 4, 5, 0.5, A.ctypes.data, 3, B.ctypes.data, 4, 1.0,
       got.ctypes.data, 4)
    return bool(np.allclose(got, want, rtol=1e-5, atol=1e-6))


def fused_gemm_available(dtype=np.float64) -> bool:
    """Whether :func:`gemm_tn_add` runs as one BLAS call for this dtype on this NumPy."""
    return np.dtype(dtype) in _load()


def gemm_tn_add(A, B, C, alpha=1.0, work=None):
    r""":math:`C \mathrel{+}= \alpha A^T B` in place; returns ``C``.

    Parameters
    ----------
    A : ndarray (K, M)
    B : ndarray (K, N)
    C : ndarray (M, N), modified in place
        All three of one float dtype; the fused call needs them C-contiguous (``A`` and ``B``
        may be row blocks of larger C-contiguous arrays).
    alpha : float
    work : ndarray (M, N), optional
        Scratch space for the fallback path (``np.dot`` then ``+=``).
    """
    K, M = A.shape
    N = B.shape[1]
    if B.shape[0] != K or C.shape != (M, N):
        raise ValueError(f"gemm_tn_add: shapes A {A.shape}, B {B.shape}, C {C.shape} do not "
                         "match C += alpha A^T B")
    fn = _load().get(C.dtype)
    if (fn is not None and A.dtype == C.dtype and B.dtype == C.dtype and K > 0
            and A.flags.c_contiguous and B.flags.c_contiguous and C.flags.c_contiguous
            and C.flags.writeable):
        fn(_ROW_MAJOR, _TRANS, _NO_TRANS, M, N, K, alpha, A.ctypes.data, M, B.ctypes.data, N,
           1.0, C.ctypes.data, N)
        return C
    if work is None or work.shape != C.shape or work.dtype != C.dtype:
        work = np.empty(C.shape, np.result_type(A, B))
    np.dot(A.T, B, out=work)
    if alpha != 1.0:
        work *= alpha
    C += work.astype(C.dtype, copy=False)
    return C
