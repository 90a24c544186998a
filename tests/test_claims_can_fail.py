"""Every ledger claim can fail: for each claim id, plant a bug in the library at run time and show
that the claim then fails.  A claim that no planted bug breaks measures nothing and must be
rewritten or removed (issue: "claims that can fail").

Each entry of ``BUGS`` maps a claim id to (what the bug is, a function that plants it with
pytest's ``monkeypatch``).  The disk cache of experiments is switched off, so every claim
recomputes under the bug.
"""

from __future__ import annotations

import numpy as np
import pytest

import rbmphys as rp
from rbmphys.exact import _enumerate as E
from rbmphys.models._units import Bernoulli, Spin, log_2cosh, softplus
from rbmphys.verify import get_claim, load_all, registry


# ------------------------------------------------------------------------------------ bug kit
def _scaled_sampling(unit_cls, factor):
    """The unit samples at inverse temperature factor·β (a temperature off by a few %)."""
    def plant(mp):
        orig = unit_cls.sample

        def sample(self, pre, bias, key, *, beta=1.0, chain0=0, out=None):
            return orig(self, pre, bias, key, beta=beta * factor, chain0=chain0, out=out)
        mp.setattr(unit_cls, "sample", sample)
    return plant


def _frozen_sampler(mp):
    """Every half-step leaves its output untouched: the chains never move."""
    for cls in (Bernoulli, Spin):
        mp.setattr(cls, "sample", lambda self, pre, bias, key, *, beta=1.0, chain0=0, out=None:
                   out if out is not None else np.zeros_like(pre))


def _bernoulli_form_shift(da=0.0, dc=0.0):
    def plant(mp):
        orig = rp.RBM.bernoulli_form

        def bf(self):
            W, a, b, c = orig(self)
            return W, a + da, b, c + dc
        mp.setattr(rp.RBM, "bernoulli_form", bf)
    return plant


def _gray_temperature(mp):
    orig = E.gray_log_partition
    mp.setattr(E, "gray_log_partition", lambda M, c, d: orig(1.02 * M, c, d))


def _pattern_weight_sign(mp):
    from rbmphys.analysis import ising
    orig = ising.pattern_weights

    def pw(xi_v, xi_h):
        W = orig(xi_v, xi_h).copy()
        W[0, 0] = -W[0, 0]
        return W
    mp.setattr(ising, "pattern_weights", pw)


def _bit_patterns(mp):
    from rbmphys.analysis import ising
    orig = ising.random_patterns
    mp.setattr(ising, "random_patterns",
               lambda n, m, *, rng=None: (orig(n, m, rng=rng) + 1) / 2)   # {0,1} "patterns"


def _missing_one_over_k(mp):
    from rbmphys.analysis import ising
    mp.setattr(ising, "hopfield_couplings_from_patterns",
               lambda xv, xh: np.atleast_2d(xv).T @ (np.atleast_2d(xh) @ np.atleast_2d(xh).T)
               @ np.atleast_2d(xv))


def _spin_log_partition(fn):
    def plant(mp):
        mp.setattr(Spin, "log_partition", lambda self, field, beta=1.0: fn(beta * np.asarray(
            field, dtype=np.float64)))
    return plant


def _bernoulli_log_partition_offset(mp):
    mp.setattr(Bernoulli, "log_partition",
               lambda self, field, beta=1.0: softplus(beta * np.asarray(field)) + 1e-3)


def _no_exchange(mp):
    from rbmphys.samplers.tempering import ParallelTempering

    def run(self, n_sweeps=1):
        for _ in range(int(n_sweeps)):
            self._sweep_and_energies()
            self.sweeps += 1
        return self
    mp.setattr(ParallelTempering, "run", run)


def _biased_expectations(mp):
    orig = E.expectations

    def ex(model, **kw):
        out = orig(model, **kw)
        out["vh"] = 1.02 * out["vh"]
        return out
    mp.setattr(E, "expectations", ex)


def _exact_rule(transform):
    def plant(mp):
        from rbmphys.training._rules import ExactGradient
        orig = ExactGradient.step
        mp.setattr(ExactGradient, "step",
                   lambda self, model, batch, ctx: {k: transform(v) for k, v in
                                                    orig(self, model, batch, ctx).items()})
    return plant


def _cd_for_pcd(mp):
    from rbmphys.experiments import ch02
    orig = ch02.make_rule
    mp.setattr(ch02, "make_rule", lambda *, name, n_chains=100: orig(
        name="CD-1" if name == "PCD-1" else name, n_chains=n_chains))


def _ais_visible_at_beta_one(mp):
    import sys
    ais = sys.modules["rbmphys.samplers.ais"]
    orig = ais.half_step

    def hs(model, layer, x, key, *, beta=1.0, **kw):
        return orig(model, layer, x, key, beta=1.0, **kw)
    mp.setattr(ais, "half_step", hs)


def _ascent_sign(mp):
    orig = rp.RBM.phase_increments
    mp.setattr(rp.RBM, "phase_increments", lambda self, *a, **k: {
        n: -v for n, v in orig(self, *a, **k).items()})


BUGS = {
    # chapter 1
    "ch01.gauge_p": ("gauge map gives the visible bias a' + 0.1", _bernoulli_form_shift(da=0.1)),
    "ch01.gauge_energy": ("gauge constant c off by 0.01", _bernoulli_form_shift(dc=0.01)),
    "ch01.logz_enumeration": ("enumeration kernel at a temperature off by 2 %",
                              _gray_temperature),
    "ch01.conditionals_01": ("{0,1} units use the ±1 gain 2",
                             lambda mp: mp.setattr(Bernoulli, "gain", property(lambda s: 2.0))),
    "ch01.conditionals_pm1": ("±1 units use the {0,1} gain 1",
                              lambda mp: mp.setattr(Spin, "gain", property(lambda s: 1.0))),
    "ch01.mattis_ground_states": ("patterns drawn as {0,1} instead of ±1", _bit_patterns),
    "ch01.mattis_energy": ("one pattern weight with the wrong sign", _pattern_weight_sign),
    "ch01.hopfield_scaling": ("ln 2cosh of the field at a temperature off by 2 %",
                              _spin_log_partition(lambda f: log_2cosh(1.02 * f))),
    "ch01.hopfield_patterns": ("Hopfield couplings from patterns without the 1/K",
                               _missing_one_over_k),
    "ch01.free_energy_sign": ("F(s) with the printed sign of (A2): +Σ ln 2cosh",
                              _spin_log_partition(lambda f: -log_2cosh(f))),
    "ch01.normalisation": ("softplus off by 1e-3 in F(v)", _bernoulli_log_partition_offset),
    # chapter 2
    "ch02.gibbs_chi2_01": ("{0,1} sampler at β = 0.9",
                           _scaled_sampling(Bernoulli, 0.9)),
    "ch02.gibbs_chi2_pm1": ("±1 sampler at β = 0.9", _scaled_sampling(Spin, 0.9)),
    "ch02.pt_chi2": ("replica exchange switched off", _no_exchange),
    "ch02.gibbs_local": ("a frozen sampler", _frozen_sampler),
    "ch02.gibbs_trapped": ("±1 sampler at β = 0.3 (it crosses the barrier)",
                           _scaled_sampling(Spin, 0.3)),
    "ch02.gradient_fd": ("negative phase ⟨vh⟩ off by 2 %", _biased_expectations),
    "ch02.exact_training_monotone": ("the exact rule descends instead of ascending",
                                     _exact_rule(lambda v: -v)),
    "ch02.exact_training_optimum": ("the exact rule's step 50x too small",
                                    _exact_rule(lambda v: 0.02 * v)),
    "ch02.pcd_negative_phase": ("PCD's chains at β = 0.9", _scaled_sampling(Bernoulli, 0.9)),
    "ch02.ais_exact": ("AIS visible half-steps at β = 1", _ais_visible_at_beta_one),
    "ch02.rais_exact": ("AIS visible half-steps at β = 1", _ais_visible_at_beta_one),
    "ch02.mnist_bracket": ("AIS visible half-steps at β = 1", _ais_visible_at_beta_one),
    "ch02.mnist_learns": ("the trainer's phase update with the wrong sign", _ascent_sign),
}

# ---- chapters 3-5 (Aarts, Lucini, Park) ---------------------------------------------------
def _clear_symbolic_caches():
    from rbmphys.symbolic import gaussian as G
    from rbmphys.symbolic import series as S
    from rbmphys.symbolic import fokker_planck as F
    for f in (G.flow_derivation, G.flow_derivation_rhs, G.two_by_two_system, G.two_by_two_rhs,
              G._two_by_two_w_flow,
              G.mode_flow_rhs, G.mode_mu2_rhs, S.lncosh_series, F._rates_fn):
        f.cache_clear()


def _patch(obj, name, wrap):
    def plant(mp):
        _clear_symbolic_caches()
        orig = getattr(obj, name)
        mp.setattr(obj, name, wrap(orig))
    return plant


def _gm():
    from rbmphys.models import _gaussian as GM
    return GM.GaussianRBM


def _sym():
    from rbmphys.symbolic import gaussian as G
    return G


def _precision_without_sigma(mp):
    G = _gm()
    mp.setattr(G, "precision", lambda self: self.mu2 * np.eye(self.n_visible)
               - self.W @ self.W.T)


def _source_twice(mp):
    G = _gm()
    mp.setattr(G, "source", lambda self: 2.0 * self.W @ self.eta)


def _log_z_without_hidden_norm(mp):
    G = _gm()
    orig = G.log_partition
    mp.setattr(G, "log_partition", lambda self: orig(self) - 0.5 * self.n_hidden * np.log(
        2 * np.pi * self.sigma_h2))


def _gauss_beta(factor):
    from rbmphys.models._units import Gaussian
    return _scaled_sampling(Gaussian, factor)


def _open_boundary(mp):
    from rbmphys.datasets import _lattice as L

    def lap(n):
        return 2 * np.eye(n) - np.eye(n, k=1) - np.eye(n, k=-1)
    mp.setattr(L, "_laplacian_1d", lap)


def _weights_scale(mp):
    from rbmphys.datasets import _lattice as L
    import rbmphys.datasets as D
    orig = L.rbm_weights_from_kernel
    f = lambda *a, **k: 1.01 * orig(*a, **k)                     # noqa: E731
    mp.setattr(L, "rbm_weights_from_kernel", f)
    mp.setattr(D, "rbm_weights_from_kernel", f)


def _gaussian_lp(fn):
    from rbmphys.models._units import Gaussian

    def plant(mp):
        orig = Gaussian.log_partition
        mp.setattr(Gaussian, "log_partition", lambda self, field, beta=1.0: fn(
            self, orig(self, field, beta), np.asarray(field, dtype=float), beta))
    return plant


def _loglik_factor(mp):
    _clear_symbolic_caches()
    G = _sym()
    orig = G.gaussian_log_likelihood

    def wrong(nv, nh):
        L, W, C, m, s = orig(nv, nh)
        K = m * sp_eye(nv) - s * W * W.T
        return L - (K * C).trace() / 2, W, C, m, s      # -tr(KC) without the 1/2
    mp.setattr(G, "gaussian_log_likelihood", wrong)


def sp_eye(n):
    import sympy as sp
    return sp.eye(n)


def _rot_bug(kind):
    def plant(mp):
        import sympy as sp
        _clear_symbolic_caches()
        G = _sym()
        if kind == "sign":                          # a rotation by −θ: the wrong convention
            mp.setattr(G, "_rot", lambda t: sp.Matrix([[sp.cos(t), sp.sin(t)],
                                                       [-sp.sin(t), sp.cos(t)]]))
        else:                                       # not a rotation at all
            mp.setattr(G, "_rot", lambda t: sp.Matrix([[sp.cos(t), -sp.sin(t)],
                                                       [sp.sin(t), 2 * sp.cos(t)]]))
    return plant


def _fixed_point_off(mp):
    _clear_symbolic_caches()
    G = _sym()
    orig = G.fixed_points

    def fp(*a, **k):
        out = dict(orig(*a, **k))
        out["xi"] = tuple(1.01 * x for x in out["xi"])
        out["eigenvalues"] = [1.01 * e for e in out["eigenvalues"]]
        return out
    mp.setattr(G, "fixed_points", fp)


def _slow_two_by_two(mp):
    _clear_symbolic_caches()
    G = _sym()
    orig = G.two_by_two_rhs
    mp.setattr(G, "two_by_two_rhs", lambda learn=True, njit=False: (
        lambda y, p, f=orig(learn, njit): 0.5 * f(y, p)))


def _mode_flow_reversed(mp):
    _clear_symbolic_caches()
    G = _sym()
    orig = G.mode_flow_rhs
    mp.setattr(G, "mode_flow_rhs", lambda: (
        lambda x, k, m, s, f=orig(): f(x, 12.5 - k, m, s)))


def _flow_kwarg(**forced):
    def plant(mp):
        from rbmphys.theory import _flow
        import rbmphys.theory as T
        orig = _flow.gaussian_flow

        def gf(*a, **k):
            k.update(forced)
            return orig(*a, **k)
        mp.setattr(_flow, "gaussian_flow", gf)
        mp.setattr(T, "gaussian_flow", gf)
    return plant


def _largest_kappa_learnt(mp):
    import rbmphys.theory as T
    from rbmphys.theory import _closed_forms as CF

    def le(kappa, mu2, n_hidden=None):
        k = np.sort(np.asarray(kappa, float))
        nh = len(k) if n_hidden is None else n_hidden
        lam = np.full(len(k), mu2)
        lam[len(k) - nh:] = np.minimum(k[len(k) - nh:], mu2)
        return np.sort(lam)
    mp.setattr(CF, "learnt_eigenvalues", le)
    mp.setattr(T, "learnt_eigenvalues", le)


def _kl_without_log(mp):
    from rbmphys.theory import _closed_forms as CF
    mp.setattr(CF, "kl_gaussian", lambda a, b: float(0.5 * np.sum(-1 + np.asarray(b) /
                                                                   np.asarray(a))))


def _cutoff_squared(mp):
    import rbmphys.theory as T
    from rbmphys.theory import _closed_forms as CF
    f = lambda C, mu2: int(np.sum(np.linalg.eigvalsh(C) > 1.0 / mu2**2))   # noqa: E731
    mp.setattr(CF, "modes_below_cutoff", f)
    mp.setattr(T, "modes_below_cutoff", f)


def _regenerate_unscaled(mp):
    from rbmphys.experiments import aarts
    mp.setattr(aarts, "regenerate", lambda *, W, mu2, phi, sigma_h2=1.0: (phi @ W) @ W.T)


def _no_decay(mp):
    from rbmphys.training._schedules import step_decay
    mp.setattr(step_decay, "__call__", lambda self, epoch: self.lr)


def _lncosh_scaled(mp):
    import sympy as sp
    _clear_symbolic_caches()
    from rbmphys.symbolic import series as S

    def ser(order):
        psi = sp.Symbol("psi")
        return sp.series(-sp.log(sp.cosh(1.01 * psi)), psi, 0, order).removeO(), psi
    mp.setattr(S, "lncosh_series", ser)


def _quartic_wrong(mp):
    import rbmphys.symbolic as SY
    from rbmphys.symbolic import series as S
    f = lambda W: np.einsum("ia,ja,kb,lb->ijkl", W, W, W, W)      # noqa: E731
    mp.setattr(S, "quartic_couplings", f)
    mp.setattr(SY, "quartic_couplings", f)


BUGS.update({
    "ch03.marginal_covariance": ("K without σ_h²", _precision_without_sigma),
    "ch03.marginal_mean": ("source 2Wη", _source_twice),
    "ch03.log_partition": ("ln Z without the hidden Gaussian's normalisation",
                           _log_z_without_hidden_norm),
    "ch03.gibbs_covariance": ("Gaussian units sampled at β = 0.8", _gauss_beta(0.8)),
    "ch03.lattice_1d": ("open instead of periodic boundaries", _open_boundary),
    "ch03.lattice_2d_degeneracies": ("open instead of periodic boundaries", _open_boundary),
    "ch03.exact_solutions": ("exact couplings 1 % too large", _weights_scale),
    "ch03.rotation_freedom": ("a linear term in the hidden log-partition",
                              _gaussian_lp(lambda self, v, f, b: v + 0.01 * f)),
    "ch03.gaussian_bernoulli_log_z": ("Gaussian integral without ½ ln 2πς²",
                                      _gaussian_lp(lambda self, v, f, b: v - 0.5 * np.log(
                                          2 * np.pi * self.variance / b))),
    "ch04.flow_derivation": ("log-likelihood with −tr(KC) instead of −½tr(KC)",
                             _loglik_factor),
    "ch04.flow_fd": ("hidden log-partition with a variance 1 % off",
                     _gaussian_lp(lambda self, v, f, b: v + 0.005 * b * self.variance * f * f)),
    "ch04.svd_basis": ("a 'rotation' that is not orthogonal", _rot_bug("bad")),
    "ch04.two_by_two_equations": ("rotations by −θ (a sign convention slip)", _rot_bug("sign")),
    "ch04.two_by_two_numbers": ("rotations by −θ (a sign convention slip)", _rot_bug("sign")),
    "ch04.fixed_points": ("closed-form fixed points 1 % off", _fixed_point_off),
    "ch04.jacobian": ("Jacobian taken 1 % away from the fixed point", _fixed_point_off),
    "ch04.decay_rates": ("2×2 flow at half speed (σ_h² dropped)", _slow_two_by_two),
    "ch04.delta_theta": ("2×2 flow at half speed (σ_h² dropped)", _slow_two_by_two),
    "ch04.pcd_vs_ode": ("PCD chains of Gaussian units at β = 0.9", _gauss_beta(0.9)),
    "ch04.infrared_first": ("mode flow with the κ ordering reversed", _mode_flow_reversed),
    "ch05.seven_modes": ("μ² trained when it should be fixed", _flow_kwarg(learn_mu2=True)),
    "ch05.hidden_cutoff": ("closed form keeps the N_h largest κ", _largest_kappa_learnt),
    "ch05.kl_b8": ("(B7) without its logarithm", _kl_without_log),
    "ch05.learnable_mu2": ("μ² left fixed", _flow_kwarg(learn_mu2=False)),
    "ch05.mnist_modes": ("cutoff 1/μ⁴ instead of 1/μ²", _cutoff_squared),
    "ch05.regeneration": ("regeneration without σ_h²/μ²", _regenerate_unscaled),
    "ch05.lr_decay": ("the decay schedule ignored", _no_decay),
    "ch05.tangent_numbers": ("series of ln cosh(1.01ψ)", _lncosh_scaled),
    "ch05.quartic_couplings": ("λ_ijkl = (WWᵀ)_ij (WWᵀ)_kl", _quartic_wrong),
})

# ---- chapters 3-5 at generic parameters: one-line bugs planted in the library's source
from _source_bug import source_bug as _sb       # noqa: E402


def _src(module, qualname, old, new):
    return _sb(module, qualname, old, new, before=_clear_symbolic_caches)


BUGS.update({
    "ch03.gibbs_beta": ("Gaussian sampling width without β", _src(
        "rbmphys.kernels._gaussian", "sample_gaussian", "math.sqrt(variance / beta)",
        "math.sqrt(variance)")),
    "ch03.gaussian_unit_beta": ("Gaussian log-partition without β in the quadratic term",
                                _src("rbmphys.models._units", "Gaussian.log_partition",
                                     "0.5 * beta * self.variance * f * f",
                                     "0.5 * self.variance * f * f")),
    "ch03.gaussian_unit_sampling": ("Gaussian sampling width √(ς²β) instead of √(ς²/β)", _src(
        "rbmphys.kernels._gaussian", "sample_gaussian", "math.sqrt(variance / beta)",
        "math.sqrt(variance * beta)")),
    "ch03.lattice_spectrum": ("plane waves with k·π/N instead of 2πk/N", _src(
        "rbmphys.datasets._lattice", "lattice_spectrum", "2 - 2 * np.cos(2 * np.pi",
        "2 - 2 * np.cos(np.pi")),
    "ch03.free_field_samples": ("φ = L⁻¹z instead of L⁻ᵀz", _src(
        "rbmphys.datasets._lattice", "sample_free_field",
        "linalg.solve_triangular(L.T, z, lower=False)",
        "linalg.solve_triangular(L, z, lower=True)")),
    "ch03.exact_solutions_generic": ("exact couplings with (μ² − K)·σ_h² instead of /σ_h²", _src(
        "rbmphys.datasets._lattice", "rbm_weights_from_kernel", "- K) / sigma_h2",
        "- K) * sigma_h2")),
    "ch03.joint_density": ("energy constant η²/2 without σ_h²", _src(
        "rbmphys.models._gaussian", "GaussianRBM._energy_constant",
        "/ (2.0 * self.sigma_h2)", "/ 2.0")),
    "ch03.marginal_density": ("hidden field b = ησ_h² instead of η/σ_h²", _src(
        "rbmphys.models._gaussian", "GaussianRBM.b", "self.eta / self.sigma_h2",
        "self.eta * self.sigma_h2")),
    "ch03.conditionals": ("conditional mean of a Gaussian unit without its variance", _src(
        "rbmphys.models._units", "Gaussian.mean", "return self.variance * np.asarray",
        "return np.asarray")),
    "ch04.rates_closed_form": ("γ_i = (μ² − κ_i)/κ_i instead of /κ_i²", _src(
        "rbmphys.theory._closed_forms", "relaxation_rates", "(mu2 - kappa1) / kappa1**2",
        "(mu2 - kappa1) / kappa1")),
    "ch04.fixed_points_generic": ("fixed points solved without σ_h²", _src(
        "rbmphys.symbolic.gaussian", "fixed_points", "1 / (m - s * x**2)", "1 / (m - x**2)")),
    "ch04.flow_sympy_numeric": ("flow right-hand side twice the gradient", _src(
        "rbmphys.theory._flow", "flow_rhs", "{k: pos[k] - neg[k] for k in pos}",
        "{k: 2 * (pos[k] - neg[k]) for k in pos}")),
    "ch04.flow_trajectory": ("the matrix flow never moves μ²", _src(
        "rbmphys.theory._flow", "gaussian_flow", '[float(d["mu2"]) if learn_mu2 else 0.0]',
        "[0.0]")),
    "ch04.negative_phase_fd": ("model second moment K⁻¹ without mmᵀ", _src(
        "rbmphys.models._gaussian", "GaussianRBM.model_statistics",
        "self.marginal_covariance() + np.outer(m, m)", "self.marginal_covariance()")),
    "ch04.positive_phase_fd": ("μ² statistic −tr S instead of −½ tr S", _src(
        "rbmphys.models._gaussian", "GaussianRBM.moment_statistics",
        "np.array(-0.5 * np.trace(S))", "np.array(-np.trace(S))")),
    "ch05.mode_flow_closed_form": ("mode flow (80) without its factor 2", _src(
        "rbmphys.symbolic.gaussian", "mode_flow", "2 * s2 * (1 / k - 1 / lam) * x",
        "s2 * (1 / k - 1 / lam) * x")),
    "ch05.mode_vs_matrix_flow": ("μ² flow forgets the uncoupled directions", _src(
        "rbmphys.theory._flow", "mode_flow", "+ 0.5 * n_extra / m2)", ")")),
    "ch05.n_learnable_modes": ("max(N_h, ·) instead of min", _src(
        "rbmphys.theory._closed_forms", "n_learnable_modes", "int(min(nh,", "int(max(nh,")),
    "ch05.pcd_learnable_mu2": ("PCD's μ² statistic −Σφ² instead of −½Σφ²", _src(
        "rbmphys.models._gaussian", "GaussianRBM._map_statistics",
        "np.array(-0.5 * float(w @ (v * v).sum(1)))", "np.array(-float(w @ (v * v).sum(1)))")),
    "ch05.step_decay_values": ("(A2) with n/every instead of ⌊n/every⌋", _src(
        "rbmphys.training._schedules", "step_decay.__call__", "(epoch // self.every)",
        "(epoch / self.every)")),
})

# ------------------------------------------------------------------- Chapter 6 (reciprocal)
def _recip_patch(name, make):
    def plant(mp):
        from rbmphys.analysis import reciprocal as R
        orig = getattr(R.ReciprocalModes, name)
        mp.setattr(R.ReciprocalModes, name, make(orig))
    return plant


def _relaxed_variance(s2):
    def plant(mp):
        from rbmphys.analysis import reciprocal as R
        orig = R.relaxed_log_partition
        mp.setattr(R, "relaxed_log_partition", lambda m, beta=1.0, **kw: orig(m, beta, s2=s2))
    return plant


def _mp_q_from_m(mp):
    from rbmphys.analysis import random_matrix as RM
    orig = RM.MarchenkoPastur.__init__

    def init(self, n, m, sigma_w):
        orig(self, n, m, sigma_w)
        self.q = m * sigma_w ** 2                     # the authors' plotting normalisation
    mp.setattr(RM.MarchenkoPastur, "__init__", init)


def _mp_sigma_off(mp):
    from rbmphys.analysis import random_matrix as RM
    orig = RM.marchenko_pastur
    mp.setattr(RM, "marchenko_pastur", lambda n, m, s: orig(n, m, 1.03 * s))


def _kurtosis_factor(mp):
    from rbmphys.analysis import reciprocal as R
    mp.setattr(R, "reciprocal_kurtosis", lambda U: 3.0 - np.sum(np.asarray(U) ** 4, axis=0))


def _frozen_trainer(mp):
    mp.setattr(rp.Trainer, "fit", lambda self, data, epochs, **kw: None)


BUGS.update({
    "ch06.reciprocal_energy": ("projected visible bias with the wrong sign", _recip_patch(
        "mode_energies", lambda f: lambda self, x, y: f(self, x, y)
        + 2 * self.a_t[:self.n_modes] * np.asarray(x)[..., :self.n_modes])),
    "ch06.saddle_points": ("saddle coordinates swapped (x* = −ã/σ)", _recip_patch(
        "saddle_points", lambda f: lambda self: (f(self)[1], f(self)[0], f(self)[2]))),
    "ch06.rotated_energy": ("curvature σ² instead of σ (the authors' unused f_uw)",
                            _recip_patch("energy_uw", lambda f: lambda self, u, w:
                                         f(self, u, w) - 0.5 * (self.sigma**2 - self.sigma)
                                         * (np.asarray(u)**2 - np.asarray(w)**2))),
    "ch06.uniform_moments": ("⟨x⟩ summed over the wrong axis of U", _recip_patch(
        "high_temperature_means", lambda f: lambda self: (0.5 * self.U.sum(1), f(self)[1]))),
    "ch06.relaxation_fourth_order": ("density of states with variance 0.3 instead of 1/4",
                                     _relaxed_variance(0.3)),
    "ch06.relaxation_threshold": ("density of states with variance 0.3 instead of 1/4",
                                  _relaxed_variance(0.3)),
    "ch06.mp_normalisation": ("q = Mσ_W² (the authors' plotting code)", _mp_q_from_m),
    "ch06.mp_ks": ("MP law with σ_W 3 % too large", _mp_sigma_off),
    "ch06.kurtosis": ("3 − Σ U⁴ (the factor 2 dropped)", _kurtosis_factor),
    "ch06.trained_modes": ("a trainer that never updates", _frozen_trainer),
})

# one-line bugs in the source of the library (tests/_source_bug.py), Chapter 6
from _source_bug import source_bug as _src_bug  # noqa: E402

_R, _RM = "rbmphys.analysis.reciprocal", "rbmphys.analysis.random_matrix"
BUGS.update({
    "ch06.relaxed_z_quadrature": ("projected biases swapped in the relaxed Z", _src_bug(
        _R, "relaxed_log_partition", "ell = beta * np.array([rm.a_t[k], rm.b_t[k]])",
        "ell = beta * np.array([rm.b_t[k], rm.a_t[k]])")),
    "ch06.relaxed_z_spin": ("gauge constant −βc of ±1 units dropped", _src_bug(
        _R, "relaxed_log_partition", "offset = -beta * _bernoulli_parameters(model)[3]",
        "offset = 0.0")),
    "ch06.threshold_beta": ("divergence tested on σ instead of βσ", _src_bug(
        _R, "relaxed_log_partition", "ok = bs * s2 < 1.0", "ok = rm.sigma * s2 < 1.0")),
    "ch06.constraint_minima": ("constraint minima with x and y swapped", _src_bug(
        _R, "ReciprocalModes.constraint_minima", "self.rotate(mx, my)", "self.rotate(my, mx)")),
    "ch06.mp_moments": ("MP normalisation q = max(N, M)σ_W²", _src_bug(
        _RM, "MarchenkoPastur.__init__", "self.q = min(n, m) * sigma_w ** 2",
        "self.q = max(n, m) * sigma_w ** 2")),
    "ch06.mp_peak": ("MP peak at σ_W√max(N, M)", _src_bug(
        _RM, "mp_peak", "np.sqrt(abs(n - m))", "np.sqrt(max(n, m))")),
    "ch06.mp_cdf": ("MP CDF Jacobian without its factor 2", _src_bug(
        _RM, "MarchenkoPastur._cdf", "f = 2.0 * d**2", "f = d**2")),
    "ch06.haar_kurtosis": ("Haar kurtosis limit 3 − 3/(n + 2)", _src_bug(
        _R, "haar_mean_kurtosis", "3.0 - 6.0 / (n + 2.0)", "3.0 - 3.0 / (n + 2.0)")),
    "ch06.relaxed_modes_rotated": ("Gaussian determinant 1 − s²βσ instead of 1 − (s²βσ)²",
                                   _src_bug(_R, "relaxed_log_partition",
                                            "np.log1p(-(s2 * bs[k]) ** 2)",
                                            "np.log1p(-(s2 * bs[k]))")),
})

# ------------------------------------------------------------ Chapter 7 (Fokker–Planck)
def _vs_sign(mp):
    from rbmphys.symbolic import fokker_planck as F
    _clear_symbolic_caches()
    mp.setattr(F, "schrodinger_potential", lambda Phi, zs: sp_quarter(Phi, zs))


def sp_quarter(Phi, zs):
    """V_s with +½∇²Φ (a sign slip)."""
    import sympy as sp
    return sp.Rational(1, 4) * sum(sp.diff(Phi, z) ** 2 for z in zs) \
        + sum(sp.diff(Phi, z, 2) for z in zs) / 2


def _constraint_variance(mp):
    import sympy as sp
    from rbmphys.symbolic import fokker_planck as F
    _clear_symbolic_caches()
    mp.setattr(F, "s2", sp.Rational(26, 100))          # s² 4 % off: Γ = 1/s² ∓ σ


def _fp_temperature(mp):
    orig = rp.theory.fokker_planck_spectrum
    mp.setattr(rp.theory, "fokker_planck_spectrum",
               lambda phi, *a, **k: orig(lambda z: 1.02 * phi(z), *a, **k))


def _langevin_wrap(drift_factor):
    def plant(mp):
        orig = rp.samplers.langevin
        mp.setattr(rp.samplers, "langevin", lambda drift, z0, **k: orig(
            drift_factor * np.asarray(drift, dtype=float), z0, **k))
    return plant


BUGS.update({
    "ch07.similarity": ("V_s with +½∇²Φ", _vs_sign),
    "ch07.oscillator": ("V_s with +½∇²Φ", _vs_sign),
    "ch07.fp_spectrum": ("constraint variance s² = 0.26 instead of 1/4", _constraint_variance),
    "ch07.double_well": ("one discretisation at temperature 1/1.02", _fp_temperature),
    "ch07.langevin_rates": ("friction 1.1 (drift 10 % weak)", _langevin_wrap(1 / 1.1)),
    "ch07.stationary_variance": ("walkers at temperature 1.05", _langevin_wrap(1 / 1.05)),
    "ch07.divergence": ("constraint variance s² = 0.26 instead of 1/4", _constraint_variance),
})

_F, _LK = "rbmphys.symbolic.fokker_planck", "rbmphys.kernels._langevin"
BUGS.update({
    "ch07.mean_trajectory": ("Langevin noise √Δt instead of √(2Δt)", _src_bug(
        _LK, "_run", "sq = np.sqrt(2.0 * dt)", "sq = np.sqrt(dt)")),
    "ch07.quartic_stationary": ("Horner loop drops the constant term of the drift", _src_bug(
        _LK, "_run", "for k in range(deg - 2, -1, -1):", "for k in range(deg - 2, 0, -1):")),
    "ch07.schrodinger_mode": ("V_s = |∇Φ|²/2 − ∇²Φ/2", _src_bug(
        _F, "schrodinger_potential", "sp.Rational(1, 4)", "sp.Rational(1, 2)")),
    "ch07.fp_spectrum_2d": ("u-mode potential without β", _src_bug(
        _F, "mode_potentials", "Phi_u = -beta * sigma / 2 * u**2", "Phi_u = -sigma / 2 * u**2")),
    "ch07.ou_propagator": ("Fokker–Planck operator with diffusion 2", _src_bug(
        _F, "fokker_planck_operator", "+ _lap(p, zs)", "+ 2 * _lap(p, zs)")),
    "ch07.relaxed_stationary": ("projected biases swapped in the relaxed Z", _src_bug(
        "rbmphys.analysis.reciprocal", "relaxed_log_partition",
        "ell = beta * np.array([rm.a_t[k], rm.b_t[k]])",
        "ell = beta * np.array([rm.b_t[k], rm.a_t[k]])")),
})

# ------------------------------------------------------------ Chapter 8 (symmetry, Landau)
def _stretched_rotation(mp):
    from rbmphys.analysis import symmetry as S
    orig = S.random_rotation
    mp.setattr(S, "random_rotation", lambda n, rng=None: 1.001 * orig(n, rng))


def _conjugating_rotation(mp):
    from rbmphys.analysis import symmetry as S
    orig = S.rotate_singular_vectors
    mp.setattr(S, "rotate_singular_vectors",
               lambda W, R, side="visible", conjugate=False: orig(W, R, side=side,
                                                                  conjugate=True))


def _moment_std_for_var(mp):
    from rbmphys.symbolic import fokker_planck as F
    mp.setattr(F, "_gaussian_moment", lambda p, s: 0 if p % 2 else (
        s ** (p // 2) * __import__("sympy").factorial2(p - 1) if p else 1))


def _bit_kurtosis(mp):
    from rbmphys.symbolic import fokker_planck as F
    mp.setattr(F, "BIT_K4", -1 / 16)


def _sym_wrap(name, make):
    def plant(mp):
        from rbmphys.analysis import symmetry as S
        mp.setattr(S, name, make(getattr(S, name)))
    return plant


def _prior_sigma_not_squared(mp):
    from rbmphys.analysis import symmetry as S
    mp.setattr(S, "log_gaussian_prior", lambda W, s: float(
        -0.5 * np.size(W) * np.log(2 * np.pi * s) - np.sum(np.asarray(W) ** 2) / (2 * s**2)))


def _rotation_fixing_first_axis(mp):
    from rbmphys.analysis import symmetry as S
    orig = S.random_rotation

    def rot(n, rng=None):
        R = np.eye(int(n))
        R[1:, 1:] = orig(int(n) - 1, rng)           # an off-by-one: axis 0 never moves
        return R
    mp.setattr(S, "random_rotation", rot)


def _fokker_wrap(name, make):
    def plant(mp):
        from rbmphys.symbolic import fokker_planck as F
        mp.setattr(F, name, make(getattr(F, name)))
    return plant


def _k111_sign(orig):
    def lc():
        K11, K111, K1111, ks = orig()
        return K11, -K111, K1111, ks
    return lc


BUGS.update({
    "ch08.prior_invariance": ("a 'rotation' stretched by 0.1 %", _stretched_rotation),
    "ch08.js_untrained": ("U → RURᵀ with LAPACK's completion of U (not Haar)",
                          _conjugating_rotation),
    "ch08.js_trained": ("a trainer that never updates", _frozen_trainer),
    "ch08.hierarchical_order": ("a trainer that never updates", _frozen_trainer),
    "ch08.landau_symbolic": ("fluctuations with ⟨η²⟩ = s instead of s²", _moment_std_for_var),
    "ch08.landau_vs_exact": ("fourth cumulant of a bit −1/16 instead of −1/8", _bit_kurtosis),
    "ch08.order_parameter": ("fourth cumulant of a bit −1/16 instead of −1/8", _bit_kurtosis),
    "ch08.prior_value": ("ln(2πσ_W) instead of ln(2πσ_W²) in the normalisation",
                         _prior_sigma_not_squared),
    "ch08.haar_moments": ("Haar rotations of n − 1 axes (axis 0 never moves)",
                          _rotation_fixing_first_axis),
    "ch08.rotation_action": ("U → RᵀU instead of RU", _sym_wrap(
        "rotate_singular_vectors", lambda f: lambda W, R, side="visible", conjugate=False:
        f(W, np.asarray(R).T, side=side, conjugate=conjugate))),
    "ch08.rotate_except": ("keep off by one (one leading mode rotated)", _sym_wrap(
        "rotate_except", lambda f: lambda W, keep, rng=None: f(W, keep - 1, rng))),
    "ch08.js_value": ("Jensen–Shannon divergence in nats instead of bits", _sym_wrap(
        "js_divergence", lambda f: lambda a, b, **k: f(a, b, **k) * np.log(2))),
    "ch08.hierarchical_tracked": ("a trainer that never updates", _frozen_trainer),
    "ch08.landau_minima": ("minima of −σδ²/2 + k̄δ²/2 + ᾱδ⁴ (the ¼ dropped)", _fokker_wrap(
        "landau_minima", lambda f: lambda: (f()[0] / 2,) + tuple(f()[1:]))),
    "ch08.landau_quadrature": ("fluctuations with ⟨η²⟩ = s instead of s²",
                               _moment_std_for_var),
    "ch08.legendre_biased": ("K₁₁₁ = +κ₃/κ₂³ (the sign of the series reversion)",
                             _fokker_wrap("legendre_coefficients", _k111_sign)),
    "ch08.ordered_minimum_value": ("tanh(tc) instead of tanh(tc/2) in V_c'", _sym_wrap(
        "constraint_force", lambda f: lambda c, z: f(c, z) / 2)),
})

# ------------------------------------------------------------------------------ Chapter 9
def _pattern_norm_over_k(mp):
    from rbmphys.models import _patterns
    mp.setattr(_patterns, "_normalisation", lambda K: 1.0 / K)


def _rapid_hidden_flipped_in_weights(mp):
    from rbmphys.models._patterns import pattern_weights
    mp.setattr(rp.RAPID, "_write_weights",
               lambda self, model: model.W.__setitem__(Ellipsis,
                                                       pattern_weights(self.xi_v, -self.xi_h)))


def _pid_visible_flipped(mp):
    orig = rp.RAPID.negative_phase
    mp.setattr(rp.RAPID, "negative_phase", lambda self, model, key=0: -orig(self, model, key))


def _printed_a7_sign(mp):
    orig = rp.RAPID.pattern_gradient

    def grad(self, model, batch, negative):
        dv, dh = orig(self, model, batch, negative)
        return -dv, -dh
    mp.setattr(rp.RAPID, "pattern_gradient", grad)


def _negative_states_mispaired(mp):
    orig = rp.RAPID.negative_states

    def neg(self, model, key=0):
        v, h = orig(self, model, key)
        return v, -h
    mp.setattr(rp.RAPID, "negative_states", neg)


def _moments_s4_over_k(mp):
    from rbmphys import models
    from rbmphys.models import _patterns
    orig = _patterns.pattern_weight_moments
    f = lambda K: (orig(K)[0], orig(K)[1] * K)          # noqa: E731  ⟨S⁴⟩/K, not /K²
    mp.setattr(_patterns, "pattern_weight_moments", f)
    mp.setattr(models, "pattern_weight_moments", f)


def _attach_binarises(mp):
    orig = rp.RAPID.attach

    def attach(self, model, rng=None, *, patterns=None):
        if patterns is not None:
            patterns = tuple(np.where(np.asarray(p) >= 0, 1.0, -1.0) for p in patterns)
        return orig(self, model, rng, patterns=patterns)
    mp.setattr(rp.RAPID, "attach", attach)


def _gradient_without_hidden_bias(mp):
    import math

    def grad(self, model, batch, negative):
        X = np.ascontiguousarray(batch, dtype=model.dtype)
        T = model.hidden.mean_pass(X @ model.W, np.zeros_like(model.b), scale=1.0 / len(X))
        G = (X.T @ T).astype(np.float64) - negative
        c = 1.0 / math.sqrt(self.n_patterns)
        return c * (self.xi_h @ G.T), c * (self.xi_v @ G)
    mp.setattr(rp.RAPID, "pattern_gradient", grad)


def _gibbs_pid_without_bias(mp):
    from rbmphys.training import _rapid as RR
    orig = rp.RAPID.negative_phase

    def neg(self, model, key=0):
        if self.gibbs_steps == 0:
            return orig(self, model, key)
        v = self._chains(model, np.ascontiguousarray(RR._spin_sign(self.xi_v),
                                                     dtype=model.dtype), key)
        Th = model.hidden.mean_pass(v @ model.W, np.zeros_like(model.b),
                                    scale=1.0 / self.n_patterns)
        return (v.T @ Th).astype(np.float64)
    mp.setattr(rp.RAPID, "negative_phase", neg)


BUGS.update({
    "ch09.pattern_moments": ("eq. (5) normalised by 1/K instead of 1/√K", _pattern_norm_over_k),
    "ch09.mattis_ground_states": ("hidden patterns enter eq. (5) with the wrong sign",
                                  _rapid_hidden_flipped_in_weights),
    "ch09.pid_exact": ("the PID average with the wrong sign", _pid_visible_flipped),
    "ch09.pattern_gradient": ("the printed sign of (A7)", _printed_a7_sign),
    "ch09.accessibility_size": ("a frozen sampler", _frozen_sampler),
    "ch09.method_accessibility": ("negative-phase patterns paired with flipped hidden parts",
                                  _negative_states_mispaired),
    "ch09.bars_hamming": ("a trainer that never updates", _frozen_trainer),
    "ch09.bars_gap": ("a trainer that never updates", _frozen_trainer),
    "ch09.svd_rank": ("a trainer that never updates", _frozen_trainer),
    "ch09.bas_no_memorisation": ("a trainer that never updates", _frozen_trainer),
    "ch09.pattern_moments_exact": ("⟨S⁴⟩/K instead of ⟨S⁴⟩/K² in the closed form",
                                   _moments_s4_over_k),
    "ch09.pattern_weights_hebb": ("eq. (5) normalised by 1/K instead of 1/√K",
                                  _pattern_norm_over_k),
    "ch09.mattis_continuous": ("continuous patterns binarised on attach",
                               _attach_binarises),
    "ch09.pattern_gradient_biased": ("positive phase tanh(Wᵀv) without the hidden bias",
                                     _gradient_without_hidden_bias),
    "ch09.pid_gibbs": ("Gibbs-seeded PID's tanh without the hidden bias",
                       _gibbs_pid_without_bias),
    "ch09.algorithm1_epochs": ("no projection at the end of the epoch (B1 forgotten)",
                               lambda mp: mp.setattr(rp.RAPID, "end_epoch",
                                                     lambda self, model, ctx: None)),
})

#: Extra bugs that a claim must also catch (the issue's list).
MORE_BUGS = {
    "ch02.pcd_negative_phase": ("CD-1 in place of PCD-1", _cd_for_pcd),
}


def _all_claim_ids():
    load_all()
    return sorted(registry)


# ---- claims added after the blind bug audit (benchmarks/blind_audit): the bugs it planted
BUGS.update({
    "ch03.free_field_covariance": ("free-field samples L⁻¹z instead of L⁻ᵀz (transposed "
                                   "Cholesky factor)", _src(
        "rbmphys.datasets._lattice", "sample_free_field",
        "linalg.solve_triangular(L.T, z, lower=False).T",
        "linalg.solve_triangular(L, z, lower=True).T")),
    "ch04.fused_phases_fd": ("fused Gaussian mean pass without the variance", _src(
        "rbmphys.models._units", "Gaussian.mean_pass",
        "out *= out.dtype.type(scale * self.variance)", "out *= out.dtype.type(scale)")),
    "ch06.random_sv_scale": ("random weights of s.d. σ_W² instead of σ_W", _src(
        "rbmphys.analysis.random_matrix", "random_singular_values",
        "g.normal(0.0, sigma_w, (n, m))", "g.normal(0.0, sigma_w ** 2, (n, m))")),
    "ch09.accessibility_identity": ("accessibility keeps the highest energy", _src(
        "rbmphys.analysis.spinglass", "accessibility", "return float(ratios.max())",
        "return float(ratios.min())")),
})

def test_every_claim_has_a_planted_bug():
    ids = _all_claim_ids()
    missing = [i for i in ids if i not in BUGS]
    assert not missing, f"claims with no planted bug: {missing}"
    stale = [i for i in BUGS if i not in ids]
    assert not stale, f"bugs for claims that do not exist: {stale}"


CASES = [(cid, desc, plant) for cid, (desc, plant) in BUGS.items()] + \
        [(cid, desc, plant) for cid, (desc, plant) in MORE_BUGS.items()]


@pytest.fixture(autouse=True)
def _fresh_symbolic_caches():
    yield
    _clear_symbolic_caches()                 # no buggy expression survives its test


@pytest.mark.parametrize("claim_id,bug,plant", CASES, ids=[f"{c}[{d}]" for c, d, _ in CASES])
def test_claim_fails_under_planted_bug(claim_id, bug, plant, monkeypatch):
    monkeypatch.setenv("RBMPHYS_NO_CACHE", "1")
    monkeypatch.setenv("RBMPHYS_JOBS", "1")     # the bug lives in this process, not in workers
    c = get_claim(claim_id)
    plant(monkeypatch)
    result = c.run(quick=True)
    assert not result.passed, (f"{claim_id} still passes with the bug '{bug}': "
                               f"{result.line()}")
