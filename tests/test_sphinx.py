"""The release-diff directive in real Sphinx builds."""

from __future__ import annotations

import html
import inspect
import os
import re
import shutil
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from docutils import nodes
from sphinx.errors import SphinxError
from sphinx.testing.util import SphinxTestApp

from sphinxext.releasediff.sphinx_nodes import release_diff_body

from .test_cli import make_pair

ROOTS = Path(__file__).parent / "roots"
MakeApp = Callable[..., SphinxTestApp]


def project(tmp_path: Path, root: str) -> Path:
    """A copy of a test root with the demo archives built into ``archives/``."""
    srcdir = tmp_path / root
    shutil.copytree(ROOTS / f"test-{root}", srcdir)
    archives = srcdir / "archives"
    archives.mkdir()
    old, new = make_pair(tmp_path)
    shutil.copy(old, archives)
    shutil.copy(new, archives)
    return srcdir


def warnings(app: SphinxTestApp) -> str:
    """The warnings a build printed, without terminal colours."""
    return re.sub(r"\x1b\[[0-9;]*m", "", app.warning.getvalue())


@pytest.mark.parametrize(
    ("builder", "output"),
    [
        ("html", "index.html"),
        ("dirhtml", "index.html"),
        ("singlehtml", "index.html"),
        ("latex", "test.tex"),
        ("text", "index.txt"),
        ("man", "test.1"),
        ("epub", "index.xhtml"),
    ],
)
def test_every_builder_renders_without_warnings(
    make_app: MakeApp, tmp_path: Path, builder: str, output: str
) -> None:
    app = make_app(builder, srcdir=project(tmp_path, "basic"), warningiserror=True)
    app.build()
    assert warnings(app) == ""
    raw = (Path(app.outdir) / output).read_text(encoding="utf-8")
    text = html.unescape(raw) if output.endswith(("html", "xhtml")) else raw
    assert "Before the diff." in text
    assert "After the diff." in text
    assert "Requires" in text
    assert "attrs" in text
    assert "return 33" in text
    assert "line twenty" in text
    assert "pkg/helpers.py" in text
    if builder in ("html", "dirhtml", "singlehtml"):
        assert raw.count("<details") == 6  # mode-only files get none
        assert (
            '<details class="releasediff-file no-search" id="releasediff-index-0-file-1" open="open">'
            in raw
        )
        assert "<summary>" in raw
        assert '<div class="releasediff-diff highlight-diff notranslate">' in raw
        assert (Path(app.outdir) / "_static" / "releasediff.css").is_file()
        # Written before the pages, so they link it with Sphinx's checksum (no stale copy).
        assert re.search(r'href="(\.\./)?_static/releasediff\.css\?v=[0-9a-f]{8}"', raw)
    else:
        assert "<details" not in raw
        assert "<summary" not in raw


def test_text_output_is_plain_and_exact(make_app: MakeApp, tmp_path: Path) -> None:
    app = make_app("text", srcdir=project(tmp_path, "basic"))
    app.build()
    text = (Path(app.outdir) / "index.txt").read_text(encoding="utf-8")
    assert (
        "**demo 1.0 → 1.1 (sdist)**: 6 files changed, 1 added, 1 removed, 1\n"
        "renamed; +6 −5 lines" in text
    )
    assert (
        '**"pkg/core.py" (modified)**\n\n'
        "   --- a/pkg/core.py\n"
        "   +++ b/pkg/core.py\n"
        "   @@ -8,7 +8,7 @@\n"
        "        return 2\n"
        "    \n"
        "    def f3():\n"
        "   -    return 3\n"
        "   +    return 33\n"
    ) in text
    assert '| "pkg/helpers.py" ← "pkg/util.py"' in text
    assert "* renamed from pkg/util.py (97.5 % similar)" in text
    assert "1 file changed mode only: 644 → 755 (1: run.sh)." in text
    assert text.count("run.sh") == 1  # named only in the grouped line
    assert "-[ What changed in 1.1 ]-" in text
    assert "See What changed in 1.1." in text
    assert "<wbr>" not in text


def test_html_tables_and_links(make_app: MakeApp, tmp_path: Path) -> None:
    app = make_app("html", srcdir=project(tmp_path, "basic"))
    app.build()
    page = (Path(app.outdir) / "index.html").read_text(encoding="utf-8")
    # Each path in the files table links to its diff.
    for index in range(1, 7):
        assert f'href="#releasediff-index-0-file-{index}"' in page
        assert f'id="releasediff-index-0-file-{index}"' in page
    assert page.count('<tr class="releasediff-differs') == 5  # name, size, unpacked, sha, gzip name
    # Metadata values break after dots and colons, not inside a word; other writers
    # (test_text_output_is_plain_and_exact) show the plain literal.
    assert (
        '<td><p><code class="docutils literal notranslate"><span class="pre">1.<wbr>1</span>'
        in page
    )
    assert (
        '<a class="reference internal" href="#diff-1-1"><span class="std std-ref">What changed in 1.1</span></a>'
        in page
    )


def test_ids_stay_unique_with_several_diffs_on_a_page(make_app: MakeApp, tmp_path: Path) -> None:
    srcdir = project(tmp_path, "parallel")
    app = make_app("html", srcdir=srcdir)
    app.build()
    page = (Path(app.outdir) / "page1.html").read_text(encoding="utf-8")
    ids = re.findall(r'\bid="([^"]+)"', page)
    assert len(ids) == len(set(ids))
    assert page.count("<details") == 12
    assert (
        page.count('<details class="releasediff-file no-search" id="releasediff-page1-1-file-1">')
        == 1
    )


def doctree_text(app: SphinxTestApp, docname: str) -> str:
    doctree = app.env.get_doctree(docname)
    for node in doctree.findall(nodes.Element):
        node.attributes.pop("source", None)
        node.line = None
    return str(doctree.children[0].pformat())


def test_myst_and_rst_give_the_same_doctree(make_app: MakeApp, tmp_path: Path) -> None:
    app = make_app("html", srcdir=project(tmp_path, "myst"))
    app.build()
    assert "releasediff" not in warnings(app)
    rst = doctree_text(app, "index").replace("releasediff-index-0", "ID")
    markdown = doctree_text(app, "page").replace("releasediff-page-0", "ID")
    assert rst == markdown
    assert "<release_diff_body sections=" in rst
    assert (
        '<details class="releasediff-file no-search"'
        in (Path(app.outdir) / "page.html").read_text()
    )


def test_parallel_build_gives_the_same_html(make_app: MakeApp, tmp_path: Path) -> None:
    srcdir = project(tmp_path, "parallel")
    serial = make_app("html", srcdir=srcdir, builddir=tmp_path / "serial")
    serial.build()
    parallel = make_app("html", srcdir=srcdir, builddir=tmp_path / "parallel", parallel=2)
    parallel.build()
    assert parallel.parallel == 2
    for page in [f"page{i}.html" for i in range(1, 9)] + ["index.html"]:
        one = (Path(serial.outdir) / page).read_bytes()
        two = (Path(parallel.outdir) / page).read_bytes()
        assert one == two, page


def test_touching_an_archive_rereads_exactly_the_pages_that_use_it(
    make_app: MakeApp, tmp_path: Path
) -> None:
    srcdir = project(tmp_path, "incremental")
    shutil.copy(srcdir / "archives" / "demo-1.0.tar.gz", srcdir / "archives" / "other-1.0.tar.gz")
    make_app("html", srcdir=srcdir).build()

    def reread_after(touch: Callable[[], None]) -> list[str]:
        touch()
        app = make_app("html", srcdir=srcdir)
        read: list[str] = []
        app.connect(
            "env-before-read-docs", lambda _app, _env, docnames: read.extend(sorted(docnames))
        )
        app.build()
        return read

    def touch(name: str) -> Callable[[], None]:
        def now() -> None:
            # Now, not later: a time in the future would make the next builds re-read too.
            time.sleep(0.01)
            os.utime(srcdir / "archives" / name)

        return now

    assert reread_after(lambda: None) == []
    assert reread_after(touch("other-1.0.tar.gz")) == ["uses_other"]
    assert reread_after(touch("demo-1.1.tar.gz")) == ["uses_old", "uses_other"]
    assert reread_after(touch("demo-1.0.tar.gz")) == ["uses_old"]


def parse_warnings(text: str) -> list[tuple[str, str, str]]:
    """(location, message, type) of each warning line."""
    pattern = re.compile(r"^(?P<location>\S+): WARNING: (?P<message>.*) \[(?P<type>[\w.]+)\]$")
    return [
        (match["location"], match["message"], match["type"])
        for line in text.splitlines()
        if (match := pattern.match(line))
    ]


def test_failures_warn_with_location_and_the_build_goes_on(
    make_app: MakeApp, tmp_path: Path
) -> None:
    srcdir = project(tmp_path, "failures")
    (srcdir / "archives" / "corrupt.tar.gz").write_bytes(
        (srcdir / "archives" / "demo-1.0.tar.gz").read_bytes()[:200]
    )
    (srcdir / "archives" / "notes.txt").write_text("not an archive\n" * 40)
    app = make_app("html", srcdir=srcdir)
    app.build()
    where = str(srcdir / "index.rst")
    found = [
        (loc.removeprefix(where), msg, kind) for loc, msg, kind in parse_warnings(warnings(app))
    ]
    assert found == [
        (":6", "archives/missing.tar.gz: no such archive file", "releasediff.archive"),
        (":8", found[1][1], "releasediff.archive"),
        (
            ":10",
            "archives/notes.txt: not a tar or zip archive (unrecognised content)",
            "releasediff.archive",
        ),
        (
            ":12",
            ":context: 'lots' is not a whole number of 0 or more; using the default 3",
            "releasediff.option",
        ),
        (":12", ":collapse: has no effect when :show: leaves out diffs", "releasediff.option"),
        (
            ":12",
            ":package: applies only to version arguments; both arguments are paths",
            "releasediff.option",
        ),
        (
            ":18",
            "demo 1.2: no sdist of that version in the download cache "
            "(no find-links folder and no index URL are set)",
            "releasediff.resolve",
        ),
    ]
    assert found[1][1].startswith("archives/corrupt.tar.gz: corrupt tar.gz archive (")
    page = (Path(app.outdir) / "index.html").read_text(encoding="utf-8")
    assert "Before." in page
    assert "After." in page
    assert page.count("Release diff not available: ") == 4
    assert "Release diff not available: archives/missing.tar.gz: no such archive file" in page
    assert "demo 1.0 → 1.1 (sdist)" in page  # the fourth directive still renders, with defaults


def test_warnings_can_be_suppressed_by_subtype(make_app: MakeApp, tmp_path: Path) -> None:
    srcdir = project(tmp_path, "failures")
    (srcdir / "archives" / "corrupt.tar.gz").write_bytes(b"\x1f\x8b broken")
    (srcdir / "archives" / "notes.txt").write_text("text")
    app = make_app(
        "html",
        srcdir=srcdir,
        confoverrides={"suppress_warnings": ["releasediff.archive", "releasediff.option"]},
    )
    app.build()
    assert [kind for _loc, _msg, kind in parse_warnings(warnings(app))] == ["releasediff.resolve"]


def test_warnings_as_errors_fail_the_build(make_app: MakeApp, tmp_path: Path) -> None:
    srcdir = project(tmp_path, "failures")
    app = make_app("html", srcdir=srcdir, warningiserror=True)
    try:
        app.build()
    except SphinxError:
        return  # Sphinx before 8.1 stops at the first warning
    assert app.statuscode == 1


def test_identical_archives_are_no_failure(make_app: MakeApp, tmp_path: Path) -> None:
    srcdir = project(tmp_path, "basic")
    (srcdir / "index.rst").write_text(
        "Same\n====\n\n.. release-diff:: archives/demo-1.0.tar.gz archives/demo-1.0.tar.gz\n"
    )
    app = make_app("text", srcdir=srcdir, warningiserror=True)
    app.build()
    text = (Path(app.outdir) / "index.txt").read_text(encoding="utf-8")
    assert "The two archives hold the same files and metadata." in text
    assert "**demo 1.0 → 1.0 (sdist)**: 0 files changed, 0 added, 0 removed, 0" in text
    assert "No file changed, 7 identical files not listed." in text
    # Past the counts line (every clause at its place, as SPEC.md gives it), no clause
    # that counts nothing.
    assert not re.search(r"(?<![\d.])0 [a-z]", text[text.index("lines ") :])


def test_options_and_config_values(make_app: MakeApp, tmp_path: Path) -> None:
    srcdir = project(tmp_path, "basic")
    (srcdir / "index.rst").write_text(
        "Options\n=======\n\n"
        ".. release-diff:: archives/demo-1.0.tar.gz archives/demo-1.1.tar.gz\n"
        "   :include: pkg/*\n"
        "   :exclude: */old.py\n"
        "   :context: 0\n"
        "   :show: files, diffs, listing\n"
    )
    app = make_app(
        "text", srcdir=srcdir, warningiserror=True, confoverrides={"releasediff_max_diff_lines": 2}
    )
    app.build()
    text = (Path(app.outdir) / "index.txt").read_text(encoding="utf-8")
    assert "Artifacts" not in text
    assert "Package metadata" not in text
    assert "PKG-INFO" not in text.split("Listing")[0]
    assert "pkg/old.py" not in text.split("Listing")[0]
    assert "3 files changed" in text
    assert "   @@ -11 +11 @@\n   -    return 3\n" in text
    assert (
        "* diff cut short: 1 more line not shown (:max-diff-lines: or\n  releasediff_max_diff_lines)"
        in text
    )
    assert "-[ Listing ]-" in text
    # The listing holds the members the filters take, as the files table does.
    listing = text.split("-[ Listing ]-")[1]
    assert "+-rw-r--r-- runner/docker         11 2023-07-06 04:38:08 pkg/new.py" in listing
    assert "run.sh" not in listing
    assert "pkg/old.py" not in listing


def test_total_diff_lines_limit_keeps_big_pages_light(make_app: MakeApp, tmp_path: Path) -> None:
    srcdir = project(tmp_path, "basic")
    app = make_app("text", srcdir=srcdir, confoverrides={"releasediff_max_total_diff_lines": 12})
    app.build()
    text = (Path(app.outdir) / "index.txt").read_text(encoding="utf-8")
    assert "+Requires-Dist: packaging" in text  # the first diff fits
    assert "return 33" not in text
    # One line for the four diffs left out, naming the option as a page's author sets it.
    assert (
        "4 diffs not shown: this release diff reached its limit of 12 diff\n"
        "lines (:max-total-diff-lines: or releasediff_max_total_diff_lines);\n"
        "the files Notable names, then code and metadata, were given theirs\n"
        "first, removed files theirs last, and the Files table lists every\n"
        "file.\n"
    ) in text
    assert text.count("not shown: this release diff") == 1
    assert '**"pkg/new.py" (added)**' not in text  # no block without its diff
    assert "pkg/new.py" in text  # still listed in the files table


@pytest.mark.parametrize(
    ("setting", "message"),
    [
        (
            'releasediff_context = "3"',
            "releasediff_context: must be a whole number, not str; using the default 3",
        ),
        (
            "releasediff_max_diff_lines = -1",
            "releasediff_max_diff_lines: '-1' is not a whole number of 0 or more; using the default 1000",
        ),
        (
            'releasediff_show = ["files", "everything"]',
            "releasediff_show: 'everything' is not among summary, notable, api, artifacts, metadata, files, diffs, listing; using the default summary, notable, api, artifacts, metadata, files, diffs",
        ),
        (
            'releasediff_collapse = "yes"',
            "releasediff_collapse: must be True or False, not str; using the default False",
        ),
        (
            "releasediff_rename_threshold = 2",
            "releasediff_rename_threshold: '2' is not between 0 and 1; using the default 0.5",
        ),
    ],
)
def test_bad_config_values_warn_and_fall_back(
    make_app: MakeApp, tmp_path: Path, setting: str, message: str
) -> None:
    srcdir = project(tmp_path, "basic")
    with (srcdir / "conf.py").open("a") as conf:
        conf.write(setting + "\n")
    app = make_app("text", srcdir=srcdir)
    app.build()
    assert f"WARNING: {message} [releasediff.config]" in warnings(app)
    assert "return 33" in (Path(app.outdir) / "index.txt").read_text(encoding="utf-8")


def test_setup_metadata(make_app: MakeApp, tmp_path: Path) -> None:
    app = make_app("html", srcdir=project(tmp_path, "basic"))
    extension = app.extensions["sphinxext.releasediff"]
    assert extension.parallel_read_safe is True
    assert extension.parallel_write_safe is True
    assert extension.version == "0.1.0"
    assert app.config.releasediff_context == 3


def test_details_become_plain_containers_outside_html(make_app: MakeApp, tmp_path: Path) -> None:
    app = make_app("latex", srcdir=project(tmp_path, "basic"))
    app.build()
    resolve = app.env.get_and_resolve_doctree
    if "tags" in inspect.signature(resolve).parameters:  # Sphinx 9 wants them passed
        doctree = resolve("index", app.builder, tags=app.tags)
    else:
        doctree = resolve("index", app.builder)
    assert not list(doctree.findall(release_diff_body))
    assert "releasediff-file" in doctree.pformat()


def test_a_missing_archive_is_picked_up_once_it_appears(make_app: MakeApp, tmp_path: Path) -> None:
    srcdir = project(tmp_path, "basic")
    archive = srcdir / "archives" / "demo-1.1.tar.gz"
    content = archive.read_bytes()
    archive.unlink()
    for _build in range(2):  # while it is missing, every build reads the page again and warns
        app = make_app("text", srcdir=srcdir)
        app.build()
        assert (
            "/archives/demo-1.1.tar.gz: no such archive file (looked for archives/demo-1.1.tar.gz in the source folder) [releasediff.archive]"
            in warnings(app)
        )
    archive.write_bytes(content)
    fixed = make_app("text", srcdir=srcdir)
    fixed.build()
    assert "undefined label" not in warnings(app)  # the :name: survives the failure
    assert "[releasediff." not in warnings(fixed)
    assert "return 33" in (Path(fixed.outdir) / "index.txt").read_text(encoding="utf-8")


def test_an_incremental_html_build_stays_clean(make_app: MakeApp, tmp_path: Path) -> None:
    srcdir = project(tmp_path, "basic")
    first = make_app("html", srcdir=srcdir, warningiserror=True)
    first.build()
    # As after an upgrade of the extension: the stylesheet in the output is an older one.
    stylesheet = Path(first.outdir) / "_static" / "releasediff.css"
    stylesheet.write_text("/* an older stylesheet */\n")
    (srcdir / "index.rst").write_text((srcdir / "index.rst").read_text() + "\nMore text.\n")
    again = make_app("html", srcdir=srcdir)  # a second app in one process warns of re-registration
    again.build()
    assert "copy" not in warnings(again)
    assert "[releasediff." not in warnings(again)
    assert "More text." in (Path(again.outdir) / "index.html").read_text(encoding="utf-8")
    assert "older" not in stylesheet.read_text()


def test_links_to_each_file_resolve_in_latex(make_app: MakeApp, tmp_path: Path) -> None:
    """Every \\hyperref from the files and notable tables has its \\label (a PDF link works)."""
    app = make_app("latex", srcdir=project(tmp_path, "basic"))
    app.build()
    tex = next(Path(app.outdir).glob("*.tex")).read_text(encoding="utf-8")
    refs = set(re.findall(r"\\hyperref\[\\detokenize\{([^}]*file-\d+)\}\]", tex))
    labels = set(re.findall(r"\\label\{\\detokenize\{([^}]*file-\d+)\}\}", tex))
    assert len(refs) == 6
    assert refs <= labels


def test_a_version_without_a_package_names_the_option(make_app: MakeApp, tmp_path: Path) -> None:
    srcdir = project(tmp_path, "basic")
    (srcdir / "index.rst").write_text("Versions\n========\n\n.. release-diff:: 1.0 2.0\n")
    app = make_app("text", srcdir=srcdir)
    app.build()
    [(_, message, kind)] = parse_warnings(warnings(app))
    assert (message, kind) == (
        "2.0: a version argument needs the package name (:package: or releasediff_package)",
        "releasediff.resolve",
    )


def test_a_limit_is_named_as_the_config_value_that_sets_it(
    make_app: MakeApp, tmp_path: Path
) -> None:
    """A limit is set in conf.py only: no directive option is named for it."""
    srcdir = project(tmp_path, "basic")
    app = make_app("html", srcdir=srcdir, confoverrides={"releasediff_max_members": 3})
    app.build()
    (found,) = parse_warnings(warnings(app))
    assert found[1].endswith(": more than 3 members (releasediff_max_members)")
    assert found[2] == "releasediff.limit"


def test_a_refused_option_is_warned_about_once(make_app: MakeApp, tmp_path: Path) -> None:
    srcdir = project(tmp_path, "basic")
    (srcdir / "index.rst").write_text(
        "Dist\n====\n\n"
        ".. release-diff:: archives/demo-1.0.tar.gz archives/demo-1.1.tar.gz\n"
        "   :dist: egg\n"
    )
    app = make_app("html", srcdir=srcdir)
    app.build()
    found = [message for _where, message, _kind in parse_warnings(warnings(app))]
    assert found == [":dist: 'egg' is not 'sdist' or 'wheel'; using the default sdist"]
