"""Chapter 1 claims: Boltzmann machines are Ising models.

Every claim enumerates tiny models exactly; the tolerances are float64 round-off unless a claim
says otherwise.  Sources: Pozas-Kerstjens et al. (RAPID) eqs. (1)-(2), (5), (A1)-(A2), (B2),
(D1)-(D2), (E1)-(E2); Toledo-Marin et al. eqs. (2)-(3), (10)-(11).
"""

from __future__ import annotations

import numpy as np

from ... import exact
from ...analysis import ising
from ...models import BernoulliRBM, SpinRBM, gauge_to_bernoulli
from .._registry import Measurement, claim, nanmax as _nanmax, roundoff_bound

SEED = 101


def _bound_reason(what):
    return (f"identity: float64 round-off estimate 8·n·ε·M of {what}, largest over the "
            "models (n: terms summed, √N for the N terms of ln Z; M: their size)")


def _joint_bound(model, lw=None):
    """Round-off estimate of quantities built from all joint log-weights −E(v, h) and their
    log-sum: V·H + V + H products per energy (worst case), and the 2^(V+H) terms of ln Z, whose
    independent rounding errors accumulate like a random walk, as √(2^(V+H)) (Higham §2.8; the
    worst case 2^(V+H) would allow 10⁴ times the observed error at V + H = 16)."""
    lw = joint_log_weights(model) if lw is None else lw
    V, H = model.n_visible, model.n_hidden
    scale = float(np.max(np.abs(lw)))
    return roundoff_bound(V * H + V + H + 2 ** ((V + H) / 2), scale)


def _states(n, units):
    return exact.all_states(n, units)


def _random_models(cls, quick, scale=1.0, sizes=None):
    sizes = sizes or ([(4, 3), (3, 5), (6, 4)] if quick else
                      [(4, 3), (3, 5), (6, 4), (8, 7), (10, 6), (5, 11)])
    g = np.random.default_rng(SEED)
    return [cls.random(V, H, weight_scale=scale, bias_scale=scale, rng=g) for V, H in sizes]


def joint_log_weights(model):
    """-E(v, h) for all joint states, shape (2**V, 2**H) (independent brute force)."""
    vs, hs = _states(model.n_visible, model.visible), _states(model.n_hidden, model.hidden)
    return vs @ model.W.astype(np.float64) @ hs.T + (vs @ model.a)[:, None] + (hs @ model.b)[None]


def gauge_p_error(model):
    """max |p_±(s) − p_01(v)| over all visible states: the spin model's p(s) by brute force over
    all joint states, the {0,1} model (the library's gauge map) through the library's exact
    enumeration (same state order: s = 2v − 1)."""
    bern, _ = gauge_to_bernoulli(model)
    lw = joint_log_weights(model)
    p_spin = np.exp(np.logaddexp.reduce(lw, axis=1) - np.logaddexp.reduce(lw.ravel()))
    _, p_bern = exact.visible_distribution(bern)
    return float(np.max(np.abs(p_spin - p_bern)))


@claim("ch01.gauge_p", title="gauge map {±1} → {0,1} preserves p(v)",
       source="Chapter 1 (s = 2v − 1; PozasKerstjens2021 eqs. (1)-(2))")
def _gauge_p(quick):
    models = _random_models(SpinRBM, quick)
    err = _nanmax(*[gauge_p_error(m) for m in models])
    # an absolute error of p(v) <= max p · (relative error of e^{ln w − ln Z}) <= the bound
    tol = max(_joint_bound(m) for m in models)
    return Measurement(0.0, err, tol, _bound_reason("p(v) = e^{ln Σ_h w − ln Z} (p ≤ 1)"))


def gauge_energy_error(model):
    """max over joint states of |E_± − (E_01 + c)| / max|E|: the library's energies of the spin
    model and of its gauge image (with the library's constant c)."""
    bern, c = gauge_to_bernoulli(model)
    vs, hs = _states(model.n_visible, "bernoulli"), _states(model.n_hidden, "bernoulli")
    V = np.repeat(vs, len(hs), 0)
    Hh = np.tile(hs, (len(vs), 1))
    e_spin = model.energy(2 * V - 1, 2 * Hh - 1)
    e_bern = bern.energy(V, Hh)
    scale = max(1.0, float(np.max(np.abs(e_spin))))
    return float(np.max(np.abs(e_spin - (e_bern + c)))) / scale


@claim("ch01.gauge_energy", title="gauge-mapped energies differ by the constant c",
       source="Chapter 1 (E_±(2v−1, 2h−1) = E_01(v, h) + c)")
def _gauge_energy(quick):
    models = _random_models(SpinRBM, quick)
    err = _nanmax(*[gauge_energy_error(m) for m in models])
    tol = max(roundoff_bound(m.n_visible * m.n_hidden + m.n_visible + m.n_hidden, 1.0)
              for m in models)
    return Measurement(0.0, err, tol, _bound_reason("E relative to max|E| (V·H + V + H terms)"))


@claim("ch01.logz_enumeration",
       title="ln Z by enumerating the smaller layer = brute force over all joint states",
       source="ToledoMarin2025 eq. (2); exact.log_partition")
def _logz(quick):
    worst = 0.0
    for scale in (1.0, 10.0):
        for cls in (BernoulliRBM, SpinRBM):
            for m in _random_models(cls, quick, scale=scale):
                brute = float(np.logaddexp.reduce(joint_log_weights(m).ravel()))
                worst = _nanmax(worst, abs(exact.log_partition(m) - brute) / abs(brute))
    return Measurement(0.0, worst, 1e-10, "exact sums, round-off of ~2^(V+H) terms; weights "
                       "of scale 1 and 10 (naive exp would overflow at 10)", "abs",
                       {"relative": True})


def conditional_error(model):
    """max |library conditional − conditional computed from the joint| over both layers.

    The library's :meth:`~rbmphys.RBM.p_h_given_v` and :meth:`~rbmphys.RBM.p_v_given_h` are
    measured against ratios of brute-force sums of :math:`e^{-E(v,h)}` over all joint states.
    """
    lw = joint_log_weights(model)
    P = np.exp(lw - np.logaddexp.reduce(lw.ravel()))
    vs, hs = _states(model.n_visible, model.visible), _states(model.n_hidden, model.hidden)
    up_h = (hs == 1.0).astype(float)
    up_v = (vs == 1.0).astype(float)
    joint_h = (P @ up_h) / P.sum(1, keepdims=True)            # p(h_j = up | v)
    joint_v = (P.T @ up_v) / P.sum(0)[:, None]                # p(v_i = up | h)
    return float(max(np.max(np.abs(joint_h - model.p_h_given_v(vs))),
                     np.max(np.abs(joint_v - model.p_v_given_h(hs)))))


@claim("ch01.conditionals_01",
       title="{0,1}: p(h_j=1|v) = σ(b_j + (Wᵀv)_j), p(v_i=1|h) = σ(a_i + (Wh)_i)",
       source="PozasKerstjens2021 (D1)-(D2); ToledoMarin2025 (10)-(11)")
def _cond01(quick):
    models = _random_models(BernoulliRBM, quick)
    err = _nanmax(*[conditional_error(m) for m in models])
    tol = max(_joint_bound(m) for m in models)
    return Measurement(0.0, err, tol, _bound_reason("ratios of joint sums (probabilities ≤ 1)"))


@claim("ch01.conditionals_pm1",
       title="±1: p(h_j=+1|v) = σ(2(b_j + (Wᵀv)_j)), p(v_i=+1|h) = σ(2(a_i + (Wh)_i))",
       source="PozasKerstjens2021 (B2a,b)")
def _condpm(quick):
    models = _random_models(SpinRBM, quick)
    err = _nanmax(*[conditional_error(m) for m in models])
    tol = max(_joint_bound(m) for m in models)
    return Measurement(0.0, err, tol, _bound_reason("ratios of joint sums (probabilities ≤ 1)"))


def _mattis_cases(quick):
    sizes = [(6, 5), (10, 4)] if quick else [(6, 5), (10, 4), (16, 3), (12, 9)]
    g = np.random.default_rng(SEED)
    return [ising.mattis_model(V, H, rng=g) for V, H in sizes]


@claim("ch01.mattis_ground_states",
       title="Mattis K=1: exactly two ground states, ±(ξ_v, ξ_h)",
       source="PozasKerstjens2021 Sec. II (Mattis, ref. [32]); eq. (5) with K = 1")
def _mattis_gs(quick):
    ok, counts = True, []
    for m, xv, xh in _mattis_cases(quick):
        gs = exact.ground_states(m)
        counts.append(len(gs.v))
        found = {tuple(np.r_[v, h]) for v, h in zip(gs.v, gs.h)}
        want = {tuple(np.r_[xv[0], xh[0]]), tuple(-np.r_[xv[0], xh[0]])}
        ok &= found == want
    return Measurement(2, max(counts) if ok else -1, 0, "exact enumeration: a count of states "
                       "(−1 would mean the set differs from {+ξ, −ξ})", "eq",
                       {"counts": counts})


@claim("ch01.mattis_energy", title="Mattis K=1: ground-state energy E0 = −V·H",
       source="PozasKerstjens2021 Sec. II (all V·H couplings satisfied)")
def _mattis_e0(quick):
    worst = 0.0
    for m, _, _ in _mattis_cases(quick):
        worst = _nanmax(worst, abs(exact.ground_states(m).energy + m.n_visible * m.n_hidden))
    return Measurement(0.0, worst, 1e-9, "enumeration; energies are sums of ±1 terms")


def hopfield_errors(epsilons, n_visible=8, n_hidden=5, seed=SEED):
    """max_s |ln p(s) − ln p_J(s)| for W = ε W0 (±1 units, no biases), one per ε."""
    W0 = np.random.default_rng(seed).normal(size=(n_visible, n_hidden))
    s = _states(n_visible, "spin")
    errs = []
    for eps in epsilons:
        m = SpinRBM(eps * W0)
        lp = exact.log_p(m, s)
        errs.append(float(np.max(np.abs(lp - ising.hopfield_log_p(ising.hopfield_couplings(m.W),
                                                                    s)))))
    return np.asarray(errs)


HOPFIELD_EPS = np.geomspace(0.005, 0.02, 5)


@claim("ch01.hopfield_scaling",
       title="±1, weak weights: p(v) is Hopfield with J = WWᵀ up to O(|W|⁴) (log-log slope)",
       source="PozasKerstjens2021 (E1); −ln cosh x = −x²/2 + x⁴/12 − …")
def _hopfield(quick):
    err = hopfield_errors(HOPFIELD_EPS)
    slope = float(np.polyfit(np.log(HOPFIELD_EPS), np.log(err), 1)[0])
    return Measurement(4.0, slope, 0.02, "the next order, ε⁶, bends the log-log line: the "
                       "fitted slope is 3.974 over ε ∈ [0.01, 0.05] and 3.995 over [0.005, 0.02] "
                       "(used here); 0.02 allows for that bend, a wrong power fails by ≥ 1",
                       details={"epsilons": HOPFIELD_EPS, "errors": err})


def fitted_pair_couplings(model):
    r"""Pair couplings of the exact ln p(s) of a ±1 model without biases: the Walsh coefficients
    :math:`c_{ij} = 2^{-V}\sum_s \ln p(s)\, s_i s_j` (the features :math:`s_i s_j` are orthonormal
    over all :math:`2^V` states, so these are the least-squares fit of a quadratic form)."""
    s = _states(model.n_visible, "spin")
    lp = exact.log_p(model, s)
    return (s * lp[:, None]).T @ s / len(s)


HOPFIELD_EPS_E2 = 0.01


def pattern_coupling_error(K, n_visible=10, n_hidden=7, eps=HOPFIELD_EPS_E2, seed=SEED):
    """max_ij |c_ij/ε² − J_ij| / max|J|, with c fitted to the exact ln p of the RBM with weights
    ε ξ_vᵀξ_h/√K and J = (1/K) ξ_vᵀ M ξ_v, M = ξ_h ξ_hᵀ (Eq. (E2))."""
    g = np.random.default_rng(seed + K)
    xv = ising.random_patterns(K, n_visible, rng=g)
    xh = ising.random_patterns(K, n_hidden, rng=g)
    m = SpinRBM(eps * ising.pattern_weights(xv, xh))
    J = ising.hopfield_couplings_from_patterns(xv, xh)
    c = fitted_pair_couplings(m) / eps**2
    off = ~np.eye(n_visible, dtype=bool)
    return float(np.max(np.abs(c[off] - J[off])) / np.max(np.abs(J[off])))


@claim("ch01.hopfield_patterns",
       title="pattern weights: the pair couplings of the exact ln p(s) are ε²(1/K) ξ_vᵀMξ_v",
       source="PozasKerstjens2021 (E1)-(E2) with (5)")
def _e2(quick):
    worst = _nanmax(*[pattern_coupling_error(K)
                      for K in ((1, 3, 8) if quick else (1, 2, 3, 8, 20))])
    return Measurement(0.0, worst, 5e-3, "the quartic term of −ln cosh adds relative "
                       "corrections of order ε² to the pair couplings (0.3-1.3e-3 measured at "
                       "ε = 0.01; they shrink 4x when ε halves); a coupling off by a factor, "
                       "e.g. a missing 1/K, fails by ≥ 0.5", details={"eps": HOPFIELD_EPS_E2})


def free_energy_error(model):
    """max_s |F(s) − (−ln Σ_h e^{−E(s,h)})|: the library's free energy against brute force over
    all joint states."""
    s = _states(model.n_visible, "spin")
    enum = -np.logaddexp.reduce(joint_log_weights(model), axis=1)
    return float(np.max(np.abs(model.free_energy(s) - enum)))


def _rapid_models(quick):
    g = np.random.default_rng(SEED)
    return [ising.mattis_model(V, H, rng=g, n_patterns=K)[0]
            for V, H, K in ([(5, 4, 3), (8, 6, 2)] if quick else [(5, 4, 3), (8, 6, 2),
                                                                   (10, 8, 5)])]


@claim("ch01.free_energy_sign",
       title="F(v) = −Σ_α ln 2cosh(Σ_i W_iα v_i): the minus sign the enumeration confirms",
       source="PozasKerstjens2021 (A1)-(A2); the printed closed form lacks the minus sign")
def _fsign(quick):
    models = _rapid_models(quick)
    err = _nanmax(*[free_energy_error(m) for m in models])
    tol = max(_joint_bound(m) for m in models)
    return Measurement(0.0, err, tol, _bound_reason("F(v) = −ln Σ_h e^{−E}") +
                       "; the printed sign misses by 2|F| ≥ 2H ln 2")


@claim("ch01.normalisation",
       title="Σ_v p(v) = 1 and F(v) = −ln Σ_h e^{−E(v,h)} for {0,1} units",
       source="Chapter 1; ToledoMarin2025 eq. (2)")
def _norm(quick):
    worst, tol = 0.0, 0.0
    for m in _random_models(BernoulliRBM, quick, scale=2.0):
        _, p = exact.visible_distribution(m)
        lw = joint_log_weights(m)
        enum = -np.logaddexp.reduce(lw, axis=1)
        F = m.free_energy(_states(m.n_visible, "bernoulli"))   # the library's F
        worst = _nanmax(worst, abs(p.sum() - 1.0), float(np.max(np.abs(F - enum))))
        tol = max(tol, _joint_bound(m, lw))
    return Measurement(0.0, worst, tol, _bound_reason("Σ_v p(v) and F(v)"))
