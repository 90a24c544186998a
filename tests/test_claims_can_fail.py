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
    from rbmphys.verify.experiments import ch02
    orig = ch02.make_rule
    mp.setattr(ch02, "make_rule", lambda name, n_chains=100: orig(
        "CD-1" if name == "PCD-1" else name, n_chains))


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

#: Extra bugs that a claim must also catch (the issue's list).
MORE_BUGS = {
    "ch02.pcd_negative_phase": ("CD-1 in place of PCD-1", _cd_for_pcd),
}


def _all_claim_ids():
    load_all()
    return sorted(registry)


def test_every_claim_has_a_planted_bug():
    ids = _all_claim_ids()
    missing = [i for i in ids if i not in BUGS]
    assert not missing, f"claims with no planted bug: {missing}"
    stale = [i for i in BUGS if i not in ids]
    assert not stale, f"bugs for claims that do not exist: {stale}"


CASES = [(cid, desc, plant) for cid, (desc, plant) in BUGS.items()] + \
        [(cid, desc, plant) for cid, (desc, plant) in MORE_BUGS.items()]


@pytest.mark.parametrize("claim_id,bug,plant", CASES, ids=[f"{c}[{d}]" for c, d, _ in CASES])
def test_claim_fails_under_planted_bug(claim_id, bug, plant, monkeypatch):
    monkeypatch.setenv("RBMPHYS_NO_CACHE", "1")
    c = get_claim(claim_id)
    plant(monkeypatch)
    result = c.run(quick=True)
    assert not result.passed, (f"{claim_id} still passes with the bug '{bug}': "
                               f"{result.line()}")
