# %% [markdown]
"""Chapter 1 — Boltzmann machines are Ising models.

Learning goals
--------------
* read an RBM as an Ising model on a bipartite graph: spins, couplings W, fields a, b;
* move between {0,1} and ±1 units with the exact gauge map (biases change, physics doesn't);
* sum one layer analytically: the free energy F(v) and the factorised conditionals;
* compute Z exactly by enumerating the *smaller* layer;
* meet two solvable landscapes: Mattis' unfrustrated model (K = 1 pattern) and, for weak
  weights, the Hopfield model that the visible layer sees.

Equations
---------
Energy and Boltzmann weight (Toledo-Marin et al. eqs. (2)-(3); RAPID eqs. (1)-(2))::

    E(v, h) = -vᵀWh - aᵀv - bᵀh,      p(v, h) = e^{-E(v,h)} / Z

Free energy, hidden layer summed (RAPID (A1)-(A2), *with* the minus sign the enumeration
confirms; the printed closed form lacks it)::

    {0,1}:  F(v) = -aᵀv - Σ_j ln(1 + e^{b_j + (Wᵀv)_j})
    ±1:     F(s) = -aᵀs - Σ_j ln 2cosh(b_j + (Wᵀs)_j)

Conditionals (RAPID (D1)-(D2) and (B2); Toledo-Marin (10)-(11))::

    {0,1}:  p(h_j = 1 | v) = σ(b_j + (Wᵀv)_j)        ±1:  p(h_j = +1 | s) = σ(2(b_j + (Wᵀs)_j))

Gauge map (s = 2v − 1, σ = 2h − 1): W' = 4W, a' = 2a − 2W1, b' = 2b − 2Wᵀ1,
E_±(s, σ) = E_01(v, h) + c with c = −1ᵀW1 + 1ᵀa + 1ᵀb.

Pattern (Mattis) weights, RAPID eq. (5): W = ξ_vᵀ ξ_h / √K; for K = 1 the ground states are
±(ξ_v, ξ_h) with E₀ = −VH.  Hopfield couplings, RAPID (E1)-(E2): for weak weights and ±1 units,
p(s) ∝ exp(½ sᵀ J s) with J = WWᵀ, up to O(|W|⁴).

Run: ``python chapters/ch01_ising.py`` or ``rbmphys run ch01 [--quick]``.
"""

# %%
import numpy as np

import rbmphys as rp
from rbmphys.analysis import ising
from rbmphys.verify import check
from rbmphys.verify.claims import ch01 as claims

SEED = 1


def main(outdir="figures/ch01", quick=False):
    from rbmphys import plotting as pl

    results = {}

    # %% [markdown]
    # ## 1. Two parametrisations, one physics
    # A random ±1 model and its {0,1} image under the gauge map assign the same probability to
    # every visible configuration; their energies differ by one constant.
    # %%
    for cid in ("ch01.gauge_p", "ch01.gauge_energy"):
        results[cid] = check(cid, quick=quick)

    # %% [markdown]
    # ## 2. Summing out a layer
    # The free energy and the conditionals come from summing one layer analytically; exact Z
    # enumerates only the smaller layer — 2^min(V,H) terms instead of 2^(V+H).
    # %%
    for cid in ("ch01.normalisation", "ch01.conditionals_01", "ch01.conditionals_pm1",
                "ch01.logz_enumeration", "ch01.free_energy_sign", "ch01.free_energy_printed"):
        results[cid] = check(cid, quick=quick)

    # Figure 1: the free-energy landscape of a tiny RBM and its exact p(v)
    m = rp.BernoulliRBM.random(5, 3, weight_scale=1.5, bias_scale=0.5, rng=SEED)
    states, p = rp.exact.visible_distribution(m)
    F = m.free_energy(states)
    labels = ["".join(str(int(x)) for x in s) for s in states]
    fig, axes = pl.figure(1, 2, size=(5.2, 3.2))
    pl.energy_landscape(axes[0], F, labels, highlight=[int(np.argmin(F))],
                        ylabel="free energy F(v)")
    axes[0].set_title("V=5, H=3: F(v) of all 32 states")
    sample = np.random.default_rng(SEED).choice(len(p), size=2000, p=p)
    pl.histogram_vs_exact(axes[1], np.bincount(sample, minlength=len(p)), p, labels)
    axes[1].set_title("p(v) = e^{-F(v)}/Z, exact vs 2000 exact draws")
    pl.save_figure(fig, outdir, "fig01_01_landscape", chapter=1, seed=SEED,
                   title="free-energy landscape and p(v) of a V=5, H=3 RBM")

    # %% [markdown]
    # ## 3. Mattis: a landscape without frustration
    # %%
    for cid in ("ch01.mattis_ground_states", "ch01.mattis_energy"):
        results[cid] = check(cid, quick=quick)
    mm, xv, xh = ising.mattis_model(8, 4, rng=SEED)
    s = rp.exact.all_states(8, "spin")
    gs = rp.exact.ground_states(mm)
    Fm = mm.free_energy(s)
    idx = [int(np.flatnonzero((s == v).all(1))[0]) for v in gs.v]
    fig, axes = pl.figure(1, 2, size=(5.2, 3.2))
    axes[0].plot(np.sort(Fm), ".", ms=3)
    axes[0].axhline(Fm[idx[0]], color="C1", lw=0.8, label="F(±ξ_v)")
    axes[0].set_xlabel("state, sorted by F")
    axes[0].set_ylabel("free energy F(s)")
    axes[0].set_title("Mattis K=1, V=8, H=4: all 256 states")
    axes[0].legend()
    pl.image_grid(np.vstack([gs.v, xv]), (1, 8), ncols=1, ax=axes[1], cmap="coolwarm")
    axes[1].set_title("ground states (rows 1-2) and ξ_v (row 3)")
    pl.save_figure(fig, outdir, "fig01_02_mattis", chapter=1, seed=SEED,
                   title="Mattis model: two ground states ±ξ")

    # %% [markdown]
    # ## 4. The visible layer sees a Hopfield model
    # %%
    for cid in ("ch01.hopfield_scaling", "ch01.hopfield_patterns"):
        results[cid] = check(cid, quick=quick)
    eps = np.geomspace(0.01, 0.3, 9)
    err = claims.hopfield_errors(eps)
    fig, ax = pl.figure()
    ax.loglog(eps, err, "o-", label="max_s |ln p(s) − ln p_J(s)|")
    ax.loglog(eps, err[0] * (eps / eps[0]) ** 4, "--", label="∝ ε⁴")
    ax.set_xlabel("weight scale ε")
    ax.set_ylabel("error of the Hopfield approximation")
    ax.set_title("J = WWᵀ is exact up to O(|W|⁴)")
    ax.legend()
    pl.save_figure(fig, outdir, "fig01_03_hopfield_scaling", chapter=1, seed=claims.SEED,
                   title="Hopfield approximation error vs weight scale")

    n_pass = sum(r.passed for r in results.values())
    print(f"chapter 1: {n_pass} of {len(results)} claims passed")
    return results


if __name__ == "__main__":
    main()
