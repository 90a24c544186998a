r"""The claim registry behind ``rbmphys verify``.

A *claim* is one analytic statement of the book checked numerically: an id
(``"ch01.gauge_pv"``), the chapter, its source (paper key + equation), the value the closed form
predicts, the value measured, a tolerance **and the reason for that tolerance**, and a verdict.

Claims are plain functions registered with :func:`claim`; each takes ``quick`` (bool) and returns
a :class:`Measurement`.  Chapters call :func:`check` for the claims they discuss, so the book
and the ledger can never disagree.  Tolerance kinds (``compare``):

* ``"abs"``: :math:`|m - e| \le \text{tol}`;
* ``"rel"``: :math:`|m - e| \le \text{tol}\,|e|`;
* ``"le"``: :math:`m \le e + \text{tol}` (an upper bound, e.g. AIS ≤ exact);
* ``"ge"``: :math:`m \ge e - \text{tol}` (a lower bound, e.g. a p-value above α, a speed-up);
* ``"eq"``: exact equality (integers, counts, sets).

Introduced in Chapter 1.
"""

from __future__ import annotations

import dataclasses
import importlib
import importlib.util
import math
import re
import time
from typing import Callable

import numpy as np

from .._state import jsonable as _jsonable
from .book import CHAPTERS

__all__ = ["Measurement", "ClaimResult", "Claim", "claim", "registry", "get_claim", "check",
           "run_claims", "load_all", "CLAIM_MODULES", "nanmax", "worst_over", "roundoff_bound",
           "t_bound", "EPS", "chapter_of"]

#: Chapter -> module that registers its claims (imported on demand), from the one chapter
#: table (:data:`rbmphys.verify.book.CHAPTERS`): a new chapter is one row there and one
#: ``claims/chNN.py``.
CLAIM_MODULES = {c.number: f"rbmphys.verify.claims.ch{c.number:02d}" for c in CHAPTERS}

_COMPARES = ("abs", "rel", "le", "ge", "eq")


@dataclasses.dataclass
class Measurement:
    """What a claim function returns.

    Attributes
    ----------
    expected : float or int
        The closed form's (or exact enumeration's) value.
    measured : float or int
        The numerical measurement.
    tolerance : float
        Allowed deviation, interpreted by ``compare``.
    reason : str
        Why this tolerance ("identity: float64 round-off", "3 standard errors of AIS", ...).
    compare : str
        One of ``"abs"``, ``"rel"``, ``"le"``, ``"ge"``, ``"eq"``.
    details : dict
        Anything else worth printing or saving (sizes, seeds, standard errors).
    stderr, max_stderr : float, optional
        For Monte Carlo claims: the measurement's standard error and a cap on it.  A tolerance
        of k standard errors alone would let a noisier (worse) estimate pass more easily, so
        the claim fails when ``stderr > max_stderr`` whatever the deviation.
    """

    expected: float
    measured: float
    tolerance: float
    reason: str
    compare: str = "abs"
    details: dict = dataclasses.field(default_factory=dict)
    stderr: float | None = None
    max_stderr: float | None = None

    def __post_init__(self):
        if self.compare not in _COMPARES:
            raise ValueError(f"compare must be one of {_COMPARES}, got {self.compare!r}")
        if not self.reason:
            raise ValueError("every claim needs the reason for its tolerance")

    def passed(self) -> bool:
        if self.max_stderr is not None:
            if self.stderr is None or not math.isfinite(float(self.stderr)) \
                    or float(self.stderr) > self.max_stderr:
                return False
        e, m, t = self.expected, self.measured, self.tolerance
        if self.compare == "eq":
            return bool(np.all(np.asarray(m) == np.asarray(e)))
        e, m = float(e), float(m)
        if not (math.isfinite(m) and math.isfinite(e)):
            return False
        t = float(t)                    # a NumPy tolerance would make the verdict np.bool_
        if self.compare == "abs":
            return abs(m - e) <= t
        if self.compare == "rel":
            return abs(m - e) <= t * abs(e)
        if self.compare == "le":
            return m <= e + t
        return m >= e - t  # "ge"


@dataclasses.dataclass
class Claim:
    """A registered claim (see :func:`claim`)."""

    id: str
    chapter: int
    title: str
    source: str
    func: Callable[[bool], Measurement]
    slow: bool = False

    def run(self, quick: bool = True) -> "ClaimResult":
        t0 = time.perf_counter()
        try:
            m = self.func(quick)
            if not isinstance(m, Measurement):
                raise TypeError(f"claim {self.id} returned {type(m).__name__}, not Measurement")
            passed, error = m.passed(), None
        except Exception as exc:  # a crashing claim is a failed claim, with its message
            m, passed, error = None, False, f"{type(exc).__name__}: {exc}"
        return ClaimResult(self, m, passed, time.perf_counter() - t0, error, quick)


@dataclasses.dataclass
class ClaimResult:
    """The outcome of running one claim."""

    claim: Claim
    measurement: Measurement | None
    passed: bool
    seconds: float
    error: str | None = None
    quick: bool = True

    def to_dict(self) -> dict:
        m = self.measurement
        out = {"id": self.claim.id, "chapter": self.claim.chapter, "title": self.claim.title,
               "source": self.claim.source, "quick": self.quick, "passed": self.passed,
               "seconds": round(self.seconds, 4), "error": self.error}
        if m is not None:
            out.update(expected=_jsonable(m.expected), measured=_jsonable(m.measured),
                       tolerance=_jsonable(m.tolerance), compare=m.compare, reason=m.reason,
                       stderr=_jsonable(m.stderr), max_stderr=_jsonable(m.max_stderr),
                       details={k: _jsonable(v) for k, v in m.details.items()})
        return out

    def _repr_pretty_(self, p, cycle):
        # a chapter's last ``ledger.check(...)`` of a cell: its line is printed already
        p.text(f"ClaimResult({self.claim.id}: {'PASS' if self.passed else 'FAIL'})")

    def line(self) -> str:
        """One human-readable line: verdict, id, expected, measured, tolerance."""
        m = self.measurement
        verdict = "PASS" if self.passed else "FAIL"
        if m is None:
            return f"{verdict}  {self.claim.id:<28s} {self.error}"
        sym = {"abs": "±", "rel": "±rel", "le": "≤+", "ge": "≥-", "eq": "=="}[m.compare]
        se = "" if m.max_stderr is None else \
            f"; SE {_fmt(m.stderr)} (cap {_fmt(m.max_stderr)})"
        return (f"{verdict}  {self.claim.id:<28s} expected {_fmt(m.expected):>12s}  "
                f"measured {_fmt(m.measured):>12s}  ({sym} {_fmt(m.tolerance)}: {m.reason}{se})")


def _fmt(x):
    if isinstance(x, (int, np.integer)):
        return str(int(x))
    if isinstance(x, (float, np.floating)):
        return f"{float(x):.6g}"
    return str(x)


def nanmax(*values):
    """The largest of ``values`` — NaN if any is NaN (Python's ``max`` would silently drop a
    NaN that comes second, and a broken measurement would pass)."""
    arr = np.array([np.max(np.asarray(v, dtype=np.float64)) for v in values])
    return float(np.nan if np.isnan(arr).any() else arr.max())



def worst_over(cases, error):
    """The worst error of a claim over its cases, and the rows of numbers it reports.

    The common shape of a claim: for each case (a parameter point, a model, a size) compute an
    error against the independent route, keep the largest, and report one row per case.

    Parameters
    ----------
    cases : iterable
        The cases, in the order they are run (the order of any random draws they make).
    error : callable
        ``error(case)`` returns the case's error — a number, an array or a tuple of them,
        whose largest entry counts — or a pair ``(error, row)`` whose ``row`` (a dict) is
        that case's line of the claim's details.

    Returns
    -------
    worst : float
        The largest error over all cases; NaN as soon as any error is NaN (see
        :func:`nanmax`: a broken measurement must fail its claim, not be dropped), and 0.0
        when there are no cases.
    rows : list of dict
        The rows the cases returned, in order (empty when ``error`` returns none).
    """
    worst, rows = 0.0, []
    for case in cases:
        out = error(case)
        if isinstance(out, tuple) and len(out) == 2 and isinstance(out[1], dict):
            out, row = out
            rows.append(row)
        worst = nanmax(worst, *(out if isinstance(out, tuple) else (out,)))
    return worst, rows

#: float64 unit round-off ×2 (the spacing of floats at 1).
EPS = float(np.finfo(np.float64).eps)


def roundoff_bound(n_terms, magnitude, safety=8.0):
    r"""A-priori float64 round-off bound of a computation that sums ``n_terms`` terms of
    size at most ``magnitude``: :math:`s\,n\,\varepsilon\,M` (the worst case of recursive
    summation, :math:`\gamma_n \approx n\varepsilon`, Higham, *Accuracy and Stability of
    Numerical Algorithms*, §4.2), with a safety factor ``s`` for the few operations around the
    sum (an exponential, a subtraction of two such sums).

    Identity claims set their tolerance from it, so that the tolerance grows with the sizes the
    claim runs at (full mode enumerates larger models than quick mode) while a wrong factor —
    an error of order :math:`M` itself — still fails by many orders of magnitude.
    """
    n, m = float(n_terms), float(magnitude)
    if not (n >= 1 and np.isfinite(m) and m >= 0):
        raise ValueError(f"roundoff_bound needs n_terms >= 1 and a finite magnitude >= 0, got "
                         f"{n_terms!r}, {magnitude!r}")
    return safety * n * EPS * max(m, 1.0)


def t_bound(n_groups, n_comparisons, alarm=1e-3):
    r"""The bound on the largest of ``n_comparisons`` \|z\|-scores whose standard errors come
    from the spread of ``n_groups`` independent runs (or batches) of the same measurement.

    Such a score is Student-t with :math:`n - 1` degrees of freedom under the claim, not
    Gaussian: with :math:`n = 12` runs, 4.5 is exceeded by chance 130 times as often as the
    Gaussian tail says.  The bound is the t quantile

    .. math:: t_{n-1}\bigl(1 - \alpha / (2m)\bigr),

    at which any of the :math:`m` comparisons exceeds it with probability at most
    :math:`\alpha` (the Bonferroni union bound; a family-wise false-alarm rate).  A claim that
    uses it states :math:`n`, :math:`m` and :math:`\alpha` in its reason.

    Parameters
    ----------
    n_groups : int
        Independent runs the standard error is estimated from (at least 2).
    n_comparisons : int
        How many scores the claim takes the largest of (at least 1).
    alarm : float
        The family-wise false-alarm rate :math:`\alpha`, in (0, 1).
    """
    n, m = int(n_groups), int(n_comparisons)
    if n != n_groups or m != n_comparisons or n < 2 or m < 1 or not 0.0 < alarm < 1.0:
        raise ValueError(f"t_bound needs integers n_groups >= 2 and n_comparisons >= 1 and an "
                         f"alarm rate in (0, 1), got {n_groups!r}, {n_comparisons!r}, {alarm!r}")
    from scipy import stats
    return float(stats.t.ppf(1.0 - alarm / (2.0 * m), n - 1))


registry: dict[str, Claim] = {}


_CLAIM_ID = re.compile(r"ch(\d+)\.\w")


def chapter_of(claim_id: str) -> int:
    """The chapter a claim id names: ``"ch06.mp_peak"`` -> 6.

    Raises
    ------
    ValueError
        If ``claim_id`` does not start with ``chNN.`` followed by a name.
    """
    m = _CLAIM_ID.match(claim_id)
    if m is None:
        raise ValueError(f"a claim id is 'chNN.name' (its chapter, then a name), got {claim_id!r}")
    return int(m.group(1))


def claim(id: str, *, title: str, source: str, slow: bool = False, chapter: int | None = None):
    """Decorator registering a claim function ``f(quick: bool) -> Measurement``.

    The chapter is the one the id names (``"ch06.x"`` is a Chapter 6 claim); ``chapter=``
    is still accepted, and must agree with the id.  ``slow=True`` claims are skipped by
    ``verify --quick``.
    """
    number = chapter_of(id)
    if chapter is not None and chapter != number:
        raise ValueError(f"claim {id!r} names chapter {number}, but chapter={chapter!r} was given")

    def deco(func):
        if id in registry:
            raise ValueError(f"claim id {id!r} registered twice")
        registry[id] = Claim(id, number, title, source, func, slow)
        return func
    return deco


def load_all(chapters=None):
    """Import the claim modules of ``chapters`` (all by default) so their claims register."""
    for ch, mod in CLAIM_MODULES.items():
        if (chapters is None or ch in chapters) and importlib.util.find_spec(mod) is not None:
            importlib.import_module(mod)


def get_claim(claim_id: str) -> Claim:
    """The registered claim ``claim_id`` (its chapter's module is imported if needed)."""
    if claim_id not in registry:
        try:
            ch = chapter_of(claim_id)
        except ValueError:
            ch = None
        load_all([ch] if ch in CLAIM_MODULES else None)
    try:
        return registry[claim_id]
    except KeyError:
        raise KeyError(f"no claim {claim_id!r}; known: {sorted(registry)}") from None


def check(claim_id: str, quick: bool = True, echo: bool = True) -> ClaimResult:
    """Run one claim (as a chapter does) and print its ledger line."""
    res = get_claim(claim_id).run(quick)
    if echo:
        print(res.line(), flush=True)
    return res


def run_claims(chapters=None, quick=True, echo=True, stream=None):
    """Run the claims of ``chapters`` (all if None); slow claims are skipped when ``quick``."""
    load_all(chapters)
    results = []
    for c in sorted(registry.values(), key=lambda c: (c.chapter, c.id)):
        if chapters is not None and c.chapter not in chapters:
            continue
        if quick and c.slow:
            continue
        r = c.run(quick)
        results.append(r)
        if echo:
            print(r.line(), file=stream, flush=True)
    return results
