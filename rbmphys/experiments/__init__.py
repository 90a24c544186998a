"""The book's experiments: seeded runs that a chapter's figures and its ledger claims share.

Each function runs one seeded experiment, built on the library's public names, and returns
plain arrays; expensive ones are cached on disk (:mod:`rbmphys.experiments.cache`), so a
chapter that checks a claim and then draws its figure does the work once.

Layering: the experiments sit above the library (``models`` … ``analysis``, ``theory``) and
below the ledger: :mod:`rbmphys.verify` imports them, never the reverse, and the chapters call
them by their public names.

==========  ==========================================================  ========
module      what it runs                                                chapters
==========  ==========================================================  ========
``ch02``    Gibbs histograms, mode mixing, AIS and gradient estimators  2
``aarts``   the scalar-field RBM: PCD against the learning ODE          4, 5
``toledo``  reciprocal-space spectra, learning times, MNIST runs        6, 7, 8
``rapid``   RAPID against PCD: bars, BAS, accessibility                 9
``paper``   the papers' sizes: resumable runs, results shipped as data  2, 5, 9
==========  ==========================================================  ========
"""
