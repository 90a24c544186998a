"""Solution 1.2: enumerate the 64 hidden states, sum the visible layer analytically."""

import itertools

import numpy as np

import rbmphys as rp


def solve():
    m = rp.BernoulliRBM.random(14, 6, weight_scale=2.0, bias_scale=1.0, rng=12)
    hs = np.array(list(itertools.product([0.0, 1.0], repeat=m.n_hidden)))
    field = hs @ m.W.T + m.a                          # (64, V): a_i + (W h)_i
    log_terms = hs @ m.b + np.logaddexp(0.0, field).sum(axis=1)
    return float(np.logaddexp.reduce(log_terms))
