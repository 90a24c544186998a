"""``rbmphys bench``: speed as ratios measured in one process (see PERFORMANCE.md).

Absolute times move 10 % or more between runs and machines; ratios measured side by side in one
process do not.  Each comparison interleaves the candidate and its reference in rounds and
reports the median of the per-round ratios, so slow drifts of the machine cancel.

Reported:

* one block-Gibbs step (v → h → v) at V=784, H=500, B ∈ {100, 1000} × {float32, float64}, as a
  ratio to the *GEMM floor* (the two ``np.dot(out=)`` calls alone) and as a speed-up over
  scikit-learn's ``BernoulliRBM.gibbs`` when scikit-learn is installed;
* one PCD-1 update as a ratio to its floor (three ``np.dot(out=)`` calls: 5·B·V·H multiply-adds)
  and as a speed-up over ``BernoulliRBM.partial_fit``;
* one block-Gibbs step φ → h → φ of the scalar-field RBM (Gaussian units, Chapter 3) at the
  same sizes, as a ratio to the same two-GEMM floor;
* exact ln Z at V=16, H=1000 against a plain NumPy chunked implementation;
* threadpoolctl's view of the BLAS threads (in the JSON).
"""

from __future__ import annotations

import json
import platform
import time

import numpy as np

V, H = 784, 500


def _timed(f):
    t = time.perf_counter()
    f()
    return time.perf_counter() - t


def ratio(candidate, reference, rounds=15, inner=1):
    """Median over rounds of t(candidate)/t(reference), with the median times (seconds)."""
    candidate(), reference()          # warm-up (compilation, caches)
    rs, tc, tr = [], [], []
    for _ in range(rounds):
        a = min(_timed(candidate) for _ in range(inner))
        b = min(_timed(reference) for _ in range(inner))
        rs.append(a / b)
        tc.append(a)
        tr.append(b)
    return float(np.median(rs)), float(np.median(tc)), float(np.median(tr))


def _data(B, dtype, seed=0):
    return (np.random.default_rng(seed).random((B, V)) < 0.3).astype(dtype)


def bench_gibbs(B, dtype, rounds):
    import rbmphys as rp
    m = rp.BernoulliRBM.random(V, H, weight_scale=0.01, rng=0, dtype=dtype)
    v = _data(B, dtype)
    pre_h = np.zeros((B, H), dtype)
    pre_v = np.zeros((B, V), dtype)
    st = rp.ChainState(m, v, rng=1)

    def floor():
        np.dot(v, m.W, out=pre_h)
        np.dot(pre_h, m.W.T, out=pre_v)

    r, t, tf = ratio(lambda: st.run(1), floor, rounds)
    out = {"B": B, "dtype": np.dtype(dtype).name, "ms": t * 1e3, "floor_ms": tf * 1e3,
           "ratio_to_floor": r}
    try:
        from sklearn.neural_network import BernoulliRBM as SkRBM
    except ImportError:
        return out
    sk = SkRBM(n_components=H, batch_size=B, n_iter=1, random_state=0)
    sk.fit(v[:2])                       # allocate attributes, then set the same parameters
    sk.components_ = np.ascontiguousarray(m.W.T)
    sk.intercept_hidden_ = m.b.copy()
    sk.intercept_visible_ = m.a.copy()
    r2, t2, _ = ratio(lambda: sk.gibbs(v), lambda: st.run(1), rounds)
    out.update(sklearn_ms=t2 * 1e3, speedup_vs_sklearn=r2)
    return out


def bench_pcd(B, dtype, rounds):
    import rbmphys as rp
    from rbmphys.training._trainer import _make_pcd_stepper as make_pcd_stepper
    m = rp.BernoulliRBM.random(V, H, weight_scale=0.01, rng=0, dtype=dtype)
    v = _data(B, dtype)
    step = make_pcd_stepper(m, batch_size=B, n_chains=B, k=1, lr=1e-4, rng=0)
    # floor buffers hold realistic values (binary states, probabilities): uninitialised memory
    # may contain NaNs or denormals, which change BLAS speed
    X = np.vstack([v, _data(B, dtype, seed=1)])
    Hs = np.random.default_rng(2).random((2 * B, H)).astype(dtype)
    P = np.zeros((B, V), dtype)
    G = np.zeros((V, H), dtype)

    def floor():
        np.dot(X, m.W, out=Hs)
        np.dot(Hs[B:], m.W.T, out=P)
        np.dot(X.T, Hs, out=G)

    r, t, tf = ratio(lambda: step(v), floor, rounds)
    out = {"B": B, "dtype": np.dtype(dtype).name, "ms": t * 1e3, "floor_ms": tf * 1e3,
           "ratio_to_floor": r}
    try:
        from sklearn.neural_network import BernoulliRBM as SkRBM
    except ImportError:
        return out
    sk = SkRBM(n_components=H, batch_size=B, n_iter=1, learning_rate=1e-4, random_state=0)
    sk.partial_fit(v)
    r2, t2, _ = ratio(lambda: sk.partial_fit(v), lambda: step(v), rounds)
    out.update(sklearn_ms=t2 * 1e3, speedup_vs_sklearn=r2)
    return out


def bench_gaussian_gibbs(B, dtype, rounds):
    """One block-Gibbs step φ → h → φ of the scalar-field RBM (Chapter 3): two GEMMs plus
    Box–Muller Gaussian draws from the counter RNG (two uniforms, a log, a sqrt and a cos per
    pair of units), against the same two ``np.dot(out=)`` calls."""
    import rbmphys as rp
    n_v, n_h = V, H
    # couplings well inside the stability bound (14): max eig σ_h²WWᵀ ≈ (√V + √H)²·0.01² < μ²
    m = rp.GaussianRBM.random(n_v, n_h, 4.0, weight_scale=0.01, rng=0, dtype=dtype)
    phi = np.random.default_rng(0).normal(size=(B, n_v)).astype(dtype)
    pre_h = np.zeros((B, n_h), dtype)
    pre_v = np.zeros((B, n_v), dtype)
    st = rp.ChainState(m, phi, rng=1)

    def floor():
        np.dot(phi, m.W, out=pre_h)
        np.dot(pre_h, m.W.T, out=pre_v)

    r, t, tf = ratio(lambda: st.run(1), floor, rounds)
    return {"B": B, "dtype": np.dtype(dtype).name, "ms": t * 1e3, "floor_ms": tf * 1e3,
            "ratio_to_floor": r}


def bench_exact(repeat):
    from rbmphys.exact._bench import bench_log_partition
    return bench_log_partition(V=16, H=1000, repeat=repeat)


def _blas_info():
    try:
        from threadpoolctl import threadpool_info
        return threadpool_info()
    except ImportError:
        return "threadpoolctl not installed (pip install '.[bench]')"


def main(quick=False, json_path=None) -> int:
    rounds = 5 if quick else 15
    sizes = [(100, np.float32), (100, np.float64), (1000, np.float32), (1000, np.float64)]
    report = {"machine": platform.machine(), "processor": platform.processor(),
              "python": platform.python_version(), "numpy": np.__version__,
              "blas": _blas_info(), "gibbs": [], "pcd": [], "gaussian_gibbs": []}
    try:
        import sklearn
        report["sklearn"] = sklearn.__version__
    except ImportError:
        report["sklearn"] = None
        print("scikit-learn not installed: pip install '.[bench]' for the comparison")

    print(f"V={V}, H={H}; ratios are medians of {rounds} interleaved rounds")
    print(f"{'':14s} {'B':>5s} {'dtype':>8s} {'ms':>8s} {'floor ms':>9s} {'x floor':>8s} "
          f"{'sklearn ms':>10s} {'speed-up':>9s}")
    keys = {bench_gibbs: "gibbs", bench_pcd: "pcd", bench_gaussian_gibbs: "gaussian_gibbs"}
    for name, fn in (("Gibbs step", bench_gibbs), ("PCD-1 update", bench_pcd),
                     ("Gaussian Gibbs", bench_gaussian_gibbs)):
        for B, dt in sizes:
            try:
                r = fn(B, dt, rounds)
            except ImportError as exc:
                print(f"{name:14s} skipped: {exc}")
                break
            report[keys[fn]].append(r)
            sk = (f"{r['sklearn_ms']:10.2f} {r['speedup_vs_sklearn']:8.2f}x"
                  if "sklearn_ms" in r else f"{'-':>10s} {'-':>9s}")
            print(f"{name:14s} {B:5d} {r['dtype']:>8s} {r['ms']:8.2f} {r['floor_ms']:9.2f} "
                  f"{r['ratio_to_floor']:7.3f}x {sk}")
    try:
        e = bench_exact(2 if quick else 3)
        report["exact_log_z"] = e
        print(f"exact ln Z, V=16, H=1000: numba {e['numba_s']:.3f} s, NumPy chunked "
              f"{e['numpy_s']:.3f} s, speed-up {e['speedup']:.1f}x, |diff| {e['abs_diff']:.1e}")
    except ImportError as exc:
        print(f"exact ln Z skipped: {exc}")
    report["not_yet"] = "RAPID epochs (Chapter 9) are benchmarked when that chapter lands"
    if json_path:
        with open(json_path, "w") as fh:
            json.dump(report, fh, indent=1, default=str)
        print(f"wrote {json_path}")
    return 0
