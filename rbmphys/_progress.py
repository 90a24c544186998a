"""Progress of long work: a bar on a terminal and in Jupyter, a line now and then elsewhere.

:func:`progress_bar` is the one progress helper of the library (training epochs use it).  Where
it writes:

* a terminal (``stderr`` is a TTY): a ``tqdm`` bar;
* a Jupyter notebook: a notebook bar (``tqdm.auto``; the text bar without ``ipywidgets``);
* anything else (a log file, CI, a pipe): one plain line at most every ``RBMPHYS_PROGRESS_EVERY``
  seconds (default 20) across all bars of the process, so that a long run is never silent for
  minutes and a short one prints nothing.

The environment variable ``RBMPHYS_PROGRESS=0`` silences all of it (the book build sets it, so
that the executed chapters keep only their own output).

Introduced in Chapter 2.
"""

from __future__ import annotations

import os
import sys
import time

from ._runmode import _env_flag, in_notebook

__all__ = ["progress_bar", "LineProgress"]

_last_line = [time.monotonic()]


def _every() -> float:
    raw = os.environ.get("RBMPHYS_PROGRESS_EVERY", "20")
    try:
        every = float(raw)
    except ValueError:
        every = -1.0
    if not every > 0:
        raise ValueError(f"RBMPHYS_PROGRESS_EVERY={raw!r}: seconds between progress lines must "
                         f"be a positive number")
    return every


class LineProgress:
    """A stand-in for a tqdm bar that prints ``desc: k/total unit (p%), t s`` lines.

    A line is printed on :meth:`update` when ``every`` seconds have passed since this bar
    started and since the last progress line of *any* bar in the process (many short runs in a
    row still print now and then), and a closing line when this bar printed any.

    >>> import io
    >>> out = io.StringIO()
    >>> with LineProgress(3, desc="demo", unit="epoch", every=1e-9, file=out) as bar:
    ...     bar.update(3)
    >>> out.getvalue().splitlines()[0].startswith("demo: 3/3 epoch (100%)")
    True
    """

    def __init__(self, total, *, desc="", unit="it", every=20.0, file=None):
        self.total, self.desc, self.unit, self.every = total, desc, unit, float(every)
        self.file = file
        self.n, self.t0, self.printed, self.postfix = 0, time.monotonic(), False, ""

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False

    def _line(self, closing=False):
        pct = f" ({100.0 * self.n / self.total:.0f}%)" if self.total else ""
        tot = f"/{self.total}" if self.total else ""
        post = f", {self.postfix}" if self.postfix else ""
        end = " done" if closing else ""
        print(f"{self.desc or 'progress'}: {self.n}{tot} {self.unit}{pct}, "
              f"{time.monotonic() - self.t0:.0f} s{post}{end}",
              file=self.file or sys.stderr, flush=True)
        _last_line[0] = time.monotonic()
        self.printed = True

    def update(self, n=1):
        self.n += n
        if time.monotonic() - max(_last_line[0], self.t0) >= self.every:
            self._line()

    def set_postfix(self, ordered_dict=None, refresh=True, **kwargs):
        items = dict(ordered_dict or {}, **kwargs)
        self.postfix = ", ".join(f"{k}={v:.4g}" if isinstance(v, float) else f"{k}={v}"
                                 for k, v in items.items())

    def close(self):
        if self.printed and self.n:
            self._line(closing=True)
            self.printed = False


class _NoBar:
    """Nothing to show (``progress=False`` or ``RBMPHYS_PROGRESS=0``)."""

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def update(self, n=1):
        pass

    def set_postfix(self, *args, **kwargs):
        pass

    def close(self):
        pass


def progress_bar(total, *, progress=None, desc="", unit="it"):
    """A progress bar over ``total`` steps, used as a context manager with ``update(n)``.

    Parameters
    ----------
    total : int
        Number of steps (epochs, runs, ...).
    progress : bool or None
        None (default): a bar on a terminal or in Jupyter, a line now and then elsewhere;
        True: a ``tqdm`` bar wherever the output goes; False: nothing.
    desc, unit : str
        What is counted, for the bar's label.

    Returns
    -------
    tqdm or LineProgress
    """
    if progress is False or (progress is None and not _env_flag_default_on("RBMPHYS_PROGRESS")):
        return _NoBar()
    try:
        from tqdm.auto import tqdm       # the notebook bar inside Jupyter, the text bar elsewhere
    except ImportError:
        if progress:
            raise ImportError("progress=True needs tqdm (pip install tqdm)") from None
        tqdm = None
    interactive = in_notebook() or getattr(sys.stderr, "isatty", lambda: False)()
    if tqdm is not None and (progress or interactive):
        return tqdm(total=total, unit=unit, desc=desc, leave=True)
    return LineProgress(total, desc=desc, unit=unit, every=_every())


def _env_flag_default_on(name: str) -> bool:
    return name not in os.environ or _env_flag(name)
