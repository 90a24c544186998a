"""Paper-scale runs (rbmphys.experiments.paper): resume after a crash to the same bits, results
files refused when they are not results, verdicts computed from the measurements, and the
shipped results consistent with the code that judges them."""

import json

import pytest

from rbmphys.experiments import paper
from rbmphys.verify.book import PAPER_FIGURES, figure_detail, figure_status

from _paper_tiny import tiny_run as _tiny


def test_resume_after_a_crash_gives_the_same_record_and_model(tmp_path):
    full = _tiny(tmp_path / "a")

    class Crash(Exception):
        pass

    armed = {"on": True}

    def hook(ep):
        # crash once, after the checkpoint of epoch 2 was written and before its measurement
        if ep == 2 and armed["on"]:
            armed["on"] = False
            raise Crash

    with pytest.raises(Crash):
        _tiny(tmp_path / "b", measure_hook=hook)
    on_disk = json.loads((tmp_path / "b" / "record.json").read_text())
    assert on_disk["epoch"] == [0, 1]          # the crash lost the measurement of epoch 2
    resumed = _tiny(tmp_path / "b", measure_hook=hook)
    assert resumed["epoch"] == full["epoch"] == [0, 1, 2, 3]
    for key in ("free_energy", "w_sum"):
        assert resumed[key] == full[key], key      # bit for bit: same floats
    assert resumed["final"]["W"] == full["final"]["W"]


def test_a_finished_run_returns_its_record_without_training(tmp_path):
    first = _tiny(tmp_path / "c")
    calls = []
    again = _tiny(tmp_path / "c", measure_hook=calls.append)
    assert calls == [] and again["epoch"] == first["epoch"]
    assert again["free_energy"] == first["free_energy"]


def test_load_refuses_what_is_not_a_result(tmp_path):
    with pytest.raises(ValueError, match="choose one of"):
        paper.load("no_such_run", results=tmp_path)
    assert paper.load("rapid_bas", results=tmp_path) is None
    (tmp_path / "rapid_bas.json").write_text("{not json")
    with pytest.raises(ValueError, match="invalid JSON"):
        paper.load("rapid_bas", results=tmp_path)
    (tmp_path / "rapid_bas.json").write_text(json.dumps({"name": "rapid_mnist"}))
    with pytest.raises(ValueError, match="not the result of paper run 'rapid_bas'"):
        paper.load("rapid_bas", results=tmp_path)
    with pytest.raises(ValueError, match="instances must be a positive int"):
        paper.run("rapid_bas", instances=0, results=tmp_path, work=tmp_path)


def _toledo_records(finals):
    cfgs, recs = [], []
    for H, ll in finals:
        cfgs.append({"H": H})
        recs.append({"epoch": [0, 20], "ll_test_lower": [-200.0, ll - 1.0],
                     "ll_test_upper": [-200.0, ll + 1.0]})
    return recs, {"instances": cfgs}


def test_toledo_verdict_is_the_ordering_in_h():
    recs, cfg = _toledo_records([(500, -120.0), (500, -118.0), (3000, -100.0), (3000, -102.0)])
    summary, ok, evidence = paper.RUNS["toledo_ll"].summarize(recs, cfg)
    assert ok and summary["final_mid"] == [-119.0, -101.0]
    recs, cfg = _toledo_records([(500, -100.0), (1000, -110.0), (3000, -105.0)])
    _, ok, evidence = paper.RUNS["toledo_ll"].summarize(recs, cfg)
    assert not ok and "H = 1000: (-111.0, -109.0)" in evidence


def test_bas_verdict_reads_the_paper_runs_not_the_probes():
    def rec(end):
        return {"hd_test": [0.5, end], "hd_train": [0.5, end]}
    cfg = {"instances": [{"role": "paper"}, {"role": "paper"}, {"role": "probe clip lr=0.01"}]}
    summary, ok, evidence = paper.RUNS["rapid_bas"].summarize(
        [rec(0.48), rec(0.46), rec(0.05)], cfg)
    assert not ok and summary["runs"] == 2 and summary["hd_test_end"] == pytest.approx(0.47)
    assert summary["probe_hd_test_best"] == {"probe clip lr=0.01": 0.05}
    _, ok, _ = paper.RUNS["rapid_bas"].summarize([rec(0.1), rec(0.12)], cfg | {
        "instances": cfg["instances"][:2]})
    assert ok


def _fake_result(name, reproduced):
    return {"name": name, "verdict": "reproduced" if reproduced else
            "not reproduced at this scale", "evidence": "measured thing = 1.23",
            "summary": {}, "instances": [], "provenance": {}, "scale": "tiny",
            "reproduced": reproduced}


def test_figure_status_follows_the_measured_verdict(tmp_path, monkeypatch):
    monkeypatch.setenv("RBMPHYS_RESULTS", str(tmp_path))
    fig = next(f for f in PAPER_FIGURES if f.paper_run == "rapid_bas")
    (tmp_path / "rapid_bas.json").write_text(json.dumps(_fake_result("rapid_bas", True)))
    assert figure_status(fig) == "regenerated"
    assert "reproduced: measured thing = 1.23" in figure_detail(fig)
    (tmp_path / "rapid_bas.json").write_text(json.dumps(_fake_result("rapid_bas", False)))
    assert figure_status(fig) == "reduced"
    assert "not reproduced at this scale: measured thing = 1.23" in figure_detail(fig)


@pytest.mark.parametrize("name", sorted(paper.RUNS))
def test_shipped_results_are_judged_by_todays_code(name):
    """The verdict stored with shipped results is what the summary function gives on the
    stored measurements (a changed criterion must be re-applied: `rbmphys run chNN --paper`
    re-judges finished runs from their checkpoints in seconds)."""
    res = paper.load(name, results=paper.PACKAGE_RESULTS)
    if res is None:
        pytest.skip(f"no shipped results for {name}")
    pr = paper.RUNS[name]
    summary, ok, evidence = pr.summarize(res["instances"], res["config"])
    assert bool(ok) == res["reproduced"]
    assert res["verdict"] == ("reproduced" if ok else "not reproduced at this scale")
    assert evidence.endswith(res["evidence"][-60:])
    configs = json.loads(json.dumps([dict(c) for c in pr.configs]))   # tuples as JSON lists
    assert res["config"]["instances"] == configs[:len(res["instances"])]
    prov = res["provenance"]
    for key in ("git_commit", "compute_seconds", "started_commits", "machine", "cpus",
                "versions", "finished"):
        assert key in prov, key


def test_a_partial_run_does_not_replace_the_whole_runs_results(tmp_path):
    res = paper.run("scalar_2d", instances=1, results=tmp_path, work=tmp_path / "w", n_jobs=1,
                    figure=False)
    assert not res["complete"] and res["evidence"].startswith("(a partial run: 1 of 4")
    assert (tmp_path / "scalar_2d.partial.json").exists()
    assert not (tmp_path / "scalar_2d.json").exists()
    assert paper.load("scalar_2d", results=tmp_path) is None


def test_run_paper_refuses_a_chapter_without_paper_runs(capsys):
    from rbmphys.cli import main
    assert main(["run", "ch03", "--paper", "--quick", "--outdir", "/tmp/rbmphys-none"]) == 2
    assert "chapter 3 has no paper-scale run" in capsys.readouterr().err


def test_cli_paper_makes_the_runs_then_runs_the_chapter(tmp_path, monkeypatch, capsys):
    """`rbmphys run ch05 --paper --instances 1 --quick`: the chapter's paper run first (here a
    partial one, into $RBMPHYS_RESULTS), then the chapter itself at the quick size."""
    from rbmphys import cli
    from rbmphys.verify import book

    calls = []

    class Chapter:
        @staticmethod
        def main(outdir, quick):
            calls.append((outdir, quick))

    monkeypatch.setattr(book, "load_chapter", lambda n: Chapter)
    monkeypatch.setenv("RBMPHYS_RESULTS", str(tmp_path / "results"))
    monkeypatch.setenv("RBMPHYS_CACHE", str(tmp_path / "cache"))
    rc = cli.main(["run", "ch05", "--paper", "--instances", "1", "--jobs", "1", "--quick",
                   "--outdir", str(tmp_path / "fig")])
    out = capsys.readouterr().out
    assert rc == 0 and calls == [(str(tmp_path / "fig"), True)]
    assert "paper-scale run scalar_2d" in out and "(a partial run: 1 of 4 instances)" in out
    assert (tmp_path / "results" / "scalar_2d.partial.json").exists()
    assert not (tmp_path / "results" / "scalar_2d.json").exists()
