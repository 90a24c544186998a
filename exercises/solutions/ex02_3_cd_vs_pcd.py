"""Solution 2.3: at equal learning rate the exact gradient ends best and CD-1 and PCD-1 end
together: on Bars 3×3 the model's probability sits on the six bars, a few Gibbs sweeps from
anywhere, so CD-1's bias towards the data barely moves the fixed point."""

import rbmphys as rp
from rbmphys.verify.exercise import exercise_path, load_exercise


def solve():
    ex = load_exercise(exercise_path("ex02_3"))
    data = rp.datasets.bars(3)
    out = {}
    for name, rule in (("exact", rp.ExactGradient()), ("PCD-1", rp.PCD(k=1, n_chains=100)),
                       ("CD-1", rp.CD(k=1))):
        m = ex.initial_model()
        rp.train(m, data, rule, epochs=1500, batch_size=6, lr=0.05, rng=1, monitor={"every": 0})
        out[name] = m
    return out
