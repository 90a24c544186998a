"""Exercise 2.2 (computation) — annealed importance sampling, written by you.

For the {0,1} RBM of ``model()`` (V = 10, H = 12), estimate ln Z with AIS *without* calling
``rbmphys.ais``.  Use the path

    p*_β(v) = e^{((1−β) a_A + β a)ᵀ v} Π_j (1 + e^{β (b_j + (Wᵀv)_j)}),   0 = β_0 < … < β_K = 1,

with base visible bias a_A = a (then Z_A = 2^H Π_i (1 + e^{a_i})), an exact first draw
v ~ p_A, and at each β_k: ln w += ln p*_{β_k}(v) − ln p*_{β_{k−1}}(v), then one block-Gibbs
sweep at β_k (h ~ σ(β_k(b + Wᵀv)), v ~ σ(β_k(Wh) + a)).  With n chains,

    ln Ẑ = ln Z_A + ln( (1/n) Σ_c w_c ),    SE ≈ std(w/max w) / (√n · mean(w/max w)).

Return ``(log_z, stderr)``.  ``check`` requires |ln Ẑ − ln Z_exact| < 4 SE + 0.01 and
SE < 0.2 (use ≥ 100 chains and ≥ 1000 β's).  Why does AIS underestimate ln Z on average?
"""

import rbmphys as rp


def model():
    return rp.BernoulliRBM.random(10, 12, weight_scale=0.6, bias_scale=0.3, rng=22)


def solve():
    return None  # your answer here


def check(answer):
    assert answer is not None, "solve() returned None: fill it in"
    log_z, se = map(float, answer)
    exact = rp.exact.log_partition(model())
    assert 0 < se < 0.2, f"standard error {se:.3g}: use more chains or more β's (need < 0.2)"
    assert abs(log_z - exact) < 4 * se + 0.01, \
        f"ln Ẑ = {log_z:.4f} but exact ln Z = {exact:.4f} ({abs(log_z - exact) / se:.1f} SE off)"
    return True
