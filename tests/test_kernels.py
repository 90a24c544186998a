"""numba kernels against their NumPy twins (bit for bit) and against the exact functions."""

from __future__ import annotations

import numba
import numpy as np
import pytest
from numba import njit
from scipy import stats

from rbmphys.kernels import _gibbs as K
from rbmphys.kernels import reference as R
from rbmphys.kernels._rng import (derive_key, exp32, exp32_np, exp64, exp64_np, exp64s,
                                  exp64s_np, split_key,
                                  uniform32, uniform32_np, uniform64, uniform64_np, U32)

SEED = 1123


@njit
def _exp64_array(x, out):
    for i in range(x.size):
        out[i] = exp64(x[i])


@njit
def _exp32_array(x, out):
    for i in range(x.size):
        out[i] = exp32(x[i])


@njit
def _exp64s_array(x, out):
    for i in range(x.size):
        out[i] = exp64s(x[i])


@njit
def _u64_array(k0, k1, out):
    for i in range(out.size):
        out[i] = uniform64(k0, k1, U32(i))


@njit
def _u32_array(k0, k1, out):
    for i in range(out.size):
        out[i] = uniform32(k0, k1, U32(i))


def test_exponentials_are_accurate_and_twins_are_bitwise_equal():
    x = np.linspace(-45, 45, 200_001)
    out = np.empty_like(x)
    _exp64_array(x, out)
    exact = np.exp(np.clip(x, -40, 40))
    assert np.max(np.abs(out / exact - 1)) < 5e-16 * 2      # documented bound, with margin 2
    np.testing.assert_array_equal(out, exp64_np(x))
    _exp64s_array(x, out)
    assert np.max(np.abs(out / exact - 1)) < 1e-11              # sampling exponential
    np.testing.assert_array_equal(out, exp64s_np(x))
    x32 = x.astype(np.float32)
    out32 = np.empty_like(x32)
    _exp32_array(x32, out32)
    exact32 = np.exp(np.clip(x32.astype(np.float64), -40, 40))
    assert np.max(np.abs(out32 / exact32 - 1)) < 2e-7        # documented bound
    np.testing.assert_array_equal(out32, exp32_np(x32))


@pytest.mark.parametrize("width", [64, 32])
def test_uniforms_are_uniform_and_twins_match(width):
    key = derive_key(SEED, 3, 1)
    k0, k1 = split_key(key)
    n = 200_000
    out = np.empty(n, np.float64 if width == 64 else np.float32)
    (_u64_array if width == 64 else _u32_array)(k0, k1, out)
    twin = (uniform64_np if width == 64 else uniform32_np)(key, np.arange(n))
    np.testing.assert_array_equal(out, twin)
    assert 0 < out.min() and out.max() < 1
    # Kolmogorov-Smirnov against U(0,1); deterministic for this key, p > 0.01
    assert stats.kstest(out.astype(np.float64), "uniform").pvalue > 0.01
    # successive draws uncorrelated: |corr| < 4 / sqrt(n)
    assert abs(np.corrcoef(out[:-1], out[1:])[0, 1]) < 4 / np.sqrt(n)


def test_keys_differ_across_steps_and_layers():
    keys = {derive_key(SEED, t, layer) for t in range(1000) for layer in (0, 1)}
    assert len(keys) == 2000


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("gain,lo", [(1.0, 0.0), (2.0, -1.0), (0.37, 0.0), (0.8, -1.0)])
def test_sampling_kernels_equal_numpy_twins_bit_for_bit(dtype, gain, lo):
    rng = np.random.default_rng(SEED)
    pre = rng.normal(0, 3, (37, 53)).astype(dtype)
    bias = rng.normal(0, 1, 53).astype(dtype)
    key = derive_key(SEED, 7)
    s = K.sample_layer(pre, bias, gain, lo, key, chain0=5)
    np.testing.assert_array_equal(s, R.sample_layer(pre, bias, gain, lo, key, chain0=5))
    assert s.dtype == dtype and set(np.unique(s)) <= {lo, 1.0}
    m = K.mean_layer(pre, bias, gain, lo < 0)
    np.testing.assert_array_equal(m, R.mean_layer(pre, bias, gain, lo < 0))
    m = K.mean_layer(pre, bias, gain, lo < 0, scale=-0.3)
    np.testing.assert_array_equal(m, R.mean_layer(pre, bias, gain, lo < 0, scale=-0.3))
    mo, so = np.empty_like(pre), np.empty_like(pre)
    K.mean_and_sample_layer(pre, bias, gain, lo, key, 5, 0.25, mo, so)
    mr, sr = R.mean_and_sample_layer(pre, bias, gain, lo, key, 5, 0.25)
    np.testing.assert_array_equal(mo, mr)
    np.testing.assert_array_equal(so, sr)
    # same uniforms as sample_layer (whose float64 exp is the degree-9 one: draws could differ
    # only where u(1+e^{-x}) lies within 1e-11 of 1 — none here)
    np.testing.assert_array_equal(so, s)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_means_are_the_logistic_function(dtype):
    rng = np.random.default_rng(SEED)
    pre = rng.normal(0, 5, (20, 30)).astype(dtype)
    bias = np.zeros(30, dtype)
    x = pre.astype(np.float64)
    tol = 1e-15 if dtype == np.float64 else 3e-7      # exp64 / exp32 accuracy
    np.testing.assert_allclose(K.mean_layer(pre, bias, 1.0, False), 1 / (1 + np.exp(-x)),
                               rtol=tol, atol=tol)
    np.testing.assert_allclose(K.mean_layer(pre, bias, 2.0, True), np.tanh(x), rtol=4 * tol,
                               atol=4 * tol)


def test_chain_slices_give_the_same_samples():
    rng = np.random.default_rng(SEED)
    pre = rng.normal(0, 1, (40, 11))
    bias = np.zeros(11)
    key = derive_key(SEED, 1)
    whole = K.sample_layer(pre, bias, 1.0, 0.0, key, chain0=0)
    parts = np.vstack([K.sample_layer(pre[:13], bias, 1.0, 0.0, key, chain0=0),
                       K.sample_layer(pre[13:], bias, 1.0, 0.0, key, chain0=13)])
    np.testing.assert_array_equal(whole, parts)


def test_sampling_frequencies_match_the_logistic_probability():
    # one unit per chain, 400 000 chains, p = sigma(x) for a few x: |freq - p| < 5 SEM
    n = 400_000
    for dtype in (np.float32, np.float64):
        for x in (-3.0, -0.2, 0.0, 1.5, 6.0):
            pre = np.full((n, 1), x, dtype)
            s = K.sample_layer(pre, np.zeros(1, dtype), 1.0, 0.0, derive_key(SEED, int(10 * x)))
            p = 1 / (1 + np.exp(-x))
            assert abs(s.mean() - p) < 5 * np.sqrt(p * (1 - p) / n)


def test_results_do_not_depend_on_numba_thread_count():
    rng = np.random.default_rng(SEED)
    pre = rng.normal(0, 1, (64, 33))
    bias = rng.normal(0, 1, 33)
    key = derive_key(SEED, 2)
    n0 = numba.get_num_threads()
    try:
        numba.set_num_threads(1)
        one = K.sample_layer(pre, bias, 1.0, 0.0, key)
        numba.set_num_threads(numba.config.NUMBA_NUM_THREADS)
        many = K.sample_layer(pre, bias, 1.0, 0.0, key)
    finally:
        numba.set_num_threads(n0)
    np.testing.assert_array_equal(one, many)


def test_counter_space_is_checked():
    pre = np.zeros((2, 3))
    with pytest.raises(ValueError, match="exceed the 2\\*\\*32 counters"):
        K.sample_layer(pre, np.zeros(3), 1.0, 0.0, 1, chain0=2**31)


# ------------------------------------------------------------------ the uniform stream, bit by bit
def _bits(key, n=2**20):
    from rbmphys.kernels._rng import hash_counter_np
    x = hash_counter_np(key, np.arange(n, dtype=np.uint32))
    return x, ((x[:, None] >> np.arange(32, dtype=np.uint32)) & 1).astype(np.int8)


def test_counter_hash_bits_are_fair_and_serially_independent():
    """2^20 consecutive counters of one key: every bit is set half of the time and agrees with
    the same bit of the next counter half of the time (5 standard errors, 0.5/√N = 4.9e-4)."""
    from rbmphys.kernels._rng import derive_key
    x, b = _bits(derive_key(7, 0))
    n = len(x)
    tol = 5 * 0.5 / np.sqrt(n)
    assert np.max(np.abs(b.mean(0) - 0.5)) < tol
    assert np.max(np.abs((b[1:] == b[:-1]).mean(0) - 0.5)) < tol
    assert len(np.unique(x)) == n                          # a bijection of the counter
    # the top byte (what the float32 uniforms use first) is uniform: chi-square, 255 dof
    from scipy import stats
    counts = np.bincount((x >> np.uint32(24)).astype(np.int64), minlength=256)
    assert stats.chisquare(counts).pvalue > 1e-4


def test_counter_hash_streams_of_nearby_keys_are_uncorrelated():
    """Keys that differ in one bit of either half (worse than SplitMix-derived keys): the
    uniforms of the two streams have correlation within 5/√N and their bits agree half of the
    time."""
    from rbmphys.kernels._rng import uniform64_np
    n = 2**18
    key = 0x1234567887654321
    u0 = uniform64_np(key, np.arange(n, dtype=np.uint32))
    for flip in (0, 1, 31, 32, 33, 63):
        u1 = uniform64_np(key ^ (1 << flip), np.arange(n, dtype=np.uint32))
        r = np.corrcoef(u0, u1)[0, 1]
        assert abs(r) < 5 / np.sqrt(n), (flip, r)
        same = np.mean((u0 < 0.5) == (u1 < 0.5))
        assert abs(same - 0.5) < 5 * 0.5 / np.sqrt(n), (flip, same)


def test_sampling_kernels_vectorise():
    """The fused float32 sampling pass compiles to packed SIMD code, with the hash's 32-bit
    multiplies packed (three per uniform: the Weyl step n·γ is a running sum there).

    What "packed" looks like depends on the processor, which the test asks llvmlite (the
    features LLVM compiles for): ``vpmulld`` on ymm registers with AVX2, on zmm when 512-bit
    vectors are enabled on AVX-512 hosts, ``pmulld`` on xmm with SSE4.1 only; a processor
    without packed 32-bit multiplies (or not x86) has nothing to check."""
    import platform
    import re
    import llvmlite.binding as ll
    import numba
    from rbmphys import kernels
    from rbmphys.kernels import _gibbs as G
    from numba.core import config
    if config.CPU_FEATURES:                       # NUMBA_CPU_FEATURES (or rbmphys) chose them
        feats = {f[1:]: f[0] == "+" for f in config.CPU_FEATURES.split(",") if f}
    else:
        feats = dict(ll.get_host_cpu_features())
    if platform.machine().lower() not in ("x86_64", "amd64"):
        pytest.skip(f"packed-multiply check written for x86-64, this is {platform.machine()}")
    if feats.get("avx2", False):
        pattern, what = r"vpmulld\s+[^\n]*%[yz]mm", "vpmulld on ymm/zmm (AVX2)"
    elif feats.get("sse4.1", False):
        pattern, what = r"v?pmulld\s+[^\n]*%xmm", "pmulld on xmm (SSE4.1)"
    else:
        pytest.skip("no packed 32-bit multiply on this processor (no SSE4.1)")
    f = numba.njit(error_model="numpy")(G._sample_f32.py_func)    # uncached: inspectable
    pre = np.zeros((2, 64), np.float32)
    out = np.empty_like(pre)
    f(pre, np.zeros(64, np.float32), np.float32(1), np.float32(0), np.uint32(1),
      np.uint32(2), 0, out)
    asm = next(iter(f.inspect_asm().values()))
    packed = len(re.findall(pattern, asm))
    assert packed >= 3, f"the counter hash is not vectorised: {packed} x {what}"
    if kernels.VECTOR_WIDTH == 512:
        assert "%zmm" in asm


def test_gather_rows_equals_fancy_indexing():
    from rbmphys.kernels._gibbs import gather_rows
    for dtype in (np.float32, np.float64):
        data = np.random.default_rng(0).random((50, 13)).astype(dtype)
        idx = np.random.default_rng(1).permutation(50)[:17]
        out = np.empty((17, 13), dtype)
        assert gather_rows(data, idx, out) is out
        np.testing.assert_array_equal(out, data[idx])


def test_all_in_pair_finds_every_stray_value():
    from rbmphys.kernels._gibbs import all_in_pair
    for dtype in (np.float32, np.float64):
        x = (np.random.default_rng(2).random((40, 9)) < 0.5).astype(dtype)
        assert all_in_pair(x, 0.0, 1.0) and not all_in_pair(x, -1.0, 1.0)
        for bad in (0.5, np.nan, np.inf, -1.0):
            y = x.copy()
            y[39, 8] = bad                              # the very last entry
            assert not all_in_pair(y, 0.0, 1.0)
    assert all_in_pair(np.zeros((3, 3), np.int64), 0, 1) is None      # NumPy path for ints
    assert all_in_pair(np.zeros((3, 3))[:, :2], 0, 1) is None         # and for strided views


def test_compiled_key_derivation_equals_the_python_reference():
    """derive_key runs compiled uint64 SplitMix64 steps for 1–3 counters; the Python-integer
    reference (any counters, any size) must give the same bits, wrap-around included."""
    from rbmphys.kernels._rng import derive_key, derive_key_py
    g = np.random.default_rng(11)
    for _ in range(3000):
        key = int(g.integers(-2**63, 2**63)) if g.random() < 0.3 else int(g.integers(0, 2**63))
        counters = [int(g.integers(0, 2**63 if g.random() < 0.5 else 50))
                    for _ in range(int(g.integers(0, 5)))]
        assert derive_key(key, *counters) == derive_key_py(key, *counters)
    for key, counters in [(2**64 + 5, (1,)), (3, (2**64 + 1,)), (2**63 + 9, (4, 2)),
                          (7, (np.uint32(3), 1))]:
        got = derive_key(key, *counters)
        assert isinstance(got, int) and got == derive_key_py(key, *counters)


def test_box_muller_log_and_cosine_are_accurate_and_twins_are_bitwise_equal():
    """The vectorisable ln and cos(2π·) of the Gaussian kernels against libm (math.log,
    math.cos) on every kind of uniform the counter RNG makes, and their NumPy twins."""
    import math
    from numba import njit
    from rbmphys.kernels._normal import (box_muller, box_muller_np, cos2pi64, cos2pi64_np,
                                         log64, log64_np)

    @njit
    def run(u1, u2, lo, co, bm):
        for i in range(u1.shape[0]):
            lo[i] = log64(u1[i])
            co[i] = cos2pi64(u1[i])
            bm[i] = box_muller(u1[i], u2[i])

    k = np.random.default_rng(4).integers(0, 2**31, size=200_000)
    edges = np.array([0, 1, 2**30 - 1, 2**30, 2**31 - 1, 3 * 2**29, 0x5A827999, 0x5A82799A])
    u1 = (np.concatenate([k, edges]) + 0.5) * 2.0**-31          # the uniforms of uniform64
    u2 = u1[::-1].copy()
    lo, co, bm = (np.empty_like(u1) for _ in range(3))
    run(u1, u2, lo, co, bm)
    ln_ref = np.array([math.log(x) for x in u1])
    cos_ref = np.array([math.cos(2 * math.pi * x) for x in u1])
    assert np.max(np.abs(lo - ln_ref) / np.abs(ln_ref)) < 1e-15
    assert np.max(np.abs(co - cos_ref)) < 1e-15
    np.testing.assert_array_equal(lo, log64_np(u1))
    np.testing.assert_array_equal(co, cos2pi64_np(u1))
    np.testing.assert_array_equal(bm, box_muller_np(u1, u2))
    # and the deviates are standard normal: mean, variance, kurtosis within 5 standard errors
    n = len(bm)
    assert abs(bm.mean()) < 5 / np.sqrt(n)
    assert abs(bm.var() - 1) < 5 * np.sqrt(2 / n)
    assert abs(np.mean(bm**4) - 3) < 5 * np.sqrt(96 / n)
