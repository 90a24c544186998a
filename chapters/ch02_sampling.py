# %% [markdown]
"""Chapter 2 — Sampling and learning.

Learning goals
--------------
* sample an RBM with block Gibbs and *test* the sampler against the exact p(v) (χ²);
* see block Gibbs fail on a bimodal landscape and parallel tempering repair it;
* derive the likelihood gradient as positive minus negative phase and check it against finite
  differences of the exact log-likelihood;
* train with the exact gradient, CD-k, PCD and random-start chains, and watch the exact
  log-likelihood on Bars;
* estimate ln Z of models too big to enumerate with AIS and reverse AIS, and bracket a test
  log-likelihood on MNIST (Toledo-Marin et al. Fig. 1, at the scale of a laptop).

Equations (Toledo-Marin et al.)
-------------------------------
Log-likelihood and gradient, eqs. (1), (4), (6a-c)::

    L = (1/|D|) Σ_μ ln p(v^μ),     ∂L/∂W_ij = ⟨v_i h_j⟩_data − ⟨v_i h_j⟩_model

with ⟨v_i h_j⟩_data = (1/|D|) Σ_μ v_i^μ σ(b_j + Σ_k v_k^μ W_kj) (eq. (9)); block Gibbs
(eqs. (10)-(12)) estimates the model average; updates θ ← θ + η ∂L/∂θ (eq. (13)).
Learning-rate decay η_n = r η_{n−1} every N epochs: Aarts, Lucini, Park eq. (A2).

AIS: p*_β(v) = e^{((1−β)a_A + βa_B)ᵀv} Π_j (1 + e^{β(b_j + (Wᵀv)_j)}), 0 = β_0 < … < β_K = 1,
ln Ẑ = ln Z_A + ln mean(w) underestimates ln Z; reverse AIS from data overestimates it, so
the test LL lies in [L_reverse, L_AIS].

Run: ``python chapters/ch02_sampling.py`` or ``rbmphys run ch02 [--quick]``.
"""

# %%
import numpy as np

import rbmphys as rp
from rbmphys.verify.experiments import ch02 as learning
from rbmphys.verify import check
from rbmphys.verify.claims import ch02 as claims

SEED = 2


def main(outdir="figures/ch02", quick=False):
    from rbmphys import plotting as pl

    results = {}

    # %% [markdown]
    # ## 1. Is the sampler right?  Ask the exact distribution.
    # %%
    for cid in ("ch02.gibbs_chi2_01", "ch02.gibbs_chi2_pm1"):
        results[cid] = check(cid, quick=quick)
    m = claims._chi2_model(rp.BernoulliRBM)
    states, p = rp.exact.visible_distribution(m)
    counts = learning.gibbs_histogram(m, 20_000, 30, claims.SEED + 1)
    top = np.argsort(-p)[:24]
    fig, ax = pl.figure(size=(8.0, 3.2))
    pl.histogram_vs_exact(ax, counts[top], p[top] / p[top].sum(),
                          ["".join(str(int(x)) for x in s) for s in states[top]])
    ax.set_title("block Gibbs (20 000 chains × 30 sweeps) vs exact p(v): 24 likeliest states")
    pl.save_figure(fig, outdir, "fig02_01_gibbs_vs_exact", chapter=2, seed=claims.SEED,
                   title="block Gibbs histogram against exact p(v)")

    # %% [markdown]
    # ## 2. When Gibbs does not mix: parallel tempering
    # %%
    for cid in ("ch02.pt_chi2", "ch02.gibbs_trapped"):
        results[cid] = check(cid, quick=quick)
    bm, xi = learning.bimodal_model()
    pt = rp.ParallelTempering(bm, np.geomspace(0.05, 1, 10), 1000, rng=SEED).run(200)
    gv = rp.gibbs(bm, np.tile(xi, (1000, 1)), 200, rng=SEED)
    st, pb = rp.exact.visible_distribution(bm)
    fig, axes = pl.figure(1, 2, size=(4.4, 3.2))
    bins = np.arange(-9, 10, 2)               # overlaps of V = 8 spins are even: -8 … 8
    axes[0].hist([gv @ xi, pt.v @ xi], bins=bins, density=True, label=["Gibbs from +ξ", "PT"])
    overlap = st @ xi
    exact_hist = [pb[overlap == k].sum() / 2 for k in range(-8, 9, 2)]
    axes[0].plot(range(-8, 9, 2), exact_hist, "k_", ms=14, mew=2, label="exact")
    axes[0].set_xlabel("overlap ξ·v")
    axes[0].set_ylabel("density")
    axes[0].legend()
    axes[0].set_title("a bimodal RBM (Mattis weights)")
    axes[1].plot(pt.acceptance_rates, "o-")
    axes[1].set_xlabel("replica pair (β_r, β_r+1)")
    axes[1].set_ylabel("swap acceptance")
    axes[1].set_ylim(0, 1)
    pl.save_figure(fig, outdir, "fig02_02_tempering", chapter=2, seed=SEED,
                   title="parallel tempering vs block Gibbs on a bimodal model")

    # %% [markdown]
    # ## 3. The gradient: positive minus negative phase
    # %%
    results["ch02.gradient_fd"] = check("ch02.gradient_fd", quick=quick)
    gm = rp.BernoulliRBM.random(5, 4, weight_scale=0.7, bias_scale=0.3, rng=claims.SEED)
    data = rp.gibbs(gm, np.ones((10, 5)), 3, rng=claims.SEED)
    g = rp.exact.gradient(gm, data)
    fd = claims.finite_difference_gradient(gm, data, "W").ravel()
    fig, ax = pl.figure()
    ax.plot(g["W"].ravel(), fd, "o")
    lim = np.abs(fd).max() * 1.1
    ax.plot([-lim, lim], [-lim, lim], "k--", lw=0.8)
    ax.set_xlabel("⟨vh⟩_data − ⟨vh⟩_model (exact)")
    ax.set_ylabel("finite difference of exact L")
    ax.set_title("∂L/∂W, V=5, H=4")
    pl.save_figure(fig, outdir, "fig02_03_gradient", chapter=2, seed=claims.SEED,
                   title="likelihood gradient vs finite differences")

    # %% [markdown]
    # ## 4. Learning Bars with exact, PCD, CD and random-start chains
    # %%
    for cid in ("ch02.exact_training_monotone", "ch02.exact_training_optimum",
                "ch02.pcd_bars"):
        results[cid] = check(cid, quick=quick)
    epochs = 600 if quick else 2000
    fig, ax = pl.figure(size=(5.5, 3.6))
    for name, lr in (("exact", 0.3), ("PCD-1", 0.05), ("CD-1", 0.05), ("Rdm-10", 0.05)):
        ep, ll, opt = learning.bars_curves(3, 8, name, epochs, lr, 6, claims.SEED,
                                           1 if name == "exact" else 10)
        ax.plot(ep, ll, label=f"{name} (lr {lr})")
    ax.axhline(opt, color="k", ls="--", lw=0.8, label="optimum −ln 6")
    ax.set_xlabel("epoch")
    ax.set_ylabel("exact mean log-likelihood")
    ax.set_title("Bars 3×3, H = 8")
    ax.legend()
    pl.save_figure(fig, outdir, "fig02_04_bars_training", chapter=2, seed=claims.SEED,
                   title="exact log-likelihood curves on Bars 3×3")

    # %% [markdown]
    # ## 5. Partition functions beyond enumeration: AIS and reverse AIS
    # %%
    for cid in ("ch02.ais_exact", "ch02.rais_exact"):
        results[cid] = check(cid, quick=quick)
    am = claims._ais_model()
    exact_lz = rp.exact.log_partition(am)
    sts, pa = rp.exact.visible_distribution(am)
    samp = sts[np.random.default_rng(claims.SEED).choice(len(pa), 300, p=pa)]
    nbs = [30, 100, 300, 1000] if quick else [30, 100, 300, 1000, 3000, 10000]
    fw = [rp.ais(am, n_chains=100, n_betas=n, rng=SEED + n) for n in nbs]
    rv = [rp.reverse_ais(am, samp, n_betas=n, rng=SEED + n + 1) for n in nbs]
    fig, ax = pl.figure()
    ax.errorbar(nbs, [r.log_z for r in fw], [r.stderr for r in fw], fmt="o-", label="AIS")
    ax.errorbar(nbs, [r.log_z for r in rv], [r.stderr for r in rv], fmt="s-",
                label="reverse AIS (exact samples)")
    ax.axhline(exact_lz, color="k", ls="--", lw=0.8, label="exact ln Z")
    ax.set_xscale("log")
    ax.set_xlabel("number of inverse temperatures")
    ax.set_ylabel("ln Z estimate")
    ax.set_title("V = 12, H = 16: AIS ≤ ln Z ≤ reverse AIS")
    ax.legend()
    pl.save_figure(fig, outdir, "fig02_05_ais_bracket", chapter=2, seed=SEED,
                   title="AIS and reverse AIS against exact ln Z")

    # %% [markdown]
    # ## 6. MNIST: test log-likelihood bracket vs epochs (Toledo-Marin et al. Fig. 1)
    # %%
    for cid in ("ch02.mnist_bracket", "ch02.mnist_learns"):
        results[cid] = check(cid, quick=quick)
    curves = claims.mnist_curves(quick)
    fig, ax = pl.figure(size=(5.5, 3.6))
    for k, (H, c) in enumerate(sorted(curves.items())):
        ax.fill_between(c["epochs"], c["lower"], c["upper"], color=f"C{k}", alpha=0.35)
        ax.plot(c["epochs"], 0.5 * (c["lower"] + c["upper"]), "o-", color=f"C{k}",
                label=f"H = {H}")
    ax.set_xlabel("epoch (PCD-1, batch 100)")
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.set_ylabel("test log-likelihood (nats)")
    ax.set_title("MNIST subset: [reverse AIS, AIS] bracket")
    ax.legend()
    pl.save_figure(fig, outdir, "fig02_06_ll_vs_epochs", chapter=2, seed=0,
                   paper="Toledo-Marin Fig. 1",
                   title="test LL bracket vs epochs for several hidden sizes (MNIST subset)")
    big = curves[max(curves)]["model"]
    samples = rp.gibbs(big, rp.datasets.mnist(binarize=True)[::500][:10], 1000, rng=SEED)
    fig, axes = pl.figure(1, 2, size=(4.2, 4.2))
    pl.image_grid(samples, (28, 28), ncols=5, ax=axes[0])
    axes[0].set_title("samples (1000 Gibbs sweeps)")
    pl.image_grid(big.W.T[:25], (28, 28), ncols=5, ax=axes[1], cmap="RdBu_r")
    axes[1].set_title(f"filters W[:, j], H = {big.n_hidden}")
    pl.save_figure(fig, outdir, "fig02_07_mnist_samples_filters", chapter=2, seed=SEED,
                   title="MNIST samples and filters (MNIST: LeCun, Cortes, Burges, CC BY-SA 3.0)")

    n_pass = sum(r.passed for r in results.values())
    print(f"chapter 2: {n_pass} of {len(results)} claims passed")
    return results


if __name__ == "__main__":
    main()
