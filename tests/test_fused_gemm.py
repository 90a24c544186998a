"""The accumulating GEMM W += α XᵀY (one BLAS call through NumPy's own BLAS) and the deferred
weight increment that uses it.

Tolerances: a GEMM sums K products in an order BLAS chooses, so the comparison with a float64
reference allows K·eps relative error (1e-5 for float32 with K ≤ 400, 1e-12 for float64).
"""

import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest

import rbmphys as rp
from rbmphys.kernels import _blas
from rbmphys.models._increments import ProductIncrement

TOL = {np.float32: 1e-5, np.float64: 1e-12}


def _factors(dtype, K=300, M=70, N=50, seed=0):
    g = np.random.default_rng(seed)
    X = (g.random((K, M)) < 0.3).astype(dtype)
    Y = (g.random((K, N)) - 0.5).astype(dtype)
    C = g.normal(size=(M, N)).astype(dtype)
    return X, Y, C


def _reference(X, Y, C, alpha):
    return C.astype(np.float64) + alpha * (X.T.astype(np.float64) @ Y.astype(np.float64))


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("fused", [True, False])
def test_gemm_tn_add_accumulates_the_product(dtype, fused, monkeypatch):
    if not fused:
        monkeypatch.setattr(_blas, "_FUNCS", {})          # force the np.dot + add fallback
    X, Y, C = _factors(dtype)
    want = _reference(X, Y, C, -0.37)
    out = _blas.gemm_tn_add(X, Y, C, -0.37)
    assert out is C and C.dtype == dtype
    np.testing.assert_allclose(C, want, rtol=TOL[dtype], atol=TOL[dtype])


def test_gemm_tn_add_takes_row_blocks_and_rejects_bad_shapes():
    X, Y, C = _factors(np.float64)
    want = _reference(X[100:], Y[100:], C, 1.0)
    _blas.gemm_tn_add(X[100:], Y[100:], C)                # row blocks stay C-contiguous
    np.testing.assert_allclose(C, want, rtol=1e-12)
    with pytest.raises(ValueError, match="do not match"):
        _blas.gemm_tn_add(X, Y[:10], C)


def test_numpy_openblas_wheels_get_the_one_call_path():
    """On NumPy's own OpenBLAS builds (the pip wheels) the fused symbol must be found: otherwise
    the PCD update pays an extra pass over W and ``rbmphys bench`` would not show it."""
    cfg = np.show_config(mode="dicts")["Build Dependencies"]["blas"]
    if cfg.get("name") != "scipy-openblas" or "USE64BITINT" not in cfg.get(
            "openblas configuration", ""):
        pytest.skip(f"NumPy links {cfg.get('name')}: the fallback path is used (tested above)")
    assert _blas.fused_gemm_available(np.float32) and _blas.fused_gemm_available(np.float64)


def test_product_increment_behaves_like_its_array():
    X, Y, C = _factors(np.float64, seed=1)
    inc = ProductIncrement(X, Y, 0.5)
    arr = np.array(np.asarray(inc))
    np.testing.assert_allclose(arr, 0.5 * X.T @ Y, rtol=1e-12)
    assert inc.shape == arr.shape and np.size(inc) == arr.size
    np.testing.assert_allclose(np.asarray(-inc), -arr, rtol=1e-12)
    np.testing.assert_allclose(np.asarray(3 * inc), 3 * arr, rtol=1e-12)
    np.testing.assert_allclose(inc - C, arr - C, rtol=1e-12)
    want = C + arr
    inc.add_to(C)
    np.testing.assert_allclose(C, want, rtol=1e-12)


@pytest.mark.parametrize("momentum,decay", [(0.0, 0.0), (0.5, 0.0), (0.0, 0.01)])
def test_fused_update_equals_the_array_update(momentum, decay, monkeypatch):
    """A PCD run whose weight increment is added by the fused GEMM equals the same run with the
    increment formed as an array and added by NumPy (up to GEMM rounding)."""
    data = rp.datasets.bars(4)

    def run():
        m = rp.BernoulliRBM.random(16, 12, weight_scale=0.2, rng=0)
        rp.train(m, data, rp.PCD(k=1, n_chains=20), epochs=3, batch_size=8, lr=0.05,
                 momentum=momentum, weight_decay=decay, rng=1, monitor={"every": 0})
        return m.W
    fused = run()
    monkeypatch.setattr(ProductIncrement, "add_to", property(lambda self: None))
    plain = run()
    # trajectories agree to a few ulps: sampling is a step function of the fields, so an
    # ulp-level difference could flip a unit only if a uniform fell within it (p ~ 1e-14)
    np.testing.assert_allclose(fused, plain, rtol=1e-10, atol=1e-12)


THREADS = textwrap.dedent("""
    import hashlib, sys, numpy as np, rbmphys as rp
    from rbmphys.kernels import _blas
    data = (np.random.default_rng(0).random((800, 256)) < 0.3).astype(np.float32)
    m = rp.BernoulliRBM.random(256, 128, weight_scale=0.05, rng=1, dtype=np.float32)
    W0 = m.W.copy()
    rp.train(m, data, rp.PCD(k=1, n_chains=200), epochs=2, batch_size=200, lr=0.05, rng=2,
             monitor={"every": 0})
    # one large product through the fused GEMM, in float64 (its rounding is K·eps)
    g = np.random.default_rng(3)
    X, Y = g.random((600, 300)), g.random((600, 400)) - 0.5
    C = np.zeros((300, 400))
    _blas.gemm_tn_add(X, Y, C, 1.0)
    np.savez(sys.argv[1], W=m.W, W0=W0, C=C)
    print(hashlib.sha256(m.W.tobytes() + m.a.tobytes() + m.b.tobytes()).hexdigest())
""")


def _blas_description():
    """What threadpoolctl says is loaded (for the failure message), or why it cannot say."""
    try:
        from threadpoolctl import threadpool_info
    except ImportError:                                   # pragma: no cover - test extra has it
        return "threadpoolctl not installed"
    return "; ".join(f"{d.get('internal_api')} {d.get('version')} {d.get('architecture')} "
                     f"threads={d.get('num_threads')}" for d in threadpool_info()
                     if d.get("user_api") == "blas") or "no BLAS reported"


def _train_with_blas_threads(tmp_path, n, tag):
    script = tmp_path / "blas_threads.py"
    script.write_text(THREADS)
    out = tmp_path / f"run_{n}_{tag}.npz"
    env = {**os.environ, "OPENBLAS_NUM_THREADS": n, "OMP_NUM_THREADS": n}
    r = subprocess.run([sys.executable, str(script), str(out)], env=env, capture_output=True,
                       text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    return r.stdout.strip(), dict(np.load(out))


def test_same_seed_and_blas_thread_count_give_the_same_bits(tmp_path):
    """The promise of :mod:`rbmphys.conventions`, first half: a rerun with the same seed and the
    same BLAS thread count reproduces the trained parameters bit for bit (two processes)."""
    for n in ("1", "2"):
        first, _ = _train_with_blas_threads(tmp_path, n, "a")
        second, _ = _train_with_blas_threads(tmp_path, n, "b")
        assert first == second, f"{n} BLAS thread(s), {_blas_description()}"


def test_other_blas_thread_counts_agree_to_rounding(tmp_path):
    """The promise's second half: with 1 and with 2 BLAS threads the results agree to rounding,
    not necessarily bit for bit (how OpenBLAS partitions a GEMM depends on the kernel and cache
    sizes it detects, so no assumption about the partition is made here).

    Tolerances: the float64 product sums K = 600 terms of size <= 1, so any summation order
    stays within K·eps·max|x y| ~ 1e-13 of any other.  The float32 training can flip a unit whose
    uniform lies within round-off of its probability, after which one chain out of 200 follows
    another trajectory; such a chain moves W by at most lr/n_chains per entry and update, so
    the two runs must agree to 5 % of the distance training moved W (observed: 1e-6 of it).
    """
    _, one = _train_with_blas_threads(tmp_path, "1", "a")
    _, two = _train_with_blas_threads(tmp_path, "2", "a")
    info = _blas_description()
    np.testing.assert_allclose(one["C"], two["C"], rtol=0, atol=600 * np.finfo(float).eps * 4,
                               err_msg=info)
    moved = np.linalg.norm(one["W"] - one["W0"])
    assert moved > 0.1, "training did not move W: the comparison would be empty"
    assert np.linalg.norm(one["W"] - two["W"]) <= 0.05 * moved, info
