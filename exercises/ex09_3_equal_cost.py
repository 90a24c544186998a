"""Exercise 9.3 (cost, App. D) — RAPID against PCD-k at equal work.

Count multiply-adds per update as in App. D of Pozas-Kerstjens et al., for a minibatch of B
data vectors, V visible and H hidden units:

* RAPID with K patterns: 2BVH for the positive phase (fields of the batch, then Xᵀ tanh),
  KVH for the pattern-induced negative phase, 2KVH for the two pattern gradients and KVH to
  rebuild W from eq. (5);
* PCD-k on C persistent chains: 2kCVH for k Gibbs sweeps, plus 2(B + C)VH for the phases.

1. For Bars 4×4 in the paper (V = 16, H = 1000, B = 10, K = 8, and PCD-10 on C = 2048
   chains), what is the ratio cost(PCD-10) / cost(RAPID) per update?
2. Measure it: time one epoch of each rule with ``rp.train`` on the same model size (use
   ``time.perf_counter``, best of 3; pass ``monitor={"every": 0}`` so that the trainer does not
   compute the exact log-likelihood after the epoch) and report the measured ratio of epoch
   times. Why is it far below the count? (Per update RAPID does ~1 µs of arithmetic here.)
3. Up to what number of chains C would PCD-1 still be cheaper per update than RAPID for these
   V, H, B, K? (the largest integer C)

Return ``{"ratio_model": float, "ratio_measured": float, "max_chains_pcd1": int}``. ``check``
recomputes the cost model and asks that your measured ratio lie between 5 and the model's
(overheads that the count ignores can only shrink it).
"""

from rbmphys.verify.exercise import answer_dict, integer, number, require


def solve():
    return None  # your answer here


def check(answer):
    import rbmphys as rp
    from rbmphys.training import pcd_multiply_adds

    answer_dict(answer, "ratio_model", "ratio_measured", "max_chains_pcd1")
    V, H, B, K = 16, 1000, 10, 8
    rapid = rp.RAPID(n_patterns=K).multiply_adds(V, H, B)
    model = pcd_multiply_adds(V, H, B, 2048, 10) / rapid
    require(abs(number(answer, "ratio_model") / model - 1) < 1e-9,
            "ratio_model does not follow the counts of App. D given above")
    meas = number(answer, "ratio_measured")
    require(meas > 5, "RAPID measured less than 5x cheaper than PCD-10 on 2048 chains: time "
            "whole epochs, best of 3, same model size, without the exact monitor")
    require(meas < model, "the measured ratio exceeds the multiply-add count: the PCD epoch "
            "must do all its sweeps (k = 10, C = 2048)")
    c = integer(answer, "max_chains_pcd1")
    require(pcd_multiply_adds(V, H, B, c, 1) <= rapid < pcd_multiply_adds(V, H, B, c + 1, 1),
            "max_chains_pcd1 is not the largest C with cost(PCD-1) <= cost(RAPID)")
    return True
