r"""Experiments of Chapter 2, shared by its ledger claims and its figures.

Each function runs one seeded experiment and returns plain arrays; results are cached per
argument tuple, so a chapter that checks a claim and then draws its figure does the work once.

* :func:`state_index` — index of a state in :func:`rbmphys.exact.all_states` order;
* :func:`gibbs_histogram` — visible histogram of independent block-Gibbs chains;
* :func:`bimodal_model` — the Mattis-like model on which Gibbs fails to mix (Chapter 2, §PT);
* :func:`bars_curves` — exact log-likelihood curves of training rules on Bars n×n;
* :func:`mnist_ll_curves` — test log-likelihood (AIS / reverse-AIS bracket) vs epochs for
  several hidden sizes on the embedded MNIST subset: Toledo-Marin et al. Fig. 1 at reduced scale.

Introduced in Chapter 2.
"""

from __future__ import annotations

import functools
import time

import numpy as np

__all__ = ["state_index", "gibbs_histogram", "bimodal_model", "bars_curves", "RULE_NAMES",
           "mnist_ll_curves"]


def state_index(v, units):
    """Row index of each state in :func:`rbmphys.exact.all_states` order (unit 0 = MSB);
    ``units`` is the layer's unit object (its values map to bits)."""
    v = np.asarray(v, dtype=np.float64)
    bits = np.rint((v - units.lo) / units.gain)
    return (bits.astype(np.int64) << np.arange(v.shape[1] - 1, -1, -1)).sum(axis=1)


def gibbs_histogram(model, n_chains, n_sweeps, seed):
    """Counts over all visible states of ``n_chains`` independent chains after ``n_sweeps``
    sweeps from uniformly random starts (one sample per chain)."""
    import rbmphys as rp
    st = rp.ChainState(model, n_chains=n_chains, rng=seed).run(n_sweeps)
    return np.bincount(state_index(st.v, model.visible), minlength=2**model.n_visible)


def bimodal_model(scale=0.6, n_visible=8, n_hidden=4, seed=3):
    """A Mattis model (K = 1) with weights ``scale``·ξ_vξ_hᵀ: two deep modes ±ξ_v.

    Returns (model, ξ_v)."""
    from rbmphys import SpinRBM
    from rbmphys.analysis.ising import mattis_model
    m, xv, _ = mattis_model(n_visible, n_hidden, rng=seed)
    return SpinRBM(scale * m.W), xv[0]


#: Names accepted by :func:`bars_curves`.
RULE_NAMES = ("exact", "PCD-1", "CD-1", "Rdm-10")


def _rule(name):
    import rbmphys as rp
    return {"exact": rp.ExactGradient(), "PCD-1": rp.PCD(k=1, n_chains=100),
            "CD-1": rp.CD(k=1), "Rdm-10": rp.RdmK(k=10, n_chains=100)}[name]


@functools.lru_cache(maxsize=32)
def bars_curves(n=3, n_hidden=8, rule="PCD-1", epochs=1000, lr=0.05, batch_size=6, seed=0,
                every=10):
    """Exact mean log-likelihood vs epoch of one rule on Bars n×n (all 2ⁿ−2 images).

    Returns (epochs, log-likelihoods, optimum −ln N)."""
    import rbmphys as rp
    data = rp.datasets.bars(n)
    m = rp.BernoulliRBM.random(n * n, n_hidden, weight_scale=0.1, rng=seed)
    h = rp.train(m, data, _rule(rule), epochs=epochs, batch_size=batch_size, lr=lr,
                 rng=seed + 1, monitor={"every": every})
    ok = ~np.isnan(h["exact_ll"])
    return h.epochs[ok], h["exact_ll"][ok], -np.log(len(data))


@functools.lru_cache(maxsize=8)
def mnist_ll_curves(hidden_sizes=(50, 200, 500), epochs=10, eval_every=2, n_betas=2000,
                    n_chains=100, n_train=4000, n_test=1000, n_eval=100, lr=0.05, seed=0):
    """Train PCD-1 RBMs (float32, batch 100) on the binarised MNIST subset and bracket the test
    log-likelihood with AIS (upper) and reverse AIS from test images (lower) every
    ``eval_every`` epochs (Toledo-Marin et al. Fig. 1, reduced scale).

    Returns
    -------
    dict H -> dict with "epochs", "lower", "upper", "ais_se", "rais_se" (arrays),
    "epoch_seconds" (median wall time of one training epoch), "model" (the trained RBM).
    """
    import rbmphys as rp
    train, test = rp.datasets.mnist_train_test(n_test=1000, binarize=True, rng=seed)
    train, test = train[:n_train], test[:n_test]
    out = {}
    for k, H in enumerate(hidden_sizes):
        m = rp.BernoulliRBM.random(784, H, weight_scale=0.01, rng=seed + k, dtype=np.float32)
        # visible bias from the data marginal (Hinton's recipe): the base rate of AIS
        p = np.clip((train.sum(0) + 1) / (len(train) + 2), 1e-3, 1 - 1e-3)
        m.a[:] = np.log(p) - np.log1p(-p)
        tr = rp.Trainer(m, rp.PCD(k=1, n_chains=100), batch_size=100, lr=lr, rng=seed + 10 + k)
        rec = {"epochs": [], "lower": [], "upper": [], "ais_se": [], "rais_se": []}
        secs = []
        for ep in range(epochs + 1):
            if ep:
                t0 = time.perf_counter()
                tr.fit(train, 1, monitor={"every": 0})
                secs.append(time.perf_counter() - t0)
            if ep % eval_every == 0 or ep == epochs:
                fwd = rp.ais(m, n_chains=n_chains, n_betas=n_betas, data=train,
                             rng=seed + 100 * k + ep)
                rev = rp.reverse_ais(m, test[:n_eval], n_betas=n_betas, base_data=train,
                                     rng=seed + 100 * k + ep + 50)
                lo, hi = rp.samplers.ll_bracket(m, test, fwd, rev)
                for key, val in (("epochs", ep), ("lower", lo), ("upper", hi),
                                 ("ais_se", fwd.stderr), ("rais_se", rev.stderr)):
                    rec[key].append(val)
        out[H] = {k2: np.array(v) for k2, v in rec.items()}
        out[H]["epoch_seconds"] = float(np.median(secs)) if secs else float("nan")
        out[H]["model"] = m
    return out
