# %% [markdown]
# # Chapter 4 — Learning dynamics in closed form
#
# **The question.** For binary RBMs learning is a black box we can only watch. For the
# scalar-field RBM of Chapter 3 the log-likelihood is a Gaussian integral, and gradient ascent
# becomes a set of ordinary differential equations. Can we solve them — find where learning
# goes, how fast, and in which order? In this chapter:
#
# * sympy *derives* the learning flow (26)-(27) of Aarts, Lucini, Park
#   {cite}`AartsLuciniPark2024` from the Gaussian log-likelihood (by hand:
#   {ref}`appendix-learning-flow`);
# * in the basis of singular values the flow becomes (36)-(50); for 2×2 it closes into five
#   equations (52)-(58) — including the angle equation (55), which we derive by the same
#   projection that gives (56) ({ref}`appendix-svd-flow`);
# * fixed points (59)-(62), their stability, and the relaxation rates (63)-(67) — where the
#   paper's text drops a factor 2;
# * the closed-form angle Δθ(t) (69), (72)-(74);
# * stochastic PCD training of the same model, compared with the ODE (App. A).
#
# Run with `rbmphys run ch04 [--quick]` or open as a notebook.

# %% tags=["parameters"]
import rbmphys

QUICK = rbmphys.quick_mode()   # --quick, or RBMPHYS_QUICK=1: smaller sizes
OUTDIR = "figures/ch04"
SEED = 4

# %%
import numpy as np

import rbmphys as rp
from rbmphys import plotting as pl
from rbmphys.symbolic import gaussian as G
from rbmphys.verify.book import ChapterLedger
from rbmphys.experiments import aarts as ex

ledger = ChapterLedger(4, quick=QUICK)

# %% [markdown]
# ## 4.1 The flow, derived
#
# With data correlations $C = \langle\phi\phi^T\rangle$ (for a target field $C = K_\phi^{-1}$) the
# mean log-likelihood of the scalar-field RBM is, up to a constant,
# $\mathcal L = -\tfrac12\operatorname{tr}(KC) + \tfrac12\ln\det K$ with
# $K = \mu^2\mathbb 1 - \sigma_h^2WW^T$. Continuous-time gradient ascent ($t$ = learning rate ×
# number of updates) gives (Aarts et al. eqs. (26)-(27))
#
# $$\dot W = \sigma_h^2\,[K_\phi^{-1} - K^{-1}]\,W,\qquad
#   \dot{\mu^2} = -\tfrac12\operatorname{tr}K_\phi^{-1} + \tfrac12\operatorname{tr}K^{-1}.$$
#
# The flow stops when the model's covariance $K^{-1}$ equals the data's on the span of $W$.
# sympy differentiates $\mathcal L$ entry by entry for explicit small matrices and compares:

# %%
d = G.flow_derivation(2, 1)
print("derived ∂L/∂W_00 =", d["dW"][0, 0])
ledger.check("ch04.flow_derivation")
ledger.check("ch04.flow_fd")

# %% [markdown]
# ## 4.2 The 2×2 system
#
# Write $W = U\Xi V^T$ with rotations $U = R(\theta_U)$, $V = R(\theta_V)$ and singular values
# $\xi_1 > \xi_2$, and the target $K_\phi = R(\theta_0)\,\mathrm{diag}(\kappa_1, \kappa_2)\,
# R(\theta_0)^T$. In the SVD basis the kernel is diagonal, $K = U D_K U^T$ with
# $D_K = \mathrm{diag}(\mu^2 - \sigma_h^2\xi_i^2)$ (33), and $\dot W = \sigma_h^2 U\Lambda\Xi V^T$
# with $\Lambda = U^TK_\phi^{-1}U - D_K^{-1}$ (36)-(37). Projecting the derivative of the SVD
# onto its diagonal and off-diagonal parts gives five equations in
# $(\xi_1, \xi_2, \Delta\theta = \theta_U - \theta_0, \theta_V, \mu^2)$; with
# $\rho = (1/\kappa_2 - 1/\kappa_1)\cos\Delta\theta\sin\Delta\theta$,
#
# $$\dot{\Delta\theta} = \sigma_h^2\frac{\xi_1^2 + \xi_2^2}{\xi_1^2 - \xi_2^2}\rho\quad(55),
#   \qquad \dot\theta_V = 2\sigma_h^2\frac{\xi_1\xi_2}{\xi_1^2 - \xi_2^2}\rho\quad(56).$$
#
# sympy produces (55) from the same projection that produces (56) (the derivation by hand is in
# {ref}`appendix-svd-flow`), and finite differences of the SVD along $\dot W$ confirm every
# rate.

# %%
ledger.check("ch04.svd_basis")
ledger.check("ch04.two_by_two_equations")
ledger.check("ch04.two_by_two_numbers")
state, rhs = G.two_by_two_system(learn_mu2=True)
print("derived dΔθ/dt =", rhs[2])

# %% [markdown]
# ## 4.3 Where learning goes, and how fast
#
# Fixed points (59)-(62): a mode with $\kappa_i < \mu^2$ is learnt,
# $\sigma_h^2\xi_i^2 = \mu^2 - \kappa_i$ (the RBM eigenvalue $\lambda_i = \mu^2 - \sigma_h^2\xi_i^2$
# becomes $\kappa_i$); a mode with $\kappa_i > \mu^2$ is not ($\xi_i = 0$, $\lambda_i = \mu^2$).
# The larger singular value pairs with the smaller κ: Δθ → 0 if $\kappa_1 < \kappa_2$ and π/2
# otherwise. Linearising at the fixed point (63)-(67) ({ref}`appendix-svd-flow`) gives the
# Jacobian eigenvalues
# $(-2\gamma_1, -\gamma_{\Delta\theta}, -2\gamma_2, 0)\,\sigma_h^2$ with
# $\gamma_i = (\mu^2 - \kappa_i)/\kappa_i^2$ and
# $\gamma_{\Delta\theta} = \frac{\kappa_1}{\kappa_2}\gamma_1 + \frac{\kappa_2}{\kappa_1}\gamma_2$;
# the zero is $\theta_V$, which nothing fixes (the rotation freedom of Chapter 3).

# %%
ledger.check("ch04.fixed_points")
ledger.check("ch04.jacobian")
ledger.check("ch04.decay_rates")
g1, g2, gd = rp.theory.relaxation_rates(0.2, 0.4, 1.0)
print(f"κ = (0.2, 0.4), μ² = 1: γ₁ = {g1:.2f}, γ₂ = {g2:.2f}, γ_Δθ = {gd:.2f}; the singular "
      f"values relax with 2γ (= {2 * g1:.1f} and {2 * g2:.1f}), the angle with γ_Δθ")

# %% [markdown]
# **A factor 2.** The paper says the singular values "decay with min(γ_i, γ_Δθ)". The Jacobian
# of the derived flow says $2\gamma_i$, and so do the decay rates fitted to the integrated
# trajectories (40.0 and 7.49 against 40 and 7.5, while the angle decays with 17.50). In the
# slow direction the relevant rate is $\min(2\gamma_2, \gamma_{\Delta\theta}) = 7.5$, not 3.75.

# %%
cases = [("$\\mu^2 > \\kappa_2 > \\kappa_1$", (0.2, 0.4), 1.0, False),
         ("$\\kappa_1 > \\mu^2 > \\kappa_2$", (0.7, 0.2), 0.4, False),
         ("$\\kappa_2 > \\mu^2(0) > \\kappa_1$, learnable $\\mu^2$", (0.2, 0.7), 0.4, True)]
fig, axes = pl.figure(3, 3, size=(3.0, 2.3), layout="constrained")
for row, (label, kappa, mu2, learn) in enumerate(cases):
    f = rp.theory.two_by_two_flow(kappa, mu2, xi0=(0.3, 0.2), dtheta0=0.6, t_max=3.0,
                                  learn_mu2=learn)
    ax = axes[row]
    ax[0].plot(f["t"], f["xi1"], label=r"$\xi_1$")
    ax[0].plot(f["t"], f["xi2"], label=r"$\xi_2$")
    ax[1].plot(f["t"], f["lambda1"], label=r"$\lambda_1$")
    ax[1].plot(f["t"], f["lambda2"], label=r"$\lambda_2$")
    for k in kappa:
        ax[1].axhline(k, color="k", ls="--", lw=0.7)
    if learn:
        ax[1].plot(f["t"], f["mu2"], color="C2", label=r"$\mu^2$")
    else:
        ax[1].axhline(mu2, color="C2", lw=0.8, label=r"$\mu^2$")
    ax[2].plot(f["t"], f["dtheta"], label=r"$\Delta\theta$")
    ax[2].plot(f["t"], f["theta_V"], label=r"$\theta_V$")
    ax[0].set_ylabel(label.replace(", learnable", ",\nlearnable"), fontsize=8)
    for a in ax:
        a.legend(fontsize=7)
for a, t in zip(axes[0], ("singular values", "eigenvalues (dashed: κ)", "angles")):
    a.set_title(t)
for a in axes[2]:
    a.set_xlabel(r"learning time $t$ ($\sigma_h^2 = 1$)")
pl.save_figure(fig, OUTDIR, "fig04_01_two_by_two", chapter=4, seed=0,
               paper="Aarts et al. Fig. 2",
               title="2x2 learning: singular values, eigenvalues and angles vs time")

# %% [markdown]
# Top row: both κ below μ²; both modes are learnt, Δθ → 0. Middle row: κ₁ above μ², so only
# the mode κ₂ = 0.2 is learnt, by the larger singular value, which therefore has to rotate: Δθ →
# π/2. Bottom row: μ² starts between the κ's and, learnable, rises until the second mode fits.

# %% [markdown]
# ## 4.4 The angle in closed form
#
# With one singular value ($\xi_2 = 0$) the angle equation decouples,
# $\dot{\Delta\theta} = \sigma_h^2(1/\kappa_2 - 1/\kappa_1)\sin\Delta\theta\cos\Delta\theta$, and
# integrates to (69), (72)-(74)
#
# $$\tan\Delta\theta(t) = \tan\Delta\theta(0)\;e^{\sigma_h^2(1/\kappa_2 - 1/\kappa_1)t}.$$

# %%
ledger.check("ch04.delta_theta")
fig, axes = pl.figure(1, 2, size=(3.9, 3.1), layout="constrained")
for kappa, c in (((0.2, 0.7), "C0"), ((0.7, 0.2), "C1")):
    f = rp.theory.two_by_two_flow(kappa, 0.4, xi0=(0.4, 0.0), dtheta0=0.6, t_max=3.0)
    closed = np.arctan(np.tan(0.6) * np.exp((1 / kappa[1] - 1 / kappa[0]) * f["t"]))
    closed = np.where(closed < 0, closed + np.pi, closed)
    axes[0].plot(f["t"], f["dtheta"], color=c, lw=3, alpha=0.4,
                 label=rf"ODE, $\kappa = {kappa}$")
    axes[0].plot(f["t"], closed, "k--", lw=0.9)
axes[0].axhline(np.pi / 2, color="0.5", lw=0.6)
axes[0].set_xlabel("learning time $t$")
axes[0].set_ylabel(r"$\Delta\theta$")
axes[0].set_title("integrated (thick) vs closed form (dashed)")
axes[0].legend(fontsize=8)
rates = []
fp = G.fixed_points(0.2, 0.4, 1.0)
f = rp.theory.two_by_two_flow((0.2, 0.4), 1.0, xi0=(fp["xi"][0] * 1.001, fp["xi"][1] * 0.999),
                              dtheta0=0.0, t_max=0.6, n_points=600)
h = rp.theory.two_by_two_flow((0.2, 0.4), 1.0, xi0=fp["xi"], dtheta0=1e-4, t_max=0.6,
                              n_points=600)
for y, lab, rate in ((np.abs(f["lambda1"] - 0.2), r"$|\lambda_1 - \kappa_1|$", 2 * g1),
                     (np.abs(f["lambda2"] - 0.4), r"$|\lambda_2 - \kappa_2|$", 2 * g2),
                     (np.abs(h["dtheta"]), r"$|\Delta\theta|$", gd)):
    line, = axes[1].semilogy(f["t"], y, label=lab)
    axes[1].semilogy(f["t"], y[0] * np.exp(-rate * f["t"]), ":", color=line.get_color())
axes[1].set_ylim(1e-10, 1e-2)          # below: the ODE solver's tolerance
axes[1].set_xlabel("learning time $t$")
axes[1].set_ylabel("distance from the fixed point")
axes[1].set_title(r"rates $2\gamma_1, 2\gamma_2, \gamma_{\Delta\theta}$ (dotted)")
axes[1].legend(fontsize=8)
pl.save_figure(fig, OUTDIR, "fig04_02_rates", chapter=4, seed=0,
               title="closed-form Δθ(t) and the relaxation rates of the 2x2 flow")

# %% [markdown]
# ## 4.5 Stochastic training and the ODE
#
# The paper trains with persistent contrastive divergence (App. A): the positive phase comes
# straight from the target kernel ($\langle\phi\phi^T\rangle = K_\phi^{-1}$, no data), the
# negative phase from 128 persistent Gibbs chains. One "epoch" is one update; with learning rate
# η the learning time is $t = \sum\eta_n$. Below, the 1D field ($N_v = N_h = 10$, $m^2 = 4$,
# $\mu^2 = 9$) is trained from three starting points: an exact Cholesky solution, an exact
# symmetric solution (Chapter 3) and small random couplings (Aarts et al. Figs. 3-5).

# %%
ledger.check("ch04.pcd_vs_ode")
epochs = 800 if QUICK else 8000          # the quick random run is the one of Chapter 5.1
runs = {init: ex.pcd_run(shape=(10,), m2=4.0, mu2=9.0, epochs=epochs, lr=0.05, init=init,
                         record_every=10, seed=SEED)
        for init in ("cholesky", "symmetric", "random")}
kappa = runs["random"]["kappa"]
for init, r in runs.items():
    err = np.abs(r["eigenvalues"][-1] - kappa)
    print(f"{init:>9s} start: after {epochs} updates (t = {r['t'][-1]:.0f}) the eigenvalues are "
          f"within {err.max():.2f} of κ (mean {err.mean():.3f})")


def _standardised(x):
    x = np.asarray(x)
    return (x - x.mean()) / max(x.std(), 1e-12)


fig, axes = pl.figure(1, 2, size=(4.0, 3.1))
pl.eigenvalue_flow(axes[0], runs["cholesky"], 9.0,
                   title="Cholesky start (dashed: κ, full: μ²)", x="epochs")
for key, lab in (("norm_D", "diagonal D"), ("norm_U", "upper U"), ("norm_L", "lower L")):
    axes[1].plot(runs["cholesky"]["epochs"], _standardised(runs["cholesky"][key]), lw=0.7,
                 label=lab)
axes[1].set_xlabel("epoch")
axes[1].set_ylabel(r"$(\|W_X\| - \bar x)/\sigma$")
axes[1].set_title("parts of W stay at their averages")
axes[1].legend(fontsize=8)
pl.save_figure(fig, OUTDIR, "fig04_03_cholesky_start", chapter=4, seed=SEED,
               paper="Aarts et al. Fig. 3", title="PCD from the Cholesky solution")

fig, axes = pl.figure(1, 2, size=(4.0, 3.1))
pl.eigenvalue_flow(axes[0], runs["symmetric"], 9.0, title="symmetric start", x="epochs")
rs = runs["symmetric"]
axes[1].plot(rs["epochs"], rs["norm_sym"], label=r"$\|(W+W^T)/2\|$")
axes[1].plot(rs["epochs"], rs["norm_asym"], label=r"$\|(W-W^T)/2\|$")
axes[1].set_xlabel("epoch")
axes[1].set_ylabel("Frobenius norm")
axes[1].set_title("the antisymmetric part stays small")
axes[1].legend(fontsize=8)
pl.save_figure(fig, OUTDIR, "fig04_04_symmetric_start", chapter=4, seed=SEED,
               paper="Aarts et al. Fig. 4", title="PCD from the symmetric solution")

# %% [markdown]
# Started at an exact solution, training has nothing to do: the eigenvalues fluctuate about
# κ with the Monte Carlo noise of 128 chains, and so do the norms of the parts of W — the
# Cholesky structure (nothing above the diagonal) is *not* kept exactly, because noise pushes
# W along the flat rotation directions (θ_V above), but it is not destroyed either.

# %%
rr = runs["random"]
K10 = rp.datasets.lattice_kernel((10,), 4.0)
exact_phi = rp.datasets.sample_free_field(K10, len(rr["samples"]) * 20, rng=SEED)
rbm_phi = rp.gibbs(rr["model"], np.zeros((len(exact_phi), 10)), n_sweeps=50, rng=SEED)


def action_density(phi):
    """S(φ)/N_v = φᵀK_φφ/(2 N_v): ½ on average (equipartition)."""
    return 0.5 * np.einsum("bi,ij,bj->b", phi, K10, phi) / 10


fig, axes = pl.figure(1, 2, size=(4.0, 3.1))
pl.eigenvalue_flow(axes[0], rr, 9.0, title="random start", x="epochs")
bins = np.linspace(0, 1.6, 50)
axes[1].hist(action_density(exact_phi), bins=bins, density=True, alpha=0.5,
             label="exact free field")
axes[1].hist(action_density(rbm_phi), bins=bins, density=True, histtype="step", lw=1.5,
             label="trained RBM (Gibbs)")
axes[1].set_xlabel(r"action density $S(\phi)/N_v$")
axes[1].set_ylabel("density")
axes[1].set_title(r"$\langle S\rangle/N_v = 1/2$")
axes[1].legend(fontsize=8)
pl.save_figure(fig, OUTDIR, "fig04_05_random_start", chapter=4, seed=SEED,
               paper="Aarts et al. Fig. 5", title="PCD from random couplings; action density")
print(f"mean action density: exact {action_density(exact_phi).mean():.4f}, trained RBM "
      f"{action_density(rbm_phi).mean():.4f} (equipartition: 0.5)")

# %% [markdown]
# From random couplings the eigenvalues start at μ² = 9 and come down to their κ, infrared
# (small κ) first — the subject of Chapter 5. The trained RBM's samples have the action density
# of the exact field, ½ per site on average: equipartition for a Gaussian field.
#
# The claim above ran eight such trainings to completion (with the learning-rate decay (A2) of
# App. A) and compared the final kernel entry by entry with $K_\phi$, the ODE's fixed point:
# agreement within Monte Carlo error. Finally the full ODE beside one PCD run, in learning time:

# %%
ledger.check("ch04.infrared_first")
ode = rp.theory.gaussian_flow(K10, 10, 9.0, t_eval=rr["t"], rng=SEED, weight_scale=0.1)
fig, ax = pl.figure(size=(4.6, 3.3))
for i in range(10):
    ax.plot(rr["t"], rr["eigenvalues"][:, i], color="C1", lw=0.6, alpha=0.8,
            label="PCD (128 chains)" if i == 0 else None)
    ax.plot(ode.t, ode.eigenvalues[:, i], "k-", lw=0.8, label="ODE (26)" if i == 0 else None)
ax.set_xscale("symlog", linthresh=1.0)
ax.set_xlabel(r"learning time $t = \sum_n \eta_n$")
ax.set_ylabel(r"eigenvalues $\lambda_\alpha$")
ax.set_title("stochastic training follows the flow")
ax.legend()
pl.save_figure(fig, OUTDIR, "fig04_06_pcd_vs_ode", chapter=4, seed=SEED,
               title="PCD training and the learning ODE in learning time")

# %% [markdown]
# Both start from the same random couplings (the same seed). In learning time the PCD
# eigenvalues follow the ODE's paths, with Monte Carlo noise around them that grows with the
# learning rate and shrinks with the number of chains; the slow ultraviolet modes are still on
# their way at the end.

# %%
ledger.summary()

# %% [markdown]
# ## Summary
#
# * The learning flow of the scalar-field RBM, (26)-(27), is the gradient of a Gaussian
#   log-likelihood; sympy derives it, and finite differences confirm it.
# * In the SVD basis the 2×2 problem closes into five equations; the angle equation (55) comes
#   out of the same projection as (56).
# * Modes with κ < μ² are learnt, the others sit at μ²; the larger singular value pairs with the
#   smaller κ.
# * Near the fixed point the singular values relax with $2\gamma_i$ and the angle with
#   $\gamma_{\Delta\theta}$ — twice the rate the paper's text states for the former.
# * Stochastic PCD training (positive phase from the target kernel, 128 chains) follows the
#   ODE in learning time and ends at its fixed point within Monte Carlo error.
#
# ## Exercises
#
# * **4.1** (sympy) Derive $\dot{\mu^2}$ (27) from the log-likelihood. — `rbmphys exercise ex04_1`
# * **4.2** (computation) Fixed points and stability of the 2×2 flow for given κ and μ².
#   — `rbmphys exercise ex04_2`
# * **4.3** (experiment) Measure the relaxation rate of the angle from an integrated flow.
#   — `rbmphys exercise ex04_3`
