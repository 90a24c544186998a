"""The experiment cache (``rbmphys.experiments.cache``): results come back from disk, and a change
of the library's code — not only of the experiment's own source — computes them again."""

import numpy as np
import pytest

from rbmphys import _version
from rbmphys.experiments import cache

CALLS = []


@cache.cached
def _experiment(*, n, seed):
    CALLS.append((n, seed))
    return np.random.default_rng(seed).normal(size=n)


@pytest.fixture
def private_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("RBMPHYS_CACHE", str(tmp_path))
    monkeypatch.delenv("RBMPHYS_NO_CACHE", raising=False)
    CALLS.clear()
    return tmp_path


def test_second_call_comes_from_disk(private_cache):
    a = _experiment(n=5, seed=3)
    b = _experiment(n=5, seed=3)
    assert CALLS == [(5, 3)]
    np.testing.assert_array_equal(a, b)
    _experiment(n=5, seed=4)                       # other arguments: computed
    assert CALLS == [(5, 3), (5, 4)]


def test_a_change_of_library_code_recomputes(private_cache, monkeypatch):
    _experiment(n=4, seed=1)
    monkeypatch.setattr(cache, "code_key", lambda: "0123456789abcdef")   # as after a kernel edit
    _experiment(n=4, seed=1)
    assert CALLS == [(4, 1), (4, 1)]
    assert (private_cache / _version.__version__ / "experiments" / "0123456789abcdef").is_dir()


def test_clear_empties_the_cache(private_cache):
    _experiment(n=3, seed=2)
    cache.clear()
    _experiment(n=3, seed=2)
    assert CALLS == [(3, 2), (3, 2)]


def test_fresh_recomputes_and_overwrites(private_cache):
    _experiment(n=2, seed=7)
    cache.fresh(True)
    try:
        _experiment(n=2, seed=7)
    finally:
        cache.fresh(False)
    _experiment(n=2, seed=7)                       # the overwritten entry serves this one
    assert CALLS == [(2, 7), (2, 7)]


def _tree(root, files):
    for rel, text in files.items():
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text)


def test_code_digest_follows_the_kernels_but_not_the_ledger_or_data(tmp_path):
    files = {"kernels/_gibbs.py": "A = 1\n", "verify/claims.py": "B = 1\n",
             "experiments/results/run.json": "{}\n", "models/rbm.py": "C = 1\n"}
    _tree(tmp_path, files)
    key = lambda: _version.tree_digest(tmp_path, cache._NOT_REACHED, (".py",))   # noqa: E731
    d0 = key()
    _tree(tmp_path, {"verify/claims.py": "B = 2\n", "experiments/results/run.json": "[]\n"})
    (tmp_path / "kernels" / "__pycache__").mkdir()
    (tmp_path / "kernels" / "__pycache__" / "_gibbs.cpython-311.pyc").write_bytes(b"\0")
    assert key() == d0
    _tree(tmp_path, {"kernels/_gibbs.py": "A = 2\n"})
    assert key() != d0
    _tree(tmp_path, {"kernels/_gibbs.py": "A = 1\n"})
    assert key() == d0                             # content, not modification time
    (tmp_path / "models" / "rbm.py").rename(tmp_path / "models" / "rbm2.py")
    assert key() != d0                             # the path is part of the key


def test_the_installed_code_key_is_stable_and_hex():
    k = cache.code_key()
    assert k == cache.code_key() and len(k) == 16 and int(k, 16) >= 0
