"""Chapter 2 claims: sampling and learning, checked against exact enumeration.

Sources: Toledo-Marin et al. eqs. (1)-(13) (likelihood, gradient, Gibbs estimator, updates);
Aarts, Lucini, Park App. A (PCD); Neal (2001), Salakhutdinov & Murray (2008) (AIS); Burda,
Grosse, Salakhutdinov (2015) (reverse AIS); Toledo-Marin et al. Fig. 1.
"""

from __future__ import annotations

import numpy as np

from ... import exact
from ...analysis import chi2_test, fisher_combine
from ..experiments import ch02 as learning
from ...models import BernoulliRBM, SpinRBM
from .._registry import Measurement, claim

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
    pvals = [chi2_test(learning.gibbs_histogram(model, n, sweeps, SEED + s), probs)[2]
             for s in seeds]
    return fisher_combine(pvals), pvals


def _chi2_model(cls):
    """V=6, H=4 test model.  The ±1 model gets half the weight scale: by the gauge map
    (W' = 4W) ±1 couplings act four times as strongly, and at scale 0.8 its chains need ~1000
    sweeps to cross between modes (30 sweeps: χ² p ≈ 0; 1000 sweeps: p ≈ 0.8, measured)."""
    if cls is SpinRBM:
        return cls.random(6, 4, weight_scale=0.4, bias_scale=0.25, rng=SEED)
    return cls.random(6, 4, weight_scale=0.8, bias_scale=0.5, rng=SEED)


@claim("ch02.gibbs_chi2_01", chapter=2, title="block Gibbs samples follow exact p(v) ({0,1})",
       source="ToledoMarin2025 eqs. (10)-(12); detailed balance")
def _gchi01(quick):
    p, pv = gibbs_chi2_pvalue(_chi2_model(BernoulliRBM), quick)
    return Measurement(ALPHA, p, 0.0, _CHI2, "ge", {"pvalues": pv})


@claim("ch02.gibbs_chi2_pm1", chapter=2, title="block Gibbs samples follow exact p(v) (±1)",
       source="PozasKerstjens2021 (B2); detailed balance")
def _gchipm(quick):
    p, pv = gibbs_chi2_pvalue(_chi2_model(SpinRBM), quick)
    return Measurement(ALPHA, p, 0.0, _CHI2, "ge", {"pvalues": pv})


def pt_experiment(quick):
    """(combined χ² p-value of PT, PT mode fraction, Gibbs mode fraction, exact mode mass,
    acceptance rates) on :func:`rbmphys.verify.experiments.ch02.bimodal_model`."""
    import rbmphys as rp
    m, xi = learning.bimodal_model()
    states, p = exact.visible_distribution(m)
    n, sweeps = (1500, 200) if quick else (5000, 400)
    pvals, frac_pt = [], []
    for s in (1, 2, 3):
        pt = rp.ParallelTempering(m, np.geomspace(0.05, 1, 10), n, rng=SEED + s).run(sweeps)
        pvals.append(chi2_test(np.bincount(learning.state_index(pt.v, m.visible), minlength=256),
                               p)[2])
        frac_pt.append(float(np.mean(pt.v @ xi > 0)))
    v = rp.gibbs(m, np.tile(xi, (n, 1)), sweeps, rng=SEED)
    return (fisher_combine(pvals), float(np.mean(frac_pt)), float(np.mean(v @ xi > 0)),
            float(p[states @ xi > 0].sum()), pt.acceptance_rates)


@claim("ch02.pt_chi2", chapter=2,
       title="parallel tempering samples a bimodal model's exact p(v)",
       source="Chapter 2 (replica exchange); Mattis weights of PozasKerstjens2021 eq. (5)")
def _pt(quick):
    p, fpt, _, mass, rates = pt_experiment(quick)
    return Measurement(ALPHA, p, 0.0, _CHI2, "ge",
                       {"pt_mode_fraction": fpt, "exact_mode_mass": mass,
                        "swap_acceptance": rates})


@claim("ch02.gibbs_trapped", chapter=2,
       title="plain Gibbs started in one mode of the same model stays there",
       source="Chapter 2 (mixing failure of block Gibbs)")
def _trapped(quick):
    _, fpt, fg, mass, _ = pt_experiment(quick)
    return Measurement(0.4, abs(fg - mass), 0.0, "exact mass of the mode is ≈ 1/2; a chain "
                       "population that mixed would be within a few % of it — an excess above "
                       "0.4 means the chains did not cross", "ge",
                       {"gibbs_mode_fraction": fg, "pt_mode_fraction": fpt,
                        "exact_mode_mass": mass})


def finite_difference_gradient(model, data, name="W", h=1e-5):
    """Central finite differences of the exact mean log-likelihood w.r.t. parameter ``name``."""
    param = getattr(model, name)
    fd = np.zeros(param.shape)
    for idx in np.ndindex(param.shape):
        old = param[idx]
        param[idx] = old + h
        up = exact.log_likelihood(model, data)
        param[idx] = old - h
        dn = exact.log_likelihood(model, data)
        param[idx] = old
        fd[idx] = (up - dn) / (2 * h)
    return fd


def gradient_fd_error(model, data, h=1e-5):
    """max |exact gradient − central finite differences of the exact mean log-likelihood|."""
    g = exact.gradient(model, data)
    return max(float(np.max(np.abs(finite_difference_gradient(model, data, k, h) - g[k])))
               for k in ("W", "a", "b"))


@claim("ch02.gradient_fd", chapter=2,
       title="∂L/∂θ = positive − negative phase equals finite differences of the exact LL",
       source="ToledoMarin2025 eqs. (4), (6a-c), (9a-c)")
def _grad(quick):
    worst = 0.0
    for cls in (BernoulliRBM, SpinRBM):
        m = cls.random(5, 4, weight_scale=0.7, bias_scale=0.3, rng=SEED)
        start = np.ones((10, 5)) if cls is BernoulliRBM else -np.ones((10, 5))
        import rbmphys as rp
        data = rp.gibbs(m, start, 3, rng=SEED)
        worst = max(worst, gradient_fd_error(m, data))
    return Measurement(0.0, worst, 1e-8, "central differences, h = 1e-5: truncation O(h²) ~ "
                       "1e-10, round-off ~ ε|L|/h ~ 1e-10")


def _exact_curve(quick):
    return learning.bars_curves(3, 8, "exact", 600 if quick else 2000, 0.3, 6, SEED, 1)


@claim("ch02.exact_training_monotone", chapter=2,
       title="exact-gradient ascent on Bars 3×3 raises the exact LL at every epoch",
       source="ToledoMarin2025 eq. (13) with the exact gradient")
def _mono(quick):
    _, ll, _ = _exact_curve(quick)
    return Measurement(0.0, float(np.min(np.diff(ll))), 0.0, "full-batch gradient ascent with a "
                       "step below 2/curvature never decreases L (lr = 0.3, measured)", "ge")


@claim("ch02.exact_training_optimum", chapter=2,
       title="exact-gradient training approaches the optimum −ln N of Bars 3×3",
       source="Chapter 2: max of the mean LL over N distinct images is −ln N")
def _opt(quick):
    _, ll, opt = _exact_curve(quick)
    delta = 0.2 if quick else 0.05
    return Measurement(opt, float(ll[-1]), delta, f"finite training time: {len(ll)} epochs "
                       f"reach within {delta} nats (the optimum needs infinite weights)", "ge")


@claim("ch02.pcd_bars", chapter=2,
       title="PCD-1 training on Bars gets within a stated distance of −ln N (exact LL)",
       source="AartsLuciniPark2024 App. A (PCD); PozasKerstjens2021 (Bars)")
def _pcd(quick):
    if quick:
        ep, ll, opt = learning.bars_curves(3, 8, "PCD-1", 2000, 0.05, 6, SEED, 10)
        delta = 0.5
    else:
        ep, ll, opt = learning.bars_curves(4, 16, "PCD-1", 3000, 0.02, 7, SEED, 10)
        delta = 1.0
    final = float(np.mean(ll[-10:]))
    return Measurement(opt, final, delta, f"stochastic gradient at fixed lr: the last 10 "
                       f"measurements average within {delta} nats of the optimum", "ge",
                       {"bars": 3 if quick else 4, "epochs": int(ep[-1])})


def _ais_model():
    return BernoulliRBM.random(12, 16, weight_scale=1.0, bias_scale=0.3, rng=SEED)


def ais_pair(quick):
    """(exact ln Z, forward AIS result, reverse AIS result from exact samples)."""
    import rbmphys as rp
    m = _ais_model()
    states, p = exact.visible_distribution(m)
    data = states[np.random.default_rng(SEED).choice(len(p), 500, p=p)]
    nc, nb = (200, 2000) if quick else (500, 10000)
    return (exact.log_partition(m), rp.ais(m, n_chains=nc, n_betas=nb, rng=SEED + 1),
            rp.reverse_ais(m, data, n_betas=nb, rng=SEED + 2))


@claim("ch02.ais_exact", chapter=2, title="AIS ln Z within 3 standard errors of exact (V=12, H=16)",
       source="Neal 2001; Salakhutdinov & Murray 2008")
def _ais(quick):
    ex, fwd, _ = ais_pair(quick)
    return Measurement(ex, fwd.log_z, 3 * fwd.stderr, "3 standard errors of the importance "
                       "weights (delta method)", "abs", {"stderr": fwd.stderr})


@claim("ch02.rais_exact", chapter=2,
       title="reverse AIS from exact samples: ln Z within 3 standard errors of exact",
       source="Burda, Grosse, Salakhutdinov 2015")
def _rais(quick):
    ex, _, rev = ais_pair(quick)
    return Measurement(ex, rev.log_z, 3 * rev.stderr, "3 standard errors (delta method)",
                       "abs", {"stderr": rev.stderr})


def mnist_curves(quick):
    if quick:
        return learning.mnist_ll_curves((20, 50), 2, 1, 500, 100, 2000, 500, 50, 0.05, 0)
    return learning.mnist_ll_curves((50, 200, 500), 20, 4, 2000, 100, 4000, 1000, 100, 0.05, 0)


@claim("ch02.mnist_bracket", chapter=2,
       title="MNIST subset, PCD-1 RBM: reverse-AIS test LL ≤ AIS test LL (the bracket)",
       source="ToledoMarin2025 Fig. 1; Burda et al. 2015")
def _mnist(quick):
    curves = mnist_curves(quick)
    H = max(curves)
    c = curves[H]
    se = float(np.hypot(c["ais_se"][-1], c["rais_se"][-1]))
    return Measurement(0.0, float(c["lower"][-1] - c["upper"][-1]), 3 * se,
                       "forward AIS underestimates ln Z and reverse AIS overestimates it in "
                       "expectation; 3 combined standard errors", "le",
                       {"H": H, "epochs": int(c["epochs"][-1]), "lower": c["lower"][-1],
                        "upper": c["upper"][-1], "epoch_seconds": c["epoch_seconds"]})


@claim("ch02.mnist_learns", chapter=2,
       title="MNIST subset: PCD-1 training raises the whole test-LL bracket",
       source="ToledoMarin2025 Fig. 1")
def _mnist_learns(quick):
    c = mnist_curves(quick)[max(mnist_curves(quick))]
    return Measurement(0.0, float(c["lower"][-1] - c["upper"][0]), 0.0,
                       "the final lower end must lie above the untrained upper end", "ge",
                       {"initial_upper": c["upper"][0], "final_lower": c["lower"][-1]})
