"""Tests for mutants that survived the fourth round of mutation runs (``benchmarks/mutation/
scores.md``, "Round 4": seed-23 samples of ``symbolic/numeric.py`` and ``symbolic/series.py``;
"Round 5": the seed-25 sample of ``kernels/_langevin.py``).

Each test checks the behaviour against a route that does not go through the code under test:
exact values computed by hand or by Python itself, never a stored output of the code.
"""

from __future__ import annotations

import pytest

sp = pytest.importorskip("sympy")

from rbmphys.symbolic import to_numeric, to_ufunc  # noqa: E402


# ------------------------------------------------------------------ symbolic/numeric.py
def test_to_numeric_default_is_plain_numpy_for_constructs_numba_cannot_compile():
    """Round 4 (``njit=False`` default turned to ``True``): the default bridge is plain NumPy
    lambdify, so it evaluates expressions that numba's nopython mode cannot type (a
    ``Piecewise``, which lambdify writes as ``numpy.select``; a ``Max``, written as
    ``numpy.amax(..., axis=0)``).  Expected values are the definitions, evaluated by Python:
    exact in float64 (a selection and a maximum involve no rounding)."""
    x, y = sp.symbols("x y")
    ramp = to_numeric(sp.Piecewise((x, x > 0), (0, True)), [x])
    for v in (-1.5, 0.0, 2.25):
        assert ramp([v]) == (v if v > 0 else 0.0)
    top = to_numeric(sp.Max(x, y), [x, y])
    for a, b in ((0.0, 1.0), (3.5, -2.0), (-1.0, -1.0)):
        assert top([a, b]) == max(a, b)
    both = to_numeric(sp.Matrix([sp.Max(x, y), sp.Min(x, y)]), [x, y])
    assert both([3.5, -2.0]).tolist() == [3.5, -2.0]


def test_to_numeric_wrong_length_argument_message_counts_the_entries():
    """Round 4 (the count in the message, ``a.shape[0]`` turned to ``a.shape[1]``: an
    IndexError instead of the ValueError): an argument with the wrong number of entries is a
    ValueError that names the symbols expected and the number of entries given, here 3 for a
    2-symbol group (and 1 for a scalar, which is reshaped to one entry)."""
    x, y, k = sp.symbols("x y k")
    f = to_numeric(-k * x + y, [x, y], [k], name="rhs")
    assert f([1.0, 2.0], [0.5]) == -0.5 * 1.0 + 2.0      # exact in binary floating point
    with pytest.raises(ValueError, match=r"argument 0 of rhs must have 2 entries \(x, y\), "
                                         r"got 3$"):
        f([1.0, 2.0, 3.0], [0.5])
    with pytest.raises(ValueError, match=r"argument 1 of rhs must have 1 entries \(k\), got 2$"):
        f([1.0, 2.0], [0.5, 0.25])
    with pytest.raises(ValueError, match=r"argument 0 of rhs must have 2 entries \(x, y\), "
                                         r"got 1$"):
        f(1.0, [0.5])
    with pytest.raises(TypeError, match="rhs takes 2 argument arrays, got 1"):
        f([1.0, 2.0])


# ------------------------------------------------- round-3 survivors re-run through cosmic-ray
def test_gaussian_flow_refuses_unstable_initial_couplings_itself():
    """theory/_flow.py:176 (``not mu2 > bound`` turned to ``not mu2 is not bound``, i.e. the
    flow's own check removed).  The round-3 test matched only "stability bound", which the
    GaussianRBM constructor (reached when the flow's check is gone) also says, so the mutant
    survived the cosmic-ray re-run.  Here the initial couplings are given, W0 = [[2, 0], [0, 1],
    [0, 0]], so the bound σ_h² max eig(W0 W0ᵀ) = 0.5 · 4 = 2 is known exactly at σ_h² = 0.5;
    the flow itself refuses μ² = 1.5 and μ² = 2 (at the bound) naming the initial couplings, and
    above the bound it starts from K = μ² − σ_h² W0 W0ᵀ, eigenvalues μ² − 0.5·{4, 1, 0}."""
    import numpy as np
    import rbmphys as rp
    K = rp.datasets.lattice_kernel((3,), 0.5)
    W0 = np.array([[2.0, 0.0], [0.0, 1.0], [0.0, 0.0]])
    for mu2 in (1.5, 2.0):
        with pytest.raises(ValueError, match=rf"mu2 = {mu2:g} is at or below the stability "
                                             r"bound .* = 2 of the initial couplings"):
            rp.theory.gaussian_flow(K, 2, mu2, 0.5, init=W0, t_max=1.0)
    r = rp.theory.gaussian_flow(K, 2, 2.5, 0.5, init=W0, t_max=1.0, n_points=5)
    # eigvalsh of a 3 x 3 matrix with entries of order 1: round-off ~1e-15, 1e-12 is generous
    np.testing.assert_allclose(r.eigenvalues[0], [0.5, 2.0, 2.5], atol=1e-12)


def test_ou_propagator_check_returns_the_residual(monkeypatch):
    """symbolic/fokker_planck.py:108 (``∂_t p − FP[p]`` turned to ``∂_t p mod FP[p]``): for the
    true propagator both vanish, so the check is also run on an operator planted at half its
    size, where the residual (∂_t p − FP[p]/2)/p must be ∂_t ln p / 2 (since FP[p] = ∂_t p).
    The Gaussian is written here again from the docstring; both sides are evaluated at a
    generic point (Γ = 0.7, v₀ = 0.3, m₀ = 0.4, z = 0.9, t = 0.35): float64 evaluation of the
    same rational-exponential function, so 1e-10 relative covers the round-off."""
    from rbmphys.symbolic import fokker_planck as F
    assert F.ou_propagator_check() == 0
    z, t = sp.symbols("z t", real=True)
    G, v0 = sp.symbols("Gamma v0", positive=True)
    m0 = sp.symbols("m0", real=True)
    v = 1 / G + (v0 - 1 / G) * sp.exp(-2 * G * t)
    logp = -(z - m0 * sp.exp(-G * t)) ** 2 / (2 * v) - sp.log(2 * sp.pi * v) / 2
    point = {G: sp.Rational(7, 10), v0: sp.Rational(3, 10), m0: sp.Rational(2, 5),
             z: sp.Rational(9, 10), t: sp.Rational(7, 20)}
    want = float((sp.diff(logp, t) / 2).subs(point))
    orig = F.fokker_planck_operator
    monkeypatch.setattr(F, "fokker_planck_operator", lambda p, Phi, zs: orig(p, Phi, zs) / 2)
    got = float(F.ou_propagator_check().subs(point))
    assert abs(want) > 0.1                # the planted residual is far from zero at this point
    assert got == pytest.approx(want, rel=1e-10)


# ------------------------------------------ second sample (seed 24, 12 more mutants per module)
def test_to_numeric_with_many_argument_groups():
    """numeric.py:101 (``len(args) != len(groups)`` turned to ``is not``): CPython keeps one
    object per small int (-5 ... 256), so identity agrees with equality for the usual handful
    of argument groups; with 300 groups the two lengths are distinct int objects and an
    identity test refuses a correct call.  The sum of 300 values is checked against math.fsum
    (correctly rounded; a float64 sum of 300 terms of order 1 is within ~300 ulp of it, so
    rel 1e-12)."""
    import math

    import numpy as np
    xs = sp.symbols("x0:300")
    vals = np.random.default_rng(24).normal(size=300)
    f = to_numeric(sp.Add(*xs), *[[s] for s in xs], name="sum300")
    assert f(*[[v] for v in vals]) == pytest.approx(math.fsum(vals), rel=1e-12)
    with pytest.raises(TypeError, match="sum300 takes 300 argument arrays, got 299"):
        f(*[[v] for v in vals[:-1]])


def test_to_ufunc_with_many_symbols():
    """numeric.py:144 (``len(args) != len(symbols)`` turned to ``is not``), the same small-int
    trap as :101, in to_ufunc: once it broadcasts with ``np.broadcast_shapes`` (no 64-array cap)
    a 300-symbol expression is a valid call, refused by an identity test.  Sum of 300 arrays of
    shape (2,) against math.fsum per entry (rel 1e-12, as above), broadcast against a (3, 1)."""
    import math

    import numpy as np
    xs = sp.symbols("y0:300")
    vals = np.random.default_rng(25).normal(size=(300, 2))
    f = to_ufunc(sp.Add(*xs), xs, name="usum300")
    out = f(*vals[:-1], np.ones((3, 1)) * vals[-1])
    assert out.shape == (3, 2)
    want = [math.fsum(vals[:, j]) for j in range(2)]
    np.testing.assert_allclose(out, np.tile(want, (3, 1)), rtol=1e-12)
    with pytest.raises(TypeError, match="usum300 takes 300 arguments"):
        f(*vals[:-1])


def test_lncosh_coefficients_up_to_the_documented_limit_against_bernoulli():
    """series.py:40 (``MAX_LNCOSH_TERMS = 40`` turned to 39) and :65 (``lncosh_series(2 * n +
    1)`` turned to ``2 ** n + 1``: the same coefficients, from a series of order 2^n + 1, which
    at n = 40 never finishes: killed by the timeout).  The documented largest n, 40, is
    accepted, and all 40 coefficients are the tangent numbers c_k = 2^{2k}(2^{2k} − 1)|B_{2k}|/(2k)
    (exact integers, Bernoulli numbers from sympy); n = 41 is refused."""
    from rbmphys.symbolic import lncosh_coefficients
    want = [2 ** (2 * k) * (2 ** (2 * k) - 1) * abs(sp.bernoulli(2 * k)) / (2 * k)
            for k in range(1, 41)]
    assert all(w.is_Integer for w in want)
    assert lncosh_coefficients(40) == [int(w) for w in want]
    with pytest.raises(ValueError):
        lncosh_coefficients(41)


# ------------------------------------------------------------ kernels/_langevin.py (round 5)
# Seed 25, 15 mutants (scores.md, "Round 5").  The kernel and its NumPy twin are checked here
# against routes that share neither's Horner loop nor its noise: the drift polynomial through
# numpy.polynomial, and the Euler–Maruyama recursion of an Ornstein–Uhlenbeck mode in closed form.
def _langevin_routes():
    from rbmphys.kernels._langevin import langevin_run, langevin_run_np
    return [langevin_run, langevin_run_np]


@pytest.mark.parametrize("route", [0, 1], ids=["kernel", "twin"])
@pytest.mark.parametrize("deg", [1, 2, 3, 4, 5, 6])
def test_langevin_one_step_drift_is_the_polynomial_at_every_degree(route, deg):
    """_langevin.py:98 (the twin's Horner loop ``range(coef.shape[1] - 2, -1, -1)`` turned to
    ``coef.shape[1] // 2``: the same start for 3 and 4 coefficients, the only degrees the
    bit-for-bit test of kernel and twin used).  One step with the same key and start, once with
    the drift and once with none (coef = 0): both draw the same ξ, so the difference is exactly
    −Δt Φ'(z − c), Φ'(x) = Σ_k c_k x^k evaluated by numpy.polynomial.polyval, per coordinate.
    Tolerance 1e-12 absolute: the two runs differ only by the rounding of z − Δt d + √(2Δt) ξ
    (|z| ≲ 5, ulp ~1e-15) and of the two Horner evaluations (|d| ≲ 10, a few ulp)."""
    import numpy as np
    from numpy.polynomial import polynomial as P
    run = _langevin_routes()[route]
    rng = np.random.default_rng(500 + deg)
    n, R, dt = 3, 6, 0.037
    coef = rng.normal(size=(n, deg))
    center = rng.normal(size=n)
    z0 = rng.normal(size=(R, n))
    with_drift = run(z0, coef, center, dt, 1, 1, 2025)[0]
    no_drift = run(z0, np.zeros((n, 1)), center, dt, 1, 1, 2025)[0]
    want = -dt * np.stack([P.polyval(z0[:, i] - center[i], coef[i]) for i in range(n)], axis=1)
    np.testing.assert_allclose(with_drift - no_drift, want, rtol=0, atol=1e-12)


@pytest.mark.parametrize("route", [0, 1], ids=["kernel", "twin"])
def test_langevin_ou_mode_follows_the_euler_maruyama_recursion(route):
    """The same survivor seen through the statistics of a linear drift (two coefficients, the
    case the mutant gets wrong): Φ'(z) = c₀ + κ(z − c) at generic Δt, κ, c, c₀.  Euler–Maruyama
    is z ← a z + Δt(κc − c₀) + √(2Δt) ξ with a = 1 − κΔt, so from a fixed start z₀, after T
    steps, exactly
        mean  m_T = z* + a^T (z₀ − z*),   z* = c − c₀/κ,
        var   v_T = 2Δt (1 − a^{2T}) / (1 − a²);
    and two starts driven by the same key differ by a^T (z₀ − z₀') whatever the noise (to
    rounding: 1e-12).  20 000 walkers, key fixed: the mean within 5 standard errors √(v_T/R),
    the variance within 5 of its standard errors (relative √(2/R) = 1 %, so 5 %)."""
    import numpy as np
    run = _langevin_routes()[route]
    kappa, c, c0, dt, T, R = 1.7, 0.4, -0.3, 0.05, 40, 20000
    a = 1.0 - kappa * dt
    zstar = c - c0 / kappa
    coef, center = np.array([[c0, kappa]]), np.array([c])
    z0 = np.full((R, 1), 2.1)
    zT = run(z0, coef, center, dt, T, T, 77)[0, :, 0]
    mT = zstar + a**T * (2.1 - zstar)
    vT = 2 * dt * (1 - a ** (2 * T)) / (1 - a**2)
    assert abs(zT.mean() - mT) < 5 * np.sqrt(vT / R)
    assert zT.var() == pytest.approx(vT, rel=5 * np.sqrt(2 / R))
    shifted = run(z0 - 1.3, coef, center, dt, T, T, 77)[0, :, 0]
    np.testing.assert_allclose(zT - shifted, 1.3 * a**T, rtol=0, atol=1e-12)


@pytest.mark.parametrize("route", [0, 1], ids=["kernel", "twin"])
@pytest.mark.parametrize("shape", [(1, 70_000), (70_000, 1)], ids=["one-walker", "one-coord"])
def test_langevin_counter_guard_counts_walkers_times_coordinates(route, shape):
    """_langevin.py:72 (the guard ``check_counter_range(z.shape[0], z.shape[1])`` turned to
    ``(z.shape[-1], z.shape[1])``, i.e. n x n counters instead of R x n).  The kernel gives each
    (walker r, coordinate i) the counter r n + i, so R n = 70 000 counters are far inside the
    2**32 of the generator and the run must go ahead, whereas n x n (or R x R) = 4.9e9 would be
    refused.  What it returns is then checked against the closed form of one noise-only step,
    z1 = z0 + sqrt(2 dt) xi (coef = 0): xi has mean 0 and variance 1 over the 70 000 entries
    (5 standard errors: 5/sqrt(7e4) = 0.019 for the mean, 5 sqrt(2/7e4) = 2.7 % for the
    variance) and no two entries are equal (distinct counters give distinct draws).  Seeded:
    key 31."""
    import numpy as np
    run = _langevin_routes()[route]
    dt = 0.02
    z0 = np.full(shape, 0.25)
    xi = ((run(z0, np.zeros((shape[1], 1)), np.zeros(shape[1]), dt, 1, 1, 31)[0] - 0.25)
          / np.sqrt(2 * dt)).ravel()
    assert abs(xi.mean()) < 5 / np.sqrt(xi.size)
    assert xi.var() == pytest.approx(1.0, rel=5 * np.sqrt(2 / xi.size))
    assert np.unique(xi).size == xi.size
