"""The state protocol: objects that can be written to a checkpoint and read back.

Models, learning rules, schedules and trainers implement

* ``state_dict() -> dict``: a nested dict of JSON-able values and NumPy arrays that holds
  everything needed to rebuild the object and continue bit for bit;
* ``from_state(state)`` (a classmethod): the inverse.

Every subclass of :class:`Stateful` is registered under its qualified name
(``"rbmphys.models._binary.BernoulliRBM"``) and its short name (``"BernoulliRBM"``), so that
:func:`rbmphys.load` finds the class a checkpoint names among the classes that exist in the
running program — including rules and schedules a user defined in their own code — without
importing anything the file asks for.  :mod:`rbmphys.checkpoint` reads and writes the file;
it imports nothing from :mod:`rbmphys.training`.

Introduced in Chapter 2.
"""

from __future__ import annotations

import importlib

import numpy as np

__all__ = ["Stateful", "Configured", "lookup", "qualified_name", "registered", "BOOK_MODULES",
           "arrays_state", "loaded_arrays", "jsonable"]

_REGISTRY: dict[str, type] = {}


def qualified_name(cls) -> str:
    return f"{cls.__module__}.{cls.__qualname__}"


class Stateful:
    """Mixin that registers subclasses for :func:`lookup` (see the module docstring)."""

    def __init_subclass__(cls, **kw):
        super().__init_subclass__(**kw)
        _REGISTRY[qualified_name(cls)] = cls
        _REGISTRY.setdefault(cls.__name__, cls)

    def state_dict(self) -> dict:  # pragma: no cover - interface
        raise NotImplementedError

    @classmethod
    def from_state(cls, state: dict):  # pragma: no cover - interface
        raise NotImplementedError


class Configured(Stateful):
    """Objects rebuilt from constructor arguments plus a mutable runtime state: learning rules
    and chain samplers.  ``config()`` (JSON-able constructor arguments; default: the dataclass
    fields, or none), ``runtime_state()`` / ``load_runtime_state(state, model=None)``
    (``{"arrays": ..., "values": ...}``; default: none), ``state_dict()`` the whole object and
    ``from_state`` its inverse."""

    def config(self) -> dict:
        import dataclasses
        if dataclasses.is_dataclass(self):
            return dataclasses.asdict(self)
        return {}

    def runtime_state(self) -> dict:
        """Mutable state beyond the configuration (default: none)."""
        return {"arrays": {}, "values": {}}

    def load_runtime_state(self, state, model=None):
        """Restore :meth:`runtime_state` (default: nothing to restore); ``model``, when given,
        is the model the object will work with."""

    def reset(self):
        """Forget the runtime state (a new run)."""

    def state_dict(self) -> dict:
        """The whole object: class, configuration and runtime state (:meth:`from_state`)."""
        return {"class": type(self).__name__, "qualname": qualified_name(type(self)),
                "config": self.config(), "state": self.runtime_state()}

    @classmethod
    def from_state(cls, state, model=None):
        obj = cls(**state.get("config", {}))
        obj.load_runtime_state(state.get("state", {"arrays": {}, "values": {}}), model=model)
        return obj

    def __repr__(self):
        args = ", ".join(f"{k}={v!r}" for k, v in self.config().items())
        return f"{type(self).__name__}({args})"


def arrays_state(**arrays) -> dict:
    """The :meth:`Configured.runtime_state` of an object whose mutable state is a few arrays
    (persistent chains, replicas, patterns) that are ``None`` until its first use: copies of
    the arrays and ``initialised: True``, or no arrays and ``initialised: False`` when any of
    them is ``None``.  :func:`loaded_arrays` is its inverse."""
    if any(a is None for a in arrays.values()):
        return {"arrays": {}, "values": {"initialised": False}}
    return {"arrays": {k: a.copy() for k, a in arrays.items()}, "values": {"initialised": True}}


def loaded_arrays(state, names, owner, dtype=None):
    """The arrays ``names`` of a runtime state written by :func:`arrays_state`, as C-ordered
    copies (of ``dtype`` when given) — ``None`` when the state is not initialised.

    Raises
    ------
    ValueError
        The state says it is initialised but lacks some of ``names`` (an incomplete
        checkpoint); the message names ``owner`` and what is missing.
    """
    arrays, values = state.get("arrays", {}), state.get("values", {})
    if not values.get("initialised"):
        return None
    missing = set(names) - set(arrays)
    if missing:
        raise ValueError(f"the {owner} state lacks {sorted(missing)}: the checkpoint is "
                         "incomplete")
    return [np.array(arrays[k], dtype=dtype, order="C") for k in names]


#: The modules that define rbmphys's own stateful classes.  :func:`lookup` imports these (a fixed
#: list, never a name read from a file) so that a checkpoint loads before ``rbmphys.training``
#: was imported.
BOOK_MODULES = ("rbmphys.models", "rbmphys.training")


def jsonable(x):
    """``x`` with NumPy scalars and arrays turned into plain JSON values (``np.bool_``
    included), recursing into lists, tuples and dicts; anything else is returned as it is (the
    ledger's JSON, the results of paper-scale runs)."""
    if isinstance(x, np.bool_):
        return bool(x)
    if isinstance(x, (np.integer,)):
        return int(x)
    if isinstance(x, (np.floating,)):
        return float(x)
    if isinstance(x, np.ndarray):
        return x.tolist()
    if isinstance(x, (list, tuple)):
        return [jsonable(y) for y in x]
    if isinstance(x, dict):             # nested details (one row of numbers per case)
        return {str(k): jsonable(v) for k, v in x.items()}
    if isinstance(x, np.generic):       # np.str_, np.complex128, ...: its Python value
        return x.item()
    return x


def registered() -> dict:
    """The registry: qualified name -> class, for every stateful class defined so far (after
    importing :data:`BOOK_MODULES`)."""
    for module in BOOK_MODULES:
        importlib.import_module(module)
    return {k: v for k, v in _REGISTRY.items() if "." in k}


def lookup(name: str) -> type:
    """The registered class ``name`` (qualified or short).

    Only classes in the registry are found: rbmphys's own (their modules, the fixed list
    :data:`BOOK_MODULES`, are imported if needed) and those the running program defined.
    Nothing named by the caller is ever imported; an unknown name is a :class:`ValueError` that
    says what to import.
    """
    if not isinstance(name, str):
        raise ValueError(f"the checkpoint names the class {name!r}, not a class name")
    cls = _REGISTRY.get(name)
    if cls is None:
        registered()
        cls = _REGISTRY.get(name)
    if cls is None:
        raise ValueError(f"the checkpoint names the class {name!r}, which is not defined in "
                         "this program: import (or define) it before rbmphys.load()")
    return cls
