r"""Overdamped Langevin dynamics with the counter RNG (jit-compiled) and its NumPy twin.

Euler–Maruyama for :math:`d\mathbf z = -\nabla\Phi\,dt + \sqrt2\,d\mathbf W` (Toledo-Marin et
al. eq. (33), friction and temperature 1), for potentials that are sums of one-dimensional
polynomials (the decoupled modes of Chapter 7 and the Landau wells of Chapter 8):

.. math::

    z_i \leftarrow z_i - \Delta t\,\Phi_i'(z_i) + \sqrt{2\Delta t}\,\xi_i,\qquad
    \Phi_i'(z) = \sum_{k} c_{ik}\,(z - z^0_i)^k,

with :math:`\xi` standard normal by Box–Muller from two counter uniforms: step ``t`` has its own
pair of keys (derived from the run's key and t), walker ``r`` and coordinate ``i`` the counter
:math:`r\,n + i`. The result does not depend on the number of threads or on how the walkers are
split. Logarithm and cosine are the polynomials of :mod:`rbmphys.kernels._normal` (errors
< 1e-15, no libm calls), which the twin reproduces, so kernel and twin agree bit for bit.

Introduced in Chapter 7.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from ._normal import box_muller, box_muller_np
from ._rng import (_G32, U32, bits_to_uniform64, check_counter_range, derive_key, hash_weyl,
                   split_key, uniform64_np, weyl)

__all__ = ["langevin_run", "langevin_run_np", "step_keys"]

def step_keys(key, n_steps):
    """(n_steps, 4) uint32: the two key pairs of every step."""
    out = np.empty((n_steps, 4), dtype=np.uint32)
    for t in range(n_steps):
        k = derive_key(key, t)
        out[t, :2] = split_key(k)
        out[t, 2:] = split_key(derive_key(k, 0x6A55))
    return out


@njit(cache=True, error_model="numpy")
def _run(z, coef, center, dt, keys, thin, out):
    R, n = z.shape
    deg = coef.shape[1]
    sq = np.sqrt(2.0 * dt)
    n_steps = keys.shape[0]
    rec = 0
    for t in range(n_steps):
        k0, k1, j0, j1 = keys[t, 0], keys[t, 1], keys[t, 2], keys[t, 3]
        for r in range(R):
            w = weyl(r * n)                      # counter r·n + i, as a Weyl sum
            for i in range(n):
                x = z[r, i] - center[i]
                d = coef[i, deg - 1]
                for k in range(deg - 2, -1, -1):
                    d = d * x + coef[i, k]
                u1 = bits_to_uniform64(hash_weyl(k0, k1, w))
                u2 = bits_to_uniform64(hash_weyl(j0, j1, w))
                w = U32(w + _G32)
                xi = box_muller(u1, u2)
                z[r, i] = z[r, i] - dt * d + sq * xi
        if (t + 1) % thin == 0:
            out[rec] = z
            rec += 1


def _prepare(z0, coef, center, dt, n_steps, thin):
    z = np.array(z0, dtype=np.float64, order="C")
    coef = np.ascontiguousarray(coef, dtype=np.float64)
    center = np.ascontiguousarray(center, dtype=np.float64)
    check_counter_range(z.shape[0], z.shape[1])
    return z, coef, center, np.empty((n_steps // thin, *z.shape))


def langevin_run(z0, coef, center, dt, n_steps, thin, key):
    """Run ``n_steps`` Euler–Maruyama steps from ``z0`` (R walkers × n coordinates); return
    the states after every ``thin``-th step, shape (n_steps // thin, R, n)."""
    z, coef, center, out = _prepare(z0, coef, center, dt, n_steps, thin)
    _run(z, coef, center, float(dt), step_keys(key, n_steps), int(thin), out)
    return out


def langevin_run_np(z0, coef, center, dt, n_steps, thin, key):
    """NumPy twin of :func:`langevin_run` (test oracle; slow): same bits."""
    from .reference import counters
    z, coef, center, out = _prepare(z0, coef, center, dt, n_steps, thin)
    cnt = counters(z.shape[0], z.shape[1])
    sq = np.sqrt(2.0 * dt)
    rec = 0
    for t in range(n_steps):
        k = derive_key(key, t)
        u1 = uniform64_np(k, cnt)
        u2 = uniform64_np(derive_key(k, 0x6A55), cnt)
        xi = box_muller_np(u1, u2)
        x = z - center
        d = np.broadcast_to(coef[:, -1], z.shape).copy()
        for j in range(coef.shape[1] - 2, -1, -1):
            d = d * x + coef[:, j]
        z = z - dt * d + sq * xi
        if (t + 1) % thin == 0:
            out[rec] = z
            rec += 1
    return out
