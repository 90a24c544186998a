"""``rbmphys bench`` runs its measurements end to end (speed itself is never asserted here:
timings belong to the benchmark, not to the tests).  The sanity bound: every step contains the
GEMMs of its floor, so a ratio far below 1 would mean the step skipped work or the timer broke.
On a loaded machine (another process stealing a core during one side's timing) a ratio can be
off by several times either way, so the bound is 0.1 < r < 1000: wide enough never to time the
machine, narrow enough to catch a step that does nothing or a timer that returns zero."""

import numpy as np
import pytest

from rbmphys import _bench


def _sane(r):
    assert np.isfinite(r) and 0.1 < r < 1000, r


@pytest.mark.parametrize("fn,dtype", [(_bench.bench_gibbs, np.float32),
                                      (_bench.bench_pcd, np.float64),
                                      (_bench.bench_gaussian_gibbs, np.float32)])
def test_step_benchmarks_report_ratios_to_their_floors(fn, dtype):
    out = fn(100, dtype, 1)
    assert out["B"] == 100 and out["dtype"] == np.dtype(dtype).name
    assert out["ms"] > 0 and out["floor_ms"] > 0
    _sane(out["ratio_to_floor"])


def test_ais_benchmark_reports_steps_against_gibbs_steps():
    a = _bench.bench_ais(np.float32, 1)
    assert a["chains"] == 100 and a["betas"] == 200
    _sane(a["ais_over_gibbs"])
    _sane(a["reverse_ais_over_gibbs"])


def test_ratio_takes_the_fastest_call_of_each_side():
    calls = {"a": 0, "b": 0}

    def a():
        calls["a"] += 1

    def b():
        calls["b"] += 1
    r, ta, tb = _bench.ratio(a, b, rounds=3, inner=4)
    assert calls == {"a": 1 + 12, "b": 1 + 12}          # warm-up + rounds × inner
    assert ta > 0 and tb > 0 and np.isfinite(r)


def test_machine_info_names_the_processor_and_instruction_set():
    mi = _bench.machine_info()
    assert mi["cores"] >= 1 and isinstance(mi["processor"], str)
    assert "isa" in mi
