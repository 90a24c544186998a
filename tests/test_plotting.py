"""Plotting: saved files and their index; matplotlib and sympy stay out of `import rbmphys`."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest


def test_import_rbmphys_loads_neither_matplotlib_nor_sympy():
    code = ("import rbmphys, sys; "
            "assert 'matplotlib' not in sys.modules, 'matplotlib imported'; "
            "assert 'sympy' not in sys.modules, 'sympy imported'")
    subprocess.run([sys.executable, "-c", code], check=True)


def test_save_figure_writes_files_and_index(tmp_path):
    from rbmphys import plotting as pl
    fig, ax = pl.figure()
    ax.plot([0, 1], [1, 0])
    paths = pl.save_figure(fig, tmp_path, "fig02_01_test", chapter=2, seed=7,
                           paper="Toledo-Marin Fig. 1", title="a test")
    assert paths[0].exists() and paths[0].stat().st_size > 1000
    index = json.loads((tmp_path / "figures.json").read_text())
    assert index["fig02_01_test"] == {"files": ["fig02_01_test.png"], "chapter": 2, "seed": 7,
                                      "paper": "Toledo-Marin Fig. 1", "title": "a test",
                                      "quick": False}
    fig, _ = pl.figure()
    pl.save_figure(fig, tmp_path, "fig02_02_other", chapter=2)
    assert set(json.loads((tmp_path / "figures.json").read_text())) == {"fig02_01_test",
                                                                         "fig02_02_other"}
    fig, _ = pl.figure()
    with pytest.raises(ValueError, match="must start with 'fig03_'"):
        pl.save_figure(fig, tmp_path, "fig02_03_x", chapter=3)


def test_helpers_draw():
    from rbmphys import plotting as pl
    fig, axes = pl.figure(1, 4)
    im = pl.image_grid(np.random.default_rng(0).random((10, 16)), (4, 4), ncols=5, ax=axes[0])
    assert im.get_array().shape == (2 * 5 + 1, 5 * 5 + 1)
    assert len(pl.energy_landscape(axes[1], [0.0, 1.0, -2.0], highlight=[2])) == 2
    b1, b2 = pl.histogram_vs_exact(axes[2], [10, 30, 60], [0.1, 0.3, 0.6])
    assert len(b1) == len(b2) == 3
    arts = pl.curves(axes[3], np.arange(3), {"a": [1, 2, 3]}, bands={"b": ([0, 1, 2], [1, 2, 3])})
    assert len(arts) == 2
    pl.plt.close(fig)


def test_helpers_shared_by_chapters_draw():
    """eigenvalue_flow (Chapters 4, 5), singular_value_flow (6, 8), density_vs_law (6)."""
    from rbmphys import plotting as pl
    g = np.random.default_rng(0)
    fig, axes = pl.figure(1, 3)
    run = {"eigenvalues": np.sort(g.random((5, 4)), axis=1), "epochs": np.arange(5),
           "t": 0.1 * np.arange(5), "kappa": np.array([1.0, 2.0, 2.0, 3.0])}
    assert len(pl.eigenvalue_flow(axes[0], run, 2.5, title="x", x="epochs")) == 4
    assert axes[0].get_xlabel().startswith("epoch")
    # kappa dashed once per distinct value, mu2 full
    assert len(axes[0].get_lines()) == 4 + 3 + 1
    sigma = -np.sort(-g.random((5, 8)), axis=1)
    lines = pl.singular_value_flow(axes[1], np.arange(5), sigma, n_modes=3, log=True,
                                   cmap="viridis", labelled=(0,))
    assert len(lines) == 3 and axes[1].get_yscale() == "log"
    assert [ln.get_label().startswith("_") for ln in lines] == [False, True, True]
    x = np.linspace(-3, 3, 50)
    patches, line = pl.density_vs_law(axes[2], g.normal(size=500), x, np.exp(-x**2 / 2),
                                      bins=20, law_color="k")
    assert len(patches) == 20 and line.get_color() == "k"
    pl.plt.close(fig)
