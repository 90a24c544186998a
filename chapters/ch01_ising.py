# %% [markdown]
# # Chapter 1 — Boltzmann machines are Ising models
#
# **The question.** A restricted Boltzmann machine (RBM) is usually drawn as a neural network.
# A physicist sees something older: Ising spins on a bipartite graph, with couplings $W$ between
# the layers and fields $a$, $b$ on the sites. What does that view buy us? In this chapter:
#
# * read an RBM as an Ising model and move between {0,1} and ±1 units with an exact *gauge
#   map* (the biases change, the physics does not);
# * sum one layer analytically: the free energy $F(v)$ and the factorised conditionals;
# * compute the partition function $Z$ exactly by enumerating the *smaller* layer;
# * meet two solvable landscapes: Mattis' unfrustrated model {cite}`Mattis1976` (one pattern,
#   two ground states) and, for weak weights, the Hopfield model {cite}`Hopfield1982` that the
#   visible layer sees.
#
# Every statement below that can be checked is a *claim* of the book's ledger
# (`rbmphys verify --chapter 1`): the line it prints is the ledger's own, with the expected
# value, the measured one, the tolerance and the reason for that tolerance.
#
# Papers: Pozas-Kerstjens et al. (RAPID) {cite}`PozasKerstjens2021` eqs. (1)-(2), (5),
# (A1)-(A2), (B2), (D1)-(D2), (E1)-(E2); Toledo-Marin et al. {cite}`ToledoMarin2025` eqs.
# (2)-(3), (10)-(11). The short derivations are collected in {ref}`appendix-free-energy`. Run it
# all with
# `rbmphys run ch01 [--quick]`, as a script (`python chapters/ch01_ising.py`), or open it as a
# notebook (jupytext, VS Code).

# %% tags=["parameters"]
import rbmphys

QUICK = rbmphys.quick_mode()   # --quick, or RBMPHYS_QUICK=1: smaller sizes
OUTDIR = "figures/ch01"              # where the figures go
SEED = 1

# %%
import numpy as np

import rbmphys as rp
from rbmphys import plotting as pl
from rbmphys.analysis import ising
from rbmphys.verify.book import ChapterLedger
from rbmphys.verify.claims import ch01 as claims

ledger = ChapterLedger(1, quick=QUICK)

# %% [markdown]
# ## 1.1 Energy, Boltzmann weight, partition function
#
# Visible units $v\in\{0,1\}^V$ and hidden units $h\in\{0,1\}^H$ interact only across the two
# layers (Toledo-Marin eq. (3)):
#
# $$E(v,h) = -v^TWh - a^Tv - b^Th,\qquad p(v,h) = \frac{e^{-E(v,h)}}{Z},\qquad
#   Z = \sum_{v,h} e^{-E(v,h)} .$$
#
# This is an Ising model at $\beta = 1$ on the complete bipartite graph $K_{V,H}$: $W_{ij}$ is a
# coupling, $a_i$ and $b_j$ are local fields. Brute force sums $2^{V+H}$ terms. Because no two
# hidden units interact, the hidden sum factorises for every fixed $v$, and $Z$ needs only the
# $2^{\min(V,H)}$ states of the smaller layer — `rp.exact.log_partition` does that in Gray-code
# order (one weight row added per state).

# %%
m = rp.BernoulliRBM.random(5, 3, weight_scale=1.5, bias_scale=0.5, rng=SEED)
vs, hs = rp.exact.all_states(5), rp.exact.all_states(3)
E = -(vs @ m.W @ hs.T + (vs @ m.a)[:, None] + (hs @ m.b)[None, :])      # all 2^8 joint states
log_z = rp.exact.log_partition(m)
P = np.exp(-E - log_z)
mean_E = float((P * E).sum())
print(f"V = 5, H = 3: {E.size} joint states; ln Z = {log_z:.4f} "
      f"(brute force {np.logaddexp.reduce(-E.ravel()):.4f})")
print(f"mean energy <E> = {mean_E:.3f}, entropy S = ln Z + <E> = {log_z + mean_E:.3f} nats "
      f"(out of ln 256 = {np.log(256):.3f} for uniform states)")
ledger.check("ch01.logz_enumeration")
ledger.check("ch01.normalisation")

# %% [markdown]
# The entropy is well below $\ln 2^8$: weights of scale 1.5 already concentrate the Boltzmann
# weight on a minority of states. The claim above compares the enumeration of the smaller
# layer with brute force over *all* joint states for models with weights of scale 1 and 10 —
# at scale 10 the naive sum $\sum e^{-E}$ would lose all precision, which is why every sum in
# the library is taken in log space.

# %% [markdown]
# ## 1.2 Two parametrisations, one physics: the gauge map
#
# Physicists use spins $s\in\{\pm1\}$, machine learning uses bits $v\in\{0,1\}$. With
# $s = 2v-1$ and $\sigma = 2h-1$ a spin RBM $(W, a, b)$ becomes a bit RBM with
#
# $$W' = 4W,\quad a' = 2a - 2W\mathbf 1,\quad b' = 2b - 2W^T\mathbf 1,\qquad
#   E_\pm(s,\sigma) = E_{01}(v,h) + c,\quad c = -\mathbf 1^TW\mathbf 1 + \mathbf 1^Ta + \mathbf 1^Tb .$$
#
# A constant shift of the energy drops out of every probability: $p_\pm(s) = p_{01}(v)$ and
# $\ln Z_\pm = \ln Z_{01} - c$. Exercise 1.1 derives the map with sympy; the algebra by hand is in
# {ref}`appendix-free-energy`.

# %%
spin = rp.SpinRBM.random(6, 4, weight_scale=0.5, bias_scale=0.5, rng=SEED)
bits, c = rp.gauge_to_bernoulli(spin)
print(f"a ±1 coupling W[0,0] = {spin.W[0, 0]:+.3f} is a {{0,1}} coupling {bits.W[0, 0]:+.3f} "
      f"(×4); the field a[0] = {spin.a[0]:+.3f} becomes {bits.a[0]:+.3f}")
print(f"c = {c:+.4f}: ln Z_± = {rp.exact.log_partition(spin):.4f} = ln Z_01 − c = "
      f"{rp.exact.log_partition(bits) - c:.4f}")
ledger.check("ch01.gauge_p")
ledger.check("ch01.gauge_energy")

# %% [markdown]
# A ±1 coupling acts four times as strongly as the same number in the {0,1} parametrisation.
# Remember this in Chapter 2: a ±1 model "of weight scale 0.8" is as strongly coupled as a
# {0,1} model of scale 3.2, and block Gibbs needs far longer to mix on it.

# %% [markdown]
# ## 1.3 Summing out a layer: free energy and conditionals
#
# Summing the hidden layer out of $e^{-E}$ defines the free energy of a visible configuration,
# $e^{-F(v)} = \sum_h e^{-E(v,h)}$ (RAPID (A1)):
#
# $$\{0,1\}:\ F(v) = -a^Tv - \sum_j \ln\big(1 + e^{b_j + (W^Tv)_j}\big),\qquad
#   \pm1:\ F(s) = -a^Ts - \sum_j \ln 2\cosh\big(b_j + (W^Ts)_j\big).$$
#
# The printed RAPID (A2) lacks the minus sign in front of the sum; enumeration settles it.
# The same factorisation gives the conditionals (RAPID (D1)-(D2) and (B2); Toledo-Marin
# (10)-(11)):
#
# $$p(h_j = 1\mid v) = \sigma\big(b_j + (W^Tv)_j\big),\qquad
#   p(\sigma_j = +1\mid s) = \sigma\big(2(b_j + (W^Ts)_j)\big),$$
#
# with $\sigma(x) = 1/(1+e^{-x})$: the factor 2 for spins is the gap between the two values a
# unit can take. Each claim below compares the library's function with ratios of brute-force
# sums over all joint states.

# %%
ledger.check("ch01.conditionals_01")
ledger.check("ch01.conditionals_pm1")
ledger.check("ch01.free_energy_sign")
F = m.free_energy(vs)
states, p = rp.exact.visible_distribution(m)
gibbs = rp.gibbs(m, np.zeros((4000, 5)), n_sweeps=50, rng=SEED)   # block Gibbs: Chapter 2
counts = np.bincount((gibbs @ (1 << np.arange(4, -1, -1))).astype(int), minlength=32)
best = int(np.argmin(F))
print(f"lowest free energy F = {F[best]:.3f} at v = {vs[best].astype(int)}: "
      f"p = {p[best]:.3f}, {p[best] * 32:.1f}× the uniform 1/32")

# %%
labels = ["".join(str(int(x)) for x in s) for s in states]
fig, axes = pl.figure(1, 2, size=(5.6, 3.4))
pl.energy_landscape(axes[0], F, labels, highlight=[best], ylabel=r"free energy $F(v)$",
                    highlight_label=r"lowest $F(v)$: the most probable state")
axes[0].legend(loc="upper right")
axes[0].set_title(r"$V=5,\ H=3$: $F(v)$ of all 32 states")
pl.histogram_vs_exact(axes[1], counts, p, labels)
axes[1].set_title(r"$p(v)=e^{-F(v)}/Z$ vs 4000 block-Gibbs samples")
pl.save_figure(fig, OUTDIR, "fig01_01_landscape", chapter=1, seed=SEED,
               title="free-energy landscape and p(v) of a V=5, H=3 RBM")

# %% [markdown]
# The left panel is the whole landscape: one level per visible state. The right panel checks
# the Boltzmann law $p(v)\propto e^{-F(v)}$ against samples drawn by block Gibbs (the sampler
# of Chapter 2); the error bars are binomial, $\sqrt{p(1-p)/n}$.

# %% [markdown]
# ## 1.4 Mattis: a landscape without frustration
#
# Take one pattern $\xi = (\xi_v, \xi_h)\in\{\pm1\}^{V+H}$ and couplings
# $W_{i\alpha} = \xi_i\xi_\alpha$ (RAPID eq. (5) with $K = 1$). Every coupling is satisfied by
# $s = \xi_v$, $\sigma = \xi_h$ at once: no frustration. The ground states are exactly $\pm\xi$
# and $E_0 = -VH$.

# %%
ledger.check("ch01.mattis_ground_states")
ledger.check("ch01.mattis_energy")
mm, xv, xh = ising.mattis_model(8, 4, rng=SEED)
s8 = rp.exact.all_states(8, "spin")
gs = rp.exact.ground_states(mm)
Fm = mm.free_energy(s8)
overlap = s8 @ xv[0]
levels = np.unique(np.round(Fm, 9))
print(f"V = 8, H = 4: E0 = {gs.energy:.0f} = −V·H; {len(gs)} ground states (±ξ)")
print(f"the 256 visible states take only {len(levels)} free-energy values: "
      f"F depends on s only through |ξ·s| ∈ {sorted(set(np.abs(overlap).astype(int).tolist()))}")

# %%
fig, axes = pl.figure(1, 2, size=(4.6, 3.4))
order = np.argsort(Fm)
axes[0].scatter(np.arange(256), Fm[order], c=np.abs(overlap[order]), s=6, cmap="viridis")
axes[0].axhline(Fm[overlap == 8][0], color="C1", lw=0.8, label=r"$F(\pm\xi_v)$")
axes[0].set_xlabel("visible state, sorted by $F$")
axes[0].set_ylabel(r"free energy $F(s)$")
axes[0].set_title("Mattis $K=1$, $V=8$, $H=4$")
axes[0].legend(loc="lower right")
sc = axes[0].collections[0]
fig.colorbar(sc, ax=axes[0], label=r"overlap $|\xi_v\cdot s|$")
pl.image_grid(np.vstack([gs.v, xv]), (1, 8), ncols=1, ax=axes[1], cmap=pl.SPIN_CMAP,
              vmin=-1, vmax=1)
axes[1].set_title(r"ground states (rows 1-2) and $\xi_v$ (row 3)")
pl.value_key(axes[1])
pl.save_figure(fig, OUTDIR, "fig01_02_mattis", chapter=1, seed=SEED,
               title="Mattis model: F depends only on the overlap; two ground states ±ξ")

# %% [markdown]
# **The plateaus.** Sorted by free energy, the 256 states fall on a few flat plateaus. That is
# not noise: for Mattis couplings $(W^Ts)_\alpha = \xi_\alpha (\xi_v\cdot s)$, so
# $F(s) = -H\ln 2\cosh(\xi_v\cdot s)$ depends on $s$ only through the overlap
# $|\xi_v\cdot s|\in\{0, 2, 4, 6, 8\}$ — five levels, each as degenerate as the number of
# states with that overlap. The whole landscape is one collective coordinate: this is why
# Mattis' model is solvable, and why RAPID (Chapter 9) starts from it.

# %% [markdown]
# ## 1.5 The visible layer sees a Hopfield model
#
# For ±1 hidden units without fields, summing them out gives
# $-F(s) = \sum_\alpha \ln 2\cosh((W^Ts)_\alpha)$. Expanding
# $\ln\cosh x = x^2/2 - x^4/12 + \dots$ for weak weights (RAPID (E1)):
#
# $$p(s) \propto \exp\big(\tfrac12 s^TJs\big)\,\big(1 + O(|W|^4)\big),\qquad J = WW^T,$$
#
# a Hopfield model ({ref}`appendix-rapid`). With pattern weights $W = \xi_v^T\xi_h/\sqrt K$ the couplings are
# $J = \tfrac1K\xi_v^T M\xi_v$ with the pattern overlap matrix $M = \xi_h\xi_h^T$ (RAPID (E2)).
# Two claims: the error of the Hopfield form falls as $\varepsilon^4$ when the weights are
# scaled by $\varepsilon$, and the pair couplings *fitted* to the exact $\ln p(s)$ (its Walsh
# coefficients) are $\varepsilon^2 J$ from the patterns.

# %%
ledger.check("ch01.hopfield_scaling")
ledger.check("ch01.hopfield_patterns")
eps = np.geomspace(0.01, 0.3, 9)
err = claims.hopfield_errors(eps)
print(f"at ε = {eps[0]:.2f} the Hopfield form misses ln p(s) by {err[0]:.1e}; at ε = "
      f"{eps[-1]:.2f} by {err[-1]:.1e}: {err[-1] / err[0]:.1e}× more for {eps[-1] / eps[0]:.0f}× "
      "the weights")

# %%
fig, ax = pl.figure()
ax.loglog(eps, err, "o-", label=r"$\max_s |\ln p(s) - \ln p_J(s)|$")
ax.loglog(eps, err[0] * (eps / eps[0]) ** 4, "--", label=r"$\propto\varepsilon^4$")
ax.set_xlabel(r"weight scale $\varepsilon$ ($W = \varepsilon W_0$)")
ax.set_ylabel("error of the Hopfield approximation (nats)")
ax.set_title(r"$J = WW^T$ is exact up to $O(\varepsilon^4)$")
ax.legend()
pl.save_figure(fig, OUTDIR, "fig01_03_hopfield_scaling", chapter=1, seed=claims.SEED,
               title="Hopfield approximation error vs weight scale")

# %% [markdown]
# At the largest $\varepsilon$ the curve bends below $\varepsilon^4$: the next term of
# $\ln\cosh$ ($+x^6/45$) has the opposite sign and starts to cancel. This is also why the
# claim fits the slope on small $\varepsilon$ only.

# %%
n_pass, n_claims = ledger.summary()

# %% [markdown]
# ## Summary
#
# * An RBM is an Ising model on a bipartite graph; {0,1} and ±1 units are two gauges of the same
#   physics ($W' = 4W$ plus shifted fields and a constant).
# * Summing a layer out is exact and cheap: the free energy $F(v)$ and factorised conditionals
#   $\sigma(\cdot)$ (with a factor 2 for spins); the printed RAPID (A2) has the wrong sign.
# * $Z$ needs only $2^{\min(V,H)}$ terms, summed in log space.
# * Mattis' one-pattern model has exactly two ground states $\pm\xi$, $E_0 = -VH$, and a
#   landscape that depends only on the overlap with $\xi$.
# * For weak weights the visible layer is a Hopfield model with $J = WW^T$, exact to
#   $O(|W|^4)$.
#
# ## Exercises
#
# * **1.1** (sympy) Derive the gauge map $W', a', b', c$. — `rbmphys exercise ex01_1`
# * **1.2** (computation) $\ln Z$ of a 14 × 6 RBM by enumerating the smaller layer.
#   — `rbmphys exercise ex01_2`
# * **1.3** (experiment) Steepest descent on a Mattis landscape: from how many random starts
#   does it reach $\pm\xi$? — `rbmphys exercise ex01_3`
