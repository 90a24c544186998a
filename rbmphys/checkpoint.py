"""Checkpoints: ``rbmphys.save(model_or_trainer, path)`` and ``rbmphys.load(path)``.

Format (version 2): one uncompressed NumPy ``.npz`` file holding

* ``__meta__``: a JSON string with ``format = "rbmphys-checkpoint"``, ``version = 2``,
  ``kind`` (``"model"`` or ``"trainer"``), ``class`` (the registered class name), the rbmphys
  version, the object's state tree (:mod:`rbmphys._state`: model parameters and configuration;
  for a trainer also the rule with its state, the schedule, the counters, the momentum and the
  history) with every array replaced by a reference ``{"__array__": name}``, and for each array
  its shape, dtype and CRC-32;
* the arrays, under names like ``model/params/W`` or ``rule/state/arrays/chains_v``.

Loading refuses — with a :class:`ValueError` that says why, before anything is built — a file
that is not a readable zip, foreign, of an unknown version, or *incomplete or corrupt*: a
referenced array missing, an array whose shape, dtype or checksum differs from the metadata, a
state the object cannot be rebuilt from.  Saving writes to a temporary file in the same
directory, flushes it to disk (``fsync``) and renames it over the target, so a crash at any
moment leaves either the previous good file or the new one; saving through a symbolic link
writes the file the link points to.  ``save("run")`` and ``load("run")`` both mean
``run.npz``.

Version 1 files (rbmphys 0.1) load when they hold a model; version-1 trainer checkpoints are
refused with a message naming the version (their random-generator state has no equivalent in
version 2).

This module imports nothing from :mod:`rbmphys.training`: classes are found through the
registry of :mod:`rbmphys._state`.

Introduced in Chapter 2.
"""

from __future__ import annotations

import json
import os
import tempfile
import zipfile
import zlib

import numpy as np

from ._state import lookup
from ._version import __version__

__all__ = ["save", "load", "check_writable", "FORMAT", "VERSION"]

FORMAT = "rbmphys-checkpoint"
VERSION = 2
_REF = "__array__"


def _norm_path(path, *, for_reading=False):
    if isinstance(path, (bytes, bytearray)) or not isinstance(path, (str, os.PathLike)):
        raise TypeError(f"checkpoint path must be a str or os.PathLike, got {path!r}")
    path = os.fspath(path)
    if not path.endswith(".npz"):
        if not (for_reading and os.path.isfile(path)):
            path += ".npz"
    return path


def check_writable(path):
    """Raise ``ValueError`` unless a checkpoint can be written at ``path`` (its directory exists
    and is writable, and ``path`` is not a directory).  Returns the normalised path."""
    path = _norm_path(path)
    target = os.path.realpath(path)
    d = os.path.dirname(target) or "."
    if os.path.isdir(target):
        raise ValueError(f"cannot write a checkpoint to {path}: it is a directory")
    if not os.path.isdir(d):
        raise ValueError(f"cannot write a checkpoint to {path}: the directory {d} does not "
                         "exist")
    if not os.access(d, os.W_OK):
        raise ValueError(f"cannot write a checkpoint to {path}: the directory {d} is not "
                         "writable")
    return path


def _flatten(tree, prefix, arrays, info):
    """Replace arrays in a nested dict/list by references; collect them."""
    if isinstance(tree, np.ndarray) or isinstance(tree, np.generic) and tree.ndim == 0 \
            and not isinstance(tree, (np.integer, np.floating, np.bool_)):
        arr = np.ascontiguousarray(tree)
        arrays[prefix] = arr
        info[prefix] = {"shape": list(arr.shape), "dtype": arr.dtype.str,
                        "crc32": zlib.crc32(arr.tobytes())}
        return {_REF: prefix}
    if isinstance(tree, dict):
        return {str(k): _flatten(v, f"{prefix}/{k}", arrays, info) for k, v in tree.items()}
    if isinstance(tree, (list, tuple)):
        return [_flatten(v, f"{prefix}/{i}", arrays, info) for i, v in enumerate(tree)]
    if isinstance(tree, (np.integer,)):
        return int(tree)
    if isinstance(tree, (np.floating,)):
        return float(tree)
    if isinstance(tree, np.bool_):
        return bool(tree)
    return tree


def _unflatten(tree, arrays, used):
    if isinstance(tree, dict):
        if set(tree) == {_REF}:
            name = tree[_REF]
            if name not in arrays:
                raise ValueError(f"the array {name} is missing: the checkpoint is incomplete")
            used.add(name)
            return arrays[name].copy()
        return {k: _unflatten(v, arrays, used) for k, v in tree.items()}
    if isinstance(tree, list):
        return [_unflatten(v, arrays, used) for v in tree]
    return tree


def save(obj, path):
    """Save a model or a :class:`~rbmphys.Trainer` to ``path`` (``.npz`` added if missing);
    returns the path written."""
    kind = "trainer" if callable(getattr(obj, "fit", None)) else "model"
    if not callable(getattr(obj, "state_dict", None)) or not hasattr(
            obj, "model" if kind == "trainer" else "params"):
        raise TypeError(f"can save an RBM model or a Trainer, not {type(obj).__name__}")
    (obj.model if kind == "trainer" else obj).check_parameters()
    state = obj.state_dict()
    arrays, info = {}, {}
    tree = _flatten(state, kind, arrays, info)
    meta = {"format": FORMAT, "version": VERSION, "kind": kind,
            "class": f"{type(obj).__module__}.{type(obj).__qualname__}",
            "rbmphys_version": __version__, "state": tree, "arrays": info}
    path = check_writable(path)
    target = os.path.realpath(path)
    d = os.path.dirname(target) or "."
    fd, tmp = tempfile.mkstemp(prefix=".rbmphys-", suffix=".npz.tmp", dir=d)
    try:
        with os.fdopen(fd, "wb") as fh:
            np.savez(fh, __meta__=np.array(json.dumps(meta)), **arrays)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
        try:
            dfd = os.open(d, os.O_RDONLY)
            try:
                os.fsync(dfd)
            finally:
                os.close(dfd)
        except OSError:       # pragma: no cover - directories cannot be fsynced everywhere
            pass
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)
    return path


def _read(path):
    if not os.path.isfile(path):
        raise FileNotFoundError(f"no checkpoint at {path}")
    try:
        with np.load(path, allow_pickle=False) as z:
            arrays = {k: z[k] for k in z.files}
    except Exception as exc:      # zipfile, zlib, OSError, ValueError, EOFError, ...
        raise ValueError(f"{path} is not a readable rbmphys checkpoint (.npz): "
                         f"{type(exc).__name__}: {exc}") from None
    if "__meta__" not in arrays:
        raise ValueError(f"{path} is an .npz file but not an rbmphys checkpoint (no metadata)")
    try:
        meta = json.loads(str(arrays.pop("__meta__")))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ValueError(f"{path}: corrupt checkpoint metadata ({exc})") from None
    if not isinstance(meta, dict) or meta.get("format") != FORMAT:
        fmt = meta.get("format") if isinstance(meta, dict) else None
        raise ValueError(f"{path} is not an rbmphys checkpoint (format {fmt!r})")
    if meta.get("version") not in (1, VERSION):
        raise ValueError(f"{path} has checkpoint format version {meta.get('version')}; this "
                         f"rbmphys ({__version__}) reads versions 1 (models only) and {VERSION}")
    return meta, arrays


def _load_v1(path, meta, arr):
    if meta.get("kind") != "model":
        raise ValueError(f"{path} is a format version 1 trainer checkpoint (rbmphys 0.1); "
                         f"version {VERSION} cannot resume it (minibatch order and chains are "
                         "now keyed differently). Load the model from it with an rbmphys 0.1 "
                         "install, or retrain")
    cls = {"BernoulliRBM": "rbmphys.models._binary.BernoulliRBM",
           "SpinRBM": "rbmphys.models._binary.SpinRBM"}.get(meta.get("class"))
    if cls is None:
        raise ValueError(f"{path}: unknown model class {meta.get('class')!r}")
    V, H, dt = meta.get("n_visible"), meta.get("n_hidden"), meta.get("dtype")
    for k, want in (("W", (V, H)), ("a", (V,)), ("b", (H,))):
        if k not in arr:
            raise ValueError(f"{path}: checkpoint lacks the parameter {k}")
        if arr[k].shape != want:
            raise ValueError(f"{path}: array {k} has shape {arr[k].shape}, expected {want}")
        if str(arr[k].dtype) != dt:
            raise ValueError(f"{path}: {k} has dtype {arr[k].dtype}, metadata says {dt}")
    return lookup(cls).from_state({"params": {k: arr[k].copy() for k in "Wab"}})


def load(path):
    """Load a checkpoint written by :func:`save`: a model, or a :class:`~rbmphys.Trainer` ready
    to continue (``trainer.fit(data, more_epochs)`` or ``rp.train(..., resume=path)``)."""
    path = _norm_path(path, for_reading=True)
    meta, arrays = _read(path)
    if meta["version"] == 1:
        return _load_v1(path, meta, arrays)
    info = meta.get("arrays")
    if not isinstance(info, dict) or "state" not in meta or "class" not in meta:
        raise ValueError(f"{path}: corrupt checkpoint metadata (no state or array table)")
    for name, want in info.items():
        if name not in arrays:
            raise ValueError(f"{path}: the array {name} is missing: the checkpoint is "
                             "incomplete")
        a = arrays[name]
        if list(a.shape) != list(want.get("shape", [])) or a.dtype.str != want.get("dtype"):
            raise ValueError(f"{path}: the array {name} has shape {a.shape} and dtype "
                             f"{a.dtype}, the metadata says {tuple(want.get('shape', []))} and "
                             f"{want.get('dtype')}: the checkpoint is corrupt")
        if zlib.crc32(np.ascontiguousarray(a).tobytes()) != want.get("crc32"):
            raise ValueError(f"{path}: the array {name} fails its checksum: the checkpoint is "
                             "corrupt")
    extra = set(arrays) - set(info)
    if extra:
        raise ValueError(f"{path}: unexpected arrays {sorted(extra)}: the checkpoint is corrupt")
    try:
        used = set()
        state = _unflatten(meta["state"], arrays, used)
        cls = lookup(meta["class"])
        obj = cls.from_state(state)
    except ValueError as exc:
        raise ValueError(f"{path}: {exc}") from None
    except Exception as exc:       # a state the class cannot be rebuilt from
        raise ValueError(f"{path}: the checkpoint's state cannot be restored "
                         f"({type(exc).__name__}: {exc}): it is incomplete or corrupt") from None
    return obj
