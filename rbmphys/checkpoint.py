"""Checkpoints: ``rbmphys.save(model_or_trainer, path)`` and ``rbmphys.load(path)``.

Format (version 2): one uncompressed NumPy ``.npz`` file holding

* ``__meta__``: a JSON string with ``format = "rbmphys-checkpoint"``, ``version = 2``,
  ``kind`` (``"model"`` or ``"trainer"``), ``class`` (the registered class name), the rbmphys
  version, the object's state tree (:mod:`rbmphys._state`: model parameters and configuration;
  for a trainer also the rule with its state, the schedule, the counters, the momentum and the
  history) with every array replaced by a reference ``{"__array__": name}``, and for each array
  its shape, dtype and CRC-32;
* the arrays, under names like ``model/params/W`` or ``rule/state/arrays/chains_v``.

A trainer's history longer than :data:`HISTORY_INLINE_ROWS` records is kept beside the file,
in append-only chunk files ``run.npz.history/rows-<start>-<stop>-<writer>.json`` that the
metadata lists with their sizes and CRC-32s: a save writes only the records added since the
last one (chunks are merged geometrically, so a record is rewritten O(log n) times over a run).
Copy the directory with the file.

Loading refuses — with a :class:`ValueError` that says why, before anything is built — a file
that is not a readable zip, foreign, of an unknown version, or *incomplete or corrupt*: a
referenced array missing, an array whose shape, dtype or checksum differs from the metadata, a
state the object cannot be rebuilt from.  A crafted file costs no more than its own size: the
zip's member names, their compression (rbmphys writes none) and every ``.npy`` header are
compared with the metadata before any array data is read, the metadata may nest at most
:data:`MAX_DEPTH` levels, and the class it names is looked up only among the registered
classes (:func:`rbmphys._state.lookup`): no module named by a file is ever imported.  Saving writes to a temporary file in the same
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
import math
import os
import re
import secrets
import tempfile
import time
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
    if not path or path.endswith(("/", os.sep)) or os.path.isdir(path):
        raise ValueError(f"checkpoint path {path!r} is a directory: give a file name, e.g. "
                         f"{os.path.join(path or '.', 'run.npz')!r}")
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
        arr = np.array(tree, order="C")        # keeps a 0-d array 0-d (mu2)
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


_TMP_PREFIX, _TMP_SUFFIX = ".rbmphys-", ".npz.tmp"
#: A temporary file without a process id (rbmphys <= 0.3) counts as stale after this many seconds.
_STALE_AFTER = 3600.0


def _pid_alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True
    return True


def _clean_stale_temporaries(d):
    """Remove the temporary files that a writer killed mid-save (SIGKILL, power loss) left in
    ``d``: ``.rbmphys-<pid>-*.npz.tmp`` whose process is gone (a live writer's file is kept, so
    concurrent writers are safe), and older pid-less ones after :data:`_STALE_AFTER` seconds."""
    try:
        names = os.listdir(d)
    except OSError:
        return
    now = time.time()
    for name in names:
        if not (name.startswith(_TMP_PREFIX) and name.endswith(_TMP_SUFFIX)):
            continue
        head = name[len(_TMP_PREFIX):].split("-", 1)[0]
        full = os.path.join(d, name)
        try:
            if head.isdigit() and len(name[len(_TMP_PREFIX):].split("-", 1)) == 2:
                stale = not _pid_alive(int(head))
            else:
                stale = now - os.path.getmtime(full) > _STALE_AFTER
            if stale:
                os.remove(full)
        except OSError:
            pass


#: A trainer's history longer than this many records is kept beside the checkpoint, in
#: append-only chunk files (``run.npz.history/``), so that a save writes only the new records.
HISTORY_INLINE_ROWS = 1000
_CHUNK_RE = re.compile(r"rows-(\d{9})-(\d{9})-(\d+)x([0-9a-f]{8})\.json\Z")
_CHUNKS = "__history_chunks__"
_MAX_CHUNK_BYTES = 2**31


def _fsync_dir(d):
    try:
        dfd = os.open(d, os.O_RDONLY)
        try:
            os.fsync(dfd)
        finally:
            os.close(dfd)
    except OSError:       # pragma: no cover - directories cannot be fsynced everywhere
        pass


def _write_chunk(hdir, records, start, stop):
    """Write ``records[start:stop]`` to a new, never rewritten chunk file (atomic)."""
    data = json.dumps(records[start:stop]).encode()
    name = f"rows-{start:09d}-{stop:09d}-{os.getpid()}x{secrets.token_hex(4)}.json"
    fd, tmp = tempfile.mkstemp(prefix=f"{_TMP_PREFIX}{os.getpid()}-", suffix=_TMP_SUFFIX,
                               dir=hdir)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, os.path.join(hdir, name))
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)
    return {"file": name, "start": start, "stop": stop, "bytes": len(data),
            "crc32": zlib.crc32(data)}


def _store_history(obj, state, target):
    """Move a long history out of the metadata into chunk files beside ``target``.

    The chunks this trainer wrote (or loaded) for the same file are kept; only the records
    added since are written, as a new chunk, and the last chunks are merged while the newest
    holds at least half as many records as the one before it (so the chunk count stays
    logarithmic and each record is rewritten O(log n) times over a run).  Returns the chunk
    list (None when the history stays inline)."""
    records = state.get("history")
    if not isinstance(records, list) or len(records) <= HISTORY_INLINE_ROWS:
        return None
    hdir = target + ".history"
    os.makedirs(hdir, exist_ok=True)
    prev = getattr(obj, "_history_chunks", None)
    chunks = []
    if prev is not None and prev[0] == hdir and prev[1] and prev[1][-1]["stop"] <= len(records) \
            and all(os.path.isfile(os.path.join(hdir, c["file"])) for c in prev[1]):
        chunks = [dict(c) for c in prev[1]]
    covered = chunks[-1]["stop"] if chunks else 0
    if covered < len(records):
        chunks.append(_write_chunk(hdir, records, covered, len(records)))
    while len(chunks) >= 2 and 2 * (chunks[-1]["stop"] - chunks[-1]["start"]) >= \
            chunks[-2]["stop"] - chunks[-2]["start"]:
        chunks[-2:] = [_write_chunk(hdir, records, chunks[-2]["start"], chunks[-1]["stop"])]
    _fsync_dir(hdir)
    state["history"] = {_CHUNKS: os.path.basename(hdir), "chunks": chunks}
    return chunks


def _clean_history(target, keep):
    """After a checkpoint was renamed into place: remove the chunk files it does not use that
    this process wrote or whose writer is gone (a live concurrent writer's are kept)."""
    hdir = target + ".history"
    if not os.path.isdir(hdir):
        return
    _clean_stale_temporaries(hdir)
    for name in os.listdir(hdir):
        m = _CHUNK_RE.match(name)
        if m is None or name in keep:
            continue
        pid = int(m.group(3))
        if pid == os.getpid() or not _pid_alive(pid):
            try:
                os.remove(os.path.join(hdir, name))
            except OSError:
                pass


def _load_history(path, ref):
    """The records of the chunk files ``ref`` (from the metadata) names, checked."""
    target = os.path.realpath(path)
    if not isinstance(ref, dict) or ref.get(_CHUNKS) != os.path.basename(target) + ".history" \
            or not isinstance(ref.get("chunks"), list):
        raise ValueError(f"{path}: corrupt checkpoint metadata (history chunk table)")
    hdir = target + ".history"
    records, want_start = [], 0
    for c in ref["chunks"]:
        ok = isinstance(c, dict) and isinstance(c.get("file"), str) \
            and _CHUNK_RE.match(c["file"]) is not None and all(
                isinstance(c.get(k), int) and not isinstance(c.get(k), bool)
                for k in ("start", "stop", "bytes", "crc32")) \
            and c["start"] == want_start and c["stop"] >= c["start"] \
            and 0 <= c["bytes"] <= _MAX_CHUNK_BYTES
        if not ok:
            raise ValueError(f"{path}: corrupt checkpoint metadata (history chunk {c!r:.120})")
        f = os.path.join(hdir, c["file"])
        if not os.path.isfile(f):
            raise ValueError(f"{path}: the history chunk {f} is missing: the checkpoint is "
                             "incomplete (keep the .history directory beside the file)")
        if os.path.getsize(f) != c["bytes"]:
            raise ValueError(f"{path}: the history chunk {f} has {os.path.getsize(f)} bytes, "
                             f"the metadata says {c['bytes']}: the checkpoint is corrupt")
        with open(f, "rb") as fh:
            data = fh.read(c["bytes"])
        if zlib.crc32(data) != c["crc32"]:
            raise ValueError(f"{path}: the history chunk {f} fails its checksum: the checkpoint "
                             "is corrupt")
        try:
            rows = json.loads(data)
        except (ValueError, RecursionError) as exc:
            raise ValueError(f"{path}: the history chunk {f} is not valid JSON "
                             f"({type(exc).__name__})") from None
        if not (isinstance(rows, list) and len(rows) == c["stop"] - c["start"]
                and all(isinstance(r, dict) for r in rows) and _depth_ok(rows)):
            raise ValueError(f"{path}: the history chunk {f} does not hold records "
                             f"{c['start']}..{c['stop']}: the checkpoint is corrupt")
        records += rows
        want_start = c["stop"]
    return records, (hdir, [dict(c) for c in ref["chunks"]])


def save(obj, path):
    """Save a model or a :class:`~rbmphys.Trainer` to ``path`` (``.npz`` added if missing);
    returns the path written."""
    kind = "trainer" if callable(getattr(obj, "fit", None)) else "model"
    if not callable(getattr(obj, "state_dict", None)) or not hasattr(
            obj, "model" if kind == "trainer" else "params"):
        raise TypeError(f"can save an RBM model or a Trainer, not {type(obj).__name__}")
    (obj.model if kind == "trainer" else obj).check_parameters()
    state = obj.state_dict()
    path = check_writable(path)
    target = os.path.realpath(path)
    d = os.path.dirname(target) or "."
    _clean_stale_temporaries(d)
    chunks = _store_history(obj, state, target) if kind == "trainer" else None
    arrays, info = {}, {}
    tree = _flatten(state, kind, arrays, info)
    meta = {"format": FORMAT, "version": VERSION, "kind": kind,
            "class": f"{type(obj).__module__}.{type(obj).__qualname__}",
            "rbmphys_version": __version__, "state": tree, "arrays": info}
    fd, tmp = tempfile.mkstemp(prefix=f"{_TMP_PREFIX}{os.getpid()}-", suffix=_TMP_SUFFIX, dir=d)
    try:
        with os.fdopen(fd, "wb") as fh:
            np.savez(fh, __meta__=np.array(json.dumps(meta)), **arrays)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
        _fsync_dir(d)
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)
    if kind == "trainer":
        try:
            obj._history_chunks = None if chunks is None else (target + ".history", chunks)
        except AttributeError:      # pragma: no cover - a trainer that takes no attributes
            pass
        _clean_history(target, {c["file"] for c in chunks or ()})
    return path


#: Deepest nesting of the metadata a checkpoint may have (ours is below 12).
MAX_DEPTH = 64
_HEADER_READ = 65536          # an .npy header is at most this long (numpy's own limit is 10 000)


def _refuse(path, why):
    raise ValueError(f"{path} is not a readable rbmphys checkpoint (.npz): {why}")


def _depth_ok(tree, limit=MAX_DEPTH):
    """True if ``tree`` (parsed JSON) nests at most ``limit`` levels (iterative: no recursion)."""
    stack = [(tree, 0)]
    while stack:
        node, d = stack.pop()
        if isinstance(node, (dict, list)):
            if d >= limit:
                return False
            stack.extend((v, d + 1) for v in (node.values() if isinstance(node, dict) else node))
    return True


def _member_header(zf, info):
    """Shape, dtype and data offset of the ``.npy`` member ``info``, from its header alone."""
    with zf.open(info) as fh:
        version = np.lib.format.read_magic(fh)
        if version == (1, 0):
            shape, fortran, dtype = np.lib.format.read_array_header_1_0(fh)
        elif version in ((2, 0), (3, 0)):
            shape, fortran, dtype = np.lib.format.read_array_header_2_0(fh)
        else:
            raise ValueError(f"unknown .npy version {version}")
        return tuple(shape), bool(fortran), dtype, fh.tell()


def _read_member(zf, info, path, want_shape=None, want_dtype=None):
    """Read one array, after checking (from the zip directory and the ``.npy`` header only)
    that it is stored uncompressed, holds no Python objects, has the shape and dtype the
    metadata announces and that its size is exactly what that shape and dtype take."""
    name = info.filename[:-4]
    if info.compress_type != zipfile.ZIP_STORED:
        raise ValueError(f"{path}: the array {name} is compressed; rbmphys writes uncompressed "
                         "checkpoints: the file is corrupt or not ours")
    try:
        shape, fortran, dtype, offset = _member_header(zf, info)
    except (zipfile.BadZipFile, OSError, zlib.error):
        raise                                   # the zip itself is broken: _read says so
    except Exception as exc:                                # noqa: BLE001 - any bad header
        raise ValueError(f"{path}: the array {name} has an unreadable .npy header "
                         f"({type(exc).__name__}: {exc}): the checkpoint is corrupt") from None
    if dtype.hasobject or dtype.fields is not None or dtype.subdtype is not None:
        raise ValueError(f"{path}: the array {name} has dtype {dtype}, not a plain numeric or "
                         "text dtype: the checkpoint is corrupt")
    if want_shape is not None and (list(shape) != list(want_shape)
                                   or dtype.str != want_dtype):
        raise ValueError(f"{path}: the array {name} has shape {shape} and dtype {dtype}, the "
                         f"metadata says {tuple(want_shape)} and {want_dtype}: the checkpoint "
                         "is corrupt")
    nbytes = dtype.itemsize * math.prod(shape)
    if info.file_size != offset + nbytes:
        raise ValueError(f"{path}: the array {name} takes {info.file_size - offset} bytes, its "
                         f"header says {nbytes}: the checkpoint is corrupt")
    with zf.open(info) as fh:
        fh.seek(offset)
        buf = fh.read(nbytes)
    if len(buf) != nbytes:
        raise ValueError(f"{path}: the array {name} is truncated: the checkpoint is corrupt")
    arr = np.frombuffer(buf, dtype=dtype)
    arr = arr.reshape(shape, order="F" if fortran else "C")
    return np.array(arr, copy=True)


def _read(path):
    """The metadata and arrays of the checkpoint at ``path``, refused (:class:`ValueError`)
    before any array is read when the zip's member names, compression or ``.npy`` headers
    disagree with the metadata: a crafted or corrupt file costs no more than its own size."""
    if not os.path.isfile(path):
        raise FileNotFoundError(f"no checkpoint at {path}")
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError,
            NotImplementedError) as exc:
        _refuse(path, f"{type(exc).__name__}: {exc}")
    try:
        with zf:
            return _read_zip(zf, path)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, zlib.error,
            NotImplementedError, RuntimeError, KeyError, OverflowError, MemoryError) as exc:
        _refuse(path, f"{type(exc).__name__}: {exc}")


def _read_zip(zf, path):
    infos = zf.infolist()
    size = os.path.getsize(path)
    members = {}
    for info in infos:
        if not info.filename.endswith(".npy") or info.filename in members \
                or info.filename[:-4] + ".npy" != info.filename:
            _refuse(path, f"unexpected zip member {info.filename!r}")
        if info.file_size > size:
            _refuse(path, f"the member {info.filename!r} claims {info.file_size} bytes, more "
                    f"than the whole file ({size})")
        members[info.filename[:-4]] = info
    if "__meta__" not in members:
        raise ValueError(f"{path} is an .npz file but not an rbmphys checkpoint (no metadata)")
    raw = _read_member(zf, members.pop("__meta__"), path)
    if raw.shape != () or raw.dtype.kind != "U":
        raise ValueError(f"{path}: corrupt checkpoint metadata (not a JSON string)")
    try:
        meta = json.loads(str(raw[()]))
    except (json.JSONDecodeError, UnicodeDecodeError, RecursionError) as exc:
        raise ValueError(f"{path}: corrupt checkpoint metadata ({type(exc).__name__}: "
                         f"{str(exc)[:200]})") from None
    if not _depth_ok(meta):
        raise ValueError(f"{path}: corrupt checkpoint metadata (nested deeper than "
                         f"{MAX_DEPTH} levels)")
    if not isinstance(meta, dict) or meta.get("format") != FORMAT:
        fmt = meta.get("format") if isinstance(meta, dict) else None
        raise ValueError(f"{path} is not an rbmphys checkpoint (format {fmt!r})")
    if meta.get("version") not in (1, VERSION):
        raise ValueError(f"{path} has checkpoint format version {meta.get('version')!r}; this "
                         f"rbmphys ({__version__}) reads versions 1 (models only) and {VERSION}")
    if meta["version"] == 1:
        extra = set(members) - {"W", "a", "b"}
        if extra:
            raise ValueError(f"{path}: unexpected arrays {sorted(extra)}: the checkpoint is "
                             "corrupt")
        return meta, {k: _read_member(zf, info, path) for k, info in members.items()}
    table = meta.get("arrays")
    if not isinstance(table, dict) or "state" not in meta or "class" not in meta:
        raise ValueError(f"{path}: corrupt checkpoint metadata (no state or array table)")
    for name, want in table.items():
        if name not in members:
            raise ValueError(f"{path}: the array {name} is missing: the checkpoint is "
                             "incomplete")
        if not (isinstance(want, dict) and isinstance(want.get("shape"), list)
                and all(isinstance(n, int) and n >= 0 for n in want["shape"])
                and isinstance(want.get("dtype"), str)):
            raise ValueError(f"{path}: corrupt checkpoint metadata (array table entry {name})")
    extra = set(members) - set(table)
    if extra:
        raise ValueError(f"{path}: unexpected arrays {sorted(extra)}: the checkpoint is corrupt")
    # the sizes the table announces must fit in the file: a lying table is refused before
    # anything is read (each header is then checked against it in _read_member)
    announced = 0
    for name, want in table.items():
        try:
            announced += np.dtype(want["dtype"]).itemsize * math.prod(want["shape"])
        except (TypeError, ValueError) as exc:
            raise ValueError(f"{path}: corrupt checkpoint metadata (array {name}: "
                             f"{exc})") from None
    if announced > size:
        raise ValueError(f"{path}: the metadata announces {announced} bytes of arrays in a file "
                         f"of {size} bytes: the checkpoint is corrupt")
    arrays = {}
    for name, want in table.items():
        a = _read_member(zf, members[name], path, want["shape"], want["dtype"])
        if zlib.crc32(a.tobytes()) != want.get("crc32"):
            raise ValueError(f"{path}: the array {name} fails its checksum: the checkpoint is "
                             "corrupt")
        arrays[name] = a
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
    try:
        used = set()
        state = _unflatten(meta["state"], arrays, used)
        sink = None
        if meta.get("kind") == "trainer" and isinstance(state, dict) and isinstance(
                state.get("history"), dict):
            state["history"], sink = _load_history(path, state["history"])
        cls = lookup(meta["class"])
        if meta.get("kind") not in ("model", "trainer") or \
                callable(getattr(cls, "fit", None)) != (meta["kind"] == "trainer"):
            raise ValueError(f"the class {meta['class']!r} is not a {meta.get('kind')!r}")
        obj = cls.from_state(state)
        if sink is not None:
            obj._history_chunks = sink
    except ValueError as exc:
        raise ValueError(f"{path}: {exc}") from None
    except Exception as exc:       # a state the class cannot be rebuilt from
        raise ValueError(f"{path}: the checkpoint's state cannot be restored "
                         f"({type(exc).__name__}: {exc}): it is incomplete or corrupt") from None
    return obj
