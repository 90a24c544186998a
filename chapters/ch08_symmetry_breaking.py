# %% [markdown]
# # Chapter 8 — Hierarchical learning and symmetry breaking
#
# **The question.** A randomly initialised RBM has no preferred directions: rotate its singular
# vectors and nothing changes. A trained one has learnt a few directions, in order, and behaves
# like a system below a phase transition. Can we make that precise — which modes are learnt
# first, how to *measure* the broken symmetry, and what free energy has two valleys once a
# singular value is large? In this chapter (Toledo-Marin et al. Sec. 5, eqs. (49)-(55)):
#
# * the Gaussian initialisation is invariant under rotations of the singular vectors (49)-(50);
#   after training it is not, measured by the Jensen–Shannon divergence of weight histograms;
# * modes leave the random bulk in the order of their final size (hierarchical learning);
# * Gibbs samples of models whose minor modes were rotated (the paper's Fig. 6);
# * the Landau expansion of one mode's free energy (52)-(55), derived with sympy, checked
#   against the exact large-deviation potential of independent bits: a critical point at
#   $\sigma_c = \bar k$ and an order parameter with exponent ½.
#
# The paper is {cite}`ToledoMarin2025`; the Landau expansion is derived step by step in
# {ref}`appendix-landau`. Run with `rbmphys run ch08 [--quick]`.

# %% tags=["parameters"]
import rbmphys

QUICK = rbmphys.quick_mode()   # --quick, or RBMPHYS_QUICK=1: smaller sizes
OUTDIR = "figures/ch08"
SEED = 8

# %%
import numpy as np

import rbmphys as rp
from rbmphys import plotting as pl
from rbmphys.analysis import symmetry as S
from rbmphys.symbolic import fokker_planck as F
from rbmphys.verify.book import ChapterLedger
from rbmphys.experiments import toledo as ex

ledger = ChapterLedger(8, quick=QUICK)
RUN = (100, 20, 2000, 0.02) if QUICK else (500, 40, 4000, 0.01)
run = ex.mnist_reciprocal_run(n_hidden=RUN[0], epochs=RUN[1], n_train=RUN[2], lr=RUN[3],
                              seed=606)
W0 = np.asarray(run["model0"].W, dtype=np.float64)
W1 = np.asarray(run["model"].W, dtype=np.float64)

# %% [markdown]
# ## 8.1 A symmetry of the initialisation
#
# The authors initialise $W_{ij}\sim\mathcal N(0, \sigma_W^2)$, i.e. (49)
#
# $$P(W) = (2\pi\sigma_W^2)^{-NM/2}\exp\Big[-\frac{\mathrm{Tr}(W^TW)}{2\sigma_W^2}\Big],$$
#
# and $\mathrm{Tr}(W^TW) = \sum_\alpha\sigma_\alpha^2$ does not see the singular vectors: rotating
# $U \to RU$ leaves $P$ unchanged (50). So at initialisation a rotated weight matrix is just another
# draw from the same distribution — its histogram is indistinguishable from the original one's.
# After training this is no longer so.

# %%
ledger.check("ch08.prior_invariance")
ledger.check("ch08.js_untrained")
ledger.check("ch08.js_trained")

# %% [markdown]
# *A warning about conventions.* The authors' code rotates by conjugation, $U \to RUR^T$. For a
# Haar-random $U$ that is as good as $RU$, but the $U$ that LAPACK returns for a tall matrix is
# *not* Haar: its last $N - M$ columns are a deterministic Householder completion, and $U$ acts
# as the identity on most of that subspace. Conjugating such a $U$ gives heavy-tailed weights
# (kurtosis near 10 for 784×100 instead of 3, printed below) even at initialisation. We rotate
# with $RU$.

# %%
g = np.random.default_rng(SEED)
conj = S.rotate_singular_vectors(W0, S.random_rotation(784, g), conjugate=True)
plain = S.rotate_singular_vectors(W0, S.random_rotation(784, g))
from scipy import stats

print(f"kurtosis of initial weights {stats.kurtosis(W0.ravel(), fisher=False):.2f}; rotated "
      f"U → RU {stats.kurtosis(plain.ravel(), fisher=False):.2f}; conjugated U → RURᵀ "
      f"{stats.kurtosis(conj.ravel(), fisher=False):.2f}")

# %%
n_rot = 6
js = {}
for lab, W in (("untrained", W0), ("trained", W1)):
    js[lab] = [S.js_divergence(W, S.rotate_singular_vectors(W, S.random_rotation(784, g)))
               for _ in range(n_rot)]
floor = [S.js_divergence(g.normal(0, 0.01, W0.shape), g.normal(0, 0.01, W0.shape))
         for _ in range(n_rot)]
fig, axes = pl.figure(1, 2, size=(3.9, 3.1), layout="constrained")
axes[0].plot(np.arange(n_rot), js["trained"], "o", label="trained")
axes[0].plot(np.arange(n_rot), js["untrained"], "s", label="untrained")
axes[0].axhline(np.mean(floor), color="k", ls="--", lw=1,
                label="two independent Gaussian matrices")
axes[0].set_yscale("log")
axes[0].set_xlabel("random rotation #")
axes[0].set_ylabel("JS divergence (bits)")
axes[0].set_title("rotated vs original weights")
axes[0].legend(fontsize=7)
Wr = S.rotate_singular_vectors(W1, S.random_rotation(784, g))
bins = np.linspace(np.percentile(W1, 0.05), np.percentile(W1, 99.95), 150)
axes[1].hist(W1.ravel(), bins=bins, density=True, histtype="step", lw=1.4, label="trained W")
axes[1].hist(Wr.ravel(), bins=bins, density=True, histtype="step", lw=1.4,
             label=r"$U \to RU$")
axes[1].set_yscale("log")
axes[1].set_xlabel("weight $W_{ij}$")
axes[1].set_ylabel("density")
axes[1].legend(fontsize=7)
axes[1].set_title("trained weights: rotation changes the PDF")
pl.save_figure(fig, OUTDIR, "fig08_01_js_divergence", chapter=8, seed=SEED,
               paper="Toledo-Marin Fig. 4",
               title="Jensen-Shannon divergence of rotated vs original weights; weight PDFs")
print(f"JS divergence: untrained {np.mean(js['untrained']):.4f}, trained "
      f"{np.mean(js['trained']):.4f}, sampling floor {np.mean(floor):.4f} bits")

# %% [markdown]
# The trained weights are heavy-tailed and sparse in the pixel basis (most pixels at the border
# never light up, so their rows of W stay small); a random rotation of the singular vectors
# spreads every mode over all pixels and the histogram becomes Gaussian-like. The symmetry of the
# initialisation is broken by the data.
#
# ## 8.2 Hierarchical learning
#
# Which directions are learnt first? Record the singular values during training: they leave the
# Marchenko–Pastur bulk one after the other, the eventually largest first (the paper's Figs. 7-8
# show the same in the reciprocal variables).

# %%
ledger.check("ch08.hierarchical_order")
times = ex.learning_times(epochs=run["epochs"], sigma=run["sigma"], n_modes=10)
print("epoch at which σ_α first exceeds 1.25 σ_α(0), α = 1..10:", times)
fig, axes = pl.figure(1, 2, size=(3.9, 3.1), layout="constrained")
pl.singular_value_flow(axes[0], run["epochs"], run["sigma"], n_modes=10, log=True,
                       cmap="viridis", labelled=(0, 4, 9))
axes[0].legend(fontsize=7)
axes[0].set_title(f"M = {RUN[0]}: leading 10 modes")
axes[1].plot(np.arange(1, 11), times, "o-")
axes[1].set_xlabel(r"mode $\alpha$ (rank of the final $\sigma$)")
axes[1].set_ylabel("epoch leaving the bulk")
axes[1].set_title("larger modes are learnt first")
pl.save_figure(fig, OUTDIR, "fig08_02_hierarchical", chapter=8, seed=606,
               paper="Toledo-Marin Fig. 8",
               title="singular values vs epochs and the order in which modes are learnt")

# %% [markdown]
# ## 8.3 What the minor modes carry
#
# Gibbs samples of the trained model, and of copies in which every mode except the two leading
# ones (or five) was rotated at random among themselves (the paper's Fig. 6).

# %%
m = run["model"]
chains = rp.gibbs(m, run["train"][:8], n_sweeps=200, rng=SEED)
rows = [chains]
for keep in (2, 5):
    mr = rp.BernoulliRBM(S.rotate_except(m.W, keep, rng=SEED + keep), m.a, m.b)
    rows.append(rp.gibbs(mr, run["train"][:8], n_sweeps=200, rng=SEED))
fig, ax = pl.figure(size=(6.0, 2.6))
pl.image_grid(np.concatenate(rows), (28, 28), ncols=8, ax=ax)
for r, lab in enumerate(["trained", "all but 2 rotated", "all but 5 rotated"]):
    ax.text(-4, 14 + 29 * r, lab, ha="right", va="center", fontsize=8)
pl.value_key(ax, (0, 1), ("off", "on"), cmap="gray_r", title="pixel")
ax.set_title("Gibbs samples (200 sweeps from training images)")
pl.save_figure(fig, OUTDIR, "fig08_03_rotated_samples", chapter=8, seed=SEED,
               paper="Toledo-Marin Fig. 6",
               title="Gibbs samples of the trained RBM and of copies with rotated minor modes")

# %% [markdown]
# With only the two leading modes kept, the samples lose their identity: round blobs of ink
# with the right overall mass and position, the "mean digit" the leading modes encode. With five
# kept, strokes come back in most samples. What the model knows is stored hierarchically — most
# of it in a handful of leading modes, the order in which they were learnt.

# %% [markdown]
# ## 8.4 A Landau free energy for one mode
#
# Why two valleys? Follow one mode's downhill coordinate $z_1 = u_1$. Its energy is
# $-\sigma_1 z_1^2/2$; the entropy of the binary states behind it is the constraint potential
# $V_c$. Expanding $V_c$ to fourth order about its minimum μ and averaging the other modes'
# fluctuations (Gaussian, variance $s^2$) gives the Landau form (52)-(55),
#
# $$F(z_1) = -\frac{\sigma_1}{2}z_1^2 + \bar h\,\delta + \frac{\bar k}{2}\delta^2
#   + \frac{\bar\gamma}{3}\delta^3 + \frac{\bar\alpha}{4}\delta^4,\qquad \delta = z_1 - \mu,$$
#
# with $\bar k = K_{11} + \tfrac12\sum_j K_{11jj}s^2$ and $\bar\alpha = K_{1111}/6$. sympy derives
# the coefficients from a general quartic Taylor series with Isserlis moments {cite}`Isserlis1918`
# (the same steps by hand: {ref}`appendix-landau`):

# %%
ledger.check("ch08.landau_symbolic")
coeffs, _ = F.landau_coefficients(2)
for k_, v in coeffs.items():
    print(f"  {k_:>5s} = {v}")

# %% [markdown]
# For independent bits the Taylor tensors follow from cumulants: $V_c$ is the Legendre transform
# of the cumulant generating function $\sum_i\ln\cosh(tc_i/2)$, so $K_{11} = 1/\kappa_2 = 4$ (for a
# unit vector $c$) and $K_{1111} = -\kappa_4/\kappa_2^4 = 32\sum_ic_i^4$: positive, a quartic wall
# of size $\sim 1/N$. In the symmetric case ($\mu = 0$) the free energy has two minima
# $\pm\sqrt{(\sigma - \bar k)/\bar\alpha}$ once $\sigma > \sigma_c = \bar k = 4$ — the same
# threshold as the runaway modes of Chapter 7, now with a quartic term that catches them.

# %%
ledger.check("ch08.landau_vs_exact")
ledger.check("ch08.order_parameter")
g = np.random.default_rng(SEED)
c = g.normal(size=40)
c /= np.linalg.norm(c)
co = F.landau_coefficients_numeric(c)
print(f"40 bits, random unit c: k̄ = {co['k']:.4f}, ᾱ = {co['alpha']:.4f} "
      f"(32Σc⁴/6 = {32 * np.sum(c**4) / 6:.4f})")
fig, axes = pl.figure(1, 2, size=(3.9, 3.1), layout="constrained")
zz = np.linspace(-1.6, 1.6, 161)
tz = S.constraint_force(c, zz)
Vc = np.concatenate([[0], np.cumsum(0.5 * (tz[1:] + tz[:-1]) * np.diff(zz))])
Vc -= Vc[80]
for sg, col in ((3.5, "C0"), (4.0, "C1"), (5.0, "C3")):
    axes[0].plot(zz, -sg * zz**2 / 2 + Vc, color=col, label=rf"exact, $\sigma = {sg}$")
    axes[0].plot(zz, (co["k"] - sg) * zz**2 / 2 + co["alpha"] * zz**4 / 4, "--", color=col,
                 lw=0.9)
axes[0].set_ylim(-3, 2)
axes[0].set_xlabel(r"$z_1$ (centred)")
axes[0].set_ylabel(r"$F(z_1)$")
axes[0].legend(fontsize=7)
axes[0].set_title("dashed: Landau quartic")
sig = np.linspace(3.5, 7, 60)
zmin = [S.ordered_minimum(c, s_) for s_ in sig]
axes[1].plot(sig, zmin, "k-", label="exact minimum")
axes[1].plot(sig, np.sqrt(np.clip(sig - co["k"], 0, None) / co["alpha"]), "C1--",
             label=r"Landau $\sqrt{(\sigma - \bar k)/\bar\alpha}$")
axes[1].axvline(co["k"], color="0.5", ls=":", label=r"$\sigma_c = \bar k$")
axes[1].set_xlabel(r"singular value $\sigma$")
axes[1].set_ylabel(r"order parameter $|z_1^*|$")
axes[1].legend(fontsize=7)
axes[1].set_title("a pitchfork at $\\sigma_c = 4$")
pl.save_figure(fig, OUTDIR, "fig08_04_landau", chapter=8, seed=SEED,
               title="Landau free energy of one mode vs the exact large-deviation form")

# %% [markdown]
# Near $\sigma_c$ Landau is exact (the exponent ½ is measured by the claim above); far above it
# the quartic overshoots: the true wall is the finite range of $z$ (a sum of 40 bits cannot
# exceed $\sum|c_i|/2$), so the exact minima saturate where the quartic keeps growing.

# %%
ledger.summary()

# %% [markdown]
# ## Summary
#
# * The initialisation is rotation invariant (49)-(50); training breaks the symmetry, which the
#   Jensen–Shannon divergence of rotated weights measures (×20 the sampling floor here).
# * Conjugating LAPACK's $U$ is not a Haar rotation: use $U \to RU$.
# * Modes are learnt hierarchically: the eventually largest singular value leaves the random
#   bulk first.
# * One mode's free energy is a Landau function with $\sigma_c = \bar k = 4$ and
#   $\bar\alpha = K_{1111}/6 > 0$ from the fourth cumulant of the bits: a pitchfork with
#   exponent ½ — the broken symmetry of a trained RBM.
#
# ## Exercises
#
# * **8.1** (computation) Rotate a weight matrix without changing its prior. — `rbmphys exercise ex08_1`
# * **8.2** (cumulants) The Landau coefficient ᾱ for equal couplings. — `rbmphys exercise ex08_2`
# * **8.3** (critical point) σ_c and the order parameter of a given mode. — `rbmphys exercise ex08_3`
