r"""Reading a formula a reader typed: a whitelist parser, never ``eval`` or ``sympify``.

An exercise that asks for a formula accepts either a sympy expression or its text
(``"w*exp(a + b)/(1 + exp(a) + exp(b) + exp(a + b + w))"``).  The text is parsed with Python's
:mod:`ast` into a syntax tree, and only this tree is walked: numbers, the symbols the exercise
names, ``+ - * / **`` (``^`` is read as ``**``), and calls of a short list of functions
(:data:`FUNCTIONS`).  Attribute access, subscripts, keywords, lambdas, comprehensions and any
other name are refused with a :class:`ValueError` — nothing the text says is ever executed.
A sympy expression is accepted as it is, if its free symbols are among those named; symbols are
matched by name (so assumptions such as ``positive=True`` come from the exercise, not the
answer).

Introduced in Chapter 1 (the first exercise with a formula answer).
"""

from __future__ import annotations

import ast
import numbers

import sympy as sp

__all__ = ["parse_formula", "FUNCTIONS", "MAX_LENGTH"]

#: The functions (and constants) a typed formula may use.
FUNCTIONS = {"exp": sp.exp, "log": sp.log, "sqrt": sp.sqrt, "sin": sp.sin, "cos": sp.cos,
             "tan": sp.tan, "sinh": sp.sinh, "cosh": sp.cosh, "tanh": sp.tanh, "Abs": sp.Abs,
             "Rational": sp.Rational}
_CONSTANTS = {"pi": sp.pi, "E": sp.E}
#: Longest formula text read (a longer one is refused, not parsed).
MAX_LENGTH = 4000
_MAX_NODES = 4000
_MAX_POWER = 256          # a number raised to a number: |exponent| at most this
_BINOPS = {ast.Add: lambda a, b: a + b, ast.Sub: lambda a, b: a - b,
           ast.Mult: lambda a, b: a * b, ast.Div: lambda a, b: a / b}


def _power(base, exp):
    if base.is_Number and exp.is_Number and abs(exp) > _MAX_POWER:
        raise ValueError(f"the power {base}**{exp} is too large to evaluate (exponents of "
                         f"numbers up to {_MAX_POWER})")
    return base ** exp


def _walk(node, symbols):
    if isinstance(node, ast.Expression):
        return _walk(node.body, symbols)
    if isinstance(node, ast.Constant):
        v = node.value
        if isinstance(v, bool) or not isinstance(v, (int, float)):
            raise ValueError(f"the constant {v!r} is not a real number")
        return sp.Integer(v) if isinstance(v, int) else sp.Float(v)
    if isinstance(node, ast.Name):
        if node.id in symbols:
            return symbols[node.id]
        if node.id in _CONSTANTS:
            return _CONSTANTS[node.id]
        raise ValueError(f"unknown name {node.id!r}: use only the symbols "
                         f"{sorted(symbols)}, the constants pi, E and the functions "
                         f"{sorted(FUNCTIONS)}")
    if isinstance(node, ast.BinOp):
        a, b = _walk(node.left, symbols), _walk(node.right, symbols)
        if isinstance(node.op, ast.Pow):
            return _power(a, b)
        op = _BINOPS.get(type(node.op))
        if op is None:
            raise ValueError(f"the operator {type(node.op).__name__} is not allowed (use + - * "
                             "/ **)")
        return op(a, b)
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        x = _walk(node.operand, symbols)
        return -x if isinstance(node.op, ast.USub) else x
    if isinstance(node, ast.Call):
        if not isinstance(node.func, ast.Name) or node.func.id not in FUNCTIONS:
            what = node.func.id if isinstance(node.func, ast.Name) else "this expression"
            raise ValueError(f"calling {what} is not allowed: the functions are "
                             f"{sorted(FUNCTIONS)}")
        if node.keywords:
            raise ValueError("keyword arguments are not allowed in a formula")
        args = [_walk(a, symbols) for a in node.args]
        if node.func.id == "Rational" and not (len(args) == 2 and all(a.is_Integer
                                                                      for a in args)):
            raise ValueError("Rational takes two integers, e.g. Rational(1, 3)")
        return FUNCTIONS[node.func.id](*args)
    raise ValueError(f"{type(node).__name__} is not allowed in a formula (only numbers, the "
                     "symbols, + - * / ** and the listed functions)")


def _from_text(text, symbols):
    if len(text) > MAX_LENGTH:
        raise ValueError(f"the formula is {len(text)} characters long; at most {MAX_LENGTH}")
    try:
        tree = ast.parse(text.strip().replace("^", "**"), mode="eval")     # x^2 = x**2
    except (SyntaxError, ValueError, RecursionError, MemoryError) as exc:
        raise ValueError(f"the formula {text[:80]!r} cannot be parsed ({type(exc).__name__}: "
                         f"{getattr(exc, 'msg', exc)})") from None
    if sum(1 for _ in ast.walk(tree)) > _MAX_NODES:
        raise ValueError(f"the formula has more than {_MAX_NODES} parts")
    try:
        return _walk(tree, symbols)
    except RecursionError:
        raise ValueError("the formula is nested too deeply") from None


def parse_formula(value, symbols):
    """A formula answer as a sympy object over ``symbols``.

    Parameters
    ----------
    value : sympy expression or Matrix, str, real number, or a (nested) list of them
        A list becomes a sympy Matrix (a flat list: a column).
    symbols : iterable of sympy Symbols
        The only symbols the formula may use (matched by name).

    Returns
    -------
    sympy expression or Matrix

    Raises
    ------
    ValueError
        Text that is not a formula over ``symbols`` (see the module docstring), or a sympy
        expression with other free symbols.
    TypeError
        Anything else (a dict, None, a bool, ...).

    Examples
    --------
    >>> import sympy as sp
    >>> w, a = sp.symbols("w a")
    >>> parse_formula("w*exp(a)^2", [w, a])
    w*exp(2*a)
    >>> parse_formula("__import__('os')", [w, a])
    Traceback (most recent call last):
    ...
    ValueError: calling __import__ is not allowed: the functions are ['Abs', 'Rational', 'cos', 'cosh', 'exp', 'log', 'sin', 'sinh', 'sqrt', 'tan', 'tanh']
    """
    by_name = {s.name: s for s in symbols}
    if isinstance(value, str):
        return _from_text(value, by_name)
    if isinstance(value, (list, tuple)):
        rows = [parse_formula(v, symbols) for v in value]
        if rows and all(isinstance(r, sp.MatrixBase) for r in rows):
            return sp.Matrix([list(r) for r in rows])
        if any(isinstance(r, sp.MatrixBase) for r in rows):
            raise ValueError("a list of formulas must not mix rows and single entries")
        return sp.Matrix(rows)
    if isinstance(value, bool) or value is None:
        raise TypeError(f"a formula must be a sympy expression or its text, got {value!r}")
    if isinstance(value, numbers.Real) and not isinstance(value, sp.Basic):
        return sp.Integer(int(value)) if isinstance(value, numbers.Integral) else \
            sp.Float(float(value))
    if isinstance(value, sp.MatrixBase):
        return value.applyfunc(lambda e: parse_formula(e, symbols))
    if isinstance(value, sp.Basic):
        extra = {s.name for s in value.free_symbols} - set(by_name)
        if extra:
            raise ValueError(f"the formula may use only the symbols {sorted(by_name)}; it also "
                             f"uses {sorted(extra)}")
        return value.xreplace({s: by_name[s.name] for s in value.free_symbols})
    raise TypeError(f"a formula must be a sympy expression or its text, got "
                    f"{type(value).__name__}")
