"""sympy derivations of the scalar-field RBM's learning dynamics, tested both ways: symbolic
results against the paper's printed formulas (simplify(a - b) == 0) and the numeric bridge
against closed forms and finite differences."""

from __future__ import annotations

import numpy as np
import pytest

sp = pytest.importorskip("sympy")

from rbmphys.symbolic import gaussian as G  # noqa: E402
from rbmphys.symbolic import lncosh_coefficients, quartic_couplings, to_numeric  # noqa: E402


@pytest.mark.parametrize("nv,nh", [(2, 1), (2, 2), (3, 1)])
def test_flow_26_27_is_the_gradient_of_the_gaussian_log_likelihood(nv, nh):
    d = G.flow_derivation(nv, nh)
    assert sp.simplify(d["dW"] - d["dW_printed"]) == sp.zeros(nv, nh)
    assert sp.simplify(d["dmu2"] - d["dmu2_printed"]) == 0


def test_svd_basis_identity_36_37():
    a, b = G.svd_basis_identity()
    assert a == sp.zeros(2, 2) and b == sp.zeros(2, 2)


def test_two_by_two_system_equals_the_printed_equations_and_the_reconstructed_55():
    _, derived = G.two_by_two_system(learn_mu2=True)
    for got, printed in zip(derived, G.two_by_two_printed()):
        assert sp.simplify(got - printed) == 0


def test_two_by_two_numbers_of_the_worked_example():
    # the book's appendix A.4: finite differences of the SVD of W ± dt·Wdot at this point
    f = G.two_by_two_rhs(True)
    out = f([0.6, 0.35, 0.75 - 0.3, -0.4, 1.0], [0.2, 0.45, 1.3])
    np.testing.assert_allclose(out, [2.023912, 0.709049, -2.873344, -2.501149, -2.076554],
                               atol=2e-6)            # the checks printed 6 decimals
    # cse vs no cse, and njit: the same numbers (round-off)
    st, rhs = G.two_by_two_system(True)
    sy = G.two_by_two_symbols()
    params = [sy["kappa1"], sy["kappa2"], sy["sigma_h2"]]
    g = to_numeric(sp.Matrix(rhs), st, params, cse=False)
    h = G.two_by_two_rhs(True, njit=True)
    x, p = [0.5, 0.2, 0.3, 0.1, 1.1], [0.2, 0.4, 0.9]
    np.testing.assert_allclose(g(x, p), f(x, p), rtol=1e-12)
    np.testing.assert_allclose(h(x, p), f(x, p), rtol=1e-12)


def test_fixed_points_59_62_and_jacobian_63_67():
    fp = G.fixed_points(0.2, 0.4, 1.0)
    assert fp["dtheta"] == 0.0 and np.allclose(fp["eigenvalues"], [0.2, 0.4])
    assert G.fixed_points(0.4, 0.2, 1.0)["dtheta"] == pytest.approx(np.pi / 2)
    fp = G.fixed_points(0.2, 0.7, 0.4)          # κ2 above μ²: ξ2 = 0, eigenvalues (0.2, μ²)
    assert fp["xi"][1] == 0.0 and np.allclose(fp["eigenvalues"], [0.2, 0.4])
    ev = G.jacobian_eigenvalues(0.2, 0.4, 1.0)
    np.testing.assert_allclose(ev, [-40.0, -17.5, -7.5, 0.0], atol=1e-9)
    # the closed form of the rates is a numeric library function (theory): the sympy Jacobian
    # checks it here, from the derived ODE, sharing no code with it
    from rbmphys.theory import relaxation_rates
    g1, g2, gd = relaxation_rates(0.2, 0.4, 1.0)
    np.testing.assert_allclose(sorted([-2 * g1, -gd, -2 * g2, 0.0]), ev, atol=1e-9)


def test_delta_theta_closed_form_solves_the_one_mode_flow():
    expr, t, d0 = G.delta_theta_closed_form()
    sy = G.two_by_two_symbols()
    _, rhs = G.two_by_two_system(learn_mu2=False)
    one_mode = rhs[2].subs(sy["xi2"], 0)                 # ξ2 = 0: Eq. (69)
    resid = sp.diff(expr, t) - one_mode.subs(sy["dtheta"], expr)
    vals = {sy["kappa1"]: 0.2, sy["kappa2"]: 0.7, G.s2: 1.0, d0: 0.6, sy["xi1"]: 0.5}
    for tt in (0.0, 0.3, 1.0):
        assert abs(float(resid.subs(vals).subs(t, tt))) < 1e-12
    f = sp.lambdify([t], expr.subs(vals))
    np.testing.assert_allclose([f(0.5), f(1.0), f(3.0)], [0.114215, 0.019233, 1.5e-5],
                               rtol=2e-4, atol=1e-6)      # (69) integrated numerically


def test_mode_flow_fixed_point():
    expr, x, k = G.mode_flow()
    sols = sp.solve(sp.Eq(expr, 0), x)
    assert any(sp.simplify(s - (G.mu2 - k) / G.s2) == 0 for s in sols)
    f = G.mode_flow_rhs()
    np.testing.assert_allclose(f(np.array([3.0, 0.0]), 4.0, 7.0, 1.0), [0.0, 0.0], atol=1e-12)


def test_lncosh_tangent_numbers_and_quartic_couplings():
    assert lncosh_coefficients(5) == [1, 2, 16, 272, 7936]
    with pytest.raises(ValueError, match="positive integer"):
        lncosh_coefficients(0)
    W = np.random.default_rng(0).normal(size=(5, 3))
    phi = np.random.default_rng(1).normal(size=5)
    lam = quartic_couplings(W)
    psi = W.T @ phi
    np.testing.assert_allclose(np.einsum("ijkl,i,j,k,l->", lam, phi, phi, phi, phi),
                               np.sum(psi**4), rtol=1e-12)
