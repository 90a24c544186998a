r"""Experiments of Chapters 3-5 (Aarts, Lucini, Park): stochastic PCD training of the
scalar-field RBM towards lattice free fields and MNIST, shared by the ledger and the chapters.

* :func:`pcd_run` — train a :class:`rbmphys.GaussianRBM` with :class:`rbmphys.training.TargetPCD`
  (positive phase from the target's correlation matrix, 128 persistent chains, as in App. A of
  the paper) and record the RBM eigenvalues, singular values, μ² and the norms of the parts of
  W along the way (Figs. 3-7, 9-12, 18-19);
* :func:`mnist_correlation` — the uncentred pixel correlation ⟨φφᵀ⟩ of the shipped subset;
* :func:`mnist_flow` — PCD on MNIST's correlation matrix (Figs. 14-15);
* :func:`fixed_point_couplings`, :func:`regenerate` — the trained RBM's fixed point for a
  given number of hidden units (Eqs. (81), (84)) and one pass φ → h → φ (Fig. 16).

Introduced in Chapter 4.
"""

from __future__ import annotations

import numpy as np

from .cache import cached

__all__ = ["pcd_run", "pcd_mu2_trajectories", "decay_time", "mnist_correlation", "mnist_flow", "fixed_point_couplings",
           "regenerate", "data_averaged_kl"]


@cached
def pcd_run(*, shape=(10,), m2=4.0, mu2=9.0, n_hidden=None, epochs=4000, lr=0.05, decay=None,
            init="random", weight_scale=0.1, learn_mu2=False, n_chains=128, record_every=20,
            seed=0):
    r"""Stochastic training of the scalar-field RBM towards the free field on a lattice.

    The target is the free field :math:`p(\phi)\propto e^{-\phi^TK\phi/2}` with the lattice
    kernel :math:`K = -\Delta + m^2` (Aarts et al. Eq. (77)); the positive phase comes from
    :math:`K^{-1}` exactly, the negative phase from ``n_chains`` persistent Gibbs chains (App.
    A). The mean-field limit of this flow is the ODE (26) (:func:`rbmphys.theory.gaussian_flow`);
    its fixed points have the eigenvalues :math:`\lambda_\alpha = \min(\kappa_\alpha, \mu^2)`
    (81). Introduced in Chapter 4.

    Parameters
    ----------
    shape : tuple of int
        Lattice shape of the target field, ``(10,)`` for the 1D chain, ``(4, 4)`` for 2D.
    m2 : float
        Mass squared :math:`m^2` of the target kernel (:func:`rbmphys.datasets.lattice_kernel`).
    mu2 : float
        The RBM's visible mass :math:`\mu^2` (initial value if ``learn_mu2``).
    n_hidden : int, optional
        Number of hidden units :math:`N_h`; the number of lattice sites if None.
    epochs : int
        Number of updates (one epoch is one update, the paper's convention).
    lr : float
        Learning rate :math:`\eta` (initial rate if ``decay`` is given).
    decay : tuple (r, every), optional
        Multiply the rate by ``r`` every ``every`` epochs (Eq. (A2)); a fixed rate if None.
    init : {"random", "cholesky", "symmetric"}
        Initial couplings: random Gaussian, or an exact solution of Chapter 3 (Figs. 3-5).
    weight_scale : float
        Standard deviation of the random initial couplings (``init="random"``).
    learn_mu2 : bool
        Train μ² too (Figs. 7, 19).
    n_chains : int
        Number of persistent chains of the negative phase.
    record_every : int
        Record every this many epochs (and at the last).
    seed : int
        Seed of the initial couplings; the training uses ``seed + 1``.

    Returns
    -------
    dict
        Arrays over the recorded epochs: ``epochs``, ``eigenvalues`` (ascending),
        ``singular_values`` (descending), ``mu2``, ``norm_D``, ``norm_U``, ``norm_L``
        (Frobenius norms of the diagonal, strictly upper and strictly lower parts of W),
        ``norm_sym``, ``norm_asym`` (of (W ± Wᵀ)/2), ``t`` (learning time
        :math:`t = \sum_n\eta_n`); and ``eigenvalues0`` (at the start), ``kappa`` (target
        eigenvalues, ascending), ``model`` (final), ``samples`` (the final chains).
    """
    import rbmphys as rp
    K = rp.datasets.lattice_kernel(shape, m2)
    n_v = len(K)
    n_h = n_v if n_hidden is None else n_hidden
    if init == "random":
        m = rp.GaussianRBM.random(n_v, n_h, mu2, weight_scale=weight_scale,
                                  learn_mu2=learn_mu2, rng=seed)
    else:
        W = rp.datasets.rbm_weights_from_kernel(K, mu2, 1.0, init)
        m = rp.GaussianRBM(W, mu2, learn_mu2=learn_mu2)
    rule = rp.training.TargetPCD(np.linalg.inv(K), n_chains=n_chains)
    lr_arg = lr if decay is None else rp.training.step_decay(lr, r=decay[0], every=decay[1])
    rec = {k: [] for k in ("epochs", "eigenvalues", "singular_values", "mu2", "norm_D",
                           "norm_U", "norm_L", "norm_sym", "norm_asym", "t")}
    t_acc = [0.0]

    def record(tr, ep, _):
        t_acc[0] += tr.schedule(ep - 1)
        if ep % record_every and ep != epochs:
            return
        Wm = tr.model.W
        rec["epochs"].append(ep)
        rec["t"].append(t_acc[0])
        rec["eigenvalues"].append(np.linalg.eigvalsh(tr.model.precision()))
        rec["singular_values"].append(np.linalg.svd(Wm, compute_uv=False))
        rec["mu2"].append(tr.model.mu2)
        if Wm.shape[0] == Wm.shape[1]:
            rec["norm_D"].append(np.linalg.norm(np.diag(Wm)))
            rec["norm_U"].append(np.linalg.norm(np.triu(Wm, 1)))
            rec["norm_L"].append(np.linalg.norm(np.tril(Wm, -1)))
            rec["norm_sym"].append(np.linalg.norm(0.5 * (Wm + Wm.T)))
            rec["norm_asym"].append(np.linalg.norm(0.5 * (Wm - Wm.T)))

    record_start = {"eigenvalues": np.linalg.eigvalsh(m.precision())}
    rp.train(m, None, rule, epochs=epochs, lr=lr_arg, rng=seed + 1, callbacks=[record])
    out = {k: np.array(v) for k, v in rec.items()}
    out["eigenvalues0"] = record_start["eigenvalues"]
    out["kappa"] = np.sort(np.linalg.eigvalsh(K))
    out["model"] = m
    out["samples"] = rule.chains_v.copy()
    return out


@cached
def pcd_mu2_trajectories(*, shape=(2, 3), m2=2.0, mu2=7.0, sigma_h2=1.0, weight_scale=0.3,
                         epochs=400, lr=0.04, n_chains=512, k=2, every=100, n_runs=3, seed=0):
    r"""Independent PCD runs with a learnable μ² towards a lattice free field.

    Every run (:class:`rbmphys.training.TargetPCD`) starts from the same initial couplings and
    differs only in its chains, so the spread of the μ² trajectories is Monte Carlo noise; the
    mean follows the μ² equation of the ODE (26) (Aarts et al. Figs. 7, 9, 12, at a small
    scale). Introduced in Chapter 5.

    Parameters
    ----------
    shape : tuple of int
        Lattice shape of the target field.
    m2 : float
        Mass squared of the target kernel (:func:`rbmphys.datasets.lattice_kernel`).
    mu2 : float
        Initial visible mass μ².
    sigma_h2 : float
        Hidden variance :math:`\sigma_h^2`.
    weight_scale : float
        Standard deviation of the shared random initial couplings.
    epochs : int
        Number of updates per run.
    lr : float
        Learning rate (fixed).
    n_chains : int
        Persistent chains per run.
    k : int
        Gibbs sweeps per update.
    every : int
        Record μ² every this many epochs.
    n_runs : int
        Number of independent runs.
    seed : int
        Seed of the initial couplings; run r trains with ``seed + 1 + r``.

    Returns
    -------
    dict
        ``t`` (learning times :math:`t = \eta\cdot\text{epoch}`, from 0), ``mu2``
        (n_runs, len(t)) and ``W0`` (the initial couplings).
    """
    import rbmphys as rp
    K = rp.datasets.lattice_kernel(shape, m2)
    W0 = np.random.default_rng(seed).normal(0.0, weight_scale, (len(K), len(K)))
    runs = []
    for r in range(n_runs):
        m = rp.GaussianRBM(W0, mu2, sigma_h2, learn_mu2=True)
        rule = rp.training.TargetPCD(np.linalg.inv(K), n_chains=n_chains, k=k)
        rec = [mu2]

        def cb(tr, ep, _):
            if ep % every == 0:
                rec.append(tr.model.mu2)
        rp.train(m, None, rule, epochs=epochs, lr=lr, rng=seed + 1 + r, callbacks=[cb])
        runs.append(rec)
    return {"t": lr * np.arange(0, epochs + 1, every), "mu2": np.array(runs), "W0": W0}


def decay_time(*, t, y, target, frac=0.05):
    r"""First time after which :math:`|y - y_\infty|` stays below ``frac`` of its initial
    distance: when a mode of the flow has arrived (Aarts et al. Fig. 6, infrared first).
    Introduced in Chapter 5.

    Parameters
    ----------
    t : array_like
        Times, increasing.
    y : array_like
        The trajectory at those times.
    target : float
        Its limit :math:`y_\infty`.
    frac : float
        Tolerance, as a fraction of :math:`|y(t_0) - y_\infty|`.

    Returns
    -------
    float
        The time, ``inf`` if the trajectory never stays within the tolerance.
    """
    d = np.abs(np.asarray(y) - target)
    ok = d <= frac * max(d[0], 1e-300)
    bad = np.flatnonzero(~ok)
    if len(bad) == len(d):
        return np.inf
    return float(t[bad[-1] + 1]) if len(bad) else float(t[0])


@cached
def mnist_correlation():
    r"""The uncentred correlation matrix :math:`C = \langle\phi\phi^T\rangle` of the pixels in
    [0, 1] of the shipped 5 000-image MNIST subset (Aarts et al. Sec. V). Introduced in Chapter 5.

    Returns
    -------
    C : ndarray (784, 784)
        The correlation matrix.
    eigenvalues : ndarray (784,)
        Its eigenvalues, descending.
    """
    import rbmphys as rp
    X = rp.datasets.mnist()
    C = X.T @ X / len(X)
    return C, np.sort(np.linalg.eigvalsh(C))[::-1]


@cached
def mnist_flow(*, mu2=100.0, epochs=600, lr=0.003, learn_mu2=False, n_chains=512,
               record_every=20, seed=0):
    r"""PCD training of the scalar-field RBM with :math:`N_v = N_h = 784` on MNIST's correlation
    matrix (the positive phase from the matrix: App. A of Aarts et al., Figs. 14-15). The
    eigenvalues flow to :math:`\min(\kappa_\alpha, \mu^2)`, :math:`\kappa_\alpha = 1/c_\alpha`
    (81). Introduced in Chapter 5.

    Parameters
    ----------
    mu2 : float
        Visible mass μ² (initial value if ``learn_mu2``).
    epochs : int
        Number of updates.
    lr : float
        Learning rate.
    learn_mu2 : bool
        Train μ² too.
    n_chains : int
        Persistent chains of the negative phase.
    record_every : int
        Record every this many epochs (and at the last).
    seed : int
        Seed of the initial couplings (scale 0.001); training uses ``seed + 1``.

    Returns
    -------
    dict
        ``epochs``, ``eigenvalues`` (recorded, ascending), ``mu2``, ``kappa`` (1/c for the
        nonzero eigenvalues c of C, ascending).
    """
    import rbmphys as rp
    C, ev = mnist_correlation()
    m = rp.GaussianRBM.random(784, 784, mu2, weight_scale=0.001, learn_mu2=learn_mu2, rng=seed)
    rule = rp.training.TargetPCD(C, n_chains=n_chains)
    rec = {"epochs": [], "eigenvalues": [], "mu2": []}

    def record(tr, ep, _):
        if ep % record_every == 0 or ep == epochs:
            rec["epochs"].append(ep)
            rec["eigenvalues"].append(np.linalg.eigvalsh(tr.model.precision()))
            rec["mu2"].append(tr.model.mu2)

    rp.train(m, None, rule, epochs=epochs, lr=lr, rng=seed + 1, callbacks=[record])
    out = {k: np.array(v) for k, v in rec.items()}
    out["kappa"] = 1.0 / ev[ev > 1e-12][::-1]
    return out


def fixed_point_couplings(*, C, mu2, n_hidden, sigma_h2=1.0, eig=None):
    r"""The couplings the flow converges to (Aarts et al. Eqs. (81), (84)): aligned with the
    eigenvectors of the data correlation C,

    .. math:: \sigma_h^2\xi_\alpha^2 = \max(\mu^2 - \kappa_\alpha, 0),
              \qquad \kappa_\alpha = 1/c_\alpha,

    for the ``n_hidden`` modes of smallest κ, zero for the others. Introduced in Chapter 5.

    Parameters
    ----------
    C : ndarray (N, N)
        Data correlation matrix (e.g. :func:`mnist_correlation`).
    mu2 : float
        Visible mass μ².
    n_hidden : int
        Number of hidden units :math:`N_h` (columns of W).
    sigma_h2 : float
        Hidden variance :math:`\sigma_h^2`.
    eig : tuple, optional
        ``np.linalg.eigh(C)`` computed once (a 784×784 eigendecomposition takes about a second;
        scans over :math:`N_h` reuse it).

    Returns
    -------
    ndarray (N, n_hidden)
        The couplings W.
    """
    c, U = np.linalg.eigh(C) if eig is None else eig
    order = np.argsort(c)[::-1][:n_hidden]            # largest correlations = smallest κ
    kappa = 1.0 / np.maximum(c[order], 1e-300)
    xi = np.sqrt(np.clip(mu2 - kappa, 0.0, None) / sigma_h2)
    return U[:, order] * xi


def regenerate(*, W, mu2, phi, sigma_h2=1.0):
    r"""One pass φ → E[h|φ] → E[φ|h] through the scalar-field RBM (Aarts et al. Fig. 16):

    .. math:: \phi' = \frac{\sigma_h^2}{\mu^2}\,WW^T\phi .

    Introduced in Chapter 5.

    Parameters
    ----------
    W : ndarray (N_v, N_h)
        Couplings.
    mu2 : float
        Visible mass μ².
    phi : ndarray (n, N_v)
        Configurations (images) to pass through.
    sigma_h2 : float
        Hidden variance.

    Returns
    -------
    ndarray (n, N_v)
        The regenerated configurations.
    """
    import rbmphys as rp
    m = rp.GaussianRBM(W, mu2, sigma_h2)
    return m.mean_v_given_h(m.mean_h_given_v(phi))


def data_averaged_kl(*, C, W, mu2, sigma_h2=1.0):
    r"""The model-dependent part of :math:`\mathrm{KL}(p_\text{data}\|p_\text{model})` for the
    Gaussian RBM of precision K (Aarts et al. Eq. (86), Sec. V):

    .. math:: \tfrac12\operatorname{tr}(KC) - \tfrac12\ln\det K

    (the data's own entropy, infinite for MNIST's always-black pixels, is the dropped
    constant). Introduced in Chapter 5.

    Parameters
    ----------
    C : ndarray (N, N)
        Data correlation matrix.
    W : ndarray (N, N_h)
        Couplings.
    mu2 : float
        Visible mass μ².
    sigma_h2 : float
        Hidden variance.

    Returns
    -------
    float
        The KL divergence up to the constant, in nats per configuration.
    """
    import rbmphys as rp
    K = rp.GaussianRBM(W, mu2, sigma_h2).precision()
    return float(0.5 * np.trace(K @ C) - 0.5 * np.linalg.slogdet(K)[1])
