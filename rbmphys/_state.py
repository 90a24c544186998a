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

__all__ = ["Stateful", "lookup", "qualified_name", "registered", "BOOK_MODULES"]

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


#: The modules that define rbmphys's own stateful classes.  :func:`lookup` imports these (a fixed
#: list, never a name read from a file) so that a checkpoint loads before ``rbmphys.training``
#: was imported.
BOOK_MODULES = ("rbmphys.models", "rbmphys.training")


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
