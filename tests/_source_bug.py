"""Plant a one-line bug in the *source* of a library function (a hand-made mutant).

``source_bug("rbmphys.analysis.reciprocal", "relaxed_log_partition", old, new)`` returns a
planter for pytest's ``monkeypatch``: it takes the function's (or method's) source, replaces the
exact text ``old`` (which must occur once) by ``new``, compiles the result in a copy of the
module's namespace and puts it in place of the original for the duration of the test. A
``numba.njit`` kernel is recompiled without its on-disk cache. This is how a careless edit
would look, which a wrapper around the correct function cannot imitate (a swapped pair of
arguments inside a formula, a power lost in one line).
"""

from __future__ import annotations

import importlib
import inspect
import re
import sys
import textwrap


def _clear_symbolic_caches():
    from rbmphys.symbolic import fokker_planck as F
    F._rates_fn.cache_clear()


def source_bug(module_name, qualname, old, new, before=None):
    """Planter replacing ``old`` by ``new`` in ``module_name.qualname`` (``"f"`` or
    ``"Class.method"``); ``before`` is called first (e.g. to clear the lru caches of symbolic
    derivations)."""
    def plant(mp):
        if before is not None:
            before()
        mod = importlib.import_module(module_name)
        owner, name = mod, qualname
        if "." in qualname:
            cls_name, name = qualname.split(".")
            owner = getattr(mod, cls_name)
        obj = owner.__dict__[name] if isinstance(owner, type) else getattr(owner, name)
        obj = getattr(obj, "fget", None) or getattr(obj, "__func__", None) or obj  # property,
        fn = getattr(obj, "py_func", obj)           # classmethod; a numba dispatcher's source
        src = textwrap.dedent(inspect.getsource(inspect.unwrap(fn)))
        if src.count(old) != 1:
            raise AssertionError(f"mutation text {old!r} occurs {src.count(old)} times in "
                                 f"{module_name}.{qualname}")
        src = src.replace(old, new)
        src = re.sub(r"cache=True,?\s*", "", src)          # no on-disk cache for a mutant
        ns = dict(vars(mod))
        exec(compile(src, f"<mutant of {module_name}.{qualname}>", "exec"), ns)
        orig = owner.__dict__[name] if isinstance(owner, type) else getattr(owner, name)
        mp.setattr(owner, name, ns[name])
        if owner is mod:                  # re-exports (``rbmphys.theory.f``) are the same object
            for mname, m in list(sys.modules.items()):
                if mname.startswith("rbmphys") and m is not mod:
                    for attr, val in list(vars(m).items()):
                        if val is orig:
                            mp.setattr(m, attr, ns[name])
        _clear_symbolic_caches()
    return plant
