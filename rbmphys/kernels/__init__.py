"""numba kernels (private) and their NumPy twins (:mod:`rbmphys.kernels.reference`).

Contract: small module-level functions, ``@njit(cache=True)``, no ``fastmath``, randomness from
a 64-bit key and counters (:mod:`rbmphys.kernels._rng`), float64 arithmetic/accumulation,
outputs written to preallocated arrays, serial next to threaded BLAS.
"""


def _prefer_full_vector_width():
    """Let LLVM use 512-bit vectors on CPUs with AVX-512 (it defaults to 256 bits there).

    LLVM's tuning for Intel server cores ("prefer-256-bit") keeps loops on 256-bit registers to
    avoid the clock penalty that early AVX-512 parts paid for 512-bit instructions.  Our fused
    passes are integer-hash and polynomial work, where 512-bit vectors halve the instruction
    count: on the 2-core AVX-512 development machine (Emerald Rapids) the float32 sampling pass
    went from 3.5 to 1.6 ns per unit and the float64 one from 3.9 to 2.8 ns.  Results are
    unchanged bit for bit (elementwise IEEE operations, no reassociation; the twins test this).

    The choice is made once, before the first kernel compiles, by setting numba's
    ``config.CPU_FEATURES`` to the host features plus ``-prefer-256-bit``; it applies to numba
    code compiled afterwards in this process.  It is skipped when ``NUMBA_CPU_FEATURES`` is
    set, when the CPU has no AVX-512, or when ``RBMPHYS_VECTOR_WIDTH=256``.  Introduced for the
    speed issue of Chapter 2's engine.
    """
    import os
    if os.environ.get("NUMBA_CPU_FEATURES") or os.environ.get("RBMPHYS_VECTOR_WIDTH") == "256":
        return None
    try:
        import llvmlite.binding as ll
        from numba.core import config
        feats = ll.get_host_cpu_features()
        if not feats.get("avx512f", False) or config.CPU_FEATURES is not None:
            return None
        config.CPU_FEATURES = feats.flatten() + ",-prefer-256-bit"
        return 512
    except Exception:                       # pragma: no cover - exotic llvmlite builds
        return None


VECTOR_WIDTH = _prefer_full_vector_width()
