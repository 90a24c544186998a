r"""Fokker–Planck dynamics of the relaxed RBM and the coupled-boson spectrum (Toledo-Marin et al.
Sec. 4.1, eqs. (29)-(48)), and the Landau expansion of a mode's free energy (Sec. 5,
eqs. (52)-(55)) — derived with sympy.

**Derivations.** The forms here are derived step by step in the book's appendix (sections
"Fokker–Planck operator and the Hermite ladder" and "Landau expansion of one mode",
``book/appendix.md``), with the paper's equation numbers.  Read for :math:`\sigma > 4`, (48)
continues formally to negative "eigenvalues"; the physics that we implement and test: the
relaxation rates of a mode are :math:`n\Gamma` with :math:`\Gamma_u = 4 - \beta\sigma`, :math:`\Gamma_w = 4 + \beta\sigma`, and the
:math:`u` mode of a singular value :math:`\beta\sigma > 4` never relaxes (its variance grows as
:math:`e^{2(\beta\sigma - 4)t}`).

Overdamped Langevin dynamics :math:`d\mathbf z = -\nabla\Phi\,dt + \sqrt2\,d\mathbf W` has the
Fokker–Planck equation (33) :math:`\partial_t p = \nabla\cdot(p\nabla\Phi) + \nabla^2p`; with
:math:`p = e^{-\Phi/2}\psi` (35) it becomes :math:`-\partial_t\psi = \hat H\psi`,
:math:`\hat H = -\nabla^2 + V_s`, :math:`V_s = \tfrac14|\nabla\Phi|^2 - \tfrac12\nabla^2\Phi` (36).
For a quadratic :math:`\Phi = \tfrac12\Gamma\zeta^2` this is a harmonic oscillator with
:math:`V_s = \Gamma^2\zeta^2/4 - \Gamma/2` (47) and eigenvalues :math:`n\Gamma` (48).

Introduced in Chapter 7 (Landau: Chapter 8).
"""

from __future__ import annotations

import functools

import sympy as sp

from .numeric import to_numeric

__all__ = ["schrodinger_potential", "fokker_planck_operator", "similarity_identity",
           "stationary_identity", "ou_propagator_check", "mode_potentials", "mode_curvatures", "oscillator_check",
           "relaxation_rates", "legendre_coefficients", "landau_coefficients",
           "landau_coefficients_numeric", "landau_minima"]

sigma, beta = sp.symbols("sigma beta", positive=True)
s2 = sp.Rational(1, 4)
#: cumulants of a centred uniform bit v − ½ ∈ {−½, ½}: variance 1/4, fourth cumulant
#: ⟨x⁴⟩ − 3⟨x²⟩² = 1/16 − 3/16
BIT_K2 = 0.25
BIT_K4 = -0.125


def _gaussian_moment(p, s):
    """⟨η^p⟩ of a centred Gaussian of standard deviation s (Isserlis): 0 for odd p,
    s^p (p − 1)!! for even p."""
    return 0 if p % 2 else (s ** p * sp.factorial2(p - 1) if p else 1)


def _grad(f, zs):
    return [sp.diff(f, z) for z in zs]


def _lap(f, zs):
    return sum(sp.diff(f, z, 2) for z in zs)


def schrodinger_potential(Phi, zs):
    r""":math:`V_s = \tfrac14|\nabla\Phi|^2 - \tfrac12\nabla^2\Phi`, eq. (36)."""
    return sp.Rational(1, 4) * sum(g**2 for g in _grad(Phi, zs)) - _lap(Phi, zs) / 2


def fokker_planck_operator(p, Phi, zs):
    r"""The right-hand side of (33): :math:`\nabla\cdot(p\nabla\Phi) + \nabla^2 p`."""
    return sum(sp.diff(p * sp.diff(Phi, z), z) for z in zs) + _lap(p, zs)


def similarity_identity(dim=2):
    r"""``FP[e^{-Φ/2}ψ] − e^{-Φ/2}(∇²ψ − V_sψ)`` for generic functions Φ, ψ of ``dim``
    variables, simplified: 0 proves that the similarity transform (35) maps the Fokker–Planck
    operator to minus the Schrödinger operator (36).  ``1 <= dim <= 5`` (a few seconds; the
    identity is proved in every dimension by the same algebra, so larger ones add nothing)."""
    from .._validation import check_int
    dim = check_int(dim, "dim", 1, 5, hint="sympy's simplify grows fast with the dimension")
    zs = sp.symbols(f"z1:{dim + 1}", real=True)
    Phi = sp.Function("Phi")(*zs)
    psi = sp.Function("psi")(*zs)
    p = sp.exp(-Phi / 2) * psi
    lhs = fokker_planck_operator(p, Phi, zs)
    rhs = sp.exp(-Phi / 2) * (_lap(psi, zs) - schrodinger_potential(Phi, zs) * psi)
    return sp.simplify(sp.expand(lhs - rhs))


def stationary_identity(dim=2):
    r"""``FP[e^{-Φ}]`` for a generic Φ, simplified: 0 — the Boltzmann weight (32) is stationary."""
    zs = sp.symbols(f"z1:{dim + 1}", real=True)
    Phi = sp.Function("Phi")(*zs)
    return sp.simplify(fokker_planck_operator(sp.exp(-Phi), Phi, zs))


def ou_propagator_check():
    r""":math:`\partial_tp - \text{FP}[p]`, simplified, for the Ornstein–Uhlenbeck propagator of
    :math:`\Phi = \Gamma z^2/2`: the Gaussian

    .. math:: p(z, t) = \frac{e^{-(z - m(t))^2/(2v(t))}}{\sqrt{2\pi v(t)}},\quad
              m(t) = m_0e^{-\Gamma t},\quad v(t) = \frac1\Gamma
              + \Big(v_0 - \frac1\Gamma\Big)e^{-2\Gamma t}

    (the moments of :math:`dz = -\Gamma z\,dt + \sqrt2\,dW`: the mean relaxes at Γ, the
    variance at 2Γ). 0 proves that :func:`fokker_planck_operator` has the drift and the
    diffusion constant of (33). Chapter 7."""
    z, t = sp.symbols("z t", real=True)
    G, v0 = sp.symbols("Gamma v0", positive=True)
    m0 = sp.symbols("m0", real=True)
    m = m0 * sp.exp(-G * t)
    v = 1 / G + (v0 - 1 / G) * sp.exp(-2 * G * t)
    p = sp.exp(-(z - m) ** 2 / (2 * v)) / sp.sqrt(2 * sp.pi * v)
    return sp.simplify((sp.diff(p, t) - fokker_planck_operator(p, G * z**2 / 2, [z]))
                       / p)


def mode_potentials():
    r"""``(Phi_u, Phi_w, u, w, mu_u, mu_w)``: the effective potential (30) of one paired mode
    with the Gaussian constraint potential (46) (s² = 1/4), up to constants:

    .. math:: \Phi_u = -\tfrac{\beta\sigma}{2}u^2 + \frac{(u - \mu_u)^2}{2s^2},\qquad
              \Phi_w = +\tfrac{\beta\sigma}{2}w^2 + \frac{(w - \mu_w)^2}{2s^2}.
    """
    u, w, mu_u, mu_w = sp.symbols("u w mu_u mu_w", real=True)
    Phi_u = -beta * sigma / 2 * u**2 + (u - mu_u) ** 2 / (2 * s2)
    Phi_w = beta * sigma / 2 * w**2 + (w - mu_w) ** 2 / (2 * s2)
    return Phi_u, Phi_w, u, w, mu_u, mu_w


def mode_curvatures():
    r"""``(Gamma_u, Gamma_w)`` = the second derivatives of :func:`mode_potentials`:
    :math:`4 - \beta\sigma` and :math:`4 + \beta\sigma` (the diagonal Hessian (40) with
    K = 4·1, eq. (46))."""
    Phi_u, Phi_w, u, w, _, _ = mode_potentials()
    return sp.simplify(sp.diff(Phi_u, u, 2)), sp.simplify(sp.diff(Phi_w, w, 2))


def oscillator_check(n_max=4):
    r"""For n = 0..n_max, ``Hψ_n − nΓψ_n`` simplified, with
    :math:`\hat H = -\partial_\zeta^2 + V_s` for :math:`\Phi = \Gamma\zeta^2/2` and
    :math:`\psi_n = H_n(\sqrt{\Gamma/2}\,\zeta)\,e^{-\Gamma\zeta^2/4}` (Hermite polynomials): a
    list of zeros proves the spectrum :math:`\lambda_n = n\Gamma` of (48) for Γ > 0."""
    z = sp.symbols("zeta", real=True)
    G = sp.symbols("Gamma", positive=True)
    Phi = G * z**2 / 2
    Vs = schrodinger_potential(Phi, [z])
    out = []
    for n in range(n_max + 1):
        psi = sp.hermite(n, sp.sqrt(G / 2) * z) * sp.exp(-G * z**2 / 4)
        out.append(sp.simplify(-sp.diff(psi, z, 2) + Vs * psi - n * G * psi))
    return out


@functools.lru_cache(maxsize=1)
def _rates_fn():
    Gu, Gw = mode_curvatures()
    return to_numeric([Gu, Gw], [sigma, beta], name="mode_curvatures")


def relaxation_rates(sigma_values, beta_value=1.0):
    r"""The curvatures :math:`(\Gamma_u, \Gamma_w) = (4 - \beta\sigma, 4 + \beta\sigma)` for each
    singular value (through the bridge); the relaxation rates of a mode are
    :math:`n\Gamma`, n = 1, 2, ... A negative :math:`\Gamma_u` marks a mode that never converges
    (σ > 4/β). Returns an array of shape (len(sigma), 2)."""
    import numpy as np
    f = _rates_fn()
    return np.array([f([s, beta_value]) for s in np.atleast_1d(sigma_values)], dtype=float)


# ----------------------------------------------------------------------------- Landau (Sec. 5)

def legendre_coefficients():
    r"""Taylor coefficients of the constraint potential of one mode in terms of its cumulants.

    Under the uniform measure a reciprocal variable is a sum of independent bits; its density of
    states is, to exponential accuracy (large deviations, the saddle point of (26)), the
    Legendre transform :math:`V_c(z) = \sup_t\,[tz - \mathcal K(t)]` of its cumulant generating
    function :math:`\mathcal K(t) = \mu t + \kappa_2t^2/2 + \kappa_3t^3/6 + \kappa_4t^4/24`.
    Series reversion gives the Taylor tensors of (53) at :math:`z = \mu`:

    .. math:: K_{11} = \frac{1}{\kappa_2},\quad K_{111} = -\frac{\kappa_3}{\kappa_2^3},\quad
              K_{1111} = \frac{3\kappa_3^2}{\kappa_2^5} - \frac{\kappa_4}{\kappa_2^4}.

    Returns ``(K11, K111, K1111, (k2, k3, k4))`` as sympy expressions (derived here by
    reverting the series, not typed in; the tests compare with the forms above).
    """
    t, d = sp.symbols("t delta", real=True)
    k2, k3, k4 = sp.symbols("kappa2 kappa3 kappa4", real=True)
    # K'(t) − μ = δ defines t(δ); V_c'(μ + δ) = t(δ). Revert δ = k2 t + k3 t²/2 + k4 t³/6.
    a1, a2, a3 = sp.symbols("a1 a2 a3")
    tt = a1 * d + a2 * d**2 + a3 * d**3
    eq = sp.expand(k2 * tt + k3 * tt**2 / 2 + k4 * tt**3 / 6 - d)
    sol = sp.solve([eq.coeff(d, 1), eq.coeff(d, 2), eq.coeff(d, 3)], [a1, a2, a3], dict=True)[0]
    # V_c'(μ+δ) = a1 δ + a2 δ² + a3 δ³ → K11 = a1, K111 = 2 a2, K1111 = 6 a3
    return (sp.simplify(sol[a1]), sp.simplify(2 * sol[a2]), sp.simplify(6 * sol[a3]),
            (k2, k3, k4))


def landau_coefficients(n_other=2):
    r"""The mean-field Landau coefficients (55) of mode 1, derived from a general quartic
    Taylor series of the constraint potential in ``1 + n_other`` variables, averaged over
    independent Gaussian fluctuations :math:`\langle\eta_j\eta_k\rangle = s^2\delta_{jk}` of
    the other modes (Isserlis: odd moments vanish, :math:`\langle\eta^4\rangle = 3s^4`):

    .. math:: \bar h = \tfrac12\sum_{j\ne1}K_{1jj}s^2,\quad
              \bar k = K_{11} + \tfrac12\sum_{j\ne1}K_{11jj}s^2,\quad
              \bar\gamma = \tfrac12K_{111},\quad \bar\alpha = \tfrac16K_{1111}

    in :math:`F(z_1) = -\tfrac{\sigma}{2}z_1^2 + \bar h\delta_1 + \tfrac{\bar k}{2}\delta_1^2
    + \tfrac{\bar\gamma}{3}\delta_1^3 + \tfrac{\bar\alpha}{4}\delta_1^4`.

    Returns ``(coefficients, series)``: a dict ``{"h", "k", "gamma", "alpha"}`` of sympy
    expressions in the symbols ``K_1...`` and ``s``, and the averaged series in δ₁. (``h``
    also carries the gradient ``K_1``, which vanishes when the expansion point μ is the
    minimum of V_c, as in (39).)
    """
    n = 1 + int(n_other)
    d = sp.symbols(f"delta1:{n + 1}", real=True)
    s = sp.symbols("s", positive=True)
    Ks = {}

    def K(*idx):
        key = tuple(sorted(idx))
        if key not in Ks:
            Ks[key] = sp.Symbol("K_" + "".join(str(i + 1) for i in key))
        return Ks[key]

    import itertools
    V = 0
    for order in (1, 2, 3, 4):
        for idx in itertools.product(range(n), repeat=order):
            V += K(*idx) * sp.Mul(*[d[i] for i in idx]) / sp.factorial(order)
    # average over the other modes: replace monomials by Gaussian moments
    poly = sp.Poly(sp.expand(V), *d[1:])
    avg = 0
    for monom, coeff in poly.terms():
        m = 1
        for p in monom:
            m *= _gaussian_moment(p, s)
        avg += coeff * m
    avg = sp.expand(avg)
    c = [avg.coeff(d[0], k) for k in range(5)]
    coeffs = {"h": sp.simplify(c[1]), "k": sp.simplify(2 * c[2]),
              "gamma": sp.simplify(3 * c[3]), "alpha": sp.simplify(4 * c[4])}
    return coeffs, avg


def landau_coefficients_numeric(c):
    r"""Landau coefficients of mode 1 for the relaxed RBM whose mode-1 reciprocal variable is
    :math:`z = \sum_i c_iv_i` with independent uniform bits (a unit vector ``c`` of the
    combined visible-hidden space), neglecting the couplings to the other modes (their
    :math:`K_{1jj}` vanish for independent bits):

    :math:`\kappa_2 = \tfrac14\sum c_i^2`, :math:`\kappa_3 = 0`,
    :math:`\kappa_4 = -\tfrac18\sum c_i^4`, and through :func:`legendre_coefficients`
    :math:`\bar k = K_{11}`, :math:`\bar\gamma = K_{111}/2`, :math:`\bar\alpha = K_{1111}/6`.

    Returns a dict ``{"k", "gamma", "alpha", "kappa2", "kappa4"}`` of floats.
    """
    import numpy as np
    c = np.asarray(c, dtype=np.float64)
    k2v = BIT_K2 * float(np.sum(c**2))
    k4v = BIT_K4 * float(np.sum(c**4))
    K11, K111, K1111, (k2, k3, k4) = legendre_coefficients()
    sub = {k2: k2v, k3: 0.0, k4: k4v}
    return {"k": float(K11.subs(sub)), "gamma": float(K111.subs(sub)) / 2,
            "alpha": float(K1111.subs(sub)) / 6, "kappa2": k2v, "kappa4": k4v}


def landau_minima():
    r"""``(expr, sigma, k, alpha)``: the minima :math:`\pm\sqrt{(\sigma - \bar k)/\bar\alpha}` of
    the symmetric Landau free energy :math:`-\tfrac{\sigma}{2}\delta^2 + \tfrac{\bar k}{2}\delta^2
    + \tfrac{\bar\alpha}{4}\delta^4` (solved by sympy; real for σ > k̄: the critical point
    :math:`\sigma_c = \bar k`, order-parameter exponent ½)."""
    dl = sp.symbols("delta", real=True)
    k, a = sp.symbols("k alpha", positive=True)
    F = -sigma / 2 * dl**2 + k / 2 * dl**2 + a / 4 * dl**4
    sols = [x for x in sp.solve(sp.diff(F, dl), dl) if x != 0]
    pos = [x for x in sols if x.subs({sigma: 2, a: 1, k: 1}) > 0][0]
    return pos, sigma, k, a
