r"""Independent runs in parallel: one small helper on :mod:`joblib`.

Replicas, hidden sizes, seeds — runs that do not talk to each other — go through
:func:`sweep`. Locally it uses every core (joblib's ``loky`` processes, each limited to one
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

__all__ = ["sweep", "grid"]


def grid(**axes):
    """The Cartesian product of keyword axes as a list of dicts:
    ``grid(H=[500, 784], replica=[0, 1])`` → 4 dicts."""
    keys = list(axes)
    return [dict(zip(keys, vals)) for vals in itertools.product(*(axes[k] for k in keys))]


def sweep(func, points, *, n_jobs=None, backend=None, verbose=0):
    """Call ``func(**point)`` for every point (a dict of keyword arguments) and return the
    results in order.

    Parameters
    ----------
    func : callable
        A module-level function (it is pickled to the workers).
    points : iterable of dict
    n_jobs : int, optional
        Workers; default: the environment variable ``RBMPHYS_JOBS`` or every core
        (``-1``). ``1`` runs in this process (no pickling, easiest to debug).
    backend : str, optional
        joblib backend: ``"loky"`` (default, local processes with one BLAS thread each) or
        any other name joblib knows, e.g. ``"dask"`` inside a ``dask.distributed.Client``.

    Examples
    --------
    >>> sweep(pow, [{"base": 2, "exp": 3}, {"base": 3, "exp": 2}], n_jobs=1)
    [8, 9]
    """
    from joblib import Parallel, delayed, parallel_config
    points = list(points)
    if n_jobs is None:
        n_jobs = int(os.environ.get("RBMPHYS_JOBS", "-1"))
    if n_jobs == 1 or len(points) <= 1:
        return [func(**p) for p in points]
    cfg = (parallel_config(backend="loky", inner_max_num_threads=1) if backend in (None, "loky")
           else parallel_config(backend=backend))
    with cfg:
        return Parallel(n_jobs=n_jobs, verbose=verbose)(delayed(func)(**p) for p in points)
