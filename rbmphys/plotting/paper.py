"""Figures of the paper-scale runs (:mod:`rbmphys.experiments.paper`), drawn from their results.

One function per run, all reached through :func:`paper_figure`; the run itself saves the figure
beside its results, and the chapter that discusses it draws the same figure from the same
numbers.  Every title says the scale it ran at and the verdict on the paper's conclusion.

Introduced in Chapter 5.
"""

from __future__ import annotations

import numpy as np

from . import figure, image_grid, value_key

__all__ = ["paper_figure", "save_paper_figure"]


def _title(res, what, width=100):
    import textwrap
    return f"{what}\n{textwrap.fill(res['scale'], width)}\n→ {res['verdict']}"


def _scalar_2d(res):
    n = len(res["instances"])
    ncols = min(n, 2)
    fig, axes = figure(-(-n // ncols), ncols, size=(3.6, 2.8), layout="constrained")
    axes = np.atleast_1d(axes).ravel()
    for ax, inst, cfg in zip(axes, res["instances"], res["config"]["instances"]):
        t = np.asarray(inst["t"])
        pcd, ode = np.asarray(inst["pcd"]), np.asarray(inst["ode"])
        ax.plot(t, pcd, color="C0", lw=0.8)
        ax.plot(t, ode, color="k", ls="--", lw=0.8)
        for k in np.unique(np.round(inst["kappa"], 8)):
            ax.axhline(k, color="C3", ls=":", lw=0.6)
        ax.axhline(cfg["mu2"], color="C2", lw=0.8)
        dec = "decaying rate" if cfg["decay"] else "fixed rate"
        ax.set_title(f"μ² = {cfg['mu2']:g}, N_h = {cfg['n_hidden']}, {dec}", fontsize=8)
        ax.set_xlabel("learning time t = Σ η")
        ax.set_ylabel("eigenvalues of K")
    from matplotlib.lines import Line2D
    axes[-1].legend([Line2D([], [], color="C0"), Line2D([], [], color="k", ls="--"),
                        Line2D([], [], color="C3", ls=":"), Line2D([], [], color="C2")],
                       ["PCD", "learning ODE", "target κ", "μ²"], fontsize=7, loc="upper right")
    fig.suptitle(_title(res, "2D scalar field (4×4): PCD against the learning flow"), fontsize=9)
    return fig


def _toledo_ll(res):
    fig, ax = figure(size=(5.0, 3.6), layout="constrained")
    by_h, probes = {}, {}
    for inst, cfg in zip(res["instances"], res["config"]["instances"]):
        if cfg.get("role", "paper") == "paper":
            by_h.setdefault(cfg["H"], []).append(inst)
        else:
            probes[cfg["role"]] = inst
    for k, h in enumerate(sorted(by_h)):
        runs = by_h[h]
        ep = np.asarray(runs[0]["epoch"])
        lo = np.mean([r["ll_test_lower"] for r in runs], axis=0)
        hi = np.mean([r["ll_test_upper"] for r in runs], axis=0)
        c = f"C{k}"
        ax.fill_between(ep, lo, hi, color=c, alpha=0.3, lw=0)
        ax.plot(ep, 0.5 * (lo + hi), color=c, marker="o", ms=3,
                label=f"H = {h} ({len(runs)} replicas)")
    for k, (role, inst) in enumerate(probes.items()):
        ax.plot(inst["epoch"], inst["ll_test_upper"], color=f"C{len(by_h) + k}", ls="--",
                marker="x", ms=4, label=f"probe: {role}")
    ax.set_xlabel("epoch")
    ax.set_ylabel("test log-likelihood (nats)")
    ax.legend(fontsize=7, title="band: reverse AIS … AIS", title_fontsize=7)
    ax.set_title(_title(res, "Toledo-Marin Fig. 1: PCD-1 on the MNIST subset"), fontsize=8)
    return fig


def _rapid_bas(res):
    s = res["summary"]
    fig, axes = figure(1, 2, size=(4.2, 3.4), layout="constrained")
    ep = np.arange(len(s["hd_test_mean"]))
    for key, sd, lab, c in (("hd_train_mean", None, "training set", "C0"),
                            ("hd_test_mean", "hd_test_std", "test set", "C3")):
        mu = np.asarray(s[key])
        axes[0].plot(ep, mu, color=c, label=f"{lab} (mean of {s['runs']})")
        if sd:
            sdv = np.asarray(s[sd])
            axes[0].fill_between(ep, mu - sdv, mu + sdv, color=c, alpha=0.2, lw=0)
    roles = [c.get("role", "paper") for c in res["config"]["instances"]]
    probes = {}
    for inst, role in zip(res["instances"], roles):
        if role != "paper":
            probes.setdefault(role, []).append(inst["hd_test"])
    probe_colors = ("C2", "C4", "C5", "C6", "0.4")     # not C0/C3: training and test
    for k, (role, curves) in enumerate(probes.items()):
        axes[0].plot(np.arange(len(curves[0])), np.mean(curves, axis=0),
                     color=probe_colors[k % len(probe_colors)], lw=0.8, ls="--", label=role[6:])
    axes[0].axhline(0.5, color="k", ls=":", lw=1, label="chance")
    axes[0].set_xlabel("epoch")
    axes[0].set_ylabel("normalised Hamming distance (test)")
    axes[0].legend(fontsize=6)
    first = res["instances"][roles.index("paper")]
    image_grid(first["final"]["samples"], (12, 12), ncols=4, ax=axes[1], vmin=-1, vmax=1,
               cmap="coolwarm")
    value_key(axes[1], title="pixel")
    axes[1].set_title("Gibbs samples of one run (50 sweeps)", fontsize=8)
    fig.suptitle(_title(res, "RAPID on BAS 12×12 (Pozas-Kerstjens Fig. 5)"), fontsize=8)
    return fig


def _rapid_mnist(res):
    r = res["instances"][0]
    fig, axes = figure(1, 3, size=(3.4, 3.4), layout="constrained")
    ep = np.asarray(r["epoch"])
    axes[0].plot(ep, -np.asarray(r["ll_test_upper"]), marker="o", label="test (AIS)")
    axes[0].plot(ep, -np.asarray(r["ll_train_upper"]), marker="s", ms=3, ls="--",
                 label="train (AIS)")
    axes[0].plot(ep, -np.asarray(r["ll_test_lower"]), marker="^", ms=3, ls=":",
                 label="test (reverse AIS)")
    axes[0].axhline(784 * np.log(2), color="k", ls=":", lw=1, label="uniform model")
    axes[0].set_yscale("log")
    axes[0].set_xlabel("epoch")
    axes[0].set_ylabel("NLL (nats per image)")
    axes[0].legend(fontsize=6)
    image_grid(r["final"]["patterns"], (28, 28), ncols=4, ax=axes[1], cmap="RdBu_r", vmin=-1,
               vmax=1)
    axes[1].set_title("16 learnt patterns ξ_v\n(red +1, blue −1)", fontsize=8)
    image_grid(r["final"]["samples_noise"], (28, 28), ncols=4, ax=axes[2], cmap="coolwarm",
               vmin=-1, vmax=1)
    value_key(axes[2], title="pixel")
    axes[2].set_title("samples: 200 Gibbs sweeps\nfrom uniform noise", fontsize=8)
    fig.suptitle(_title(res, "RAPID on MNIST (Pozas-Kerstjens Figs. 6-7)"), fontsize=8)
    return fig


_DRAW = {"scalar_2d": _scalar_2d, "toledo_ll": _toledo_ll, "rapid_bas": _rapid_bas,
         "rapid_mnist": _rapid_mnist}

#: The figure file stem of each paper run (chapter figures ``figNN_9M_*``).
FIGURE_NAMES = {"scalar_2d": "fig05_90_paper_2d_pcd", "toledo_ll": "fig02_90_paper_ll_vs_h",
                "rapid_bas": "fig09_90_paper_bas", "rapid_mnist": "fig09_91_paper_mnist"}


def paper_figure(result):
    """Draw the figure of a paper-scale run from its results (a dict from
    :func:`rbmphys.experiments.paper.load` or ``run``)."""
    if not isinstance(result, dict) or result.get("name") not in _DRAW:
        raise ValueError("paper_figure needs the results of a paper run (a dict whose 'name' "
                         f"is one of {', '.join(_DRAW)})")
    return _DRAW[result["name"]](result)


def save_paper_figure(result, outdir):
    """Draw and save the figure of a paper run into ``outdir`` (PNG with metadata and an entry
    in ``figures.json``); returns the saved paths."""
    from . import save_figure
    name = result["name"]
    fig = paper_figure(result)
    return save_figure(fig, outdir, FIGURE_NAMES[name], chapter=int(FIGURE_NAMES[name][3:5]),
                       seed=result["config"]["instances"][0].get("seed"),
                       paper=", ".join(result["figures"]), quick=False,
                       title=f"paper-scale run {name}: {result['verdict']} ({result['scale']})")
