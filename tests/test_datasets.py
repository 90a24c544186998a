"""Datasets: counts from the papers, flip-aware splits, the embedded MNIST subset, IDX reader."""

from __future__ import annotations

import gzip
import struct

import numpy as np
import pytest

from rbmphys import datasets as ds


@pytest.mark.parametrize("n,count", [(2, 2), (3, 6), (4, 14), (12, 4094)])
def test_bars_count_and_structure(n, count):
    b = ds.bars(n)
    assert b.shape == (count, n * n) == (2**n - 2, n * n)
    imgs = b.reshape(-1, n, n)
    assert np.all(imgs == imgs[:, :1, :])             # constant down each column
    assert len(np.unique(b, axis=0)) == count          # no duplicates
    assert not np.any(b.sum(1) == 0) and not np.any(b.sum(1) == n * n)   # no blank, no full


@pytest.mark.parametrize("n,count", [(3, 12), (4, 28), (12, 8188)])
def test_bars_and_stripes_count(n, count):
    b = ds.bars_and_stripes(n)
    assert b.shape == (count, n * n)
    assert len(np.unique(b, axis=0)) == count


def test_spin_units_are_2v_minus_1():
    np.testing.assert_array_equal(ds.bars(3, units="spin"), 2 * ds.bars(3) - 1)
    with pytest.raises(ValueError, match="units must be"):
        ds.bars(3, units="ising")
    with pytest.raises(ValueError, match="integer >= 2"):
        ds.bars(1)


@pytest.mark.parametrize("units", ["bernoulli", "spin"])
def test_split_keeps_flips_together(units):
    data = ds.bars(4, units=units)            # 14 images = 7 flip pairs
    train, test = ds.train_test_split(data, n_test=4, rng=3)
    assert train.shape == (10, 16) and test.shape == (4, 16)
    flip = (lambda x: 1 - x) if units == "bernoulli" else (lambda x: -x)
    sets = {k: {r.tobytes() for r in s} for k, s in (("train", train), ("test", test))}
    for name, s in (("train", train), ("test", test)):
        for r in s:
            assert flip(r).tobytes() in sets[name]
    assert not (sets["train"] & sets["test"])
    assert len(sets["train"] | sets["test"]) == 14
    again = ds.train_test_split(data, n_test=4, rng=3)
    np.testing.assert_array_equal(again[1], test)
    with pytest.raises(ValueError, match="even number"):
        ds.train_test_split(data, n_test=3, rng=0)
    with pytest.raises(ValueError, match="exactly one"):
        ds.train_test_split(data, rng=0)


def test_corrupt():
    data = ds.bars(4)
    x, mask = ds.corrupt(data, 0.25, rng=0)
    np.testing.assert_array_equal(x[mask], 1 - data[mask])
    np.testing.assert_array_equal(x[~mask], data[~mask])
    # fraction flipped ≈ 0.25 within 4 binomial standard errors
    assert abs(mask.mean() - 0.25) < 4 * np.sqrt(0.25 * 0.75 / mask.size)
    y, m2 = ds.corrupt(ds.bars(4, units="spin"), 0, mode="erase_half")
    assert np.all(y[:, 8:] == -1) and m2[:, 8:].all() and not m2[:, :8].any()


def test_embedded_mnist():
    X, y = ds.mnist(labels=True)
    assert X.shape == (5000, 784) and X.dtype == np.float64
    assert 0.0 <= X.min() and X.max() <= 1.0
    np.testing.assert_array_equal(np.bincount(y), np.full(10, 500))
    B = ds.mnist(binarize=True)
    assert set(np.unique(B)) == {0.0, 1.0}
    np.testing.assert_array_equal(B, (X > 0.5).astype(float))
    X[0, 0] = 7.0                               # callers get copies
    assert ds.mnist()[0, 0] != 7.0
    X01 = ds.mnist(digits=(0, 1))
    assert X01.shape == (1000, 784)
    train, test = ds.mnist_train_test(n_test=1000, rng=0)
    assert train.shape == (4000, 784) and test.shape == (1000, 784)


def _write_idx(path, arr, code=0x08, compress=False, truncate=0, magic=b"\x00\x00"):
    header = magic + bytes([code, arr.ndim]) + b"".join(struct.pack(">I", d) for d in arr.shape)
    payload = header + arr.astype(np.uint8).tobytes()
    payload = payload[:len(payload) - truncate]
    with (gzip.open if compress else open)(path, "wb") as fh:    # closed: 3.12 buffers gzip
        fh.write(payload)


@pytest.mark.parametrize("compress", [False, True])
def test_idx_round_trip(tmp_path, compress):
    rng = np.random.default_rng(0)
    imgs = rng.integers(0, 256, (7, 28, 28), dtype=np.uint8)
    labels = rng.integers(0, 10, 7, dtype=np.uint8)
    sfx = ".gz" if compress else ""
    _write_idx(tmp_path / f"train-images-idx3-ubyte{sfx}", imgs, compress=compress)
    _write_idx(tmp_path / f"train-labels-idx1-ubyte{sfx}", labels, compress=compress)
    X, y = ds.mnist(path=tmp_path, labels=True)
    np.testing.assert_array_equal(X, imgs.reshape(7, -1) / 255.0)
    np.testing.assert_array_equal(y, labels)


def test_idx_errors(tmp_path):
    with pytest.raises(FileNotFoundError, match="t10k-images-idx3-ubyte"):
        ds.mnist(path=tmp_path / "nowhere", kind="test")
    with pytest.raises(FileNotFoundError, match="train-images-idx3-ubyte"):
        ds.mnist(path=tmp_path)
    imgs = np.zeros((3, 28, 28), np.uint8)
    _write_idx(tmp_path / "bad", imgs, magic=b"\x01\x02")
    with pytest.raises(ValueError, match="magic"):
        ds.read_idx(tmp_path / "bad")
    _write_idx(tmp_path / "short", imgs, truncate=10)
    with pytest.raises(ValueError, match="truncated"):
        ds.read_idx(tmp_path / "short")
    _write_idx(tmp_path / "train-images-idx3-ubyte", imgs)
    _write_idx(tmp_path / "train-labels-idx1-ubyte", np.zeros(4, np.uint8))
    with pytest.raises(ValueError, match="3 images but 4 labels"):
        ds.mnist(path=tmp_path)


def test_corrupt_needs_units_when_ambiguous_and_keeps_dtype():
    ones = np.ones((3, 4), np.float32)
    with pytest.raises(ValueError, match="cannot be told apart.*units="):
        ds.corrupt(ones, 0.5, rng=0)
    spins, mask = ds.corrupt(ones, 1.0, rng=0, units="spin")        # every pixel flipped
    assert spins.dtype == np.float32 and np.all(spins == -1) and mask.all()
    bits, _ = ds.corrupt(ones, 1.0, rng=0, units="bernoulli")
    assert np.all(bits == 0)
    with pytest.raises(ValueError, match="fraction"):
        ds.corrupt(ds.bars(3), 1.5, rng=0)


def test_mnist_digits_are_checked():
    assert len(ds.mnist(digits=3)) == 500 and len(ds.mnist(digits=[3, 5])) == 1000
    with pytest.raises(TypeError, match="digits"):
        ds.mnist(digits="3")
    with pytest.raises(ValueError, match="digits"):
        ds.mnist(digits=[10])
