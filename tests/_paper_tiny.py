"""The tiny paper-run instance the tests of ``rbmphys.experiments.paper`` train: a 9×4 PCD run on
the 3×3 bars, through the resumable loop, seeded (model, trainer, and each epoch's measurement)
so that an interrupted and resumed run can be compared bit for bit with an uninterrupted one."""

import numpy as np

import rbmphys as rp
from rbmphys.experiments import paper


def tiny_run(workdir, measure_hook=None, epochs=3, seed=3):
    """Train the tiny instance in ``workdir``; ``measure_hook(epoch)`` is called before each
    measurement (a test raises from it to simulate a crash there)."""
    data = rp.datasets.bars(3).astype(np.float64)

    def build():
        m = rp.BernoulliRBM.random(9, 4, weight_scale=0.1, rng=seed)
        return rp.Trainer(m, rp.PCD(k=1, n_chains=6), batch_size=3, lr=0.05, rng=seed + 1)

    def measure(tr, ep):
        if measure_hook is not None:
            measure_hook(ep)
        g = np.random.default_rng(100 + ep)
        v = (g.random((5, 9)) < 0.5).astype(np.float64)
        return {"free_energy": float(tr.model.free_energy(v).mean()),
                "w_sum": float(tr.model.W.sum())}

    return paper._resumable(workdir, build, data, epochs=epochs, eval_epochs=(0, 1, 2),
                            measure=measure, finish=lambda tr: {"W": tr.model.W.tolist()})
