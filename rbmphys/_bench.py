"""``rbmphys bench``: speed as ratios measured in one process.

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
* one training epoch of RAPID (Chapter 9) against one epoch of PCD-10 on the same model, through
  the public ``Trainer.fit`` (Bars 4×4 as in Pozas-Kerstjens et al.: V=16, H=1000, K=8, B=10,
  256 chains; and an MNIST-sized V=784, H=500, K=50, B=100, 100 chains), with the ratio of the
  multiply-add counts of App. D beside it;
* exact ln Z at V=16, H=1000 against a plain NumPy chunked implementation;
* the public path: ``rp.gibbs`` for 20 sweeps against 20 two-GEMM floors, ``rp.train`` for one
  PCD-1 epoch of ten B=1000 batches against ten three-GEMM floors and against scikit-learn's
  ``partial_fit`` over the same ten batches;
* one AIS step and one reverse-AIS step (B=100 chains, 200 β) against one block-Gibbs step of
  ``ChainState.run`` on the same chains (target ×1.3);
* the machine: processor name, instruction set (AVX2 / AVX-512), cores, numba threads and
  threadpoolctl's view of the BLAS threads.
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


def ratio(candidate, reference, rounds=15, inner=None):
    """Median over rounds of t(candidate)/t(reference), with the median times (seconds).

    In each round both sides are timed ``inner`` times and the fastest call counts (the
    ``timeit`` convention: slower calls are the machine's noise — other tenants, interrupts —
    not the code's).  By default ``inner`` gives each side ~20 ms per round (1 to 10 calls)."""
    candidate(), reference()          # warm-up (compilation, caches)
    if inner is None:
        t1 = max(_timed(candidate), _timed(reference))
        inner = int(min(10, max(1, 0.02 // max(t1, 1e-9))))
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


def _gibbs_floor(x, W, repeats=1):
    """The two-GEMM floor of ``repeats`` block-Gibbs sweeps: ``x W`` then ``(x W) Wᵀ`` into
    preallocated outputs, nothing else."""
    pre_h = np.zeros((len(x), W.shape[1]), W.dtype)
    pre_v = np.zeros((len(x), W.shape[0]), W.dtype)

    def floor():
        for _ in range(repeats):
            np.dot(x, W, out=pre_h)
            np.dot(pre_h, W.T, out=pre_v)
    return floor


def _pcd_floor(v, W, repeats=1):
    """The three-GEMM floor of ``repeats`` PCD-1 updates with B data rows and B chains (5·B·V·H
    multiply-adds each).  Buffers hold realistic values (binary states, probabilities):
    uninitialised memory may contain NaNs or denormals, which change BLAS speed."""
    B, dtype = len(v), W.dtype
    X = np.vstack([v, _data(B, dtype, seed=1)])
    Hs = np.random.default_rng(2).random((2 * B, W.shape[1])).astype(dtype)
    P = np.zeros((B, W.shape[0]), dtype)
    G = np.zeros(W.shape, dtype)

    def floor():
        for _ in range(repeats):
            np.dot(X, W, out=Hs)
            np.dot(Hs[B:], W.T, out=P)
            np.dot(X.T, Hs, out=G)
    return floor


def bench_gibbs(B, dtype, rounds):
    import rbmphys as rp
    m = rp.BernoulliRBM.random(V, H, weight_scale=0.01, rng=0, dtype=dtype)
    v = _data(B, dtype)
    st = rp.ChainState(m, v, rng=1)
    r, t, tf = ratio(lambda: st.run(1), _gibbs_floor(v, m.W), rounds)
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
    r, t, tf = ratio(lambda: step(v), _pcd_floor(v, m.W), rounds)
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
    Box–Muller Gaussian draws in pairs from the counter RNG (per unit one hash, half a log, half
    a square root and half a sine–cosine pair, in one fused pass:
    :mod:`rbmphys.kernels._gaussian`), against the same two ``np.dot(out=)`` calls."""
    import rbmphys as rp
    n_v, n_h = V, H
    # couplings well inside the stability bound (14): max eig σ_h²WWᵀ ≈ (√V + √H)²·0.01² < μ²
    m = rp.GaussianRBM.random(n_v, n_h, 4.0, weight_scale=0.01, rng=0, dtype=dtype)
    phi = np.random.default_rng(0).normal(size=(B, n_v)).astype(dtype)
    st = rp.ChainState(m, phi, rng=1)
    r, t, tf = ratio(lambda: st.run(1), _gibbs_floor(phi, m.W), rounds)
    return {"B": B, "dtype": np.dtype(dtype).name, "ms": t * 1e3, "floor_ms": tf * 1e3,
            "ratio_to_floor": r}


def bench_rapid(rounds):
    """Epoch of RAPID vs epoch of PCD-10 on the same ±1 model, measured side by side."""
    import rbmphys as rp
    from rbmphys.training import pcd_multiply_adds
    out = []
    for name, (nv, nh, K, B, C, n_data) in {"Bars 4x4": (16, 1000, 8, 10, 256, 200),
                                             "MNIST-sized": (784, 500, 50, 100, 100, 1000)
                                             }.items():
        g = np.random.default_rng(0)
        data = np.where(g.random((n_data, nv)) < 0.5, 1.0, -1.0)
        rule = rp.RAPID(n_patterns=K)
        m_r = rule.attach(rp.SpinRBM(np.zeros((nv, nh))), rng=0)
        tr_r = rp.Trainer(m_r, rule, batch_size=B, lr=1e-6, rng=0)
        m_p = rp.SpinRBM.random(nv, nh, weight_scale=0.01, rng=0)
        tr_p = rp.Trainer(m_p, rp.PCD(k=10, n_chains=C), batch_size=B, lr=1e-6, rng=0)
        quiet = {"every": 0}
        r, t_p, t_r = ratio(lambda: tr_p.fit(data, 1, monitor=quiet),
                            lambda: tr_r.fit(data, 1, monitor=quiet), rounds)
        model = pcd_multiply_adds(nv, nh, B, C, 10) / rule.multiply_adds(nv, nh, B)
        out.append({"case": name, "V": nv, "H": nh, "K": K, "B": B, "chains": C,
                    "updates_per_epoch": n_data // B, "rapid_ms": t_r * 1e3,
                    "pcd10_ms": t_p * 1e3, "pcd10_over_rapid": r,
                    "multiply_add_ratio": model})
    return out


def bench_public(dtype, rounds):
    """``rp.gibbs`` (20 sweeps) and one ``rp.train`` PCD-1 epoch (ten B=1000 batches)."""
    import rbmphys as rp
    B, n_sweeps, n_batches = 1000, 20, 10
    m = rp.BernoulliRBM.random(V, H, weight_scale=0.01, rng=0, dtype=dtype)
    v = _data(B, dtype)
    r_g, t_g, tf_g = ratio(lambda: rp.gibbs(m, v, n_sweeps=n_sweeps, rng=1),
                           _gibbs_floor(v, m.W, n_sweeps), rounds)
    data = _data(B * n_batches, dtype, seed=3)
    mt = m.copy()
    tr = rp.Trainer(mt, rp.PCD(k=1, n_chains=B), batch_size=B, lr=1e-4, rng=0)
    floor_epoch = _pcd_floor(v, m.W, n_batches)
    quiet = {"every": 0}
    r_t, t_t, tf_t = ratio(lambda: tr.fit(data, 1, monitor=quiet), floor_epoch, rounds)
    out = {"dtype": np.dtype(dtype).name, "gibbs20_ms": t_g * 1e3, "gibbs20_floor_ms": tf_g * 1e3,
           "gibbs_ratio_to_floor": r_g, "train_epoch_ms": t_t * 1e3,
           "train_floor_ms": tf_t * 1e3, "train_ratio_to_floor": r_t}
    try:
        from sklearn.neural_network import BernoulliRBM as SkRBM
    except ImportError:
        return out
    sk = SkRBM(n_components=H, batch_size=B, n_iter=1, learning_rate=1e-4, random_state=0)
    sk.partial_fit(data[:B])

    def sk_epoch():
        for i in range(n_batches):
            sk.partial_fit(data[i * B:(i + 1) * B])

    r_s, t_s, _ = ratio(sk_epoch, lambda: tr.fit(data, 1, monitor=quiet), rounds)
    out.update(sklearn_epoch_ms=t_s * 1e3, train_speedup_vs_sklearn=r_s)
    return out


def bench_ais(dtype, rounds):
    """One AIS / reverse-AIS step against one Gibbs step of ``ChainState.run`` (B=100)."""
    import rbmphys as rp
    B, n_betas = 100, 200
    m = rp.BernoulliRBM.random(V, H, weight_scale=0.01, rng=0, dtype=dtype)
    v = _data(B, dtype)
    st = rp.ChainState(m, v, rng=1)
    import warnings
    from rbmphys.samplers.ais import AISWarning
    warnings.filterwarnings("ignore", category=AISWarning)   # speed only is measured here
    r_a, t_a, t_g = ratio(lambda: rp.ais(m, n_chains=B, n_betas=n_betas, rng=2),
                          lambda: st.run(n_betas), rounds)
    r_r, t_r, _ = ratio(lambda: rp.reverse_ais(m, v, n_betas=n_betas, rng=3),
                        lambda: st.run(n_betas), rounds)
    return {"dtype": np.dtype(dtype).name, "chains": B, "betas": n_betas,
            "ais_step_us": t_a / n_betas * 1e6, "gibbs_step_us": t_g / n_betas * 1e6,
            "ais_over_gibbs": r_a, "reverse_ais_step_us": t_r / n_betas * 1e6,
            "reverse_ais_over_gibbs": r_r}


def machine_info():
    """Processor name, SIMD instruction set, cores and thread counts."""
    import os
    info = {"machine": platform.machine(), "processor": platform.processor(),
            "cores": os.cpu_count()}
    try:
        with open("/proc/cpuinfo") as fh:
            text = fh.read()
        names = [ln.split(":", 1)[1].strip() for ln in text.splitlines()
                 if ln.startswith("model name")]
        flags = next((ln.split(":", 1)[1].split() for ln in text.splitlines()
                      if ln.startswith("flags")), [])
        if names:
            info["processor"] = names[0]
        info["isa"] = ("AVX-512" if "avx512f" in flags else "AVX2" if "avx2" in flags
                       else "SSE/other")
    except OSError:
        info["isa"] = "unknown (no /proc/cpuinfo)"
    try:
        import numba
        info["numba_threads"] = numba.get_num_threads()
        info["numba_simd"] = str(numba.config.ENABLE_AVX)
    except Exception:                                   # pragma: no cover
        pass
    blas = _blas_info()
    if isinstance(blas, list):
        info["blas_threads"] = {b.get("internal_api", "?"): b.get("num_threads") for b in blas}
    return info


def bench_log_partition(V=16, H=1000, repeat=3, seed=0):
    """Time :func:`rbmphys.exact.log_partition` and :func:`log_partition_numpy` on one random
    model in the same process (after a warm-up call); best of ``repeat``."""
    import rbmphys as rp
    m = rp.BernoulliRBM.random(V, H, weight_scale=0.1, bias_scale=0.1, rng=seed)
    fast = rp.exact.log_partition(m)
    slow = rp.exact.log_partition_numpy(m)
    tf, ts = [], []
    for _ in range(repeat):
        t = time.perf_counter()
        rp.exact.log_partition(m)
        tf.append(time.perf_counter() - t)
        t = time.perf_counter()
        rp.exact.log_partition_numpy(m)
        ts.append(time.perf_counter() - t)
    return {"V": V, "H": H, "numba_s": min(tf), "numpy_s": min(ts),
            "speedup": min(ts) / min(tf), "abs_diff": abs(fast - slow), "log_z": fast}


def bench_exact(repeat):
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
    mi = machine_info()
    from . import __version__
    report = {**mi, "rbmphys": __version__, "python": platform.python_version(),
              "numpy": np.__version__,
              "blas": _blas_info(), "gibbs": [], "pcd": [], "gaussian_gibbs": []}
    print(f"{mi['processor']} ({mi.get('isa')}), {mi['cores']} cores; numba threads "
          f"{mi.get('numba_threads')}, BLAS threads {mi.get('blas_threads', '?')}")
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
    report["public"], report["ais"] = [], []
    for dt in (np.float32, np.float64):
        p = bench_public(dt, rounds)
        report["public"].append(p)
        sk = (f", speed-up over sklearn partial_fit {p['train_speedup_vs_sklearn']:.2f}x"
              if "train_speedup_vs_sklearn" in p else "")
        print(f"public API {p['dtype']}: rp.gibbs 20 sweeps B=1000 {p['gibbs_ratio_to_floor']:.3f}x"
              f" floor; rp.train PCD-1 epoch (10 x B=1000) {p['train_ratio_to_floor']:.3f}x "
              f"floor{sk}")
        a = bench_ais(dt, rounds)
        report["ais"].append(a)
        print(f"AIS {a['dtype']} (B=100): one AIS step {a['ais_over_gibbs']:.2f}x a Gibbs step, "
              f"reverse AIS {a['reverse_ais_over_gibbs']:.2f}x")
    try:
        e = bench_exact(2 if quick else 3)
        report["exact_log_z"] = e
        print(f"exact ln Z, V=16, H=1000: numba {e['numba_s']:.3f} s, NumPy chunked "
              f"{e['numpy_s']:.3f} s, speed-up {e['speedup']:.1f}x, |diff| {e['abs_diff']:.1e}")
    except ImportError as exc:
        print(f"exact ln Z skipped: {exc}")
    try:
        report["rapid"] = bench_rapid(3 if quick else 7)
        for r in report["rapid"]:
            print(f"RAPID epoch, {r['case']} (V={r['V']}, H={r['H']}, K={r['K']}, B={r['B']}):"
                  f" {r['rapid_ms']:.2f} ms; PCD-10 on {r['chains']} chains {r['pcd10_ms']:.2f} "
                  f"ms: PCD-10/RAPID = {r['pcd10_over_rapid']:.1f}x (App. D multiply-adds: "
                  f"{r['multiply_add_ratio']:.1f}x)")
    except ImportError as exc:
        print(f"RAPID skipped: {exc}")
    if json_path:
        with open(json_path, "w") as fh:
            json.dump(report, fh, indent=1, default=str)
        print(f"wrote {json_path}")
    return 0
