"""The book as a website, read in a real browser (headless Chromium driven by selenium).

The whole book is built once per session in quick mode (``rbmphys book --quick``), or taken
from ``$RBMPHYS_BOOK_DIR`` when that names a built site, served on 127.0.0.1 by a thread of
``http.server``, and opened in Chromium with every other host unresolvable
(``--host-resolver-rules``), so that a page depending on a CDN fails here.  Checked on every
page: no console error, images decode, internal links and their ``#anchors`` resolve, nothing
loads from another host, no mention of files outside the project; on every chapter page MathJax
typesets every math element without an error; the search finds "partition"; every claim of
the ledger has its anchor on the ledger page.

Skipped where the book extra is missing (the plain ``pytest`` of a ``.[test]`` install; CI's
book step installs the extra and runs these tests) and, outside CI, where Chromium or its
driver is missing; in CI (``CI=true``) a missing browser is a failure.
"""

from __future__ import annotations

import functools
import http.server
import json
import os
import re
import shutil
import threading
import time
from pathlib import Path
from urllib.parse import unquote, urldefrag, urljoin, urlparse

import pytest

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[1]
_IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def _chromium():
    browser = next((shutil.which(b) for b in ("chromium", "chromium-browser", "google-chrome")
                    if shutil.which(b)), None)
    driver = shutil.which("chromedriver")
    return browser, driver


def _have_book_extra() -> bool:
    import importlib.util
    return all(importlib.util.find_spec(m) is not None for m in ("selenium", "myst_nb"))


def _require_browser():
    """Skip without the book extra (the plain test run: CI's book step installs it and runs
    these tests again); with it, a missing Chromium skips here and fails in CI."""
    if not _have_book_extra():
        pytest.skip('the book extra is not installed (pip install ".[book]")')
    browser, driver = _chromium()
    if browser is None or driver is None:
        why = "chromium and chromium-driver are not installed"
        if _IN_CI:
            pytest.fail(f"{why}: CI must run the browser tests (.ci/run installs them)")
        pytest.skip(why)
    return browser, driver


@pytest.fixture(scope="session")
def site_dir(tmp_path_factory):
    _require_browser()
    prebuilt = os.environ.get("RBMPHYS_BOOK_DIR")
    if prebuilt:
        path = Path(prebuilt)
        assert (path / "index.html").is_file(), f"RBMPHYS_BOOK_DIR={prebuilt} has no index.html"
        return path
    from rbmphys.site import build_book
    out = tmp_path_factory.mktemp("book") / "html"
    build_book(out, quick=True)
    return out


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="session")
def server(site_dir):
    handler = functools.partial(_Quiet, directory=str(site_dir))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(scope="session")
def browser(server):
    binary, driver_path = _require_browser()
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    opts = webdriver.ChromeOptions()
    opts.binary_location = binary
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run", "--disable-default-apps",
                "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
                "--window-size=1280,1000"):
        opts.add_argument(arg)
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    drv = webdriver.Chrome(service=Service(driver_path), options=opts)
    drv.set_page_load_timeout(60)
    yield drv
    drv.quit()


def _pages(site: Path) -> list[str]:
    skip = ("_static/", "_sources/", "_images/")
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html")
                  if not p.relative_to(site).as_posix().startswith(skip))


def _wait(drv, script, timeout=60.0, every=0.25):
    t0 = time.monotonic()
    while time.monotonic() - t0 < timeout:
        val = drv.execute_script(script)
        if val:
            return val
        time.sleep(every)
    return drv.execute_script(script)


_MATHJAX_DONE = """
if (!window.MathJax) return 'no-mathjax';
if (!MathJax.startup || !MathJax.startup.promise) return null;
if (!window.__mjxDone) { window.__mjxDone = 'pending';
  MathJax.startup.promise.then(() => { window.__mjxDone = 'done'; },
                               (e) => { window.__mjxDone = 'error: ' + e; }); }
return window.__mjxDone === 'pending' ? null : window.__mjxDone;
"""

_PAGE_FACTS = """
const imgs = Array.from(document.images).map(i => [i.currentSrc || i.src, i.complete,
                                                     i.naturalWidth]);
const links = Array.from(document.querySelectorAll('a[href]')).map(a => a.href);
const ids = Array.from(document.querySelectorAll('[id]')).map(e => e.id)
    .concat(Array.from(document.querySelectorAll('a[name]')).map(e => e.name));
const res = performance.getEntriesByType('resource').map(e => e.name);
return {imgs: imgs, links: links, ids: ids, resources: res, url: location.href,
        text: document.body.innerText};
"""

_MATH_FACTS = """
const math = Array.from(document.querySelectorAll('.math'));
return {n: math.length,
        untypeset: math.filter(m => !m.querySelector('mjx-container')).map(m => m.textContent
                                                                       .slice(0, 80)),
        merror: document.querySelectorAll('mjx-merror').length,
        errors: Array.from(document.querySelectorAll('mjx-merror')).map(e => e.textContent
                                                                       .slice(0, 80))};
"""


@pytest.fixture(scope="session")
def crawl(browser, server, site_dir):
    """Every page of the site, loaded once: console errors, images, links, ids, resources,
    text, and (chapter pages) MathJax's verdict."""
    facts = {}
    for page in _pages(site_dir):
        browser.get_log("browser")                      # drop what an earlier page left
        browser.get(urljoin(server, page))
        _wait(browser, "return document.readyState === 'complete'")
        info = browser.execute_script(_PAGE_FACTS)
        if page.startswith("chapters/") or browser.execute_script(
                "return document.querySelectorAll('.math').length > 0"):
            info["mathjax"] = _wait(browser, _MATHJAX_DONE)
            info["math"] = browser.execute_script(_MATH_FACTS)
        info["log"] = [e for e in browser.get_log("browser") if e.get("level") == "SEVERE"]
        facts[page] = info
    return facts


def test_site_has_every_part(site_dir):
    pages = set(_pages(site_dir))
    chapters = {p for p in pages if p.startswith("chapters/ch")}
    assert len(chapters) == 9, sorted(chapters)
    for part in ("index.html", "ledger.html", "bibliography.html", "notation.html",
                 "api/index.html", "exercises/index.html", "search.html"):
        assert part in pages, part
    assert len([p for p in pages if re.match(r"exercises/ex\d\d_\d", p)]) == \
        len(list((ROOT / "exercises").glob("ex*_*.py")))


def test_no_console_errors(crawl):
    bad = {p: [e["message"] for e in f["log"]] for p, f in crawl.items() if f["log"]}
    assert not bad, json.dumps(bad, indent=1)[:3000]


def test_mathjax_typesets_every_math_element(crawl):
    """Every chapter page has math, and on every page with math (chapters, appendix, notation,
    API) MathJax typesets each element without an error."""
    assert all("math" in f for p, f in crawl.items() if p.startswith("chapters/"))
    for page, f in crawl.items():
        if "math" not in f:
            continue
        assert f["mathjax"] == "done", (page, f["mathjax"])
        m = f["math"]
        assert m["n"] > 0 or not page.startswith("chapters/"), f"{page}: no math element"
        assert m["untypeset"] == [], (page, m["untypeset"][:5])
        assert m["merror"] == 0, (page, m["errors"][:5])


def test_images_decode(crawl):
    n = 0
    for page, f in crawl.items():
        for src, complete, width in f["imgs"]:
            assert complete and width > 0, (page, src)
            n += 1
        if page.startswith("chapters/"):
            assert len(f["imgs"]) >= 1, f"{page} shows no figure"
    assert n >= 9


def test_internal_links_and_anchors_resolve(crawl, server, site_dir):
    ids = {urlparse(f["url"]).path: set(f["ids"]) for f in crawl.values()}
    broken = []
    for page, f in crawl.items():
        for href in f["links"]:
            url, frag = urldefrag(href)
            parsed = urlparse(url)
            if parsed.scheme not in ("http", "https") or not href.startswith(server):
                continue
            path = parsed.path
            if path.endswith("/"):
                path += "index.html"
            if not path.endswith(".html"):
                target = Path(unquote(path.lstrip("/")))
                if not (site_dir / target).exists():
                    broken.append((page, href))
                continue
            if path not in ids:
                broken.append((page, href))
            elif frag and unquote(frag) not in ids[path]:
                broken.append((page, href))
    assert not broken, broken[:20]


def test_nothing_loads_from_another_host(crawl):
    outside = {p: [r for r in f["resources"] if urlparse(r).hostname != "127.0.0.1"]
               for p, f in crawl.items()}
    outside = {p: r for p, r in outside.items() if r}
    assert not outside, outside


def test_no_page_mentions_files_outside_the_project(crawl, site_dir):
    for page, f in crawl.items():
        for word in ("shared/", "theory.md", "DESIGN.md", "STYLE.md"):
            assert word not in f["text"], (page, word)
    for p in site_dir.rglob("*.html"):                  # the HTML too, hidden parts included
        text = p.read_text(errors="replace")
        assert "shared/" not in text and "theory.md" not in text, p


def test_every_claim_has_its_ledger_entry(crawl, site_dir):
    from rbmphys.verify._registry import load_all, registry
    load_all()
    ledger = crawl["ledger.html"]
    missing = [cid for cid in registry if cid not in ledger["ids"]]
    assert not missing, missing
    results = json.loads((site_dir / "ledger.json").read_text())
    assert set(results) == set(registry)
    for cid in registry:                                 # and its code on the claims page
        assert f"code-{cid}" in crawl[f"claims/{cid[:4]}.html"]["ids"], cid
    # every ledger line a chapter printed links to its entry
    linked = {unquote(urldefrag(h)[1]) for f in crawl.values() for h in f["links"]
              if urldefrag(h)[0].endswith("/ledger.html") and urldefrag(h)[1]}
    assert set(registry) <= linked, sorted(set(registry) - linked)[:10]


def test_search_finds_partition(browser, server):
    browser.get(urljoin(server, "search.html?q=partition"))
    found = _wait(browser, "const r = document.querySelectorAll('#search-results li, "
                           "ul.search li'); return r.length ? r.length : null;", timeout=60)
    assert found and found > 0, "the search found nothing for 'partition'"
    text = browser.execute_script("return document.querySelector('#search-results')"
                                  ".innerText")
    assert "Chapter" in text


def test_solutions_are_collapsed(browser, server):
    browser.get(urljoin(server, "exercises/ex01_2_logz_enumeration.html"))
    _wait(browser, "return document.readyState === 'complete'")
    info = browser.execute_script(
        "return Array.from(document.querySelectorAll('details.sd-dropdown')).map(d => "
        "[d.querySelector('summary').innerText, d.open, d.querySelector('pre') ? "
        "d.querySelector('pre').checkVisibility() : null]);")
    sols = [d for d in info if "solution" in d[0].lower()]
    assert sols, info
    assert all(not is_open for _, is_open, _ in sols)
    assert all(shown is False for _, _, shown in sols)  # folded: its code is not shown
    browser.find_element("css selector", "details.solution summary").click()
    assert _wait(browser, "return document.querySelector('details.solution pre')"
                          ".checkVisibility()", timeout=10)    # one click opens it
