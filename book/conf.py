"""Sphinx configuration of the book (``rbmphys book`` stages the sources and runs Sphinx).

Offline by construction: MathJax 3 is served from ``_static/mathjax`` (copied there from the
``django-static-mathjax`` package by the build), the theme's assets are local, and nothing is
fetched at build or reading time.  The chapters arrive executed (myst-nb's own execution is off).
"""

import os
import re

import rbmphys

project = "rbmphys"
author = "the rbmphys authors"
copyright = "the rbmphys authors, BSD-3-Clause"
release = version = rbmphys.__version__
_quick = os.environ.get("RBMPHYS_BOOK_QUICK") == "1"

extensions = [
    "myst_nb",
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.viewcode",
    "sphinx.ext.mathjax",
    "numpydoc",
    "sphinxcontrib.bibtex",
    "sphinx_design",
    "sphinx_togglebutton",
]

exclude_patterns = ["_build", "**.ipynb_checkpoints", "_ledger.json"]
source_suffix = {".rst": "restructuredtext", ".md": "myst-nb", ".ipynb": "myst-nb"}

# --- myst / myst-nb
myst_enable_extensions = ["dollarmath", "amsmath", "colon_fence", "deflist", "html_image"]
myst_heading_anchors = 3
nb_execution_mode = "off"
nb_merge_streams = True
nb_output_stderr = "remove"

# --- math: MathJax 3 from the site itself
mathjax_path = "mathjax/tex-chtml.js"
mathjax3_config = {"tex": {"macros": {"tr": r"\operatorname{tr}"}}}

# --- bibliography
bibtex_bibfiles = ["references.bib"]
bibtex_default_style = "unsrt"
bibtex_reference_style = "author_year"

# --- API
autodoc_default_options = {"members": True, "show-inheritance": False}
autodoc_member_order = "bysource"
autosummary_generate = False
numpydoc_show_class_members = False
numpydoc_class_members_toctree = False
numpydoc_validation_checks = set()
numpydoc_xref_param_type = False

# --- HTML
html_theme = "sphinx_book_theme"
html_title = "rbmphys, the book" + (" (quick run)" if _quick else "")
html_static_path = ["_static"]
html_css_files = ["book.css"]
html_favicon = "_static/favicon.svg"
html_context = {"default_mode": "light"}
html_theme_options = {
    "show_toc_level": 2,
    "use_download_button": True,
    "use_fullscreen_button": False,
    "use_repository_button": False,
    "home_page_in_toc": True,
    "navigation_with_keys": False,
}
html_last_updated_fmt = None
html_copy_source = True


_CITE = re.compile(r"\[([A-Za-z][A-Za-z0-9]+\d{4})\]_")
_CITATION = re.compile(r"^(\s*)\.\. \[([A-Za-z][A-Za-z0-9]+\d{4})\]")
_BIB_KEYS = set(re.findall(r"^@\w+\{([^,]+),", open(os.path.join(os.path.dirname(__file__),
                                                               "references.bib")).read(), re.M))


def _cite_docstring(app, what, name, obj, options, lines):
    """Docstrings cite the bibliography as ``[Key]_`` (and list it under References as
    ``.. [Key] ...``): make those links into the book's bibliography."""
    out, skip_indent = [], None
    for line in lines:
        if skip_indent is not None:
            if line.strip() and len(line) - len(line.lstrip()) > skip_indent:
                continue                       # continuation of a replaced citation
            skip_indent = None
        m = _CITATION.match(line)
        if m and m.group(2) in _BIB_KEYS:
            out.append(f"{m.group(1)}* :cite:t:`{m.group(2)}`")
            skip_indent = len(m.group(1))
            continue
        out.append(_CITE.sub(lambda k: f":cite:p:`{k.group(1)}`" if k.group(1) in _BIB_KEYS
                             else k.group(0), line))
    lines[:] = out


def setup(app):
    app.connect("autodoc-process-docstring", _cite_docstring, priority=100)  # before numpydoc
