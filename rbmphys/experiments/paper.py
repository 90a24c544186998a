r"""Paper-scale runs: the papers' sizes where this machine allows, resumable, results as data.

The chapters run in seconds (``--quick``) or minutes (full); several of the papers'
*conclusions* only show at the papers' own sizes (H = 3000 hidden units, K = 190 patterns,
tens of epochs).  This module holds those runs.  Each :class:`PaperRun` is a set of independent
*instances* (replicas, hidden sizes, seeds) that

* train epoch by epoch and write a checkpoint (:meth:`rbmphys.training.Trainer.save`) and the
  measurements so far (an atomically replaced JSON file) after every epoch, so that an
  interrupted run resumes where it stopped, to the same bits (the measurements are seeded by
  epoch, not by a generator that lives in the process);
* go through :func:`rbmphys.parallel.run`, so more cores (or a Dask cluster) give more
  instances at the same time, with the same results;
* end in one JSON file per run in the results directory — the measurements of every instance,
  a summary, the verdict on the paper's conclusion and the evidence for it, and provenance
  (git commit, configuration, seeds, wall time, machine, library versions).

The results of the runs made for this book ship with the package
(``rbmphys/experiments/results/``); the chapters and ``rbmphys list --figures`` read them
(:func:`load`, :func:`verdict`).  ``rbmphys run chNN --paper`` (re)makes the runs of a chapter:

==================  =======  ===========================  ======================================
run                 chapter  paper figure                 what
==================  =======  ===========================  ======================================
``scalar_2d``       5        Aarts et al. Figs. 9, 12     PCD of the 2D free field vs the ODE
``toledo_ll``       2        Toledo-Marin Fig. 1          PCD-1 log-likelihood for three H
``rapid_bas``       9        Pozas-Kerstjens Fig. 5       RAPID on BAS 12×12, sign projection
``rapid_mnist``     9        Pozas-Kerstjens Figs. 6, 7   RAPID on MNIST, H = 3000, K = 190
==================  =======  ===========================  ======================================

Where the runs are kept while they run: ``<cache>/paper/<run>/<instance>/`` under
:func:`rbmphys.experiments.cache.location`, each instance's directory holding its configuration
(``config.json``), checkpoint (``trainer.npz``), measurements (``record.json``) and a lock
(``.lock``: one process at a time); where results go: ``$RBMPHYS_RESULTS`` if set, else the
package's ``results`` directory (if it is not writable, pass ``results``).  What is read back
is checked first: a directory of another configuration, a record or results file that is not
one (not JSON, wrong keys or types, over :data:`MAX_JSON_BYTES`, not a regular file) or a
checkpoint of another model or seed is refused with a :class:`ValueError` naming the file.

Introduced in Chapter 2 (Toledo-Marin's Fig. 1); used in Chapters 5 and 9.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime
import functools
import json
import os
import platform
import subprocess
import time
from pathlib import Path

import numpy as np

from .._state import jsonable

__all__ = ["PaperRun", "RUNS", "runs_for_chapter", "run", "load", "verdict", "show",
           "results_dir", "work_dir"]

#: Where the results of the book's own paper-scale runs are shipped.
PACKAGE_RESULTS = Path(__file__).resolve().parent / "results"


def results_dir() -> Path:
    """``$RBMPHYS_RESULTS`` if set, else the package's results directory."""
    env = os.environ.get("RBMPHYS_RESULTS")
    return Path(env) if env else PACKAGE_RESULTS


def work_dir() -> Path:
    """Where paper runs keep their checkpoints while they run (under the experiment cache)."""
    from .cache import location
    return location() / "paper"


# --------------------------------------------------------------------------------------------
# the resumable loop every instance shares


def _write_json(path, obj):
    """Replace ``path`` atomically by ``obj`` as JSON (a crash leaves the old file or the new)."""
    path = Path(path)
    tmp = path.with_name(path.name + f".tmp{os.getpid()}")
    with open(tmp, "w") as f:
        json.dump(jsonable(obj), f, indent=1)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


#: Largest JSON file (a result, a record, an instance's configuration) read back.
MAX_JSON_BYTES = 64 * 2**20


def _read_json(path, what):
    """The parsed JSON file ``path``, or a :class:`ValueError` naming ``path`` and ``what`` it
    should be: a path that is not a regular file (a directory, a device or pipe behind a
    symbolic link), a file over :data:`MAX_JSON_BYTES`, or text that is not JSON (nested too
    deeply, an integer of too many digits) is refused without reading more than that."""
    path = Path(path)
    if not path.is_file():
        raise ValueError(f"{path}: not {what} (not a regular file)")
    with open(path, "rb") as fh:
        raw = fh.read(MAX_JSON_BYTES + 1)
    if len(raw) > MAX_JSON_BYTES:
        raise ValueError(f"{path}: {what} larger than {MAX_JSON_BYTES // 2**20} MiB is refused")
    try:
        return json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise ValueError(f"{path}: not {what} (invalid JSON: {str(exc)[:200]})") from None


def _is_int(x):
    return isinstance(x, int) and not isinstance(x, bool)


def _is_number(x):
    """A JSON number (``true``/``false`` are Python bools, which are ints: not numbers here)."""
    return isinstance(x, (int, float)) and not isinstance(x, bool)


#: The keys of an instance's record that are not one measurement per epoch.
_RECORD_OTHER = {"train_seconds", "measure_seconds", "started_commit", "diverged", "final"}


def _read_record(path):
    """The measurements so far of one instance (``record.json``), checked: a dict whose
    ``epoch`` is an increasing list of epochs, every key but those of :data:`_RECORD_OTHER` a
    list of as many numbers (one measurement per epoch), non-negative finite seconds, and
    strings ``started_commit`` (or null) and ``diverged``."""
    rec = _read_json(path, "the record of a paper-run instance")
    why = None
    if not isinstance(rec, dict):
        why = f"a JSON {type(rec).__name__}, not an object"
    elif not (isinstance(rec.get("epoch"), list) and all(_is_int(e) and e >= 0
                                                         for e in rec["epoch"])):
        why = "'epoch' must be a list of non-negative integers"
    elif any(a >= b for a, b in zip(rec["epoch"], rec["epoch"][1:])):
        why = "'epoch' must increase"
    else:
        n = len(rec["epoch"])
        bad = [k for k, v in rec.items() if isinstance(v, list) and len(v) != n]
        secs = [k for k in ("train_seconds", "measure_seconds") if k in rec and not (
            _is_number(rec[k]) and 0 <= rec[k] < float("inf"))]
        numbers = [k for k, v in rec.items() if k not in _RECORD_OTHER | {"epoch"} and not (
            isinstance(v, list) and all(_is_number(x) for x in v))]
        kinds = [k for k, t in (("started_commit", (str, type(None))), ("diverged", str))
                 if k in rec and not isinstance(rec[k], t)]
        if bad:
            why = f"{bad[0]!r} has {len(rec[bad[0]])} values for {n} epochs"
        elif kinds:
            why = f"{kinds[0]!r} is a JSON {type(rec[kinds[0]]).__name__}"
        elif numbers:
            why = f"{numbers[0]!r} must hold one number per epoch"
        elif secs:
            why = f"{secs[0]!r} must be a non-negative number of seconds"
    if why is not None:
        raise ValueError(f"{path}: not the record of a paper-run instance ({why}); remove the "
                         f"directory {Path(path).parent} to run this instance again")
    return rec


def _same_trainer(tr, fresh):
    """Why the resumed trainer ``tr`` is not one that ``build()`` (``fresh``) starts, or None:
    a model rather than a trainer, another model or rule class, other parameter shapes or
    dtypes, another random key."""
    if not callable(getattr(tr, "fit", None)):
        return f"a {type(tr).__name__}, not a trainer"
    if type(tr.model) is not type(fresh.model) or type(tr.rule) is not type(fresh.rule):
        return (f"a {type(tr.model).__name__} trained by {type(tr.rule).__name__}, not a "
                f"{type(fresh.model).__name__} by {type(fresh.rule).__name__}")
    for k, p in fresh.model.params.items():
        q = tr.model.params.get(k)
        if q is None or q.shape != p.shape or q.dtype != p.dtype:
            return (f"parameter {k} of shape {getattr(q, 'shape', None)}, not {p.shape} "
                    f"{p.dtype}")
    if str(tr.key) != str(fresh.key):
        return "another random seed"
    return None


@contextlib.contextmanager
def _exclusive(workdir):
    """Hold an exclusive lock on ``workdir`` (released when the process ends, even by a crash):
    two processes training the same instance would overwrite each other's files.  Where the
    file system has no locks, no guard."""
    try:
        import fcntl
    except ImportError:             # pragma: no cover - no flock (Windows): no guard
        yield
        return
    with open(workdir / ".lock", "a") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise ValueError(f"{workdir}: the directory is in use by another process running "
                             "this instance; wait for it to finish (or stop it), or pass "
                             "another work directory") from None
        except OSError:             # a file system without locks (some network mounts)
            pass
        yield


def _resumable(workdir, build, data, *, epochs, eval_epochs, measure, finish=None):
    """Train the trainer ``build()`` makes for ``epochs`` epochs on ``data``, one epoch at a
    time, calling ``measure(trainer, epoch) -> dict`` at ``eval_epochs``; checkpoint and
    measurements are written to ``workdir`` after every epoch and picked up when called again.

    Returns the record: ``{"epoch": [...], <measured keys>: [...], "train_seconds": float,
    "final": finish(trainer) or {}}``.

    Raises
    ------
    ValueError
        When ``workdir`` holds a record that is not one (:func:`_read_record`), a checkpoint
        that is not readable (:func:`rbmphys.checkpoint.load`) or not of the trainer
        ``build()`` makes (another model, size or seed), or a checkpoint past measurements
        that the record lacks; or when another process is running the same ``workdir``.
    """
    workdir = Path(workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    with _exclusive(workdir):
        return _resume(workdir, build, data, epochs, eval_epochs, measure, finish)


def _resume(workdir, build, data, epochs, eval_epochs, measure, finish):
    """:func:`_resumable` once ``workdir`` is locked."""
    from .. import checkpoint
    from ..training import TrainingDivergedError
    label = f"{workdir.parent.name}/{workdir.name}"
    ckpt, rec_path = workdir / "trainer.npz", workdir / "record.json"
    eval_epochs = sorted(set(int(e) for e in eval_epochs) | {int(epochs)})
    rec = _read_record(rec_path) if rec_path.exists() else {
        "epoch": [], "train_seconds": 0.0, "measure_seconds": 0.0,
        "started_commit": _git_commit()}
    tr = build()
    if ckpt.exists():
        fresh, tr = tr, checkpoint.load(ckpt)
        why = _same_trainer(tr, fresh)
        if why is not None:
            raise ValueError(f"{ckpt}: not a checkpoint of this instance (it holds {why}: "
                             f"another configuration); remove the directory {workdir} to run "
                             "this instance again")
    if rec["epoch"] and rec["epoch"][-1] > tr.epoch:     # an older checkpoint: drop the rest
        keep = [i for i, e in enumerate(rec["epoch"]) if e <= tr.epoch]
        rec = {k: ([v[i] for i in keep] if isinstance(v, list) else v) for k, v in rec.items()
               if k != "diverged"}                       # a divergence after this checkpoint
    lost = [e for e in eval_epochs if e < tr.epoch and e not in rec["epoch"]]
    if lost:
        raise ValueError(f"{rec_path}: the checkpoint is at epoch {tr.epoch} but the record "
                         f"lacks the measurements of epochs {lost}; remove the directory "
                         f"{workdir} to run this instance again")

    def measure_into(ep):
        if ep in eval_epochs and ep not in rec["epoch"]:
            t0 = time.perf_counter()
            for k, v in measure(tr, ep).items():
                rec.setdefault(k, []).append(v)
            rec["epoch"].append(ep)
            rec["measure_seconds"] = rec.get("measure_seconds", 0.0) + time.perf_counter() - t0
            _write_json(rec_path, rec)

    measure_into(tr.epoch)          # epoch 0, or an epoch whose measurement a crash lost
    while tr.epoch < epochs and "diverged" not in rec:
        t0 = time.perf_counter()
        try:
            tr.fit(data, 1, monitor={"every": 0}, progress=False)
        except TrainingDivergedError as exc:    # the trainer kept the last good state
            rec["diverged"] = str(exc)
        dt = time.perf_counter() - t0
        rec["train_seconds"] = rec.get("train_seconds", 0.0) + dt
        print(f"{label}: epoch {tr.epoch}/{epochs} trained in {dt:.0f} s", flush=True)
        tr.save(ckpt)
        measure_into(tr.epoch)
        _write_json(rec_path, rec)
    rec["final"] = finish(tr) if finish is not None else {}
    _write_json(rec_path, rec)
    return rec


# --------------------------------------------------------------------------------------------
# Pozas-Kerstjens Figs. 6-7: RAPID on MNIST at the paper's sizes


def _ll_bracket(model, train, test, n_chains, n_betas, seed):
    """AIS / reverse-AIS bracket of the mean log-likelihood of ``test`` (and the AIS value on
    ``train``), seeded by ``seed``."""
    import warnings

    import rbmphys as rp
    from rbmphys.samplers.ais import AISWarning
    with warnings.catch_warnings():             # reported as the effective sample size instead
        warnings.simplefilter("ignore", AISWarning)
        fwd = rp.ais(model, n_chains=n_chains, n_betas=n_betas, data=train, rng=seed)
        rev = rp.reverse_ais(model, test[:n_chains], n_betas=n_betas, base_data=train,
                             rng=seed + 1)
    lo, hi = rp.samplers.ll_bracket(model, test, fwd, rev)
    return {"ll_test_lower": float(lo), "ll_test_upper": float(hi),
            "ll_train_upper": float(fwd.log_likelihood(train, model=model)),
            "log_z_ais": float(fwd.log_z), "log_z_ais_se": float(fwd.stderr),
            "log_z_rais": float(rev.log_z), "log_z_rais_se": float(rev.stderr),
            "ess_ais": float(fwd.effective_sample_size),
            "ess_rais": float(rev.effective_sample_size)}


def rapid_mnist_instance(*, workdir, seed, n_hidden, K, lr, epochs, n_train, gibbs_steps,
                         eval_epochs, ais_chains, ais_betas):
    """One RAPID run on the binarised MNIST subset (±1 pixels): patterns clipped to [-1, 1]
    after every update (Pozas-Kerstjens App. B, option 2), negative phase from ``gibbs_steps``
    Gibbs sweeps seeded at the binarised patterns (Sec. V B), batch 100; the test
    log-likelihood bracketed by AIS and reverse AIS at ``eval_epochs``; at the end 16 patterns
    and 16 samples (200 sweeps from uniform noise, and 20 sweeps from the first pattern)."""
    import rbmphys as rp
    tr_x, te_x = rp.datasets.mnist_train_test(n_test=1000, binarize=True, rng=seed)
    train, test = 2.0 * tr_x[:n_train] - 1.0, 2.0 * te_x - 1.0

    def build():
        rule = rp.RAPID(n_patterns=K, projection="clip", clip=1.0, gibbs_steps=gibbs_steps)
        m = rule.attach(rp.SpinRBM(np.zeros((784, n_hidden))), rng=seed)
        return rp.Trainer(m, rule, batch_size=100, lr=lr, rng=seed + 1)

    def measure(tr, ep):
        out = _ll_bracket(tr.model, train, test, ais_chains, ais_betas, seed + 100 + 2 * ep)
        xi = np.abs(tr.rule.xi_v)
        W = tr.model.W
        # how cold the model is: the coupling scale, and the hidden fields a training image
        # sees (|field| ≫ 1: the hidden units are frozen, the landscape is a few deep valleys)
        field = np.abs(train[:200] @ W)
        out.update(w_rms=float(np.sqrt(np.mean(W * W))), xi_v_mean_abs=float(xi.mean()),
                   xi_v_at_clip=float(np.mean(xi >= 1.0)),
                   hidden_field_median=float(np.median(field)))
        return out

    def finish(tr):
        g = np.random.default_rng(seed + 5)
        v0 = np.where(g.random((16, 784)) < 0.5, 1.0, -1.0)
        noise = rp.gibbs(tr.model, v0, n_sweeps=200, rng=seed + 6)
        seeded = np.repeat(np.where(tr.rule.xi_v[:1] >= 0, 1.0, -1.0), 16, axis=0)
        from_pattern = rp.gibbs(tr.model, seeded, n_sweeps=20, rng=seed + 7)
        return {"patterns": tr.rule.xi_v[:16].tolist(), "samples_noise": noise.tolist(),
                "samples_pattern": from_pattern.tolist()}

    return _resumable(workdir, build, train, epochs=epochs, eval_epochs=eval_epochs,
                      measure=measure, finish=finish)


def _rapid_mnist_summary(instances, config):
    r = instances[0]
    nll0, nll1 = -r["ll_test_upper"][0], -r["ll_test_upper"][-1]
    nll_lo1 = -r["ll_test_lower"][-1]
    gap = abs(r["ll_train_upper"][-1] - r["ll_test_upper"][-1])
    orders = np.log10(nll0 / max(nll1, 1e-300))
    uniform = 784 * np.log(2.0)
    summary = {"nll_test_start": nll0, "nll_test_end": nll1, "nll_test_end_rais": nll_lo1,
               "orders_of_magnitude": orders, "train_test_gap": gap,
               "uniform_nll": uniform, "ess_ais_end": r["ess_ais"][-1],
               "ess_rais_end": r["ess_rais"][-1]}
    n_updates = r["epoch"][-1] * (config["instances"][0]["n_train"] // 100)
    summary["updates"] = n_updates
    if "w_rms" in r:
        summary.update(w_rms_start=r["w_rms"][0], w_rms_end=r["w_rms"][-1],
                       hidden_field_end=r["hidden_field_median"][-1])
    ok = orders >= 2.0 and nll1 < uniform and gap < 0.1 * nll1
    evidence = (f"test NLL (AIS) {nll0:.4g} → {nll1:.4g} nats after {r['epoch'][-1]} epochs "
                f"({orders:.1f} orders of magnitude; reverse AIS {nll_lo1:.4g}; uniform "
                f"{uniform:.0f}); train-test gap {gap:.3g} nats; AIS effective sample size "
                f"{r['ess_ais'][-1]:.1f} of {config['instances'][0]['ais_chains']} (forward "
                f"and reverse agree to {abs(nll1 - nll_lo1) / nll1:.1%})")
    if "w_rms" in r:
        evidence += (f"; in {n_updates} updates the couplings shrink from RMS "
                     f"{r['w_rms'][0]:.2f} to {r['w_rms'][-1]:.2f}, but the median hidden field "
                     f"|Σ W v| of a training image is still {r['hidden_field_median'][-1]:.0f} "
                     "≫ 1: the model is still cold, its mass on few deep valleys (the paper: "
                     "60 000 images, 600 updates per epoch)")
    return summary, ok, evidence


# --------------------------------------------------------------------------------------------
# Pozas-Kerstjens Fig. 5: RAPID on BAS 12×12 with the sign projection


def rapid_bas_instance(*, workdir, seed, n_hidden, K, lr, epochs, n_eval, projection,
                       role="paper"):
    """One RAPID run on bars-and-stripes 12×12 (8188 images, 80/20 split with each image and
    its flip on the same side), batch 120, the sign projection after every epoch (App. B);
    Hamming distance of reconstructions from the clamped first row and column (App. C) on
    ``n_eval`` training and test images after every epoch."""
    import rbmphys as rp
    from rbmphys.analysis.spinglass import hamming_distance, reconstruct, top_row_mask
    data = 2.0 * rp.datasets.bars_and_stripes(12) - 1.0
    train, test = rp.datasets.train_test_split(data, test_fraction=0.2, rng=seed)
    g = np.random.default_rng(seed)
    ev_tr = train[g.choice(len(train), n_eval, replace=False)]
    ev_te = test[g.choice(len(test), n_eval, replace=False)]
    clamp = top_row_mask((12, 12))
    clamp = clamp | clamp.reshape(12, 12).T.ravel()

    def build():
        rule = rp.RAPID(n_patterns=K, projection=projection)
        m = rule.attach(rp.SpinRBM(np.zeros((144, n_hidden))), rng=seed)
        return rp.Trainer(m, rule, batch_size=120, lr=lr, rng=seed + 1)

    def measure(tr, ep):
        out = {}
        for name, x, s in (("hd_train", ev_tr, 2), ("hd_test", ev_te, 3)):
            r = reconstruct(tr.model, x, clamp, n_sweeps=10, rng=seed + 10 * ep + s)
            out[name] = float(hamming_distance(r, x, ~clamp).mean())
        return out

    def finish(tr):
        gf = np.random.default_rng(seed + 4)
        v0 = np.where(gf.random((8, 144)) < 0.5, 1.0, -1.0)
        samples = rp.gibbs(tr.model, v0, n_sweeps=50, rng=seed + 5)
        # does the model prefer BAS images at all?  Free energies of test images, of uniform
        # random images and of its own samples; and whether longer reconstruction chains help
        noise = np.where(gf.random((n_eval, 144)) < 0.5, 1.0, -1.0)
        F = tr.model.free_energy
        long = reconstruct(tr.model, ev_te, clamp, n_sweeps=200, rng=seed + 6)
        return {"samples": samples.tolist(),
                "free_energy_test": float(np.mean(F(ev_te))),
                "free_energy_train": float(np.mean(F(ev_tr))),
                "free_energy_noise": float(np.mean(F(noise))),
                "free_energy_samples": float(np.mean(F(samples))),
                "free_energy_patterns": float(np.mean(F(np.where(tr.rule.xi_v >= 0, 1.0,
                                                                 -1.0)))),
                "hd_test_200_sweeps": float(hamming_distance(long, ev_te, ~clamp).mean())}

    return _resumable(workdir, build, train, epochs=epochs, eval_epochs=range(epochs + 1),
                      measure=measure, finish=finish)


def _rapid_bas_summary(instances, config):
    roles = [c.get("role", "paper") for c in config["instances"]]
    main = [r for r, role in zip(instances, roles) if role == "paper"]
    te = np.array([r["hd_test"] for r in main])
    trn = np.array([r["hd_train"] for r in main])
    best = float(te.mean(0).min())
    end_te, end_tr = float(te[:, -1].mean()), float(trn[:, -1].mean())
    probes = {}
    for r, role in zip(instances, roles):
        if role != "paper":
            probes.setdefault(role, []).append(r["hd_test"])
    probe_end = {k: float(np.mean([v[-1] for v in vs])) for k, vs in probes.items()}
    probe_best = {k: float(np.min(np.mean(vs, axis=0))) for k, vs in probes.items()}
    summary = {"runs": len(main), "hd_test_start": float(te[:, 0].mean()), "hd_test_end": end_te,
               "hd_train_end": end_tr, "hd_test_best": best,
               "hd_test_end_spread": float(te[:, -1].std(ddof=1)) if len(te) > 1 else 0.0,
               "hd_test_mean": te.mean(0).tolist(), "hd_train_mean": trn.mean(0).tolist(),
               "hd_test_std": te.std(0).tolist(), "chance": 0.5,
               "probe_hd_test_end": probe_end, "probe_hd_test_best": probe_best}
    fin = {k: float(np.mean([r["final"][k] for r in main]))
           for k in ("free_energy_test", "free_energy_train", "free_energy_noise",
                     "free_energy_samples", "free_energy_patterns", "hd_test_200_sweeps")
           if all(k in r.get("final", {}) for r in main)}
    summary.update(fin)
    if all("samples" in r.get("final", {}) for r in main):
        summary["samples_abs_magnetisation"] = float(np.mean(
            [np.abs(np.mean(r["final"]["samples"], axis=1)).mean() for r in main]))
    ok = end_te < 0.25
    evidence = (f"{len(main)} runs: normalised Hamming distance of test reconstructions "
                f"{summary['hd_test_start']:.3f} → {end_te:.3f} (train {end_tr:.3f}; best "
                f"epoch {best:.3f}; chance 0.500; the paper: close to 0)")
    if len(fin) == 6:
        evidence += (f"; 200 reconstruction sweeps instead of 10: {fin['hd_test_200_sweeps']:.3f}"
                     f"; mean free energy of test images {fin['free_energy_test']:.1f}, of "
                     f"training images {fin['free_energy_train']:.1f}, of uniform noise "
                     f"{fin['free_energy_noise']:.1f}, of the patterns ξ_v "
                     f"{fin['free_energy_patterns']:.1f}, of the model's Gibbs samples "
                     f"{fin['free_energy_samples']:.1f}")
    if "samples_abs_magnetisation" in summary:
        evidence += (f"; the samples' mean |magnetisation| is "
                     f"{summary['samples_abs_magnetisation']:.2f} (1: all pixels equal, the "
                     "blank and full images that BAS leaves out)")
    if probes:
        evidence += ("; no probe of the protocol does better: best epoch "
                     + ", ".join(f"{k[6:]} {v:.3f}" for k, v in probe_best.items()))
    return summary, ok, evidence


# --------------------------------------------------------------------------------------------
# Toledo-Marin Fig. 1: PCD-1 log-likelihood against epochs for several hidden sizes


def toledo_ll_instance(*, workdir, seed, H, replica, epochs, eval_epochs, lr, n_train,
                       n_betas, n_chains, pcd_chains=100, role="paper"):
    """One PCD-1 run of Toledo-Marin Fig. 1 (float32, batch 100, ``pcd_chains`` persistent
    chains, visible biases at the data's base rate): the test log-likelihood bracketed by AIS
    (upper) and reverse AIS from test images (lower), ``n_chains`` chains and ``n_betas``
    temperatures, at ``eval_epochs``; the AIS value on the training images beside it."""
    import rbmphys as rp
    train, test = rp.datasets.mnist_train_test(n_test=1000, binarize=True, rng=seed)
    train = train[:n_train]
    s = seed + 1000 * replica + int(H)

    def build():
        p = np.clip((train.sum(0) + 1) / (len(train) + 2), 1e-3, 1 - 1e-3)
        m = rp.BernoulliRBM.random(784, H, weight_scale=0.01, rng=s, dtype=np.float32)
        m.a[:] = np.log(p) - np.log1p(-p)
        return rp.Trainer(m, rp.PCD(k=1, n_chains=pcd_chains), batch_size=100, lr=lr,
                          rng=s + 10)

    def measure(tr, ep):
        return _ll_bracket(tr.model, train, test, n_chains, n_betas, s + 100 + 2 * ep)

    return _resumable(workdir, build, train, epochs=epochs, eval_epochs=eval_epochs,
                      measure=measure)


def _toledo_summary(instances, config):
    by_h, probes = {}, {}
    for cfg, r in zip(config["instances"], instances):
        if cfg.get("role", "paper") == "paper":
            by_h.setdefault(cfg["H"], []).append(r)
        else:
            probes[cfg["role"]] = r
    hs = sorted(by_h)
    final = {h: (float(np.mean([r["ll_test_lower"][-1] for r in by_h[h]])),
                 float(np.mean([r["ll_test_upper"][-1] for r in by_h[h]]))) for h in hs}
    spread = {h: float(np.std([r["ll_test_upper"][-1] for r in by_h[h]], ddof=1))
              if len(by_h[h]) > 1 else 0.0 for h in hs}
    mids = [0.5 * (final[h][0] + final[h][1]) for h in hs]
    ok = all(b > a for a, b in zip(mids, mids[1:]))
    summary = {"hidden_sizes": hs, "final_lower": [final[h][0] for h in hs],
               "final_upper": [final[h][1] for h in hs], "final_mid": mids,
               "upper_spread": [spread[h] for h in hs],
               "replicas": [len(by_h[h]) for h in hs]}
    gaps = [r["ll_train_upper"][-1] - r["ll_test_upper"][-1]
            for h in hs for r in by_h[h] if "ll_train_upper" in r]
    drops = [max(0.0, max(u) - u[-1]) for h in hs for r in by_h[h]
             for u in [r["ll_test_upper"][1:]]]
    summary.update(train_test_gap_max=max(gaps) if gaps else None,
                   largest_drop_from_best=max(drops) if drops else None,
                   probes={k: {"final_lower": r["ll_test_lower"][-1],
                               "final_upper": r["ll_test_upper"][-1],
                               "curve_upper": r["ll_test_upper"]} for k, r in probes.items()})
    evidence = ("final test LL bracket (reverse AIS, AIS) "
                + "; ".join(f"H = {h}: ({final[h][0]:.1f}, {final[h][1]:.1f})" for h in hs)
                + f" nats, mean of {min(summary['replicas'])}+ replicas; the paper: higher "
                  "log-likelihood for larger H")
    if gaps:
        evidence += (f"; train − test LL at most {max(gaps):.1f} nats (no overfitting); a "
                     f"curve falls by up to {max(drops):.1f} nats below its own best epoch")
    for k, r in probes.items():
        evidence += (f"; probe {k}: ({r['ll_test_lower'][-1]:.1f}, "
                     f"{r['ll_test_upper'][-1]:.1f})")
    return summary, ok, evidence


# --------------------------------------------------------------------------------------------
# Aarts et al. Figs. 9, 12: PCD of the 2D scalar field against the learning ODE


def scalar_2d_instance(*, workdir, seed, L, m2, mu2, n_hidden, epochs, lr, decay,
                       record_every):
    """PCD (:class:`rbmphys.training.TargetPCD`, 128 persistent chains) of the scalar-field RBM
    towards the free field on an L×L lattice, and the learning ODE from the same initial
    couplings; the eigenvalues of both at the recorded learning times.  Cheap: no checkpoint,
    the whole instance reruns in seconds."""
    from .aarts import pcd_run
    import rbmphys as rp
    workdir = Path(workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    r = pcd_run.uncached(shape=(L, L), m2=m2, mu2=mu2, n_hidden=n_hidden, epochs=epochs,
                         lr=lr, decay=decay, record_every=record_every, seed=seed)
    K = rp.datasets.lattice_kernel((L, L), m2)
    # the ODE starts from the PCD model's own initial couplings (pcd_run's init="random")
    W0 = rp.GaussianRBM.random(len(K), n_hidden, mu2, weight_scale=0.1, rng=seed).W
    ode = rp.theory.gaussian_flow(K, n_hidden, mu2, t_eval=r["t"], init=W0)
    return {"t": r["t"].tolist(), "pcd": r["eigenvalues"].tolist(),
            "ode": np.asarray(ode.eigenvalues).tolist(),
            "kappa": r["kappa"].tolist(),
            "learnt": np.asarray(rp.theory.learnt_eigenvalues(r["kappa"], mu2,
                                                              n_hidden)).tolist(),
            "train_seconds": time.perf_counter() - t0, "started_commit": _git_commit()}


def _scalar_2d_summary(instances, config):
    """Three of the paper's statements about Figs. 9 and 12, each measured: PCD follows the
    learning flow (median relative deviation from the ODE over times and modes), a fixed rate
    leaves the eigenvalues in a band about their targets that a decaying rate narrows (RMS
    relative deviation over the last quarter of the run), and the modes above μ² or beyond N_h
    end at μ² (Eqs. (81), (84))."""
    median, band, cut = [], [], []
    for r in instances:
        pcd, ode = np.array(r["pcd"]), np.array(r["ode"])
        rel = np.abs(pcd - ode) / np.abs(ode)
        median.append(float(np.median(rel)))
        last = rel[-max(1, len(rel) // 4):]
        band.append(float(np.sqrt(np.mean(last ** 2))))
        learnt = np.sort(r["learnt"])
        mask = np.isclose(learnt, learnt.max()) & ~np.isclose(learnt, np.max(r["kappa"]))
        cut.append(float(np.max(np.abs(pcd[-1][mask] - learnt[mask]) / learnt[mask]))
                   if mask.any() else None)
    cfgs = config["instances"]
    fixed = [b for b, c in zip(band, cfgs) if c["decay"] is None and c["mu2"] == 16.0
             and c["n_hidden"] == 16]
    decayed = [b for b, c in zip(band, cfgs) if c["decay"] is not None]
    cuts = [c for c in cut if c is not None]
    summary = {"median_rel_dev": median, "end_band_rms": band, "cut_modes_rel_dev": cut}
    ok = (max(median) < 0.05 and bool(cuts) and max(cuts) < 0.02
          and bool(fixed) and bool(decayed) and min(fixed) > max(decayed))
    evidence = (f"{len(instances)} runs: PCD eigenvalues within a median "
                f"{max(median):.1%} of the ODE from the same initial couplings; band at the "
                f"end {', '.join(f'{b:.1%}' for b in band)} RMS (fixed rate "
                f"{min(fixed) if fixed else float('nan'):.1%}, decaying "
                f"{max(decayed) if decayed else float('nan'):.1%}); modes above μ² or beyond "
                f"N_h at μ² within {max(cuts) if cuts else float('nan'):.1%} (the paper: PCD "
                "follows the flow in a band that a decaying rate narrows; μ² and N_h cut the "
                "spectrum)")
    return summary, ok, evidence


# --------------------------------------------------------------------------------------------
# the registry


@dataclasses.dataclass(frozen=True)
class PaperRun:
    """One paper-scale run: its instances, what it measures and how the verdict is reached.

    ``instance`` is a module-level function of keyword arguments (one instance's configuration
    plus ``workdir``) returning that instance's record; ``summarize(records, config)`` returns
    ``(summary, reproduced, evidence)``.
    """
    name: str
    chapter: int
    figures: tuple
    conclusion: str
    instance: object
    configs: tuple
    summarize: object
    scale: str


RUNS = {r.name: r for r in (
    PaperRun("scalar_2d", 5, ("Aarts et al. Fig. 9", "Aarts et al. Fig. 12"),
             "stochastic PCD of the 2D scalar field follows the learning flow: eigenvalues "
             "relax to κ where κ < μ² and to μ² above the cut",
             scalar_2d_instance,
             tuple(dict(seed=s, L=4, m2=4.0, mu2=mu2, n_hidden=nh, epochs=8000, lr=0.1,
                        decay=dec, record_every=50)
                   for s, mu2, nh, dec in ((11, 16.0, 16, None), (12, 16.0, 16, (0.99, 128)),
                                           (13, 9.0, 16, None), (14, 16.0, 8, None))),
             _scalar_2d_summary, "the paper's 4×4 lattice (m² = 4, κ ∈ [4, 12]): μ² = 16 with "
                                 "N_h = 16 at a fixed and a decaying rate (Fig. 9), μ² = 9 "
                                 "and N_h = 8 (Fig. 12); 8000 PCD updates at lr 0.1, 128 "
                                 "chains"),
    PaperRun("toledo_ll", 2, ("Toledo-Marin Fig. 1",),
             "the test log-likelihood is higher for larger hidden layers",
             toledo_ll_instance,
             tuple([dict(seed=0, H=H, replica=r, epochs=60,
                         eval_epochs=(0, 5, 10, 15, 20, 30, 40, 50, 60),
                         lr=0.01, n_train=4000, n_betas=2000, n_chains=64)
                    for H in (500, 1000, 3000) for r in range(2)]
                   + [dict(seed=0, H=3000, replica=0, epochs=20, eval_epochs=(0, 5, 10, 15, 20),
                           lr=lr, n_train=4000, n_betas=2000, n_chains=64, pcd_chains=pc,
                           role=f"H = 3000 with {pc} persistent chains at lr {lr:g}")
                      for pc, lr in ((500, 0.01), (100, 0.003))]),
             _toledo_summary, "H ∈ {500, 1000, 3000}, 2 replicas, 60 epochs of PCD-1 (100 "
                              "persistent chains, lr 0.01) on the 4000 training images of the "
                              "subset (the paper: 60 000 images); probes at H = 3000 with "
                              "500 chains, and at lr 0.003 (20 epochs each)"),
    PaperRun("rapid_bas", 9, ("Pozas-Kerstjens Fig. 5",),
             "reconstructions of BAS 12×12 approach Hamming distance 0, test as training",
             rapid_bas_instance,
             tuple([dict(seed=902 + 1000 * r, n_hidden=1000, K=40, lr=2e-3, epochs=10,
                         n_eval=200, projection="sign", role="paper") for r in range(100)]
                   + [dict(seed=5902 + 1000 * r, n_hidden=H, K=K, lr=lr, epochs=10, n_eval=200,
                           projection=proj, role=f"probe {proj} lr={lr:g} H={H} K={K}")
                      for proj, lr, H, K in (("sign", 1e-2, 1000, 40), ("clip", 2e-3, 1000, 40),
                                             ("clip", 1e-2, 1000, 40), ("sign", 2e-3, 1000, 10),
                                             ("sign", 2e-3, 3000, 40))
                      for r in range(3)]),
             _rapid_bas_summary, "V = 144, H = 1000, K = 40, batch 120, sign projection after "
                                 "every epoch, 100 runs of 10 epochs at lr 2e-3 (as the paper, "
                                 "whose number of epochs is not stated), and a probe of the "
                                 "protocol: 3 runs each at another rate, projection, K or H"),
    PaperRun("rapid_mnist", 9, ("Pozas-Kerstjens Fig. 6", "Pozas-Kerstjens Fig. 7"),
             "the NLL falls by orders of magnitude to values of standard RBMs, test with "
             "training, and samples look like digits",
             rapid_mnist_instance,
             (dict(seed=903, n_hidden=3000, K=190, lr=0.015, epochs=60, n_train=4000,
                   gibbs_steps=10, eval_epochs=(0, 2, 5, 10, 20, 30, 40, 50, 60), ais_chains=64,
                   ais_betas=2000),),
             _rapid_mnist_summary, "H = 3000, K = 190, lr 0.015, 10 Gibbs steps, 60 epochs on "
                                   "the 4000 training images of the subset, 1 instance (the "
                                   "paper: 60 000 images, 25 instances)"),
)}


def runs_for_chapter(chapter):
    """The paper runs whose figures a chapter shows."""
    return [r for r in RUNS.values() if r.chapter == int(chapter)]


def _check_name(name):
    if not isinstance(name, str):
        raise TypeError(f"paper run name must be a str, got {type(name).__name__}")
    if name not in RUNS:
        raise ValueError(f"paper run {name!r}: choose one of {', '.join(RUNS)}")


def _writable_dir(path, what):
    """``path`` as a directory that exists (created if need be) and is writable, or a
    :class:`ValueError` naming ``what`` it is for; checked before a run, not after it."""
    if isinstance(path, bytes) or not isinstance(path, (str, os.PathLike)):
        raise TypeError(f"{what} must be a directory path (str or os.PathLike), got "
                        f"{type(path).__name__}")
    path = Path(path)
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ValueError(f"{what} {path}: cannot be made a directory ({exc.strerror})") from None
    if not os.access(path, os.W_OK | os.X_OK):
        raise ValueError(f"{what} {path}: the directory is not writable")
    return path


def _claim(workdir, config):
    """Stamp ``workdir`` with the configuration of the instance it holds (``config.json``), or
    refuse (:class:`ValueError`, before anything runs) when it holds another configuration's
    checkpoint and measurements: resuming them would mix two runs."""
    path = workdir / "config.json"
    want = json.loads(json.dumps(jsonable(config)))         # tuples as JSON lists
    if path.exists():
        have = _read_json(path, "the configuration of a paper-run instance")
        if have != want:
            diff = sorted(k for k in set(want) | set(have if isinstance(have, dict) else {})
                          if not isinstance(have, dict) or have.get(k) != want.get(k))
            raise ValueError(f"{path}: the directory holds an instance of another "
                             f"configuration (differs in {', '.join(diff) or 'its form'}); "
                             f"remove {workdir} to run this instance again, or pass another "
                             "work directory")
        return
    workdir.mkdir(parents=True, exist_ok=True)
    _write_json(path, want)


def _git(*args, cwd=None):
    """stdout of ``git args`` run in the package's checkout, or None outside one."""
    try:
        return subprocess.run(["git", *args], capture_output=True, text=True, timeout=10,
                              cwd=cwd or Path(__file__).resolve().parents[1]).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None


def _git_commit():
    """The checkout's commit, or None outside a git checkout."""
    return _git("rev-parse", "HEAD") or None


def _provenance(t_wall):
    import importlib.metadata as md

    from .._version import __version__
    commit = _git_commit()
    # the results files themselves do not make the checkout count as dirty
    status = _git("status", "--porcelain", "--", ".", ":!experiments/results")
    dirty = None if commit is None or status is None else bool(status)
    versions = {}
    for pkg in ("numpy", "scipy", "numba"):
        try:
            versions[pkg] = md.version(pkg)
        except md.PackageNotFoundError:
            versions[pkg] = None
    return {"rbmphys": __version__, "git_commit": commit, "git_dirty": dirty,
            "finished": datetime.datetime.now(datetime.timezone.utc).isoformat(
                timespec="seconds"),
            "wall_seconds_last_call": round(t_wall, 1), "machine": platform.machine(),
            "processor": platform.processor() or None, "cpus": os.cpu_count(),
            "python": platform.python_version(), "versions": versions}


def run(name, *, results=None, n_jobs=None, instances=None, work=None, figure=True):
    """Run (or resume) the paper run ``name`` and write its results JSON.

    Parameters
    ----------
    name : str
        A key of :data:`RUNS`.
    results : path, optional
        Directory of the results file (default :func:`results_dir`).
    n_jobs : int, optional
        Instances run side by side (default: every core, :func:`rbmphys.parallel.run`).
    instances : int, optional
        Run only the first ``instances`` instances: a smaller run, whose results say so and
        go to ``<name>.partial.json`` (chapters and :func:`load` read only whole runs); at
        least the number of instances: the whole run.
    work : path, optional
        Checkpoint directory (default :func:`work_dir`).
    figure : bool
        Also draw the run's figure into the results directory
        (:func:`rbmphys.plotting.paper.save_paper_figure`; imports matplotlib).

    Raises
    ------
    TypeError, ValueError
        Before anything runs: an unknown ``name``, ``instances`` or ``n_jobs`` that is not a
        positive int, a ``results`` or ``work`` directory that cannot be written, an instance
        directory holding another configuration's run (its ``config.json``).  While running:
        an instance directory whose files are not a record or checkpoint of it
        (:func:`_resumable`).

    Returns
    -------
    dict
        The results as written: ``name``, ``figures``, ``conclusion``, ``scale``, ``config``,
        ``instances`` (each instance's record), ``summary``, ``reproduced``, ``verdict``,
        ``evidence``, ``provenance``.
    """
    from ..parallel import run as run_parallel
    _check_name(name)
    pr = RUNS[name]
    cfgs = [dict(c) for c in pr.configs]
    if instances is not None:
        if isinstance(instances, bool) or not isinstance(instances, (int, np.integer)) \
                or instances < 1:
            raise ValueError(f"instances must be a positive int, got {instances!r}")
        cfgs = cfgs[:int(instances)]
    base = _writable_dir(work if work is not None else work_dir(), "work")
    where = "results"
    if results is None:
        results = results_dir()
        where = ("the results directory (RBMPHYS_RESULTS)" if os.environ.get("RBMPHYS_RESULTS")
                 else "the package's results directory")
    d = _writable_dir(results, where)
    points = [dict(c, workdir=str(base / name / f"instance{i:03d}")) for i, c in enumerate(cfgs)]
    for p in points:
        _claim(Path(p["workdir"]), {k: v for k, v in p.items() if k != "workdir"})
    t0 = time.perf_counter()
    records = run_parallel(pr.instance, points, n_jobs=n_jobs)
    config = {"instances": cfgs, "scale": pr.scale}
    summary, ok, evidence = pr.summarize(records, config)
    complete = len(cfgs) == len(pr.configs)
    if not complete:
        evidence = f"(a partial run: {len(cfgs)} of {len(pr.configs)} instances) {evidence}"
    out = {"name": name, "chapter": pr.chapter, "figures": list(pr.figures),
           "conclusion": pr.conclusion, "scale": pr.scale, "config": config,
           "instances": records, "complete": complete, "summary": summary,
           "reproduced": bool(ok),
           "verdict": "reproduced" if ok else "not reproduced at this scale",
           "evidence": evidence, "provenance": _provenance(time.perf_counter() - t0)}
    # the compute the results cost, over every call that made them (a resumed run's last call
    # may only have re-read finished checkpoints)
    out["provenance"]["compute_seconds"] = round(sum(
        r.get("train_seconds", 0.0) + r.get("measure_seconds", 0.0) for r in records), 1)
    out["provenance"]["started_commits"] = sorted({r.get("started_commit") or "unknown"
                                                   for r in records})
    # a partial run never replaces the results of the whole run (the ones chapters read)
    _write_json(d / (f"{name}.json" if complete else f"{name}.partial.json"), out)
    out = jsonable(out)
    if figure and complete:
        from ..plotting.paper import save_paper_figure
        save_paper_figure(out, d)
    return out


def _results_path(name, results):
    """The results file of ``name``: in ``results``, else in :func:`results_dir` with the
    package's shipped results as the fallback."""
    _check_name(name)
    d = Path(results) if results is not None else results_dir()
    path = d / f"{name}.json"
    if not path.exists() and results is None and d != PACKAGE_RESULTS:
        path = PACKAGE_RESULTS / f"{name}.json"
    return path


#: The keys of a results file and their types (what :func:`show` and the figure map read).
_RESULT_KEYS = {"name": str, "scale": str, "verdict": str, "evidence": str, "summary": dict,
                "instances": list, "provenance": dict}


def _read_result(name, path):
    out = _read_json(path, "a paper result")
    bad = None if isinstance(out, dict) else "it is not a JSON object"
    for k, t in _RESULT_KEYS.items():
        if bad is None and not isinstance(out.get(k), t):
            bad = f"{k!r} {'is missing' if k not in out else 'is not a JSON ' + t.__name__}"
    if bad is None and out["name"] != name:
        bad = f"it is the result of {out['name'][:80]!r}"
    prov = out.get("provenance") if bad is None else {}
    if bad is None and not _is_number(prov.get("compute_seconds", 0)):
        bad = "'provenance' has a 'compute_seconds' that is not a number"
    if bad is None and not isinstance(prov.get("git_commit"), (str, type(None))):
        bad = "'provenance' has a 'git_commit' that is not a string"
    if bad is not None:
        raise ValueError(f"{path}: not the result of paper run {name!r} ({bad}; it needs the "
                         f"keys {', '.join(_RESULT_KEYS)})")
    return out


def load(name, *, results=None):
    """The results of paper run ``name`` (a dict as :func:`run` returns), or None when the run
    has not been made.  Refuses a file that is not such a result."""
    path = _results_path(name, results)
    return _read_result(name, path) if path.exists() else None


@functools.lru_cache(maxsize=64)
def _verdict_of(name, path, mtime_ns, size):
    res = _read_result(name, Path(path))
    return res["verdict"], res["evidence"]


def verdict(name, *, results=None):
    """``(verdict, evidence)`` of a paper run from its results, or None when not run.  Read
    once per version of the file (the figure map asks for each figure's status and detail)."""
    path = _results_path(name, results)
    if not path.exists():
        return None
    st = path.stat()
    return _verdict_of(name, str(path), st.st_mtime_ns, st.st_size)


def show(name, outdir, *, results=None):
    """What a chapter does with a paper run: print its verdict, evidence and provenance and save
    its figure into ``outdir``; returns the results, or None (saying how to make them) when the
    run has not been made.  Results that lack what the figure draws (a well-formed file with
    other measurements) are a :class:`ValueError` naming the file."""
    res = load(name, results=results)
    if res is None:
        print(f"paper-scale run {name}: no results here; `rbmphys run "
              f"ch{RUNS[name].chapter:02d} --paper` makes them")
        return None
    prov = res["provenance"]
    commit = (prov.get("git_commit") or "unknown")[:10]
    print(f"paper-scale run {name} ({res['scale']}; commit {commit}, finished "
          f"{prov.get('finished')}, {prov.get('compute_seconds', 0) / 60:.0f} min of compute "
          f"on a {prov.get('cpus')}-core machine):\n  {res['verdict']}: {res['evidence']}")
    from ..plotting.paper import save_paper_figure
    try:
        save_paper_figure(res, outdir)
    except (KeyError, IndexError, TypeError, ValueError, ZeroDivisionError) as exc:
        raise ValueError(f"{_results_path(name, results)}: the results of paper run {name!r} "
                         f"lack what its figure draws ({type(exc).__name__}: "
                         f"{str(exc)[:200]})") from None
    return res
