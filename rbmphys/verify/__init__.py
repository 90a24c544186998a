"""The book's ledger: every analytic claim, measured (``rbmphys verify``), the table of contents
and the paper figure map (``rbmphys list``)."""

from ._registry import (Claim, ClaimResult, Measurement, check, claim, get_claim, load_all,
                        registry, run_claims, t_bound, CLAIM_MODULES)
from .book import CHAPTERS, PAPER_FIGURES, chapter_status, figure_status

__all__ = ["Claim", "ClaimResult", "Measurement", "check", "claim", "get_claim", "load_all",
           "registry", "run_claims", "t_bound", "CLAIM_MODULES", "CHAPTERS", "PAPER_FIGURES",
           "chapter_status", "figure_status"]
