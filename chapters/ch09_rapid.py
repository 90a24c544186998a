# %% [markdown]
# # Chapter 9 — Spin-glass control: RAPID
#
# **The question.** An RBM's energy $E(v,h) = -v^TWh$ is an Ising model. Initialised with small
# random weights it is a paramagnet (samples are noise); with larger random weights it is a
# Sherrington–Kirkpatrick spin glass {cite}`SherringtonKirkpatrick1975`, whose ground state is
# NP-hard to find and whose Gibbs chains get stuck. Both are bad places to *learn* from, because the negative phase of the
# gradient is an average over the model's low-energy states. Pozas-Kerstjens et al.
# {cite}`PozasKerstjens2021` ask: why start there at all? Build the weights from a few patterns,
# as Hopfield {cite}`Hopfield1982` and Mattis {cite}`Mattis1976` did, and the
# low-energy states are known — they are (close to) the patterns. Then use the patterns
# themselves for the negative phase, with no Markov chain. In this chapter:
#
# * pattern weights $W = \xi_v^T\xi_h/\sqrt K$ (5), from Mattis (K = 1) to SK (K → ∞);
# * ground-state accessibility of untrained models (Fig. 1) and during training (Fig. 2), with
#   the exact ground state from enumeration;
# * RAPID — Regularised Axons trained with Pattern-InDuced correlations (eq. (6), Algorithm 1)
#   — against PCD-10 and the exact gradient on Bars 4×4 (Figs. 2–4, C.1), at equal cost (App. D);
# * BAS 12×12 (Fig. 5) and the MNIST subset (Figs. 6–7).
#
# A sign to know about: the printed (A2) and (A7) lack a minus sign. With
# $\mathcal F = -\sum_\alpha \ln 2\cosh(\cdot)$ (the definition, and (A6)) finite differences
# equal *minus* the printed (A7) (the derivation is in {ref}`appendix-rapid`). We use the sign
# the finite differences confirm, and the claim `ch09.pattern_gradient` re-checks it.
#
# Run with `rbmphys run ch09 [--quick]`.

# %% tags=["parameters"]
import rbmphys

QUICK = rbmphys.quick_mode()   # --quick, or RBMPHYS_QUICK=1: smaller sizes
OUTDIR = "figures/ch09"
SEED = 9

# %%
import numpy as np

import rbmphys as rp
from rbmphys import plotting as pl
from rbmphys.analysis.spinglass import reconstruct, top_row_mask
from rbmphys.training import pcd_multiply_adds
from rbmphys.verify.book import ChapterLedger
from rbmphys.experiments import rapid as ex

ledger = ChapterLedger(9, quick=QUICK)
CFG = ex.QUICK if QUICK else ex.FULL
COLORS = {"rapid": "C0", "pcd": "C1", "exact": "C2", "ra": "C0", "gaussian": "C1",
          "uniform": "C2"}
LABELS = {"rapid": "RAPID (K = 8)", "pcd": "PCD-10", "exact": "exact gradient",
          "ra": "RA, K = 10", "gaussian": "Gaussian", "uniform": "uniform"}


def band(ax, x, runs, key, **kw):
    """Mean over independent runs with a ±1 sd band."""
    mu, sd = np.nanmean(runs, axis=0), np.nanstd(runs, axis=0)
    ax.plot(x, mu, color=COLORS[key], label=LABELS[key], **kw)
    ax.fill_between(x, mu - sd, mu + sd, color=COLORS[key], alpha=0.2, lw=0)


# %% [markdown]
# ## 9.1 Weights from patterns
#
# K joint patterns $\xi^{(k)} = (\xi_v^{(k)}, \xi_h^{(k)}) \in \{\pm1\}^{V+H}$ give (5)
#
# $$W_{i\alpha} = \frac{1}{\sqrt K}\sum_{k=1}^K \xi_i^{(k)}\xi_\alpha^{(k)} .$$
#
# For K = 1 this is Mattis' model: every bond $-v_iW_{i\alpha}h_\alpha$ is satisfied at once by
# $\pm(\xi_v,\xi_h)$, so there is no frustration and exactly two ground states with
# $E_0 = -VH$. As K grows an entry becomes a sum of K random signs over √K — Gaussian by the
# central limit theorem, $\langle W^2\rangle = 1$, $\langle W^4\rangle = 3 - 2/K$: the SK
# couplings where standard initialisations live. K/(V+H) is the Hopfield load; at low load the
# few minima sit next to the patterns.

# %%
ledger.check("ch09.pattern_moments")
ledger.check("ch09.mattis_ground_states")
for K in (1, 2, 5, 40):
    m2, m4 = rp.models.pattern_weight_moments(K)
    print(f"K = {K:>2}: <W^2> = {m2:.3f}, <W^4> = {m4:.3f}  (a Gaussian has 3)")

# %% [markdown]
# ## 9.2 How easily is the ground state reached? (Fig. 1)
#
# The *Gibbs accessibility* is the energy reached by 10 block-Gibbs sweeps from a random visible
# state, over the exact ground-state energy $E_0$ (the visible layer enumerated, the hidden one
# minimised analytically: $\min_h E = -\sum_\alpha|(W^Tv)_\alpha|$). Temperature is 1, so the
# weight scale sets the inverse temperature. Small weights: a paramagnet, every model reaches
# only high energies. Large weights: thermal noise is gone, and what is left is the landscape —
# few minima for RA weights, a glass for random ones.

# %%
sizes = [8, 10, 12, 14, 16]
stds = [0.01, 0.1, 0.3, 1.0, 3.0, 10.0]
ACC = ex.ACC_QUICK if QUICK else ex.ACC_FULL
H1, V1 = ACC["n_hidden"], ACC["n_visible"]
acc = ex.untrained_accessibility(stds=stds, sizes=sizes, n_hidden=H1, n_visible=V1,
                                 n_instances=ACC["n_instances"])
ledger.check("ch09.accessibility_size")
fig, axes = pl.figure(1, 2, size=(4.0, 3.2), layout="constrained")
for kind in ("ra", "gaussian", "uniform"):
    band(axes[0], acc["stds"], acc["scan"][kind], kind, marker="o", ms=3)
    band(axes[1], acc["sizes"], acc["inset"][kind], kind, marker="o", ms=3)
glorot = np.sqrt(2.0 / (V1 + H1))
axes[0].axvline(glorot, color="k", ls=":", lw=1)
axes[0].text(glorot * 1.15, 0.05, "Glorot", fontsize=7)
axes[0].set_xscale("log")
axes[0].set_xlabel("standard deviation of the weights")
axes[0].set_ylabel(r"Gibbs accessibility $E/E_0$")
axes[0].set_title(f"untrained, V = {V1}, H = {H1} ({'quick' if QUICK else 'full'} run)",
                  fontsize=9)
axes[0].legend(fontsize=7)
axes[1].set_xlabel("visible units V")
axes[1].set_ylabel(r"Gibbs accessibility $E/E_0$")
axes[1].set_title("weight std 10 (the plateau)")
pl.save_figure(fig, OUTDIR, "fig09_01_accessibility_untrained", chapter=9, seed=901,
               paper="Pozas-Kerstjens Fig. 1",
               title="Gibbs accessibility of untrained RA, Gaussian and uniform RBMs")
for kind in ("ra", "gaussian"):
    a = acc["inset"][kind].mean(0)
    print(f"{LABELS[kind]:>10}: accessibility {a[0]:.3f} at V = 8 → {a[-1]:.3f} at V = 16")

# %% [markdown]
# At the Glorot scale {cite}`GlorotBengio2010` every model is still hot (accessibility well below 1). On the plateau the RA
# model's chains land within ~10 % of $E_0$ and do so *independently of V*, while the random
# models fall as V grows — the glass gets harder with size, the pattern model does not. The
# gap is smaller than in the paper's figure because our models are smaller (V ≤ 16; the paper's
# V = 20 with H = 1000); the trend with V is the robust statement, and it is what the claim tests.

# %% [markdown]
# ## 9.3 RAPID
#
# The mean log-likelihood depends on the patterns through W, so with
# $G = \partial\ell/\partial W = \langle v\tanh(W^Tv)^T\rangle_{\rm data} - \langle vh^T\rangle_{\rm model}$
# (eqs. (4), (A5)-(A6)) the chain rule gives (A7) with the corrected sign ({ref}`appendix-rapid`),
#
# $$\frac{\partial\ell}{\partial\xi_v} = \frac{\xi_hG^T}{\sqrt K}, \qquad
#   \frac{\partial\ell}{\partial\xi_h} = \frac{\xi_vG}{\sqrt K}.$$
#
# The *pattern-induced* negative phase (6) replaces the model average by the average over the
# patterns, $\langle vh^T\rangle_{\rm model} \approx \frac1K\sum_k \xi_v^{(k)}\xi_h^{(k)T}$ — free
# of any Markov chain. The patterns drift off ±1 under the updates; (B1) takes their sign after
# every epoch. For K = 1 the approximation is exact up to the Boltzmann weight of excitations,
# $e^{-2\min(V,H)}$; for K > 1 it is an approximation whose quality the next figures measure.

# %%
ledger.check("ch09.pid_exact")
ledger.check("ch09.pattern_gradient")
rule = rp.RAPID(n_patterns=8)
print("one update on Bars 4×4 (V = 16, H = 1000, B = 10), multiply-adds (App. D):")
print(f"  RAPID          {rule.multiply_adds(16, 1000, 10):>12,d}")
print(f"  PCD-10, 256 ch {pcd_multiply_adds(16, 1000, 10, 256, 10):>12,d}  (the paper used "
      f"2048 chains: {pcd_multiply_adds(16, 1000, 10, 2048, 10):,d})")

# %% [markdown]
# ## 9.4 Bars 4×4: accessibility during training (Fig. 2)
#
# Fourteen 4×4 images of vertical bars (the blank and the full image left out), in ±1 form.
# Without biases $E(v,h) = E(-v,-h)$, so an image and its flip go to the same side of the
# split: 10 training and 4 test images. RAPID uses K = 8 and (B1) after every epoch; PCD-10
# runs 256 persistent chains (the paper: 2048) from $W \sim \mathcal N(0, 0.01^2)$; the exact
# gradient enumerates the $2^{16}$ visible states. The paper: H = 1000, 100 runs; the scale
# of this run is printed below. The exact gradient costs a full enumeration per update (about
# a minute per run at H = 200): the quick run leaves it out of Figs. 2-4, the full run has it.

# %%
METHODS = ("rapid", "pcd") if QUICK else ("rapid", "pcd", "exact")
SCALE = (f"{'quick' if QUICK else 'full'} run: H = {CFG['n_hidden']}, {CFG['epochs']} epochs, "
         f"{CFG['n_runs']} runs" + (", no exact gradient" if QUICK else ""))
print(f"{SCALE}: {CFG['n_runs']} independent runs of RAPID and PCD-10"
      + ("" if QUICK else ", 10 of the exact gradient"))
runs = {m: ex.bars_runs(method=m, n_runs=CFG["n_runs"] if m != "exact" else 10,
                        n_hidden=CFG["n_hidden"], epochs=CFG["epochs"],
                        record_every=CFG["record_every"], n_recon=CFG["n_recon"])
        for m in METHODS}
ledger.check("ch09.method_accessibility")
ep = runs["rapid"]["epoch"]
fig, axes = pl.figure(1, 2, size=(4.0, 3.2), layout="constrained")
for m in METHODS:
    band(axes[0], ep, runs[m]["gibbs_acc"], m, marker="o", ms=3)
band(axes[1], ep, runs["rapid"]["method_acc"], "rapid", marker="o", ms=3)
band(axes[1], ep[1:], runs["pcd"]["method_acc"][:, 1:], "pcd", marker="o", ms=3)  # no chains yet

axes[0].set_title("(a) Gibbs accessibility")
axes[1].set_title("(b) method accessibility")
for ax in axes:
    ax.set_xlabel("epoch")
    ax.set_ylabel(r"$E/E_0$")
    ax.set_ylim(-0.05, 1.05)
axes[0].legend(fontsize=7)
fig.suptitle(f"Bars 4×4 ({SCALE})", fontsize=9)
pl.save_figure(fig, OUTDIR, "fig09_02_accessibility_training", chapter=9, seed=900,
               paper="Pozas-Kerstjens Fig. 2",
               title="Bars 4x4: Gibbs and method accessibility during training")
for m in ("rapid", "pcd"):
    print(f"{LABELS[m]:>14}: method accessibility after 1 epoch "
          f"{np.nanmean(runs[m]['method_acc'][:, 1]):.2f}, at the end "
          f"{np.nanmean(runs[m]['method_acc'][:, -1]):.2f}")

# %% [markdown]
# The RA model starts where standard models only arrive late: Gibbs chains reach ≈ 0.9 of the
# ground-state energy from the first epoch, while the PCD model starts paramagnetic (≈ 0.04) and
# climbs as its weights grow. The negative phase of RAPID — the patterns — sits near the ground
# state from the start (method accessibility ≈ 0.95 before training, ≈ 0.75 after one epoch,
# against ≈ 0.25 for PCD's fantasy particles). *Surprise, as in the paper:* it does not improve
# with training — it settles near 0.73 and stays, while PCD's particles climb towards it. The
# early advantage is what matters for learning speed.

# %% [markdown]
# ## 9.5 Bars 4×4: reconstruction (Fig. 3, Fig. C.1)
#
# App. C: keep the top row of an image (it determines a bars image), set the other pixels to
# the neutral value 0, run 10 Gibbs sweeps with the top row clamped, and count wrong pixels. We
# normalise over the 12 reconstructed pixels, so that a random guess scores exactly 1/2.

# %%
train, test = ex.bars_split(seed=SEED)
rule = rp.RAPID(n_patterns=8)
m_demo = rule.attach(rp.SpinRBM(np.zeros((16, CFG["n_hidden"]))), rng=SEED)
rp.train(m_demo, train, rule, epochs=10, batch_size=10,
         lr=ex.BARS["lr_rapid_H"] / CFG["n_hidden"], rng=SEED)
clamp = top_row_mask((4, 4))
corrupted = np.where(clamp, test, 0.0)
recon = reconstruct(m_demo, test, clamp, n_sweeps=10, rng=SEED)
fig, axes = pl.figure(1, 3, size=(2.2, 2.4), layout="constrained")
for ax, imgs, title in zip(axes, (test, corrupted, recon),
                           ("test images", "corrupted (App. C)", "RAPID reconstruction")):
    pl.image_grid(imgs, (4, 4), ncols=2, ax=ax, vmin=-1, vmax=1)
    ax.set_title(title, fontsize=9)
pl.save_figure(fig, OUTDIR, "fig09_08_corrupted_bars", chapter=9, seed=SEED,
               paper="Pozas-Kerstjens Fig. C.1",
               title="Bars 4x4 test images, their corrupted versions and RAPID's reconstructions")

# %%
ledger.check("ch09.bars_hamming")
ledger.check("ch09.bars_gap")
B = ex.BARS["batch"]
cost = {"rapid": rp.RAPID(n_patterns=8).multiply_adds(16, CFG["n_hidden"], B),
        "pcd": pcd_multiply_adds(16, CFG["n_hidden"], B, ex.BARS["pcd_chains"], 10),
        "exact": 2 * 2 ** 16 * 16 * CFG["n_hidden"]}
fig, axes = pl.figure(1, 3, size=(3.4, 3.0), layout="constrained")
for m in METHODS:
    band(axes[0], ep, runs[m]["hd_train"], m, marker="o", ms=3)
    band(axes[1], ep, runs[m]["hd_test"], m, marker="o", ms=3)
    updates = ep * (len(train) // B)
    band(axes[2], np.maximum(updates * cost[m], 1), runs[m]["hd_test"], m, marker="o", ms=3)
for ax, t in zip(axes, ("(a) training set", "(b) test set", "(c) test set against work")):
    ax.axhline(0.5, color="k", ls=":", lw=1)
    ax.set_ylabel("normalised Hamming distance")
    ax.set_title(t)
    ax.set_ylim(-0.02, 0.62)
axes[0].set_xlabel("epoch")
axes[1].set_xlabel("epoch")
axes[2].set_xlabel("multiply-adds spent (App. D)")
axes[2].set_xscale("log")
axes[0].legend(fontsize=7)
fig.suptitle(f"Bars 4×4 ({SCALE})", fontsize=9)
pl.save_figure(fig, OUTDIR, "fig09_03_hamming", chapter=9, seed=900,
               paper="Pozas-Kerstjens Fig. 3",
               title="Bars 4x4: reconstruction Hamming distance, train and test, vs epochs and cost")
for m in METHODS:
    tr_, te_ = runs[m]["hd_train"][:, -1], runs[m]["hd_test"][:, -1]
    print(f"{LABELS[m]:>14}: train {tr_.mean():.3f} ± {tr_.std():.3f}, test {te_.mean():.3f} ± "
          f"{te_.std():.3f} (mean ± sd over {len(tr_)} runs)")

# %% [markdown]
# RAPID learns within a handful of epochs and then stops moving: (B1) maps the patterns back to
# the same signs, a fixed point. Its test error stays closer to its training error than for the
# standard models, which memorise the ten training images first and generalise later — the
# paper's observation (i)–(ii). Per update RAPID costs ~100× less than PCD-10 here, so against
# the work spent (panel c) the difference is two orders of magnitude.
#
# The exact log-likelihood is available too (the trainer records it every epoch, since $2^{16}$
# states enumerate); it tells a more sober story about RAPID:

# %%
for m in METHODS:
    ll_tr, ll_te = runs[m]["ll_train"][:, -1], runs[m]["ll_test"][:, -1]
    print(f"{LABELS[m]:>14}: exact mean log-likelihood train {np.nanmean(ll_tr):9.2f}, test "
          f"{np.nanmean(ll_te):9.2f} nats (uniform: {-16 * np.log(2):.2f})")

# %% [markdown]
# A RAPID model is a very cold model ($|W| \sim 1$ with hundreds of hidden units): its
# probability is concentrated on a few minima, so the log-likelihood of anything not exactly at a
# minimum is enormous and negative. The Hamming distance — the paper's figure of merit — does not
# see this; the likelihood does. Both are honest measurements of different things.
#
# ## 9.6 The weights after training (Fig. 4)

# %%
ledger.check("ch09.svd_rank")
fig, ax = pl.figure(size=(4.4, 3.2), layout="constrained")
FLOOR = 1e-4                     # exact zeros (rank ≤ K for RAPID) drawn at the floor
for m in METHODS:
    s = np.maximum(runs[m]["sigma"] / runs[m]["sigma"][:, :1], FLOOR)
    idx = np.arange(1, s.shape[1] + 1)
    q1, med, q3 = np.percentile(s, [25, 50, 75], axis=0)
    style = {"rapid": ("o", "-"), "pcd": ("s", "--"), "exact": ("^", ":")}[m]
    ax.plot(idx, med, marker=style[0], ls=style[1], ms=4, color=COLORS[m], label=LABELS[m])
    ax.fill_between(idx, q1, q3, color=COLORS[m], alpha=0.2, lw=0)
ax.axvline(4.5, color="k", ls=":", lw=1)
ax.text(4.7, 0.3, "rank of the data", fontsize=7)
ax.set_yscale("log")
ax.set_ylim(FLOOR / 2, 2)
ax.set_xlabel("index i of the singular value")
ax.set_xticks([1, 4, 8, 12, 16])
ax.set_ylabel(r"$\sigma_i / \sigma_1$ (median, quartiles; zeros at $10^{-4}$)")
ax.set_title(f"SVD of trained weights (Bars 4×4)\n{SCALE}", fontsize=9)
ax.legend(fontsize=7)
pl.save_figure(fig, OUTDIR, "fig09_04_svd", chapter=9, seed=900, paper="Pozas-Kerstjens Fig. 4",
               title="Singular values of trained weights, RAPID vs PCD-10 vs exact")

# %% [markdown]
# Whatever the rule, a handful of singular values stand out — at most four, the rank of the
# data (bars images are column-constant, so they span four directions). In the SVD
# $W = \sum_\alpha \sigma_\alpha u_\alpha v_\alpha^T$ each term *is* a pattern term of (5): a
# trained standard RBM is an RA model with about four patterns. At the quick scale PCD has
# learnt three of the four (the fourth is on its way up: hierarchical learning, Chapter 8).
#
# ## 9.7 Bars and Stripes 12×12 (Fig. 5)
#
# 8188 images (bars and stripes, blank and full left out), 80/20 split with flips together,
# K = 40, H = 1000, batch 120. We clamp the top row *and* the left column (a stripes image is
# determined by its first column, a bars image by its first row) and, as the paper's App. B,
# project the patterns on their signs (B1) after every epoch. The learning rate is 2·10⁻³
# (printed below with the scale): with 55 updates per epoch it is the rate at which one
# epoch's summed updates flip signs at all (see the note after the figure).

# %%
BASCFG = ex.BAS_QUICK if QUICK else ex.BAS_FULL
print(f"BAS 12×12 ({'quick' if QUICK else 'full'} run): {BASCFG['n_runs']} runs of "
      f"{BASCFG['epochs']} epochs, H = {BASCFG['n_hidden']}, K = {BASCFG['K']}, projection "
      f"{BASCFG.get('projection', 'sign')!r} after every epoch, learning rate {BASCFG['lr']:g}")
bas = ex.bas_runs(**BASCFG)
ledger.check("ch09.bas_no_memorisation")
fig, axes = pl.figure(1, 2, size=(4.0, 3.2), layout="constrained")
x = bas["epoch"]
for key, lab, c in (("hd_train", "training set", "C0"), ("hd_test", "test set", "C3")):
    mu, sd = bas[key].mean(0), bas[key].std(0)
    axes[0].plot(x, mu, color=c, label=lab)
    axes[0].fill_between(x, mu - sd, mu + sd, color=c, alpha=0.2, lw=0)
axes[0].axhline(0.5, color="k", ls=":", lw=1)
axes[0].set_xlabel("epoch")
axes[0].set_ylabel("normalised Hamming distance")
axes[0].set_title(f"RAPID on BAS 12×12 (K = 40), {'quick' if QUICK else 'full'} run:\n"
                  f"{BASCFG['n_runs']} runs of {BASCFG['epochs']} epochs", fontsize=9)
axes[0].legend(fontsize=7)
pl.image_grid(bas["samples"], (12, 12), ncols=4, ax=axes[1], vmin=-1, vmax=1)
axes[1].set_title("Gibbs samples (50 sweeps from random states)", fontsize=9)
pl.save_figure(fig, OUTDIR, "fig09_05_bas", chapter=9, seed=902, paper="Pozas-Kerstjens Fig. 5",
               title="BAS 12x12: Hamming distance train/test and samples")
tr_, te_ = bas["hd_train"].mean(0), bas["hd_test"].mean(0)
print(f"BAS 12×12: Hamming distance train {tr_[0]:.3f} → {tr_.min():.3f}, test {te_[0]:.3f} → "
      f"{te_[np.argmin(tr_)]:.3f}; {int(bas['novel'].sum())} of {len(bas['novel'])} samples are "
      "not training images")

# %% [markdown]
# *Honest result.* Test and training distances move together — RAPID does not memorise — but
# at our scale they fall only a few per cent below chance, far from the paper's Fig. 5. A
# model this cold retrieves one of its few minima; with 40 patterns and 8188 images the nearest
# minimum still differs in many columns. (The samples are mostly not training images, but that
# says little when they are not clean BAS images either.) We did not find the paper's schedule.
# What the rate does to (B1), in single runs of four epochs (the quick scale): at 5·10⁻⁴ the
# distances stay at chance (the updates of an epoch flip no sign); at 2·10⁻³ they fall by
# ≈ 0.05 within two epochs and then drift back up; at 10⁻² they fall less and fluctuate.
#
# ### BAS at the paper's scale, and a probe of the protocol
#
# `rbmphys run ch09 --paper` makes the paper's 100 runs (10 epochs each) and, beside them,
# three runs each with another learning rate, the clipping projection instead of the sign, fewer
# patterns (K = 10) or more hidden units (H = 3000): if one of these choices were what keeps
# the distance near chance, its probe would show it.

# %%
from rbmphys.experiments import paper

paper_bas = paper.show("rapid_bas", OUTDIR)

# %% [markdown]
# **Why BAS is not learnt here.** The paper's 100 runs do not change the picture: the test
# distance dips to ≈ 0.47 after one epoch and returns to chance, and neither another rate, the
# clipping projection, fewer patterns nor more hidden units does better (the dashed probes).
# Longer reconstruction chains (200 sweeps) do not help either, so it is not the sampler. The
# free energies say what happened. The model does prefer BAS images to noise, but its own Gibbs
# samples lie far below both — and they are the *uniform* images, all pixels +1 or all −1
# (magnetisation 1.00 in the run, the blank and full images that BAS leaves out). BAS pixels
# in one row or one column are perfectly correlated, so the data phase pushes every coupling
# of $J = WW^\mathsf T$ towards "align", and the uniform state is the best compromise of all
# those alignments. The negative phase of RAPID is evaluated at the patterns, which sit between
# the images and the uniform minimum, and never at the uniform state itself, so nothing pushes
# that minimum back up. Standard PCD would find it (its chains fall into it); pattern-induced
# negative phases cannot, unless the patterns happen to visit it. What the paper did
# differently we could not find in its text; the measurements above are where we stand.
# ## 9.8 MNIST (Figs. 6–7)
#
# For MNIST the paper keeps the patterns continuous in [−1, 1] and seeds 10 Gibbs sweeps at the
# binarised patterns to form the negative phase (Sec. V B). We train on the embedded subset
# (reduced: see the numbers printed) and estimate ln Z by AIS, so the NLL is a *lower* bound in
# expectation (AIS underestimates ln Z).

# %%
MN = ex.MNIST_QUICK if QUICK else ex.MNIST_FULL
import warnings

with warnings.catch_warnings():
    warnings.simplefilter("ignore")          # the AIS warnings are reported in the text
    mn = ex.mnist_rapid(**MN)
fig, axes = pl.figure(1, 2, size=(4.0, 3.2), layout="constrained")
axes[0].errorbar(mn["epoch"], mn["nll_train"], yerr=mn["logz_se"], marker="o", label="train")
axes[0].errorbar(mn["epoch"], mn["nll_test"], yerr=mn["logz_se"], marker="s", label="test")
axes[0].set_yscale("log")
axes[0].set_xlabel("epoch")
axes[0].set_ylabel("NLL (nats, AIS)")
axes[0].set_title(f"RAPID on MNIST subset ({'quick' if QUICK else 'full'} run): H = "
                  f"{MN['n_hidden']}, K = {MN['K']},\n{MN['n_train']} images, {MN['epochs']} "
                  "epochs", fontsize=9)
axes[0].legend(fontsize=7)
pl.image_grid(mn["samples"], (28, 28), ncols=4, ax=axes[1], vmin=-1, vmax=1)
axes[1].set_title("Gibbs samples seeded at one pattern", fontsize=9)
pl.save_figure(fig, OUTDIR, "fig09_06_mnist_nll", chapter=9, seed=903,
               paper="Pozas-Kerstjens Fig. 6",
               title="MNIST: AIS negative log-likelihood, train and test; samples")
fig, ax = pl.figure(size=(6.0, 2.0), layout="constrained")
pl.image_grid(mn["xi_v"][:16], (28, 28), ncols=8, ax=ax, cmap="RdBu_r", vmin=-1, vmax=1)
ax.set_title("visible parts of 16 learnt patterns (red +1, blue −1)", fontsize=9)
pl.save_figure(fig, OUTDIR, "fig09_07_mnist_patterns", chapter=9, seed=903,
               paper="Pozas-Kerstjens Fig. 7", title="MNIST: visible parts of learnt patterns")
for e, a, b, s in zip(mn["epoch"], mn["nll_train"], mn["nll_test"], mn["logz_se"]):
    print(f"epoch {int(e):>2}: NLL train {a:10.1f}, test {b:10.1f} nats (AIS stderr {s:.1f})")

# %% [markdown]
# The NLL falls by a large factor from its initial value and train and test move in parallel,
# as in the paper's Fig. 6 — but read the numbers with the AIS caveat: the effective sample size
# of these AIS runs is tiny (the library warns), because a cold RA model puts its weight on a
# few deep minima that an annealing schedule from the uniform state rarely finds. The learnt
# patterns are not digits but features (Fig. 7a). Chains seeded at one pattern stay in its
# valley at this scale (the paper, with H = 3000 and K = 290, sees them wander between digit
# classes). Note the colours: without biases $E(v,h) = E(-v,-h)$, so a digit and its negative
# are equally likely — the model cannot know that ink is rare, and samples come out inverted
# as often as not.
#
# ### MNIST at the paper's sizes
#
# `rbmphys run ch09 --paper` also trains one RAPID model at the paper's sizes — H = 3000,
# K = 190, learning rate 0.015, 10 Gibbs steps from the patterns — for 60 epochs on the
# subset's 4000 training images, with the test log-likelihood bracketed by AIS and reverse AIS
# (64 chains, 2000 temperatures) along the way, and samples at the end. Beside the NLL it
# records how cold the model is: the RMS coupling and the median hidden field $|\sum_i W_{i\alpha}
# v_i|$ that a training image produces.

# %%
paper_mnist = paper.show("rapid_mnist", OUTDIR)

# %% [markdown]
# The NLL falls from 1.1·10⁵ to 4.5·10⁴ nats, train and test together, as in the paper's
# Fig. 6 — but by 0.4 orders of magnitude, not four, and still two orders above the uniform
# model's 543 nats. The other two records say why. The couplings shrink steadily (RMS 1.0 →
# 0.25), which is how the likelihood improves, but a training image still drives its hidden
# units with fields of ≈ 40: the model is cold, every chain falls into the same deep valley
# (the samples above are one state and its spin flip), and the likelihood of everything else
# is negligible. At our 2 400 updates (the paper: 600 updates per epoch on 60 000 images) the
# model has not warmed up to where the paper's curve ends; nothing in the run suggests a
# different protocol would be needed to get there, only more updates. The AIS numbers carry
# the caveat of this whole section: an effective sample size of 1–2 of 64 chains, with forward
# and reverse estimates agreeing to 0.4 %.

# %%
ledger.summary()

# %% [markdown]
# ## Summary
#
# * Pattern weights (5) interpolate between Mattis (two ground states ±ξ, $E_0 = -VH$) and the
#   SK glass ($\langle W^4\rangle = 3 - 2/K \to 3$).
# * Untrained RA models reach their ground state by Gibbs sampling independently of V; random
#   ones get worse with V (Fig. 1).
# * RAPID's negative phase needs no Markov chain and costs ~KVH per update; it is exact for
#   K = 1 and a good start for K > 1 (Fig. 2b), with the (A7) sign fixed by finite differences.
# * On Bars 4×4 RAPID reconstructs unseen images after a few epochs with a smaller train–test
#   gap than PCD-10, at a hundredth of the cost; trained standard RBMs are themselves
#   low-rank, RA-like (Fig. 4). BAS and MNIST work only partly at our scale — and a cold RA
#   model has a poor likelihood even when its reconstructions are good.
#
# ## Exercises
#
# * **9.1** (closed form) ⟨W⁴⟩ of pattern weights. — `rbmphys exercise ex09_1`
# * **9.2** (enumeration) Ground states of a K = 2 pattern model. — `rbmphys exercise ex09_2`
# * **9.3** (cost) RAPID vs PCD-k at equal work (App. D). — `rbmphys exercise ex09_3`
