"""Plant a realistic one-line bug in the library's *source*: take a function's source text,
replace one exact fragment (it must occur exactly once), compile it in the function's module
namespace and put the result wherever the original function object is referenced in
``rbmphys`` (the module, re-exports, the class of a method).  The test helpers of
``test_claims_can_fail.py`` and ``test_claims_catch_bugs_ch03_05.py`` use it with pytest's
``monkeypatch``, so every bug is undone after its test.
"""

from __future__ import annotations

import importlib
import inspect
import sys
import textwrap


def source_bug(module, qualname, old, new, before=None):
    """A ``plant(monkeypatch)`` function: ``module.qualname``'s source with ``old`` → ``new``.

    ``qualname`` is ``"func"`` or ``"Class.method"``; ``before`` is called first (e.g. to clear
    the lru caches of symbolic derivations)."""
    def plant(mp):
        if before is not None:
            before()
        mod = importlib.import_module(module)
        parts = qualname.split(".")
        owner = mod if len(parts) == 1 else getattr(mod, parts[0])
        orig = owner.__dict__[parts[-1]]
        fn = orig.fget if isinstance(orig, property) else orig       # a property's getter
        src = textwrap.dedent(inspect.getsource(inspect.unwrap(fn)))
        if src.count(old) != 1:
            raise AssertionError(f"{old!r} occurs {src.count(old)} times in {qualname}")
        ns = dict(vars(mod))
        exec(compile(src.replace(old, new), f"<bug in {module}.{qualname}>", "exec"), ns)
        bug = ns[parts[-1]]
        mp.setattr(owner, parts[-1], bug)
        if len(parts) == 1:             # re-exports of a module-level function
            for name, m in list(sys.modules.items()):
                if not name.startswith("rbmphys") or m is None or m is mod:
                    continue
                for attr, val in list(vars(m).items()):
                    if val is orig:
                        mp.setattr(m, attr, bug)
    return plant
