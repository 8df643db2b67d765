"""The page in a real browser: every supported theme, light and dark, wide and narrow.

Headless Chromium from Debian's packages, driven by Selenium, reads computed styles
and layout from pages that Sphinx built and a local HTTP server serves. Skipped when
Chromium, its driver or Selenium is missing; ``.ci/run`` installs them.
Screenshots go to ``<tmp>/html/screenshots/`` for a person to look at.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sphinx.application import Sphinx

from .pagepair import page_project

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
THEMES = ("alabaster", "furo", "sphinx_rtd_theme", "pydata_sphinx_theme", "sphinx_book_theme")
WIDTHS = (1280, 400)
# How each theme is switched to dark: (element, attribute value), None if it has no dark mode.
DARK_SWITCH = {
    "furo": "document.body.dataset.theme = 'dark';",
    "pydata_sphinx_theme": "document.documentElement.dataset.theme = 'dark';",
    "sphinx_book_theme": "document.documentElement.dataset.theme = 'dark';",
}
LIGHT_SWITCH = {
    "furo": "document.body.dataset.theme = 'light';",
    "pydata_sphinx_theme": "document.documentElement.dataset.theme = 'light';",
    "sphinx_book_theme": "document.documentElement.dataset.theme = 'light';",
}
# The extension's own line colours (background, text), as computed styles.
LIGHT_LINES = {
    "gd": ("rgb(255, 235, 233)", "rgb(130, 7, 30)"),
    "gi": ("rgb(218, 251, 225)", "rgb(17, 99, 41)"),
    "gu": ("rgb(221, 244, 255)", "rgb(5, 80, 174)"),
}
MARK = "rgb(191, 135, 0)"  # the inset bar on the first cell of a row that differs
DARK_LINES = {
    "gd": ("rgb(60, 22, 24)", "rgb(255, 161, 152)"),
    "gi": ("rgb(18, 49, 29)", "rgb(126, 231, 135)"),
    "gu": ("rgb(12, 45, 107)", "rgb(165, 214, 255)"),
}

if not (CHROMIUM.is_file() and CHROMEDRIVER.is_file()):
    if os.environ.get("CI"):
        # .ci/run installs them: a skip there would hide a broken install step.
        raise RuntimeError("CI: /usr/bin/chromium and /usr/bin/chromedriver are missing")
    pytest.skip("Debian's chromium and chromium-driver are not installed", allow_module_level=True)
selenium = pytest.importorskip("selenium", reason="selenium is not installed")

from selenium import webdriver  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402

# Every table cell whose content reaches past its own box, and the release diff's own
# overflow (tables scroll inside their own box, so the container itself never does).
SPILLS_JS = """
const spills = [];
for (const cell of document.querySelectorAll('.releasediff table td, .releasediff table th')) {
    const box = cell.getBoundingClientRect();
    if (cell.scrollWidth > cell.clientWidth + 1) {
        spills.push(cell.textContent.trim().slice(0, 60) + ' (scrollWidth)');
        continue;
    }
    for (const inner of cell.querySelectorAll('*')) {
        for (const rect of inner.getClientRects()) {
            if (rect.right > box.right + 1 || rect.left < box.left - 1) {
                spills.push(cell.textContent.trim().slice(0, 60));
            }
        }
    }
}
for (const container of document.querySelectorAll('.releasediff')) {
    if (container.scrollWidth > container.clientWidth + 1) {
        spills.push('release diff container ' + container.id);
    }
}
return [...new Set(spills)];
"""
# Words of prose split across two lines (code, and paths or other words too long for any
# column, may wrap anywhere).
BROKEN_WORDS_JS = """
const broken = [];
const walker = document.createTreeWalker(
    document.querySelector('.releasediff'), NodeFilter.SHOW_TEXT);
for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (node.parentElement.closest('code, pre, .releasediff-rowbar')) continue;
    for (const match of node.textContent.matchAll(/\\S+/g)) {
        const range = document.createRange();
        range.setStart(node, match.index);
        range.setEnd(node, match.index + match[0].length);
        const tops = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
        const path = match[0].includes('/') || match[0].length > 30;
        if (tops.size > 1 && !path) broken.push(match[0]);
    }
}
return broken;
"""
# API names, metadata values and notable paths that break inside a word where a break
# after a dot, colon or slash would have done: each line break in such a cell must follow
# one, unless the word it splits is wider than the cell by itself.
NAME_BREAKS_JS = """
const bad = [];
const mark = (c) => '.:/'.includes(c);
const cells = document.querySelectorAll(
    '.releasediff table.releasediff-api td:nth-child(3), '
    + '.releasediff table.releasediff-metadata td:nth-child(n+3), '
    + '.releasediff table.releasediff-notable td:nth-child(2)');
for (const cell of cells) {
    const code = cell.querySelector('code');
    if (!code) continue;
    const text = code.textContent;
    const chars = [];
    const walker = document.createTreeWalker(code, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        for (let i = 0; i < node.textContent.length; i++) chars.push([node, i]);
    }
    const top = ([node, i]) => {
        const range = document.createRange();
        range.setStart(node, i);
        range.setEnd(node, i + 1);
        return Math.round(range.getBoundingClientRect().top);
    };
    const style = getComputedStyle(cell);
    const width = cell.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    for (let k = 1; k < chars.length; k++) {
        if (top(chars[k]) <= top(chars[k - 1]) || mark(text[k - 1])) continue;
        let start = k - 1;
        while (start > 0 && !mark(text[start - 1])) start--;
        let end = k;
        while (end < text.length && !mark(text[end])) end++;
        const range = document.createRange();
        range.setStart(chars[start][0], chars[start][1]);
        range.setEnd(chars[end - 1][0], chars[end - 1][1] + 1);
        const rects = [...range.getClientRects()];
        const wide = rects.reduce((sum, rect) => sum + rect.width, 0) > width;
        if (!wide) bad.push(text);
    }
}
return [...new Set(bad)];
"""
LINE_COLOURS_JS = """
const block = document.querySelector('.releasediff div.releasediff-diff');
const result = {};
for (const kind of ['gd', 'gi', 'gu']) {
    const span = block.querySelector('span.' + kind);
    const style = getComputedStyle(span);
    const pre = span.closest('pre').getBoundingClientRect();
    const line = span.getBoundingClientRect();
    result[kind] = [style.backgroundColor, style.color, line.left <= pre.left + 1 && line.right >= pre.right - 1];
    result[kind + '-decoration'] = style.textDecorationLine;
}
return result;
"""
# Tables whose scrolling box scrolls: on a desktop screen every table fits its column.
SCROLLING_TABLES_JS = """
return [...document.querySelectorAll('.releasediff div.releasediff-scroll')]
    .filter(box => box.scrollWidth > box.clientWidth + 1)
    .map(box => box.querySelector('table').className + ' ' + box.scrollWidth + '>' + box.clientWidth);
"""


@dataclass(frozen=True)
class Site:
    root: Path
    url: str


def _build(srcdir: Path, outdir: Path, theme: str) -> None:
    with warnings.catch_warnings():
        # The themes use Sphinx APIs that newer Sphinx deprecates; not this extension's concern.
        warnings.simplefilter("ignore", DeprecationWarning)
        warnings.simplefilter("ignore", PendingDeprecationWarning)
        _build_quietly(srcdir, outdir, theme)


def _build_quietly(srcdir: Path, outdir: Path, theme: str) -> None:
    app = Sphinx(
        str(srcdir),
        str(srcdir),
        str(outdir / theme),
        str(outdir / ".doctrees" / theme),
        "html",
        confoverrides={"html_theme": theme},
        status=None,
        warning=None,
        freshenv=True,
    )
    app.build()
    assert app.statuscode == 0


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    folder = tmp_path_factory.mktemp("browser")
    srcdir = page_project(folder)
    outdir = folder / "html"
    for theme in THEMES:
        _build(srcdir, outdir, theme)
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(outdir))
    )
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Site(outdir, f"http://127.0.0.1:{server.server_address[1]}")
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    profile = tmp_path_factory.mktemp("chromium-profile")
    for flag in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--hide-scrollbars",
        f"--user-data-dir={profile}",
    ):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def _luminance(colour: str) -> float:
    channels = [int(part) / 255 for part in colour[colour.index("(") + 1 : -1].split(",")[:3]]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(first: str, second: str) -> float:
    """The WCAG contrast ratio of two ``rgb(...)`` colours."""
    lighter, darker = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def test_contrast_formula() -> None:
    assert contrast("rgb(0, 0, 0)", "rgb(255, 255, 255)") == pytest.approx(21)
    # #767676 on white is the well-known smallest grey that passes AA.
    assert contrast("rgb(118, 118, 118)", "rgb(255, 255, 255)") == pytest.approx(4.54, abs=0.01)


def _open(driver: Any, site: Site, theme: str, width: int, dark: bool, system_dark: bool) -> None:
    driver.set_window_size(width, 900)
    scheme = "dark" if system_dark else "light"
    driver.execute_cdp_cmd(
        "Emulation.setEmulatedMedia",
        {"features": [{"name": "prefers-color-scheme", "value": scheme}]},
    )
    driver.get(f"{site.url}/{theme}/index.html")
    switch = (DARK_SWITCH if dark else LIGHT_SWITCH).get(theme)
    if switch:
        driver.execute_script(switch)
    driver.get_log("browser")  # start the console log from here


def _console_errors(driver: Any) -> list[str]:
    return [
        entry["message"]
        for entry in driver.get_log("browser")
        if entry["level"] == "SEVERE" and "favicon.ico" not in entry["message"]
    ]


MODES = [
    (theme, dark)
    for theme in THEMES
    for dark in ((False, True) if theme in DARK_SWITCH else (False,))
]


@pytest.mark.parametrize(
    ("theme", "dark"), MODES, ids=[f"{t}-{'dark' if d else 'light'}" for t, d in MODES]
)
@pytest.mark.parametrize("width", WIDTHS)
def test_page_reads_right(browser: Any, site: Site, theme: str, dark: bool, width: int) -> None:
    _open(browser, site, theme, width, dark, system_dark=False)
    shots = site.root / "screenshots"
    shots.mkdir(exist_ok=True)
    mode = "dark" if dark else "light"
    browser.save_screenshot(str(shots / f"{theme}-{mode}-{width}.png"))
    table = browser.find_element(By.CSS_SELECTOR, ".releasediff table.releasediff-files")
    browser.execute_script("arguments[0].scrollIntoView()", table)
    browser.save_screenshot(str(shots / f"{theme}-{mode}-{width}-files.png"))

    assert browser.execute_script(SPILLS_JS) == []
    assert browser.execute_script(BROKEN_WORDS_JS) == []
    assert browser.execute_script(NAME_BREAKS_JS) == []
    if width >= 1024:
        assert browser.execute_script(SCROLLING_TABLES_JS) == []
    expected = DARK_LINES if dark else LIGHT_LINES
    colours = browser.execute_script(LINE_COLOURS_JS)
    for kind, (background, text) in expected.items():
        assert colours[kind][:2] == [background, text], kind
        assert colours[f"{kind}-decoration"] == "none", kind  # furo's dark style underlines gu
        assert contrast(background, text) >= 4.5, kind
        assert colours[kind][2], f"{kind} line does not span the block"
    assert _console_errors(browser) == []


@pytest.mark.parametrize("theme", THEMES)
def test_differs_marking_survives_zebra_stripes(browser: Any, site: Site, theme: str) -> None:
    _open(browser, site, theme, 1280, dark=False, system_dark=False)
    styles = browser.execute_script(
        """
        const rows = document.querySelectorAll('.releasediff table.releasediff-artifacts tbody tr');
        return [...rows].map(row => {
            const cell = getComputedStyle(row.cells[0]);
            return [row.classList.contains('releasediff-differs'), cell.backgroundImage,
                    cell.boxShadow];
        });
        """
    )
    assert any(differs for differs, _, _ in styles)
    for differs, image, shadow in styles:
        if differs:
            assert image.startswith("linear-gradient"), theme
            assert MARK in shadow, theme
        else:
            assert image == "none", theme
            assert MARK not in shadow, theme


@pytest.mark.parametrize("theme", ["furo", "alabaster", "sphinx_rtd_theme"])
def test_system_dark_mode(browser: Any, site: Site, theme: str) -> None:
    """Furo's "auto" follows the system; themes without a dark mode keep light lines."""
    _open(browser, site, theme, 1280, dark=False, system_dark=True)
    if theme == "furo":
        browser.execute_script("document.body.dataset.theme = 'auto';")
    colours = browser.execute_script(LINE_COLOURS_JS)
    expected = DARK_LINES if theme == "furo" else LIGHT_LINES
    assert {kind: colours[kind][:2] for kind in expected} == {
        kind: list(value) for kind, value in expected.items()
    }
    assert {colours[f"{kind}-decoration"] for kind in expected} == {"none"}


def _collapsed_link(driver: Any) -> tuple[Any, str]:
    """The files table of the collapsed release diff: its first link and target id."""
    containers = driver.find_elements(By.CSS_SELECTOR, "div.releasediff")
    link = containers[1].find_element(By.CSS_SELECTOR, "table.releasediff-files a")
    return link, link.get_attribute("href").rsplit("#", 1)[1]


@pytest.mark.parametrize("theme", THEMES)
def test_link_opens_collapsed_diff(browser: Any, site: Site, theme: str) -> None:
    _open(browser, site, theme, 1280, dark=False, system_dark=False)
    link, target = _collapsed_link(browser)
    details = browser.find_element(By.ID, target)
    assert details.tag_name == "details"
    assert details.get_attribute("open") is None
    browser.execute_script("arguments[0].click()", link)
    assert browser.execute_script("return document.getElementById(arguments[0]).open", target)
    diff = details.find_element(By.CSS_SELECTOR, "div.releasediff-diff")
    assert diff.is_displayed()
    assert _console_errors(browser) == []


def test_loading_a_link_opens_collapsed_diff(browser: Any, site: Site) -> None:
    _open(browser, site, "alabaster", 1280, dark=False, system_dark=False)
    _, target = _collapsed_link(browser)
    browser.get(f"{site.url}/alabaster/index.html#{target}")
    assert browser.execute_script("return document.getElementById(arguments[0]).open", target)
    # A malformed address is no console error.
    browser.get(f"{site.url}/alabaster/index.html#%E0%A4%A")
    assert _console_errors(browser) == []
    # The page without scripts still lists the file; opened ones stay as they were.
    first = browser.find_elements(By.CSS_SELECTOR, "div.releasediff")[0]
    assert all(d.get_attribute("open") for d in first.find_elements(By.TAG_NAME, "details"))
