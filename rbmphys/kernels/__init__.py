"""numba kernels (private) and their NumPy twins (:mod:`rbmphys.kernels.reference`).

Contract: small module-level functions, ``@njit(cache=True)``, no ``fastmath``, randomness from
a 64-bit key and counters (:mod:`rbmphys.kernels._rng`), float64 arithmetic/accumulation,
outputs written to preallocated arrays, serial next to threaded BLAS.
"""
