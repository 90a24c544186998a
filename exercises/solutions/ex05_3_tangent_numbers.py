"""Solution 5.3: series(−log(cosh(x)), x, 0, 13) gives −x²/2 + x⁴/12 − x⁶/45 + 17x⁸/2520 − ...;
multiplying the coefficient of x²ⁿ by (−1)ⁿ(2n)! gives cₙ = 1, 2, 16, 272, 7936, 353792
(the tangent numbers); the sextic coupling is −1/45 = −c₃/6!."""

import sympy as sp


def solve():
    x = sp.symbols("x")
    s = sp.series(-sp.log(sp.cosh(x)), x, 0, 14).removeO()
    c = [int(s.coeff(x, 2 * n) * (-1) ** n * sp.factorial(2 * n)) for n in range(1, 7)]
    return {"c": c, "sextic": s.coeff(x, 6)}
