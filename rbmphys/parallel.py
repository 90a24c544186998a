r"""Independent runs in parallel: one small helper on :mod:`joblib`.

Replicas, hidden sizes, seeds — runs that do not talk to each other — go through
:func:`run`. Locally it uses every core (joblib's ``loky`` processes, each limited to one
BLAS thread so that processes do not oversubscribe the machine); inside
``joblib.parallel_config(backend="dask")`` (with a ``dask.distributed.Client``; ``pip install
'.[cluster]'``) the same call runs on a cluster. Results come back in the order of the grid,
and each run is seeded by its own grid entry, so the results do not depend on the number of
workers or the backend.

Why not a loop: the chapter full runs train up to eight MNIST RBMs; on a 16-core machine they
run side by side.

Introduced in Chapter 6.
"""

from __future__ import annotations

import itertools
import os

__all__ = ["run", "grid"]


def grid(**axes):
    """The Cartesian product of keyword axes as a list of dicts:
    ``grid(H=[500, 784], replica=[0, 1])`` → 4 dicts."""
    keys = list(axes)
    return [dict(zip(keys, vals)) for vals in itertools.product(*(axes[k] for k in keys))]


def run(func, points, *, n_jobs=None, backend=None, verbose=0):
    """Call ``func(**point)`` for every point (a dict of keyword arguments) and return the
    results in order.

    Parameters
    ----------
    func : callable
        A module-level function (it is pickled to the workers).
    points : iterable of dict
    n_jobs : int, optional
        Workers; default: the environment variable ``RBMPHYS_JOBS`` or every core
        (``-1``). ``1`` runs in this process (no pickling, easiest to debug); never more
        workers than points.
    backend : str, optional
        joblib backend: ``"loky"`` (default, local processes with one BLAS thread each) or
        any other name joblib knows, e.g. ``"dask"`` inside a ``dask.distributed.Client``.

    Examples
    --------
    >>> run(pow, [{"base": 2, "exp": 3}, {"base": 3, "exp": 2}], n_jobs=1)
    [8, 9]
    """
    from joblib import Parallel, delayed, parallel_config
    if not callable(func):
        raise TypeError(f"func must be a callable (a module-level function), got {func!r}")
    if isinstance(points, (str, bytes, dict)) or not hasattr(points, "__iter__"):
        raise TypeError(f"points must be an iterable of dicts of keyword arguments, got "
                        f"{type(points).__name__}")
    points = list(points)
    bad = [p for p in points if not isinstance(p, dict)]
    if bad:
        raise TypeError(f"every point must be a dict of keyword arguments for func, got "
                        f"{bad[0]!r}")
    if n_jobs is None:
        env = os.environ.get("RBMPHYS_JOBS", "-1")
        try:
            n_jobs = int(env)
        except ValueError:
            raise ValueError(f"the environment variable RBMPHYS_JOBS must be an integer number "
                             f"of workers (-1: every core), got {env!r}") from None
        where = "RBMPHYS_JOBS"
    else:
        where = "n_jobs"
    if isinstance(n_jobs, (bool, float, str)) or not isinstance(n_jobs, int) or n_jobs == 0 \
            or n_jobs < -1:
        raise ValueError(f"{where} must be a positive number of workers or -1 (every core), "
                         f"got {n_jobs!r}")
    if n_jobs == 1 or len(points) <= 1:
        return [func(**p) for p in points]
    if n_jobs > len(points):        # loky starts every worker asked for, busy or not
        n_jobs = len(points)
    cfg = (parallel_config(backend="loky", inner_max_num_threads=1) if backend in (None, "loky")
           else parallel_config(backend=backend))
    with cfg:
        return Parallel(n_jobs=n_jobs, verbose=verbose)(delayed(func)(**p) for p in points)
