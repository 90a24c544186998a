"""Exercise 7.3 (experiment) — measure a relaxation rate from Langevin dynamics.

A paired mode with singular value σ = 1 has, in the relaxed picture, a downhill coordinate u with
Φ(u) = −σu²/2 + 2u² (the Gaussian constraint centred at 0). Simulate overdamped Langevin
dynamics du = −Φ'(u) dt + √2 dW for it with ``rbmphys.samplers.langevin`` (time step
dt = 0.01; many walkers, long enough runs; discard the start), then

1. return your stationary trajectory, sampled every ``record_dt`` time units, as an array of
   shape (n_records, n_walkers) with at least 2 000 records and 16 walkers;
2. return ``record_dt``;
3. return the relaxation rate you measure from it.

Return ``{"trajectory": array, "record_dt": float, "rate": float}``. ``check`` recomputes the
rate from your trajectory (integrated autocorrelation time), checks that your number matches
it, that the trajectory is stationary with the variance 1/Γ of this mode, and that the rate is
within 6 % of the mode's Γ (Euler–Maruyama shifts it by ~ΓΔt/2); it says which part fails.
"""

from rbmphys.verify.exercise import answer_dict, array, number, require


def solve():
    return None  # your answer here


def check(answer):
    import rbmphys as rp
    from rbmphys.symbolic.fokker_planck import relaxation_rates

    answer_dict(answer, "trajectory", "record_dt", "rate")
    z = array(answer, "trajectory")
    require(z.ndim == 2 and z.shape[0] >= 2000 and z.shape[1] >= 16,
            "the trajectory must have shape (≥ 2000 records, ≥ 16 walkers)")
    dtr = number(answer, "record_dt")
    require(dtr > 0, "record_dt must be positive")
    rate = rp.samplers.relaxation_rate(z, dtr)
    require(abs(number(answer, "rate") - rate) < 1e-6 * rate,
            "your rate is not what your own trajectory gives (integrated autocorrelation time)")
    gamma = float(relaxation_rates([1.0])[0][0])          # Γ_u = 4 − βσ at σ = 1, β = 1
    require(abs(z.var() * gamma - 1) < 0.1, "the trajectory is not stationary with variance "
                                            "1/Γ: wrong potential, or the start not discarded")
    require(abs(rate / gamma - 1) < 0.06, "the measured rate is more than 6 % from the mode's "
                                          "Γ: more walkers or longer runs, or a wrong drift")
    return True
