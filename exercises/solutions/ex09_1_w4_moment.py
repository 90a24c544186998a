"""Solution 9.1: ⟨S⁴⟩ = K (all four indices equal) + 3K(K−1) (three pairings of two distinct
indices) = 3K² − 2K, so ⟨W⁴⟩ = 3 − 2/K; |2/K| ≤ 0.03 first at K = 67."""


def solve():
    w4 = lambda K: 3.0 - 2.0 / K  # noqa: E731
    K = 1
    while abs(w4(K) - 3) > 0.03:
        K += 1
    return {"w4": [w4(k) for k in range(1, 21)], "K_gaussian": K}
