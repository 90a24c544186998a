"""Exercise 9.1 (closed form) — the fourth moment of a pattern weight.

One entry of eq. (5) is W = S/√K with S = Σ_{k=1}^K ξ_k ξ'_k a sum of K independent uniform
signs (each product ξ_k ξ'_k of two random spins is itself a uniform sign).

1. Show that ⟨S²⟩ = K and ⟨S⁴⟩ = 3K² − 2K (expand the fourth power: which index patterns
   survive the average?), hence ⟨W⁴⟩ = 3 − 2/K.
2. Evaluate your closed form for K = 1, 2, ..., 20.
3. For which K is the excess kurtosis ⟨W⁴⟩ − 3 of the weights first within 1 % of a Gaussian's
   (|⟨W⁴⟩ − 3| ≤ 0.03)?

Return ``{"w4": [⟨W⁴⟩ for K = 1..20], "K_gaussian": int}``. ``check`` compares your values with
an exact sum over the binomial law of S and recomputes the threshold.
"""

from rbmphys.verify.exercise import answer_dict, array, integer, require


def solve():
    return None  # your answer here


def check(answer):
    from rbmphys.models import pattern_weight_moments

    answer_dict(answer, "w4", "K_gaussian", hint=" ('w4': 20 values, 'K_gaussian': an int)")
    w4 = array(answer, "w4").ravel()
    require(w4.shape == (20,), "'w4' must hold <W^4> for K = 1, ..., 20")
    exact = {}
    for K in range(1, 201):
        exact[K] = pattern_weight_moments(K)[1]          # the binomial sum of the library
        if K <= 20:
            require(abs(w4[K - 1] - exact[K]) < 1e-9, f"<W^4> for K = {K} is wrong: count the "
                    "index patterns (k = l = m = n and the three pairings) in <S^4>")
    first = min(K for K in exact if abs(exact[K] - 3) <= 0.03)
    require(integer(answer, "K_gaussian") == first, "K_gaussian is not the first K with "
            "|<W^4> - 3| <= 0.03")
    return True
