# %% [markdown]
# # Chapter 3 — Gaussian fields on a bipartite graph
#
# **The question.** Chapters 1-2 had binary spins. Lattice field theory has real-valued fields.
# What is an RBM whose visible units are a scalar field $\phi$, and which field theory does it
# describe? Aarts, Lucini and Park {cite}`AartsLuciniPark2024` answer: with Gaussian units on both layers the RBM *is* a
# free field theory, with a kernel the couplings build. In this chapter:
#
# * the scalar-field RBM and its marginal: the kernel $K = \mu^2\mathbb 1 - \sigma_h^2WW^T$ and
#   the source $J = W\eta$ (Aarts et al. eqs. (2), (9), (11));
# * block Gibbs with Gaussian units — the same engine as for spins, Box–Muller instead of a coin;
# * lattice free fields in one and two dimensions, their spectra (77)-(79), (82)-(83);
# * exact RBM solutions of a given field theory — Cholesky, symmetric — and the rotation freedom
#   that makes the couplings far from unique (13)-(18).
#
# Run with `rbmphys run ch03 [--quick]` or open as a notebook.

# %% tags=["parameters"]
import rbmphys

QUICK = rbmphys.quick_mode()   # --quick, or RBMPHYS_QUICK=1: smaller sizes
OUTDIR = "figures/ch03"
SEED = 3

# %%
import numpy as np

import rbmphys as rp
from rbmphys import plotting as pl
from rbmphys.verify.book import ChapterLedger

ledger = ChapterLedger(3, quick=QUICK)

# %% [markdown]
# ## 3.1 The scalar-field RBM
#
# The visible layer is a real field $\phi\in\mathbb R^{N_v}$, the hidden layer real
# $h\in\mathbb R^{N_h}$, on the same bipartite graph as before (Aarts et al. Fig. 1):
#
# $$S(\phi, h) = \tfrac12\mu^2\phi^T\phi + \frac{(h-\eta)^T(h-\eta)}{2\sigma_h^2} - \phi^TWh .$$
#
# Every term is quadratic, so the hidden field integrates out exactly (eqs. (9), (11); the
# completed square is written out in {ref}`appendix-gaussian-marginal`):
#
# $$p(\phi)\propto e^{-\frac12\phi^TK\phi + \phi^TJ},\qquad K = \mu^2\mathbb 1 - \sigma_h^2WW^T,
#   \qquad J = W\eta,\qquad \langle\phi\phi^T\rangle_c = K^{-1}.$$
#
# The coupling to the hidden layer *lowers* the kernel: $WW^T$ is positive, so $\mu^2$ must stay
# above $\sigma_h^2\lambda_\max(WW^T)$ (eq. (14)) or the field has nothing to hold it.

# %%
fig, ax = pl.figure(size=(4.6, 3.0))
nv, nh = 6, 4
xv, xh = np.linspace(0, 1, nv), np.linspace(0.12, 0.88, nh)
for i in range(nv):
    for j in range(nh):
        ax.plot([xv[i], xh[j]], [0, 1], color="0.6", lw=0.7, zorder=1)
ax.scatter(xv, np.zeros(nv), s=260, color="C0", zorder=2, label=r"visible $\phi_i$")
ax.scatter(xh, np.ones(nh), s=260, color="C1", zorder=2, label=r"hidden $h_a$")
ax.text(1.08, 0, r"$N_v$ nodes", va="center")
ax.text(1.08, 1, r"$N_h$ nodes", va="center")
ax.set_xlim(-0.1, 1.35)
ax.set_ylim(-0.35, 1.45)
ax.axis("off")
ax.legend(loc="upper center", ncol=2, bbox_to_anchor=(0.45, 1.12))
ax.set_title(r"couplings $W_{ia}$ only between the layers", y=-0.12)
pl.save_figure(fig, OUTDIR, "fig03_01_bipartite", chapter=3, seed=SEED,
               paper="Aarts et al. Fig. 1", title="the bipartite graph of an RBM")

# %%
W = np.random.default_rng(SEED).normal(0, 0.5, (5, 3))
bound = np.linalg.norm(W, 2) ** 2
m = rp.GaussianRBM(W, mu2=bound + 1.0, eta=[0.3, -0.2, 0.1])
print(f"σ_h² λ_max(WWᵀ) = {bound:.3f}: any μ² above it gives a normalisable field; at μ² = "
      f"{m.mu2:.3f} the smallest eigenvalue of K is {np.linalg.eigvalsh(m.precision())[0]:.3f}")
try:
    rp.GaussianRBM(W, mu2=0.9 * bound)
except ValueError as exc:
    print("at μ² = 0.9 × the bound the library refuses:", str(exc)[:96], "…")
ledger.check("ch03.marginal_covariance")
ledger.check("ch03.marginal_mean")
ledger.check("ch03.log_partition")

# %% [markdown]
# The claims compare the library's marginal with the joint Gaussian's block-precision algebra,
# which never mentions $K$: the covariance of $\phi$ is a sub-block of the inverse of the
# $(N_v + N_h)$-dimensional precision
# $\begin{pmatrix}\mu^2\mathbb 1 & -W\\ -W^T & \mathbb 1/\sigma_h^2\end{pmatrix}$.

# %% [markdown]
# ## 3.2 Block Gibbs with Gaussian units
#
# Given the other layer, each unit is a Gaussian: $\phi_i\mid h\sim\mathcal N((Wh)_i/\mu^2,
# 1/\mu^2)$ and $h_a\mid\phi\sim\mathcal N(\eta_a + \sigma_h^2(W^T\phi)_a, \sigma_h^2)$. The
# library draws them with Box–Muller from the same counter-based random numbers as the binary
# units, in the same engine (`rp.gibbs`). A 1D lattice field (next section) is the test: the
# sample covariance must equal $K^{-1}$ within its standard error,
# $\sqrt{(C_{ii}C_{jj} + C_{ij}^2)/n}$.

# %%
ledger.check("ch03.gibbs_covariance")
K6 = rp.datasets.lattice_kernel((6,), 1.0)
g = rp.GaussianRBM(rp.datasets.rbm_weights_from_kernel(K6, 6.0, 1.0, "symmetric"), 6.0)
phi = rp.gibbs(g, np.zeros((20_000, 6)), n_sweeps=60, rng=SEED)
C6 = np.linalg.inv(K6)
print(f"⟨φ_0²⟩ = {np.mean(phi[:, 0] ** 2):.4f} (exact {C6[0, 0]:.4f}); ⟨φ_0 φ_3⟩ = "
      f"{np.mean(phi[:, 0] * phi[:, 3]):.4f} (exact {C6[0, 3]:.4f}) from 20 000 chains")

# %%
fig, axes = pl.figure(1, 3, size=(3.0, 2.9), layout="constrained")
vmax = C6.max()
for ax, mat, title in ((axes[0], C6, r"exact $K^{-1}$"),
                       (axes[1], phi.T @ phi / len(phi), "block Gibbs\n(20 000 chains)")):
    im = ax.imshow(mat, cmap="viridis", vmin=0, vmax=vmax)
    ax.set_title(title)
    ax.set_xlabel("site $j$")
    ax.set_ylabel("site $i$")
    ax.grid(False)
fig.colorbar(im, ax=axes[:2], shrink=0.8, label=r"$\langle\phi_i\phi_j\rangle$")
r = np.arange(6)
axes[2].plot(r, C6[0], "k-", label="exact")
axes[2].plot(r, [np.mean(phi[:, 0] * phi[:, k]) for k in r], "o", label="Gibbs")
axes[2].set_xlabel("distance $r$ (periodic)")
axes[2].set_ylabel(r"$\langle\phi_0\phi_r\rangle$")
axes[2].set_title(r"1D, $N=6$, $m^2=1$")
axes[2].legend()
pl.save_figure(fig, OUTDIR, "fig03_02_gibbs_covariance", chapter=3, seed=SEED,
               title="Gaussian block Gibbs reproduces the field's covariance")

# %% [markdown]
# ## 3.3 Lattice free fields
#
# A free field of mass $m$ on a periodic lattice has the kernel of the lattice Laplacian plus
# the mass (eqs. (77), (82)-(83)); in one dimension
# $K^\phi_{ij} = (2 + m^2)\delta_{ij} - \delta_{i,j+1} - \delta_{i,j-1}$ with eigenvalues
# $\kappa_k = m^2 + 2 - 2\cos(2\pi k/N)$ (79): plane waves, doubly degenerate for $\pm k$. In
# two dimensions the kernel is a sum of two 1D Laplacians (a Kronecker sum, (83)), so its
# eigenvalues add: $\kappa_{\mathbf k} = m^2 + 4 - 2\cos\frac{2\pi k_x}{N_x} -
# 2\cos\frac{2\pi k_y}{N_y}$. "Infrared" modes have small $\kappa$ (long wavelengths, large
# fluctuations $1/\kappa$), "ultraviolet" ones large $\kappa$.

# %%
ledger.check("ch03.lattice_1d")
ledger.check("ch03.lattice_2d_degeneracies")
k1 = rp.datasets.lattice_spectrum((10,), 4.0)
print("1D, N = 10, m² = 4: κ =", np.round(k1, 3).tolist())
K2 = rp.datasets.lattice_kernel((4, 4), 4.0)
vals, counts = np.unique(np.round(np.linalg.eigvalsh(K2), 8), return_counts=True)
print("2D, 4 × 4, m² = 4: κ with multiplicity", dict(zip(vals.tolist(), counts.tolist())))

# %%
fig, axes = pl.figure(1, 2, size=(3.8, 3.3), layout="constrained")
im = axes[0].imshow(K2, cmap="RdBu_r", vmin=-1.0, vmax=1.0)
axes[0].set_title("flattened kernel $K^{2d}$, $4\\times4$, $m^2=4$\n(diagonal $m^2+4=8$, off scale)")
axes[0].set_xlabel("site $x N_y + y$")
axes[0].set_ylabel("site $x N_y + y$")
axes[0].set_xticks(range(0, 16, 3))
axes[0].set_yticks(range(0, 16, 3))
axes[0].grid(False)
fig.colorbar(im, ax=axes[0], shrink=0.7, label=r"$K_{ij}$ (clipped to $[-1, 1]$)")
axes[1].bar(vals, counts, width=0.8)
axes[1].set_xlabel(r"eigenvalue $\kappa$")
axes[1].set_ylabel("multiplicity")
axes[1].set_title("spectrum: 1, 4, 6, 4, 1")
pl.save_figure(fig, OUTDIR, "fig03_03_lattice_kernel", chapter=3, seed=SEED,
               paper="Aarts et al. Fig. 8", title="the flattened 2D lattice kernel and its spectrum")

# %% [markdown]
# The multiplicities 1, 4, 6, 4, 1 are binomial coefficients: on a 4-site ring the 1D
# Laplacian has eigenvalues 0, 2, 2, 4, and a 2D eigenvalue is a sum of one from each
# direction — the number of ways to make each sum is $\binom{4}{k}$. The flattening of the
# indices does not matter: the boundary conditions are in the matrix (Aarts et al. Sec. V).

# %% [markdown]
# ## 3.4 Exact solutions and the rotation freedom
#
# To reproduce a target $K_\phi$ exactly the RBM needs $\mu^2\mathbb 1 - \sigma_h^2WW^T = K_\phi$,
# i.e. $WW^T = (\mu^2 - K_\phi)/\sigma_h^2$ (eqs. (13)-(16)): possible when $\mu^2\ge\kappa_\max$
# and $N_h = N_v$. One solution is the Cholesky factor (lower triangular), another the symmetric
# square root $O\sqrt DO^T$ — and $W\to WO$ for *any* orthogonal $O$ gives another (17): the
# hidden layer can be rotated freely. The couplings are far from unique; the kernel is not
# ({ref}`appendix-gaussian-marginal`).

# %%
ledger.check("ch03.exact_solutions")
ledger.check("ch03.rotation_freedom")
K10 = rp.datasets.lattice_kernel((10,), 4.0)
Wc = rp.datasets.rbm_weights_from_kernel(K10, 9.0, 1.0, "cholesky")
Ws = rp.datasets.rbm_weights_from_kernel(K10, 9.0, 1.0, "symmetric")
Wr = Ws @ rp.datasets.random_rotation(10, rng=SEED)
for name, Wx in (("Cholesky", Wc), ("symmetric", Ws), ("rotated", Wr)):
    err = np.abs(rp.GaussianRBM(Wx, 9.0).precision() - K10).max()
    print(f"{name:>9s}: max|K − K_φ| = {err:.1e}; W has {np.sum(np.abs(Wx) > 1e-12)} nonzero "
          f"entries, largest {np.abs(Wx).max():.3f}")

# %%
fig, axes = pl.figure(1, 3, size=(2.7, 2.8), layout="constrained")
wm = max(np.abs(x).max() for x in (Wc, Ws, Wr))
for ax, Wx, title in ((axes[0], Wc, "Cholesky"), (axes[1], Ws, "symmetric"),
                      (axes[2], Wr, "symmetric × random $O$")):
    im = ax.imshow(Wx, cmap="RdBu_r", vmin=-wm, vmax=wm)
    ax.set_title(title)
    ax.set_xlabel("hidden $a$")
    ax.grid(False)
axes[0].set_ylabel("visible $i$")
fig.colorbar(im, ax=list(axes), shrink=0.8, label=r"$W_{ia}$")
fig.suptitle(r"three couplings, one kernel: $9\cdot\mathbb{1} - WW^T = K_\phi$ (1D, $m^2=4$)",
             y=1.02)
pl.save_figure(fig, OUTDIR, "fig03_04_exact_solutions", chapter=3, seed=SEED,
               title="exact RBM solutions of a 1D free field and the rotation freedom")

# %% [markdown]
# The mixed model of Sec. VI of the paper replaces the Gaussian hidden layer by ±1 spins; the
# field then interacts ($\ln\cosh$ terms, Chapter 5). Its partition function is still exact
# when the hidden layer is small — enumerate the spins, integrate the field:

# %%
ledger.check("ch03.gaussian_bernoulli_log_z")
n_pass, n_claims = ledger.summary()

# %% [markdown]
# ## Summary
#
# * Gaussian visible and hidden units make the RBM a free field theory with kernel
#   $K = \mu^2\mathbb 1 - \sigma_h^2WW^T$ and source $J = W\eta$; $\mu^2$ must exceed
#   $\sigma_h^2\lambda_\max(WW^T)$.
# * Block Gibbs works unchanged with Gaussian units and reproduces $\langle\phi\phi^T\rangle =
#   K^{-1}$.
# * Lattice free fields have closed-form spectra: 1D plane waves, 2D sums of two of them (4×4:
#   multiplicities 1, 4, 6, 4, 1).
# * An RBM reproduces a field exactly when $WW^T = (\mu^2 - K_\phi)/\sigma_h^2$; Cholesky and
#   symmetric roots are two solutions among a continuum related by rotations of the hidden layer.
#
# ## Exercises
#
# * **3.1** (sympy) Integrate the hidden field out of $S(\phi, h)$ and find $K$ and $J$.
#   — `rbmphys exercise ex03_1`
# * **3.2** (computation) The spectrum of a 6 × 4 lattice and its degeneracies, from the
#   Kronecker-sum structure. — `rbmphys exercise ex03_2`
# * **3.3** (experiment) Measure the correlator ⟨φ₀φ_r⟩ of a 1D field with Gaussian block
#   Gibbs and find its correlation length. — `rbmphys exercise ex03_3`
