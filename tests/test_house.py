"""The house rules: the architecture of rbmphys, checked by reading the source (``ast`` only).

Nothing here imports the library, so the whole file runs in well under a second. Each test
names the rule it protects; a failure says which file and line broke it.

The layers are those of the docstring of ``rbmphys/__init__.py``: "lower layers never import
higher ones". The package root itself is the public facade (it re-exports names of every
layer, most of them lazily) and belongs to no layer; an ``import rbmphys as rp`` inside a
module counts as an import of whatever ``rp.NAME`` it then uses.
"""

from __future__ import annotations

import ast
import re
from functools import lru_cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PKG = ROOT / "rbmphys"

#: The layers, lowest first (``rbmphys/__init__.py``). Private top-level helpers sit where
#: they belong: ``_version``, ``_runmode`` (quick/full, script/notebook), ``_progress``
#: (progress bars, reads ``_runmode``) and the data-only ``_book`` with the base;
#: ``units`` (the public alias of the models' unit classes) with the models; ``_bench``
#: (``rbmphys bench``: timed training runs) with the experiments; ``site`` (the book's web
#: pages, built from the ledger) between the ledger and the command line; ``__main__`` with it.
LAYERS = [
    {"conventions", "_validation", "_state", "_version", "_runmode", "_progress", "_book"},
    {"kernels"},
    {"models", "units"},
    {"samplers"},
    {"exact"},
    {"training", "checkpoint"},
    {"analysis", "theory", "symbolic", "datasets", "plotting", "parallel"},
    {"experiments", "_bench"},
    {"verify"},
    {"site"},
    {"cli", "__main__"},
]
LAYER = {name: i for i, names in enumerate(LAYERS) for name in names}

#: Public functions of these experiment modules take keyword-only, documented parameters.
EXPERIMENT_MODULES = ("aarts", "ch02", "rapid", "toledo")

#: Training calls the ledger may make itself: unit checks of the trainer, not book
#: experiments (those live in ``rbmphys/experiments``, where chapters and claims share them).
LEDGER_TRAINING_ALLOWED = {("rbmphys/verify/claims/ch09.py", "_alg1")}


# ------------------------------------------------------------------------------ source model
def _rel(path):
    return path.relative_to(ROOT).as_posix()


@lru_cache(maxsize=None)
def _tree(path):
    return ast.parse(Path(path).read_text(encoding="utf-8"), filename=str(path))


def _package_files():
    return sorted(p for p in PKG.rglob("*.py") if "__pycache__" not in p.parts)


def _module_name(path):
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _unit(dotted):
    """The top-level subpackage or module of ``rbmphys.x.y`` (None for the root itself)."""
    parts = dotted.split(".")
    return parts[1] if len(parts) > 1 and parts[0] == "rbmphys" else None


def _is_submodule(dotted):
    rel = Path(*dotted.split("."))
    return (ROOT / rel).is_dir() or (ROOT / rel).with_suffix(".py").is_file()


@lru_cache(maxsize=None)
def _root_names():
    """What ``rbmphys.NAME`` is: the root's eager imports and its ``_LAZY`` table (read from
    the imported package: the table is built by a comprehension)."""
    import rbmphys
    tree = _tree(PKG / "__init__.py")
    names = {}
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and node.level == 1 and node.module:
            for a in node.names:
                names[a.asname or a.name] = "rbmphys." + node.module
    for k, (module, _attr) in rbmphys._LAZY.items():
        names[k] = module
    return names


def _resolve_root_attr(name):
    if _is_submodule(f"rbmphys.{name}"):
        return f"rbmphys.{name}"
    return _root_names().get(name)


def _absolute(path, node):
    """The absolute module of an ``ImportFrom`` (relative ones resolved against ``path``)."""
    if node.level == 0:
        return node.module or ""
    pkg = _module_name(path).split(".")
    if path.name != "__init__.py":
        pkg = pkg[:-1]
    base = pkg[:len(pkg) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def _imports(path, *, module_level_only=False):
    """(line, target module, imported names) for every import of an rbmphys module in ``path``;
    ``from rbmphys import x`` and ``rp.x`` (``rp`` an alias of the root) resolved to what x is."""
    tree = _tree(path)
    nodes = []

    def visit(body, top):
        for node in body:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
                if not module_level_only:
                    visit(node.body, False)
                continue
            if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
                continue                    # never runs
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                nodes.append(node)
            for field in ("body", "orelse", "finalbody", "handlers"):
                sub = getattr(node, field, None)
                if isinstance(sub, list):
                    visit(sub, top)

    visit(tree.body, True)
    out, root_aliases = [], set()
    for node in nodes:
        if isinstance(node, ast.Import):
            for a in node.names:
                if a.name == "rbmphys":
                    root_aliases.add(a.asname or "rbmphys")
                elif a.name.startswith("rbmphys."):
                    out.append((node.lineno, a.name, ()))
        else:
            mod = _absolute(path, node)
            if mod == "rbmphys":
                for a in node.names:
                    target = _resolve_root_attr(a.name)
                    if target:
                        out.append((node.lineno, target, (a.name,)))
            elif mod.startswith("rbmphys."):
                out.append((node.lineno, mod, tuple(a.name for a in node.names)))
    if root_aliases and not module_level_only:
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) \
                    and node.value.id in root_aliases and not node.attr.startswith("__"):
                target = _resolve_root_attr(node.attr)
                if target:
                    out.append((node.lineno, target, (node.attr,)))
    return out


# ---------------------------------------------------------------------------------- the rules
def test_every_module_has_a_layer():
    """Rule: every top-level module and subpackage of rbmphys is placed in the layer table, so
    that the layering test below sees all of it (a new module must be given a layer)."""
    units = {p.stem if p.suffix == ".py" else p.name for p in PKG.iterdir()
             if (p.suffix == ".py" and p.name != "__init__.py")
             or (p.is_dir() and (p / "__init__.py").exists())}
    assert units - set(LAYER) == set(), "modules without a layer in tests/test_house.py"
    assert set(LAYER) - units == set(), "layers name modules that do not exist"


def test_no_import_runs_up_a_layer():
    """Rule (``rbmphys/__init__.py``): lower layers never import higher ones, not even inside a
    function. conventions/_validation/_state → kernels → models → samplers → exact → training,
    checkpoint → analysis, theory, symbolic, datasets, plotting, parallel → experiments →
    verify → (site) → cli."""
    bad = []
    for path in _package_files():
        src = _unit(_module_name(path))
        if src is None:
            continue                                    # the root facade
        for line, target, _ in _imports(path):
            dst = _unit(target)
            if dst is not None and LAYER[dst] > LAYER[src]:
                bad.append(f"{_rel(path)}:{line}: {src} (layer {LAYER[src]}) imports {target} "
                           f"(layer {LAYER[dst]})")
    assert not bad, "imports up a layer:\n" + "\n".join(sorted(set(bad)))


def test_no_import_cycle_between_subpackages_at_module_level():
    """Rule: importing any subpackage never needs a subpackage that needs it back: no cycle
    among the top-level subpackages and modules in their module-level imports (imports inside
    functions, which run late, are not counted)."""
    graph = {}
    for path in _package_files():
        src = _unit(_module_name(path))
        if src is None:
            continue
        for _, target, _ in _imports(path, module_level_only=True):
            dst = _unit(target)
            if dst is not None and dst != src:
                graph.setdefault(src, set()).add(dst)
    cycles, state = [], {}

    def dfs(node, stack):
        state[node] = "open"
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == "open":
                cycles.append(" → ".join(stack[stack.index(nxt):] + [nxt]))
            elif nxt not in state:
                dfs(nxt, stack)
        stack.pop()
        state[node] = "done"

    for node in sorted(graph):
        if node not in state:
            dfs(node, [])
    assert not cycles, "module-level import cycles: " + "; ".join(cycles)


def _book_scripts():
    return sorted((ROOT / "chapters").glob("*.py")) + sorted((ROOT / "exercises").rglob("*.py"))


def test_chapters_and_exercises_import_only_public_names():
    """Rule: the book is written against the public API. A chapter or exercise imports no
    private module (no path component starting with ``_``) and no private name, and reaches
    no private attribute of an rbmphys module it imported."""
    bad = []
    for path in _book_scripts():
        tree = _tree(path)
        aliases = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                for a in node.names:
                    if any(p.startswith("_") for p in a.name.split(".")):
                        bad.append(f"{_rel(path)}:{node.lineno}: import {a.name}")
                    if a.name.split(".")[0] == "rbmphys":
                        aliases.add(a.asname or a.name.split(".")[0])
            elif isinstance(node, ast.ImportFrom):
                mod = node.module or ""
                if mod == "__future__":
                    continue
                if node.level or any(p.startswith("_") for p in mod.split(".")):
                    bad.append(f"{_rel(path)}:{node.lineno}: from {'.' * node.level}{mod}")
                for a in node.names:
                    if a.name.startswith("_"):
                        bad.append(f"{_rel(path)}:{node.lineno}: from {mod} import {a.name}")
                    elif mod.split(".")[0] == "rbmphys":
                        aliases.add(a.asname or a.name)
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and node.attr.startswith("_") \
                    and not node.attr.startswith("__"):
                base = node.value
                while isinstance(base, ast.Attribute):
                    base = base.value
                if isinstance(base, ast.Name) and base.id in aliases:
                    bad.append(f"{_rel(path)}:{node.lineno}: {ast.unparse(node)}")
    assert not bad, "private names in the book:\n" + "\n".join(bad)


def test_experiments_never_import_the_ledger():
    """Rule: the book's runs (``rbmphys/experiments``) are shared by chapters and claims and
    know nothing of the ledger: no module there imports ``rbmphys.verify``."""
    bad = [f"{_rel(p)}:{line}: {target}" for p in _package_files()
           if _unit(_module_name(p)) == "experiments"
           for line, target, _ in _imports(p) if _unit(target) == "verify"]
    assert not bad, "\n".join(bad)


def test_the_ledger_runs_no_experiment_of_its_own():
    """Rule: experiments live in ``rbmphys/experiments`` (one copy, cached, shared with the
    chapters), not in the ledger. There is no ``rbmphys/verify/experiments``; the ledger reads
    the experiment modules only through their public names; and a training call
    (``Trainer(``, ``rp.train(``, ``.fit(``) in ``rbmphys/verify`` is one of the listed unit
    checks of the trainer itself (``LEDGER_TRAINING_ALLOWED``)."""
    assert not (PKG / "verify" / "experiments").exists()
    bad = []
    for path in sorted((PKG / "verify").rglob("*.py")):
        for line, target, names in _imports(path):
            if _unit(target) == "experiments" and (
                    any(p.startswith("_") for p in target.split(".")) or
                    any(n.startswith("_") for n in names)):
                bad.append(f"{_rel(path)}:{line}: private {target} {names}")
        tree = _tree(path)
        for fn in ast.walk(tree):
            if not isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            for node in ast.walk(fn):
                if not isinstance(node, ast.Call):
                    continue
                f = node.func
                name = f.attr if isinstance(f, ast.Attribute) else getattr(f, "id", None)
                if name in ("Trainer", "train", "fit") and \
                        (_rel(path), fn.name) not in LEDGER_TRAINING_ALLOWED:
                    bad.append(f"{_rel(path)}:{node.lineno}: {fn.name} calls {name}(")
    assert not bad, "the ledger trains on its own:\n" + "\n".join(sorted(set(bad)))


@pytest.mark.parametrize("module", EXPERIMENT_MODULES)
def test_experiment_functions_take_documented_keyword_only_parameters(module):
    """Rule: an experiment is called by name, ``pcd_run(shape=(10,), mu2=9.0, ...)``, never by
    position (a dozen positional numbers cannot be read or reordered safely), and says what each
    parameter means: every public function of the module has only keyword-only parameters and
    a numpydoc ``Parameters`` section naming each of them, and a ``Returns`` section."""
    path = PKG / "experiments" / f"{module}.py"
    bad = []
    for node in _tree(path).body:
        if not isinstance(node, ast.FunctionDef) or node.name.startswith("_"):
            continue
        a = node.args
        positional = [x.arg for x in a.posonlyargs + a.args]
        if positional or a.vararg:
            bad.append(f"{node.name}: positional parameters {positional or [a.vararg.arg]}")
        doc = ast.get_docstring(node) or ""
        params = [x.arg for x in a.kwonlyargs] + ([a.kwarg.arg] if a.kwarg else [])
        if params:
            if "Parameters\n----------" not in doc:
                bad.append(f"{node.name}: no Parameters section")
            else:
                section = doc.split("Parameters\n----------", 1)[1].split("-------\n")[0]
                missing = [p for p in params if p not in section]
                if missing:
                    bad.append(f"{node.name}: parameters not documented: {missing}")
        if "Returns\n-------" not in doc:
            bad.append(f"{node.name}: no Returns section")
    assert not bad, f"rbmphys/experiments/{module}.py:\n" + "\n".join(bad)


def test_the_chapter_list_comes_from_one_table():
    """Rule: the chapters are the rows of ``rbmphys.verify.book.CHAPTERS``; the registry, the
    web site and the command line take the chapter numbers from it (adding a chapter is one row
    there), never from a literal ``range(1, 10)`` or list of numbers 1..9."""
    files = [PKG / "verify" / "_registry.py", PKG / "cli.py",
             *sorted((PKG / "site").glob("*.py"))]
    bad, users = [], set()
    for path in files:
        tree = _tree(path)
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "range" \
                    and len(node.args) >= 2 and all(isinstance(x, ast.Constant)
                                                    for x in node.args[:2]) \
                    and node.args[0].value in (0, 1) and node.args[1].value >= 9:
                bad.append(f"{_rel(path)}:{node.lineno}: {ast.unparse(node)}")
            if isinstance(node, (ast.List, ast.Tuple, ast.Set)) and len(node.elts) >= 5 and \
                    all(isinstance(e, ast.Constant) and type(e.value) is int for e in node.elts) \
                    and sorted(e.value for e in node.elts) == list(range(1, len(node.elts) + 1)):
                bad.append(f"{_rel(path)}:{node.lineno}: {ast.unparse(node)}")
        for _, target, names in _imports(path):
            if target in ("rbmphys.verify.book", "rbmphys.verify") and "CHAPTERS" in names:
                users.add(path.parent.name if path.parent.name == "site" else path.name)
    assert not bad, "literal chapter lists:\n" + "\n".join(bad)
    assert users == {"_registry.py", "cli.py", "site"}, users


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def test_no_control_character_in_a_source_or_text_file():
    """A backslash sequence written through a non-raw string (``\\b``, ``\\a``, ``\\v`` of a
    LaTeX macro in a docstring) lands in the file as a control character: the formula is broken
    on the book's API pages and in ``help()``, and nothing else notices."""
    bad = []
    for folder in ("rbmphys", "chapters", "exercises", "tests", "book", "benchmarks", ".ci"):
        for p in sorted((ROOT / folder).rglob("*")):
            if (p.suffix not in (".py", ".md", ".toml", ".txt", ".cfg", "") or not p.is_file()
                    or "_build" in p.parts or "__pycache__" in p.parts):
                continue
            text = p.read_text(encoding="utf-8", errors="replace")
            for n, line in enumerate(text.splitlines(), 1):
                m = _CONTROL.search(line)
                if m:
                    bad.append(f"{p.relative_to(ROOT)}:{n}: {m.group()!r}")
    assert not bad, "control characters (a lost backslash?):\n" + "\n".join(bad[:20])
