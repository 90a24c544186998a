r"""Experiments of Chapter 9 (Pozas-Kerstjens et al., RAPID), shared by the ledger and the chapter.

* :func:`untrained_accessibility` — Fig. 1: Gibbs accessibility of untrained RA, Gaussian and
  uniform RBMs against the weight standard deviation, and against V at a fixed scale;
* :func:`bars_runs` — Figs. 2-4: Bars 4×4 (10 train / 4 test, flips kept together) trained
  with RAPID (K = 8), PCD-10 and (full runs) the exact gradient, independent runs through
  :func:`rbmphys.parallel.run`; records Hamming distances, Gibbs and method accessibility, and
  the singular values of the trained weights;
* :func:`bas_runs` — Fig. 5: BAS 12×12 with RAPID (K = 40, H = 1000, batch 120);
* :func:`mnist_rapid` — Figs. 6-7: RAPID with Gibbs-seeded patterns on the binarised MNIST
  subset, AIS negative log-likelihood on train and test images, the learnt patterns.

All runs are seeded by their arguments and cached on disk (:mod:`rbmphys.experiments.cache`).

Introduced in Chapter 9.
"""

from __future__ import annotations

import numpy as np

from .cache import cached

__all__ = ["bars_split", "bars_single_run", "bars_runs", "untrained_accessibility",
           "accessibility_scan", "accessibility_inset",
           "bas_runs", "mnist_rapid", "BARS", "QUICK", "FULL", "BAS_QUICK", "BAS_FULL",
           "ACC_QUICK", "ACC_FULL", "MNIST_QUICK", "MNIST_FULL"]

#: Bars 4×4 settings of the paper (Sec. V A) and our reduced quick ones.
BARS = {"K": 8, "lr_rapid_H": 20.0, "lr_pcd": 0.03, "batch": 10, "pcd_chains": 256, "pcd_k": 10}
QUICK = {"n_hidden": 200, "epochs": 40, "record_every": 8, "n_runs": 20, "n_recon": 25}
FULL = {"n_hidden": 1000, "epochs": 100, "record_every": 5, "n_runs": 40, "n_recon": 50}


def bars_split(*, seed):
    """Bars 4×4 in ±1 form: 10 training and 4 test images, each image with its flip on the same
    side (with ±1 spins and no biases v and −v have the same energy; Pozas-Kerstjens et al.
    Sec. V A). Introduced in Chapter 9.

    Parameters
    ----------
    seed : int
        Seed of the split.

    Returns
    -------
    train : ndarray (10, 16)
    test : ndarray (4, 16)
    """
    import rbmphys as rp
    bars = 2.0 * rp.datasets.bars(4) - 1.0
    return rp.datasets.train_test_split(bars, n_test=4, rng=seed)


def _hd(model, images, n_recon, seed):
    from rbmphys.analysis.spinglass import hamming_distance, reconstruct, top_row_mask
    clamp = top_row_mask((4, 4))
    x = np.repeat(images, n_recon, axis=0)
    r = reconstruct(model, x, clamp, n_sweeps=10, rng=seed)
    return float(hamming_distance(r, x, ~clamp).mean())


def bars_single_run(*, method, seed, n_hidden, epochs, record_every, n_recon):
    r"""One Bars 4×4 training run (module level so that joblib can ship it to a worker).

    RAPID's weights are built from K joint patterns, :math:`W = K^{-1/2}\sum_k
    \xi_v^{(k)}\xi_h^{(k)T}` (Pozas-Kerstjens et al. Eq. (5)), and trained through them.
    Introduced in Chapter 9.

    Parameters
    ----------
    method : {"rapid", "pcd", "exact"}
        ``"rapid"`` (K = 8 patterns, the sign projection (B1) after every epoch, pure PID),
        ``"pcd"`` (PCD-10 on 256 persistent chains, weights N(0, 0.01²), no biases learnt in
        effect: the data are flip-symmetric), ``"exact"`` (the exact gradient by enumeration of
        the :math:`2^{16}` visible states).
    seed : int
        Seed of the split (:func:`bars_split`) and the model; the trainer uses ``seed + 1``.
    n_hidden : int
        Hidden units H.
    epochs : int
        Training epochs.
    record_every : int
        Record every this many epochs (and at epochs 0 and 1).
    n_recon : int
        Reconstructions per image for the Hamming distances.

    Returns
    -------
    dict
        Arrays over the record epochs: ``epoch``, ``hd_train``, ``hd_test`` (Hamming distance
        of reconstructions of the bottom rows from the clamped top row), ``gibbs_acc``,
        ``method_acc`` (accessibility of the ground state), ``e0``; ``sigma`` (final singular
        values), ``W``, ``ll_train``, ``ll_test`` (exact mean log-likelihoods per epoch, NaN
        but the last).
    """
    import rbmphys as rp
    from rbmphys.analysis.spinglass import (accessibility, gibbs_accessibility,
                                            ground_state_energy)
    train, test = bars_split(seed=seed)
    V, H = 16, n_hidden
    if method == "rapid":
        rule = rp.RAPID(n_patterns=BARS["K"], projection="sign")
        m = rule.attach(rp.SpinRBM(np.zeros((V, H))), rng=seed)
        lr = BARS["lr_rapid_H"] / n_hidden     # the pattern gradient sums over H
    elif method in ("pcd", "exact"):
        m = rp.SpinRBM.random(V, H, weight_scale=0.01, rng=seed)
        rule = rp.PCD(k=BARS["pcd_k"], n_chains=BARS["pcd_chains"]) if method == "pcd" \
            else rp.ExactGradient()
        lr = BARS["lr_pcd"]
    else:
        raise ValueError(f"method must be 'rapid', 'pcd' or 'exact', got {method!r}")
    tr = rp.Trainer(m, rule, batch_size=BARS["batch"], lr=lr, rng=seed + 1)
    rec = {k: [] for k in ("epoch", "hd_train", "hd_test", "gibbs_acc", "method_acc", "e0")}

    memo = {}

    def record(ep):
        key = m.W.tobytes()                 # E0 only changes when W does
        if memo.get("key") != key:
            memo["key"], memo["e0"] = key, ground_state_energy(m)
        e0 = memo["e0"]
        rec["epoch"].append(ep)
        rec["e0"].append(e0)
        rec["hd_train"].append(_hd(m, train, n_recon, seed + 10 * ep + 2))
        rec["hd_test"].append(_hd(m, test, n_recon, seed + 10 * ep + 3))
        rec["gibbs_acc"].append(gibbs_accessibility(m, 100, 10, rng=seed + 10 * ep + 4, e0=e0))
        if method == "rapid":
            v, h = rule.negative_states(m)
            rec["method_acc"].append(accessibility(m, v, h, e0))
        elif method == "pcd" and rule.chains_v is not None:
            rec["method_acc"].append(accessibility(m, rule.chains_v, rule.chains_h, e0))
        else:
            rec["method_acc"].append(np.nan)

    record(0)
    for ep in range(1, epochs + 1):
        # exact log-likelihoods (2^16 states each) only at the end: nothing reads the others
        tr.fit(train, epochs=1, monitor={"test": test, "every": epochs})
        if ep % record_every == 0 or ep == 1:
            record(ep)
    out = {k: np.asarray(v, dtype=float) for k, v in rec.items()}
    out["sigma"] = np.linalg.svd(m.W.astype(np.float64), compute_uv=False)
    out["W"] = m.W.copy()
    # exact mean log-likelihoods after the last epoch (the trainer's History enumerates the
    # 2^16 visible states; NaN before)
    nan = np.full(epochs, np.nan)
    hist = tr.history
    ok = len(hist) == epochs and "exact_ll" in hist.keys()
    out["ll_train"] = hist["exact_ll"] if ok else nan
    out["ll_test"] = hist["exact_test_ll"] if ok else nan
    return out


@cached
def bars_runs(*, method, n_runs=20, n_hidden=200, epochs=40, record_every=4, n_recon=25,
              seed=900):
    """``n_runs`` independent Bars 4×4 runs of one method (each its own split and seed),
    side by side through :func:`rbmphys.parallel.run` (Pozas-Kerstjens et al. Figs. 2-4).
    Introduced in Chapter 9.

    Parameters
    ----------
    method : {"rapid", "pcd", "exact"}
        The training method (:func:`bars_single_run`).
    n_runs : int
        Independent runs; run r uses the seed ``seed + 1000 r``.
    n_hidden, epochs, record_every, n_recon
        As in :func:`bars_single_run`.
    seed : int
        Base seed.

    Returns
    -------
    dict
        The arrays of :func:`bars_single_run` stacked (n_runs, n_records), ``sigma``
        (n_runs, min(V, H)), ``epoch`` (the record epochs), ``ll_epoch`` (1..epochs) and ``W``
        of the first run.
    """
    from rbmphys.parallel import run as run_parallel
    runs = run_parallel(bars_single_run, [dict(method=method, seed=seed + 1000 * r, n_hidden=n_hidden,
                                        epochs=epochs, record_every=record_every,
                                        n_recon=n_recon) for r in range(n_runs)])
    out = {k: np.stack([r[k] for r in runs]) for k in runs[0] if k != "W"}
    out["epoch"] = runs[0]["epoch"]
    out["ll_epoch"] = np.arange(1, epochs + 1)
    out["W"] = runs[0]["W"]
    return out


def _untrained(kind, V, H, std, seed):
    """An untrained ±1 RBM without biases whose weights have standard deviation ``std``: RA
    (K = 10 random patterns, eq. (5) scaled), Gaussian, or uniform."""
    import rbmphys as rp
    g = np.random.default_rng(seed)
    half = np.sqrt(3.0) * std
    make = {"ra": lambda: rp.pattern_rbm(V, H, 10, scale=std, rng=seed),
            "gaussian": lambda: rp.SpinRBM(g.normal(0.0, std, (V, H))),
            "uniform": lambda: rp.SpinRBM(g.uniform(-half, half, (V, H)))}
    if kind not in make:
        raise ValueError(f"kind must be one of {sorted(make)}, got {kind!r}")
    return make[kind]()


def _acc_point(kind, V, H, std, seed):
    from rbmphys.analysis.spinglass import gibbs_accessibility
    m = _untrained(kind, V, H, std, seed)
    return gibbs_accessibility(m, 100, 10, rng=seed + 1)


_KINDS = ("ra", "gaussian", "uniform")


@cached
def accessibility_scan(*, stds, n_hidden=200, n_visible=14, n_instances=20, seed=901):
    """Fig. 1 (main panel) of Pozas-Kerstjens et al.: Gibbs accessibility of untrained RBMs
    against the weight standard deviation. Introduced in Chapter 9.

    Parameters
    ----------
    stds : sequence of float
        Weight standard deviations.
    n_hidden, n_visible : int
        Layer sizes H and V.
    n_instances : int
        Random models per point and kind.
    seed : int
        Base seed.

    Returns
    -------
    dict
        ``{kind: (n_instances, len(stds))}`` for kind in ("ra", "gaussian", "uniform").
    """
    from rbmphys.parallel import run as run_parallel
    pts = [dict(kind=k, V=n_visible, H=n_hidden, std=float(s), seed=seed + 7919 * i + 31 * j)
           for k in _KINDS for j, s in enumerate(stds) for i in range(n_instances)]
    a = np.array(run_parallel(_acc_point, pts))
    n = len(stds) * n_instances
    return {k: a[c * n:(c + 1) * n].reshape(len(stds), n_instances).T
            for c, k in enumerate(_KINDS)}


@cached
def accessibility_inset(*, sizes, n_hidden=200, n_instances=20, inset_std=10.0, seed=901):
    """Fig. 1 (inset) of Pozas-Kerstjens et al.: Gibbs accessibility of untrained RBMs of
    weight standard deviation ``inset_std`` against V. Introduced in Chapter 9.

    Parameters
    ----------
    sizes : sequence of int
        Numbers of visible units V.
    n_hidden : int
        Hidden units H.
    n_instances : int
        Random models per point and kind.
    inset_std : float
        Weight standard deviation.
    seed : int
        Base seed.

    Returns
    -------
    dict
        ``{kind: (n_instances, len(sizes))}`` for kind in ("ra", "gaussian", "uniform").
    """
    from rbmphys.parallel import run as run_parallel
    pts = [dict(kind=k, V=int(V), H=n_hidden, std=float(inset_std),
                seed=seed + 104729 + 7919 * i + 31 * j)
           for k in _KINDS for j, V in enumerate(sizes) for i in range(n_instances)]
    b = np.array(run_parallel(_acc_point, pts))
    n = len(sizes) * n_instances
    return {k: b[c * n:(c + 1) * n].reshape(len(sizes), n_instances).T
            for c, k in enumerate(_KINDS)}


def untrained_accessibility(*, stds, sizes, n_hidden=200, n_visible=14, n_instances=20,
                            inset_std=10.0, seed=901):
    """Fig. 1 of Pozas-Kerstjens et al.: Gibbs accessibility (the fraction of 100 random
    states that reach a ground state in 10 sweeps) of untrained RBMs. RA models use K = 10
    random patterns scaled to the given standard deviation. The scan and the inset are cached
    separately (:func:`accessibility_scan`, :func:`accessibility_inset`), so a claim that needs
    only the inset does not pay for the scan. Introduced in Chapter 9.

    Parameters
    ----------
    stds : sequence of float
        Weight standard deviations of the scan.
    sizes : sequence of int
        Numbers of visible units of the inset.
    n_hidden : int
        Hidden units H (both).
    n_visible : int
        Visible units V of the scan.
    n_instances : int
        Random models per point and kind.
    inset_std : float
        Weight standard deviation of the inset.
    seed : int
        Base seed.

    Returns
    -------
    dict
        ``{"stds", "sizes", "scan": {kind: (n_instances, n_std)}, "inset": {kind:
        (n_instances, n_sizes)}}`` for kind in ("ra", "gaussian", "uniform").
    """
    return {"stds": np.asarray(stds, float), "sizes": np.asarray(sizes),
            "scan": accessibility_scan(stds=stds, n_hidden=n_hidden, n_visible=n_visible,
                                       n_instances=n_instances, seed=seed),
            "inset": accessibility_inset(sizes=sizes, n_hidden=n_hidden,
                                         n_instances=n_instances, inset_std=inset_std,
                                         seed=seed)}


def _bas_single(seed, epochs, n_hidden, K, lr, n_eval, projection="sign"):
    import rbmphys as rp
    from rbmphys.analysis.spinglass import hamming_distance, reconstruct, top_row_mask
    data = 2.0 * rp.datasets.bars_and_stripes(12) - 1.0
    train, test = rp.datasets.train_test_split(data, test_fraction=0.2, rng=seed)
    g = np.random.default_rng(seed)
    ev_tr = train[g.choice(len(train), n_eval, replace=False)]
    ev_te = test[g.choice(len(test), n_eval, replace=False)]
    rule = rp.RAPID(n_patterns=K, projection=projection)
    m = rule.attach(rp.SpinRBM(np.zeros((144, n_hidden))), rng=seed)
    tr = rp.Trainer(m, rule, batch_size=120, lr=lr, rng=seed + 1)
    clamp = top_row_mask((12, 12))
    # App. C fixes the row perpendicular to the bars; for stripes the first column carries the
    # image, so each image is clamped on the row and the column (both determine BAS images)
    clamp = clamp | top_row_mask((12, 12)).reshape(12, 12).T.ravel()
    rec = {"epoch": [], "hd_train": [], "hd_test": []}

    def record(ep):
        rec["epoch"].append(ep)
        for name, x, s in (("hd_train", ev_tr, 2), ("hd_test", ev_te, 3)):
            r = reconstruct(m, x, clamp, n_sweeps=10, rng=seed + 10 * ep + s)
            rec[name].append(float(hamming_distance(r, x, ~clamp).mean()))

    record(0)
    for ep in range(1, epochs + 1):
        tr.fit(train, epochs=1)
        record(ep)
    v0 = np.where(g.random((8, 144)) < 0.5, 1.0, -1.0).astype(m.dtype)
    samples = rp.gibbs(m, v0, n_sweeps=50, rng=seed + 5)
    train_set = {row.tobytes() for row in train}
    novel = np.array([s.tobytes() not in train_set for s in samples.astype(np.float64)])
    out = {k: np.asarray(v, float) for k, v in rec.items()}
    out["samples"], out["novel"] = samples, novel
    return out


@cached
def bas_runs(*, n_runs=3, epochs=4, n_hidden=1000, K=40, lr=2e-3, n_eval=200,
             projection="sign", seed=902):
    """Fig. 5: BAS 12×12 (8188 images, 80/20 split with flips together), RAPID with K = 40,
    batch 120, the sign projection (B1) after every epoch as the paper's App. B; Hamming
    distances of reconstructions of ``n_eval`` training and test images per epoch, and Gibbs
    samples of the first run.

    The learning rate must let the summed updates of one epoch flip signs (App. B: "an
    alternative solution may be to employ a learning rate large enough"): at 5e-5 and 5e-4 no
    pattern entry ever changes and the distances stay at 1/2. At 2e-3 (55 updates per epoch)
    they fall by ~0.05 in the first two epochs, test and training alike, after which the
    patterns settle on a fixed point of update + projection about 0.49 from the images.
    Introduced in Chapter 9.

    Parameters
    ----------
    n_runs : int
        Independent runs (run r: seed ``seed + 1000 r``).
    epochs : int
        Training epochs.
    n_hidden : int
        Hidden units H.
    K : int
        Number of RAPID patterns.
    lr : float
        Learning rate.
    n_eval : int
        Training and test images whose reconstructions are scored.
    projection : {"sign", "clip"}
        The projection of the patterns after every epoch (App. B).
    seed : int
        Base seed.

    Returns
    -------
    dict
        ``hd_train``, ``hd_test`` (n_runs, epochs + 1) Hamming distances, ``epoch``, and
        ``samples``, ``novel`` (Gibbs samples of the first run, and whether each is not a
        training image).
    """
    from rbmphys.parallel import run as run_parallel
    runs = run_parallel(_bas_single, [dict(seed=seed + 1000 * r, epochs=epochs, n_hidden=n_hidden,
                                    K=K, lr=lr, n_eval=n_eval, projection=projection)
                               for r in range(n_runs)])
    out = {k: np.stack([r[k] for r in runs]) for k in ("hd_train", "hd_test")}
    out["epoch"] = runs[0]["epoch"]
    out["samples"], out["novel"] = runs[0]["samples"], runs[0]["novel"]
    return out


@cached
def mnist_rapid(*, n_hidden=500, K=50, epochs=6, n_train=2000, lr=0.005, gibbs_steps=10,
                eval_epochs=(0, 2, 6), ais_chains=64, ais_betas=1000, seed=903):
    """Figs. 6-7 at reduced scale: RAPID on the binarised MNIST subset (±1 pixels), continuous
    patterns clipped to [-1, 1] after every update (App. B, option 2), negative phase from
    ``gibbs_steps`` Gibbs sweeps seeded at the binarised patterns (Sec. V B).  AIS estimates of
    the mean negative log-likelihood (AIS under-estimates ln Z in expectation, so these are lower bounds of it) on
    training and test images at ``eval_epochs``; the final patterns and samples seeded at one
    pattern (Fig. 7). Introduced in Chapter 9.

    Parameters
    ----------
    n_hidden : int
        Hidden units H.
    K : int
        Number of RAPID patterns.
    epochs : int
        Training epochs (at most ``max(eval_epochs)`` are run).
    n_train : int
        Training images (±1).
    lr : float
        Learning rate.
    gibbs_steps : int
        Gibbs sweeps of the negative phase, seeded at the binarised patterns.
    eval_epochs : sequence of int
        Epochs at which AIS estimates ln Z.
    ais_chains, ais_betas : int
        Chains and inverse temperatures of each AIS run.
    seed : int
        Seed of the split and patterns; the trainer and AIS use offsets of it.

    Returns
    -------
    dict
        ``epoch``, ``nll_train``, ``nll_test``, ``logz``, ``logz_se`` over ``eval_epochs``;
        ``xi_v`` (final visible patterns), ``samples`` (Gibbs samples seeded at the first).
    """
    import rbmphys as rp
    tr_x, te_x = rp.datasets.mnist_train_test(n_test=1000, binarize=True, rng=seed)
    train, test = 2.0 * tr_x[:n_train] - 1.0, 2.0 * te_x[:500] - 1.0
    rule = rp.RAPID(n_patterns=K, projection="clip", clip=1.0, gibbs_steps=gibbs_steps)
    m = rule.attach(rp.SpinRBM(np.zeros((784, n_hidden))), rng=seed)
    tr = rp.Trainer(m, rule, batch_size=100, lr=lr, rng=seed + 1)
    rec = {"epoch": [], "nll_train": [], "nll_test": [], "logz": [], "logz_se": []}
    done = 0
    for ep in sorted(eval_epochs):
        if ep > done:
            tr.fit(train, epochs=ep - done)
            done = ep
        res = rp.ais(m, n_chains=ais_chains, n_betas=ais_betas, rng=seed + 7 + ep)
        rec["epoch"].append(ep)
        rec["logz"].append(res.log_z)
        rec["logz_se"].append(res.stderr)
        rec["nll_train"].append(float(res.log_z + np.mean(m.free_energy(train))))
        rec["nll_test"].append(float(res.log_z + np.mean(m.free_energy(test))))
    seed_v = np.repeat(np.where(rule.xi_v[:1] >= 0, 1.0, -1.0), 8, axis=0)
    samples = rp.gibbs(m, seed_v.astype(m.dtype), n_sweeps=20, rng=seed + 9)
    out = {k: np.asarray(v, float) for k, v in rec.items()}
    out["xi_v"], out["samples"] = rule.xi_v.copy(), samples
    return out


#: BAS 12×12 settings (the paper: K = 40, H = 1000, batch 120, 100 runs).
BAS_QUICK = {"n_runs": 3, "epochs": 4, "n_hidden": 1000, "K": 40, "lr": 2e-3, "n_eval": 200}
BAS_FULL = {"n_runs": 10, "epochs": 15, "n_hidden": 1000, "K": 40, "lr": 2e-3, "n_eval": 400}

#: Fig. 1 (untrained models) settings: visible and hidden units of the scan, models per point
#: (the paper: V = 20, H = 1000, 100 executions); the inset runs V = 8…16 at the same H.
ACC_QUICK = {"n_visible": 14, "n_hidden": 200, "n_instances": 20}
ACC_FULL = {"n_visible": 16, "n_hidden": 1000, "n_instances": 40}

#: MNIST (Figs. 6-7) settings of :func:`mnist_rapid` (the paper: 60k images, H = 3000, K = 190).
MNIST_QUICK = {"n_hidden": 200, "K": 20, "epochs": 4, "n_train": 600, "eval_epochs": (0, 2, 4),
               "ais_chains": 32, "ais_betas": 500}
MNIST_FULL = {"n_hidden": 1000, "K": 100, "epochs": 30, "n_train": 4000,
              "eval_epochs": (0, 5, 10, 20, 30), "ais_chains": 100, "ais_betas": 5000}
