# %% [markdown]
# # Chapter 7 — Fokker–Planck and coupled bosons
#
# **The question.** Chapter 6 relaxed the binary states of an RBM to continuous reciprocal
# variables $\mathbf z = (u_1..u_M, w_1..w_M, \bar x)$ with an effective potential
# $\Phi(\mathbf z) = E(\mathbf z) + V_c(\mathbf z) - S_c$ (29)-(31). Let them move: overdamped
# Langevin dynamics in Φ. How fast does each mode relax, and which modes never do? The answer is
# a textbook one — a Fokker–Planck equation that is a Schrödinger equation in disguise, and for
# the Gaussian constraint a set of harmonic oscillators ("coupled bosons") with rates
# $n(4 \mp \sigma_\alpha)$. In this chapter (Toledo-Marin et al. Sec. 4.1, eqs. (29)-(48)):
#
# * sympy proves the similarity transform from Fokker–Planck to Schrödinger (33)-(36) and the
#   oscillator spectrum (42)-(48);
# * two independent discretisations of the operator reproduce the spectrum;
# * a jit-compiled Langevin integrator (counter RNG, identical for any thread count) measures
#   the rates from autocorrelations, and shows the $u$-modes with $\sigma > 4$ running away;
# * the reciprocal variables of a training RBM against saddle points and constraint minima.
#
# The paper is {cite}`ToledoMarin2025`; the derivation from the Fokker–Planck operator to the
# Hermite ladder is written out in {ref}`appendix-fokker-planck` (textbook background:
# {cite}`Risken1989`). Read for $\sigma > 4$, the ladder (48) continues formally to negative
# "eigenvalues"; what we implement is what the checks support: the $u$-mode then has no
# stationary state and its variance grows as $e^{2(\sigma-4)t}$. Run with
# `rbmphys run ch07 [--quick]`.

# %% tags=["parameters"]
import rbmphys

QUICK = rbmphys.quick_mode()   # --quick, or RBMPHYS_QUICK=1: smaller sizes
OUTDIR = "figures/ch07"
SEED = 7

# %%
import numpy as np

import rbmphys as rp
from rbmphys import plotting as pl
from rbmphys.analysis.stats import integrated_autocorr_time
from rbmphys.symbolic import fokker_planck as F
from rbmphys.verify.book import ChapterLedger
from rbmphys.experiments import toledo as ex

ledger = ChapterLedger(7, quick=QUICK)

# %% [markdown]
# ## 7.1 From Fokker–Planck to Schrödinger
#
# Overdamped Langevin dynamics $d\mathbf z = -\nabla\Phi\,dt + \sqrt2\,d\mathbf W$ (friction and
# temperature 1) moves the density by the Fokker–Planck equation (33)
#
# $$\partial_t p = \nabla\cdot(p\nabla\Phi) + \nabla^2 p,$$
#
# whose stationary solution is the Boltzmann weight $e^{-\Phi}/Z$ (32). Substituting
# $p = e^{-\Phi/2}\psi$ (35) turns the right-hand side into $-e^{-\Phi/2}\hat H\psi$ with
#
# $$\hat H = -\nabla^2 + V_s,\qquad V_s = \tfrac14|\nabla\Phi|^2 - \tfrac12\nabla^2\Phi \quad(36):$$
#
# relaxation rates are the eigenvalues of a Schrödinger operator, and the stationary state is its
# zero-energy ground state $\psi_0 = e^{-\Phi/2}/\sqrt Z$ (38) (by hand: {ref}`appendix-fokker-planck`).
# sympy checks both statements for
# arbitrary Φ and ψ of two variables:

# %%
ledger.check("ch07.similarity")
import sympy as sp

z1, Gam = sp.symbols("z1 Gamma", real=True)
print("V_s for Φ = Γ z²/2:", F.schrodinger_potential(Gam * z1**2 / 2, [z1]))

# %% [markdown]
# ## 7.2 Coupled bosons
#
# With the Gaussian constraint potential of Chapter 6 ($V_c = \sum_i (z_i - \mu_i)^2/2s^2$,
# $s^2 = 1/4$, eq. (46)) the Hessian of Φ is diagonal (40): a paired mode contributes
# $\Gamma_u = 4 - \sigma_\alpha$ (its energy curves down, $-\sigma u^2/2$) and
# $\Gamma_w = 4 + \sigma_\alpha$, an unpaired one $\Gamma = 4$. For $\Phi = \Gamma\zeta^2/2$ the
# Schrödinger potential is $V_s = \Gamma^2\zeta^2/4 - \Gamma/2$ (47): a harmonic oscillator whose
# levels, shifted by the zero-point energy, are
#
# $$\lambda_{\mathbf n} = \sum_i n_i\,\Gamma_i,\qquad n_i = 0, 1, 2, \dots \quad (48)$$
#
# — a gas of non-interacting bosons with energies $\Gamma_i$. sympy verifies that the Hermite
# functions $H_n(\sqrt{\Gamma/2}\,\zeta)e^{-\Gamma\zeta^2/4}$ are the eigenfunctions:

# %%
ledger.check("ch07.oscillator")
ledger.check("ch07.fp_spectrum")
print("curvatures (Γ_u, Γ_w) for σ = 0.5, 2, 3.5, 6:\n", F.relaxation_rates([0.5, 2, 3.5, 6]))

# %%
sig = np.linspace(0, 6, 61)
rates = F.relaxation_rates(sig)
fig, axes = pl.figure(1, 2, size=(3.9, 3.1), layout="constrained")
for n in (1, 2, 3):
    axes[0].plot(sig, n * rates[:, 0], "C0", lw=1.5 - 0.3 * n,
                 label=r"$n\Gamma_u = n(4 - \sigma)$" if n == 1 else None)
    axes[0].plot(sig, n * rates[:, 1], "C1", lw=1.5 - 0.3 * n,
                 label=r"$n\Gamma_w = n(4 + \sigma)$" if n == 1 else None)
check_s = [0.5, 2.0, 3.5]
for s_ in check_s:
    gu, gw = F.relaxation_rates([s_])[0]
    v = rp.theory.fokker_planck_spectrum(lambda z: -s_ * z**2 / 2 + 2 * (z - 0.3) ** 2,
                                         12 / np.sqrt(gu), 4000, 4, center=1.2 / gu)
    axes[0].plot([s_] * 3, v[1:], "ko", ms=4, mfc="none",
                 label="discretised FP operator" if s_ == check_s[0] else None)
axes[0].axhline(0, color="0.5", lw=0.8)
axes[0].axvspan(4, 6, color="C3", alpha=0.1, label="u-mode never relaxes")
axes[0].set_xlabel(r"singular value $\sigma$")
axes[0].set_ylabel("relaxation rate")
axes[0].legend(fontsize=7)
axes[0].set_title("oscillator levels of one mode")
# the double well: the same two routes, now with a barrier
phi = lambda z: z**4 / 4 - 1.5 * z**2                  # noqa: E731
ev_fp = rp.theory.fokker_planck_spectrum(phi, 6.0, 6000, 5)
ev_s = rp.theory.schrodinger_spectrum(lambda z: z**3 - 3 * z, lambda z: 3 * z**2 - 3, 6.0,
                                      6000, 5)
zz = np.linspace(-2.6, 2.6, 300)
axes[1].plot(zz, phi(zz), "k-", label=r"$\Phi = z^4/4 - 1.5z^2$")
for k in range(1, 4):
    axes[1].axhline(ev_fp[k] - 2.25, color=f"C{k}", ls="--", lw=0.8,
                    label=rf"$\lambda_{k} = {ev_fp[k]:.4f}$ (Schr.: {ev_s[k]:.4f})")
axes[1].set_ylim(-2.6, 7)
axes[1].set_xlabel("$z$")
axes[1].set_ylabel(r"$\Phi$ (levels: rate − 2.25)")
axes[1].legend(fontsize=6)
axes[1].set_title("double well: barrier crossing is slow")
pl.save_figure(fig, OUTDIR, "fig07_01_spectrum", chapter=7, seed=None,
               title="relaxation spectrum of a paired mode vs sigma; double-well spectrum")

# %% [markdown]
# For the double well the lowest nonzero rate, 0.1306, is the rate of hopping over the barrier
# (Kramers {cite}`Kramers1940`); the next ones (2.90, 5.33) are intra-well. The finite-volume master equation and the
# finite-difference Schrödinger operator agree to 1e-5:

# %%
ledger.check("ch07.double_well")

# %% [markdown]
# ## 7.3 Langevin dynamics measures the rates
#
# The same physics from trajectories: Euler–Maruyama steps $z \leftarrow z - \Delta t\,\Phi'(z)
# + \sqrt{2\Delta t}\,\xi$ (the jit kernel `rbmphys.kernels._langevin`, its noise from the
# counter RNG keyed by (seed, step, walker), so the paths do not depend on the number of
# threads). For $\sigma = 2$ the $u$ and $w$ coordinates are Ornstein–Uhlenbeck processes with
# rates 2 and 6; their autocorrelation times give the rates back (with the $O(\Gamma\Delta t)$
# shift of the discretisation, $-\ln(1 - \Gamma\Delta t)/\Delta t$, which we include).

# %%
ledger.check("ch07.langevin_rates")
ledger.check("ch07.stationary_variance")
gu, gw = F.relaxation_rates([2.0])[0]
z = rp.samplers.langevin([[0.0, gu], [0.0, gw]], np.zeros((64, 2)), dt=0.01,
                         n_steps=20000 if QUICK else 80000, thin=5, rng=SEED)[200:]
lags = np.arange(0, 80)
fig, axes = pl.figure(1, 2, size=(3.9, 3.1), layout="constrained")
for k, (gam, lab) in enumerate(((gu, "u"), (gw, "w"))):
    x = z[:, :, k] - z[:, :, k].mean(0)
    acf = np.array([np.mean(x[: len(x) - L] * x[L:]) for L in lags]) / np.mean(x * x)
    axes[0].semilogy(lags * 0.05, np.clip(acf, 1e-4, None), "o", ms=3, color=f"C{k}",
                     label=rf"${lab}$: Langevin")
    axes[0].semilogy(lags * 0.05, np.exp(-rp.samplers.ou_discrete_rate(gam, 0.01) * lags * 0.05),
                     "-", color=f"C{k}", lw=1, label=rf"$e^{{-\Gamma_{lab} t}}$, $\Gamma_{lab} = {gam:g}$")
    tau = integrated_autocorr_time(z[:, :, k])
    print(f"{lab}-mode: τ_int = {tau:.2f} records → rate {rp.samplers.relaxation_rate(z[:, :, k], 0.05):.3f} "
          f"(closed form {gam:g}; Euler–Maruyama {float(rp.samplers.ou_discrete_rate(gam, 0.01)):.3f})")
axes[0].set_ylim(1e-3, 1.2)
axes[0].set_xlabel("lag $t$")
axes[0].set_ylabel("autocorrelation")
axes[0].legend(fontsize=7)
axes[0].set_title(r"$\sigma = 2$: rates $4 \mp \sigma$")
for s_, c in ((3.0, "C0"), (6.0, "C3")):
    g_ = F.relaxation_rates([s_])[0][0]
    zz = rp.samplers.langevin([[0.0, g_]], np.zeros((20000, 1)), dt=0.01, n_steps=200, thin=10,
                              rng=SEED + 1)
    t = 0.1 * np.arange(1, 21)
    axes[1].semilogy(t, zz[:, :, 0].var(1), "o", ms=3, color=c, label=rf"$\sigma = {s_:g}$")
    axes[1].semilogy(t, (1 - np.exp(-2 * g_ * t)) / g_, "-", color=c, lw=1)
axes[1].set_xlabel("time $t$")
axes[1].set_ylabel(r"variance of $u$ (from $u = 0$)")
axes[1].legend(fontsize=8)
axes[1].set_title(r"lines: $(1 - e^{-2\Gamma t})/\Gamma$")
pl.save_figure(fig, OUTDIR, "fig07_02_langevin", chapter=7, seed=SEED,
               title="Langevin autocorrelations (sigma = 2) and the runaway u-mode (sigma = 6)")

# %% [markdown]
# For σ = 3 the variance saturates at $1/\Gamma_u = 1$; for σ = 6 ($\Gamma_u = -2$) it grows as
# $e^{4t}$ without bound. The discretised operator still has a positive spectrum
# ($|\Gamma|(n+1)$ on any finite box) — the "negative eigenvalues" of the paper are the formal
# continuation $n\Gamma$ of the Hermite ladder, and what they mean physically is this runaway.

# %%
ledger.check("ch07.divergence")

# %% [markdown]
# ## 7.4 A training RBM in reciprocal space
#
# During training, where are the data and the model's chains in the rotated variables
# $(u_1, w_1)$ of the leading mode, relative to the saddle ($u = w = 0$ by construction) and the
# minima of the constraint potential $\mu_u, \mu_w$ (39)? (The paper's Fig. 7.)

# %%
RUN = (100, 20, 2000, 0.02) if QUICK else (500, 40, 4000, 0.01)
run = ex.mnist_reciprocal_run(n_hidden=RUN[0], epochs=RUN[1], n_train=RUN[2], lr=RUN[3],
                              seed=606)
ep = run["epochs"]
fig, axes = pl.figure(1, 2, size=(3.9, 3.2), layout="constrained")
for ax, var, mu in ((axes[0], "u", "mu_u"), (axes[1], "w", "mu_w")):
    for src, c, lab in (("data", "C2", "training images"), ("chain", "C4", "Gibbs chains")):
        v = run[f"{src}_{var}"][:, :, 0]
        ax.plot(ep, v.mean(1), "o-", ms=3, color=c, label=lab)
        ax.fill_between(ep, v.mean(1) - v.std(1), v.mean(1) + v.std(1), color=c, alpha=0.2)
    ax.plot(ep, run[mu][:, 0], "s", ms=3, color="C1", label="constraint minimum (39)")
    ax.axhline(0, color="k", ls="--", lw=0.8, label="saddle")
    ax.set_xlabel("epoch")
    ax.set_ylabel(rf"${var}_1$")
    ax.set_yscale("symlog", linthresh=1)
axes[0].legend(fontsize=7)
axes[0].set_title(r"downhill direction $u_1$")
axes[1].set_title(r"uphill direction $w_1$")
pl.save_figure(fig, OUTDIR, "fig07_03_reciprocal_vs_epochs", chapter=7, seed=606,
               paper="Toledo-Marin Fig. 7",
               title="reciprocal variables u1, w1 of data and chains vs epochs")
print(f"epoch {ep[-1]}: σ₁ = {run['sigma'][-1, 0]:.2f}; data u₁ = {run['data_u'][-1, :, 0].mean():.2f}"
      f" ± {run['data_u'][-1, :, 0].std():.2f}, constraint minimum μ_u = {run['mu_u'][-1, 0]:.2f}")

# %% [markdown]
# Early on (σ₁ small) data, chains and the constraint minimum coincide: the landscape is flat
# and the entropy of binary states decides. Once σ₁ passes 4 (epoch ~5 here) the data jump down
# the $u_1$ direction to one side of the saddle, far from the constraint minimum — the mode
# that, in the relaxed picture, no longer relaxes. The Gibbs chains do something the data do
# not: their $u_1$ spreads over *both* sides of the saddle (the wide purple ribbon, a mean
# between the two): some chains sit in the data's valley, others in the mirror valley. The
# quadratic constraint potential alone cannot hold a state anywhere once $\sigma > 4$; what
# creates the two valleys is its quartic (non-Gaussian) part — the Landau picture of
# Chapter 8.

# %%
ledger.summary()

# %% [markdown]
# ## Summary
#
# * The Fokker–Planck operator of overdamped Langevin dynamics is, after $p = e^{-\Phi/2}\psi$,
#   a Schrödinger operator with $V_s = |\nabla\Phi|^2/4 - \nabla^2\Phi/2$ (36).
# * With the Gaussian constraint every paired mode is a pair of oscillators with
#   $\Gamma = 4 \mp \sigma$; the relaxation spectrum is $\sum_i n_i\Gamma_i$ (48).
# * Discretised operators and Langevin autocorrelations reproduce the spectrum; a $u$-mode
#   with $\sigma > 4$ runs away as $e^{2(\sigma-4)t}$.
# * Trained RBMs have such modes (Chapter 6): their data sit away from the constraint minimum.
#
# ## Exercises
#
# * **7.1** (sympy) The Hermite ladder: eigenvalue of the third excited state. — `rbmphys exercise ex07_1`
# * **7.2** (random matrices) The weight scale at which a random RBM first has a runaway mode.
#   — `rbmphys exercise ex07_2`
# * **7.3** (experiment) Measure a relaxation rate from your own Langevin run. — `rbmphys exercise ex07_3`
