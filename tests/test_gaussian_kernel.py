"""The fused Gaussian half-step kernel (Box–Muller in pairs): its NumPy twin, its polynomials,
the conditional law it samples and its SIMD code."""

import math

import numpy as np
import pytest

import rbmphys as rp
from rbmphys.kernels._gaussian import _sample_gauss, sample_gaussian, sample_gaussian_np

SEED = 20240617


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("n", [1, 2, 3, 64, 501])
def test_kernel_equals_its_twin_bit_for_bit_for_any_chain_split(dtype, n):
    g = np.random.default_rng(SEED + n)
    pre = g.normal(size=(23, n)).astype(dtype)
    bias = g.normal(size=n).astype(dtype)
    a = sample_gaussian(pre, bias, 0.45, 2.5, 0x1234_5678_9ABC, chain0=7)
    np.testing.assert_array_equal(a, sample_gaussian_np(pre, bias, 0.45, 2.5, 0x1234_5678_9ABC,
                                                        chain0=7))
    assert a.dtype == dtype and np.all(np.isfinite(a))
    split = np.vstack([sample_gaussian(pre[:9], bias, 0.45, 2.5, 0x1234_5678_9ABC, chain0=7),
                       sample_gaussian(pre[9:], bias, 0.45, 2.5, 0x1234_5678_9ABC, chain0=16)])
    np.testing.assert_array_equal(a, split)
    out = np.empty_like(pre)
    assert sample_gaussian(pre, bias, 0.45, 2.5, 0x1234_5678_9ABC, 7, out) is out
    np.testing.assert_array_equal(out, a)


def test_polynomials_match_libm_and_their_twins():
    from numba import njit
    from rbmphys.kernels import _normal as N
    bits = np.random.default_rng(SEED).integers(0, 2**32, 20_000, dtype=np.uint64).astype(
        np.uint32)
    bits[:4] = [0, 1, 2**32 - 1, 2**31]

    @njit
    def run(bits, c64, s64, c32, s32, l32, u32):
        for i in range(bits.shape[0]):
            c64[i], s64[i] = N.quarter_sincos64(bits[i])
            c32[i], s32[i] = N.quarter_sincos32(bits[i])
            u32[i] = N.uniform31_f32(bits[i])
            l32[i] = N.log32(u32[i])

    c64, s64 = np.empty(len(bits)), np.empty(len(bits))
    c32, s32, l32, u32 = (np.empty(len(bits), np.float32) for _ in range(4))
    run(bits, c64, s64, c32, s32, l32, u32)
    for got, want in ((c64, s64), (c32, s32)):
        np.testing.assert_allclose(got**2 + want**2, 1.0, atol=4e-7)
    # the angle: quarter from the top two bits, 30 bits within the quarter
    theta = (bits >> 30) * (math.pi / 2) + ((bits & 0x3FFFFFFF) + 0.5) * (math.pi / 2) \
        * 2.0**-30 - math.pi / 4
    np.testing.assert_allclose(c64, np.cos(theta), rtol=0, atol=1e-15)
    np.testing.assert_allclose(s64, np.sin(theta), rtol=0, atol=1e-15)
    np.testing.assert_allclose(c32, np.cos(theta), rtol=0, atol=2e-7)
    np.testing.assert_allclose(s32, np.sin(theta), rtol=0, atol=2e-7)
    # the float32 uniform keeps 2**-31 resolution near 0 and lies in (0, 1]
    u = ((bits >> 1).astype(np.float64) + 0.5) * 2.0**-31
    np.testing.assert_allclose(u32, u, rtol=1.2e-7)         # one float32 rounding
    assert u32.min() > 0 and u32.max() <= 1
    np.testing.assert_allclose(l32, np.log(u32.astype(np.float64)), rtol=2e-7, atol=2e-7)
    assert np.all(l32 <= 0)
    # twins: the same bits
    for got, want in zip((c64, s64), N.quarter_sincos64_np(bits)):
        np.testing.assert_array_equal(got, want)
    for got, want in zip((c32, s32), N.quarter_sincos32_np(bits)):
        np.testing.assert_array_equal(got, want)
    np.testing.assert_array_equal(u32, N.uniform31_f32_np(bits))
    np.testing.assert_array_equal(l32, N.log32_np(u32))


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_samples_have_the_conditional_mean_and_variance(dtype):
    """p(x|f) = N(ς² f, ς²/β) at β = 2.5, ς² = 0.45, a bias and a field that differ per unit:
    means and variances within 4 standard errors, and the two members of a Box–Muller pair
    (units i and h + i) uncorrelated, in their values and in their squares."""
    var, beta, B, n = 0.45, 2.5, 40_000, 7
    g = np.random.default_rng(SEED)
    bias = g.normal(size=n).astype(dtype)
    pre = np.tile(g.normal(size=n), (B, 1)).astype(dtype)
    x = rp.units.Gaussian(var).sample(pre, bias, 0xC0FFEE, beta=beta).astype(np.float64)
    mean = var * (pre[0].astype(np.float64) + bias.astype(np.float64))
    sd = math.sqrt(var / beta)
    np.testing.assert_array_less(np.abs(x.mean(0) - mean), 4 * sd / math.sqrt(B))
    se_var = sd**2 * math.sqrt(2.0 / (B - 1))
    np.testing.assert_array_less(np.abs(x.var(0, ddof=1) - sd**2), 4 * se_var)
    z = (x - mean) / sd
    h = n // 2
    for i in range(h):
        for a, b in ((z[:, i], z[:, h + i]), (z[:, i]**2 - 1, z[:, h + i]**2 - 1)):
            r = np.corrcoef(a, b)[0, 1]
            assert abs(r) < 4 / math.sqrt(B), (i, r)
    # fourth moment (3 for a normal; SE of the mean of z⁴ is √96/√B)
    np.testing.assert_array_less(np.abs((z**4).mean(0) - 3.0), 4 * math.sqrt(96 / B))


def test_half_step_of_the_scalar_field_rbm_samples_its_conditional():
    """The engine's hidden half-step through the kernel: h | φ ~ N(σ_h²(b + Wᵀφ), σ_h²/β)."""
    from rbmphys.samplers._engine import half_step
    W = np.random.default_rng(1).normal(0.0, 0.2, size=(6, 5))
    m = rp.GaussianRBM(W, 4.0, 0.7, eta=np.linspace(-1.0, 1.0, 5))
    assert np.any(m.b != 0)
    beta, B = 0.6, 30_000
    phi = np.tile(np.random.default_rng(2).normal(size=6), (B, 1))
    h = half_step(m, "hidden", phi, 0xBEEF, beta=beta)
    var = m.hidden.variance
    mean = var * (m.b + phi[0] @ m.W)
    sd = math.sqrt(var / beta)
    np.testing.assert_array_less(np.abs(h.mean(0) - mean), 4 * sd / math.sqrt(B))
    np.testing.assert_array_less(np.abs(h.var(0, ddof=1) - sd**2),
                                 4 * sd**2 * math.sqrt(2.0 / (B - 1)))


def test_kernel_vectorises():
    """Packed square roots in both precisions (the pairs' loop runs on SIMD registers)."""
    import platform
    import llvmlite.binding as ll
    from numba.core import config
    feats = ({f[1:]: f[0] == "+" for f in config.CPU_FEATURES.split(",") if f}
             if config.CPU_FEATURES else dict(ll.get_host_cpu_features()))
    if platform.machine().lower() not in ("x86_64", "amd64") or not feats.get("avx2", False):
        pytest.skip("packed-code check written for x86-64 with AVX2")
    import re
    import numba
    f = numba.njit(error_model="numpy")(_sample_gauss.py_func)      # uncached: inspectable
    for dt, op in ((np.float32, "vsqrtps"), (np.float64, "vsqrtpd")):
        c = dt(0.5)
        f(np.zeros((2, 64), dt), np.zeros(64, dt), c, c, *np.arange(1, 5, dtype=np.uint32), 0,
          np.empty((2, 64), dt))
        sig = [s for s in f.signatures if s[0].dtype == numba.from_dtype(np.dtype(dt))][0]
        assert re.search(op + r"\s+[^\n]*%[yz]mm", f.inspect_asm(sig)), dt
