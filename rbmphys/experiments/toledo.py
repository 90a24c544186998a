r"""Experiments of Chapters 6-8 (Toledo-Marin, Maiti, Fox, Melko): binary RBMs trained on the
MNIST subset and watched in reciprocal space, shared by the ledger and the chapters.

* :func:`mnist_reciprocal_run` — PCD-1 training (the authors' setup: σ_W = 0.01, batch 100,
  100 persistent chains) that records, every ``record_every`` epochs, the singular values, the
  projected biases, saddle points and constraint minima of the leading modes, and the
  reciprocal variables of the data and of the persistent chains (Figs. 3, 5, 7, 8);
* :func:`trained_spectra` — final singular values for several hidden sizes and replicas
  through :func:`rbmphys.parallel.run` (Fig. 3);
* :func:`learning_times` — when each mode's singular value has grown (hierarchical learning).

Introduced in Chapter 6.
"""

from __future__ import annotations

import numpy as np

from .cache import cached

__all__ = ["mnist_reciprocal_run", "trained_spectra", "learning_times",
           "tracked_learning_times", "N_LEAD", "N_TRACK"]

N_LEAD = 6      # leading modes whose reciprocal variables are recorded
N_TRACK = 24    # leading left singular vectors recorded (to follow modes by overlap)


@cached
def mnist_reciprocal_run(*, n_hidden=500, epochs=20, n_train=4000, lr=0.01, record_every=1,
                         seed=0):
    r"""Train a PCD-1 Bernoulli RBM on the binarised MNIST subset and record it in reciprocal
    space.

    With the singular value decomposition :math:`W = U\Sigma V^T` the reciprocal variables are
    :math:`x = U^Tv`, :math:`y = V^Th`, and the energy splits into modes,
    :math:`E_\alpha = -\sigma_\alpha x_\alpha y_\alpha - \tilde a_\alpha x_\alpha
    - \tilde b_\alpha y_\alpha` (Toledo-Marin et al. Eqs. (14)-(16)), each with a saddle point at
    :math:`(x^*, y^*) = (-\tilde b/\sigma, -\tilde a/\sigma)`. The authors' setup:
    weights :math:`\mathcal N(0, 0.01^2)`, visible biases at the data's base rate, batch 100,
    100 persistent chains. Introduced in Chapter 6.

    Parameters
    ----------
    n_hidden : int
        Number of hidden units M.
    epochs : int
        Training epochs (passes over the ``n_train`` images).
    n_train : int
        Number of training images of the subset.
    lr : float
        Learning rate.
    record_every : int
        Record every this many epochs (and at epochs 0 and the last).
    seed : int
        Seed of the split; the initial weights use ``seed + n_hidden``, the trainer
        ``seed + 1``, the hidden samples of the records ``seed + 2``.

    Returns
    -------
    dict
        ``epochs`` (E,), ``sigma`` (E, K) singular values, ``a_t``, ``b_t`` (E, N_LEAD)
        projected biases, ``x_star``, ``y_star``, ``eps`` (E, N_LEAD) saddle points and
        energies, ``mu_u``, ``mu_w`` (E, N_LEAD) constraint minima (39), ``data_x``,
        ``data_y`` (E, 200, N_LEAD) reciprocal variables of 200 training images (hidden units
        sampled from p(h|v)), ``chain_x``, ``chain_y`` (E, 100, N_LEAD) those of 100
        persistent chains, ``data_u``, ``data_w``, ``chain_u``, ``chain_w`` likewise in the
        rotated frame, ``U`` (E, 784, N_TRACK) leading left singular vectors, ``model``
        (final), ``model0`` (initial), ``train``.
    """
    import rbmphys as rp
    from rbmphys.analysis.reciprocal import ReciprocalModes
    train, _ = rp.datasets.mnist_train_test(n_test=1000, binarize=True, rng=seed)
    train = train[:n_train]
    p = np.clip((train.sum(0) + 1) / (len(train) + 2), 1e-3, 1 - 1e-3)
    m = rp.BernoulliRBM.random(784, n_hidden, weight_scale=0.01, rng=seed + n_hidden)
    m.a[:] = np.log(p) - np.log1p(-p)
    model0 = m.copy()
    rule = rp.PCD(k=1, n_chains=100)
    tr = rp.Trainer(m, rule, batch_size=100, lr=lr, rng=seed + 1)
    probe = train[:200]
    keys = ("epochs", "sigma", "a_t", "b_t", "x_star", "y_star", "eps", "mu_u", "mu_w",
            "data_x", "data_y", "chain_x", "chain_y", "data_u", "data_w", "chain_u", "chain_w",
            "U")
    rec = {k: [] for k in keys}
    g = np.random.default_rng(seed + 2)

    def record(ep):
        rm = ReciprocalModes.of(m)
        L = N_LEAD
        xs, ys, eps = rm.saddle_points()
        mu_u, mu_w = rm.constraint_minima()
        h = (g.random((len(probe), n_hidden)) < m.mean_h_given_v(probe)).astype(float)
        chains = np.asarray(rule.chains_v[:100], dtype=np.float64) if rule.chains_v is not None \
            else probe[:100]
        hc = (g.random((len(chains), n_hidden)) < m.mean_h_given_v(chains)).astype(float)
        dx, dy = rm.x(probe)[:, :L], rm.y(h)[:, :L]
        cx, cy = rm.x(chains)[:, :L], rm.y(hc)[:, :L]
        du, dw = rm.rotate(np.pad(dx, ((0, 0), (0, rm.n_modes - L))),
                           np.pad(dy, ((0, 0), (0, rm.n_modes - L))))
        cu, cw = rm.rotate(np.pad(cx, ((0, 0), (0, rm.n_modes - L))),
                           np.pad(cy, ((0, 0), (0, rm.n_modes - L))))
        for k, v in (("epochs", ep), ("sigma", rm.sigma), ("a_t", rm.a_t[:L]),
                     ("b_t", rm.b_t[:L]), ("x_star", xs[:L]), ("y_star", ys[:L]),
                     ("eps", eps[:L]), ("mu_u", mu_u[:L]), ("mu_w", mu_w[:L]),
                     ("data_x", dx), ("data_y", dy), ("chain_x", cx), ("chain_y", cy),
                     ("data_u", du[:, :L]), ("data_w", dw[:, :L]), ("chain_u", cu[:, :L]),
                     ("chain_w", cw[:, :L]), ("U", rm.U[:, :N_TRACK])):
            rec[k].append(v)

    record(0)
    for ep in range(1, epochs + 1):
        tr.fit(train, 1, monitor={"every": 0})
        if ep % record_every == 0 or ep == epochs:
            record(ep)
    out = {k: np.array(v) for k, v in rec.items()}
    out.update(model=m, model0=model0, train=train)
    return out


def _final_spectrum(n_hidden, replica, epochs, n_train, lr, seed):
    r = mnist_reciprocal_run(n_hidden=n_hidden, epochs=epochs, n_train=n_train, lr=lr,
                             record_every=epochs, seed=seed + 1000 * replica)
    return {"n_hidden": n_hidden, "replica": replica, "sigma": r["sigma"][-1],
            "sigma0": r["sigma"][0], "W": np.asarray(r["model"].W, dtype=np.float64)}


def trained_spectra(*, hidden_sizes=(500, 784, 1200, 3000), n_replicas=1, epochs=20,
                    n_train=4000, lr=0.01, seed=0, n_jobs=None):
    """Final (and initial) singular values of RBMs trained at several hidden sizes, run side
    by side with :func:`rbmphys.parallel.run` (each run a cached :func:`mnist_reciprocal_run`):
    the leading singular values leave the Marchenko–Pastur bulk (Toledo-Marin et al. Fig. 3f).
    Introduced in Chapter 6.

    Parameters
    ----------
    hidden_sizes : sequence of int
        Hidden sizes M to train.
    n_replicas : int
        Independent runs per hidden size (replica r uses ``seed + 1000 r``).
    epochs : int
        Training epochs of each run.
    n_train : int
        Number of training images.
    lr : float
        Learning rate.
    seed : int
        Base seed.
    n_jobs : int, optional
        Worker processes of :func:`rbmphys.parallel.run` (its default if None).

    Returns
    -------
    list of dict
        One per (hidden size, replica): ``n_hidden``, ``replica``, ``sigma`` (final singular
        values, descending), ``sigma0`` (initial), ``W`` (final weights, float64).
    """
    from rbmphys.parallel import grid, run as run_parallel
    pts = [dict(p, epochs=epochs, n_train=n_train, lr=lr, seed=seed)
           for p in grid(n_hidden=list(hidden_sizes), replica=list(range(n_replicas)))]
    return run_parallel(_final_spectrum, pts, n_jobs=n_jobs)


def learning_times(*, epochs, sigma, n_modes=10, growth=0.25):
    r"""When each leading mode left the random (Marchenko–Pastur) bulk: for each of the
    leading ``n_modes`` singular values (ranked at every epoch) the first epoch at which
    :math:`\sigma_\alpha \ge (1 + \text{growth})\,\sigma_\alpha(0)` — hierarchical learning,
    Toledo-Marin et al. Fig. 8. Introduced in Chapter 8.

    Parameters
    ----------
    epochs : array_like (E,)
        Recorded epochs.
    sigma : array_like (E, K)
        Singular values at those epochs, descending in each row.
    n_modes : int
        Number of leading modes.
    growth : float
        Relative growth that counts as having left the bulk.

    Returns
    -------
    ndarray (n_modes,)
        The epochs, ``inf`` for a mode that never grows enough.
    """
    sigma = np.asarray(sigma)[:, :n_modes]
    out = np.full(sigma.shape[1], np.inf)
    for a in range(sigma.shape[1]):
        hit = np.flatnonzero(sigma[:, a] >= (1.0 + growth) * sigma[0, a])
        if len(hit):
            out[a] = epochs[hit[0]]
    return out


def tracked_learning_times(*, epochs, sigma, U, n_modes=10, growth=0.25, min_overlap=0.5):
    r"""When each of the final ``n_modes`` leading modes left the random bulk, following the
    mode itself rather than the rank of its singular value.

    Mode a of the last record is followed backwards in time by overlap: at each earlier record
    the tracked mode is the recorded left singular vector :math:`u_j` with the largest
    :math:`|u_j\cdot u|`, u being the tracked vector one record later; tracking stops when that
    overlap falls below ``min_overlap`` (the mode has dissolved into the bulk, where singular
    vectors rotate freely) or the tracked singular value falls below the bulk edge
    :math:`(1 + \text{growth})\,\sigma_1(0)` (the largest singular value at initialisation,
    the Marchenko–Pastur edge). The learning time is the earliest record of that unbroken
    stretch (``inf`` if the mode is not above the edge at the end). No singular value is
    re-sorted: modes that overtake one another keep their identity. Introduced in Chapter 8.

    Parameters
    ----------
    epochs : array_like (n_records,)
        Recorded epochs.
    sigma : array_like (n_records, k)
        Singular values at those epochs.
    U : array_like (n_records, n, r)
        Leading left singular vectors at those epochs (``mnist_reciprocal_run(...)["U"]``).
    n_modes : int
        Number of final leading modes to follow, at most r.
    growth : float
        The bulk edge is :math:`(1 + \text{growth})\,\sigma_1(0)`.
    min_overlap : float
        Smallest overlap :math:`|u_j\cdot u|` with which a mode is still followed.

    Returns
    -------
    times : ndarray (n_modes,)
        The learning times.
    tracked : ndarray (n_records, n_modes)
        The tracked singular values, NaN where the mode was not followed.
    """
    epochs = np.asarray(epochs)
    sigma, U = np.asarray(sigma, dtype=float), np.asarray(U, dtype=float)
    if U.ndim != 3 or U.shape[0] != len(epochs) or sigma.shape[0] != len(epochs):
        raise ValueError(f"U must be (n_records, n, r) and sigma (n_records, k) with "
                         f"n_records = {len(epochs)}; got {U.shape} and {sigma.shape}")
    if not 1 <= n_modes <= U.shape[2]:
        raise ValueError(f"n_modes must be in [1, {U.shape[2]}], got {n_modes}")
    edge = (1.0 + growth) * sigma[0, 0]
    E = len(epochs)
    times = np.full(n_modes, np.inf)
    tracked = np.full((E, n_modes), np.nan)
    for a in range(n_modes):
        j, u = a, U[-1][:, a]
        for e in range(E - 1, -1, -1):
            if e < E - 1:
                ov = np.abs(U[e].T @ u)
                j = int(np.argmax(ov))
                if ov[j] < min_overlap:
                    break
                u = U[e][:, j]
            if sigma[e, j] < edge:
                break
            tracked[e, a] = sigma[e, j]
            times[a] = epochs[e]
    return times, tracked
