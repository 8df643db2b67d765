"""Every ``release-diff`` snippet in the documentation, built in reST and in MyST.

The snippets are read from ``docs/*.rst`` (live directives and code examples
alike), each written as a reST page and as the equivalent MyST page in a copy
of the documentation project, and the two doctrees must be the same.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

from docutils import nodes

DOCS = Path(__file__).parent.parent / "docs"
_DIRECTIVE = re.compile(r"^(?P<indent> *)\.\. release-diff:: (?P<arguments>.+)$")
_OPTION = re.compile(r"^ +:(?P<name>[\w-]+):(?: (?P<value>.*))?$")
MakeApp = Any


def snippets() -> list[tuple[str, str, list[tuple[str, str]]]]:
    """(where, arguments, options) of each directive in the docs, in file order."""
    found = []
    for page in sorted(DOCS.glob("*.rst")):
        lines = page.read_text(encoding="utf-8").splitlines()
        for number, line in enumerate(lines):
            match = _DIRECTIVE.match(line)
            if not match or match["arguments"].strip() == "OLD NEW":
                continue
            options = []
            for following in lines[number + 1 :]:
                option = _OPTION.match(following)
                if not option or len(following) - len(following.lstrip()) <= len(match["indent"]):
                    break
                options.append((option["name"], option["value"] or ""))
            found.append((f"{page.name}:{number + 1}", match["arguments"].strip(), options))
    return found


def rst_page(arguments: str, options: list[tuple[str, str]]) -> str:
    body = "".join(f"   :{name}: {value}".rstrip() + "\n" for name, value in options)
    return f":orphan:\n\nSnippet\n=======\n\n.. release-diff:: {arguments}\n{body}"


def myst_page(arguments: str, options: list[tuple[str, str]]) -> str:
    body = "".join(f":{name}: {value}".rstrip() + "\n" for name, value in options)
    return f"---\norphan: true\n---\n\n# Snippet\n\n```{{release-diff}} {arguments}\n{body}```\n"


def release_diffs(app: Any, docname: str) -> str:
    doctree = app.env.get_doctree(docname)
    found = [node for node in doctree.findall(nodes.container) if "releasediff" in node["classes"]]
    assert len(found) == 1
    for node in found[0].findall(nodes.Element):
        node.attributes.pop("source", None)
        node.line = None
    return re.sub(r"releasediff-snippet-\d+-(rst|md)-0", "ID", found[0].pformat())


def test_the_docs_hold_snippets() -> None:
    assert len(snippets()) >= 8


def test_each_snippet_gives_the_same_doctree_in_rest_and_myst(
    make_app: MakeApp, tmp_path: Path
) -> None:
    srcdir = tmp_path / "docs"
    shutil.copytree(DOCS, srcdir, ignore=shutil.ignore_patterns("_build", "_archives"))
    # Path arguments of the quick start name a dist/ folder of the reader's own.
    dist = srcdir / "dist"
    cases = snippets()
    for index, (_where, arguments, options) in enumerate(cases):
        (srcdir / f"snippet-{index}-rst.rst").write_text(rst_page(arguments, options))
        (srcdir / f"snippet-{index}-md.md").write_text(myst_page(arguments, options))
    app = make_app("html", srcdir=srcdir)
    shutil.copytree(srcdir / "_archives", dist)
    app.build()
    rendered = 0
    for index, (where, _arguments, _options) in enumerate(cases):
        rst = release_diffs(app, f"snippet-{index}-rst")
        markdown = release_diffs(app, f"snippet-{index}-md")
        assert rst == markdown, where
        # Some snippets name releases of the reader's own (skyline 2.4): a notice, the same.
        rendered += "Release diff not available" not in rst
    assert rendered >= 7
