"""Solution 7.1: V_s = Γ²ζ²/4 − Γ/2; Hψ_n = nΓψ_n, so λ₃ = 3Γ and τ₁ = 1/Γ."""

import sympy as sp


def solve():
    z = sp.Symbol("zeta", real=True)
    G = sp.Symbol("Gamma", positive=True)
    return {"V_s": G**2 * z**2 / 4 - G / 2, "lambda3": 3 * G, "tau1": 1 / G}
