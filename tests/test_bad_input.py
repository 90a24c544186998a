"""Bad input, the same way everywhere: every public entry point answers a wrong argument with a
ValueError or TypeError that names the argument and the constraint (issue: reliability, item
11).  One table; each row is (call, exception type, regex the message must match)."""

from __future__ import annotations

import numpy as np
import pytest

import rbmphys as rp
from rbmphys import cli
from rbmphys.samplers.ais import base_rate_bias

B = rp.BernoulliRBM.random(4, 3, rng=0)
S = rp.SpinRBM.random(4, 3, rng=0)
G = rp.GaussianRBM(np.array([[0.5], [0.2]]), mu2=2.0)
DATA = rp.datasets.bars(2)                       # (2, 4) {0,1}
EMPTY = np.zeros((0, 4))
T = rp.training

CASES = [
    # models
    (lambda: rp.BernoulliRBM(np.ones(3)), ValueError, "weights W must be 2-dimensional"),
    (lambda: rp.BernoulliRBM("W"), TypeError, "W must be a real numeric array"),
    (lambda: rp.BernoulliRBM(np.ones((0, 3))), ValueError, r"both >= 1"),
    (lambda: rp.BernoulliRBM(np.ones((3, 2)), a=np.ones(2)), ValueError,
     r"visible bias a must have shape \(n_visible,\) = \(3,\)"),
    (lambda: rp.SpinRBM(np.full((2, 2), np.inf)), ValueError, "W contains 4 NaN or infinite"),
    (lambda: rp.BernoulliRBM.random(0, 3), ValueError, "n_visible must be an integer >= 1"),
    (lambda: rp.BernoulliRBM.random(None, 3), TypeError, "n_visible must be an integer"),
    (lambda: rp.BernoulliRBM.random(2.5, 3), ValueError, "n_visible must be an integer"),
    (lambda: rp.BernoulliRBM.random("4", 3), TypeError, "n_visible must be an integer"),
    (lambda: rp.BernoulliRBM.random(4, 3, weight_scale=-1), ValueError, "weight_scale"),
    (lambda: rp.BernoulliRBM.random(4, 3, dtype=int), TypeError, "dtype must be float32"),
    (lambda: rp.BernoulliRBM.random(4, 3, rng=True), TypeError, "rng must be None"),
    (lambda: rp.BernoulliRBM.random(4, 3, rng=-1), ValueError, "rng seed must be"),
    (lambda: rp.BernoulliRBM.random(4, 3, rng="x"), TypeError, "rng must be None"),
    (lambda: B.free_energy(2 * DATA - 1), ValueError, "only 0 and 1 .*SpinRBM"),
    (lambda: S.free_energy(DATA), ValueError, "only -1 and 1 .*BernoulliRBM"),
    (lambda: B.energy(DATA, np.zeros((3, 3))), ValueError, "same number of states"),
    (lambda: B.free_energy(np.zeros((2, 5))), ValueError, r"shape \(n_samples, 4\)"),
    (lambda: B.free_energy(EMPTY), ValueError, "is empty"),
    (lambda: rp.GaussianRBM(np.array([[1.0], [1.0]]), mu2=1.0), ValueError,
     "stability bound"),
    (lambda: rp.GaussianRBM(np.ones((2, 1)), mu2=3.0, sigma_h2=-1), ValueError, "sigma_h2"),
    (lambda: rp.GaussianRBM(np.ones((2, 1)), mu2="3"), TypeError, "mu2"),
    (lambda: rp.RBM(np.ones((2, 2)), visible="spin", hidden=rp.units.Spin()), TypeError,
     "unit objects"),
    (lambda: rp.units.Gaussian(0.0), ValueError, "variance"),
    (lambda: rp.gauge_to_bernoulli(B), TypeError, "Spin units"),
    # sampling
    (lambda: rp.gibbs(B, DATA, n_sweeps=-1), ValueError, "n_sweeps must be an integer >= 0"),
    (lambda: rp.gibbs(B, DATA, n_sweeps=None), TypeError, "n_sweeps must be an integer"),
    (lambda: rp.gibbs(B, DATA, n_sweeps=1.5), ValueError, "n_sweeps"),
    (lambda: rp.gibbs(B, DATA, beta="1"), TypeError, "beta must be a real number"),
    (lambda: rp.gibbs(B, DATA, beta=float("nan")), ValueError, "beta must be a finite"),
    (lambda: rp.gibbs(B, DATA, beta=-1.0), ValueError, r"beta must lie in \[0"),
    (lambda: rp.gibbs(B, DATA, n_sweeps=0, return_hidden=True), ValueError, "n_sweeps >= 1"),
    (lambda: rp.gibbs("model", DATA), TypeError, "needs an RBM model"),
    (lambda: rp.gibbs(B, EMPTY), ValueError, "is empty"),
    (lambda: rp.ChainState(B), ValueError, "give either v0"),
    (lambda: rp.ChainState(B, n_chains=0), ValueError, "n_chains must be an integer >= 1"),
    (lambda: rp.ChainState(B, n_chains=2, rng=0).run(None), TypeError, "n_sweeps"),
    (lambda: rp.ParallelTempering(S, [0.1, 0.5], 4), ValueError, "end at 1"),
    (lambda: rp.ParallelTempering(S, "x", 4), ValueError, "betas"),
    (lambda: rp.ParallelTempering(S, [0.5, 1.0], None), TypeError, "n_chains"),
    (lambda: rp.parallel_tempering(S, 0), ValueError, "n_samples"),
    # AIS
    (lambda: rp.ais(B, n_chains=1), ValueError, "n_chains must be an integer >= 2"),
    (lambda: rp.ais(B, n_chains=None), TypeError, "n_chains"),
    (lambda: rp.ais(B, n_betas=2), ValueError, "n_betas"),
    (lambda: rp.ais(B, betas=[0.0, float("nan"), 1.0]), ValueError, "betas .*finite"),
    (lambda: rp.ais(B, betas=[0.0, 0.7, 0.5, 1.0]), ValueError, "increase strictly"),
    (lambda: rp.ais(B, base=np.zeros(3)), ValueError, "base visible bias"),
    (lambda: rp.ais(G), ValueError, "binary layers.*exact"),
    (lambda: rp.ais("m"), TypeError, "needs an RBM model"),
    (lambda: rp.reverse_ais(B, None), ValueError, "starts its chains at data"),
    (lambda: rp.reverse_ais(B, DATA[:1]), ValueError, "at least 2 data points"),
    (lambda: rp.reverse_ais(B, DATA, n_chains=5), ValueError, "exceeds"),
    (lambda: base_rate_bias(0.5), ValueError, "base rate"),
    (lambda: base_rate_bias(np.full((2, 3), np.nan)), ValueError, "NaN"),
    (lambda: base_rate_bias(-np.ones((2, 3))), ValueError, r"\{0,1\}"),
    # exact
    (lambda: rp.exact.log_likelihood(B, EMPTY), ValueError, "is empty"),
    (lambda: rp.exact.gradient(B, EMPTY), ValueError, "is empty"),
    (lambda: rp.exact.kl_divergence(EMPTY, B), ValueError, "is empty"),
    (lambda: rp.exact.kl_divergence((DATA, [0.5, 0.6]), B), ValueError, "sum to 1"),
    (lambda: rp.exact.log_partition(rp.BernoulliRBM.random(30, 30)), ValueError,
     "too many to enumerate.*ais"),
    (lambda: rp.exact.log_partition(3), TypeError, "needs an RBM model"),
    (lambda: rp.exact.all_states(0), ValueError, "number of units n must be an integer"),
    (lambda: rp.exact.all_states(3, "potts"), ValueError, "units must be discrete"),
    (lambda: rp.exact.visible_distribution(G), ValueError, "not discrete"),
    (lambda: rp.exact.ground_states(G), ValueError, "not binary"),
    (lambda: rp.exact.sample(B, 0), ValueError, "n_samples"),
    # training
    (lambda: rp.train(B, EMPTY, rp.CD(), epochs=1), ValueError, "training data is empty"),
    (lambda: rp.train(B, 2 * DATA - 1, rp.CD(), epochs=1), ValueError, "only 0 and 1"),
    (lambda: rp.train(B, DATA, rp.CD(), epochs=None), TypeError, "epochs must be an integer"),
    (lambda: rp.train(B, DATA, rp.CD(), epochs=-1), ValueError, "epochs must be an integer"),
    (lambda: rp.train(B, DATA, rp.CD(), epochs=1, batch_size=0), ValueError, "batch_size"),
    (lambda: rp.train(B, DATA, rp.CD(), epochs=1, lr=0.0), ValueError,
     "lr must be positive"),
    (lambda: rp.train(B, DATA, rp.CD(), epochs=1, lr="0.1"), TypeError, "lr must be a number"),
    (lambda: rp.train(B, DATA, rp.CD(), epochs=1, lr=lambda e: 0.1), TypeError,
     "checkpointed"),
    (lambda: rp.train(B, DATA, rp.CD(), epochs=1, momentum=1.0), ValueError, "momentum"),
    (lambda: rp.train(B, DATA, rp.CD(), epochs=1, weight_decay=-1), ValueError,
     "weight_decay"),
    (lambda: rp.train(B, DATA, "pcd", epochs=1), TypeError, "rule must be a learning rule"),
    (lambda: rp.train(B, DATA, rp.PCD, epochs=1), TypeError, "rule must be a learning rule"),
    (lambda: rp.train(B, DATA, rp.CD(), epochs=1, callbacks=[3]), TypeError, "callbacks"),
    (lambda: rp.train(B, DATA, rp.CD(), epochs=1, checkpoint="/no/such/dir/x.npz"),
     ValueError, "does not exist"),
    (lambda: rp.train(B, DATA, rp.CD(), epochs=1, checkpoint_every=0), ValueError,
     "checkpoint_every"),
    (lambda: rp.train("m", DATA, rp.CD(), epochs=1), TypeError, "needs an RBM model"),
    (lambda: rp.CD(k=0), ValueError, r"k \(Gibbs sweeps\) must be an integer >= 1"),
    (lambda: rp.PCD(n_chains=0), ValueError, "n_chains must be an integer >= 1"),
    (lambda: rp.PCD(k=None), TypeError, "k"),
    (lambda: rp.RdmK(k=1, n_chains=-2), ValueError, "n_chains"),
    (lambda: T.constant(-1.0), ValueError, "lr must be positive"),
    (lambda: T.exponential(0.1, gamma=-1), ValueError, "gamma"),
    (lambda: T.exponential(0.1, gamma=1.5), ValueError, "gamma"),
    (lambda: T.inverse_time(0.1, tau=0), ValueError, "tau"),
    (lambda: T.step_decay(0.1, r=2.0), ValueError, "decay factor r"),
    (lambda: T.step_decay(0.1, every=0), ValueError, "every"),
    # datasets
    (lambda: rp.datasets.bars(1), ValueError, "image side n must be an integer >= 2"),
    (lambda: rp.datasets.bars_and_stripes(25), ValueError, "use n <= 20"),
    (lambda: rp.datasets.bars(3, units="potts"), ValueError, "units must be discrete"),
    (lambda: rp.datasets.train_test_split(DATA, n_test=2), ValueError, "n_test"),
    (lambda: rp.datasets.train_test_split(DATA, test_fraction=1.5), ValueError,
     "test_fraction"),
    (lambda: rp.datasets.train_test_split(DATA), ValueError, "exactly one of"),
    (lambda: rp.datasets.corrupt(DATA, 1.5), ValueError, "fraction"),
    (lambda: rp.datasets.corrupt(np.ones((2, 4)), 0.1), ValueError, "units="),
    (lambda: rp.datasets.corrupt(DATA, 0.1, mode="scramble"), ValueError, "mode"),
    (lambda: rp.datasets.mnist(digits="3"), TypeError, "digits"),
    (lambda: rp.datasets.mnist(binarize=True, threshold=1.5), ValueError, "threshold"),
    (lambda: rp.datasets.mnist(path="/no/such/dir"), FileNotFoundError, "MNIST directory"),
    (lambda: rp.datasets.mnist_train_test(n_test=15), ValueError, "multiple of 10"),
    # checkpoints
    (lambda: rp.save("model", "/tmp/x.npz"), TypeError, "can save an RBM model or a Trainer"),
    (lambda: rp.save(B, "/no/such/dir/m.npz"), ValueError, "does not exist"),
    (lambda: rp.load("/no/such/file.npz"), FileNotFoundError, "no checkpoint"),
    (lambda: rp.load(3), TypeError, "checkpoint path"),
]


@pytest.mark.parametrize("call,exc,match", CASES, ids=[f"case{i:03d}" for i in range(len(CASES))])
def test_bad_input_is_named(call, exc, match):
    with pytest.raises(exc, match=match):
        call()


CLI = [
    (["verify", "--json", "/no/such/dir/x.json"], "does not exist"),
    (["run", "ch01", "--outdir", "/proc/version"], "not a directory"),
    (["exercise", "ex01_9"], "no exercise"),
    (["exercise", "nonsense"], "not an exercise name"),
    (["exercise", "ex01_1", "--file", "/no/file.py"], "no such file"),
    (["bench", "--json", "/no/such/dir/b.json"], "does not exist"),
]


@pytest.mark.parametrize("argv,match", CLI, ids=[" ".join(a) for a, _ in CLI])
def test_cli_bad_input_is_one_line(argv, match, capsys):
    assert cli.main(argv) == 2
    err = capsys.readouterr().err
    assert match in err and "Traceback" not in err and err.count("\n") == 1


@pytest.mark.parametrize("argv", [["run", "ch99"], ["verify", "--chapter", "x"], ["nope"]])
def test_cli_argument_errors_exit_2(argv, capsys):
    with pytest.raises(SystemExit) as e:
        cli.main(argv)
    assert e.value.code == 2
