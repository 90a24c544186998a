r"""What training records, epoch by epoch.

Each record holds the epoch, the learning rate, the wall time and the mean-field
reconstruction error :math:`\langle (v - E[v\,|\,h = E[h|v]])^2\rangle` on a fixed subset of the
data; when the model is small enough to enumerate, the exact train (and test) log-likelihood;
at chosen epochs, AIS and reverse-AIS estimates of ln Z and the test log-likelihood bracket
:math:`[\mathcal L_\text{reverse AIS}, \mathcal L_\text{AIS}]` (forward AIS underestimates ln Z in
expectation, reverse AIS overestimates it); and optionally the singular values of W (the
weight spectrum, Chapters 6 and 8).

Introduced in Chapter 2.
"""

from __future__ import annotations

import dataclasses
import math

import numpy as np

from .._validation import check_int

__all__ = ["History", "Monitor", "reconstruction_error"]


@dataclasses.dataclass(frozen=True)
class Monitor:
    """What :class:`History` measures after each epoch (``Trainer.fit(monitor=...)``).

    Parameters
    ----------
    test : ndarray (n, V), optional
        Held-out states: their exact log-likelihood (enumerable models) and the AIS bracket.
    every : int
        Epochs between the cheap measurements (reconstruction error, exact log-likelihood);
        0 records only epoch, rate and time (what a timing run wants).
    exact : bool or None
        Exact ln Z and log-likelihood: always, never, or (None) when the model is enumerable.
    ais_every : int, optional
        Epochs between AIS and reverse-AIS estimates of ln Z (None: never).
    n_chains, n_betas : int
        AIS chains and inverse temperatures.
    spectrum_every : int, optional
        Epochs between records of the singular values of W (Chapters 6, 8).
    recon_size : int
        Data points in the reconstruction error.

    A plain dict with these keys is accepted wherever a Monitor is (``monitor={"every": 0}``).

    Introduced in Chapter 2.
    """

    test: object = None
    every: int = 1
    exact: bool | None = None
    ais_every: int | None = None
    n_chains: int = 100
    n_betas: int = 1000
    spectrum_every: int | None = None
    recon_size: int = 256

    def __post_init__(self):
        object.__setattr__(self, "every", check_int(self.every, "monitor every", 0))
        for name in ("ais_every", "spectrum_every"):
            if getattr(self, name) is not None:
                object.__setattr__(self, name, check_int(getattr(self, name),
                                                         f"monitor {name}", 0))
        for name in ("n_chains", "n_betas", "recon_size"):
            object.__setattr__(self, name, check_int(getattr(self, name), f"monitor {name}", 1))

    @classmethod
    def of(cls, monitor):
        """``monitor`` as a Monitor: None → the defaults, a dict → its keys (an unknown key is
        a ValueError naming the known ones), a Monitor → itself."""
        if monitor is None:
            return cls()
        if isinstance(monitor, cls):
            return monitor
        if isinstance(monitor, dict):
            known = {f.name for f in dataclasses.fields(cls)}
            unknown = set(monitor) - known
            if unknown:
                raise ValueError(f"unknown monitor keys {sorted(unknown)}; known: "
                                 f"{sorted(known)}")
            return cls(**monitor)
        raise TypeError(f"monitor must be a rbmphys.training.Monitor or a dict, got "
                        f"{type(monitor).__name__}")


def reconstruction_error(model, v):
    r"""Mean-field reconstruction error :math:`\langle (v - E[v\,|\,h=E[h|v]])^2\rangle`.

    Two GEMMs in the model's dtype and the units' fused mean passes (cheap enough to record
    every epoch); the mean of the squares is accumulated in float64."""
    v = np.ascontiguousarray(v, dtype=model.dtype)
    W = model.W
    h = model.hidden.mean_pass(v @ W, model.b.astype(model.dtype, copy=False))
    r = model.visible.mean_pass(h @ W.T, model.a.astype(model.dtype, copy=False))
    d = v.astype(np.float64) - r
    return float(np.mean(d * d))


def _json_value(x):
    if isinstance(x, np.ndarray):
        return x.tolist()
    if isinstance(x, (np.floating, np.integer)):
        return x.item()
    return x


class History:
    """Per-epoch training records.

    ``history["exact_ll"]`` is an array over the recorded epochs (NaN where a quantity was not
    measured); ``history.epochs`` the epoch numbers; ``history.to_dict()`` a JSON-ready dict.
    """

    def __init__(self, records=None):
        self.records = list(records or [])

    def truncate(self, n):
        """Keep the first ``n`` records (used when an interrupted epoch is rolled back)."""
        del self.records[n:]

    def __len__(self):
        return len(self.records)

    @property
    def epochs(self):
        return np.array([r["epoch"] for r in self.records])

    @property
    def last(self):
        return self.records[-1] if self.records else {}

    def keys(self):
        ks = []
        for r in self.records:
            ks += [k for k in r if k not in ks]
        return ks

    def __getitem__(self, key):
        if key not in self.keys():
            raise KeyError(f"no {key!r} in the history; recorded: {self.keys()}")
        vals = [r.get(key, math.nan) for r in self.records]
        try:
            return np.array(vals, dtype=np.float64)
        except (TypeError, ValueError):
            return vals

    def to_dict(self):
        """``{"records": [...]}`` with JSON-ready values.  A record is converted once: later
        calls reuse the conversion of every record that is still the same object, so a
        checkpoint of a long run converts only the new records (records are never changed in
        place once recorded)."""
        cache = self.__dict__.setdefault("_json_cache", [])
        out = []
        for i, r in enumerate(self.records):
            if i < len(cache) and cache[i][0] is r:
                out.append(cache[i][1])
                continue
            del cache[i:]
            j = {k: _json_value(v) for k, v in r.items()}
            cache.append((r, j))
            out.append(j)
        del cache[len(self.records):]
        return {"records": out}

    # ------------------------------------------------------------------ measuring
    def record(self, trainer, data, monitor, lr, seconds):
        """Measure what ``monitor`` (:class:`Monitor` or dict) asks for after this epoch and
        append the record."""
        monitor = Monitor.of(monitor)
        m = trainer.model
        ep = trainer.epoch
        rec = {"epoch": ep, "lr": lr, "seconds": seconds, "updates": trainer.n_updates}
        if monitor.every and ep % monitor.every == 0:
            rec["recon_error"] = reconstruction_error(m, data[:monitor.recon_size])
            from .. import exact
            exact_ok = monitor.exact
            if exact_ok is None:
                exact_ok = exact.enumerable(m)
            if exact_ok:
                log_z = exact.log_partition(m)
                rec["log_z"] = log_z
                rec["exact_ll"] = exact.log_likelihood(m, data, log_z=log_z)
                if monitor.test is not None:
                    rec["exact_test_ll"] = exact.log_likelihood(m, monitor.test, log_z=log_z)
        if monitor.ais_every and ep % monitor.ais_every == 0:
            from ..samplers.ais import ais, reverse_ais
            test = data if monitor.test is None else monitor.test
            kw = {"n_betas": monitor.n_betas}
            seed = trainer.key % (2**31) + ep
            fwd = ais(m, n_chains=monitor.n_chains, data=data, rng=seed, **kw)
            n_rev = min(len(test), monitor.n_chains)
            rev = reverse_ais(m, np.asarray(test)[:n_rev], rng=seed + 1, base_data=data, **kw)
            mean_f = float(np.mean(m.free_energy(test)))
            rec.update(ais_log_z=fwd.log_z, ais_stderr=fwd.stderr, rais_log_z=rev.log_z,
                       rais_stderr=rev.stderr, test_ll_upper=-mean_f - fwd.log_z,
                       test_ll_lower=-mean_f - rev.log_z)
        if monitor.spectrum_every and ep % monitor.spectrum_every == 0:
            rec["singular_values"] = np.linalg.svd(m.W.astype(np.float64), compute_uv=False)
        self.records.append(rec)
        return rec
