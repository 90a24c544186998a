r"""Three ways to spread block-Gibbs steps and PCD-1 updates over the cores, side by side.

The engine today (design A) runs the GEMMs on OpenBLAS's threads and the fused sampling passes
serially in numba between them.  On 2 cores the passes are ~15–20 % of a step; on 16 cores,
where BLAS gets 8× more threads and the passes none, they grow to ×2–3 of the GEMM floor
(measured on a 16-core machine by ``benchmarks/device_check.sh``).  The candidates:

A. threaded BLAS + serial numba passes (the engine's operations, without its Python layers);
B. threaded BLAS + ``parallel=True`` numba passes over chain rows (two thread pools taking
   turns: OpenBLAS's threads spin after each call while numba's want the cores);
C. one numba ``prange`` region per half-step in which every thread multiplies its slice with
   *single-threaded* BLAS (the ``cblas_?gemm`` of NumPy's own OpenBLAS, called from numba) and
   runs the pass on it while it is in cache — one thread pool, no alternation.  For PCD-1: chain
   slices for v⁻, row slices of X = [v⁺; v⁻] for P = XW and the hidden passes, column blocks of
   W for W += XᵀH_s (β = 1);
D. threaded BLAS + the serial pass split over persistent Python threads running a GIL-free
   numba kernel on row blocks (they sleep on events, OpenBLAS's idle workers yield), Gibbs
   steps only.

The designs draw identical states (the counter RNG is keyed by the global (chain, unit) index;
the script checks the bits; PCD weights agree to round-off, column-blocked GEMM).  Reported:
ratios to the GEMM floors (two ``np.dot(out=)`` per Gibbs step, three per PCD-1 update, on all
threads), measured like ``rbmphys bench`` (interleaved rounds, median of per-round ratios),
five steps per timed call (C switches BLAS to one thread once per call), for B ∈ {100, 1000} ×
{float32, float64} and several slice sizes S for C.

Measured on the 2-core AVX-512 development machine (Intel Xeon, Emerald Rapids; ``--quick``;
V=784, H=500):

* A: Gibbs ×1.17–1.24, PCD-1 ×1.04–1.14 (best everywhere);
* B: workqueue layer ×1.25–1.28; OpenMP layer ×1.8–9 (spinning threads fight);
* D: ×1.21 / ×1.25 at B = 100 / 1000 (serial ×1.18 / ×1.22 in the same run: the helper
  thread does not get the second core in time);
* C: Gibbs ×1.45–3.5, PCD-1 ×1.46–2.3 over S = 32…256, either layer.  Two independent
  single-threaded GEMMs do run concurrently at ×1.07–1.14 of one (measured separately): the
  loss is not a lock inside OpenBLAS.

So on 2 cores the engine keeps design A.  What 16 cores do to B, C and D is the open question of
the speed issue: run this script there (``benchmarks/device_check.sh`` runs it with the rest).

Usage: ``python benchmarks/bench_parallel_designs.py [--quick]`` runs it once per numba
threading layer (``workqueue``, ``omp``: the layer is fixed for a process); ``--layer`` with
``NUMBA_THREADING_LAYER`` set runs one.  About 4 minutes with ``--quick`` on 2 cores.
"""

from __future__ import annotations

import ctypes
import os
import sys
from types import SimpleNamespace

os.environ.setdefault("NUMBA_THREADING_LAYER", "workqueue")

import numba  # noqa: E402
import numpy as np  # noqa: E402
from numba import njit, prange  # noqa: E402

from rbmphys._bench import ratio  # noqa: E402
from rbmphys.kernels._gibbs import (_mean, _mean_sample, _sample_f32,  # noqa: E402
                                    _sample_f64)
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


def _make_half_sliced(gemm, one, zero, sample):
    """Design C: rows of ``x @ W`` (or ``x @ W.T``) slice by slice, then sample the slice."""

    @njit(parallel=True, error_model="numpy")
    def half(x, W, transW, bias, k0, k1, pre, out, S):
        B, K = x.shape
        N = pre.shape[1]
        for s in prange((B + S - 1) // S):
            r0 = s * S
            r1 = min(r0 + S, B)
            gemm(_ROW, _N, _T if transW else _N, r1 - r0, N, K, one, x[r0:].ctypes.data, K,
                 W.ctypes.data, W.shape[1], zero, pre[r0:].ctypes.data, N)
            sample(pre[r0:r1], bias, one, zero, k0, k1, r0, out[r0:r1])
    return half


def _make_pass_parallel(one, zero, sample):
    """Design B: the fused pass with chains spread over numba's threads."""

    @njit(parallel=True, error_model="numpy")
    def pass_parallel(pre, bias, k0, k1, out):
        for c in prange(pre.shape[0]):
            sample(pre[c:c + 1], bias, one, zero, k0, k1, c, out[c:c + 1])
    return pass_parallel


class _ThreadPool:
    """Design D: persistent Python threads that run a GIL-free numba pass on row blocks while
    the calling thread runs the first block; they sleep on events between calls (no spinning),
    so OpenBLAS's yielding workers and these threads take turns through the OS scheduler."""

    def __init__(self, n):
        import threading
        self.n = n
        self.go = [threading.Event() for _ in range(n)]
        self.done = [threading.Event() for _ in range(n)]
        self.job = [None] * n
        for t in range(n):
            threading.Thread(target=self._run, args=(t,), daemon=True).start()

    def _run(self, t):
        while True:
            self.go[t].wait()
            self.go[t].clear()
            f, args = self.job[t]
            f(*args)
            self.done[t].set()

    def sample(self, kernel, pre, bias, one, lo, k0, k1, out):
        B = pre.shape[0]
        edges = [B * p // (self.n + 1) for p in range(self.n + 2)]
        for t in range(self.n):
            r0, r1 = edges[t + 1], edges[t + 2]
            self.job[t] = (kernel, (pre[r0:r1], bias, one, lo, k0, k1, r0, out[r0:r1]))
            self.go[t].set()
        kernel(pre[:edges[1]], bias, one, lo, k0, k1, 0, out[:edges[1]])
        for t in range(self.n):
            self.done[t].wait()
            self.done[t].clear()


_POOL = []


def _make_pcd_sliced(gemm, one, zero, sample, mean, mean_sample):
    """Design C for one PCD-1 update (three prange regions, single-threaded BLAS in each):
    1. chain slices: v⁻ = sample(h⁻ Wᵀ + a);
    2. row slices of X = [v⁺; v⁻]: P = XW, then H_s = [η/B σ(P⁺); −η/C σ(P⁻)] and h⁻ ~ σ(P⁻);
    3. column blocks of W: W[:, cols] += Xᵀ H_s[:, cols] (β = 1)."""

    @njit(parallel=True, error_model="numpy")
    def pcd(X, B, hc, W, a, b, k0, k1, j0, j1, sp, sn, P, Hs, pv, S, Sc):
        C = hc.shape[0]
        V, H = W.shape
        R = X.shape[0]
        for s in prange((C + S - 1) // S):
            r0 = s * S
            r1 = min(r0 + S, C)
            gemm(_ROW, _N, _T, r1 - r0, V, H, one, hc[r0:].ctypes.data, H, W.ctypes.data, H,
                 zero, pv[r0:].ctypes.data, V)
            sample(pv[r0:r1], a, one, zero, k0, k1, r0, X[B + r0:B + r1])
        for s in prange((R + S - 1) // S):
            r0 = s * S
            r1 = min(r0 + S, R)
            gemm(_ROW, _N, _N, r1 - r0, H, V, one, X[r0:].ctypes.data, V, W.ctypes.data, H,
                 zero, P[r0:].ctypes.data, H)
            if r0 < B:
                q1 = min(r1, B)
                mean(P[r0:q1], b, one, False, sp, Hs[r0:q1])
            if r1 > B:
                q0 = max(r0, B)
                mean_sample(P[q0:r1], b, one, zero, j0, j1, q0 - B, sn, Hs[q0:r1],
                            hc[q0 - B:r1 - B])
        for s in prange((H + Sc - 1) // Sc):
            c0 = s * Sc
            c1 = min(c0 + Sc, H)
            gemm(_ROW, _T, _N, V, c1 - c0, R, one, X.ctypes.data, V, Hs[:, c0:].ctypes.data, H,
                 one, W[:, c0:].ctypes.data, H)
    return pcd


_KERNELS = {}


def _kernels(dtype):
    """Every kernel of the four designs for one dtype (compiled on first use)."""
    dtype = np.dtype(dtype).type
    if dtype not in _KERNELS:
        if dtype == np.float32:
            gemm, one, zero = _SGEMM, F32(1.0), F32(0.0)
            sample, mean, mean_sample = _sample_f32, _mean, _mean_sample
        else:
            gemm, one, zero = _DGEMM, 1.0, 0.0
            sample, mean, mean_sample = _sample_f64, _mean, _mean_sample
        _KERNELS[dtype] = SimpleNamespace(
            one=one, zero=zero, sample=sample, mean=mean, mean_sample=mean_sample,
            pass_parallel=_make_pass_parallel(one, zero, sample),
            half_sliced=_make_half_sliced(gemm, one, zero, sample),
            pcd_sliced=_make_pcd_sliced(gemm, one, zero, sample, mean, mean_sample),
            nogil=njit(nogil=True, error_model="numpy")(sample.py_func))
    return _KERNELS[dtype]


def measure_pcd(B, dtype, V=784, H=500, rounds=9, slices=(64, 128, 256), reps=5):
    """PCD-1 updates (B data rows, B chains), ``reps`` per timed call, as ratios to the
    three-GEMM floor: design A (the engine's ops: threaded GEMMs, the β = 1 GEMM, serial
    passes) and design C (three prange regions with single-threaded BLAS)."""
    from rbmphys.kernels._blas import gemm_tn_add
    g = np.random.default_rng(1)
    kn = _kernels(dtype)
    one, lo, sample, mean, mean_sample = kn.one, kn.zero, kn.sample, kn.mean, kn.mean_sample
    W0 = (0.01 * g.normal(size=(V, H))).astype(dtype)
    a, b = np.zeros(V, dtype), np.zeros(H, dtype)
    data = (g.random((B, V)) < 0.3).astype(dtype)
    hc0 = (g.random((B, H)) < 0.5).astype(dtype)
    lr = 1e-4
    sp, sn = type(one)(lr / B), type(one)(-lr / B)
    k = (U32(5), U32(6), U32(7), U32(8))

    def state():
        X = np.empty((2 * B, V), dtype)
        X[:B] = data
        return {"W": W0.copy(), "X": X, "hc": hc0.copy(), "P": np.empty((2 * B, H), dtype),
                "Hs": np.empty((2 * B, H), dtype), "pv": np.empty((B, V), dtype),
                "ones": np.ones(2 * B, dtype), "sv": np.empty(V, dtype),
                "sh": np.empty(H, dtype)}
    sa, sc = state(), state()
    Xf = np.vstack([data, (g.random((B, V)) < 0.3).astype(dtype)])   # realistic values: NaN
    # or denormals in uninitialised memory change BLAS speed
    Hf = np.random.default_rng(2).random((2 * B, H)).astype(dtype)
    Pf, Gf, pvf = np.empty((2 * B, H), dtype), np.empty((V, H), dtype), np.empty((B, V), dtype)

    def floor():
        for _ in range(reps):
            np.dot(Xf, W0, out=Pf)
            np.dot(Hf[B:], W0.T, out=pvf)
            np.dot(Xf.T, Hf, out=Gf)

    def design_a():
        st = sa
        X, W, Hs = st["X"], st["W"], st["Hs"]
        for _ in range(reps):
            np.dot(st["hc"], W.T, out=st["pv"])
            sample(st["pv"], a, one, lo, k[0], k[1], 0, X[B:])
            np.dot(X, W, out=st["P"])
            mean(st["P"][:B], b, one, False, sp, Hs[:B])
            mean_sample(st["P"][B:], b, one, lo, k[2], k[3], 0, sn, Hs[B:], st["hc"])
            gemm_tn_add(X, Hs, W)
            np.dot(st["ones"], Hs, out=st["sh"])
            np.dot(st["ones"][:B], X[:B], out=st["sv"])
            np.dot(st["ones"][:B], X[B:], out=st["sv"])

    pcd = kn.pcd_sliced
    blas_threads = _GET_THREADS()

    def design_c(S):
        def call():
            st = sc
            X, Hs = st["X"], st["Hs"]
            _SET_THREADS(1)
            for _ in range(reps):
                pcd(X, B, st["hc"], st["W"], a, b, k[0], k[1], k[2], k[3], sp, sn, st["P"], Hs,
                    st["pv"], S, 64)
                np.dot(st["ones"], Hs, out=st["sh"])
                np.dot(st["ones"][:B], X[:B], out=st["sv"])
                np.dot(st["ones"][:B], X[B:], out=st["sv"])
            _SET_THREADS(blas_threads)
        return call

    r_a, _, t_floor = ratio(design_a, floor, rounds)
    out = {"B": B, "dtype": np.dtype(dtype).name, "floor_ms": 1e3 * t_floor / reps,
           "A_serial_pass": r_a}
    for S in slices:
        if S <= 2 * B:
            out[f"C_sliced_S{S}"] = ratio(design_c(S), floor, rounds)[0]
    # one update each from the same state: same chains? same weights to round-off?
    sa, sc = state(), state()
    reps_saved, reps = reps, 1
    design_a()
    design_c(slices[0])()
    reps = reps_saved
    out["identical_chains"] = bool(np.array_equal(sa["hc"], sc["hc"])
                                   and np.array_equal(sa["X"], sc["X"]))
    out["max_dW_diff"] = float(np.max(np.abs(sa["W"] - sc["W"])))
    return out


def measure(B, dtype, V=784, H=500, rounds=9, slices=(32, 64, 128, 256), reps=5):
    """Gibbs steps, ``reps`` per timed call (C switches BLAS to one thread once per call, as an
    engine would once per ``rp.gibbs``), as ratios to the two-GEMM floor, designs A–D."""
    g = np.random.default_rng(0)
    W = (0.01 * g.normal(size=(V, H))).astype(dtype)
    a, b = np.zeros(V, dtype), np.zeros(H, dtype)
    v = (g.random((B, V)) < 0.3).astype(dtype)
    kn = _kernels(dtype)
    serial, par_pass, sliced, one, lo = kn.sample, kn.pass_parallel, kn.half_sliced, kn.one, \
        kn.zero
    k = (U32(1), U32(2), U32(3), U32(4))
    buf = {f"{name}{tag}": np.empty((B, H if name in ("ph", "h") else V), dtype)
           for name in ("ph", "h", "pv", "v") for tag in ("", "2", "3")}

    def floor():
        for _ in range(reps):
            np.dot(v, W, out=buf["ph"])
            np.dot(buf["ph"], W.T, out=buf["pv"])

    def design_a():
        for _ in range(reps):
            np.dot(v, W, out=buf["ph"])
            serial(buf["ph"], b, one, lo, k[0], k[1], 0, buf["h"])
            np.dot(buf["h"], W.T, out=buf["pv"])
            serial(buf["pv"], a, one, lo, k[2], k[3], 0, buf["v"])

    def design_b():
        for _ in range(reps):
            np.dot(v, W, out=buf["ph2"])
            par_pass(buf["ph2"], b, k[0], k[1], buf["h2"])
            np.dot(buf["h2"], W.T, out=buf["pv2"])
            par_pass(buf["pv2"], a, k[2], k[3], buf["v2"])

    if not _POOL:
        _POOL.append(_ThreadPool(max(1, numba.get_num_threads() - 1)))
    nogil = kn.nogil
    hd, vd = np.empty((B, H), dtype), np.empty((B, V), dtype)

    def design_d():
        for _ in range(reps):
            np.dot(v, W, out=buf["ph2"])
            _POOL[0].sample(nogil, buf["ph2"], b, one, lo, k[0], k[1], hd)
            np.dot(hd, W.T, out=buf["pv2"])
            _POOL[0].sample(nogil, buf["pv2"], a, one, lo, k[2], k[3], vd)

    def design_c(S):
        def step():
            for _ in range(reps):
                sliced(v, W, False, b, k[0], k[1], buf["ph3"], buf["h3"], S)
                sliced(buf["h3"], W, True, a, k[2], k[3], buf["pv3"], buf["v3"], S)
        return step

    blas_threads = _GET_THREADS()
    r_a, _, t_floor = ratio(design_a, floor, rounds)
    out = {"B": B, "dtype": np.dtype(dtype).name, "floor_ms": 1e3 * t_floor / reps,
           "A_serial_pass": r_a, "B_parallel_pass": ratio(design_b, floor, rounds)[0],
           "D_thread_pool": ratio(design_d, floor, rounds)[0]}

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
    design_d()
    out["identical_states"] = bool(np.array_equal(buf["v"], buf["v2"])
                                   and np.array_equal(buf["v"], buf["v3"])
                                   and np.array_equal(buf["v"], vd))
    return out


def main(quick=False):
    print(f"numba threads {numba.get_num_threads()}, layer "
          f"{os.environ['NUMBA_THREADING_LAYER']}, cores {os.cpu_count()}, "
          f"BLAS threads {_GET_THREADS()}")
    for name, fn in (("Gibbs step", measure), ("PCD-1 update", measure_pcd)):
        for B in (100, 1000):
            for dtype in (np.float32, np.float64):
                r = fn(B, dtype, rounds=5 if quick else 9)
                cells = ", ".join(f"{k} {v:.3g}" if isinstance(v, float) else f"{k} {v}"
                                  for k, v in r.items())
                print(f"{name}: {cells}", flush=True)


if __name__ == "__main__":
    if "--layer" in sys.argv or "NUMBA_THREADING_LAYER_SET" in os.environ:
        main(quick="--quick" in sys.argv)
    else:                        # one process per threading layer (fixed at first parallel call)
        import subprocess
        for layer in ("workqueue", "omp"):
            env = {**os.environ, "NUMBA_THREADING_LAYER": layer, "NUMBA_THREADING_LAYER_SET": "1"}
            subprocess.run([sys.executable, __file__, *sys.argv[1:]], env=env, check=False)
