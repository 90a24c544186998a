"""Chapter 2 claims: sampling and learning, checked against exact enumeration.

Every claim measures the library's own samplers, estimators or trainers against an independent
oracle (exact enumeration, finite differences, exact samples).  Monte Carlo claims state their
standard error and cap it, so that a noisier estimate cannot pass more easily.  Each claim is
shown to fail under a planted bug in ``tests/test_claims_can_fail.py``.

Sources: Toledo-Marin et al. eqs. (1)-(13) (likelihood, gradient, Gibbs estimator, updates);
Aarts, Lucini, Park App. A (PCD); Neal (2001), Salakhutdinov & Murray (2008) (AIS); Burda,
Grosse, Salakhutdinov (2015) (reverse AIS); Toledo-Marin et al. Fig. 1.
"""

from __future__ import annotations

import numpy as np

import rbmphys as rp

from ... import exact
from ...analysis import chi2_test, fisher_combine
from ...experiments import ch02 as ex
from .._registry import Measurement, claim, nanmax as _nanmax

SEED = 202
ALPHA = 0.01
_CHI2 = (f"χ² goodness of fit vs exact p(v), one independent sample per chain, seeds combined "
         f"with Fisher's method; fails below α = {ALPHA}")


def gibbs_chi2_pvalue(model, quick, probs=None):
    """Fisher-combined χ² p-value of independent Gibbs chains against ``probs`` (default: the
    model's exact p(v))."""
    if probs is None:
        probs = exact.visible_distribution(model)[1]
    seeds, n, sweeps = ((1, 2, 3), 20_000, 30) if quick else ((1, 2, 3, 4, 5, 6), 100_000, 50)
    pvals = [chi2_test(ex.gibbs_histogram(model=model, n_chains=n, n_sweeps=sweeps,
                                          seed=SEED + s), probs)[2]
             for s in seeds]
    return fisher_combine(pvals), pvals


@claim("ch02.gibbs_chi2_01", title="block Gibbs samples follow exact p(v) ({0,1})",
       source="ToledoMarin2025 eqs. (10)-(12); detailed balance")
def _gchi01(quick):
    p, pv = gibbs_chi2_pvalue(ex.chi2_model(spin=False), quick)
    return Measurement(ALPHA, p, 0.0, _CHI2, "ge", {"pvalues": pv})


@claim("ch02.gibbs_chi2_pm1", title="block Gibbs samples follow exact p(v) (±1)",
       source="PozasKerstjens2021 (B2); detailed balance")
def _gchipm(quick):
    p, pv = gibbs_chi2_pvalue(ex.chi2_model(spin=True), quick)
    return Measurement(ALPHA, p, 0.0, _CHI2, "ge", {"pvalues": pv})


def _mixing(quick):
    n, sweeps = (1500, 200) if quick else (5000, 400)
    return [ex.mode_mixing(n_chains=n, n_sweeps=sweeps, seed=SEED + s) for s in (1, 2, 3)]


@claim("ch02.pt_chi2",
       title="parallel tempering started in one mode samples the bimodal model's exact p(v)",
       source="Chapter 2 (replica exchange); Mattis weights of PozasKerstjens2021 eq. (5)")
def _pt(quick):
    runs = _mixing(quick)
    pvals = [chi2_test(r["pt_counts"], r["exact"])[2] for r in runs]
    return Measurement(ALPHA, fisher_combine(pvals), 0.0,
                       _CHI2 + "; every replica starts in +ξ, so passing needs crossings",
                       "ge", {"pvalues": pvals, "pt_plus": [r["pt_plus"] for r in runs],
                              "plus_mass": runs[0]["plus_mass"],
                              "swap_acceptance": runs[0]["acceptance"]})


def _within_mode(r):
    """χ² p-value of the Gibbs chains found in the +ξ mode (overlap ξ·v > 0) against the exact
    p(v) restricted to that mode (chains that sit on the overlap-0 ridge are left out)."""
    plus = r["states"] @ r["xi"] > 0
    q = np.where(plus, r["exact"], 0.0)
    return chi2_test(np.where(plus, r["gibbs_counts"], 0), q / q.sum())[2]


@claim("ch02.gibbs_local",
       title="plain Gibbs started in +ξ equilibrates inside that mode (exact p(v) restricted)",
       source="Chapter 2 (block Gibbs; local equilibrium)")
def _gibbs_local(quick):
    runs = _mixing(quick)
    pvals = [_within_mode(r) for r in runs]
    return Measurement(ALPHA, fisher_combine(pvals), 0.0, _CHI2.replace(
        "exact p(v)", "exact p(v | v in the +ξ mode)"), "ge", {"pvalues": pvals})


@claim("ch02.gibbs_trapped",
       title="... but it does not cross: after the run > 98 % of the chains are still in +ξ",
       source="Chapter 2 (mixing failure of block Gibbs; barrier ≈ 19/β)")
def _trapped(quick):
    runs = _mixing(quick)
    stay = float(np.mean([r["gibbs_plus"] for r in runs]))
    return Measurement(0.98, stay, 0.0, "the exact mass of the mode is 0.497: a population "
                       "that mixed would sit within a few % of it; crossing the barrier of "
                       "≈ 19/β takes ~e^19 sweeps", "ge",
                       {"plus_mass": runs[0]["plus_mass"], "n_sweeps": 200 if quick else 400})


#: The chapter's finite differences are the library's (Chapter 2 draws its gradient figure from
#: them): central differences of the exact mean log-likelihood.
finite_difference_gradient = exact.finite_difference_gradient


def gradient_fd_error(model, data, h=1e-5):
    """max |exact gradient − central finite differences of the exact mean log-likelihood|."""
    g = exact.gradient(model, data)
    return _nanmax(*[np.max(np.abs(finite_difference_gradient(model, data, k, h) - g[k]))
                     for k in model.params])


def gradient_models():
    """The two models (Bernoulli and ±1, V = 5, H = 4, biases ≠ 0) and data of the gradient
    claim; Chapter 2 draws its gradient figure from the first."""
    out = []
    for cls in (rp.BernoulliRBM, rp.SpinRBM):
        m = cls.random(5, 4, weight_scale=0.7, bias_scale=0.3, rng=SEED)
        out.append((m, exact.sample(m, 10, rng=SEED)))
    return out


@claim("ch02.gradient_fd",
       title="∂L/∂θ = positive − negative phase equals finite differences of the exact LL",
       source="ToledoMarin2025 eqs. (4), (6a-c), (9a-c)")
def _grad(quick):
    worst = _nanmax(*[gradient_fd_error(m, d) for m, d in gradient_models()])
    return Measurement(0.0, worst, 1e-8, "central differences, h = 1e-5: truncation O(h²) ~ "
                       "1e-10, round-off ~ ε|L|/h ~ 1e-10")


def ascent_run(quick):
    """The exact-gradient ascent on Bars 3×3 of the ascent claims and Chapter 2's figure."""
    return ex.exact_ascent(epochs=600 if quick else 2000, lr=0.3,
                           curvature_every=100 if quick else 200, seed=SEED)


@claim("ch02.exact_training_monotone",
       title="exact-gradient ascent on Bars 3×3 raises the exact LL at every epoch",
       source="ToledoMarin2025 eq. (13) with the exact gradient; the descent lemma")
def _mono(quick):
    r = ascent_run(quick)
    step = float(r["lr"] * r["lambda_max"].max() / 2)
    return Measurement(0.0, float(np.min(np.diff(r["ll"]))), 0.0,
                       f"full-batch ascent is monotone while lr < 2/λ_max: the curvature of −L "
                       f"measured along the run (power iteration on the exact Hessian) gives "
                       f"lr·λ_max/2 ≤ {step:.2f} < 1 (the a-priori bound λ ≤ P/4 = "
                       f"{r['a_priori']:.0f} would allow only lr < {2 / r['a_priori']:.3f})",
                       "ge", {"lr_lambda_half": step, "lambda_max": r["lambda_max"]})


@claim("ch02.exact_training_optimum",
       title="exact-gradient training approaches the optimum −ln N of Bars 3×3",
       source="Chapter 2: max of the mean LL over N distinct images is −ln N")
def _opt(quick):
    r = ascent_run(quick)
    delta = 0.2 if quick else 0.05
    return Measurement(r["optimum"], float(r["ll"][-1]), delta,
                       f"finite training time: {len(r['ll']) - 1} epochs reach within {delta} "
                       "nats (the optimum needs infinite weights)", "ge")


@claim("ch02.pcd_negative_phase",
       title="PCD-1's persistent chains estimate the exact model average ⟨v_i h_j⟩",
       source="AartsLuciniPark2024 App. A (PCD); Tieleman 2008")
def _pcd(quick):
    r = ex.negative_phase_bias(rule="PCD-1", n_updates=2000 if quick else 8000)
    return Measurement(0.0, r["z"], 4.5, "max over the 72 entries of |estimate − exact| in "
                       "standard errors (block means over 50 updates of 120 chains); 4.5 SE: the maximum "
                       "of 72 Gaussian |z| exceeds it with probability 5e-4", "le",
                       {"max_bias": r["max_bias"]}, stderr=r["max_se"], max_stderr=0.01)


def _ais_pair(quick):
    n_chains, n_betas = (200, 2000) if quick else (500, 10000)
    return ex.ais_pair(n_chains=n_chains, n_betas=n_betas)


@claim("ch02.ais_exact", title="AIS ln Z within 3 standard errors of exact (V=12, H=16)",
       source="Neal 2001; Salakhutdinov & Murray 2008")
def _ais(quick):
    ex_lz, fwd, _ = _ais_pair(quick)
    return Measurement(ex_lz, fwd.log_z, 3 * fwd.stderr, "3 standard errors of the importance "
                       "weights (the larger of delta method and bootstrap over chains)", "abs",
                       {"ess": fwd.effective_sample_size}, stderr=fwd.stderr,
                       max_stderr=0.05)


@claim("ch02.rais_exact",
       title="reverse AIS from exact samples: ln Z within 3 standard errors of exact",
       source="Burda, Grosse, Salakhutdinov 2015")
def _rais(quick):
    ex_lz, _, rev = _ais_pair(quick)
    return Measurement(ex_lz, rev.log_z, 3 * rev.stderr, "3 standard errors (larger of delta "
                       "method and bootstrap)", "abs", {"ess": rev.effective_sample_size},
                       stderr=rev.stderr, max_stderr=0.05)


def mnist_run(quick):
    """The MNIST-size RBM with exact ln Z and its AIS bracket (claims and Chapter 2)."""
    if quick:
        return ex.mnist_exact_bracket(n_hidden=12, epochs=5, n_train=2000, n_chains=100,
                                      n_betas=1000)
    return ex.mnist_exact_bracket(n_hidden=20, epochs=20, n_train=4000, n_chains=200,
                                  n_betas=3000)


@claim("ch02.mnist_bracket",
       title="MNIST-size RBM (V=784): AIS ≤ exact ln Z ≤ reverse AIS from exact samples",
       source="Neal 2001; Burda et al. 2015; ToledoMarin2025 Fig. 1")
def _mnist_bracket(quick):
    r = mnist_run(quick)
    fwd, rev = r["ais"], r["rais_samples"]
    se = float(np.hypot(fwd.stderr, rev.stderr))
    # worst violation of AIS ≤ exact ≤ reverse, in nats (≤ 0 when the bracket holds)
    viol = _nanmax(fwd.log_z - r["exact"], r["exact"] - rev.log_z)
    return Measurement(0.0, float(viol), 3 * se, "each end holds in expectation (Jensen); 3 "
                       "combined standard errors", "le",
                       {"exact": r["exact"], "ais": fwd.log_z, "reverse": rev.log_z,
                        "reverse_from_test_images": r["rais_test"].log_z,
                        "n_hidden": r["model"].n_hidden}, stderr=se, max_stderr=0.1)


@claim("ch02.mnist_learns",
       title="MNIST subset: PCD-1 training raises the exact test log-likelihood",
       source="ToledoMarin2025 Fig. 1 (the rise in its first epochs)")
def _mnist_learns(quick):
    r = mnist_run(quick)
    m, test = r["model"], r["test"]
    start = rp.BernoulliRBM(np.zeros_like(m.W), r["base_rate"])   # the start: the base rate
    ll0 = rp.exact.log_likelihood(start, test)
    gain = 1.0 if quick else 10.0
    return Measurement(ll0 + gain, r["ll_exact"], 0.0,
                       f"exact values: training must gain at least {gain:g} nats per test image "
                       "over the base-rate model it starts from", "ge",
                       {"untrained": ll0, "trained": r["ll_exact"]})
