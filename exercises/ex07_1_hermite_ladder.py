"""Exercise 7.1 (derivation, sympy) — the oscillator ladder of a relaxing mode.

For a mode with potential Φ(ζ) = Γζ²/2 (Γ > 0) the Fokker–Planck operator becomes, after
p = e^{−Φ/2}ψ, the Schrödinger operator H = −d²/dζ² + V_s with V_s = Φ'²/4 − Φ''/2 (36).

1. Write V_s for this Φ.
2. Show (with sympy) that ψ₃ = H₃(√(Γ/2) ζ) e^{−Γζ²/4} (H₃ the Hermite polynomial) is an
   eigenfunction, and give its eigenvalue λ₃ in terms of the symbol Gamma.
3. What is the relaxation time 1/λ₁ of the slowest nonzero mode, in terms of Gamma?

Use the symbols ``zeta`` (real) and ``Gamma`` (positive). Return ``{"V_s": expr,
"lambda3": expr, "tau1": expr}``. ``check`` applies H to ψ₃ and compares, and says which part
is wrong.
"""

from rbmphys.verify.exercise import answer_dict, formula, require


def solve():
    return None  # your answer here


def check(answer):
    import sympy as sp
    from rbmphys.symbolic.fokker_planck import schrodinger_potential

    answer_dict(answer, "V_s", "lambda3", "tau1")
    z = sp.Symbol("zeta", real=True)
    G = sp.Symbol("Gamma", positive=True)
    names = {"zeta": z, "Gamma": G}

    def parse(key):
        e = formula(answer, key, list(names.values()))
        require(not isinstance(e, sp.MatrixBase), f"{key} must be one expression, not a list")
        return e

    Vs = parse("V_s")
    phi = G * z**2 / 2
    want_vs = schrodinger_potential(phi, [z])        # Φ'²/4 − Φ''/2, eq. (36)
    require(sp.simplify(Vs - want_vs) == 0, "V_s is wrong: Φ'²/4 − Φ''/2")
    psi = sp.hermite(3, sp.sqrt(G / 2) * z) * sp.exp(-G * z**2 / 4)
    Hpsi = -sp.diff(psi, z, 2) + want_vs * psi
    lam = parse("lambda3")
    require(sp.simplify(Hpsi - lam * psi) == 0, "λ₃ is not the eigenvalue of ψ₃")
    psi1 = sp.hermite(1, sp.sqrt(G / 2) * z) * sp.exp(-G * z**2 / 4)
    lam1 = sp.simplify((-sp.diff(psi1, z, 2) + want_vs * psi1) / psi1)
    require(sp.simplify(parse("tau1") * lam1 - 1) == 0,
            "τ₁ is not the inverse of the first excited eigenvalue")
    return True
