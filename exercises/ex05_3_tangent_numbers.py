"""Exercise 5.3 (derivation, sympy) — the ln cosh series of the Gaussian–spin RBM, Eq. (92).

Summing out ±1 hidden units gives the effective action −Σ_a ln 2cosh ψ_a (91). Write

    −ln cosh ψ = Σ_{n≥1} (−1)ⁿ cₙ ψ²ⁿ / (2n)!

1. With sympy's ``series``, find the first six coefficients c_1, ..., c_6 (positive integers).
2. The sextic term generates a six-field coupling: for one hidden unit with couplings w_i,
   the ψ⁶ term of the effective action is g·(Σ_i w_i φ_i)⁶. Give g as an exact sympy number.

Return ``{"c": [c_1, ..., c_6], "sextic": sympy Rational}``. ``check`` compares with an
independent expansion of ln cosh and tells you which part is wrong (never the values).
"""

from rbmphys.verify.exercise import answer_dict, formula, integers, require


def solve():
    return None  # your answer here


def check(answer):
    import sympy as sp

    answer_dict(answer, "c", "sextic")
    c = integers(answer, "c")
    require(len(c) == 6, "give six coefficients c_1 ... c_6")
    # independent: Taylor coefficients of tanh (the derivative of ln cosh) from its own series
    x = sp.symbols("x")
    t = sp.series(sp.sinh(x) / sp.cosh(x), x, 0, 13).removeO()
    for n in range(1, 7):
        # d/dψ of −(−1)ⁿ cₙ ψ²ⁿ/(2n)! must match the ψ^(2n−1) coefficient of tanh
        want = t.coeff(x, 2 * n - 1) * sp.factorial(2 * n - 1) * (-1) ** (n + 1)
        require(c[n - 1] == want, f"c_{n} is wrong (check the sign convention (−1)ⁿ and the "
                                  "factorial)")
    g = formula(answer, "sextic", ())
    require(not isinstance(g, sp.MatrixBase), "sextic must be one number, not a list")
    g = sp.nsimplify(g)
    require(g == sp.Rational(-1, 1) * t.coeff(x, 5) / 6,
            "the sextic coupling is wrong: it is the ψ⁶ coefficient of −ln cosh ψ")
    return True
