r"""Spin-glass diagnostics of RBMs: ground-state accessibility and reconstruction (Chapter 9).

An RBM's energy :math:`E(v,h) = -v^TWh - a^Tv - b^Th` is an Ising model on a bipartite graph.
Pozas-Kerstjens et al. [PozasKerstjens2021]_ ask how easily its low-energy configurations are
reached, since the negative phase of learning is an average dominated by them:

* the **ground-state energy** :math:`E_0 = \min_{v,h}E` by enumerating the smaller layer and
  minimising the other analytically (:func:`ground_state_energy`; V = 16 with H = 1000 is
  65 536 × 1000 fields, a fraction of a second);
* the **Gibbs accessibility** (Figs. 1 and 2a): the lowest energy reached by 10 block-Gibbs
  sweeps from random visible states, relative to :math:`E_0`,
  :math:`A = E_{\min}/E_0 \le 1` (1: the ground state was found; :math:`E_0 < 0`);
* the **method accessibility** (Fig. 2b): the same ratio for the configurations a learning rule
  uses in its negative phase (PCD's fantasy particles, RAPID's patterns);
* **reconstruction** (App. C, Fig. C.1): clamp the top row of an image, set the other pixels to
  the neutral value 0 (the paper's "value 0"; for ±1 spins it favours neither sign), run block
  Gibbs with the top row clamped and compare with the image (:func:`reconstruct`,
  :func:`hamming_distance`).

Introduced in Chapter 9.

References
----------
.. [PozasKerstjens2021] A. Pozas-Kerstjens et al., Mach. Learn.: Sci. Technol. 2, 025026 (2021).
"""

from __future__ import annotations

import numpy as np

from .._validation import as_float_array, check_int, draw_key
from ..samplers._engine import random_visible, sweep
from ..samplers.gibbs import gibbs

__all__ = ["ground_state_energy", "gibbs_accessibility", "accessibility", "reconstruct",
           "hamming_distance", "top_row_mask"]

_CHUNK = 4096


def _binary_layers(model, what):
    for name, u in (("visible", model.visible), ("hidden", model.hidden)):
        if not getattr(u, "discrete", False):
            raise ValueError(f"{what} needs binary units; the {name} units are {u!r}")


def ground_state_energy(model, *, max_enumerated=22):
    r"""Exact ground-state energy :math:`E_0 = \min_{v,h} E(v,h)` of a binary RBM.

    Enumerates the smaller layer x (:math:`2^{\min(V,H)}` states, in chunks) and minimises the
    other analytically: a unit with values {lo, hi} in the field f contributes
    :math:`-\max(lo\,f, hi\,f)` (:math:`-|f|` for ±1, :math:`-\max(f,0)` for {0,1}).

    Raises
    ------
    ValueError
        If the smaller layer has more than ``max_enumerated`` units, or a layer is not binary.
    """
    _binary_layers(model, "ground_state_energy")
    from ..exact._enumerate import all_states
    W = np.asarray(model.W, dtype=np.float64)
    a, b = np.asarray(model.a, np.float64), np.asarray(model.b, np.float64)
    V, H = W.shape
    if min(V, H) > max_enumerated:
        raise ValueError(f"the smaller layer has {min(V, H)} units; enumerating 2^{min(V, H)} "
                         f"states exceeds max_enumerated={max_enumerated}")
    if V <= H:
        M, c, d, xu, yu = W, b, a, model.visible, model.hidden
    else:
        M, c, d, xu, yu = W.T, a, b, model.hidden, model.visible
    lo, hi = yu.values
    X = all_states(M.shape[0], xu)
    best = np.inf
    for i in range(0, len(X), _CHUNK):
        x = X[i:i + _CHUNK]
        f = x @ M
        f += c
        if lo == -hi:           # ±1 (or ±s) units: −|hi|·|f|, in place (one pass, no copies)
            np.abs(f, out=f)
            e = -(x @ d) - abs(hi) * f.sum(axis=1)
        else:
            e = -(x @ d) - np.maximum(lo * f, hi * f).sum(axis=1)
        best = min(best, float(e.min()))
    return best


def accessibility(model, v, h, e0=None, *, reduce="min"):
    r"""Energies of the configurations (v, h) relative to the ground state,
    :math:`A_r = E(v_r, h_r)/E_0` (1: a ground state; :math:`E_0 < 0`).

    ``reduce="min"`` (default) gives the lowest energy among them — the paper's *method
    accessibility* when (v, h) are a rule's negative-phase configurations; ``"mean"`` the
    average over configurations (each one an independent "execution"); ``None`` all of them.
    """
    e0 = ground_state_energy(model) if e0 is None else float(e0)
    if not e0 < 0:
        raise ValueError(f"accessibility needs a negative ground-state energy, got E0={e0:g}")
    ratios = np.asarray(model.energy(v, h), dtype=np.float64) / e0
    if reduce == "min":
        return float(ratios.max())          # lowest energy = largest ratio (E0 < 0)
    if reduce == "mean":
        return float(ratios.mean())
    if reduce is None:
        return ratios
    raise ValueError(f"reduce must be 'min', 'mean' or None, got {reduce!r}")


def gibbs_accessibility(model, n_chains=100, n_sweeps=10, *, rng=None, e0=None,
                        reduce="mean"):
    r"""Gibbs accessibility (Figs. 1, 2a of [PozasKerstjens2021]_): ``n_chains`` independent
    chains from uniformly random visible states, ``n_sweeps`` block-Gibbs sweeps, then the joint
    energy :math:`E(v, h)` of each over :math:`E_0`.

    Each chain is one of the paper's "executions"; ``reduce="mean"`` (default) averages their
    ratios (what Fig. 1 plots, with the spread over executions), ``"min"`` keeps the lowest
    energy reached by any chain, ``None`` returns all ratios.

    Returns
    -------
    float in (-inf, 1] (or an array for ``reduce=None``)
    """
    _binary_layers(model, "gibbs_accessibility")
    C = check_int(n_chains, "n_chains", 1)
    n = check_int(n_sweeps, "n_sweeps", 1)
    key = draw_key(rng)
    v, h = gibbs(model, random_visible(model, C, key), n_sweeps=n, rng=key,
                 return_hidden=True)      # (v, h): a joint configuration of each chain
    return accessibility(model, v, h, e0, reduce=reduce)


def top_row_mask(shape):
    """Boolean mask of the top row of ``shape = (rows, cols)`` images, flattened (the pixels
    App. C keeps)."""
    rows, cols = (check_int(s, "image side", 1) for s in shape)
    m = np.zeros((rows, cols), bool)
    m[0] = True
    return m.ravel()


def reconstruct(model, images, clamp, *, n_sweeps=10, rng=None, fill=0.0):
    r"""Reconstruct images from their clamped pixels by block Gibbs (App. C).

    The pixels where ``clamp`` is True keep their values; the others start at ``fill`` (0: the
    neutral value of ±1 spins, the paper's "value 0") and are resampled for ``n_sweeps`` sweeps
    :math:`h \sim p(h\mid v)`, :math:`v \sim p(v\mid h)` with the clamped pixels reset after each
    visible half-step.

    Parameters
    ----------
    model : binary RBM
    images : ndarray (n, V)
    clamp : bool ndarray (V,)
    n_sweeps : int
    rng : seed

    Returns
    -------
    ndarray (n, V), model dtype
    """
    x = as_float_array(images, "images", ndim=2)
    if x.shape[1] != model.n_visible:
        raise ValueError(f"images have {x.shape[1]} pixels, the model {model.n_visible} "
                         "visible units")
    clamp = np.asarray(clamp, bool)
    if clamp.shape != (model.n_visible,):
        raise ValueError(f"clamp must be a boolean mask of shape ({model.n_visible},), got "
                         f"{clamp.shape}")
    n = check_int(n_sweeps, "n_sweeps", 1)
    key = draw_key(rng)
    v = np.where(clamp, x, fill).astype(model.dtype)
    fixed = v[:, clamp].copy()
    for s in range(n):
        v, _ = sweep(model, np.ascontiguousarray(v), key, s)
        v[:, clamp] = fixed
    return v


def hamming_distance(a, b, mask=None):
    r"""Normalised Hamming distance :math:`\frac{1}{n}\sum_i [a_i \ne b_i]` per row, over the
    pixels where ``mask`` is True (all by default).  Over the reconstructed pixels a random
    guess scores 1/2 — the paper's reference value."""
    a, b = np.asarray(a), np.asarray(b)
    if a.shape != b.shape:
        raise ValueError(f"shapes differ: {a.shape} vs {b.shape}")
    diff = a != b
    if mask is not None:
        diff = diff[..., np.asarray(mask, bool)]
    return diff.mean(axis=-1)
