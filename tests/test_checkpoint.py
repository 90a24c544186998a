"""Checkpoints: round trips, bit-for-bit resume, and clear refusals."""

from __future__ import annotations

import json
import zipfile

import numpy as np
import pytest

import rbmphys as rp

BARS3 = rp.datasets.bars(3)


@pytest.mark.parametrize("cls,dtype", [(rp.BernoulliRBM, np.float32), (rp.SpinRBM, np.float64)])
def test_model_round_trip(tmp_path, cls, dtype):
    m = cls.random(6, 4, weight_scale=1.0, bias_scale=1.0, rng=0, dtype=dtype)
    path = rp.save(m, tmp_path / "m.npz")
    m2 = rp.load(path)
    assert m2 == m and type(m2) is cls and m2.dtype == dtype


@pytest.mark.parametrize("make_rule,momentum", [(lambda: rp.PCD(k=2, n_chains=5), 0.5),
                                                (rp.CD, 0.0), (lambda: rp.RdmK(k=3), 0.0)])
def test_resume_equals_uninterrupted(tmp_path, make_rule, momentum):
    def fresh():
        m = rp.BernoulliRBM.random(9, 5, rng=1, dtype=np.float32)
        return rp.Trainer(m, make_rule(), batch_size=4, lr=rp.training.step_decay(0.1, 0.9, 2),
                          momentum=momentum, rng=2)
    a = fresh()
    a.fit(BARS3, 4)
    b = fresh()
    b.fit(BARS3, 2)
    b.save(tmp_path / "ckpt.npz")
    c = rp.load(tmp_path / "ckpt.npz")
    c.fit(BARS3, 2)
    assert c.model == a.model and c.epoch == 4 and c.n_updates == a.n_updates
    if getattr(a.rule, "chains_v", None) is not None:
        np.testing.assert_array_equal(c.rule.chains_v, a.rule.chains_v)
        np.testing.assert_array_equal(c.rule.chains_h, a.rule.chains_h)
    np.testing.assert_array_equal(c.history["exact_ll"], a.history["exact_ll"])


def test_refusals(tmp_path):
    (tmp_path / "text.npz").write_text("not a zip")
    with pytest.raises(ValueError, match="not a readable rbmphys checkpoint"):
        rp.load(tmp_path / "text.npz")
    np.savez(tmp_path / "foreign.npz", x=np.zeros(3))
    with pytest.raises(ValueError, match="not an rbmphys checkpoint"):
        rp.load(tmp_path / "foreign.npz")
    with pytest.raises(FileNotFoundError):
        rp.load(tmp_path / "missing.npz")
    m = rp.BernoulliRBM.random(4, 3, rng=0)
    path = rp.save(m, tmp_path / "m.npz")
    with np.load(path) as z:
        arrays = dict(z)
    meta = json.loads(str(arrays["__meta__"]))
    wrong_shape = json.loads(json.dumps(meta))
    wrong_shape["arrays"]["model/params/W"]["shape"] = [4, 5]
    for bad, msg in (({**meta, "version": 99}, "format version 99"),
                     (wrong_shape, r"array model/params/W has shape \(4, 3\)"),
                     ({**meta, "format": "other"}, "not an rbmphys checkpoint")):
        np.savez(tmp_path / "bad.npz", **{**arrays, "__meta__": np.array(json.dumps(bad))})
        with pytest.raises(ValueError, match=msg):
            rp.load(tmp_path / "bad.npz")
    # a truncated file
    raw = open(path, "rb").read()
    (tmp_path / "trunc.npz").write_bytes(raw[: len(raw) // 2])
    with pytest.raises(ValueError, match="not a readable"):
        rp.load(tmp_path / "trunc.npz")
    with pytest.raises(TypeError, match="can save"):
        rp.save("model", tmp_path / "x.npz")
    assert zipfile.is_zipfile(path)
