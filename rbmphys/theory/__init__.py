r"""Closed forms and learning ODEs of the scalar-field RBM (Aarts, Lucini, Park), integrated
with scipy.

The right-hand sides come from :mod:`rbmphys.symbolic.gaussian`, where sympy derives them from
the Gaussian log-likelihood; this module integrates them (``scipy.integrate.solve_ivp``) and
evaluates the closed forms of the paper:

* :func:`flow_rhs` — the right-hand side of (26)-(27), the exact gradient (one formula for the
  ODE, the exact gradient and the positive/negative phases of training);
* :func:`gaussian_flow` — the full matrix flow (26)-(27) from a target kernel or a data
  correlation matrix, with the RBM eigenvalues, singular values and μ² along the way;
* :func:`two_by_two_flow` — the 2×2 system (52)-(58) (sympy-derived, incl. the reconstructed
  (55));
* :func:`mode_flow` — decoupled modes (80)-(81);
* :func:`fokker_planck_spectrum`, :func:`schrodinger_spectrum` — relaxation rates of 1D
  Fokker–Planck operators by discretisation (Chapter 7);
* :func:`learnt_eigenvalues`, :func:`n_learnable_modes`, :func:`kl_gaussian`,
  :func:`kl_after_training`, :func:`modes_below_cutoff` — (84), (B7)-(B8), (85);
  :func:`mode_flow_time` — the mode flow (80) solved in closed form, t(λ).

``import rbmphys.theory`` does not import sympy; the symbolic right-hand sides are built on first
use.  Introduced in Chapter 4.

References
----------
.. [AartsLuciniPark2024] G. Aarts, B. Lucini, C. Park, Phys. Rev. D 109, 034521 (2024).
"""

from ._closed_forms import (kl_after_training, kl_gaussian, learnt_eigenvalues,
                            mode_flow_time, modes_below_cutoff, n_learnable_modes,
                            relaxation_rates)
from ._flow import FlowResult, flow_rhs, gaussian_flow, mode_flow, two_by_two_flow
from ._fokker_planck import fokker_planck_spectrum, schrodinger_spectrum

__all__ = ["gaussian_flow", "flow_rhs", "FlowResult", "two_by_two_flow", "mode_flow",
           "learnt_eigenvalues", "n_learnable_modes", "kl_gaussian", "kl_after_training",
           "modes_below_cutoff", "relaxation_rates", "mode_flow_time", "fokker_planck_spectrum",
           "schrodinger_spectrum"]
