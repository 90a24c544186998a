"""Paper-scale runs (rbmphys.experiments.paper) against hostile or unlucky files and arguments:
results files, instance records, checkpoints and configurations that are not what they claim
are refused with a ValueError/TypeError naming the file and the constraint, before anything
runs; a crash at any moment loses no measurement; two processes cannot run one instance."""

import json
import os
import shutil

import numpy as np
import pytest

import rbmphys as rp
from rbmphys.experiments import paper

from _paper_tiny import tiny_run as _tiny


@pytest.fixture(scope="module")
def finished(tmp_path_factory):
    """A finished tiny instance: its directory and its record."""
    d = tmp_path_factory.mktemp("finished") / "instance000"
    return d, _tiny(d)


def _copy(finished, tmp_path):
    d = tmp_path / "instance000"
    shutil.copytree(finished[0], d)
    return d


def _same(a, b):
    return (a["epoch"] == b["epoch"] and a["free_energy"] == b["free_energy"]
            and a["w_sum"] == b["w_sum"] and a["final"] == b["final"])


class Crash(Exception):
    pass


# ---------------------------------------------------------------------------- results files

def _result(**change):
    res = {"name": "rapid_bas", "scale": "tiny", "verdict": "reproduced", "evidence": "x = 1",
           "summary": {}, "instances": [], "provenance": {"compute_seconds": 60.0}}
    res.update(change)
    return {k: v for k, v in res.items() if v is not None}


@pytest.mark.parametrize("text, why", [
    ("[" * 100_000 + "]" * 100_000, "invalid JSON"),                   # RecursionError before
    ('{"name": ' + "1" * 5000 + "}", "invalid JSON"),                  # int digit limit
    (json.dumps(_result(verdict=5)), "'verdict' is not a JSON str"),
    (json.dumps(_result(instances="abc")), "'instances' is not a JSON list"),
    (json.dumps(_result(provenance=[])), "'provenance' is not a JSON dict"),
    (json.dumps(_result(scale=None)), "'scale' is missing"),
    (json.dumps(_result(provenance={"compute_seconds": "a lot"})), "'compute_seconds'"),
])
def test_load_refuses_a_hostile_results_file_naming_it(tmp_path, text, why):
    (tmp_path / "rapid_bas.json").write_text(text)
    with pytest.raises(ValueError, match="rapid_bas.json") as exc:
        paper.load("rapid_bas", results=tmp_path)
    assert why in str(exc.value)


def test_a_results_file_that_is_not_a_regular_file_is_refused_unread(tmp_path):
    (tmp_path / "rapid_bas.json").mkdir()
    with pytest.raises(ValueError, match="rapid_bas.json.*not a regular file"):
        paper.load("rapid_bas", results=tmp_path)
    os.rmdir(tmp_path / "rapid_bas.json")
    # a device behind a link (/dev/zero would never end): refused without reading it
    os.symlink(os.devnull, tmp_path / "rapid_bas.json")
    with pytest.raises(ValueError, match="not a regular file"):
        paper.verdict("rapid_bas", results=tmp_path)


def test_show_reads_a_checked_result(tmp_path):
    (tmp_path / "rapid_bas.json").write_text(json.dumps(_result(scale=None)))
    with pytest.raises(ValueError, match="'scale' is missing"):       # KeyError before
        paper.show("rapid_bas", tmp_path / "fig", results=tmp_path)


@pytest.mark.parametrize("name", sorted(paper.RUNS))
def test_show_refuses_results_without_the_measurements_its_figure_draws(tmp_path, name):
    """A well-formed results file whose measurements are not the run's (one instance that
    measured nothing): a ValueError naming the file, not the figure code's KeyError or
    IndexError."""
    res = dict(_result(name=name, instances=[{}]), config={"instances": [{"seed": 1, "H": 500}]},
               figures=["Fig. 1"])
    (tmp_path / f"{name}.json").write_text(json.dumps(res))
    with pytest.raises(ValueError, match=f"{name}.json: the results of paper run '{name}' "
                                         "lack what its figure draws"):
        paper.show(name, tmp_path / "fig", results=tmp_path)


@pytest.mark.parametrize("name", [["rapid_bas"], None, 5])
def test_a_run_name_that_is_not_a_string_is_a_type_error(tmp_path, name):
    with pytest.raises(TypeError, match="paper run name must be a str"):
        paper.load(name, results=tmp_path)
    with pytest.raises(TypeError, match="paper run name must be a str"):
        paper.run(name, results=tmp_path, work=tmp_path)


# ---------------------------------------------------------------------------- instance records

@pytest.mark.parametrize("text, why", [
    ('{"epoch": [0,', "invalid JSON"),
    ("[1, 2]", "a JSON list, not an object"),
    ("7", "a JSON int, not an object"),
    ('{"free_energy": [1.0]}', "'epoch' must be a list"),
    ('{"epoch": "0123"}', "'epoch' must be a list"),
    ('{"epoch": [0.5, 1]}', "'epoch' must be a list"),
    ('{"epoch": [1, 0]}', "'epoch' must increase"),
    ('{"epoch": [0, 1], "free_energy": [1.0]}', "'free_energy' has 1 values for 2 epochs"),
    ('{"epoch": [0, 1], "free_energy": "abc"}', "'free_energy' must hold one number"),
    ('{"epoch": [0, 1], "free_energy": ["a", "b"]}', "'free_energy' must hold one number"),
    ('{"epoch": [0], "train_seconds": -1}', "'train_seconds' must be a non-negative"),
    ("[" * 100_000 + "]" * 100_000, "invalid JSON"),
    ('{"epoch": [0], "started_commit": 5}', "'started_commit' is a JSON int"),
    ('{"epoch": [0], "diverged": 1}', "'diverged' is a JSON int"),
])
def test_a_hostile_record_is_refused_naming_the_file(finished, tmp_path, text, why):
    d = _copy(finished, tmp_path)
    (d / "record.json").write_text(text)
    with pytest.raises(ValueError, match="record.json") as exc:
        _tiny(d)
    assert why in str(exc.value) and str(d) in str(exc.value)


def test_a_record_that_is_a_directory_is_refused(finished, tmp_path):
    d = _copy(finished, tmp_path)
    (d / "record.json").unlink()
    (d / "record.json").mkdir()
    with pytest.raises(ValueError, match="record.json.*not a regular file"):
        _tiny(d)


def test_a_checkpoint_without_the_measurements_before_it_is_refused(finished, tmp_path):
    """The record gone (or behind) while the checkpoint is at epoch 3: the measurements of
    epochs 0-2 cannot be made again from it; resuming would silently drop them."""
    d = _copy(finished, tmp_path)
    (d / "record.json").unlink()
    with pytest.raises(ValueError, match=r"lacks the measurements of epochs \[0, 1, 2\]"):
        _tiny(d)


# ---------------------------------------------------------------------------- crashes

def test_a_crash_in_the_first_measurement_after_training_loses_nothing(finished, tmp_path):
    """The crash after the first checkpoint (epoch 1) and before the first record was written:
    the measurement of epoch 0 must already be on disk."""
    armed = {"on": True}

    def hook(ep):
        if ep == 1 and armed["on"]:
            armed["on"] = False
            raise Crash

    d = tmp_path / "instance000"
    with pytest.raises(Crash):
        _tiny(d, measure_hook=hook)
    assert json.loads((d / "record.json").read_text())["epoch"] == [0]
    assert _same(_tiny(d), finished[1])                    # bit for bit


def test_a_crash_before_the_first_checkpoint_keeps_the_first_measurement(finished, tmp_path,
                                                                         monkeypatch):
    """A crash while epoch 1 trains: no checkpoint yet, the record of epoch 0 is kept (epoch
    0 is not measured again) and the run ends as the uninterrupted one."""
    def crashing_fit(self, *a, **k):
        raise Crash

    d = tmp_path / "instance000"
    monkeypatch.setattr(rp.Trainer, "fit", crashing_fit)
    with pytest.raises(Crash):
        _tiny(d)
    monkeypatch.undo()
    assert not (d / "trainer.npz").exists()
    assert json.loads((d / "record.json").read_text())["epoch"] == [0]
    calls = []
    assert _same(_tiny(d, measure_hook=calls.append), finished[1]) and 0 not in calls


def test_an_older_checkpoint_drops_the_later_divergence_of_the_record(finished, tmp_path):
    """A record ahead of its checkpoint (the checkpoint restored from an older copy): the
    measurements after it are dropped, and so is a divergence that happened after it."""
    older = tmp_path / "older"
    _tiny(older, epochs=1)                                # the same run, stopped at epoch 1
    d = _copy(finished, tmp_path)
    shutil.copy(older / "trainer.npz", d / "trainer.npz")
    rec = json.loads((d / "record.json").read_text())
    (d / "record.json").write_text(json.dumps(dict(rec, diverged="in epoch 3")))
    again = _tiny(d)
    assert _same(again, finished[1]) and "diverged" not in again


# ---------------------------------------------------------------------------- other configurations

def test_a_checkpoint_of_another_configuration_is_refused(finished, tmp_path):
    d = _copy(finished, tmp_path)
    with pytest.raises(ValueError, match="trainer.npz: not a checkpoint of this instance "
                                         r"\(it holds another random seed"):
        _tiny(d, seed=5)
    m = rp.BernoulliRBM.random(9, 7, weight_scale=0.1, rng=3)
    rp.Trainer(m, rp.PCD(k=1, n_chains=6), batch_size=3, lr=0.05, rng=4).save(d / "trainer.npz")
    with pytest.raises(ValueError, match=r"parameter W of shape \(9, 7\), not \(9, 4\)"):
        _tiny(d)
    rp.save(m, d / "trainer.npz")                         # a model, not a trainer
    with pytest.raises(ValueError, match="it holds a BernoulliRBM, not a trainer"):
        _tiny(d)


def _no_running(monkeypatch):
    import rbmphys.parallel

    def refuse(func, points, **kw):
        raise AssertionError("an instance ran")
    monkeypatch.setattr(rbmphys.parallel, "run", refuse)


def test_run_refuses_a_work_directory_of_another_configuration_before_running(tmp_path,
                                                                             monkeypatch):
    work = tmp_path / "work"
    inst = work / "scalar_2d" / "instance000"
    inst.mkdir(parents=True)
    cfg = json.loads(json.dumps(dict(paper.RUNS["scalar_2d"].configs[0], seed=99)))
    (inst / "config.json").write_text(json.dumps(cfg))
    _no_running(monkeypatch)
    with pytest.raises(ValueError, match="config.json: the directory holds an instance of "
                                         "another configuration \\(differs in seed\\)"):
        paper.run("scalar_2d", instances=1, work=work, results=tmp_path / "res", n_jobs=1,
                  figure=False)


def test_run_stamps_each_instance_directory_with_its_configuration(tmp_path, monkeypatch):
    _no_running(monkeypatch)
    with pytest.raises(AssertionError, match="an instance ran"):
        paper.run("scalar_2d", instances=np.int64(2), work=tmp_path, results=tmp_path,
                  figure=False)
    for i in range(2):
        stamp = json.loads((tmp_path / "scalar_2d" / f"instance{i:03d}" / "config.json")
                           .read_text())
        assert stamp == json.loads(json.dumps(paper.RUNS["scalar_2d"].configs[i]))
    assert not (tmp_path / "scalar_2d" / "instance002").exists()


# ---------------------------------------------------------------------------- arguments

@pytest.mark.parametrize("which", ["results", "work"])
def test_run_wants_directory_paths(tmp_path, monkeypatch, which):
    kw = {"results": tmp_path / "res", "work": tmp_path / "work", which: 5}
    _no_running(monkeypatch)
    with pytest.raises(TypeError, match=f"{which} must be a directory path"):
        paper.run("scalar_2d", instances=1, n_jobs=1, figure=False, **kw)


@pytest.mark.parametrize("which", ["results", "work"])
def test_run_refuses_an_unwritable_directory_before_running(tmp_path, monkeypatch, which):
    (tmp_path / "a_file").write_text("x")
    kw = {"results": tmp_path / "res", "work": tmp_path / "work", which: tmp_path / "a_file"}
    _no_running(monkeypatch)
    with pytest.raises(ValueError, match=f"{which} .*a_file: cannot be made a directory"):
        paper.run("scalar_2d", instances=1, n_jobs=1, figure=False, **kw)


def test_parallel_never_asks_for_more_workers_than_points(monkeypatch):
    import joblib

    asked = []

    class Sequential:
        def __init__(self, n_jobs, verbose=0):
            asked.append(n_jobs)

        def __call__(self, tasks):
            return [f(*a, **k) for f, a, k in tasks]

    monkeypatch.setattr(joblib, "Parallel", Sequential)
    assert rp.parallel.run(pow, [{"base": 2, "exp": 3}, {"base": 3, "exp": 2}],
                           n_jobs=10**6) == [8, 9]
    assert asked == [2]


def test_cli_instances_and_jobs_need_paper(monkeypatch, capsys):
    from rbmphys import cli
    from rbmphys.verify import book

    calls = []

    class Chapter:
        @staticmethod
        def main(outdir, quick):
            calls.append(outdir)

    monkeypatch.setattr(book, "load_chapter", lambda n: Chapter)
    for opt in ("--instances", "--jobs"):
        rc = cli.main(["run", "ch05", opt, "2", "--quick", "--outdir", "/tmp/rbmphys-none"])
        assert rc == 2 and f"{opt} applies to the paper-scale runs" in capsys.readouterr().err
    assert calls == []


@pytest.mark.parametrize("results", ["a_file", "a_file/sub"])
def test_cli_names_the_results_directory_it_cannot_use(tmp_path, monkeypatch, capsys, results):
    from rbmphys import cli
    from rbmphys.verify import book

    monkeypatch.setattr(book, "load_chapter", lambda n: None)
    (tmp_path / "a_file").write_text("x")
    monkeypatch.setenv("RBMPHYS_RESULTS", str(tmp_path / results))
    monkeypatch.setenv("RBMPHYS_CACHE", str(tmp_path / "cache"))
    rc = cli.main(["run", "ch05", "--paper", "--instances", "1", "--quick", "--outdir",
                   str(tmp_path / "fig")])
    err = capsys.readouterr().err
    assert rc == 2 and "RBMPHYS_RESULTS" in err and "a_file" in err


# ---------------------------------------------------------------------------- two processes

def test_two_runs_of_one_instance_cannot_overlap(tmp_path):
    """A second run of an instance directory that a live process holds is refused (the lock
    is an flock: a crashed holder releases it)."""
    fcntl = pytest.importorskip("fcntl")
    d = tmp_path / "instance000"
    d.mkdir()
    with open(d / ".lock", "a") as holder:
        fcntl.flock(holder, fcntl.LOCK_EX | fcntl.LOCK_NB)
        with pytest.raises(ValueError, match="in use by another process"):
            _tiny(d)
        assert not (d / "record.json").exists()
    assert _tiny(d)["epoch"] == [0, 1, 2, 3]              # released: runs


def test_a_file_system_without_locks_still_runs(tmp_path, monkeypatch):
    fcntl = pytest.importorskip("fcntl")
    import errno

    def no_locks(fd, op):
        raise OSError(errno.ENOLCK, "No locks available")
    monkeypatch.setattr(fcntl, "flock", no_locks)
    assert _tiny(tmp_path / "instance000")["epoch"] == [0, 1, 2, 3]
