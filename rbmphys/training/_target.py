r"""Training towards a known Gaussian target: the positive phase from its correlation matrix.

For the scalar-field RBM the positive phase of the gradient needs only the first two moments of
the target (the statistics :math:`-\partial F/\partial\theta` are linear in :math:`\phi` and
:math:`\phi\phi^T`), so a free-field target :math:`\mathcal N(0, K_\phi^{-1})` can be learnt
without any data — "directly using the analytical form of the kernel matrix of the target
distribution", App. A of [AartsLuciniPark2024]_ — while the negative phase comes from ``n_chains``
persistent block-Gibbs chains (128 in the paper's scalar-field runs, 512 for MNIST):

.. math::

    \Delta W = \eta\,\sigma_h^2\big(\langle\phi\phi^T\rangle_\text{target}
      - \langle\phi\phi^T\rangle_\text{chains}\big)W,\qquad
    \Delta\mu^2 = -\tfrac{\eta}{2}\big(\operatorname{tr}\langle\phi\phi^T\rangle_\text{target}
      - \operatorname{tr}\langle\phi\phi^T\rangle_\text{chains}\big),

a stochastic version of the flow (26)-(27), with learning time :math:`t = \sum_n\eta_n`.  One
"epoch" is one update (the paper's convention), so ``rp.train(model, None, rule, epochs=E)``.

Introduced in Chapter 4.

References
----------
.. [AartsLuciniPark2024] G. Aarts, B. Lucini, C. Park, Phys. Rev. D 109, 034521 (2024).
"""

from __future__ import annotations

import numpy as np

from .._state import arrays_state, loaded_arrays
from .._validation import as_float_array, check_int
from ..samplers._engine import random_visible, sweeps
from ._rules import LearningRule

__all__ = ["TargetPCD"]


class TargetPCD(LearningRule):
    """PCD with the positive phase from a target's moments (no data; see the module docstring).

    Parameters
    ----------
    covariance : array (N_v, N_v)
        :math:`\\langle\\phi\\phi^T\\rangle` of the target (e.g. the inverse of a lattice kernel,
        or an MNIST correlation matrix).
    mean : array (N_v,), optional
        :math:`\\langle\\phi\\rangle` of the target (zero by default).
    n_chains : int
        Persistent chains of the negative phase.
    k : int
        Gibbs sweeps per update.

    The model must provide ``moment_statistics(mean, second_moment)``
    (:class:`rbmphys.GaussianRBM` does).
    """

    needs_data = False

    def __init__(self, covariance, mean=None, n_chains=128, k=1):
        C = as_float_array(covariance, "target covariance", ndim=2)
        if C.shape[0] != C.shape[1] or C.shape[0] < 1 or not np.allclose(C, C.T):
            raise ValueError(f"the target covariance must be a symmetric square matrix, got "
                             f"shape {C.shape}")
        lam = np.linalg.eigvalsh(0.5 * (C + C.T))
        if not lam[0] >= -1e-12 * max(1.0, abs(lam[-1])):
            raise ValueError(f"the target covariance must be positive semi-definite (a "
                             f"covariance); its smallest eigenvalue is {lam[0]:.6g}")
        self.covariance = C
        self.mean = np.zeros(len(C)) if mean is None else as_float_array(
            mean, "target mean", ndim=1)
        if self.mean.shape != (len(C),):
            raise ValueError(f"the target mean must have {len(C)} entries (one per row of the "
                             f"covariance), got shape {self.mean.shape}")
        self.n_chains = check_int(n_chains, "n_chains", 1)
        self.k = check_int(k, "k (Gibbs sweeps)", 1)
        self.chains_v = None

    def config(self):
        return {"covariance": self.covariance.tolist(), "mean": self.mean.tolist(),
                "n_chains": self.n_chains, "k": self.k}

    def reset(self):
        self.chains_v = None

    def runtime_state(self):
        return arrays_state(chains_v=self.chains_v)

    def load_runtime_state(self, state, model=None):
        loaded = loaded_arrays(state, ["chains_v"], "TargetPCD")
        self.chains_v = None if loaded is None else loaded[0]

    def step(self, model, batch, ctx):
        if not hasattr(model, "moment_statistics"):
            raise TypeError(f"TargetPCD needs a model with moment_statistics() (e.g. "
                            f"rp.GaussianRBM), got {type(model).__name__}")
        if self.covariance.shape[0] != model.n_visible:
            raise ValueError(f"the target covariance is {self.covariance.shape}, the model has "
                             f"{model.n_visible} visible units")
        if self.chains_v is None or self.chains_v.shape != (self.n_chains, model.n_visible):
            self.chains_v = random_visible(model, self.n_chains, ctx.key)
        v, _ = sweeps(model, self.chains_v, ctx.key, self.k)
        pos = model.moment_statistics(self.mean, self.covariance + np.outer(self.mean,
                                                                            self.mean))
        neg = model.free_energy_gradient(v)
        return {name: ctx.lr * (pos[name] - neg[name]) for name in pos}
