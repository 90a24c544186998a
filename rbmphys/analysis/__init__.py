"""Analysis: statistics with error bars, Ising-model views, spectra."""
