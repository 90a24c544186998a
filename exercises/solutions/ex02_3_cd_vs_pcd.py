"""Solution 2.3: the exact gradient wins; PCD and CD-1 trail (CD-1 only sees the data's
neighbourhood, so it cannot remove probability far from the data)."""

import rbmphys as rp


def solve():
    data = rp.datasets.bars(3)
    out = {}
    for name, rule, lr in (("exact", rp.ExactGradient(), 0.3),
                           ("PCD-1", rp.PCD(k=1, n_chains=100), 0.05),
                           ("CD-1", rp.CD(k=1), 0.05)):
        m = rp.BernoulliRBM.random(9, 8, weight_scale=0.1, rng=0)
        rp.train(m, data, rule, epochs=1500, batch_size=6, lr=lr, rng=1, monitor={"every": 0})
        out[name] = rp.exact.log_likelihood(m, data)
    return out
