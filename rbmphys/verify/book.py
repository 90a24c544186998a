"""The book's table of contents and the paper figure map (``rbmphys list [--figures]``).

The table of contents is a promise (DESIGN.md): every chapter ships.  A chapter counts as
*written* when its script ``chapters/chNN_slug.py`` exists; a paper figure counts as
*regenerated* when the chapter figure that redraws it belongs to a written chapter.
"""

from __future__ import annotations

import dataclasses
import importlib.util
from pathlib import Path

__all__ = ["CHAPTERS", "PAPER_FIGURES", "book_root", "chapter_path", "load_chapter",
           "chapter_status", "figure_status", "exercises"]


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


_TM, _AA, _PK = "Toledo-Marin", "Aarts et al.", "Pozas-Kerstjens"

PAPER_FIGURES = [
    PaperFigure(_TM, "1", "log-likelihood (AIS / reverse AIS) vs epochs for several hidden sizes",
                (2, 6), "fig02_06_ll_vs_epochs",
                "reduced: 5k MNIST subset (4000 train / 1000 test), H ∈ {50, 200, 500}, "
                "20 epochs (paper: 60k images, H up to 3000)"),
    PaperFigure(_TM, "2", "energy contours in a (x, y) mode plane, data, Gibbs samples, saddle",
                (6,)),
    PaperFigure(_TM, "3", "singular-value densities of random RBMs vs MP; kurtosis vs size", (6,)),
    PaperFigure(_TM, "4", "Jensen–Shannon divergence rotated vs non-rotated; weight PDFs", (8,)),
    PaperFigure(_TM, "5", "PDFs of reciprocal variables, trained / untrained", (6, 7)),
    PaperFigure(_TM, "6", "Gibbs samples after rotations in the SVD basis", (8,)),
    PaperFigure(_TM, "7", "reciprocal variables vs epochs, saddle points, constraint minima",
                (7, 8)),
    PaperFigure(_TM, "8", "reciprocal variables vs epochs (continued)", (7, 8)),
    PaperFigure(_AA, "1", "bipartite graph", (3,)),
    PaperFigure(_AA, "2", "2×2 learning: singular values, angles, eigenvalues vs time", (4,)),
    *[PaperFigure(_AA, str(n), c, (4, 5)) for n, c in [
        (3, "1D field, Cholesky initialisation"), (4, "1D field, symmetric initialisation"),
        (5, "1D field, random initialisation"), (6, "1D field, infrared modes learnt first"),
        (7, "1D field, learnable μ²")]],
    PaperFigure(_AA, "8", "2D 4×4 kernel", (3, 5)),
    PaperFigure(_AA, "9", "2D eigenvalue flow, fixed vs decaying learning rate", (3, 5)),
    *[PaperFigure(_AA, str(n), c, (5,)) for n, c in [
        (10, "regularisation by μ² (1D)"), (11, "regularisation by N_h (1D)"),
        (12, "regularisation, 2D"), (13, "MNIST correlation spectrum"),
        (14, "MNIST eigenvalue flow, fixed μ²"), (15, "MNIST eigenvalue flow, learnable μ²"),
        (16, "MNIST regeneration vs N_h"), (17, "MNIST KL vs N_h"),
        (18, "learning-rate decay"), (19, "trainable μ² with decay")]],
    PaperFigure(_PK, "1", "Gibbs accessibility of untrained models vs weight scale and V", (9,)),
    PaperFigure(_PK, "2", "Bars 4×4: ground-state accessibility during training", (9,)),
    PaperFigure(_PK, "3", "Bars 4×4: Hamming distance train/test", (9,)),
    PaperFigure(_PK, "4", "Bars 4×4: SVD of trained weights", (9,)),
    PaperFigure(_PK, "5", "BAS 12×12 Hamming distance and samples", (9,)),
    PaperFigure(_PK, "6", "MNIST: AIS negative log-likelihood train/test", (9,)),
    PaperFigure(_PK, "7", "MNIST: learnt patterns", (9,)),
    PaperFigure(_PK, "C.1", "corrupted Bars images used for reconstruction", (9,)),
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


def load_chapter(number: int):
    """Import chapter ``number``'s script as a module (it must define ``main(outdir, quick)``)."""
    path = chapter_path(number)
    if path is None:
        raise ValueError(f"chapter {number} is planned but not written yet")
    spec = importlib.util.spec_from_file_location(f"rbmphys_chapter_{number:02d}", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    if not hasattr(mod, "main"):
        raise ValueError(f"{path.name} has no main(outdir, quick)")
    return mod


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
    """'regenerated' when the chapter figure exists in a written chapter, else 'planned'."""
    if fig.chapter_figure:
        ch = int(fig.chapter_figure[3:5])
        if chapter_status(ch) == "written":
            return "regenerated"
    return "planned"
