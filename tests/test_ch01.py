"""Chapter 1: its claims pass, its script runs and draws, and the claims can fail."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import numpy as np
import pytest

import rbmphys as rp
from rbmphys.verify import get_claim, run_claims

ROOT = Path(__file__).resolve().parents[1]


def test_every_chapter1_claim_passes_quick():
    results = run_claims([1], quick=True, echo=False)
    assert len(results) >= 6
    failed = [r.line() for r in results if not r.passed]
    assert not failed, failed


def test_claim_results_serialise():
    d = get_claim("ch01.gauge_p").run(quick=True).to_dict()
    assert d["passed"] and d["chapter"] == 1 and d["reason"] and d["tolerance"] == 1e-12
    json.dumps(d)


def test_measurements_are_honest(monkeypatch):
    from rbmphys.verify.claims import ch01
    m = rp.SpinRBM.random(4, 3, weight_scale=1.0, bias_scale=1.0, rng=0)
    assert ch01.gauge_p_error(m) < 1e-12
    assert ch01.gauge_p_error(m, shift=0.1) > 1e-3           # a wrong map is caught
    assert ch01.gauge_energy_error(m, c_offset=0.01) > 1e-3  # a wrong constant is caught
    b = rp.BernoulliRBM.random(4, 3, weight_scale=1.0, rng=0)
    assert ch01.conditional_error(b) < 1e-12
    # a library bug is caught: the ±1 gain on {0,1} units
    monkeypatch.setattr(rp.units.Bernoulli, "gain", property(lambda self: 2.0))
    assert ch01.conditional_error(b) > 1e-2
    monkeypatch.undo()
    err = ch01.hopfield_errors([0.01, 0.02])
    assert err[1] / err[0] == pytest.approx(16, rel=0.02)    # ε⁴ directly


def test_chapter1_main_quick_writes_figures(tmp_path):
    spec = importlib.util.spec_from_file_location("ch01", ROOT / "chapters" / "ch01_ising.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    results = mod.main(outdir=tmp_path, quick=True)
    assert results and all(r.passed for r in results.values())
    index = json.loads((tmp_path / "figures.json").read_text())
    for stem in ("fig01_01_landscape", "fig01_02_mattis", "fig01_03_hopfield_scaling"):
        assert (tmp_path / f"{stem}.png").stat().st_size > 5000
        assert index[stem]["chapter"] == 1
