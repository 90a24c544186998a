"""A disk cache for the expensive experiments of a chapter's full run (``joblib.Memory``).

Training an MNIST RBM for Toledo-Marin's Fig. 1 takes minutes; an interrupted or repeated
``rbmphys run ch02`` should not start again from nothing.  Experiment functions decorated with
:func:`cached` store their results on disk, keyed by their arguments, their own source code, the
rbmphys version and a digest of every source file an experiment can reach (the kernels, models,
samplers, trainers: :func:`rbmphys._version.code_digest` of the package without ``verify/``,
``site/`` and the plotting code).  Its own source alone would not do: a new random stream in a
Gibbs kernel changes every number an unchanged experiment computes.  So a changed experiment, a
changed kernel or a new release never returns stale results; the price is that any edit of the
library's code recomputes the experiments once.

Location: ``$RBMPHYS_CACHE`` if set, else ``~/.cache/rbmphys``; ``rbmphys run chNN`` prints it,
``--fresh`` recomputes (and overwrites) everything, and ``rbmphys.experiments.cache.clear()`` empties
it.  Quick runs are cached too (they are cheap either way).

Introduced in Chapter 2.
"""

from __future__ import annotations

import functools
import inspect
import os
from pathlib import Path

from .._version import __version__, code_digest

__all__ = ["location", "cached", "fresh", "clear"]

_FRESH = False


def location() -> Path:
    """The cache directory of this rbmphys version."""
    base = os.environ.get("RBMPHYS_CACHE") or os.path.join(os.path.expanduser("~"), ".cache",
                                                           "rbmphys")
    return Path(base) / __version__


#: Parts of the package whose code no cached experiment runs (``tests/test_house.py`` keeps
#: experiments from importing the ledger), so that editing them keeps the cached results.
_NOT_REACHED = ("verify/", "site/", "plotting/", "cli.py", "__main__.py")


def code_key() -> str:
    """The part of the cache key that follows the library's code (16 hex digits)."""
    return code_digest(exclude=_NOT_REACHED, suffixes=(".py",))[:16]


def _results_dir() -> Path:
    return location() / "experiments" / code_key()


def _memory():
    import joblib
    return joblib.Memory(str(_results_dir()), verbose=0)


def fresh(on=True):
    """Ignore (and overwrite) cached results from now on (``rbmphys run --fresh``)."""
    global _FRESH
    _FRESH = bool(on)


def cached(func):
    """Decorator: cache ``func``'s results on disk (see the module docstring)."""
    state = {}
    signature = inspect.signature(func)

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        signature.bind(*args, **kwargs)     # a wrong call is a TypeError, cached or not
        if os.environ.get("RBMPHYS_NO_CACHE"):
            return func(*args, **kwargs)
        key = _results_dir()
        if state.get("loc") != key:
            state["loc"], state["f"] = key, _memory().cache(func)
        mf = state["f"]
        if _FRESH:
            return mf.call(*args, **kwargs)[0]
        return mf(*args, **kwargs)

    wrapper.uncached = func
    return wrapper


def clear():
    """Remove every cached result of this rbmphys version (those of older code included)."""
    import shutil
    for part in ("experiments", "joblib"):      # "joblib": where earlier builds kept them
        shutil.rmtree(location() / part, ignore_errors=True)
