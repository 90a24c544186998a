"""Checkpoints: ``rbmphys.save(model_or_trainer, path)`` and ``rbmphys.load(path)``.

Format (version 1): one NumPy ``.npz`` file (uncompressed) holding

* ``__meta__``: a JSON string with ``format = "rbmphys-checkpoint"``, ``version = 1``,
  ``kind`` (``"model"`` or ``"trainer"``), ``class`` (``BernoulliRBM``/``SpinRBM``), ``dtype``,
  ``n_visible``, ``n_hidden``, ``rbmphys_version``; for a trainer also the rule, the schedule,
  batch size, momentum, weight decay, max_weight, the 64-bit key, epoch and update counters,
  the shuffling generator's ``bit_generator.state`` and the history records;
* ``W``, ``a``, ``b``: the parameters in the model's dtype;
* trainer only: ``chains_v``, ``chains_h`` (persistent chains, if any) and ``velocity_W``,
  ``velocity_a``, ``velocity_b`` (if momentum was used).

A trainer loaded from a checkpoint continues *bit for bit* as if it had never stopped.  Files
are written to a temporary name and renamed, so a crash never leaves a half-written
checkpoint; a corrupt, foreign or newer file is refused with a ``ValueError`` before anything is
built.

Introduced in Chapter 2.
"""

from __future__ import annotations

import json
import os
import tempfile
import zipfile

import numpy as np

from .._version import __version__
from ..models import BernoulliRBM, SpinRBM
from ._history import History
from ._rules import rule_from_dict, rule_to_dict
from ._schedules import schedule_from_dict

__all__ = ["save", "load", "FORMAT", "VERSION"]

FORMAT = "rbmphys-checkpoint"
VERSION = 1
_MODELS = {"BernoulliRBM": BernoulliRBM, "SpinRBM": SpinRBM}


def save(obj, path):
    """Save a model or a :class:`~rbmphys.training.Trainer` to ``path`` (.npz); returns path."""
    from ._trainer import Trainer
    if isinstance(obj, Trainer):
        model, trainer = obj.model, obj
    elif isinstance(obj, (BernoulliRBM, SpinRBM)):
        model, trainer = obj, None
    else:
        raise TypeError(f"can save a BernoulliRBM, SpinRBM or Trainer, not {type(obj).__name__}")
    model.check_parameters()
    meta = {"format": FORMAT, "version": VERSION, "kind": "trainer" if trainer else "model",
            "class": type(model).__name__, "dtype": str(model.dtype),
            "n_visible": model.n_visible, "n_hidden": model.n_hidden,
            "rbmphys_version": __version__}
    arrays = {"W": model.W, "a": model.a, "b": model.b}
    if trainer is not None:
        meta.update(rule=rule_to_dict(trainer.rule), schedule=trainer.schedule.to_dict(),
                    batch_size=trainer.batch_size, momentum=trainer.momentum,
                    weight_decay=trainer.weight_decay, max_weight=trainer.max_weight,
                    key=str(trainer.key), epoch=trainer.epoch, n_updates=trainer.n_updates,
                    shuffler=json.loads(json.dumps(trainer.shuffler.bit_generator.state,
                                                   default=str)),
                    history=trainer.history.to_dict())
        if trainer.chains_v is not None:
            arrays["chains_v"] = np.array(trainer.chains_v)
            arrays["chains_h"] = np.array(trainer.chains_h)
        if trainer.velocity is not None:
            for k, v in trainer.velocity.items():
                arrays[f"velocity_{k}"] = v
    path = os.fspath(path)
    if not path.endswith(".npz"):
        path += ".npz"
    d = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(suffix=".npz.tmp", dir=d)
    try:
        with os.fdopen(fd, "wb") as fh:
            np.savez(fh, __meta__=np.array(json.dumps(meta)), **arrays)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)
    return path


def _read(path):
    path = os.fspath(path)
    if not os.path.isfile(path):
        raise FileNotFoundError(f"no checkpoint at {path}")
    try:
        with np.load(path, allow_pickle=False) as z:
            arrays = {k: z[k] for k in z.files}
    except (zipfile.BadZipFile, ValueError, OSError, EOFError) as exc:
        raise ValueError(f"{path} is not a readable rbmphys checkpoint (.npz): {exc}") from None
    if "__meta__" not in arrays:
        raise ValueError(f"{path} is an .npz file but not an rbmphys checkpoint (no metadata)")
    try:
        meta = json.loads(str(arrays.pop("__meta__")))
    except json.JSONDecodeError as exc:
        raise ValueError(f"{path}: corrupt checkpoint metadata ({exc})") from None
    if meta.get("format") != FORMAT:
        raise ValueError(f"{path} is not an rbmphys checkpoint (format {meta.get('format')!r})")
    if meta.get("version") != VERSION:
        raise ValueError(f"{path} has checkpoint format version {meta.get('version')}; this "
                         f"rbmphys ({__version__}) reads version {VERSION}")
    return meta, arrays


def load(path):
    """Load a checkpoint written by :func:`save`: a model, or a Trainer ready to continue
    (``trainer.fit(data, more_epochs)``)."""
    meta, arr = _read(path)
    cls = _MODELS.get(meta.get("class"))
    if cls is None:
        raise ValueError(f"{path}: unknown model class {meta.get('class')!r}")
    V, H, dt = meta["n_visible"], meta["n_hidden"], np.dtype(meta["dtype"])
    shapes = {"W": (V, H), "a": (V,), "b": (H,), "chains_v": (None, V), "chains_h": (None, H),
              "velocity_W": (V, H), "velocity_a": (V,), "velocity_b": (H,)}
    for k, want in shapes.items():
        if k in arr:
            got = arr[k].shape
            if len(got) != len(want) or any(w is not None and w != g for w, g in zip(want, got)):
                raise ValueError(f"{path}: array {k} has shape {got}, expected {want}")
    for k in ("W", "a", "b"):
        if k not in arr:
            raise ValueError(f"{path}: checkpoint lacks the parameter {k}")
        if arr[k].dtype != dt:
            raise ValueError(f"{path}: {k} has dtype {arr[k].dtype}, metadata says {dt}")
    model = cls(arr["W"].copy(), arr["a"].copy(), arr["b"].copy())
    if meta["kind"] == "model":
        return model
    from ._trainer import Trainer
    tr = Trainer(model, rule_from_dict(meta["rule"]), batch_size=meta["batch_size"],
                 lr=schedule_from_dict(meta["schedule"]), momentum=meta["momentum"],
                 weight_decay=meta["weight_decay"], max_weight=meta["max_weight"], rng=0)
    tr.key = int(meta["key"])
    tr.epoch, tr.n_updates = int(meta["epoch"]), int(meta["n_updates"])
    state = meta["shuffler"]
    state["state"] = {k: int(v) for k, v in state["state"].items()}
    state["inc"] = int(state.get("inc", 0)) if "inc" in state else state.get("inc")
    tr.shuffler.bit_generator.state = _fix_state(meta["shuffler"])
    tr.history = History(meta["history"]["records"])
    if "chains_v" in arr:
        tr.chains_v, tr.chains_h = arr["chains_v"].copy(), arr["chains_h"].copy()
    if "velocity_W" in arr:
        tr.velocity = {k: arr[f"velocity_{k}"].copy() for k in ("W", "a", "b")}
    return tr


def _fix_state(state):
    """JSON turned the generator's big integers into strings or ints; restore ints."""
    out = dict(state)
    out["state"] = {k: int(v) for k, v in state["state"].items()}
    for k in ("has_uint32", "uinteger"):
        if k in out:
            out[k] = int(out[k])
    return out
