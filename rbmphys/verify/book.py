"""The book's table of contents and the paper figure map (``rbmphys list [--figures]``).

The table of contents is a promise: every chapter ships.  A chapter counts as
*written* when its script ``chapters/chNN_slug.py`` exists; a paper figure counts as
*regenerated* when the chapter figure that redraws it belongs to a written chapter and shows the
paper's qualitative conclusion at our scale, *reduced* when it is drawn but something differs
(what, in ``PaperFigure.differs``).
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from ..experiments import rapid as _RX      # Chapter 9's sizes, quoted in the figure notes

__all__ = ["CHAPTERS", "PAPER_FIGURES", "book_root", "chapter_path", "load_chapter",
           "chapter_status", "figure_status", "figure_detail", "exercises", "cells", "run_cells",
           "ChapterLedger", "ChapterScript"]


@dataclasses.dataclass(frozen=True)
class Chapter:
    number: int
    slug: str
    title: str
    content: str


CHAPTERS = [
    Chapter(1, "ising", "Boltzmann machines are Ising models",
            "energy, {0,1} and ±1 units and the gauge map, F(v), conditionals, exact Z; Mattis "
            "ground states; Hopfield couplings J = WWᵀ"),
    Chapter(2, "sampling", "Sampling and learning",
            "block Gibbs vs exact p(v) (χ²), parallel tempering, exact gradient, CD/PCD/Rdm-k, "
            "Bars training curves, AIS and reverse AIS, MNIST"),
    Chapter(3, "gaussian_fields", "Gaussian fields on a bipartite graph",
            "scalar-field RBM, K = μ²1 − σ_h²WWᵀ, lattice free fields 1D/2D"),
    Chapter(4, "learning_dynamics", "Learning dynamics in closed form",
            "sympy-derived learning ODEs, the 2×2 system, fixed points and rates"),
    Chapter(5, "uv_regulator", "The RBM as an ultraviolet regulator",
            "mode flow, mass and N_h as UV cutoffs, MNIST spectrum, ln cosh interactions"),
    Chapter(6, "reciprocal_space", "Reciprocal space",
            "SVD modes, saddle points, Gaussian relaxation of Z, Marchenko–Pastur, kurtosis"),
    Chapter(7, "fokker_planck", "Fokker–Planck and coupled bosons",
            "Langevin dynamics, Schrödinger form, harmonic-oscillator relaxation spectrum"),
    Chapter(8, "symmetry_breaking", "Hierarchical learning and symmetry breaking",
            "mode ordering, rotational symmetry and its breaking, Landau expansion"),
    Chapter(9, "rapid", "Spin-glass control: RAPID",
            "pattern weights, pattern-induced negative phase, ground-state accessibility, "
            "Bars, BAS 12×12, MNIST"),
]


@dataclasses.dataclass(frozen=True)
class PaperFigure:
    paper: str
    figure: str
    content: str
    chapters: tuple
    chapter_figure: str = ""   # file stem of the chapter figure that regenerates it
    scale: str = "paper scale"
    #: what differs from the paper's qualitative conclusion or method at our scale; non-empty
    #: makes the status "reduced" instead of "regenerated"
    differs: str = ""
    #: the paper-scale run (:mod:`rbmphys.experiments.paper`) whose measured verdict, when its
    #: results exist, decides the status instead of ``differs``
    paper_run: str = ""


_TM, _AA, _PK = "Toledo-Marin", "Aarts et al.", "Pozas-Kerstjens"

PAPER_FIGURES = [
    PaperFigure(_TM, "1", "log-likelihood (AIS / reverse AIS) vs epochs for several hidden sizes",
                (2, 6), "fig02_06_ll_vs_epochs",
                "reduced-scale analogue: the paper's H ∈ {500, 784, 1200, 3000}, AIS and "
                "reverse AIS, mean and spread over 2 replicas, but the shipped 5k MNIST subset "
                "(4000 train) and 20 epochs at lr 0.01 (paper: 60k images, longer training) so "
                "that the full run fits in ~15 min on 2 cores; the ordering by H of the paper "
                "does not appear at this scale (not overfitting: the paper-scale run measures "
                "train and test within 3 nats; H = 3000 trains erratically)",
                differs="the paper's ordering of the log-likelihood in H is not reproduced on the 4000-image subset (H = 3000 trails H = 500 and 1000 after 20 and after 60 epochs, with train and test within 3 nats)",
                paper_run="toledo_ll"),
    PaperFigure(_TM, "2", "energy contours in a (x, y) mode plane, data, Gibbs samples, saddle",
                (6,), "fig06_01_mode_planes",
                "modes 1, 2 and 6 (the paper: 1, 2, 3, 498) of an RBM trained on the MNIST "
                "subset (full run: H = 500, 40 epochs; --quick: H = 100, 20 epochs)"),
    PaperFigure(_TM, "3", "singular-value densities of random RBMs vs MP; kurtosis vs size",
                (6,), "fig06_02_mp_spectra",
                "panels a-d here; e in fig06_03_kurtosis (exact 3 − 2ΣV⁴ and samples), f in "
                "fig06_05_trained_spectra (MNIST subset, one replica, PCD-1 only)"),
    PaperFigure(_TM, "4", "Jensen–Shannon divergence rotated vs non-rotated; weight PDFs", (8,),
                "fig08_01_js_divergence",
                "one hidden size and rotations U → RU (the authors' U → RURᵀ on LAPACK's U is "
                "not a Haar rotation, Chapter 8); MNIST subset"),
    PaperFigure(_TM, "5", "PDFs of reciprocal variables, trained / untrained", (6,),
                "fig06_06_reciprocal_pdfs"),
    PaperFigure(_TM, "6", "Gibbs samples after rotations in the SVD basis", (8,),
                "fig08_03_rotated_samples",
                "rotations of all but 2 and all but 5 modes (the paper's second row is 10 "
                "consecutive rotations)"),
    PaperFigure(_TM, "7", "reciprocal variables vs epochs, saddle points, constraint minima",
                (7,), "fig07_03_reciprocal_vs_epochs",
                "leading mode, training images instead of test images; MNIST subset"),
    PaperFigure(_TM, "8", "reciprocal variables vs epochs (continued)", (8,),
                "fig08_02_hierarchical",
                "shown as the singular values of the leading modes vs epochs and the epoch "
                "each leaves the random bulk, for one hidden size"),
    PaperFigure(_AA, "1", "bipartite graph", (3,), "fig03_01_bipartite"),
    PaperFigure(_AA, "2", "2×2 learning: singular values, angles, eigenvalues vs time", (4,),
                "fig04_01_two_by_two"),
    PaperFigure(_AA, "3", "1D field, Cholesky initialisation", (4,),
                "fig04_03_cholesky_start"),
    PaperFigure(_AA, "4", "1D field, symmetric initialisation", (4,),
                "fig04_04_symmetric_start"),
    PaperFigure(_AA, "5", "1D field, random initialisation", (4,), "fig04_05_random_start"),
    PaperFigure(_AA, "6", "1D field, infrared modes learnt first", (5,), "fig05_01_ir_first"),
    PaperFigure(_AA, "7", "1D field, learnable μ²", (5,), "fig05_04_learnable_mu2",
                "the learning ODE (26)-(27) instead of PCD: μ² needs t ~ 10⁴ (4·10⁵ PCD "
                "updates at the paper's rate); PCD with learnable μ² is in fig05_07",
                differs="the paper's curves are PCD training; these are the learning ODE (26)-(27), "
                        "which reaches the time μ² needs"),
    PaperFigure(_AA, "8", "2D 4×4 kernel", (3,), "fig03_03_lattice_kernel"),
    PaperFigure(_AA, "9", "2D eigenvalue flow, fixed vs decaying learning rate", (5,),
                "fig05_05_2d_flow", paper_run="scalar_2d"),
    PaperFigure(_AA, "10", "regularisation by μ² (1D)", (5,), "fig05_02_reg_1d"),
    PaperFigure(_AA, "11", "regularisation by N_h (1D)", (5,), "fig05_03_reg_nh",
                "the four hidden sizes by the learning ODE; one of them (N_h = 6) by PCD in "
                "fig05_02"),
    PaperFigure(_AA, "12", "regularisation, 2D", (5,), "fig05_06_reg_2d", paper_run="scalar_2d"),
    PaperFigure(_AA, "13", "MNIST correlation spectrum", (5,), "fig05_08_mnist_spectrum",
                "the shipped 5 000-image subset (paper: 60 000 images): 246 modes above "
                "1/μ² = 0.01 instead of 289"),
    PaperFigure(_AA, "14", "MNIST eigenvalue flow, fixed μ²", (5,), "fig05_09_mnist_flow",
                "the decoupled mode flow (80) integrated with a stiff solver instead of PCD: "
                "explicit updates are stable only for η < 1/γ_max ≈ 7e-6 (stiffness 10⁷); "
                "shipped subset",
                differs='a stiff ODE of the decoupled modes instead of PCD training on MNIST (PCD at a stable rate would need ~10⁷ updates)'),
    PaperFigure(_AA, "15", "MNIST eigenvalue flow, learnable μ²", (5,), "fig05_09_mnist_flow",
                "as Fig. 14 (right panel), without learning-rate decay",
                differs='a stiff ODE of the decoupled modes instead of PCD training on MNIST'),
    PaperFigure(_AA, "16", "MNIST regeneration vs N_h", (5,), "fig05_10_mnist_regeneration",
                "couplings at the flow's fixed point (81), (84) computed from the subset's "
                "correlation matrix",
                differs='regenerations from the closed-form fixed point of the flow, not from trained RBMs'),
    PaperFigure(_AA, "17", "MNIST KL vs N_h", (5,), "fig05_11_mnist_kl",
                "as Fig. 16; the cutoff sits at the subset's 246 modes",
                differs='KL of the closed-form fixed point, not of trained RBMs'),
    PaperFigure(_AA, "18", "learning-rate decay", (5,), "fig05_05_2d_flow",
                "shown on the 2D field (with Fig. 9) and, with a learnable μ², in fig05_07; "
                "--quick decays every 32 epochs instead of 128"),
    PaperFigure(_AA, "19", "trainable μ² with decay", (5,), "fig05_07_mu2_decay",
                "--quick decays every 32 epochs instead of 128"),
    PaperFigure(_PK, "1", "Gibbs accessibility of untrained models vs weight scale and V", (9,),
                "fig09_01_accessibility_untrained",
                f"V = {_RX.ACC_FULL['n_visible']}, H = {_RX.ACC_FULL['n_hidden']}, "
                f"{_RX.ACC_FULL['n_instances']} models per point in the full run (the paper: "
                f"V = 20, 100 executions); --quick: V = {_RX.ACC_QUICK['n_visible']}, "
                f"H = {_RX.ACC_QUICK['n_hidden']}, {_RX.ACC_QUICK['n_instances']} models; "
                "inset V = 8…16"),
    PaperFigure(_PK, "2", "Bars 4×4: ground-state accessibility during training", (9,),
                "fig09_02_accessibility_training",
                f"full run: H = {_RX.FULL['n_hidden']}, {_RX.FULL['epochs']} epochs, "
                f"{_RX.FULL['n_runs']} runs (exact gradient 10), PCD-10 on "
                f"{_RX.BARS['pcd_chains']} chains (the paper: 2048 chains, 100 runs); --quick: "
                f"H = {_RX.QUICK['n_hidden']}, {_RX.QUICK['epochs']} epochs, "
                f"{_RX.QUICK['n_runs']} runs, no exact gradient"),
    PaperFigure(_PK, "3", "Bars 4×4: Hamming distance train/test", (9,), "fig09_03_hamming",
                "as Fig. 2, plus the test distance against the multiply-adds of App. D"),
    PaperFigure(_PK, "4", "Bars 4×4: SVD of trained weights", (9,), "fig09_04_svd",
                "the runs of Fig. 2"),
    PaperFigure(_PK, "5", "BAS 12×12 Hamming distance and samples", (9,), "fig09_05_bas",
                f"K = {_RX.BAS_FULL['K']}, H = {_RX.BAS_FULL['n_hidden']}, batch 120 and the "
                f"sign projection after every epoch as the paper, but {_RX.BAS_FULL['n_runs']} "
                f"runs of {_RX.BAS_FULL['epochs']} epochs (--quick: {_RX.BAS_QUICK['n_runs']} of "
                f"{_RX.BAS_QUICK['epochs']}) at lr {_RX.BAS_FULL['lr']:g} (the paper: 100 runs)",
                differs='reconstructions reach a normalised Hamming distance of ≈ 0.47 at best (chance 0.50; the paper gets close to 0): test and training fall together (no memorisation), but BAS is barely learnt with the sign projection at our scale',
                paper_run="rapid_bas"),
    PaperFigure(_PK, "6", "MNIST: AIS negative log-likelihood train/test", (9,),
                "fig09_06_mnist_nll",
                f"embedded 5k subset ({_RX.MNIST_FULL['n_train']} train), "
                f"H = {_RX.MNIST_FULL['n_hidden']}, K = {_RX.MNIST_FULL['K']}, "
                f"{_RX.MNIST_FULL['epochs']} epochs (the paper: 60k, H = 3000, K = 190, 25 "
                f"runs); --quick: {_RX.MNIST_QUICK['n_train']} train, "
                f"H = {_RX.MNIST_QUICK['n_hidden']}, K = {_RX.MNIST_QUICK['K']}, "
                f"{_RX.MNIST_QUICK['epochs']} epochs",
                differs='the NLL falls and train and test move together as in the paper, but the AIS estimates have a tiny effective sample size, so the values are not trustworthy',
                paper_run="rapid_mnist"),
    PaperFigure(_PK, "7", "MNIST: learnt patterns", (9,), "fig09_07_mnist_patterns",
                "the model of Fig. 6; samples seeded at one pattern are in fig09_06",
                differs='the learnt patterns are features, not digits, as in the paper; chains seeded at one pattern stay in its valley instead of wandering between digit classes'),
    PaperFigure(_PK, "C.1", "corrupted Bars images used for reconstruction", (9,),
                "fig09_08_corrupted_bars", "the 4 test images of one split, with RAPID's "
                "reconstructions"),
]


def book_root() -> Path | None:
    """Directory that holds ``chapters/`` and ``exercises/``.

    The source checkout (``<repo>/chapters``) wins; otherwise the copy installed inside the
    package (``rbmphys/_book``).
    """
    here = Path(__file__).resolve().parents[2]
    if (here / "chapters").is_dir():
        return here
    installed = Path(__file__).resolve().parents[1] / "_book"
    if (installed / "chapters").is_dir():
        return installed
    return None


def chapter_path(number: int) -> Path | None:
    """Path of ``chapters/chNN_*.py`` or None if the chapter is not written yet."""
    root = book_root()
    if root is None:
        return None
    hits = sorted((root / "chapters").glob(f"ch{number:02d}_*.py"))
    return hits[0] if hits else None


@dataclasses.dataclass
class Cell:
    """One cell of a percent-format chapter script: ``kind`` is "code" or "markdown"."""

    kind: str
    source: str
    tags: tuple = ()
    line: int = 1


def cells(path) -> list:
    """Split a percent-format script (``# %%`` code cells, ``# %% [markdown]`` prose cells, the
    format of jupytext and VS Code) into :class:`Cell` objects, in order."""
    import re
    text = Path(path).read_text()
    out, kind, tags, buf, start = [], None, (), [], 1
    marker = re.compile(r"^# %%(.*)$")
    for n, line in enumerate(text.splitlines(), 1):
        m = marker.match(line)
        if m:
            if kind is not None or any(x.strip() for x in buf):
                out.append(Cell(kind or "code", "\n".join(buf), tags, start))
            rest = m.group(1)
            kind = "markdown" if "[markdown]" in rest else "code"
            tm = re.search(r'tags=\[([^\]]*)\]', rest)
            tags = tuple(t.strip().strip("'\"") for t in tm.group(1).split(",")) if tm else ()
            buf, start = [], n + 1
        else:
            buf.append(line)
    if kind is not None or any(x.strip() for x in buf):
        out.append(Cell(kind or "code", "\n".join(buf), tags, start))
    return out


def run_cells(path, *, outdir, quick, namespace=None):
    """Run a chapter script cell by cell, in order, as a notebook would.

    The cell tagged ``parameters`` sets the defaults (``QUICK``, ``OUTDIR``); the values given
    here replace them right after it runs (the papermill convention).  Every code cell is
    compiled on its own, so a cell that only works inside a function fails here.  Returns the
    namespace the cells ran in.
    """
    from .._runmode import quick_override
    path = Path(path)
    ns = {"__name__": "__main__", "__file__": str(path)} if namespace is None else namespace
    with quick_override(quick):
        for i, c in enumerate(cells(path)):
            if c.kind != "code":
                continue
            code = compile("\n" * (c.line - 1) + c.source, str(path), "exec")
            exec(code, ns)
            if "parameters" in c.tags:
                ns["QUICK"], ns["OUTDIR"] = bool(quick), str(outdir)
    return ns


@dataclasses.dataclass
class ChapterScript:
    """A chapter script; :meth:`main` runs its cells (``rbmphys run`` and the tests call it)."""

    number: int
    path: Path

    def main(self, outdir=None, quick=False):
        """Run every cell in order; returns the ``{claim id: result}`` the chapter checked."""
        outdir = outdir or f"figures/ch{self.number:02d}"
        ns = run_cells(self.path, outdir=outdir, quick=quick)
        ledger = ns.get("ledger")
        return dict(ledger.results) if ledger is not None else {}


def load_chapter(number: int) -> ChapterScript:
    """Chapter ``number``'s script (raises ValueError if it is not written yet)."""
    path = chapter_path(number)
    if path is None:
        raise ValueError(f"chapter {number} is planned but not written yet")
    return ChapterScript(number, path)


class ChapterLedger:
    """What a chapter prints about its claims: each claim's ledger line, then a summary.

    >>> ledger = ChapterLedger(1, quick=True, echo=False)
    >>> r = ledger.check("ch01.gauge_p")
    >>> r.passed, ledger.measured("ch01.gauge_p") < 1e-12
    (True, True)
    """

    def __init__(self, chapter, quick, echo=True):
        self.chapter, self.quick, self.echo = int(chapter), bool(quick), echo
        self.results = {}

    def check(self, claim_id):
        """Run one claim of the registry (the same function ``rbmphys verify`` runs) and print
        its line."""
        from ._registry import check
        r = check(claim_id, quick=self.quick, echo=self.echo)
        self.results[claim_id] = r
        return r

    def measured(self, claim_id):
        """The measured value of a claim checked above."""
        m = self.results[claim_id].measurement
        if m is None:
            raise ValueError(f"{claim_id} did not produce a measurement: "
                             f"{self.results[claim_id].error}")
        return m.measured

    def summary(self):
        """Print and return ``(n_passed, n_checked)``."""
        n = len(self.results)
        k = sum(r.passed for r in self.results.values())
        bad = [c for c, r in self.results.items() if not r.passed]
        if self.echo:
            print(f"Chapter {self.chapter}: {k} of {n} claims checked in this chapter passed"
                  + (f" (failed: {', '.join(bad)})" if bad else ""))
        return k, n


def exercises(number: int | None = None) -> list[Path]:
    """Exercise files ``exercises/exNN_M_slug.py`` (of one chapter, or all)."""
    root = book_root()
    if root is None:
        return []
    pat = "ex*_*.py" if number is None else f"ex{number:02d}_*.py"
    return sorted((root / "exercises").glob(pat))


def chapter_status(number: int) -> str:
    return "written" if chapter_path(number) is not None else "planned"


def figure_status(fig: PaperFigure) -> str:
    """'regenerated' when the chapter figure exists in a written chapter and reproduces the
    paper's qualitative conclusion at our scale; 'reduced' when it exists but something differs;
    else 'planned'.  A figure with a paper-scale run whose results exist takes the run's
    measured verdict ("reproduced" → regenerated); otherwise ``fig.differs`` decides."""
    if fig.chapter_figure:
        ch = int(fig.chapter_figure[3:5])
        if chapter_status(ch) == "written":
            measured = _paper_verdict(fig)
            if measured is not None:
                return "regenerated" if measured[0] == "reproduced" else "reduced"
            return "reduced" if fig.differs else "regenerated"
    return "planned"


def _paper_verdict(fig):
    if not fig.paper_run:
        return None
    from ..experiments import paper
    return paper.verdict(fig.paper_run)


def figure_detail(fig: PaperFigure) -> str:
    """What ``rbmphys list --figures`` prints after the status: the scale, what differs, or the
    verdict and evidence of the figure's paper-scale run."""
    st = figure_status(fig)
    if st == "planned":
        return fig.content
    measured = _paper_verdict(fig)
    if measured is not None:
        from ..experiments import paper
        head = f"paper-scale run {fig.paper_run} ({paper.RUNS[fig.paper_run].scale})"
        if measured[0] == "reproduced":
            return f"{head}: reproduced: {measured[1]}"
        return f"{head}: not reproduced at this scale: {measured[1]}"
    return fig.scale if st == "regenerated" else f"{fig.scale}; differs: {fig.differs}"
