"""Exercise 2.2 (computation) — annealed importance sampling, written by you.

For the {0,1} RBM of ``model()`` (V = 10, H = 12), estimate ln Z with AIS *without* calling
``rbmphys.ais``. Anneal from a base model of independent visible units with the model's own
visible bias a (so Z_A is known in closed form: work it out) to the RBM, through

    p*_β(v) = e^{aᵀv} Π_j (1 + e^{β (b_j + (Wᵀv)_j)}),   0 = β_0 < β_1 < … < β_K = 1.

Each chain starts with an exact draw from the base model; at each β_k it collects
ln w += ln p*_{β_k}(v) − ln p*_{β_{k−1}}(v) and then makes one block-Gibbs sweep that leaves
p_{β_k} invariant (which fields does each layer see at β_k?). The estimate is
ln Z_A + ln(mean of w), and its standard error can be estimated from the spread of the weights.

Return ``{"log_weights": array (n_chains,), "log_z_base": float, "n_betas": int}`` with at least
100 chains and 1000 inverse temperatures. ``check`` recomputes the estimate and its standard
error from your weights, requires the standard error below 0.2 nats, and requires the estimate
within 4 standard errors (+0.01) of the exact ln Z. Then: why does AIS underestimate ln Z on
average?
"""

import numpy as np

import rbmphys as rp
from rbmphys.verify.exercise import answer_dict, array, integer, number, require


def model():
    return rp.BernoulliRBM.random(10, 12, weight_scale=0.6, bias_scale=0.3, rng=22)


def solve():
    return None  # your answer here


def check(answer):
    answer_dict(answer, "log_weights", "log_z_base", "n_betas")
    lw = array(answer, "log_weights").ravel()
    require(len(lw) >= 100 and np.all(np.isfinite(lw)),
            "give the finite log-weights of at least 100 chains")
    require(integer(answer, "n_betas") >= 1000, "use at least 1000 inverse temperatures")
    m = model()
    za = number(answer, "log_z_base")
    require(abs(za - (m.n_hidden * np.log(2) + np.logaddexp(0, m.a).sum())) < 1e-9,
            "ln Z_A of the base model is not right: sum its Boltzmann weights over v and h")
    r = np.exp(lw - lw.max())
    log_z = za + lw.max() + np.log(r.mean())
    se = r.std(ddof=1) / (np.sqrt(len(r)) * r.mean())
    require(se < 0.2, f"the standard error of your estimate is {se:.3g} nats: use more chains "
                      "or more inverse temperatures (need < 0.2)")
    exact = rp.exact.log_partition(m)
    require(abs(log_z - exact) < 4 * se + 0.01,
            f"your estimate is {abs(log_z - exact) / se:.1f} standard errors from the exact "
            "value: check the weight increment and that each sweep samples p_β at the same β")
    return True
