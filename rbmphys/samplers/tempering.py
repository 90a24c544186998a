r"""Parallel tempering (replica exchange) for binary RBMs.

Block Gibbs mixes badly when :math:`p(v)` has well-separated modes: in a Mattis-like model
(:math:`W = w\,\xi_v\xi_h^T`, Chapter 1) the two ground states :math:`\pm\xi` are separated
by an energy barrier of order :math:`w V H`, and a chain started in one mode stays there for a
time exponential in the barrier.  Parallel tempering (Swendsen & Wang 1986; Geyer 1991;
Hukushima & Nemoto 1996) runs :math:`R` replicas at inverse temperatures
:math:`\beta_1 < \dots < \beta_R = 1`, each with block Gibbs for
:math:`p_\beta(v, h) \propto e^{-\beta E(v,h)}` (all replicas share one GEMM per half-step,
:func:`rbmphys.samplers._engine.half_step` with a β per block of rows), and after every sweep proposes to exchange the joint states
:math:`x_r = (v_r, h_r)` of neighbouring replicas, accepted with probability

.. math::

    A_{r,r+1} = \min\Big(1, e^{(\beta_r - \beta_{r+1})\,(E(x_r) - E(x_{r+1}))}\Big),

the Metropolis rule for the product measure :math:`\prod_r p_{\beta_r}(x_r)`, which it leaves
invariant (detailed balance).  :math:`E` is the *joint* energy
:math:`E(v,h) = -v^TWh - a^Tv - b^Th` (Eq. (3) of [ToledoMarin2025]_; in the model's own
units, {0,1} or ±1) of the state
after the sweep: the pair :math:`(v', h)` of a sweep :math:`v \to h \to v'` is a draw of
:math:`p_\beta(v,h)` when :math:`v` is a draw of :math:`p_\beta(v)`, so swapping joint states is
exact; the next sweep then redraws :math:`h` from the swapped :math:`v`.  (Swapping visible
states with the free-energy difference :math:`F_\beta` would be equally valid; the joint energy
costs nothing here: :math:`v'^T W h` comes from the product :math:`hW^T` already computed for
the visible half-step.)  Even pairs :math:`(1,2), (3,4), \dots` are proposed on even sweeps,
odd pairs on odd sweeps.  Hot replicas cross barriers; exchanges carry those moves down to
:math:`\beta = 1`.

Randomness: the Gibbs half-steps use the counter RNG, key ``derive_key(key, sweep, layer)`` and
chain counters offset by replica (replica ``r`` holds chains ``r·B … (r+1)·B − 1``); the
exchange uniforms come from a NumPy generator seeded from the same ``rng``.  Same seed, same
samples, however the sweeps are split between calls.

Introduced in Chapter 2.

References
----------
.. [Geyer1991] C. J. Geyer, *Markov chain Monte Carlo maximum likelihood*, Computing Science
   and Statistics: Proc. 23rd Symposium on the Interface, 156 (1991).
.. [HukushimaNemoto1996] K. Hukushima, K. Nemoto, J. Phys. Soc. Jpn. 65, 1604 (1996).
.. [Desjardins2010] G. Desjardins et al., *Parallel tempering for training of restricted
   Boltzmann machines*, AISTATS 2010.
.. [ToledoMarin2025] J. Q. Toledo-Marin et al., Mach. Learn.: Sci. Technol. 6, 035030 (2025):
   Eq. (3), the energy; Eq. (12), block Gibbs sampling.
"""

from __future__ import annotations

import dataclasses

import numpy as np

from .._state import arrays_state, loaded_arrays
from .._validation import as_generator, check_int, check_model, check_real, \
    deprecated_positional, draw_key
from ..kernels._rng import derive_key
from ..models._units import counter_uniforms
from ._engine import random_visible, sweep
from .chains import ChainSampler

__all__ = ["ParallelTempering", "parallel_tempering", "geometric_betas", "TemperedGibbs"]


def geometric_betas(n_replicas=10, beta_min=0.05):
    r"""A geometric ladder :math:`\beta_r = \beta_\text{min}^{(R-r)/(R-1)}`, ending at 1 (a
    constant ratio of neighbouring β, so similar acceptance rates where the heat capacity is
    flat).  Introduced in Chapter 2."""
    n_replicas = check_int(n_replicas, "n_replicas", 2)
    beta_min = check_real(beta_min, "beta_min", low=0, high=1, low_open=True, high_open=True)
    b = np.geomspace(beta_min, 1.0, n_replicas)
    b[-1] = 1.0
    return b


def _check_betas(betas):
    """The ladder as a float64 array: at least two, strictly increasing, ≥ 0, ending at 1."""
    try:
        betas = np.asarray(betas, dtype=np.float64)
    except (TypeError, ValueError):
        raise ValueError(f"betas (inverse temperatures) must be an array of numbers, got "
                         f"{betas!r}") from None
    if betas.ndim != 1 or len(betas) < 2 or not np.all(np.isfinite(betas)) \
            or np.any(np.diff(betas) <= 0) or betas[0] < 0 or betas[-1] != 1.0:
        raise ValueError("betas (inverse temperatures) must be at least two, strictly "
                         "increasing, non-negative, and end at 1")
    return betas


class ParallelTempering:
    r"""Replica-exchange block Gibbs sampler.

    Parameters
    ----------
    model : RBM
    betas : array_like (R,)
        Inverse temperatures, strictly increasing, non-negative, the last one exactly 1.
    n_chains : int
        Independent PT chains, each a full ladder of ``R`` replicas (``R · n_chains`` Gibbs
        chains in one batch).
    rng : None, int, SeedSequence or Generator
        Draws, in order: the key of the Gibbs half-steps, the seed of the exchange uniforms,
        the initial states (if ``v0`` is omitted).
    v0 : array (n_chains, V), optional
        Initial visible state of every replica of each chain (default: independent uniformly
        random states for every replica).

    Attributes
    ----------
    v : ndarray (n_chains, V)
        Current visible states of the :math:`\beta = 1` replicas (a copy).
    acceptance_rates : ndarray (R − 1,)
        Fraction of accepted exchanges per neighbouring pair :math:`(\beta_r, \beta_{r+1})` so
        far (NaN before the first proposal).
    sweeps : int
        Sweeps done so far.

    Notes
    -----
    One sweep: block Gibbs at every :math:`\beta_r`, then exchanges with

    .. math:: A = \min\big(1, e^{(\beta_r - \beta_{r+1})(E_r - E_{r+1})}\big).

    Cost per sweep: two GEMMs of ``(R·n_chains) × V × H``.

    Examples
    --------
    >>> import numpy as np, rbmphys as rp
    >>> m = rp.SpinRBM(0.6 * np.outer(np.ones(8), np.ones(4)))
    >>> pt = rp.ParallelTempering(m, np.geomspace(0.05, 1, 10), n_chains=20, rng=0).run(50)
    >>> pt.v.shape, bool(np.all((pt.acceptance_rates >= 0) & (pt.acceptance_rates <= 1)))
    ((20, 8), True)

    Introduced in Chapter 2.
    """

    @deprecated_positional("rng", "v0")
    def __init__(self, model, betas, n_chains, *, rng=None, v0=None):
        betas = _check_betas(betas)
        self.n_chains = check_int(n_chains, "n_chains", 1)
        check_model(model, "parallel tempering").check_parameters()
        self.model, self.betas = model, betas
        g = as_generator(rng)
        R, B, V, H = len(betas), self.n_chains, model.n_visible, model.n_hidden
        self.key = draw_key(g)
        self.swap_rng = np.random.Generator(np.random.PCG64(draw_key(g)))
        if v0 is None:                       # independent random states for every replica
            vs = random_visible(model, R * B, self.key)
        else:
            v0 = model.check_visible(v0, "initial visible states v0")
            if len(v0) != B:
                raise ValueError(f"v0 must hold n_chains = {B} states, got {len(v0)}")
            vs = np.tile(v0, (R, 1))
        self._v = np.ascontiguousarray(vs, dtype=model.dtype)     # replica r: rows r*B:(r+1)*B
        self._h = np.zeros((R * B, H), model.dtype)
        self._pre_h = np.empty((R * B, H), model.dtype)
        self._pre_v = np.empty((R * B, V), model.dtype)
        self._v_new = np.empty_like(self._v)
        self._blocks = [(r * B, (r + 1) * B, float(beta)) for r, beta in enumerate(betas)]
        self.sweeps = 0
        self._accepted = np.zeros(R - 1)
        self._proposed = np.zeros(R - 1)

    @property
    def v(self):
        return self._v[-self.n_chains:].copy()

    @property
    def replica_v(self):
        """Visible states of all replicas, shape (R, n_chains, V) (a copy)."""
        return self._v.reshape(len(self.betas), self.n_chains, -1).copy()

    @property
    def acceptance_rates(self):
        with np.errstate(invalid="ignore", divide="ignore"):
            return self._accepted / self._proposed

    def reset_acceptance(self):
        """Zero the exchange counters (e.g. after burn-in); returns self."""
        self._accepted[:] = 0.0
        self._proposed[:] = 0.0
        return self

    def _sweep_and_energies(self):
        """Block Gibbs at every β; returns the joint energies E(v', h) (R·B,), float64."""
        m, t = self.model, self.sweeps
        sweep(m, self._v, self.key, t, pre_h=self._pre_h, pre_v=self._pre_v, h_out=self._h,
              v_out=self._v_new, blocks=self._blocks)
        self._v, self._v_new = self._v_new, self._v
        return _joint_energy(m, self._v, self._h, self._pre_v)

    def run(self, n_sweeps=1):
        """``n_sweeps`` rounds of (block Gibbs in every replica, then exchanges); returns self."""
        n_sweeps = check_int(n_sweeps, "n_sweeps", 0)
        B, R = self.n_chains, len(self.betas)
        for _ in range(n_sweeps):
            E = self._sweep_and_energies().reshape(R, B)
            acc = _exchange(self._v, self._h, E, self.betas, self.sweeps % 2,
                            lambda r: self.swap_rng.random(B))
            for r, n_acc in acc.items():
                self._accepted[r] += n_acc
                self._proposed[r] += B
            self.sweeps += 1
        return self


def _joint_energy(model, v, h, pre_v):
    r"""Joint energies :math:`E(v, h) = -v\cdot Wh - a\cdot v - b\cdot h + U_v(v) + U_h(h)`
    (float64, one per row), with :math:`Wh` = ``pre_v`` from the visible half-step that drew
    ``v`` from ``h``."""
    v64, h64 = v.astype(np.float64), h.astype(np.float64)
    return -(np.einsum("ij,ij->i", v64, pre_v.astype(np.float64))
             + v64 @ model.a.astype(np.float64) + h64 @ model.b.astype(np.float64)) \
        + model.visible.self_energy(v64).sum(1) + model.hidden.self_energy(h64).sum(1)


def _exchange(v, h, E, betas, parity, uniforms):
    r"""Replica exchanges between neighbours :math:`(r, r+1)`, :math:`r \equiv` ``parity``
    (mod 2), accepted with :math:`\min(1, e^{(\beta_r - \beta_{r+1})(E_r - E_{r+1})})`; the
    rows of replica r are ``r·B … (r+1)·B − 1`` of ``v``/``h`` (swapped in place), ``E`` is
    (R, B) and is swapped with them.  ``uniforms(r)`` gives the B uniforms of pair r (called
    in increasing r).  Returns ``{r: number accepted}``."""
    R, B = E.shape
    accepted = {}
    for r in range(parity, R - 1, 2):
        log_a = (betas[r] - betas[r + 1]) * (E[r] - E[r + 1])
        acc = np.log(uniforms(r)) < log_a
        accepted[r] = int(acc.sum())
        if acc.any():
            idx = np.flatnonzero(acc)
            i, j = r * B + idx, (r + 1) * B + idx
            v[np.r_[i, j]] = v[np.r_[j, i]]
            h[np.r_[i, j]] = h[np.r_[j, i]]
            E[r, idx], E[r + 1, idx] = E[r + 1, idx], E[r, idx].copy()
    return accepted


#: Counter of the exchange uniforms of sweep t (the Gibbs half-steps use layers 0 and 1).
_EXCHANGE = 2


@dataclasses.dataclass(eq=False)
class TemperedGibbs(ChainSampler):
    r"""Replica exchange as a chain sampler for a learning rule: ``PCD(sampler=TemperedGibbs(
    betas))`` is the parallel-tempering PCD of Desjardins et al. (2010).

    The rule's chains are the :math:`\beta = 1` replicas; the sampler keeps the replicas at
    the lower ``betas`` between updates (its state, saved in checkpoints).  One sweep: block
    Gibbs at every β (one GEMM pair for all replicas), then exchanges of neighbouring replicas
    (even pairs on even sweeps, odd on odd), accepted with
    :math:`\min(1, e^{(\beta_r - \beta_{r+1})(E_r - E_{r+1})})`, the same rule as
    :class:`ParallelTempering`.  All randomness, the exchange uniforms included, comes from the
    update's key (counter RNG), so a resumed run continues bit for bit.

    Parameters
    ----------
    betas : sequence of float
        Strictly increasing, non-negative, ending at 1 (e.g. :func:`geometric_betas`).

    Introduced in Chapter 2 (reference [Desjardins2010]_ in the module docstring).
    """

    betas: tuple = (0.25, 0.5, 1.0)

    def __post_init__(self):
        self.betas = tuple(float(b) for b in _check_betas(self.betas))
        self.replicas = None            # (R − 1)·C states of the lower β, or None

    def reset(self):
        self.replicas = None

    def run(self, model, v, key, n_sweeps):
        n_sweeps = check_int(n_sweeps, "n_sweeps", 0)
        C, V, R = v.shape[0], model.n_visible, len(self.betas)
        if self.replicas is None or self.replicas.shape != ((R - 1) * C, V):
            self.replicas = random_visible(model, (R - 1) * C, derive_key(key, _EXCHANGE),
                                           tag=1)
        X = np.ascontiguousarray(np.concatenate([self.replicas.astype(model.dtype), v]))
        H = np.empty((R * C, model.n_hidden), model.dtype)
        pre_h, pre_v = np.empty_like(H), np.empty_like(X)
        blocks = [(r * C, (r + 1) * C, b) for r, b in enumerate(self.betas)]
        betas = np.asarray(self.betas)
        for t in range(n_sweeps):
            sweep(model, X, key, t, pre_h=pre_h, pre_v=pre_v, h_out=H, v_out=X, blocks=blocks)
            E = _joint_energy(model, X, H, pre_v).reshape(R, C)
            u = counter_uniforms(derive_key(key, t, _EXCHANGE), (R, C))
            _exchange(X, H, E, betas, t % 2, lambda r: u[r])
        self.replicas = X[:-C].copy()
        v[...] = X[-C:]
        return v

    def runtime_state(self):
        return arrays_state(replicas=self.replicas)

    def load_runtime_state(self, state, model=None):
        loaded = loaded_arrays(state, ["replicas"], "TemperedGibbs")
        self.replicas = None if loaded is None else loaded[0]


@deprecated_positional("rng")
def parallel_tempering(model, n_samples, betas=None, n_chains=100, n_sweeps=100, thin=5, *,
                       rng=None, v0=None):
    r"""Samples of :math:`p(v)` at :math:`\beta = 1` from :class:`ParallelTempering`.

    Runs ``n_sweeps`` burn-in sweeps, then keeps the :math:`\beta = 1` states of all
    ``n_chains`` chains every ``thin`` sweeps until ``n_samples`` states are collected
    (consecutive snapshots of one chain are correlated: choose ``thin`` a few
    autocorrelation times, :func:`rbmphys.analysis.integrated_autocorr_time`).

    Parameters
    ----------
    model : RBM
    n_samples : int
    betas : array_like, optional
        Ladder, default :func:`geometric_betas` (10 replicas from 0.05 to 1).
    n_chains : int
    n_sweeps : int
        Burn-in sweeps before the first snapshot.
    thin : int
        Sweeps between snapshots (>= 1).
    rng : None, int, SeedSequence or Generator
    v0 : array (n_chains, V), optional

    Returns
    -------
    ndarray (n_samples, V), model dtype
        Snapshot after snapshot, each ``n_chains`` rows (the last one truncated).

    Introduced in Chapter 2.
    """
    n_samples = check_int(n_samples, "n_samples", 1)
    n_sweeps = check_int(n_sweeps, "n_sweeps", 0)
    thin = check_int(thin, "thin", 1)
    if betas is None:
        betas = geometric_betas()
    pt = ParallelTempering(model, betas, n_chains, rng=rng, v0=v0)
    pt.run(int(n_sweeps))
    out, have = [], 0
    while have < n_samples:
        out.append(pt.run(int(thin)).v)
        have += len(out[-1])
    return np.vstack(out)[:int(n_samples)]
