"""Figures: one book style, figure naming ``figNN_MM_slug`` and a per-directory index.

The only module of the library that imports matplotlib (``import rbmphys`` does not).  In a
script it uses the non-interactive Agg backend unless a backend was already chosen, and closes
every figure it saved; in a Jupyter notebook it leaves the kernel's (inline) backend alone and
leaves saved figures open, so that they display under their cell.  It never calls
``plt.show()``.  Every saved figure records its chapter, seed, the paper figure it regenerates
and whether it comes from a quick run, in the PNG metadata and in ``figures.json`` beside it; the
figure of a quick run also says so above its panels.

Introduced in Chapter 1.
"""

from __future__ import annotations

import contextlib
import json
import os
from pathlib import Path

import sys

import matplotlib

from .._runmode import in_notebook, quick_mode

if "matplotlib.pyplot" not in sys.modules and not in_notebook():
    matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

__all__ = ["BOOK_STYLE", "QUICK_NOTE", "book_style", "figure", "save_figure", "image_grid",
           "energy_landscape", "histogram_vs_exact", "curves", "value_key", "SPIN_CMAP",
           "SavedFigure", "eigenvalue_flow", "singular_value_flow", "density_vs_law"]

#: Colour map of ±1 (and {0,1}) images: −1 / 0 blue, +1 red.
SPIN_CMAP = "coolwarm"

#: What a figure of a quick run says above its panels (and in its index entry).
QUICK_NOTE = "quick run: reduced sizes, not the full-size result"

#: rcParams of the book.
BOOK_STYLE = {
    "figure.dpi": 110,
    "savefig.dpi": 130,
    "savefig.bbox": "tight",
    "font.size": 10,
    "axes.titlesize": 11,
    "axes.labelsize": 10,
    "legend.fontsize": 9,
    "legend.frameon": False,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.alpha": 0.25,
    "lines.linewidth": 1.6,
    "image.cmap": "viridis",
    "axes.prop_cycle": matplotlib.cycler(color=["#1f5fa8", "#d1495b", "#2e933c", "#edae49",
                                                "#6a4c93", "#00798c", "#4d4d4d"]),
}


@contextlib.contextmanager
def book_style():
    """Context manager applying :data:`BOOK_STYLE`."""
    with matplotlib.rc_context(BOOK_STYLE):
        yield


def figure(nrows=1, ncols=1, *, size=(4.2, 3.2), **kwargs):
    """``plt.subplots`` in the book style, ``size`` per panel (inches)."""
    with book_style():
        fig, axes = plt.subplots(nrows, ncols, figsize=(size[0] * ncols, size[1] * nrows),
                                 squeeze=False, **kwargs)
    return fig, (axes[0, 0] if nrows == ncols == 1 else axes.ravel() if nrows == 1 or ncols == 1
                 else axes)


def save_figure(fig, outdir, name, *, chapter, seed=None, paper=None, title=None,
                formats=("png",), quick=None):
    """Save ``fig`` as ``outdir/name.<fmt>`` and record it in ``outdir/figures.json``.

    Parameters
    ----------
    name : str
        File stem ``figNN_MM_slug`` (NN = chapter, MM = figure number in the chapter).
    chapter : int
    seed : int, optional
        The seed that makes the figure reproducible.
    paper : str, optional
        The paper figure it regenerates, e.g. ``"Toledo-Marin Fig. 1"``.
    title : str, optional
        One-line description for the index.
    quick : bool, optional
        Whether the figure comes from a quick run; default :func:`rbmphys.quick_mode`.  A quick
        figure gets ``(quick run: ...)`` (:data:`QUICK_NOTE`) above its panels, in its PNG title
        and in its index entry, and ``"quick": true`` in the metadata.

    Returns
    -------
    SavedFigure
        The list of the files written (a ``list`` of ``Path``; it shows as one line in a
        notebook).

    Notes
    -----
    In a script the figure is closed once saved; in a Jupyter notebook it stays open, and the
    notebook displays it under the cell.
    """
    if not name.startswith(f"fig{int(chapter):02d}_"):
        raise ValueError(f"figure name {name!r} must start with 'fig{int(chapter):02d}_'")
    out = Path(outdir)
    out.mkdir(parents=True, exist_ok=True)
    quick = quick_mode() if quick is None else bool(quick)
    if quick:
        title = f"{title or name} ({QUICK_NOTE})"
        _mark_quick(fig)
    meta = {"chapter": int(chapter), "seed": seed, "paper": paper, "title": title,
            "quick": quick}
    paths = []
    for fmt in formats:
        p = out / f"{name}.{fmt}"
        kw = {"metadata": {"Title": title or name,
                           "Description": json.dumps(meta)}} if fmt == "png" else {}
        fig.savefig(p, dpi=BOOK_STYLE["savefig.dpi"], bbox_inches="tight", **kw)
        paths.append(p)
    if not in_notebook():
        plt.close(fig)
    paths = SavedFigure(paths)
    index_path = out / "figures.json"
    index = {}
    if index_path.exists():
        try:
            index = json.loads(index_path.read_text())
        except json.JSONDecodeError:
            index = {}
    index[name] = {"files": [p.name for p in paths], **meta}
    tmp = index_path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(index, indent=1, sort_keys=True))
    os.replace(tmp, index_path)
    return paths


class SavedFigure(list):
    """The files :func:`save_figure` wrote: a list of ``Path`` that reads as one line."""

    def __repr__(self):
        return "saved " + ", ".join(str(p) for p in self)

    def _repr_pretty_(self, p, cycle):
        p.text(repr(self))


def _mark_quick(fig):
    """Write ``(quick run: ...)`` above the panels of ``fig`` (once), above its suptitle if it
    has one."""
    note = f"({QUICK_NOTE})"
    st = getattr(fig, "_suptitle", None)
    if st is not None and st.get_text():
        if note not in st.get_text():
            st.set_text(f"{st.get_text()}\n{note}")
            st.set_y(max(st.get_position()[1], 1.0))
            st.set_verticalalignment("bottom")
    elif not any(t.get_text() == note for t in fig.texts):
        fig.text(0.5, 1.0, note, ha="center", va="bottom", fontsize=10, color="0.2",
                 style="italic")


def image_grid(images, shape, ncols=8, ax=None, *, cmap="gray_r", pad=1, vmin=None, vmax=None):
    """Tile ``images`` (n, rows*cols) into one picture (samples, filters, data).

    Returns the ``AxesImage``.
    """
    images = np.asarray(images, dtype=np.float64)
    rows, cols = shape
    n = len(images)
    ncols = max(1, min(ncols, n))
    nrows = -(-n // ncols)
    canvas = np.full((nrows * (rows + pad) + pad, ncols * (cols + pad) + pad), np.nan)
    for k, img in enumerate(images):
        r, c = divmod(k, ncols)
        canvas[pad + r * (rows + pad):pad + r * (rows + pad) + rows,
               pad + c * (cols + pad):pad + c * (cols + pad) + cols] = img.reshape(rows, cols)
    if ax is None:
        _, ax = figure()
    im = ax.imshow(canvas, cmap=cmap, vmin=vmin, vmax=vmax, interpolation="nearest")
    ax.set_xticks([])
    ax.set_yticks([])
    ax.grid(False)
    for spine in ax.spines.values():
        spine.set_visible(False)
    return im


def value_key(ax, values=(-1, 1), labels=None, *, cmap=SPIN_CMAP, title="unit value",
              loc="upper left", bbox=(1.02, 1.0)):
    """A legend that says which colour is which unit value (a colour key for ±1 or {0,1}
    images drawn with :func:`image_grid`)."""
    from matplotlib.patches import Patch
    cm = plt.get_cmap(cmap)
    lo, hi = min(values), max(values)
    labels = labels or [f"{v:+g}" if lo < 0 else f"{v:g}" for v in values]
    handles = [Patch(facecolor=cm((v - lo) / (hi - lo) if hi > lo else 0.5), edgecolor="k",
                     label=lab) for v, lab in zip(values, labels)]
    return ax.legend(handles=handles, title=title, loc=loc, bbox_to_anchor=bbox,
                     frameon=False)


def energy_landscape(ax, energies, labels=None, *, highlight=None, ylabel="energy",
                     highlight_label="ground states"):
    """Level diagram: one horizontal tick per state at its energy; ``highlight`` marks indices
    (drawn thicker, in the second colour, with ``highlight_label`` in the legend)."""
    e = np.asarray(energies, dtype=np.float64)
    x = np.arange(len(e))
    arts = [ax.hlines(e, x - 0.4, x + 0.4, color="C0")]
    if highlight is not None:
        h = np.asarray(highlight)
        arts.append(ax.hlines(e[h], h - 0.45, h + 0.45, color="C1", lw=4,
                              label=highlight_label))
    if labels is not None:
        ax.set_xticks(x)
        ax.set_xticklabels(labels, rotation=90, fontsize=6)
    ax.set_xlabel("state")
    ax.set_ylabel(ylabel)
    return arts


def histogram_vs_exact(ax, counts, probs, labels=None, *, width=0.4):
    """Empirical frequencies (with binomial error bars √(np(1−p))/n) beside exact probabilities."""
    counts = np.asarray(counts, dtype=np.float64)
    probs = np.asarray(probs, dtype=np.float64)
    n = counts.sum()
    x = np.arange(len(probs))
    err = np.sqrt(n * probs * (1 - probs)) / n
    b1 = ax.bar(x - width / 2, probs, width, label="exact p(v)", color="C0")
    b2 = ax.bar(x + width / 2, counts / n, width, yerr=err, label=f"sampled (n={int(n)})",
                color="C1", error_kw={"lw": 0.8})
    if labels is not None:
        ax.set_xticks(x)
        ax.set_xticklabels(labels, rotation=90, fontsize=6)
    ax.set_xlabel("visible state")
    ax.set_ylabel("probability")
    ax.legend()
    return b1, b2


def curves(ax, x, ys, bands=None, *, xlabel=None, ylabel=None, styles=None):
    """Plot named curves ``ys = {label: y}`` and shaded ``bands = {label: (lower, upper)}``."""
    arts = []
    for k, (label, (lo, hi)) in enumerate((bands or {}).items()):
        arts.append(ax.fill_between(x, lo, hi, alpha=0.25, label=label,
                                    color=(styles or {}).get(label, {}).get("color")))
    for label, y in ys.items():
        arts.extend(ax.plot(x, y, label=label, **(styles or {}).get(label, {})))
    if xlabel:
        ax.set_xlabel(xlabel)
    if ylabel:
        ax.set_ylabel(ylabel)
    ax.legend()
    return arts


def eigenvalue_flow(ax, run, mu2=None, *, title=None, kappa=None, x="t"):
    r"""The RBM eigenvalues of a scalar-field PCD run flowing to their targets.

    The eigenvalues :math:`\lambda_\alpha` of the precision
    :math:`K = \mu^2 - \sigma_h^2 WW^T` are drawn against learning time (adjacent eigenvalues
    coloured alternately, as in Aarts et al. Figs. 3-12), the target spectrum
    :math:`\kappa_\alpha` dashed and the visible mass :math:`\mu^2` full: the flow ends at
    :math:`\lambda_\alpha = \min(\kappa_\alpha, \mu^2)` (their Eq. (81)). Introduced in
    Chapter 4, used again in Chapter 5.

    Parameters
    ----------
    ax : matplotlib Axes
        The panel to draw on.
    run : dict
        A run of :func:`rbmphys.experiments.aarts.pcd_run`: ``eigenvalues`` (records,
        modes), ``epochs``, ``t`` and ``kappa``.
    mu2 : float, optional
        Draw the visible mass μ² as a full line.
    title : str, optional
        Panel title.
    kappa : array_like, optional
        Target eigenvalues to draw dashed (degenerate ones once); ``run["kappa"]`` if None.
    x : {"t", "epochs"}
        Abscissa: learning time :math:`t = \sum_n\eta_n` or the number of updates.

    Returns
    -------
    list of Line2D
        The eigenvalue curves.
    """
    xs = run["t"] if x == "t" else run["epochs"]
    lines = []
    for i in range(run["eigenvalues"].shape[1]):
        lines.extend(ax.plot(xs, run["eigenvalues"][:, i], lw=0.8, color=f"C{i % 2}"))
    for k in np.unique(np.round(run["kappa"] if kappa is None else kappa, 6)):
        ax.axhline(k, color="k", ls="--", lw=0.5)
    if mu2 is not None:
        ax.axhline(mu2, color="k", lw=1.0)
    ax.set_xlabel(r"learning time $t = \sum_n\eta_n$" if x == "t"
                  else "epoch (one PCD update)")
    ax.set_ylabel(r"RBM eigenvalues $\lambda_\alpha$")
    if title:
        ax.set_title(title)
    return lines


def singular_value_flow(ax, epochs, sigma, *, n_modes=6, log=False, cmap=None, labelled=None,
                        threshold=4.0):
    r"""The leading singular values of W during training, with the threshold σ = 4.

    Trained on data, the leading singular values :math:`\sigma_\alpha` leave the
    Marchenko–Pastur bulk of the random initialisation one after the other (Toledo-Marin et al.
    Figs. 3f, 8) and pass :math:`\sigma = 4`, where the Gaussian relaxation of Z diverges
    (Chapter 6) and the mode's free energy turns from one minimum into two (the pitchfork
    :math:`\sigma_c = 4` of Chapter 8). Introduced in Chapter 6, used again in Chapter 8.

    Parameters
    ----------
    ax : matplotlib Axes
        The panel to draw on.
    epochs : array_like (E,)
        Recorded epochs.
    sigma : array_like (E, K)
        Singular values at those epochs, descending in each row.
    n_modes : int
        Number of leading modes drawn.
    log : bool
        Logarithmic ordinate.
    cmap : str or Colormap, optional
        Colour the modes along this map (mode 1 at its start); the colour cycle if None.
    labelled : sequence of int, optional
        Indices of the modes named in the legend; all drawn modes if None.
    threshold : float, optional
        Draw this value dotted (None: no line).

    Returns
    -------
    list of Line2D
        The curves of the modes.
    """
    sigma = np.asarray(sigma)
    cm = plt.get_cmap(cmap) if cmap is not None else None
    shown = range(n_modes) if labelled is None else set(labelled)
    lines = []
    for i in range(n_modes):
        kw = {"label": rf"$\sigma_{{{i + 1}}}$" if i in shown else None}
        if cm is not None:
            kw["color"] = cm(i / max(n_modes - 1, 1))
        lines.extend(ax.plot(epochs, sigma[:, i], **kw))
    if log:
        ax.set_yscale("log")
    if threshold is not None:
        ax.axhline(threshold, color="k", ls=":", lw=1, label=rf"$\sigma = {threshold:g}$")
    ax.set_xlabel("epoch")
    ax.set_ylabel("singular value")
    return lines


def density_vs_law(ax, samples, x, pdf, *, bins=40, color=None, law_color=None, alpha=0.5,
                   label=None, law_label=None, lw=1.2):
    r"""A normalised histogram of samples with the density it should follow drawn over it.

    Used for the singular values of random weight matrices against the Marchenko–Pastur law
    (Toledo-Marin et al. Eq. (20), Fig. 3) and for the reciprocal variables
    :math:`x_\alpha = u_\alpha\cdot v` of uniform binary states against their central-limit
    Gaussian :math:`\mathcal N(\tfrac12\sum_i U_{i\alpha}, \tfrac14)` (their Eq. (51), Fig. 5).
    Introduced in Chapter 6.

    Parameters
    ----------
    ax : matplotlib Axes
        The panel to draw on.
    samples : array_like
        The sampled values.
    x : array_like
        Abscissae at which the density is drawn.
    pdf : array_like
        The density at ``x``.
    bins : int or array_like
        Histogram bins.
    color : color, optional
        Colour of the histogram (the colour cycle's if None).
    law_color : color, optional
        Colour of the density curve; ``color`` if None.
    alpha : float
        Opacity of the histogram.
    label, law_label : str, optional
        Legend entries of the histogram and of the curve.
    lw : float
        Line width of the curve.

    Returns
    -------
    patches : list
        The histogram's bars.
    line : Line2D
        The density curve.
    """
    _, _, patches = ax.hist(np.ravel(samples), bins=bins, density=True, alpha=alpha,
                            color=color, label=label)
    line, = ax.plot(x, pdf, color=law_color if law_color is not None else color, lw=lw,
                    label=law_label)
    return patches, line
