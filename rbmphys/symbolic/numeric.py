r"""The one bridge from sympy expressions to fast numeric functions.

Every closed form the book derives symbolically (learning ODEs of the scalar-field RBM, the
Fokker–Planck spectrum, Landau coefficients) becomes a numeric function here and nowhere else
(the pattern of pydy's ``LambdifyODEFunctionGenerator``):

* arguments are passed as *vectors*: each argument group (state, parameters, ...) is a sequence
  of sympy symbols and the generated function takes one 1-D array per group;
* ``sympy.lambdify`` with common-subexpression elimination (``cse=True``);
* the generated function carries a docstring that lists the order of every argument entry,
  generated from the symbols themselves, so the order can never go stale;
* ``njit=True`` compiles the result with numba (``numba.njit(lambdify(...))``); it must then
  return a scalar or a tuple/array of scalars built from NumPy operations.

Introduced in Chapter 4.
"""

from __future__ import annotations

import numpy as np
import sympy as sp

__all__ = ["to_numeric", "to_ufunc"]


def _flat(group):
    if isinstance(group, sp.MatrixBase):
        return list(group)
    if isinstance(group, sp.Symbol):
        return [group]
    return list(group)


def _sympy_only(expr, where):
    """``expr`` as a sympy object; a string (which sympify would *evaluate*) or any other
    non-sympy object is a TypeError."""
    if isinstance(expr, sp.Basic):
        return expr
    if isinstance(expr, (bool, str, bytes)) or not isinstance(expr, (int, float, np.number)):
        raise TypeError(f"{where} takes sympy expressions (text is never evaluated: parse it "
                        f"with rbmphys.symbolic.parse.parse_formula), got "
                        f"{type(expr).__name__} {str(expr)[:60]!r}")
    return sp.Float(float(expr)) if not isinstance(expr, (int, np.integer)) else sp.Integer(
        int(expr))


def to_numeric(expr, *arg_groups, name="f", njit=False, cse=True):
    """Turn a sympy expression (scalar, list or Matrix) into a numeric function.

    Parameters
    ----------
    expr : sympy expression, list of expressions or Matrix
        What to evaluate.  A Matrix or list is returned as a NumPy array of the same shape.
    *arg_groups : sequence of sympy Symbols (or a Matrix of Symbols) per argument
        The generated function takes one 1-D array per group, in this order; entry ``k`` of
        argument ``g`` is the ``k``-th symbol of group ``g``.
    name : str
        Name given to the generated function (shown in tracebacks and its docstring).
    njit : bool
        Compile with ``numba.njit`` (the expression must use functions numba supports).
    cse : bool
        Common-subexpression elimination (on by default; off is kept for the cross-check
        "cse vs no cse" in the tests).

    Returns
    -------
    callable
        ``f(arr_0, arr_1, ...)`` with a generated docstring listing the argument order.

    Examples
    --------
    >>> import sympy as sp
    >>> x, y, k = sp.symbols("x y k")
    >>> f = to_numeric(sp.Matrix([-k * x, -k * y]), [x, y], [k], name="rhs")
    >>> f([1.0, 2.0], [0.5]).tolist()
    [-0.5, -1.0]
    >>> print(f.__doc__.splitlines()[2])
      arg 0: x, y
    """
    groups = [_flat(g) for g in arg_groups]
    vecs = [sp.MatrixSymbol(f"_a{i}", len(g), 1) for i, g in enumerate(groups)]
    subs = {s: vecs[i][k, 0] for i, g in enumerate(groups) for k, s in enumerate(g)}
    is_matrix = isinstance(expr, (sp.MatrixBase, list, tuple))
    if is_matrix:
        if not isinstance(expr, sp.MatrixBase):
            expr = [[_sympy_only(e, "to_numeric") for e in row] if isinstance(row, (list, tuple))
                    else _sympy_only(row, "to_numeric") for row in expr]
        mat = sp.Matrix(expr) if not isinstance(expr, sp.MatrixBase) else expr
        shape = mat.shape
        flat = [_sympy_only(e, "to_numeric").xreplace(subs) for e in mat]
        body = sp.Matrix(flat)
    else:
        shape = None
        body = _sympy_only(expr, "to_numeric").xreplace(subs)
    raw = sp.lambdify(vecs, body, modules="numpy", cse=cse)
    if njit:
        import numba
        raw = numba.njit(cache=False)(raw)

    def f(*args):
        if len(args) != len(groups):
            raise TypeError(f"{name} takes {len(groups)} argument arrays, got {len(args)}")
        arrs = []
        for i, (a, g) in enumerate(zip(args, groups)):
            a = np.asarray(a, dtype=np.float64).reshape(-1)
            if a.shape[0] != len(g):
                raise ValueError(f"argument {i} of {name} must have {len(g)} entries "
                                 f"({', '.join(map(str, g))}), got {a.shape[0]}")
            arrs.append(a.reshape(-1, 1))
        out = raw(*arrs)
        if shape is None:
            return float(np.asarray(out).reshape(()))
        return np.asarray(out, dtype=np.float64).reshape(shape if shape[1] != 1 else shape[0])

    lines = [f"{name}(" + ", ".join(f"arg{i}" for i in range(len(groups))) + ")", ""]
    lines += [f"  arg {i}: " + ", ".join(map(str, g)) for i, g in enumerate(groups)]
    lines += ["", "Generated by rbmphys.symbolic.to_numeric from:", f"  {expr}"]
    f.__doc__ = "\n".join(lines)
    f.__name__ = name
    f.expr, f.arg_groups = expr, groups
    return f


def to_ufunc(expr, symbols, name="f", cse=True):
    """A scalar expression as a broadcasting NumPy function ``f(x0, x1, ...)`` of the given
    symbols (one array per symbol, broadcast against each other).

    The same bridge as :func:`to_numeric` (``lambdify`` with ``cse``), for right-hand sides
    evaluated on many independent modes at once (the decoupled mode flow of Chapter 5).

    Examples
    --------
    >>> import sympy as sp, numpy as np
    >>> x, k = sp.symbols("x k")
    >>> f = to_ufunc(-k * x, [x, k], name="decay")
    >>> f(np.array([1.0, 2.0]), 0.5).tolist()
    [-0.5, -1.0]
    """
    symbols = list(symbols)
    expr = _sympy_only(expr, "to_ufunc")
    raw = sp.lambdify(symbols, expr, modules="numpy", cse=cse)

    def f(*args):
        if len(args) != len(symbols):
            raise TypeError(f"{name} takes {len(symbols)} arguments "
                            f"({', '.join(map(str, symbols))}), got {len(args)}")
        arrs = [np.asarray(a, dtype=np.float64) for a in args]
        shape = np.broadcast_shapes(*(a.shape for a in arrs))   # any number (np.broadcast: 64)
        return np.broadcast_to(np.asarray(raw(*arrs), dtype=np.float64), shape).copy()

    f.__doc__ = (f"{name}({', '.join(map(str, symbols))})\n\nGenerated by "
                 f"rbmphys.symbolic.to_ufunc from:\n  {expr}")
    f.__name__ = name
    f.expr = expr
    return f
