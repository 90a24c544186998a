r"""Bars, Bars-and-Stripes, splits that respect the spin flip, corruption for reconstruction.

Bars n×n: images whose columns are either all on or all off.  The papers leave out the blank
and the full image, so there are :math:`2^n - 2` of them (Bars 4×4 has 14, Pozas-Kerstjens et
al.).  Bars-and-Stripes (BAS) adds the horizontal stripes: :math:`2(2^n - 2)` distinct images
(BAS 12×12 has 8188).

With ±1 spins and no biases, :math:`E(v,h) = E(-v,-h)`, so an image and its spin flip have the
same probability under any model of that family; a train/test split that separates them would
leak the test set into training.  :func:`train_test_split` keeps flip pairs together.

Introduced in Chapter 2 (Bars) and Chapter 9 (RAPID).
"""

from __future__ import annotations

import numpy as np

from .._validation import as_generator, check_int, check_real, deprecated_positional

__all__ = ["bars", "stripes", "bars_and_stripes", "train_test_split", "corrupt"]


def _check_n(n):
    if int(n) != n or n < 2:
        raise ValueError(f"image side n must be an integer >= 2, got {n}")
    if n > 20:
        raise ValueError(f"image side n = {n} gives 2**{n} images; use n <= 20")
    return int(n)


def _to_units(x, units):
    """{0,1} images written with the values of ``units`` (a name or a binary unit object)."""
    from ..exact._enumerate import _values
    lo, hi = _values(units)
    return lo + (hi - lo) * x


def _column_patterns(n):
    # all 2**n column patterns except all-off and all-on, in binary counting order with the
    # first column as the most significant bit (the order of rbmphys.exact.all_states)
    from ..exact import all_states
    return all_states(n)[1:-1]


def bars(n, units="bernoulli"):
    """All n×n images of full vertical bars, blank and full excluded.

    Returns
    -------
    ndarray, shape (2**n - 2, n*n), float64
        Row-major flattened images, {0,1} (or ±1 with ``units="spin"``).  Image k has column j
        on when bit j of k+1 (first column = most significant bit) is set.

    Examples
    --------
    >>> import rbmphys as rp
    >>> rp.datasets.bars(4).shape
    (14, 16)
    """
    n = _check_n(n)
    cols = _column_patterns(n)                         # (m, n): which columns are on
    imgs = np.repeat(cols[:, None, :], n, axis=1)      # (m, rows, cols)
    return _to_units(imgs.reshape(len(cols), n * n), units)


def stripes(n, units="bernoulli"):
    """All n×n images of full horizontal stripes (the transposes of :func:`bars`)."""
    n = _check_n(n)
    b = bars(n).reshape(-1, n, n).transpose(0, 2, 1).reshape(-1, n * n)
    return _to_units(np.ascontiguousarray(b), units)


def bars_and_stripes(n, units="bernoulli"):
    """Bars ∪ stripes, blank and full excluded: 2(2**n − 2) distinct images, bars first.

    (A bar image can never equal a stripe image unless it is blank or full, so the union has
    no duplicates.)
    """
    out = np.vstack([bars(n), stripes(n)])
    return _to_units(out, units)


def _corrupt_values(x, units):
    if units is not None:
        from ..exact._enumerate import _values
        return _values(units)
    has_zero, has_minus = bool(np.any(x == 0)), bool(np.any(x == -1))
    if has_zero and has_minus:
        raise ValueError("images contain both 0 and -1: binary images are {0,1} or ±1")
    if has_zero:
        return 0.0, 1.0
    if has_minus:
        return -1.0, 1.0
    raise ValueError("images contain no 0 and no -1, so {0,1} and ±1 pixels cannot be told "
                     "apart: pass units='bernoulli' or units='spin'")


def _flip(x):
    vals = np.unique(x)
    if np.all(np.isin(vals, [0.0, 1.0])):
        return 1.0 - x
    if np.all(np.isin(vals, [-1.0, 1.0])):
        return -x
    raise ValueError("data must be binary: {0,1} or ±1 values")


@deprecated_positional("rng", "keep_flips_together")
def train_test_split(data, test_fraction=None, n_test=None, *, rng=None,
                     keep_flips_together=True):
    """Random train/test split that keeps each image and its spin flip on the same side.

    Parameters
    ----------
    data : ndarray (n_images, n_pixels)
        Binary images ({0,1} or ±1).
    test_fraction : float in (0, 1), optional
    n_test : int, optional
        Exact number of test images (Pozas-Kerstjens et al. use 10 train / 4 test for Bars
        4×4).  Give exactly one of ``test_fraction`` and ``n_test``.
    rng : None, int, SeedSequence or Generator
        Used once, to permute the groups.
    keep_flips_together : bool
        Group v with its flip (1 − v or −v) when the flip is also in the data.

    Returns
    -------
    train, test : ndarray
    """
    x = np.asarray(data, dtype=np.float64)
    if x.ndim != 2 or len(x) < 2:
        raise ValueError(f"data must have shape (n_images >= 2, n_pixels), got {x.shape}")
    if (test_fraction is None) == (n_test is None):
        raise ValueError("give exactly one of test_fraction and n_test")
    if n_test is None:
        test_fraction = check_real(test_fraction, "test_fraction", low=0, high=1, low_open=True,
                                   high_open=True)
        n_test = int(round(test_fraction * len(x)))
    n_test = check_int(n_test, "n_test", 1, len(x) - 1)
    # groups: index of each row's flip partner, if present
    groups = []
    if keep_flips_together:
        flipped = _flip(x)
        index = {row.tobytes(): i for i, row in enumerate(x)}
        seen = np.zeros(len(x), bool)
        for i in range(len(x)):
            if seen[i]:
                continue
            j = index.get(flipped[i].tobytes())
            grp = [i] if j is None or j == i or seen[j] else [i, j]
            seen[grp] = True
            groups.append(grp)
    else:
        groups = [[i] for i in range(len(x))]
    g = as_generator(rng)
    order = g.permutation(len(groups))
    test_idx, count = [], 0
    for k in order:
        if count == n_test:
            break
        if count + len(groups[k]) <= n_test:
            test_idx += groups[k]
            count += len(groups[k])
    if count != n_test:
        raise ValueError(f"cannot put exactly {n_test} images in the test set while keeping "
                         "flip pairs together (pairs have size 2: ask for an even number)")
    mask = np.zeros(len(x), bool)
    mask[test_idx] = True
    return x[~mask].copy(), x[mask].copy()


@deprecated_positional("rng", "mode", "shape")
def corrupt(images, fraction, *, rng=None, mode="flip", shape=None, units=None):
    """Corrupted copies of images for reconstruction experiments (RAPID, App. C, Fig. C.1).

    Parameters
    ----------
    images : ndarray (n, n_pixels), {0,1} or ±1
    fraction : float in [0, 1]
        ``mode="flip"``: each pixel is flipped independently with this probability.
        ``mode="erase_half"``: ignored (the bottom half of every image is erased).
    rng : None, int, SeedSequence or Generator
    mode : {"flip", "erase_half"}
        ``"erase_half"`` sets the lower half of the rows to the "off" value (0 or −1);
        needs ``shape=(rows, cols)`` unless the images are square.
    shape : (rows, cols), optional
    units : {"bernoulli", "spin"} or a binary unit object, optional
        The values the pixels take.  Inferred from the data when it contains a 0 ({0,1}) or a
        −1 (±1); images of only +1 pixels are ambiguous and need ``units``.

    Returns
    -------
    corrupted : ndarray, same shape and dtype as ``images`` (float64 for integer input)
    mask : ndarray of bool
        True where a pixel was changed or erased.
    """
    x = np.asarray(images)
    if x.dtype.kind not in "fiub":
        raise TypeError(f"images must be a numeric array, got dtype {x.dtype}")
    x = np.array(x, dtype=x.dtype if x.dtype.kind == "f" else np.float64)
    if x.ndim != 2:
        raise ValueError(f"images must have shape (n_images, n_pixels), got {x.shape}")
    lo, hi = _corrupt_values(x, units)
    if not np.all((x == lo) | (x == hi)):
        raise ValueError(f"images must contain only {lo:g} and {hi:g}")
    if mode == "flip":
        fraction = check_real(fraction, "fraction", low=0, high=1)
        mask = as_generator(rng).random(x.shape) < fraction
        x[mask] = (lo + hi) - x[mask]
        return x, mask
    off = lo
    if mode == "erase_half":
        if shape is None:
            side = int(round(np.sqrt(x.shape[1])))
            if side * side != x.shape[1]:
                raise ValueError("give shape=(rows, cols) for non-square images")
            shape = (side, side)
        rows, cols = shape
        if rows * cols != x.shape[1]:
            raise ValueError(f"shape {shape} does not match {x.shape[1]} pixels")
        mask = np.zeros((rows, cols), bool)
        mask[rows - rows // 2:, :] = True
        mask = np.broadcast_to(mask.ravel(), x.shape).copy()
        x[mask] = off
        return x, mask
    raise ValueError(f"mode must be 'flip' or 'erase_half', got {mode!r}")
