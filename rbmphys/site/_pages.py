"""The generated pages of the book: landing page, exercises, ledger, claims' code, API.

Every page is written as MyST Markdown (or reStructuredText for the API) into the staging source
directory; the text of the project (README, docstrings, chapter outputs) is escaped where it is
not meant as markup, so that ``sphinx-build -W`` stays clean.
"""

from __future__ import annotations

import ast
import html
import inspect
import re
import textwrap
from pathlib import Path

#: ``PASS  ch01.gauge_p   expected ...``: a ledger line as :meth:`ClaimResult.line` prints it.
LEDGER_LINE = re.compile(r"^(PASS|FAIL)  (ch\d\d\.\S+)")

_NUMBER = re.compile(r"(?<![\w.])[-+]?\d[\d.]*(e[-+]?\d+)?")   # kept on one line in a ledger line
_MD_PUNCT = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>$~&:])")


def md_escape(text) -> str:
    """Text shown as is in MyST Markdown: every ASCII punctuation that could be markup escaped."""
    return _MD_PUNCT.sub(r"\\\1", str(text)).replace("\n", " ")


def claim_anchor(claim_id: str) -> str:
    """The HTML id of a claim on the ledger page: the claim id itself."""
    return claim_id


def code_anchor(claim_id: str) -> str:
    """The HTML id of a claim's code on its chapter's claims page."""
    return f"code-{claim_id}"


# ---------------------------------------------------------------------------------- chapters
def link_ledger_lines(nb, *, to_root: str = "../"):
    """Turn each ledger line a chapter printed into a line that links to the ledger page (the
    claim's anchor) and to the claim's code; other output stays as it was."""
    import nbformat
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        outs = []
        for out in cell.get("outputs", []):
            if (out.get("output_type") == "execute_result"
                    and str(out.get("data", {}).get("text/plain", "")).startswith("ClaimResult(")):
                continue            # the value of a cell's last ledger.check: its line is above
            if out.get("output_type") != "stream" or out.get("name") != "stdout":
                outs.append(out)
                continue
            buf = []
            for line in out["text"].splitlines(keepends=True):
                m = LEDGER_LINE.match(line)
                if not m:
                    buf.append(line)
                    continue
                if buf:
                    outs.append(nbformat.v4.new_output("stream", name="stdout",
                                                       text="".join(buf)))
                    buf = []
                cid = m.group(2)
                chap = cid[:4]
                verdict = "pass" if m.group(1) == "PASS" else "fail"
                shown = _NUMBER.sub(r'<span class="num">\g<0></span>',
                                    html.escape(line.rstrip(), quote=False))
                outs.append(nbformat.v4.new_output("display_data", data={
                    "text/plain": line.rstrip("\n"),
                    "text/html": (f'<div class="ledger-line ledger-{verdict}"><pre>'
                                  f'{shown}</pre><span class="ledger-links">'
                                  f'<a href="{to_root}ledger.html#{claim_anchor(cid)}">ledger'
                                  f'</a> · <a href="{to_root}claims/{chap}.html#'
                                  f'{code_anchor(cid)}">code</a></span></div>')}))
            if buf:
                outs.append(nbformat.v4.new_output("stream", name="stdout", text="".join(buf)))
        cell["outputs"] = outs
    return nb


# ---------------------------------------------------------------------------------- exercises
_HINT = re.compile(r"^\s*hints?\s*[:.]", re.I)


def _docstring_to_md(text: str) -> str:
    """An exercise docstring (plain text with ``literal`` spans) as Markdown."""
    text = re.sub(r"``([^`]+)``", r"`\1`", text)
    text = re.sub(r":(func|class|meth|mod|data|attr):`([^`]+)`", r"{py:\1}`\2`", text)
    return text.replace("$", r"\$")


def exercise_page(path: Path, solution: Path | None) -> tuple[str, str]:
    """``(title, MyST page)`` for ``exercises/exNN_M_slug.py``."""
    src = path.read_text()
    doc = ast.get_docstring(ast.parse(src)) or path.stem
    first, _, body = doc.partition("\n")
    paras = re.split(r"\n\s*\n", body.strip())
    hints = [p for p in paras if _HINT.match(p)]
    text = [p for p in paras if not _HINT.match(p)]
    name = "_".join(path.stem.split("_")[:2])
    out = [f"# {md_escape(first.strip())}", "",
           "\n\n".join(_docstring_to_md(p) for p in text), "",
           "::::{admonition} Check your answer", ":class: tip", "",
           f"Fill in `solve()` in a copy of `exercises/{path.name}`, then run",
           "", "```bash", f"cp exercises/{path.name} mine.py", f"rbmphys exercise {name} "
           "--file mine.py", "```", "", "`check(answer)` recomputes what your answer claims "
           "and says what is wrong, never what the right value is.", "::::", ""]
    for i, h in enumerate(hints, 1):
        out += [":::{dropdown} Hint" + (f" {i}" if len(hints) > 1 else ""), "",
                _docstring_to_md(re.sub(_HINT, "", h, count=1).strip()), ":::", ""]
    out += [":::{dropdown} The exercise file (`solve` and `check`)", "",
            "````python", src.rstrip(), "````", ":::", ""]
    if solution is not None and solution.exists():
        out += [":::{dropdown} Reference solution (look after you have tried)",
                ":class-container: solution", "",
                "````python", solution.read_text().rstrip(), "````", ":::", ""]
    return first.strip(), "\n".join(out)


def exercises_index(entries) -> str:
    """The exercises' index page; ``entries`` = [(chapter, docname, title)]."""
    out = ["# Exercises", "",
           "Each exercise states a problem, has a `solve()` for you to fill in and a "
           "`check(answer)` that recomputes what your answer claims. Hints and the reference "
           "solutions are folded away on each page.", ""]
    chapter = None
    for ch, doc, title in entries:
        if ch != chapter:
            out += ["", f"## Chapter {ch}", ""]
            chapter = ch
        out.append(f"- [{md_escape(title)}]({doc}.md)")
    out += ["", "```{toctree}", ":hidden:", ""] + [doc for _, doc, _ in entries] + ["```", ""]
    return "\n".join(out)


# ---------------------------------------------------------------------------------- ledger
def _value(x) -> str:
    from ..verify._registry import _fmt
    if isinstance(x, list):
        s = "[" + ", ".join(_value(y) for y in x[:8]) + (", …" if len(x) > 8 else "") + "]"
        return s
    if isinstance(x, float):
        return _fmt(x)
    return "—" if x is None else str(x)


_SYM = {"abs": "±", "rel": "± (relative)", "le": "≤ expected +", "ge": "≥ expected −",
        "eq": "exactly equal"}


def ledger_page(claims, results, chapter_docs, *, quick: bool) -> str:
    """The ledger: every registered claim, with what the executed run measured.

    ``claims`` are the registry's :class:`Claim` objects, ``results`` maps claim id to the
    :meth:`ClaimResult.to_dict` of the run, ``chapter_docs`` maps chapter number to the docname
    of its page.
    """
    from ..verify.book import CHAPTERS
    titles = {c.number: c.title for c in CHAPTERS}
    n_pass = sum(1 for r in results.values() if r.get("passed"))
    mode = "quick (reduced sizes, `--quick`)" if quick else "full size"
    out = ["# The ledger", "",
           f"Every analytic claim of the book, checked numerically in the run that built these "
           f"pages ({mode}): **{n_pass} of {len(claims)} passed**. Each claim states where it "
           f"comes from (paper and equation), the value the closed form predicts, the value "
           f"measured, the tolerance and the reason for that tolerance. `rbmphys verify` runs "
           f"the same checks from the command line; a chapter prints the line of each claim it "
           f"discusses, linked to its entry here. The *code* link of each claim shows the "
           f"function that measures it.", ""]
    by_ch = {}
    for c in sorted(claims, key=lambda c: (c.chapter, c.id)):
        by_ch.setdefault(c.chapter, []).append(c)
    for ch, cl in by_ch.items():
        doc = chapter_docs.get(ch)
        head = f"## Chapter {ch}: {md_escape(titles.get(ch, ''))}"
        out += [head, ""]
        if doc:
            out += [f"Claims of [Chapter {ch}]({doc}.ipynb).", ""]
        out += ["```{list-table}", ":header-rows: 1", ":widths: 30 20 20 30",
                ":class: ledger-table", "",
                "* - claim", "  - source", "  - expected, measured, tolerance", "  - reason"]
        for c in cl:
            r = results.get(c.id)
            anchor = (f'<span id="{claim_anchor(c.id)}"></span>'
                      f'<a class="ledger-id" href="#{claim_anchor(c.id)}">{c.id}</a>')
            code = f'<a href="claims/{c.id[:4]}.html#{code_anchor(c.id)}">code</a>'
            if r is None:
                verdict, exp, meas, tol, reason = "not run", "—", "—", "—", \
                    "not run in this build"
            else:
                verdict = "PASS" if r["passed"] else "FAIL"
                if r.get("error"):
                    exp = meas = tol = "—"
                    reason = f"error: {r['error']}"
                else:
                    exp, meas = _value(r.get("expected")), _value(r.get("measured"))
                    tol = f"{_SYM.get(r.get('compare'), '')} {_value(r.get('tolerance'))}"
                    if r.get("compare") == "eq":
                        tol = "exactly equal"
                    reason = r.get("reason") or ""
                    if r.get("max_stderr") is not None:
                        reason += (f"; standard error {_value(r.get('stderr'))} (cap "
                                   f"{_value(r.get('max_stderr'))})")
            out += [f"* - {anchor} **{verdict}** · {code}<br>{md_escape(c.title)}",
                    f"  - {md_escape(c.source)}",
                    f"  - expected {md_escape(exp)}<br>measured {md_escape(meas)}<br>"
                    f"tolerance {md_escape(tol)}",
                    f"  - {md_escape(reason)}"]
        out += ["```", ""]
    return "\n".join(out)


def claims_code_page(ch: int, claims, module) -> str:
    """The code of a chapter's claims: each claim function with its anchor, then the module."""
    path = Path(inspect.getsourcefile(module))
    lines = path.read_text().splitlines()
    out = [f"# Claims of Chapter {ch}: the code", "",
           f"The functions that measure the claims of Chapter {ch} "
           f"(`rbmphys/verify/claims/{path.name}`). Each returns a `Measurement`: expected and "
           f"measured values, tolerance and reason; `rbmphys verify --chapter {ch}` runs them.",
           ""]
    for c in sorted(claims, key=lambda c: c.id):
        src, start = inspect.getsourcelines(c.func)
        out += [f'<span id="{code_anchor(c.id)}"></span>', "",
                f"## `{c.id}`", "", md_escape(c.title) + " — "
                f'<a href="../ledger.html#{claim_anchor(c.id)}">ledger entry</a>', "",
                "````{code-block} python", f":lineno-start: {start}", "",
                textwrap.dedent("".join(src)).rstrip(), "````", ""]
    out += [":::{dropdown} The whole module", "", "````{code-block} python", ":linenos:", "",
            "\n".join(lines).rstrip(), "````", ":::", ""]
    return "\n".join(out)


# ---------------------------------------------------------------------------------- landing
def landing_page(readme: str, toc: dict) -> str:
    """The README as the landing page, followed by the book's table of contents."""
    out = [readme.rstrip(), ""]
    for caption, docs in toc.items():
        out += ["```{toctree}", f":caption: {caption}", ":maxdepth: 1", ""] + docs + ["```", ""]
    return "\n".join(out)


def notation_from_readme(readme: str) -> str:
    """A notation page from the README's notation section (used only when the book has none)."""
    m = re.search(r"^## Notation\n(.*?)(?=^## )", readme, re.S | re.M)
    return "# Notation\n" + (m.group(1) if m else "")


# ---------------------------------------------------------------------------------- API
API_MODULES = ("conventions", "units", "models", "samplers", "exact", "training", "checkpoint",
               "analysis", "theory", "symbolic", "datasets", "plotting", "parallel", "experiments",
               "verify")


def api_pages() -> dict:
    """``{docname: reStructuredText}`` of the API reference: the top-level namespace of
    ``rbmphys`` and one page per public subpackage."""
    import rbmphys
    top = [n for n in rbmphys.__all__ if n not in API_MODULES and not n.startswith("_")
           and n not in ("units", "exact", "datasets", "verify", "analysis", "training",
                         "samplers", "models", "conventions", "plotting", "symbolic",
                         "theory", "checkpoint", "parallel", "experiments",
                         "__version__")]
    pages = {}
    lines = ["API reference", "=============", "",
             "The public namespace of ``rbmphys`` (``import rbmphys as rp``) and its "
             "subpackages. Every docstring states the equation it implements, the paper and "
             "equation number, and the chapter that introduces it.", "",
             ".. toctree::", "   :maxdepth: 1", ""]
    lines += [f"   {m}" for m in API_MODULES] + ["", "Top-level names", "---------------", "",
                                                 ".. autosummary::", ""]
    import importlib

    def home(obj):
        """The API page of the module that defines ``obj`` (None: not one of them)."""
        where = getattr(obj, "__module__", None) or ""
        return next((m for m in API_MODULES if where == f"rbmphys.{m}"
                     or where.startswith(f"rbmphys.{m}.")), None)

    for n in top:       # each entry names the object where its module page documents it
        h = home(getattr(rbmphys, n))
        lines.append(f"   ~rbmphys.{h}.{n}" if h else f"   ~rbmphys.{n}")
    rest = [n for n in top if home(getattr(rbmphys, n)) is None]
    if rest:            # defined in a private module: documented here
        lines += ["", "Documented here", "---------------", ""]
        for n in rest:
            kind = "class" if inspect.isclass(getattr(rbmphys, n)) else "function"
            lines += [f".. auto{kind}:: rbmphys.{n}", ""]
    pages["api/index"] = "\n".join(lines + [""])

    seen = set()
    for m in API_MODULES:
        mod = importlib.import_module(f"rbmphys.{m}")
        again = []
        for n in getattr(mod, "__all__", []):
            obj = getattr(mod, n, None)
            if not (inspect.isclass(obj) or inspect.isfunction(obj)):
                continue
            h = home(obj)
            if (h is not None and h != m) or (h is None and id(obj) in seen):
                again.append(n)       # documented on the page of the module that defines it
            seen.add(id(obj))
        title = f"rbmphys.{m}"
        opts = ["   :members:"]
        if again:
            opts.append(f"   :exclude-members: {', '.join(again)}")
        pages[f"api/{m}"] = "\n".join([title, "=" * len(title), "",
                                      f".. automodule:: rbmphys.{m}", *opts, ""])
    return pages
