"""Input validation and random-state helpers shared by the whole package.

Every public routine that takes randomness accepts ``rng`` as ``None``, an ``int``, a
:class:`numpy.random.SeedSequence` or a :class:`numpy.random.Generator` and normalises it with
:func:`as_generator`; the numba kernels never use ``np.random``: they take a 64-bit key drawn
from that generator (:func:`draw_key`) and hash counters with it (see
:mod:`rbmphys.kernels._rng`).
"""

from __future__ import annotations

import numbers

import numpy as np

__all__ = ["as_generator", "draw_key", "as_float_array", "check_states", "check_finite"]


def as_generator(rng=None) -> np.random.Generator:
    """Return a :class:`numpy.random.Generator` from ``None | int | SeedSequence | Generator``."""
    if isinstance(rng, np.random.Generator):
        return rng
    if rng is None or isinstance(rng, (numbers.Integral, np.random.SeedSequence)):
        if isinstance(rng, numbers.Integral) and rng < 0:
            raise ValueError(f"rng seed must be a non-negative integer, got {rng}")
        return np.random.default_rng(rng)
    raise TypeError(
        "rng must be None, an int seed, a numpy SeedSequence or a numpy Generator, "
        f"got {type(rng).__name__}"
    )


def draw_key(rng) -> int:
    """Draw a 64-bit key for the counter-based kernels from ``rng`` (advances the generator)."""
    return int(as_generator(rng).integers(0, 2**63 - 1, dtype=np.int64))


def as_float_array(x, name: str, *, ndim=None, dtype=None, allow_none=False):
    """Convert ``x`` to a floating array, checking dimension and finiteness.

    Parameters
    ----------
    x : array_like
    name : str
        The physical name used in error messages ("W", "visible bias a", ...).
    ndim : int, optional
        Required number of dimensions.
    dtype : numpy dtype, optional
        Target dtype (float32 or float64). Integer and boolean input is converted to float64
        when no dtype is given.
    """
    if x is None:
        if allow_none:
            return None
        raise ValueError(f"{name} is required")
    arr = np.asarray(x)
    if arr.dtype.kind not in "fiub":
        raise TypeError(f"{name} must be a real numeric array, got dtype {arr.dtype}")
    if dtype is None:
        dtype = arr.dtype if arr.dtype in (np.float32, np.float64) else np.float64
    arr = np.ascontiguousarray(arr, dtype=dtype)
    if ndim is not None and arr.ndim != ndim:
        raise ValueError(f"{name} must be {ndim}-dimensional, got shape {arr.shape}")
    check_finite(arr, name)
    return arr


def check_finite(arr, name: str):
    """Raise ``ValueError`` if ``arr`` holds NaN or infinity."""
    if not np.all(np.isfinite(arr)):
        n_bad = int(np.size(arr) - np.count_nonzero(np.isfinite(arr)))
        raise ValueError(f"{name} contains {n_bad} NaN or infinite value(s)")
    return arr


def check_states(x, name: str, units: str, n_units: int, dtype=np.float64, allow_1d=True):
    """Validate a batch of binary states and return it as a C-contiguous 2-D float array.

    ``units`` is ``"bernoulli"`` ({0,1}) or ``"spin"`` (±1). A single state of shape
    ``(n_units,)`` is promoted to ``(1, n_units)`` when ``allow_1d``.
    """
    arr = np.asarray(x)
    if arr.dtype.kind not in "fiub":
        raise TypeError(f"{name} must be a numeric array of states, got dtype {arr.dtype}")
    if arr.ndim == 1 and allow_1d:
        arr = arr[None, :]
    if arr.ndim != 2 or arr.shape[1] != n_units:
        raise ValueError(
            f"{name} must have shape (n_samples, {n_units}), got shape {np.shape(x)}"
        )
    if arr.dtype.kind == "f" and not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} contains NaN or infinite values")
    if units == "bernoulli":
        ok = np.all((arr == 0) | (arr == 1))
        if not ok:
            hint = " (it looks like ±1 spins: use SpinRBM or map s -> (s+1)/2)" if np.all(
                (arr == -1) | (arr == 1)) else ""
            raise ValueError(f"{name} must contain only 0 and 1 for Bernoulli units{hint}")
    elif units == "spin":
        ok = np.all((arr == -1) | (arr == 1))
        if not ok:
            hint = " (it looks like {0,1} data: use BernoulliRBM or map v -> 2v-1)" if np.all(
                (arr == 0) | (arr == 1)) else ""
            raise ValueError(f"{name} must contain only -1 and +1 for spin units{hint}")
    else:  # pragma: no cover - internal misuse
        raise ValueError(f"unknown unit type {units!r}")
    return np.ascontiguousarray(arr, dtype=dtype)
