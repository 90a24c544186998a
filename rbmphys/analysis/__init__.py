"""Analysis: statistics with error bars (:mod:`.stats`), Ising-model views (:mod:`.ising`)."""

from .stats import chi2_test, fisher_combine, integrated_autocorr_time, mean_with_sem

__all__ = ["chi2_test", "fisher_combine", "integrated_autocorr_time", "mean_with_sem"]
