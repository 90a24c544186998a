r"""Three ways to spread one block-Gibbs step over the cores, measured side by side.

The engine today (design A) runs the GEMMs on OpenBLAS's threads and the fused sampling pass
serially in numba between them.  On 2 cores the pass is ~15–20 % of a step; on 16 cores,
where BLAS gets 8× more threads and the pass none, it grows to ×2–3 of the GEMM floor
(``PERFORMANCE.md``, "Measured on other machines").  The candidates:

A. threaded BLAS + serial numba pass (the engine);
B. threaded BLAS + a ``parallel=True`` numba pass over chain rows (two thread pools taking
   turns: OpenBLAS's threads spin after each call while numba's want the cores);
C. one numba ``prange`` region per half-step in which every thread multiplies its chain slice
   with *single-threaded* BLAS (NumPy's own ``cblas_?gemm``, called from numba) and samples
   the slice while it is in cache — one thread pool, no alternation.

All three draw identical states (the counter RNG is keyed by the global (chain, unit) index;
the script checks the bits).  Reported: the step time as a ratio to the two-GEMM floor
(``np.dot(out=)`` on all threads), measured like ``rbmphys bench`` (interleaved rounds, median
of per-round ratios), for B ∈ {100, 1000} × {float32, float64} and several slice sizes for C
(whose timing includes switching BLAS to one thread and back around the region).

Measured on the 2-core AVX-512 development machine (Intel Xeon, Emerald Rapids; ``--quick``;
ratios to the floor for B=100 / 1000, float32):

* A (the engine): ×1.16–1.19 / ×1.19–1.20;
* B: workqueue layer ×1.34 / ×1.28 (no gain); OpenMP layer ×3.1 at B=100, and its spinning
  threads slow the *floor* measured after it (a ratio below 1 at B=1000 is that artefact);
* C: ×1.35–2.2 / ×1.6–2.0 including the switch of BLAS to one thread and back (OpenBLAS wakes
  its pool for the floor after every region).  Two independent single-threaded GEMMs do run
  concurrently at ×1.07–1.14 of one (measured separately): the loss is not a lock inside
  OpenBLAS; the switching and the per-slice packing of W are the suspects.

So on 2 cores the engine keeps design A.  What 16 cores do to B and C is the open question of
the speed issue: run this script there (rbmphys installed; no network needed) and compare.

Usage: ``python benchmarks/bench_parallel_designs.py [--quick]`` runs it once per numba
threading layer (``workqueue``, ``omp``: the layer is fixed for a process); ``--layer`` with
``NUMBA_THREADING_LAYER`` set runs one.
"""

from __future__ import annotations

import ctypes
import os
import sys

os.environ.setdefault("NUMBA_THREADING_LAYER", "workqueue")

import numba  # noqa: E402
import numpy as np  # noqa: E402
from numba import njit, prange  # noqa: E402

from rbmphys._bench import ratio  # noqa: E402
from rbmphys.kernels._gibbs import _sample_f32, _sample_f64  # noqa: E402
from rbmphys.kernels._rng import F32, U32  # noqa: E402

try:
    from numpy._core import _multiarray_umath as _core
except ImportError:                                                     # NumPy 1.x
    from numpy.core import _multiarray_umath as _core

_LIB = ctypes.CDLL(_core.__file__)
_I, _P = ctypes.c_int64, ctypes.c_void_p


def _cblas(name, real):
    fn = getattr(_LIB, name)
    fn.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_int, _I, _I, _I, real, _P, _I, _P, _I,
                   real, _P, _I]
    fn.restype = None
    return fn


_SGEMM = _cblas("scipy_cblas_sgemm64_", ctypes.c_float)
_DGEMM = _cblas("scipy_cblas_dgemm64_", ctypes.c_double)
_SET_THREADS = _LIB.scipy_openblas_set_num_threads64_
_SET_THREADS.argtypes = [ctypes.c_int]
_SET_THREADS.restype = None
_GET_THREADS = _LIB.scipy_openblas_get_num_threads64_
_GET_THREADS.restype = ctypes.c_int
_ROW, _N, _T = 101, 111, 112


@njit(parallel=True, error_model="numpy")
def _half_sliced_f32(x, W, transW, bias, k0, k1, pre, out, S):
    """Design C, float32: rows of ``x @ W`` (or ``x @ W.T``) slice by slice, then sample."""
    B, K = x.shape
    N = pre.shape[1]
    ns = (B + S - 1) // S
    for s in prange(ns):
        r0 = s * S
        r1 = min(r0 + S, B)
        _SGEMM(_ROW, _N, _T if transW else _N, r1 - r0, N, K, F32(1.0), x[r0:].ctypes.data, K,
               W.ctypes.data, W.shape[1], F32(0.0), pre[r0:].ctypes.data, N)
        _sample_f32(pre[r0:r1], bias, F32(1.0), F32(0.0), k0, k1, r0, out[r0:r1])


@njit(parallel=True, error_model="numpy")
def _half_sliced_f64(x, W, transW, bias, k0, k1, pre, out, S):
    """Design C, float64."""
    B, K = x.shape
    N = pre.shape[1]
    ns = (B + S - 1) // S
    for s in prange(ns):
        r0 = s * S
        r1 = min(r0 + S, B)
        _DGEMM(_ROW, _N, _T if transW else _N, r1 - r0, N, K, 1.0, x[r0:].ctypes.data, K,
               W.ctypes.data, W.shape[1], 0.0, pre[r0:].ctypes.data, N)
        _sample_f64(pre[r0:r1], bias, 1.0, 0.0, k0, k1, r0, out[r0:r1])


@njit(parallel=True, error_model="numpy")
def _pass_parallel_f32(pre, bias, k0, k1, out):
    """Design B, float32: the fused pass with chains spread over numba's threads."""
    for c in prange(pre.shape[0]):
        _sample_f32(pre[c:c + 1], bias, F32(1.0), F32(0.0), k0, k1, c, out[c:c + 1])


@njit(parallel=True, error_model="numpy")
def _pass_parallel_f64(pre, bias, k0, k1, out):
    for c in prange(pre.shape[0]):
        _sample_f64(pre[c:c + 1], bias, 1.0, 0.0, k0, k1, c, out[c:c + 1])


def measure(B, dtype, V=784, H=500, rounds=9, slices=(32, 64, 128, 256)):
    g = np.random.default_rng(0)
    W = (0.01 * g.normal(size=(V, H))).astype(dtype)
    a, b = np.zeros(V, dtype), np.zeros(H, dtype)
    v = (g.random((B, V)) < 0.3).astype(dtype)
    f32 = dtype == np.float32
    serial = _sample_f32 if f32 else _sample_f64
    par_pass = _pass_parallel_f32 if f32 else _pass_parallel_f64
    sliced = _half_sliced_f32 if f32 else _half_sliced_f64
    one, lo = (F32(1.0), F32(0.0)) if f32 else (1.0, 0.0)
    k = (U32(1), U32(2), U32(3), U32(4))
    buf = {f"{name}{tag}": np.empty((B, H if name in ("ph", "h") else V), dtype)
           for name in ("ph", "h", "pv", "v") for tag in ("", "2", "3")}

    def floor():
        np.dot(v, W, out=buf["ph"])
        np.dot(buf["ph"], W.T, out=buf["pv"])

    def design_a():
        np.dot(v, W, out=buf["ph"])
        serial(buf["ph"], b, one, lo, k[0], k[1], 0, buf["h"])
        np.dot(buf["h"], W.T, out=buf["pv"])
        serial(buf["pv"], a, one, lo, k[2], k[3], 0, buf["v"])

    def design_b():
        np.dot(v, W, out=buf["ph2"])
        par_pass(buf["ph2"], b, k[0], k[1], buf["h2"])
        np.dot(buf["h2"], W.T, out=buf["pv2"])
        par_pass(buf["pv2"], a, k[2], k[3], buf["v2"])

    def design_c(S):
        def step():
            sliced(v, W, False, b, k[0], k[1], buf["ph3"], buf["h3"], S)
            sliced(buf["h3"], W, True, a, k[2], k[3], buf["pv3"], buf["v3"], S)
        return step

    blas_threads = _GET_THREADS()
    r_a, _, t_floor = ratio(design_a, floor, rounds)
    out = {"B": B, "dtype": np.dtype(dtype).name, "floor_ms": 1e3 * t_floor,
           "A_serial_pass": r_a, "B_parallel_pass": ratio(design_b, floor, rounds)[0]}

    def sliced_call(S):
        step = design_c(S)

        def call():                      # BLAS single-threaded inside the region only
            _SET_THREADS(1)
            step()
            _SET_THREADS(blas_threads)
        return call

    for S in slices:
        if S <= B:
            out[f"C_sliced_S{S}"] = ratio(sliced_call(S), floor, rounds)[0]
    sliced_call(slices[0])()
    design_a()
    design_b()
    out["identical_states"] = bool(np.array_equal(buf["v"], buf["v2"])
                                   and np.array_equal(buf["v"], buf["v3"]))
    return out


def main(quick=False):
    print(f"numba threads {numba.get_num_threads()}, layer "
          f"{os.environ['NUMBA_THREADING_LAYER']}, cores {os.cpu_count()}, "
          f"BLAS threads {_GET_THREADS()}")
    for B in (100, 1000):
        for dtype in (np.float32, np.float64):
            r = measure(B, dtype, rounds=5 if quick else 9)
            cells = ", ".join(f"{k} {v:.3f}" if isinstance(v, float) else f"{k} {v}"
                              for k, v in r.items())
            print(cells, flush=True)


if __name__ == "__main__":
    if "--layer" in sys.argv or "NUMBA_THREADING_LAYER_SET" in os.environ:
        main(quick="--quick" in sys.argv)
    else:                        # one process per threading layer (fixed at first parallel call)
        import subprocess
        for layer in ("workqueue", "omp"):
            env = {**os.environ, "NUMBA_THREADING_LAYER": layer, "NUMBA_THREADING_LAYER_SET": "1"}
            subprocess.run([sys.executable, __file__, *sys.argv[1:]], env=env, check=False)
