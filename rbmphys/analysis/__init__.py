"""Analysis: statistics with error bars (:mod:`.stats`, re-exported here).

The Ising-model views (:mod:`.ising`) and the shared learning experiments (:mod:`.learning`)
are submodules imported on demand (``from rbmphys.analysis import ising``), not here.
"""

from .stats import chi2_test, fisher_combine, integrated_autocorr_time, mean_with_sem

__all__ = ["chi2_test", "fisher_combine", "integrated_autocorr_time", "mean_with_sem"]
