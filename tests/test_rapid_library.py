"""Chapter 9 library pieces the ledger does not reach: the update cost of App. D counted from the
matrix products each algorithm performs, and the shape checks of the pattern inputs."""

from __future__ import annotations

import numpy as np
import pytest

import rbmphys as rp
from rbmphys.training._rapid import pcd_multiply_adds


def _gemm(m, n, p):
    """Multiply-adds of an (m×n)·(n×p) product."""
    return m * n * p


def _rapid_tally(V, H, B, K, k):
    """One RAPID update as the list of its matrix products (Algorithm 1 and Sec. V B)."""
    ops = [_gemm(B, V, H),                 # fields of the batch, X W
           _gemm(V, B, H)]                 # positive phase Xᵀ tanh(·)
    if k == 0:
        ops.append(_gemm(V, K, H))         # PID: sgn(ξ_v)ᵀ sgn(ξ_h)
    else:
        ops += [_gemm(K, V, H), _gemm(K, H, V)] * k     # k sweeps of K chains: h then v
        ops += [_gemm(K, V, H), _gemm(V, K, H)]         # final fields, vᵀ tanh(·)
    ops += [_gemm(K, H, V),                # ∂ℓ/∂ξ_v = ξ_h Gᵀ/√K
            _gemm(K, V, H),                # ∂ℓ/∂ξ_h = ξ_v G/√K
            _gemm(V, K, H)]                # W = ξ_vᵀ ξ_h/√K
    return sum(ops)


def _pcd_tally(V, H, B, C, k):
    ops = [_gemm(B + C, V, H)]                          # fields of data and chains, one GEMM
    ops += [_gemm(C, V, H), _gemm(C, H, V)] * k         # k sweeps of C chains
    ops += [_gemm(V, B + C, H)]                         # ΔW from both phases
    return sum(ops)


@pytest.mark.parametrize("V,H,B,K,k", [(16, 200, 10, 8, 0), (144, 1000, 120, 40, 0),
                                       (784, 300, 100, 30, 1), (9, 7, 6, 2, 10)])
def test_rapid_multiply_adds_equal_the_tally_of_its_products(V, H, B, K, k):
    rule = rp.RAPID(n_patterns=K, gibbs_steps=k)
    assert rule.multiply_adds(V, H, B) == _rapid_tally(V, H, B, K, k)


@pytest.mark.parametrize("V,H,B,C,k", [(16, 200, 10, 256, 10), (784, 500, 100, 100, 1),
                                       (9, 13, 6, 7, 3)])
def test_pcd_multiply_adds_equal_the_tally_of_its_products(V, H, B, C, k):
    assert pcd_multiply_adds(V, H, B, C, k) == _pcd_tally(V, H, B, C, k)


def test_pattern_shapes_are_checked_both_ways():
    rule = rp.RAPID(n_patterns=2)
    m = rp.SpinRBM(np.zeros((5, 4)))
    good_v, good_h = np.ones((2, 5)), np.ones((2, 4))
    for xv, xh in ((good_v, np.ones((2, 5))), (good_v, np.ones((2, 3))),
                   (np.ones((2, 6)), good_h), (np.ones((2, 4)), good_h),
                   (np.ones((3, 5)), good_h), (good_v, np.ones((1, 4)))):
        with pytest.raises(ValueError, match="patterns must have shapes"):
            rule.attach(m, patterns=(xv, xh))
    rule.attach(m, patterns=(good_v, good_h))
    assert np.allclose(m.W, 2 / np.sqrt(2))


def test_pattern_count_mismatch_names_both_counts():
    with pytest.raises(ValueError, match="got 2 and 3"):
        rp.pattern_weights(np.ones((2, 5)), np.ones((3, 4)))
    with pytest.raises(ValueError, match="got 3 and 2"):     # the other way round as well
        rp.pattern_weights(np.ones((3, 5)), np.ones((2, 4)))
    with pytest.raises(ValueError, match="K >= 1"):
        rp.pattern_weights(np.ones((0, 5)), np.ones((0, 4)))


def test_negative_states_pure_pid_are_the_binarised_patterns():
    g = np.random.default_rng(5)
    xv, xh = g.normal(size=(3, 6)), g.normal(size=(3, 4))
    rule = rp.RAPID(n_patterns=3, projection=None)
    m = rule.attach(rp.SpinRBM(np.zeros((6, 4))), patterns=(xv, xh))
    v, h = rule.negative_states(m, key=11)
    assert np.array_equal(v, np.where(xv >= 0, 1.0, -1.0))
    assert np.array_equal(h, np.where(xh >= 0, 1.0, -1.0))      # no sampling at all
    chains = rp.RAPID(n_patterns=3, projection=None, gibbs_steps=2)
    m2 = chains.attach(rp.SpinRBM(np.zeros((6, 4))), patterns=(0.05 * xv, 0.05 * xh))
    v2, h2 = chains.negative_states(m2, key=11)
    assert set(np.unique(v2)) <= {-1.0, 1.0} and v2.shape == (3, 6) and h2.shape == (3, 4)


def test_state_with_wrong_pattern_ranks_is_refused():
    rule = rp.RAPID(n_patterns=2)
    ok = {"values": {"initialised": True}}
    for xv, xh in ((np.ones(2), np.ones((2, 4))), (np.ones((2, 5)), np.ones(2)),
                   (np.ones((2, 5)), np.ones((2, 4, 1))), (np.ones((3, 5)), np.ones((2, 4)))):
        with pytest.raises(ValueError, match="RAPID state"):
            rule.load_runtime_state({"arrays": {"xi_v": xv, "xi_h": xh}, **ok})
    with pytest.raises(ValueError, match="lacks"):
        rule.load_runtime_state({"arrays": {"xi_v": np.ones((2, 5))}, **ok})
