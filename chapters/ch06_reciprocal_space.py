# %% [markdown]
# # Chapter 6 — Reciprocal space
#
# **The question.** An RBM's energy $E = -v^TWh - a^Tv - b^Th$ couples every visible unit to
# every hidden one. A physicist's reflex is to diagonalise: in the basis of the singular vectors
# of $W$ the couplings become a set of independent *modes*. What does the energy landscape look
# like mode by mode, what does the random initialisation look like in that basis, and what does
# training change? In this chapter (Toledo-Marin, Maiti, Fox, Melko, Secs. 3-4):
#
# * reciprocal variables $x = U^Tv$, $y = V^Th$ and the energy as a sum of hyperbolic
#   paraboloids, one per singular value (14)-(19), with saddle points;
# * the random RBM: Marchenko–Pastur {cite}`MarchenkoPastur1967` singular values (20) and nearly
#   Gaussian reciprocal
#   variables (kurtosis $3 - 6/(N+2)$);
# * the partition function relaxed to Gaussian integrals in reciprocal space (21)-(28): exact to
#   third order in the couplings, and infinite once a singular value passes 4;
# * trained RBMs: singular values torn out of the random bulk.
#
# The paper is {cite}`ToledoMarin2025`; equation numbers in parentheses are its own. The
# derivations behind the formulas of this chapter are written out in the appendix — the
# reciprocal variables and saddle points in {ref}`appendix-reciprocal`, the relaxed partition
# function in {ref}`appendix-relaxed-z`, the Marchenko–Pastur law and the kurtosis of the
# reciprocal variables in {ref}`appendix-random-rbm` — and the claims below check each against an
# independent oracle. Run with `rbmphys run ch06 [--quick]`.

# %% tags=["parameters"]
import rbmphys

QUICK = rbmphys.quick_mode()   # --quick, or RBMPHYS_QUICK=1: smaller sizes
OUTDIR = "figures/ch06"
SEED = 6

# %%
import numpy as np
from scipy import stats

import rbmphys as rp
from rbmphys import plotting as pl
from rbmphys.analysis import random_matrix as rmt
from rbmphys.analysis.reciprocal import (ReciprocalModes, haar_mean_kurtosis,
                                         reciprocal_kurtosis, relaxed_log_partition)
from rbmphys.verify.book import ChapterLedger
from rbmphys.experiments import toledo as ex

ledger = ChapterLedger(6, quick=QUICK)
RUN = (100, 20, 2000, 0.02) if QUICK else (500, 40, 4000, 0.01)   # H, epochs, images, lr

# %% [markdown]
# ## 6.1 Modes of the energy
#
# Write $W = U\Sigma V^T$ ($U\in O(N)$, $V\in O(M)$, singular values $\sigma_1\ge\sigma_2\ge\dots$)
# and define the reciprocal variables and projected biases (17)
#
# $$x = U^Tv,\quad y = V^Th,\quad \tilde a = U^Ta,\quad \tilde b = V^Tb.$$
#
# Because $U$ and $V$ are orthogonal, the energy separates (14)-(16):
#
# $$E = \sum_{\alpha} E_\alpha(x_\alpha, y_\alpha) - \sum_{\alpha>M}\tilde a_\alpha x_\alpha,
#   \qquad E_\alpha = -\sigma_\alpha x_\alpha y_\alpha - \tilde a_\alpha x_\alpha
#   - \tilde b_\alpha y_\alpha .$$
#
# Each $E_\alpha$ is a saddle: its gradient vanishes at $x^*_\alpha = -\tilde b_\alpha/\sigma_\alpha$,
# $y^*_\alpha = -\tilde a_\alpha/\sigma_\alpha$ with energy
# $\epsilon_\alpha = \tilde a_\alpha\tilde b_\alpha/\sigma_\alpha$, and rotating by π/4 about it
# (18)-(19) gives $E_\alpha = \epsilon_\alpha - \tfrac{\sigma_\alpha}{2}(u_\alpha^2 - w_\alpha^2)$:
# downhill along $u$, uphill along $w$, curvatures $\mp\sigma_\alpha$.

# %%
ledger.check("ch06.reciprocal_energy")
ledger.check("ch06.saddle_points")
ledger.check("ch06.rotated_energy")

# %% [markdown]
# The state space is not the plane, though: $v$ and $h$ are binary, so $(x_\alpha, y_\alpha)$
# can only take the values of projected corners of hypercubes. Here are the first modes of an
# RBM trained on the MNIST subset (right) and of its random initialisation (left): training
# images (their hidden units drawn from $p(h|v)$) in colour, the persistent Gibbs chains in grey,
# the saddle as a star (the paper's Fig. 2).

# %%
run = ex.mnist_reciprocal_run(n_hidden=RUN[0], epochs=RUN[1], n_train=RUN[2], lr=RUN[3],
                              seed=606)
rm0, rm1 = ReciprocalModes.of(run["model0"]), ReciprocalModes.of(run["model"])
print(f"trained {RUN[1]} epochs, H = {RUN[0]}: σ₁ grew from {run['sigma'][0, 0]:.3f} to "
      f"{run['sigma'][-1, 0]:.2f}; saddle of mode 1 at (x*, y*) = "
      f"({run['x_star'][-1, 0]:.2f}, {run['y_star'][-1, 0]:.2f}), energy ε₁ = "
      f"{run['eps'][-1, 0]:.2f}")


def mode_plane(ax, rec, e, k, title):
    """Contours of E_k in the (x_k, y_k) plane with data, chains and the saddle."""
    dx, dy = rec["data_x"][e][:, k], rec["data_y"][e][:, k]
    cx, cy = rec["chain_x"][e][:, k], rec["chain_y"][e][:, k]
    allx, ally = np.r_[dx, cx, rec["x_star"][e, k]], np.r_[dy, cy, rec["y_star"][e, k]]
    pad_x, pad_y = 0.2 * np.ptp(allx) + 0.2, 0.2 * np.ptp(ally) + 0.2
    X, Y = np.meshgrid(np.linspace(allx.min() - pad_x, allx.max() + pad_x, 120),
                       np.linspace(ally.min() - pad_y, ally.max() + pad_y, 120))
    s, at, bt = rec["sigma"][e, k], rec["a_t"][e, k], rec["b_t"][e, k]
    E = -s * X * Y - at * X - bt * Y
    cs = ax.contourf(X, Y, E, levels=20, cmap="coolwarm", alpha=0.6)
    ax.scatter(cx, cy, s=10, c="0.4", marker="h", label="Gibbs chains")
    ax.scatter(dx, dy, s=6, c="C2", label="training images")
    ax.plot(rec["x_star"][e, k], rec["y_star"][e, k], "*", color="m", ms=12, label="saddle")
    ax.set_xlabel(rf"$x_{{{k + 1}}}$")
    ax.set_ylabel(rf"$y_{{{k + 1}}}$")
    ax.set_title(title, fontsize=9)
    return cs


fig, axes = pl.figure(2, 3, size=(2.9, 2.6), layout="constrained")
for row, (e, lab) in enumerate(((0, "random"), (-1, "trained"))):
    for col, k in enumerate((0, 1, 5)):
        cs = mode_plane(axes[row, col], run, e, k, f"{lab}, mode {k + 1}: "
                        rf"$\sigma = {run['sigma'][e, k]:.2f}$")
    fig.colorbar(cs, ax=axes[row, -1], label=r"$E_\alpha$")
axes[0, 0].legend(fontsize=6, loc="lower left")
pl.save_figure(fig, OUTDIR, "fig06_01_mode_planes", chapter=6, seed=606,
               paper="Toledo-Marin Fig. 2",
               title="energy contours of modes 1, 2, 6 with data, chains and saddle")

# %% [markdown]
# At initialisation the saddles sit far outside the cloud of states (σ is tiny, so
# $x^* = -\tilde b/\sigma$ is huge) and the landscape is almost flat over the data. After
# training the first modes are steep, the data spread along the downhill diagonal, and the
# Gibbs chains follow them: learning has put structure into a few modes.

# %% [markdown]
# ## 6.2 The random RBM
#
# At initialisation $W_{ij}\sim\mathcal N(0, \sigma_W^2)$ with $\sigma_W = 0.01$ (the authors'
# choice). Random-matrix theory predicts the singular values: the Marchenko–Pastur law (20),
# $\rho(\sigma) = \frac{1}{\pi q\sigma}\sqrt{(\sigma_+^2 - \sigma^2)(\sigma^2 - \sigma_-^2)}$
# with $\sigma_\pm = \sigma_W|\sqrt N\pm\sqrt M|$ and $q = \min(N, M)\sigma_W^2$, peaked at
# $\sigma_W\sqrt{|N - M|}$. (The authors' plotting code normalises with $q = M\sigma_W^2$, which is
# wrong for $M > N$ — a claim below would catch it.)

# %%
ledger.check("ch06.mp_normalisation")
ledger.check("ch06.mp_ks")
fig, axes = pl.figure(1, 4, size=(2.4, 2.4), layout="constrained")
for ax, M in zip(axes, (500, 784, 1200, 3000)):
    sv = rmt.random_singular_values(784, M, 0.01, n_samples=1, rng=SEED + M).ravel()
    law = rmt.marchenko_pastur(784, M, 0.01)
    s = np.linspace(law.a, law.b, 400)
    pl.density_vs_law(ax, sv, s, law.pdf(s), bins=40, law_color="k", label="sampled W",
                      law_label="MP (20)")
    if M != 784:
        ax.axvline(law.peak, color="C3", ls=":", lw=1, label=r"$\sigma_W\sqrt{|N-M|}$")
    ax.set_title(f"N = 784, M = {M}")
    ax.set_xlabel(r"singular value $\sigma$")
axes[0].set_ylabel("density")
axes[0].legend(fontsize=7)
pl.save_figure(fig, OUTDIR, "fig06_02_mp_spectra", chapter=6, seed=SEED,
               paper="Toledo-Marin Fig. 3a-d",
               title="singular values of random RBMs vs Marchenko-Pastur")

# %% [markdown]
# For $N = M$ the lower edge is 0 and the $1/\sigma$ of (20) cancels against the square root:
# the density is the quarter circle, finite at zero, $\rho(0) = 2/(\pi\sigma_W\sqrt N)$. For
# $M \ne N$ a gap opens and the peak moves out with $|N - M|$.
#
# **Nearly Gaussian reciprocal variables.** Under uniformly random binary states a reciprocal
# variable $x_\alpha = \sum_i U_{i\alpha}v_i$ is a sum of $N$ independent bits: mean
# $\tfrac12\sum_iU_{i\alpha}$, variance exactly $\tfrac14$ (28), (51) — and, by the central limit
# theorem, nearly Gaussian. How nearly? The fourth cumulant of a bit is $-1/8$, so the kurtosis
# is exactly $3 - 2\sum_iU_{i\alpha}^4$, and for a Haar-random $U$ its average is
# $3 - 6/(N+2)$: linear in $1/N$ (the paper's Fig. 3e extrapolates exactly this; derivation in
# {ref}`appendix-random-rbm`).

# %%
ledger.check("ch06.uniform_moments")
ledger.check("ch06.kurtosis")
sizes = np.array([50, 100, 200, 500, 784, 1200] + ([] if QUICK else [3000]))
g = np.random.default_rng(SEED)
kurt_mean, kurt_sd, kurt_mc = [], [], []
for M in sizes:
    W = g.normal(0, 0.01, (784, M))
    V = np.linalg.svd(W, full_matrices=True)[2].T              # hidden singular vectors
    k = reciprocal_kurtosis(V[:, :min(784, M)])
    kurt_mean.append(k.mean())
    kurt_sd.append(k.std())
    h = (g.random((10000 if QUICK else 20000, M)) < 0.5).astype(float)
    kurt_mc.append(stats.kurtosis(h @ V[:, :5], axis=0, fisher=False).mean())
fig, ax = pl.figure(size=(4.6, 3.3))
inv = 1.0 / sizes
ax.errorbar(inv, kurt_mean, yerr=kurt_sd, fmt="o", ms=4, capsize=2,
            label=r"$3 - 2\sum_j V_{j\alpha}^4$ (mean ± sd over modes)")
ax.plot(inv, kurt_mc, "s", mfc="none", label="sampled $h$ (first 5 modes)")
xx = np.linspace(0, inv.max() * 1.05, 50)
ax.plot(xx, haar_mean_kurtosis(1 / np.maximum(xx, 1e-9)), "k--", lw=1,
        label=r"Haar average $3 - 6/(M+2)$")
ax.axhline(3, color="0.5", lw=0.8)
ax.set_xlabel(r"$1/M$ (hidden units)")
ax.set_ylabel(r"kurtosis of $y_\alpha$")
ax.set_title("reciprocal variables become Gaussian as $M$ grows")
ax.legend(fontsize=8)
pl.save_figure(fig, OUTDIR, "fig06_03_kurtosis", chapter=6, seed=SEED,
               paper="Toledo-Marin Fig. 3e",
               title="kurtosis of hidden reciprocal variables of random RBMs vs 1/M")
print("kurtosis at M = 1200: mean over modes", round(kurt_mean[5], 4), "; Haar average",
      round(float(haar_mean_kurtosis(1200)), 4), "(3 = Gaussian)")

# %% [markdown]
# ## 6.3 The partition function in reciprocal space
#
# Sum over states = integral over reciprocal variables weighted by their density of states
# (21)-(22). Replacing that density by the Gaussian with the exact first two moments (mean
# $\tfrac12U^T\mathbf 1$, covariance $\mathbb 1/4$, eqs. (28), (45)-(46)) turns $Z$ into a product of
# two-dimensional Gaussian integrals, one per mode ({ref}`appendix-relaxed-z`):
#
# $$\ln Z \approx (N+M)\ln2 + \sum_\alpha\ln\mathbb E\big[e^{\sigma_\alpha x y
#   + \tilde a_\alpha x + \tilde b_\alpha y}\big]_{x, y\sim\mathcal N(\mu, 1/4)} + \dots$$
#
# Two things follow. The error is of fourth order in the couplings (the first three moments of
# a Bernoulli(½) bit and of $\mathcal N(\tfrac12, \tfrac14)$ agree; the fourth does not). And
# the $u$-integral $\int e^{\sigma u^2/2 - 2(u-\mu)^2}du$ exists only while $\sigma < 4$: beyond
# it, the relaxation has nothing to say.

# %%
ledger.check("ch06.relaxation_fourth_order")
ledger.check("ch06.relaxation_threshold")
g = np.random.default_rng(SEED)
W0 = g.normal(size=(10, 8))
W0 /= np.linalg.svd(W0, compute_uv=False)[0]               # σ₁ = 1 at scale 1
a0, b0 = g.normal(0, 0.3, 10), g.normal(0, 0.3, 8)
scales = np.geomspace(0.02, 3.99, 40)
exact, relaxed = [], []
for s in scales:
    m = rp.BernoulliRBM(s * W0, a0, b0)
    exact.append(rp.exact.log_partition(m))
    relaxed.append(relaxed_log_partition(m).log_z)
exact, relaxed = np.array(exact), np.array(relaxed)
m0 = rp.BernoulliRBM(0 * W0, a0, b0)
offset = relaxed_log_partition(m0).log_z - rp.exact.log_partition(m0)
fig, axes = pl.figure(1, 2, size=(3.9, 3.1), layout="constrained")
axes[0].plot(scales, exact, "k-", label="exact (enumeration)")
axes[0].plot(scales, relaxed, "C1--", label="Gaussian relaxation")
axes[0].axvline(4, color="C3", ls=":", label=r"$\sigma_1 = 4$")
axes[0].set_ylim(exact.min() - 1, exact.max() + 6)
axes[0].set_xlabel(r"largest singular value $\sigma_1$")
axes[0].set_ylabel(r"$\ln Z$")
axes[0].legend(fontsize=8)
axes[0].set_title("10×8 RBM, biases ~ N(0, 0.3²)")
axes[1].loglog(scales, np.abs(relaxed - exact - offset), "C1-", label="relaxed − exact − (W=0 part)")
axes[1].loglog(scales, 0.1 * scales**4, "k:", label=r"$\propto\sigma_1^4$")
axes[1].set_xlabel(r"$\sigma_1$")
axes[1].set_ylabel(r"$|\Delta\ln Z|$ (nats)")
axes[1].legend(fontsize=8)
axes[1].set_title("error: fourth order, then blow-up")
pl.save_figure(fig, OUTDIR, "fig06_04_relaxed_z", chapter=6, seed=SEED,
               title="Gaussian relaxation of ln Z vs exact enumeration, 10x8 RBM")
for s in (0.1, 1.0, 3.0, 3.9):
    i = np.argmin(np.abs(scales - s))
    print(f"σ₁ = {scales[i]:.2f}: ln Z exact {exact[i]:8.4f}, relaxed {relaxed[i]:8.4f}")

# %% [markdown]
# With biases the relaxation is off even at $W = 0$ (by $\sum\ln\cosh(a/2) - a^2/8$, the
# fourth-order bias term), so the right panel subtracts that constant. The error then grows as
# $\sigma_1^4$ and explodes as $\sigma_1 \to 4$, where the Gaussian integral diverges although
# the true $Z$ of a finite binary system is perfectly finite: **the relaxation is good for weak
# couplings and fails exactly where training takes an RBM** (next section).

# %% [markdown]
# ## 6.4 What training does to the spectrum
#
# Train on MNIST and the leading singular values leave the Marchenko–Pastur bulk, one after the
# other, and pass $\sigma = 4$ — the threshold where the Gaussian picture of 6.3 breaks down and
# where (Chapter 7) the corresponding mode stops relaxing.

# %%
ledger.check("ch06.trained_modes")
# the quick run's two small trainings take less time than starting worker processes
spectra = ex.trained_spectra(hidden_sizes=(50, 100) if QUICK else (500, 784, 1200, 3000),
                             n_replicas=1, epochs=RUN[1] // 2, n_train=RUN[2], lr=RUN[3],
                             seed=SEED, n_jobs=1 if QUICK else None)
fig, axes = pl.figure(1, 2, size=(3.9, 3.1), layout="constrained")
for i, r in enumerate(spectra):
    axes[0].hist(r["sigma"], bins=np.geomspace(0.05, 30, 50), histtype="step", lw=1.2,
                 color=f"C{i}", label=f"M = {r['n_hidden']}, trained")
    axes[0].hist(r["sigma0"], bins=np.geomspace(0.05, 30, 50), alpha=0.25, color=f"C{i}")
axes[0].axvline(4, color="k", ls=":", lw=1)
axes[0].set_xscale("log")
axes[0].set_xlabel(r"singular value $\sigma$")
axes[0].set_ylabel("count")
axes[0].set_title(f"filled: initial, lines: trained\n({RUN[1] // 2} epochs, "
                  f"{RUN[2]} images{', quick run' if QUICK else ''})", fontsize=8)
axes[0].legend(fontsize=7)
pl.singular_value_flow(axes[1], run["epochs"], run["sigma"], n_modes=6)
axes[1].set_title(f"M = {RUN[0]}: leading modes")
axes[1].legend(fontsize=7, ncol=2)
pl.save_figure(fig, OUTDIR, "fig06_05_trained_spectra", chapter=6, seed=SEED,
               paper="Toledo-Marin Fig. 3f",
               title="singular values of trained RBMs (MNIST subset) and their growth")
for r in spectra:
    print(f"M = {r['n_hidden']:4d}: {int(np.sum(r['sigma'] > 4))} singular values above 4, "
          f"largest {r['sigma'][0]:.1f} (initial largest {r['sigma0'][0]:.3f})")

# %% [markdown]
# **Reciprocal variables of random binary states** (the paper's Fig. 5): project uniformly
# random $v$ onto the modes. Before training they are the Gaussians $\mathcal N(\mu_x, 1/4)$ of
# 6.2; after training, too — $U$ is still orthogonal, and the central limit theorem does not care
# about training. What changes is where the *data* and the *model* put their weight relative to
# these bulk distributions.

# %%
g = np.random.default_rng(SEED)
vr = (g.random((20000, 784)) < 0.5).astype(float)
fig, axes = pl.figure(1, 3, size=(2.8, 2.6), layout="constrained")
drawn = [0, 1, 5]
xs = {id(rm): vr @ rm.U[:, drawn] for rm in (rm0, rm1)}    # x = Uᵀv, the drawn modes only
for j, (ax, k) in enumerate(zip(axes, drawn)):
    for rm, lab, c in ((rm0, "random RBM", "C0"), (rm1, "trained RBM", "C1")):
        x = xs[id(rm)][:, j]
        mu = 0.5 * rm.U[:, k].sum()
        xx = np.linspace(mu - 2.5, mu + 2.5, 200)
        pl.density_vs_law(ax, x, xx, stats.norm.pdf(xx, mu, 0.5), bins=60, color=c, alpha=0.4,
                          label=lab, lw=1)
    ax.axvline(np.mean(rm1.x(run["train"][:500])[:, k]), color="C2", ls="--",
               label="training data mean (trained)")
    ax.set_xlabel(rf"$x_{{{k + 1}}}$")
    ax.set_title(f"mode {k + 1}")
axes[0].set_ylabel("density (lines: N(μ, 1/4), eq. (51))")
axes[0].legend(fontsize=6)
pl.save_figure(fig, OUTDIR, "fig06_06_reciprocal_pdfs", chapter=6, seed=SEED,
               paper="Toledo-Marin Fig. 5",
               title="reciprocal variables of uniform binary states, random and trained RBM")

# %%
ledger.summary()

# %% [markdown]
# ## Summary
#
# * In the SVD basis an RBM is a set of independent saddles $E_\alpha = \epsilon_\alpha -
#   \tfrac{\sigma_\alpha}{2}(u^2 - w^2)$, centred at $(-\tilde b/\sigma, -\tilde a/\sigma)$.
# * A random RBM's singular values follow Marchenko–Pastur (20) (with $q = \min(N, M)\sigma_W^2$);
#   its reciprocal variables are Gaussian up to a kurtosis deficit $6/(N+2)$.
# * Relaxing the binary density of states to a Gaussian gives $\ln Z$ to fourth order in the
#   couplings, and diverges as soon as a singular value exceeds 4.
# * Training pulls the leading singular values far out of the bulk and past 4: trained RBMs live
#   exactly where the Gaussian picture fails.
#
# ## Exercises
#
# * **6.1** (computation) Find the saddle point and its energy for a given small RBM.
#   — `rbmphys exercise ex06_1`
# * **6.2** (derivation) Locate the maximum of the Marchenko–Pastur density. — `rbmphys exercise ex06_2`
# * **6.3** (closed form) The relaxed $\ln Z$ of an RBM without couplings. — `rbmphys exercise ex06_3`
