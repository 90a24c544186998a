"""Chapter 2: its claims pass (quick), its script draws every figure, and the checks can fail."""

from __future__ import annotations

from pathlib import Path

import numpy as np

import rbmphys as rp
from _chapter_claims import assert_figures_written, assert_quick_claims_pass, run_chapter_quick

ROOT = Path(__file__).resolve().parents[1]


def test_every_chapter2_claim_passes_quick():
    assert_quick_claims_pass(2, at_least=8)


def test_checks_have_power():
    from rbmphys.verify.claims import ch02
    from rbmphys.experiments.ch02 import chi2_model
    m = chi2_model(spin=False)
    _, p = rp.exact.visible_distribution(m)
    q = p * np.exp(0.3 * np.linspace(-1, 1, len(p)))       # a slightly wrong distribution
    assert ch02.gibbs_chi2_pvalue(m, quick=True, probs=q / q.sum())[0] < 0.01
    # a model too strongly coupled to mix in 30 sweeps is caught (see _chi2_model)
    strong = rp.SpinRBM.random(6, 4, weight_scale=0.8, bias_scale=0.5, rng=ch02.SEED)
    assert ch02.gibbs_chi2_pvalue(strong, quick=True)[0] < 0.01


def test_chapter2_runs_cell_by_cell_and_writes_figures(tmp_path, capsys):
    results, out, index = run_chapter_quick(2, tmp_path, capsys)
    assert len(results) == 13 and all(r.passed for r in results.values())
    assert "exact test log-likelihood" in out and "bits" in out and "swap acceptance" in out
    assert_figures_written(tmp_path, index, (
        "fig02_01_gibbs_vs_exact", "fig02_02_tempering", "fig02_03_gradient",
        "fig02_04_bars_training", "fig02_05_ais_bracket", "fig02_06_ll_vs_epochs",
        "fig02_07_mnist_samples_filters"), 2)
    assert index["fig02_06_ll_vs_epochs"]["paper"] == "Toledo-Marin Fig. 1"
