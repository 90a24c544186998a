"""Input validation and random-state helpers shared by the whole package (one set of them).

Every public routine that takes randomness accepts ``rng`` (keyword) as ``None``, an ``int``, a
:class:`numpy.random.SeedSequence` or a :class:`numpy.random.Generator` and normalises it with
:func:`as_generator`; the numba kernels never use ``np.random``: they take a 64-bit key drawn
from that generator (:func:`draw_key`) and hash counters with it (see
:mod:`rbmphys.kernels._rng`).

The ``check_*`` helpers raise :class:`ValueError` (wrong value) or :class:`TypeError` (wrong
kind of object) with a message that names the quantity and the constraint, so that a reader sees
"n_chains must be an integer >= 1, got 0" and never a NumPy traceback.
"""

from __future__ import annotations

import functools
import math
import numbers
import warnings

import numpy as np

__all__ = ["as_generator", "draw_key", "as_float_array", "check_finite", "check_int",
           "check_real", "check_dtype", "check_data", "deprecated_positional",
           "renamed_kwargs", "check_model"]


def as_generator(rng=None) -> np.random.Generator:
    """Return a :class:`numpy.random.Generator` from ``None | int | SeedSequence | Generator``.

    ``True``/``False`` are refused (``rng=True`` would silently be seed 1).
    """
    if isinstance(rng, np.random.Generator):
        return rng
    if isinstance(rng, (bool, np.bool_)):
        raise TypeError("rng must be None, an int seed, a numpy SeedSequence or a numpy "
                        f"Generator, got the bool {rng!r}")
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


def check_int(value, name: str, minimum: int | None = None, maximum: int | None = None, *,
              hint: str = "") -> int:
    """``value`` as an ``int`` if it is an integral number in ``[minimum, maximum]``
    (``hint``: said after the message when the value is out of range, e.g. what to use
    instead of a size that would take too long).

    Floats with an integral value (``10.0``) are accepted; ``True``, ``None``, strings and
    ``10.5`` are not.

    Examples
    --------
    >>> check_int(3.0, "n_chains", 1)
    3
    >>> check_int(0, "n_chains", 1)
    Traceback (most recent call last):
    ...
    ValueError: n_chains must be an integer >= 1, got 0
    """
    bound = (f" >= {minimum}" if maximum is None else f" in [{minimum}, {maximum}]") \
        if minimum is not None else (f" <= {maximum}" if maximum is not None else "")
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be an integer{bound}, got {value!r}")
    if not math.isfinite(value) or int(value) != value:
        raise ValueError(f"{name} must be an integer{bound}, got {value!r}")
    value = int(value)
    if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
        raise ValueError(f"{name} must be an integer{bound}, got {value!r}"
                         + (f" ({hint})" if hint and maximum is not None and value > maximum
                            else ""))
    return value


def check_real(value, name: str, *, low=None, high=None, low_open=False, high_open=False,
               finite=True) -> float:
    """``value`` as a ``float`` in the interval given by ``low``/``high`` (closed unless
    ``*_open``).  Strings, ``None`` and booleans raise :class:`TypeError`; NaN raises
    :class:`ValueError`.

    Examples
    --------
    >>> check_real(0.5, "momentum", low=0, high=1, high_open=True)
    0.5
    >>> check_real(1.0, "momentum", low=0, high=1, high_open=True)
    Traceback (most recent call last):
    ...
    ValueError: momentum must lie in [0, 1), got 1.0
    """
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a real number, got {value!r}")
    value = float(value)
    if math.isnan(value) or (finite and not math.isfinite(value)):
        raise ValueError(f"{name} must be a finite real number, got {value!r}")
    bad = ((low is not None and (value < low or (low_open and value == low)))
           or (high is not None and (value > high or (high_open and value == high))))
    if bad:
        lb = "(" if low_open else "["
        hb = ")" if high_open else "]"
        lo = "-inf" if low is None else f"{low:g}"
        hi = "inf" if high is None else f"{high:g}"
        raise ValueError(f"{name} must lie in {lb}{lo}, {hi}{hb}, got {value!r}")
    return value


def check_dtype(dtype, name="dtype") -> np.dtype:
    """A floating dtype the models compute in (float32 or float64, :data:`rbmphys.conventions.FLOAT_DTYPES`)."""
    from .conventions import FLOAT_DTYPES
    try:
        dt = np.dtype(dtype)
    except TypeError:
        raise TypeError(f"{name} must be float32 or float64, got {dtype!r}") from None
    if dt.name not in FLOAT_DTYPES:
        raise TypeError(f"{name} must be float32 or float64, got {dt}")
    return dt


def as_float_array(x, name: str, *, ndim=None, dtype=None, allow_none=False, copy=False):
    """Convert ``x`` to a C-contiguous floating array, checking dimension and finiteness.

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
    copy : bool
        Always return a new array (models copy their parameters so that training a model never
        changes the caller's arrays).
    """
    if x is None:
        if allow_none:
            return None
        raise ValueError(f"{name} is required")
    arr = _numeric(x, name, "a real numeric array")
    if dtype is None:
        dtype = arr.dtype if arr.dtype in (np.float32, np.float64) else np.float64
    arr = np.array(arr, dtype=dtype, order="C", copy=True) if copy else \
        np.ascontiguousarray(arr, dtype=dtype)
    if ndim is not None and arr.ndim != ndim:
        raise ValueError(f"{name} must be {ndim}-dimensional, got shape {arr.shape}")
    check_finite(arr, name)
    return arr


def _numeric(x, name: str, what: str):
    """``np.asarray(x)``, refusing a string and any dtype that is not a real number or a
    boolean (``TypeError`` saying that ``name`` must be ``what``)."""
    if isinstance(x, str):
        raise TypeError(f"{name} must be {what}, got the string {x!r}")
    arr = np.asarray(x)
    if arr.dtype.kind not in "fiub":
        raise TypeError(f"{name} must be {what}, got dtype {arr.dtype}")
    return arr


def check_finite(arr, name: str):
    """Raise ``ValueError`` if ``arr`` holds NaN or infinity."""
    if not np.all(np.isfinite(arr)):
        n_bad = int(np.size(arr) - np.count_nonzero(np.isfinite(arr)))
        raise ValueError(f"{name} contains {n_bad} NaN or infinite value(s)")
    return arr


def check_data(x, name: str, n_units: int, *, allow_1d=True, allow_empty=False, finite=True):
    """A batch of states as a 2-D array ``(n_samples, n_units)`` (no unit-value check).

    A single state of shape ``(n_units,)`` becomes ``(1, n_units)`` when ``allow_1d``.
    Empty batches are refused unless ``allow_empty`` (a mean over no data is not a number).
    ``finite=False`` skips the NaN/infinity check (for callers whose own value check already
    refuses them).
    """
    if x is None:
        raise ValueError(f"{name} is required (an array of shape (n_samples, {n_units}))")
    arr = _numeric(x, name, "a numeric array of states")
    if arr.ndim == 1 and allow_1d and arr.shape[0] == n_units:
        arr = arr[None, :]
    if arr.ndim != 2 or arr.shape[1] != n_units:
        raise ValueError(f"{name} must have shape (n_samples, {n_units}), got shape "
                         f"{np.shape(x)}")
    if arr.shape[0] == 0 and not allow_empty:
        raise ValueError(f"{name} is empty: it must hold at least one state of {n_units} units")
    if finite and arr.dtype.kind == "f" and not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} contains NaN or infinite values")
    return arr


def deprecated_positional(*names, since="0.2"):
    """Decorator: let arguments that became keyword-only still be passed positionally, with a
    :class:`DeprecationWarning` (the QuantEcon habit of a shim for every renamed public name).

    ``names`` are the keyword-only parameters in their old positional order, after the
    function's remaining positional parameters.
    """
    def deco(func):
        import inspect
        sig = inspect.signature(func)
        n_pos = sum(p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)
                    for p in sig.parameters.values())

        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            if len(args) > n_pos:
                extra = args[n_pos:]
                if len(extra) > len(names):
                    raise TypeError(f"{func.__name__}() takes at most {n_pos + len(names)} "
                                    f"positional arguments ({len(args)} given)")
                moved = dict(zip(names, extra))
                dup = set(moved) & set(kwargs)
                if dup:
                    raise TypeError(f"{func.__name__}() got multiple values for {sorted(dup)}")
                warnings.warn(f"{func.__name__}(): pass {', '.join(moved)} by keyword "
                              f"(positional use is deprecated since rbmphys {since})",
                              DeprecationWarning, stacklevel=2)
                kwargs.update(moved)
                args = args[:n_pos]
            return func(*args, **kwargs)

        return wrapper
    return deco


def renamed_kwargs(since="0.2", **old_to_new):
    """Decorator: accept old keyword names (``n_steps=`` for ``n_sweeps=``) with a
    :class:`DeprecationWarning`."""
    def deco(func):
        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            for old, new in old_to_new.items():
                if old in kwargs:
                    if new in kwargs:
                        raise TypeError(f"{func.__name__}() got both {old}= (deprecated) and "
                                        f"{new}=")
                    warnings.warn(f"{func.__name__}(): {old}= is deprecated since rbmphys "
                                  f"{since}, use {new}=", DeprecationWarning, stacklevel=2)
                    kwargs[new] = kwargs.pop(old)
            return func(*args, **kwargs)
        return wrapper
    return deco


def check_model(model, what="this routine"):
    """Raise ``TypeError`` unless ``model`` is an RBM (duck-typed: units and parameters)."""
    if not (hasattr(model, "visible") and hasattr(model, "hidden")
            and hasattr(model, "params") and hasattr(model, "check_parameters")):
        raise TypeError(f"{what} needs an RBM model (e.g. rp.BernoulliRBM, rp.SpinRBM, "
                        f"rp.GaussianRBM), got {type(model).__name__}")
    return model
