r"""Experiments of Chapter 2, shared by its ledger claims and its figures.

Each function runs one seeded experiment and returns plain arrays; the expensive ones are cached
on disk (:mod:`rbmphys.experiments.cache`), so a chapter that checks a claim and then draws its figure
does the work once, and an interrupted ``rbmphys run ch02`` picks up where it stopped.

* :func:`state_index`, :func:`gibbs_histogram` — histograms of independent block-Gibbs chains;
* :func:`bimodal_model`, :func:`mode_mixing` — a Mattis model on which Gibbs cannot cross
  between its two modes and parallel tempering can;
* :func:`bars_curves` — exact log-likelihood curves of the training rules on Bars n×n;
* :func:`exact_ascent` — exact-gradient ascent with the curvature measured along the way;
* :func:`negative_phase_bias` — how well a rule's chains estimate the model average;
* :func:`ais_pair`, :func:`mnist_exact_bracket` — AIS and reverse AIS against exact ln Z, the
  second at MNIST size (784 visible units, 20 hidden: exact by enumerating the hidden layer);
* :func:`mnist_ll_curves` — Toledo-Marin et al. Fig. 1: the test log-likelihood bracket of
  MNIST RBMs during training.

Introduced in Chapter 2.
"""

from __future__ import annotations

import time

import numpy as np

from .cache import cached

__all__ = ["state_index", "gibbs_histogram", "bimodal_model", "mode_mixing", "RULE_NAMES",
           "make_rule", "bars_curves", "exact_ascent", "negative_phase_bias", "ais_model",
           "ais_pair", "mnist_exact_bracket", "mnist_ll_curves", "chi2_model"]


def state_index(*, v, units):
    """Row index of each state in :func:`rbmphys.exact.all_states` order (unit 0 = MSB).
    Introduced in Chapter 2.

    Parameters
    ----------
    v : array_like (n, V)
        States of a layer of binary units ({0, 1} or ±1).
    units : unit object
        The layer's units (``model.visible``): their ``lo`` and ``gain`` map values to bits.

    Returns
    -------
    ndarray of int64 (n,)
        The index of each state among the :math:`2^V` states.
    """
    v = np.asarray(v, dtype=np.float64)
    bits = np.rint((v - units.lo) / units.gain)
    return (bits.astype(np.int64) << np.arange(v.shape[1] - 1, -1, -1)).sum(axis=1)


def gibbs_histogram(*, model, n_chains, n_sweeps, seed):
    """Counts over all visible states of ``n_chains`` independent block-Gibbs chains after
    ``n_sweeps`` sweeps from random starts (one sample per chain), to be compared with the exact
    p(v) by a χ² test. Introduced in Chapter 2.

    Parameters
    ----------
    model : RBM
        A binary RBM small enough to enumerate.
    n_chains : int
        Number of independent chains (= samples).
    n_sweeps : int
        Gibbs sweeps of each chain.
    seed : int
        Seed of the chains.

    Returns
    -------
    ndarray of int (2**V,)
        Counts per visible state, in :func:`state_index` order.
    """
    import rbmphys as rp
    st = rp.ChainState(model, n_chains=n_chains, rng=seed).run(n_sweeps)
    return np.bincount(state_index(v=st.v, units=model.visible), minlength=2**model.n_visible)


def chi2_model(*, spin=False, seed=202):
    """The V=6, H=4 test model of the χ² claims.  The ±1 model gets half the weight scale: by
    the gauge map (W' = 4W) ±1 couplings act four times as strongly, and at scale 0.8 its
    chains need ~1000 sweeps to cross between modes. Introduced in Chapter 2.

    Parameters
    ----------
    spin : bool
        A ±1 :class:`rbmphys.SpinRBM` (weights of scale 0.4) instead of a {0, 1}
        :class:`rbmphys.BernoulliRBM` (scale 0.8).
    seed : int
        Seed of the random weights and biases.

    Returns
    -------
    RBM
    """
    import rbmphys as rp
    if spin:
        return rp.SpinRBM.random(6, 4, weight_scale=0.4, bias_scale=0.25, rng=seed)
    return rp.BernoulliRBM.random(6, 4, weight_scale=0.8, bias_scale=0.5, rng=seed)


def bimodal_model(*, scale=0.6, n_visible=8, n_hidden=4, seed=3):
    r"""A Mattis model (K = 1) with weights :math:`W = s\,\xi_v\xi_h^T`: two deep modes
    :math:`\pm\xi_v` separated by a barrier of about :math:`sVH/2 \approx 19` (in units of
    1/β) for the defaults, which block-Gibbs does not cross. Introduced in Chapter 2.

    Parameters
    ----------
    scale : float
        The coupling scale s.
    n_visible, n_hidden : int
        Layer sizes V and H.
    seed : int
        Seed of the patterns (:func:`rbmphys.analysis.ising.mattis_model`).

    Returns
    -------
    model : SpinRBM
    xi : ndarray (n_visible,)
        The visible pattern :math:`\xi_v`.
    """
    from rbmphys import SpinRBM
    from rbmphys.analysis.ising import mattis_model
    m, xv, _ = mattis_model(n_visible, n_hidden, rng=seed)
    return SpinRBM(scale * m.W), xv[0]


def mode_mixing(*, n_chains, n_sweeps, seed, betas=None):
    """Parallel tempering and plain Gibbs on :func:`bimodal_model`, *every chain started in the
    mode +ξ* (every replica of every PT ladder too). Introduced in Chapter 2.

    Parameters
    ----------
    n_chains : int
        Number of Gibbs chains and of PT ladders.
    n_sweeps : int
        Sweeps of each.
    seed : int
        Seed of PT; Gibbs uses ``seed + 1``.
    betas : array_like, optional
        The PT ladder of inverse temperatures; ten geometric from 0.05 to 1 if None.

    Returns
    -------
    dict
        ``pt_counts`` (histogram of the β = 1 replicas over the 256 states), ``pt_plus``
        (fraction in the +ξ mode), ``gibbs_counts``, ``gibbs_plus`` (fraction of the Gibbs
        chains still in +ξ), ``acceptance`` (exchange rates), ``exact`` (exact p(v)),
        ``plus_mass`` (exact mass of the +ξ mode), ``states``, ``xi``.
    """
    import rbmphys as rp
    m, xi = bimodal_model()
    states, p = rp.exact.visible_distribution(m)
    betas = np.geomspace(0.05, 1, 10) if betas is None else betas
    start = np.tile(xi, (n_chains, 1))
    pt = rp.ParallelTempering(m, betas, n_chains, rng=seed, v0=start).run(n_sweeps)
    g = rp.gibbs(m, start, n_sweeps=n_sweeps, rng=seed + 1)
    return {"pt_counts": np.bincount(state_index(v=pt.v, units=m.visible), minlength=len(p)),
            "pt_plus": float(np.mean(pt.v @ xi > 0)), "acceptance": pt.acceptance_rates,
            "gibbs_counts": np.bincount(state_index(v=g, units=m.visible), minlength=len(p)),
            "gibbs_plus": float(np.mean(g @ xi > 0)), "exact": p,
            "plus_mass": float(p[states @ xi > 0].sum()), "states": states, "xi": xi}


#: Names accepted by :func:`make_rule` and :func:`bars_curves`.
RULE_NAMES = ("exact", "PCD-1", "CD-1", "Rdm-10")


def make_rule(*, name, n_chains=100):
    """A fresh rule object for a name of :data:`RULE_NAMES`. Introduced in Chapter 2.

    Parameters
    ----------
    name : {"exact", "PCD-1", "CD-1", "Rdm-10"}
        The exact gradient, persistent CD with one sweep, CD-1, or ten sweeps from random
        states (Rdm-k).
    n_chains : int
        Number of chains of PCD and Rdm.

    Returns
    -------
    LearningRule
    """
    import rbmphys as rp
    if name == "exact":
        return rp.ExactGradient()
    if name == "PCD-1":
        return rp.PCD(k=1, n_chains=n_chains)
    if name == "CD-1":
        return rp.CD(k=1)
    if name == "Rdm-10":
        return rp.RdmK(k=10, n_chains=n_chains)
    raise ValueError(f"unknown rule {name!r}; known: {RULE_NAMES}")


@cached
def bars_curves(*, n=3, n_hidden=8, rule="PCD-1", epochs=1000, lr=0.05, batch_size=6, seed=0,
                every=10):
    r"""Exact mean log-likelihood vs epoch of one rule on Bars n×n (all :math:`2^n - 2`
    images), from the same initial model (weights of scale 0.1) for every rule. The optimum is
    the uniform distribution on the N images, :math:`\mathcal L^* = -\ln N`. Introduced in
    Chapter 2.

    Parameters
    ----------
    n : int
        Image side.
    n_hidden : int
        Number of hidden units.
    rule : str
        A name of :data:`RULE_NAMES`.
    epochs : int
        Training epochs.
    lr : float
        Learning rate.
    batch_size : int
        Minibatch size.
    seed : int
        Seed of the initial model; training uses ``seed + 1``.
    every : int
        Evaluate the exact log-likelihood every this many epochs.

    Returns
    -------
    epochs : ndarray
        The evaluated epochs.
    ll : ndarray
        Exact mean log-likelihoods there.
    optimum : float
        :math:`-\ln N`.
    """
    import rbmphys as rp
    data = rp.datasets.bars(n)
    m = rp.BernoulliRBM.random(n * n, n_hidden, weight_scale=0.1, rng=seed)
    h = rp.train(m, data, make_rule(name=rule), epochs=epochs, batch_size=batch_size, lr=lr,
                 rng=seed + 1, monitor={"every": every})
    ok = ~np.isnan(h["exact_ll"])
    return h.epochs[ok], h["exact_ll"][ok], -np.log(len(data))


def _flat(model):
    return np.concatenate([np.ravel(p) for p in model.params.values()])


def _set_flat(model, x):
    i = 0
    for p in model.params.values():
        p[...] = x[i:i + p.size].reshape(p.shape)
        i += p.size


def max_curvature(*, model, data, n_iter=30, h=1e-5, seed=0):
    r"""Largest eigenvalue of the Hessian of :math:`-\mathcal L` (the exact mean negative
    log-likelihood) by power iteration on Hessian-vector products, each a central finite
    difference of the exact gradient:

    .. math:: Hu \approx -\frac{g(\theta + hu) - g(\theta - hu)}{2h} .

    Gradient ascent is stable for :math:`\eta < 2/\lambda_\max`. Introduced in Chapter 2.

    Parameters
    ----------
    model : RBM
        A model small enough for the exact gradient; its parameters are restored on return.
    data : ndarray
        The training set of :math:`\mathcal L`.
    n_iter : int
        Power iterations.
    h : float
        Finite-difference step.
    seed : int
        Seed of the starting vector.

    Returns
    -------
    float
        The estimate of :math:`\lambda_\max`.
    """
    import rbmphys as rp
    x0 = _flat(model).copy()

    def grad_at(x):
        _set_flat(model, x)
        g = rp.exact.gradient(model, data)
        return np.concatenate([np.ravel(g[k]) for k in model.params])

    u = np.random.default_rng(seed).normal(size=x0.size)
    u /= np.linalg.norm(u)
    lam = 0.0
    try:
        for _ in range(n_iter):
            Hu = -(grad_at(x0 + h * u) - grad_at(x0 - h * u)) / (2 * h)
            lam = float(u @ Hu)
            norm = np.linalg.norm(Hu)
            if norm == 0:
                break
            u = Hu / norm
    finally:
        _set_flat(model, x0)
    return lam


@cached
def exact_ascent(*, epochs=600, lr=0.3, curvature_every=50, seed=202):
    """Full-batch exact-gradient ascent on Bars 3×3 (V = 9, H = 8, weights of scale 0.1), with
    the largest curvature of −L measured along the way (:func:`max_curvature`): the ascent is
    stable while lr < 2/λ_max. Introduced in Chapter 2.

    Parameters
    ----------
    epochs : int
        Number of full-batch updates.
    lr : float
        Learning rate.
    curvature_every : int
        Measure the curvature every this many epochs.
    seed : int
        Seed of the initial model and of the trainer.

    Returns
    -------
    dict
        ``ll`` (exact LL after each epoch, index 0 = start), ``curvature_epochs`` and
        ``lambda_max`` (largest Hessian eigenvalue of −L there), ``lr``, ``optimum`` (−ln 6),
        ``a_priori`` (the bound P/4 on the curvature, P parameters, features in [0, 1]).
    """
    import rbmphys as rp
    data = rp.datasets.bars(3)
    m = rp.BernoulliRBM.random(9, 8, weight_scale=0.1, rng=seed)
    ll = [rp.exact.log_likelihood(m, data)]
    tr = rp.Trainer(m, rp.ExactGradient(), batch_size=6, lr=lr, rng=seed)
    ep_c, lam = [], []
    for ep in range(epochs):
        if ep % curvature_every == 0:
            ep_c.append(ep)
            lam.append(max_curvature(model=m, data=data))
        tr.fit(data, 1, monitor={"every": 0})
        ll.append(rp.exact.log_likelihood(m, data))
    n_params = sum(p.size for p in m.params.values())
    return {"ll": np.array(ll), "curvature_epochs": np.array(ep_c), "lambda_max": np.array(lam),
            "lr": lr, "optimum": -np.log(len(data)), "a_priori": n_params / 4.0}


@cached
def bars_model(*, epochs=150, seed=7):
    """A partly trained Bars 3×3 RBM (exact gradient, lr 0.3): far from the data distribution
    and far from uniform, the model on which the rules' negative phases are compared.
    Introduced in Chapter 2.

    Parameters
    ----------
    epochs : int
        Epochs of exact-gradient training.
    seed : int
        Seed of the initial model and of the training.

    Returns
    -------
    BernoulliRBM
    """
    import rbmphys as rp
    m = rp.BernoulliRBM.random(9, 8, weight_scale=0.1, rng=seed)
    rp.train(m, rp.datasets.bars(3), rp.ExactGradient(), epochs=epochs, batch_size=6, lr=0.3,
             rng=seed, monitor={"every": 0})
    return m


def negative_phase_bias(*, rule="PCD-1", n_updates=2000, n_chains=120, block=50, seed=11,
                        model=None, copies=20):
    r"""How well a rule's chains estimate the model average :math:`\langle v_i h_j\rangle`.

    On a frozen, partly trained Bars 3×3 model (:func:`bars_model`), the rule runs
    ``n_updates`` updates on a minibatch of ``copies`` copies of the six images (so that CD's
    chains, which start at the minibatch, are as many as PCD's) whose increments are *not*
    applied; each update's negative-phase
    estimate is recovered from its increments (:math:`\text{neg} = \text{pos} - \Delta/\eta`),
    averaged, and compared with the exact :math:`\langle v_i h_j\rangle` by enumeration.  The
    standard error of each entry comes from block means over ``block`` consecutive updates
    (persistent chains are autocorrelated from update to update). Introduced in Chapter 2.

    Parameters
    ----------
    rule : str
        A name of :data:`RULE_NAMES`.
    n_updates : int
        Number of (unapplied) updates.
    n_chains : int
        Chains of PCD and Rdm.
    block : int
        Block length of the standard errors.
    seed : int
        Seed of the updates' random streams.
    model : RBM, optional
        The frozen model; :func:`bars_model` if None.
    copies : int
        Copies of the six images in the minibatch.

    Returns
    -------
    dict
        ``z`` (max over entries of |estimate − exact| / SE), ``max_se``, ``max_bias`` (max
        |estimate − exact|), ``estimate``, ``exact``.
    """
    import rbmphys as rp
    from rbmphys.training import StepContext
    from rbmphys.kernels._rng import derive_key
    m = bars_model() if model is None else model
    data = np.ascontiguousarray(np.tile(rp.datasets.bars(3), (copies, 1)))
    r = make_rule(name=rule, n_chains=n_chains)
    r.reset()
    exact = rp.exact.expectations(m)["vh"]
    pos = m.free_energy_gradient(data)["W"]
    key = int(np.random.default_rng(seed).integers(0, 2**62))
    negs = np.empty((n_updates,) + exact.shape)
    for t in range(n_updates):
        inc = r.step(m, data, StepContext(1.0, derive_key(key, t), t, 0))
        negs[t] = pos - np.asarray(inc["W"], np.float64)
    blocks = negs[: (n_updates // block) * block].reshape(-1, block, *exact.shape).mean(1)
    est = negs.mean(0)
    se = blocks.std(0, ddof=1) / np.sqrt(len(blocks))
    z = np.abs(est - exact) / np.maximum(se, 1e-12)
    return {"z": float(z.max()), "max_se": float(se.max()),
            "max_bias": float(np.abs(est - exact).max()), "estimate": est, "exact": exact}


def ais_model(*, seed=202):
    """The V = 12, H = 16 model of the AIS claims (weights of scale 1: ln Z ≈ 36.5).
    Introduced in Chapter 2.

    Parameters
    ----------
    seed : int
        Seed of the random weights and biases.

    Returns
    -------
    BernoulliRBM
    """
    import rbmphys as rp
    return rp.BernoulliRBM.random(12, 16, weight_scale=1.0, bias_scale=0.3, rng=seed)


def ais_pair(*, n_chains, n_betas, seed=202):
    r"""Forward and reverse AIS on :func:`ais_model` against its exact ln Z: in expectation
    :math:`\widehat{\ln Z}_\text{AIS} \le \ln Z \le \widehat{\ln Z}_\text{rev}` (Jensen).
    Introduced in Chapter 2.

    Parameters
    ----------
    n_chains : int
        AIS chains (forward); reverse AIS starts from 500 exact samples.
    n_betas : int
        Number of intermediate inverse temperatures.
    seed : int
        Seed of the model (:func:`ais_model`); the samples and runs use ``seed`` to ``seed + 2``.

    Returns
    -------
    log_z : float
        Exact ln Z.
    forward, reverse : AISResult
        The forward AIS result and the reverse AIS result from exact model samples.
    """
    import rbmphys as rp
    m = ais_model(seed=seed)
    data = rp.exact.sample(m, 500, rng=seed)
    return (rp.exact.log_partition(m), rp.ais(m, n_chains=n_chains, n_betas=n_betas,
                                              rng=seed + 1),
            rp.reverse_ais(m, data, n_betas=n_betas, rng=seed + 2))


@cached
def _mnist_small_model(n_hidden, epochs, n_train, seed):
    import rbmphys as rp
    train, test = rp.datasets.mnist_train_test(n_test=1000, binarize=True, rng=seed)
    m = rp.BernoulliRBM.random(784, n_hidden, weight_scale=0.01, rng=seed)
    p = np.clip((train.sum(0) + 1) / (len(train) + 2), 1e-3, 1 - 1e-3)
    m.a[:] = np.log(p) - np.log1p(-p)
    rp.train(m, train[:n_train], rp.PCD(k=1, n_chains=100), epochs=epochs, batch_size=100,
             lr=0.05, rng=seed + 1, monitor={"every": 0})
    return m, train[:n_train], test


@cached
def mnist_exact_bracket(*, n_hidden=20, epochs=20, n_train=4000, n_chains=200, n_betas=3000,
                        seed=0):
    r"""AIS and reverse AIS on an MNIST-size RBM whose ln Z is known exactly.

    An RBM with V = 784 visible and ``n_hidden`` hidden units is trained with PCD-1 on the
    binarised subset; its ln Z is exact by enumerating the :math:`2^{H}` hidden states.  Forward
    AIS (base rate from the training data) and reverse AIS started from *exact samples* of the
    model (:func:`rbmphys.exact.sample`) must bracket it: in expectation
    :math:`\widehat{\ln Z}_\text{AIS} \le \ln Z \le \widehat{\ln Z}_\text{rev}`.  Reverse AIS
    started from held-out *test images* is reported too: it is what one uses when no exact
    samples exist, and it is not guaranteed to over-estimate.

    Cached on disk: the two claims that read it (``ch02.mnist_bracket``,
    ``ch02.mnist_learns``) pay for the AIS runs once. Introduced in Chapter 2.

    Parameters
    ----------
    n_hidden : int
        Hidden units H (:math:`2^H` hidden states are enumerated).
    epochs : int
        PCD-1 training epochs (batch 100, 100 chains, lr 0.05).
    n_train : int
        Training images.
    n_chains : int
        AIS chains, exact samples and test images of the reverse runs.
    n_betas : int
        Intermediate inverse temperatures of every AIS run.
    seed : int
        Seed of the split and model; the samples and runs use ``seed + 1`` to ``seed + 5``.

    Returns
    -------
    dict
        ``exact`` (ln Z), ``ais``, ``rais_samples``, ``rais_test`` (AISResult objects), the
        exact test LL ``ll_exact``, ``model``, ``test`` and ``base_rate`` (the base-rate bias).
    """
    import rbmphys as rp
    m, train, test = _mnist_small_model(n_hidden=n_hidden, epochs=epochs, n_train=n_train,
                                        seed=seed)
    exact = rp.exact.log_partition(m)
    samples = rp.exact.sample(m, n_chains, rng=seed + 2)
    fwd = rp.ais(m, n_chains=n_chains, n_betas=n_betas, data=train, rng=seed + 3)
    rev = rp.reverse_ais(m, samples, n_betas=n_betas, base_data=train, rng=seed + 4)
    rev_test = rp.reverse_ais(m, test[:n_chains], n_betas=n_betas, base_data=train,
                              rng=seed + 5)
    from rbmphys.samplers.ais import base_rate_bias
    return {"exact": exact, "ais": fwd, "rais_samples": rev, "rais_test": rev_test,
            "ll_exact": rp.exact.log_likelihood(m, test, log_z=exact), "model": m,
            "test": test, "base_rate": base_rate_bias(train)}


@cached
def mnist_ll_run(*, H, replica, epochs=20, eval_every=4, n_betas=3000, n_chains=64,
                 n_train=4000, n_test=1000, n_eval=64, lr=0.01, seed=0):
    """One training run of :func:`mnist_ll_curves` (one hidden size, one replica), cached on
    disk on its own so that an interrupted chapter resumes at the next run. Introduced in
    Chapter 2.

    Parameters
    ----------
    H : int
        Hidden units.
    replica : int
        Replica index (the seeds are ``seed + 1000 replica + H`` and offsets of it).
    epochs, eval_every, n_betas, n_chains, n_train, n_test, n_eval, lr, seed
        As in :func:`mnist_ll_curves`.

    Returns
    -------
    dict
        ``epochs`` (E,) and ``lower``, ``upper``, ``ais_se``, ``rais_se``, ``ais_ess``,
        ``rais_ess`` (E,) at those epochs, ``seconds`` (wall time of each training epoch),
        ``model`` (trained).
    """
    import warnings

    import rbmphys as rp
    from rbmphys.samplers.ais import AISWarning
    train, test = rp.datasets.mnist_train_test(n_test=1000, binarize=True, rng=seed)
    train, test = train[:n_train], test[:n_test]
    p = np.clip((train.sum(0) + 1) / (len(train) + 2), 1e-3, 1 - 1e-3)
    s = seed + 1000 * replica + int(H)
    m = rp.BernoulliRBM.random(784, H, weight_scale=0.01, rng=s, dtype=np.float32)
    m.a[:] = np.log(p) - np.log1p(-p)        # the data's base rate (Hinton's recipe)
    tr = rp.Trainer(m, rp.PCD(k=1, n_chains=100), batch_size=100, lr=lr, rng=s + 10)
    rec = {"epochs": [], "lower": [], "upper": [], "ais_se": [], "rais_se": [], "ais_ess": [],
           "rais_ess": []}
    secs = []
    for ep in range(epochs + 1):
        if ep:
            t0 = time.perf_counter()
            tr.fit(train, 1, monitor={"every": 0})
            secs.append(time.perf_counter() - t0)
        if ep % eval_every == 0 or ep == epochs:
            with warnings.catch_warnings():             # reported as ESS instead
                warnings.simplefilter("ignore", AISWarning)
                fwd = rp.ais(m, n_chains=n_chains, n_betas=n_betas, data=train,
                             rng=s + 100 + ep)
                rev = rp.reverse_ais(m, test[:n_eval], n_betas=n_betas, base_data=train,
                                     rng=s + 200 + ep)
            lo, hi = rp.samplers.ll_bracket(m, test, fwd, rev)
            for key, val in (("epochs", ep), ("lower", lo), ("upper", hi),
                             ("ais_se", fwd.stderr), ("rais_se", rev.stderr),
                             ("ais_ess", fwd.effective_sample_size),
                             ("rais_ess", rev.effective_sample_size)):
                rec[key].append(val)
    rec = {k: np.array(v) for k, v in rec.items()}
    rec["seconds"] = np.array(secs)
    rec["model"] = m
    return rec


def mnist_ll_curves(*, hidden_sizes=(500, 784, 1200, 3000), epochs=20, eval_every=4,
                    n_betas=3000, n_chains=64, n_train=4000, n_test=1000, n_eval=64, lr=0.01,
                    n_replicas=2, seed=0):
    r"""Train PCD-1 RBMs (float32, batch 100, 100 persistent chains) on the binarised MNIST
    subset and bracket the test log-likelihood with AIS (upper) and reverse AIS from test
    images (lower) every ``eval_every`` epochs (Toledo-Marin et al. Fig. 1), ``n_replicas``
    independent runs per hidden size (each cached: :func:`mnist_ll_run`). Since
    :math:`\widehat{\ln Z}_\text{AIS}` under-estimates ln Z in expectation and reverse AIS from
    test images tends to over-estimate it, :math:`\mathcal L = -\langle F\rangle - \ln Z`
    is bracketed. Introduced in Chapter 2.

    Parameters
    ----------
    hidden_sizes : sequence of int
        Hidden sizes H.
    epochs : int
        Training epochs.
    eval_every : int
        Bracket the test LL every this many epochs (and at the last).
    n_betas : int
        Intermediate inverse temperatures of each AIS run.
    n_chains : int
        Forward AIS chains.
    n_train, n_test : int
        Training and test images.
    n_eval : int
        Test images from which reverse AIS starts.
    lr : float
        Learning rate.
    n_replicas : int
        Independent runs per hidden size.
    seed : int
        Base seed.

    Returns
    -------
    dict
        H -> dict with "epochs" (E,), "lower", "upper", "ais_se", "rais_se", "ais_ess",
        "rais_ess" (R, E) arrays over replicas (ess: effective sample size of the weights),
        "epoch_seconds" (median wall time of one training epoch), "model" (the trained model
        of the last replica).
    """
    out = {}
    for H in hidden_sizes:
        runs = [mnist_ll_run(H=H, replica=r, epochs=epochs, eval_every=eval_every,
                             n_betas=n_betas, n_chains=n_chains, n_train=n_train,
                             n_test=n_test, n_eval=n_eval, lr=lr, seed=seed)
                for r in range(n_replicas)]
        out[H] = {k: np.array([run[k] for run in runs]) for k in runs[0]
                  if k not in ("model", "seconds", "epochs")}
        out[H]["epochs"] = runs[0]["epochs"]
        out[H]["epoch_seconds"] = float(np.median(np.concatenate([r["seconds"] for r in runs])))
        out[H]["model"] = runs[-1]["model"]
    return out
