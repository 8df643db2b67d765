"""Field-level metadata changes: requirements, classifiers, URLs, description, wheel files."""

from __future__ import annotations

from pathlib import Path

from sphinxext.releasediff.archive import read_archive
from sphinxext.releasediff.metadata import compare_metadata
from sphinxext.releasediff.model import MetadataChange

from .archives import make_sdist, make_wheel


def sdist_changes(
    tmp_path: Path, old: tuple[str, ...], new: tuple[str, ...]
) -> list[MetadataChange]:
    for side in ("o", "n"):
        (tmp_path / side).mkdir()
    old_archive = read_archive(make_sdist(tmp_path / "o", "demo", "1.0", {}, metadata=old))
    new_archive = read_archive(make_sdist(tmp_path / "n", "demo", "1.1", {}, metadata=new))
    return compare_metadata(old_archive, new_archive)


def rows(
    changes: list[MetadataChange],
) -> list[tuple[str, str, str | None, str | None, str | None]]:
    return [(c.field, c.change, c.old, c.new, c.detail) for c in changes]


def test_version_and_requirements(tmp_path: Path) -> None:
    old = (
        "Requires-Python: >=3.8",
        "Requires-Dist: attrs>=20.3",
        "Requires-Dist: click",
        "Requires-Dist: Old_Thing==1.0",
    )
    new = (
        "Requires-Python: >=3.9",
        "Requires-Dist: attrs >= 22",
        "Requires-Dist: click; python_version < '4'",
        "Requires-Dist: requests[socks]>=2.31",
    )
    assert rows(sdist_changes(tmp_path, old, new)) == [
        ("Version", "changed", "1.0", "1.1", None),
        ("Requires-Python", "changed", ">=3.8", ">=3.9", None),
        ("Requires-Dist", "changed", "attrs>=20.3", "attrs>=22", "specifier"),
        ("Requires-Dist", "changed", "click", 'click; python_version < "4"', "marker"),
        ("Requires-Dist", "removed", "Old_Thing==1.0", None, None),
        ("Requires-Dist", "added", None, "requests[socks]>=2.31", None),
    ]


def test_same_requirement_spelled_differently_is_no_change(tmp_path: Path) -> None:
    changes = sdist_changes(
        tmp_path, ("Requires-Dist: Foo_Bar >=1.0",), ("Requires-Dist: foo-bar>=1.0",)
    )
    assert [c.field for c in changes] == ["Version"]


def test_several_lines_for_one_project(tmp_path: Path) -> None:
    old = (
        "Requires-Dist: numpy>=1.21; python_version < '3.12'",
        "Requires-Dist: numpy>=1.26; python_version >= '3.12'",
    )
    new = (
        "Requires-Dist: numpy>=1.21; python_version < '3.12'",
        "Requires-Dist: numpy>=2.0; python_version >= '3.12'",
    )
    assert rows(sdist_changes(tmp_path, old, new))[1:] == [
        (
            "Requires-Dist",
            "changed",
            'numpy>=1.26; python_version >= "3.12"',
            'numpy>=2.0; python_version >= "3.12"',
            "specifier",
        ),
    ]


def test_lines_of_one_project_pair_by_marker_then_by_request(tmp_path: Path) -> None:
    old = (
        "Requires-Dist: chardet (<5,>=3.0.2) ; extra == 'use_chardet_on_py3'",
        "Requires-Dist: PySocks (!=1.5.7,>=1.5.6) ; extra == 'socks'",
        "Requires-Dist: urllib3[socks]>=1.21; python_version < '3.8'",
        "Requires-Dist: urllib3>=1.21; python_version >= '3.8'",
    )
    new = (
        'Requires-Dist: chardet<6,>=3.0.2; extra == "use-chardet-on-py3"',
        'Requires-Dist: pysocks!=1.5.7,>=1.5.6; extra == "socks"',
        "Requires-Dist: urllib3[socks]>=1.21; python_version < '3.9'",
        "Requires-Dist: urllib3[brotli]>=1.21; python_version >= '3.8'",
    )
    assert rows(sdist_changes(tmp_path, old, new))[1:] == [
        (
            "Requires-Dist",
            "changed",
            'chardet<5,>=3.0.2; extra == "use-chardet-on-py3"',
            'chardet<6,>=3.0.2; extra == "use-chardet-on-py3"',
            "specifier",
        ),
        (
            "Requires-Dist",
            "changed",
            'urllib3>=1.21; python_version >= "3.8"',
            'urllib3[brotli]>=1.21; python_version >= "3.8"',
            "extras",
        ),
        (
            "Requires-Dist",
            "changed",
            'urllib3[socks]>=1.21; python_version < "3.8"',
            'urllib3[socks]>=1.21; python_version < "3.9"',
            "marker",
        ),
    ]


def test_lines_of_one_project_with_the_same_marker_pair_by_extras(tmp_path: Path) -> None:
    old = (
        "Requires-Dist: foo>=1; python_version < '3.12'",
        "Requires-Dist: foo[x]>=1; python_version < '3.12'",
        "Requires-Dist: bar; extra == 'a'",
        "Requires-Dist: bar; extra == 'b'",
        "Requires-Dist: baz>=1",
        "Requires-Dist: baz>=1",
    )
    new = (
        "Requires-Dist: foo[x]<3,>=1; python_version < '3.12'",
        "Requires-Dist: foo>=2; python_version < '3.12'",
        "Requires-Dist: bar; extra == 'b'",
        "Requires-Dist: baz>=1",
    )
    assert rows(sdist_changes(tmp_path, old, new))[1:] == [
        ("Requires-Dist", "removed", 'bar; extra == "a"', None, None),
        (
            "Requires-Dist",
            "changed",
            'foo>=1; python_version < "3.12"',
            'foo>=2; python_version < "3.12"',
            "specifier",
        ),
        (
            "Requires-Dist",
            "changed",
            'foo[x]>=1; python_version < "3.12"',
            'foo[x]<3,>=1; python_version < "3.12"',
            "specifier",
        ),
    ]


def test_requirement_extras_change_is_one_row(tmp_path: Path) -> None:
    changes = sdist_changes(
        tmp_path,
        ("Requires-Dist: requests[Socks_Proxy]>=2",),
        ("Requires-Dist: requests[socks-proxy,security]>=2",),
    )
    assert rows(changes)[1:] == [
        (
            "Requires-Dist",
            "changed",
            "requests[Socks_Proxy]>=2",
            "requests[security,socks-proxy]>=2",
            "extras",
        )
    ]


def test_extras_and_names_compare_canonicalised(tmp_path: Path) -> None:
    for side in ("o", "n"):
        (tmp_path / side).mkdir()
    old = read_archive(
        make_sdist(
            tmp_path / "o",
            "demo",
            "1.0",
            {},
            metadata=("Provides-Extra: use_chardet_on_py3", "Provides-Extra: Socks"),
        )
    )
    new_tree = {
        "PKG-INFO": "Metadata-Version: 2.1\nName: Demo_Pkg\nVersion: 1.0\n"
        "Provides-Extra: use-chardet-on-py3\nProvides-Extra: socks\nProvides-Extra: Brotli\n"
    }
    new = read_archive(make_sdist(tmp_path / "n", "demo", "1.0", new_tree))
    assert rows(compare_metadata(old, new)) == [
        ("Name", "changed", "demo", "Demo_Pkg", None),
        ("Provides-Extra", "added", None, "Brotli", None),
    ]


def test_name_spelling_alone_is_no_change(tmp_path: Path) -> None:
    for side in ("o", "n"):
        (tmp_path / side).mkdir()
    old_tree = {"PKG-INFO": "Metadata-Version: 2.1\nName: Demo_Pkg\nVersion: 1.0\n"}
    new_tree = {"PKG-INFO": "Metadata-Version: 2.1\nName: demo-pkg\nVersion: 1.0\n"}
    old = read_archive(make_sdist(tmp_path / "o", "demo", "1.0", old_tree))
    new = read_archive(make_sdist(tmp_path / "n", "demo", "1.0", new_tree))
    assert compare_metadata(old, new) == []


def test_classifiers_extras_urls_license(tmp_path: Path) -> None:
    old = (
        "Classifier: Programming Language :: Python :: 3.10",
        "Provides-Extra: docs",
        "Project-URL: Source, https://example.org/old",
        "License: MIT",
    )
    new = (
        "Classifier: Programming Language :: Python :: 3.11",
        "Provides-Extra: docs",
        "Provides-Extra: test",
        "Project-URL: Source, https://example.org/new",
        "Project-URL: Docs, https://example.org/docs",
        "License-Expression: MIT",
    )
    assert rows(sdist_changes(tmp_path, old, new))[1:] == [
        ("Provides-Extra", "added", None, "test", None),
        ("Classifier", "removed", "Programming Language :: Python :: 3.10", None, None),
        ("Classifier", "added", None, "Programming Language :: Python :: 3.11", None),
        ("License", "removed", "MIT", None, None),
        ("License-Expression", "added", None, "MIT", None),
        ("Project-URL", "added", None, "https://example.org/docs", "Docs"),
        ("Project-URL", "changed", "https://example.org/old", "https://example.org/new", "Source"),
    ]


def test_description_is_a_diff(tmp_path: Path) -> None:
    for side in ("o", "n"):
        (tmp_path / side).mkdir()
    tree_old = {
        "PKG-INFO": "Metadata-Version: 2.1\nName: demo\nVersion: 1.0\n\n# Demo\n\nOld text.\n"
    }
    tree_new = {
        "PKG-INFO": "Metadata-Version: 2.1\nName: demo\nVersion: 1.1\n\n# Demo\n\nNew text.\n"
    }
    old = read_archive(make_sdist(tmp_path / "o", "demo", "1.0", tree_old))
    new = read_archive(make_sdist(tmp_path / "n", "demo", "1.1", tree_new))
    description = compare_metadata(old, new)[-1]
    assert (description.field, description.change, description.detail) == (
        "Description",
        "changed",
        "+1 −1 lines",
    )
    assert description.diff == (
        "--- a/description\n+++ b/description\n@@ -1,3 +1,3 @@\n # Demo\n \n-Old text.\n+New text.\n"
    )


def test_a_description_given_as_a_header_is_compared_as_written(tmp_path: Path) -> None:
    """Metadata 1.x folds the Description header: its later lines are indented by 8
    columns (setuptools) or by 7 spaces and a ``|``; six 1.17 moved it to the body."""
    for side in ("o", "n"):
        (tmp_path / side).mkdir()
    header = (
        "Metadata-Version: 1.2\nName: demo\nVersion: 1.0\nDescription: # Demo\n"
        "        \n        Old text.\n       |    indented\n        \n        End.\n"
        "Platform: UNKNOWN\n\n"
    )
    body = "Metadata-Version: 2.1\nName: demo\nVersion: 1.1\n\n# Demo\n\nNew text.\n    indented\n\nEnd.\n"
    old = read_archive(make_sdist(tmp_path / "o", "demo", "1.0", {"PKG-INFO": header}))
    new = read_archive(make_sdist(tmp_path / "n", "demo", "1.1", {"PKG-INFO": body}))
    description = next(c for c in compare_metadata(old, new) if c.field == "Description")
    assert description.detail == "+1 −1 lines"
    assert description.diff == (
        "--- a/description\n+++ b/description\n@@ -1,6 +1,6 @@\n # Demo\n \n-Old text.\n"
        "+New text.\n     indented\n \n End.\n"
    )


def test_wheel_tags_and_entry_points(tmp_path: Path) -> None:
    for side in ("o", "n"):
        (tmp_path / side).mkdir()
    old = read_archive(
        make_wheel(
            tmp_path / "o",
            "demo",
            "1.0",
            {},
            tags=("py2.py3-none-any",),
            entry_points="[console_scripts]\ndemo = demo.cli:main\nold = demo.old:main\n",
        )
    )
    new = read_archive(
        make_wheel(
            tmp_path / "n",
            "demo",
            "1.1",
            {},
            tags=("py3-none-any",),
            entry_points="[console_scripts]\ndemo = demo.cli:run\n[demo.plugins]\nX = demo.x\n",
        )
    )
    assert rows(compare_metadata(old, new)) == [
        ("Version", "changed", "1.0", "1.1", None),
        ("WHEEL Tag", "removed", "py2.py3-none-any", None, None),
        ("WHEEL Tag", "added", None, "py3-none-any", None),
        ("entry points [console_scripts]", "changed", "demo.cli:main", "demo.cli:run", "demo"),
        ("entry points [console_scripts]", "removed", "demo.old:main", None, "old"),
        ("entry points [demo.plugins]", "added", None, "demo.x", "X"),
    ]


def test_no_metadata_on_either_side(tmp_path: Path) -> None:
    from .archives import make_zip

    old = read_archive(make_zip(tmp_path / "a.zip", {"x": "1"}))
    new = read_archive(make_zip(tmp_path / "b.zip", {"x": "2"}))
    assert compare_metadata(old, new) == []


def test_requires_txt_when_pkg_info_lists_no_dependencies(tmp_path: Path) -> None:
    for side in ("o", "n"):
        (tmp_path / side).mkdir()
    requires = 'attrs>=20\nplugin=={v}\n\n[docs]\nsphinx\n\n[test:python_version < "3.12"]\ntomli\n'
    old = read_archive(
        make_sdist(
            tmp_path / "o", "demo", "1.0", {"demo.egg-info/requires.txt": requires.format(v="1.0")}
        )
    )
    new = read_archive(
        make_sdist(
            tmp_path / "n",
            "demo",
            "1.1",
            {
                "demo.egg-info/requires.txt": requires.format(v="1.1").replace(
                    "sphinx\n", "sphinx>=7\n"
                )
            },
        )
    )
    assert rows(compare_metadata(old, new))[1:] == [
        ("Requires-Dist (requires.txt)", "changed", "plugin==1.0", "plugin==1.1", "specifier"),
        (
            "Requires-Dist (requires.txt)",
            "changed",
            'sphinx; extra == "docs"',
            'sphinx>=7; extra == "docs"',
            "specifier",
        ),
    ]


def test_requires_txt_and_pkg_info_requirements_compare_as_one_list(tmp_path: Path) -> None:
    """requests 2.31.0 (requires.txt only) -> 2.32.3 (Requires-Dist in PKG-INFO)."""
    for side in ("o", "n"):
        (tmp_path / side).mkdir()
    requires = "idna<4,>=2.5\ncertifi>=2017.4.17\n\n[security]\n\n[use_chardet_on_py3]\nchardet<6\n"
    tree = {"requests.egg-info/requires.txt": requires}
    old = read_archive(make_sdist(tmp_path / "o", "requests", "2.31.0", tree))
    pkg_info = (
        "Requires-Dist: idna<4,>=2.5",
        "Requires-Dist: certifi>=2023",
        "Requires-Dist: chardet<6; extra == 'use-chardet-on-py3'",
    )
    new = read_archive(make_sdist(tmp_path / "n", "requests", "2.32.3", {}, metadata=pkg_info))
    assert rows(compare_metadata(old, new))[1:] == [
        ("Requires-Dist", "changed", "certifi>=2017.4.17", "certifi>=2023", "specifier"),
    ]


def test_a_long_license_text_is_a_diff_of_its_own(tmp_path: Path) -> None:
    """numpy's wheels carry the whole license text in License: never one table cell."""
    from sphinxext.releasediff.archive import read_pair
    from sphinxext.releasediff.compare import compare
    from sphinxext.releasediff.render.text import render_text
    from sphinxext.releasediff.report import build_report
    from sphinxext.releasediff.settings import Settings

    from .archives import make_wheel

    text = "".join(f"Clause {i}: the software is provided as is.\n" for i in range(300))
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    old = make_wheel(tmp_path / "a", "demo", "1.0", {}, metadata=(_license(text),))
    new_text = text.replace("Clause 7:", "Clause seven:")
    new = make_wheel(tmp_path / "b", "demo", "1.1", {}, metadata=(_license(new_text),))
    comparison = compare(*read_pair(old, new))
    (license_change,) = [c for c in comparison.metadata if c.field == "License"]
    assert license_change.old is None
    assert license_change.new is None
    assert license_change.detail == "+1 −1 lines"
    assert license_change.diff is not None
    assert "-        Clause 7: the software is provided as is.\n" in license_change.diff
    assert license_change.diff.startswith("--- a/license\n+++ b/license\n")
    shown = render_text(build_report(comparison, Settings()))
    assert max(len(line) for line in shown.splitlines()) < 200
    assert "\\x0a" not in shown


def _license(text: str) -> str:
    """A multi-line header value, folded as email headers are (RFC 822 continuation lines)."""
    first, *rest = text.rstrip("\n").split("\n")
    return "License: " + first + "".join(f"\n        {line}" for line in rest)


def test_description_past_the_diff_cost_bound_is_not_diffed(tmp_path: Path) -> None:
    for side in ("o", "n"):
        (tmp_path / side).mkdir()
    header = "Metadata-Version: 2.1\nName: demo\nVersion: {}\n\n"
    tree_old = {"PKG-INFO": header.format("1.0") + "x" * 70_000 + "\n"}
    tree_new = {"PKG-INFO": header.format("1.1") + "y" * 70_000 + "\n"}
    old = read_archive(make_sdist(tmp_path / "o", "demo", "1.0", tree_old))
    new = read_archive(make_sdist(tmp_path / "n", "demo", "1.1", tree_new))
    description = compare_metadata(old, new)[-1]
    assert (description.field, description.change, description.diff) == (
        "Description",
        "changed",
        None,
    )
    assert description.detail == (
        "not diffed, a line is longer than 65,536 bytes (minified or generated)"
    )
