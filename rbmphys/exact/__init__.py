"""Exact enumeration oracle: ln Z, p(v), log-likelihood and its gradient, KL, ground states.

See :mod:`rbmphys.exact._enumerate`.  Introduced in Chapter 1.
"""

from ._enumerate import (GroundStates, MAX_ENUMERATED, all_states, central_differences,
                         enumerable, expectations,
                         finite_difference_gradient, gradient, ground_states,
                         kl_divergence, log_likelihood, log_p,
                         log_partition, log_partition_numpy, p, sample, visible_distribution)

__all__ = ["GroundStates", "MAX_ENUMERATED", "all_states", "central_differences", "enumerable",
           "expectations", "finite_difference_gradient", "gradient", "ground_states",
           "kl_divergence", "log_likelihood", "log_p",
           "log_partition", "log_partition_numpy", "p", "sample", "visible_distribution"]
