"""Quick mode means the same from the command line, the environment and a chapter runner; a
quick figure says so (title, PNG metadata, index); in a notebook figures display inline."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from rbmphys._runmode import QUICK_ENV, quick_mode, quick_override

ROOT = Path(__file__).resolve().parents[1]


def test_quick_mode_sources(monkeypatch):
    monkeypatch.setattr(sys, "argv", ["chapter.py"])
    monkeypatch.delenv(QUICK_ENV, raising=False)
    assert quick_mode() is False
    monkeypatch.setenv(QUICK_ENV, "1")
    assert quick_mode() is True
    monkeypatch.setenv(QUICK_ENV, "0")
    assert quick_mode() is False
    monkeypatch.setattr(sys, "argv", ["chapter.py", "--quick"])
    assert quick_mode() is True                    # the command line wins over RBMPHYS_QUICK=0
    with quick_override(False):                    # and the runner wins over both
        assert quick_mode() is False
    monkeypatch.setenv(QUICK_ENV, "maybe")
    monkeypatch.setattr(sys, "argv", ["chapter.py"])
    with pytest.raises(ValueError, match="RBMPHYS_QUICK"):
        quick_mode()


def test_every_chapter_reads_quick_mode_from_the_library():
    for path in sorted((ROOT / "chapters").glob("ch*_*.py")):
        text = path.read_text()
        assert "QUICK = rbmphys.quick_mode()" in text, path.name
        assert "sys.argv" not in text, path.name


def test_quick_figure_says_so(tmp_path):
    from PIL import Image

    from rbmphys import plotting as pl
    fig, ax = pl.figure()
    ax.plot([0, 1], [1, 0])
    ax.set_title("panel")
    with quick_override(True):
        pl.save_figure(fig, tmp_path, "fig02_01_q", chapter=2, seed=1, title="a test")
    entry = json.loads((tmp_path / "figures.json").read_text())["fig02_01_q"]
    assert entry["quick"] is True and entry["title"] == f"a test ({pl.QUICK_NOTE})"
    info = Image.open(tmp_path / "fig02_01_q.png").info
    assert json.loads(info["Description"])["quick"] is True
    assert pl.QUICK_NOTE in info["Title"]
    assert [t.get_text() for t in fig.texts] == [f"({pl.QUICK_NOTE})"]
    fig2, ax2 = pl.figure(1, 2)
    fig2.suptitle("two panels")
    pl.save_figure(fig2, tmp_path, "fig02_02_q", chapter=2, quick=True)
    assert fig2._suptitle.get_text() == f"two panels\n({pl.QUICK_NOTE})"
    fig3, _ = pl.figure()
    pl.save_figure(fig3, tmp_path, "fig02_03_full", chapter=2, quick=False)
    entry = json.loads((tmp_path / "figures.json").read_text())["fig02_03_full"]
    assert entry["quick"] is False and fig3.texts == []


def test_run_cells_sets_quick_for_the_figures(tmp_path):
    """A chapter runner's quick flag reaches save_figure (no --quick in argv needed)."""
    script = tmp_path / "ch02_demo.py"
    script.write_text('# %% tags=["parameters"]\nimport rbmphys\n\n'
                      'QUICK = rbmphys.quick_mode()\nOUTDIR = "x"\n\n'
                      '# %%\nfrom rbmphys import plotting as pl\nfig, ax = pl.figure()\n'
                      'pl.save_figure(fig, OUTDIR, "fig02_01_demo", chapter=2)\n')
    from rbmphys.verify.book import run_cells
    ns = run_cells(script, outdir=tmp_path / "out", quick=True)
    assert ns["QUICK"] is True
    entry = json.loads((tmp_path / "out" / "figures.json").read_text())["fig02_01_demo"]
    assert entry["quick"] is True


def test_notebook_shows_figures_inline(tmp_path):
    """Executed in a Jupyter kernel, a saved figure appears as an image output of its cell and
    the file is still written; RBMPHYS_QUICK=1 selects quick mode there."""
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    pytest.importorskip("ipykernel")
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(
        "import rbmphys\nfrom rbmphys import plotting as pl\nQUICK = rbmphys.quick_mode()\n"
        "fig, ax = pl.figure()\nax.plot([0, 1], [0, 1])\n"
        "pl.save_figure(fig, 'figs', 'fig01_01_inline', chapter=1)\nprint('QUICK', QUICK)")]
    env_before = os.environ.get(QUICK_ENV)
    os.environ[QUICK_ENV] = "1"
    try:
        nbclient.NotebookClient(nb, timeout=300, kernel_name="python3",
                                resources={"metadata": {"path": str(tmp_path)}}).execute()
    finally:
        if env_before is None:
            os.environ.pop(QUICK_ENV)
        else:
            os.environ[QUICK_ENV] = env_before
    outs = nb.cells[0].outputs
    assert any("image/png" in o.get("data", {}) for o in outs), outs
    assert any("QUICK True" in o.get("text", "") for o in outs), outs
    assert (tmp_path / "figs" / "fig01_01_inline.png").stat().st_size > 1000
    entry = json.loads((tmp_path / "figs" / "figures.json").read_text())["fig01_01_inline"]
    assert entry["quick"] is True


def test_script_run_is_quick_from_argv(tmp_path):
    """``python chapter.py --quick`` (no runner) reads the flag from the command line."""
    code = ("import rbmphys, sys; print(rbmphys.quick_mode())")
    out = subprocess.run([sys.executable, "-c", code, "--quick"], capture_output=True,
                         text=True, check=True, env={**os.environ, QUICK_ENV: "0"}).stdout
    assert out.strip() == "True"


def test_progress_lines_when_not_a_terminal(monkeypatch, capsys):
    """In a log (not a TTY, not Jupyter) a long training prints a progress line now and then,
    and a closing line; RBMPHYS_PROGRESS=0 silences it."""
    import numpy as np

    import rbmphys as rp
    monkeypatch.setenv("RBMPHYS_PROGRESS_EVERY", "1e-9")    # every epoch counts as "a while"
    data = (np.random.default_rng(0).random((20, 6)) < 0.5).astype(np.float64)
    model = rp.BernoulliRBM.random(6, 3, rng=1)
    rp.train(model, data, rp.CD(1), epochs=3, batch_size=10, rng=2)
    err = capsys.readouterr().err.splitlines()
    assert [ln.split(",")[0] for ln in err] == ["CD: 1/3 epoch (33%)", "CD: 2/3 epoch (67%)",
                                                 "CD: 3/3 epoch (100%)", "CD: 3/3 epoch (100%)"]
    assert err[-1].endswith("done")
    monkeypatch.setenv("RBMPHYS_PROGRESS", "0")
    rp.train(model, data, rp.CD(1), epochs=2, batch_size=10, rng=3)
    assert capsys.readouterr().err == ""
