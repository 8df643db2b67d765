"""Sphinx glue for the heavy sections: one node for the API and files tables, diffs, listing.

A large release has thousands of changed files; as docutils nodes they would
be tens of thousands that every transform walks and every pickle stores. The
directive puts them in one :class:`release_diff_body` holding the report's
sections. HTML builders write it with :mod:`.render.html` (``<details>`` per
file); for every other builder a post-transform replaces it with the standard
nodes of :mod:`.render.nodes` before anything else looks at it.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util.docutils import SphinxTranslator

from .render.html import breakable_code, render_html_sections
from .render.nodes import breakable_literal, section_nodes
from .report import ApiSection, Section

__all__ = ["ExpandBodies", "release_diff_body", "setup"]

HTML_BUILDERS = ("html", "dirhtml", "singlehtml")


class release_diff_body(nodes.General, nodes.Element):  # noqa: N801 (docutils node naming)
    """The API, files, diffs and listing of one release diff; ``sections`` holds them.

    Its only child is a text of the words the search index should find (the API
    table's); no writer shows it. Paths and diffs stay out of the index, which
    they would fill with every token of the code.
    """

    @classmethod
    def of(cls, sections: Sequence[Section]) -> release_diff_body:
        body = cls(sections=tuple(sections))
        words = " ".join(_searched_words(sections))
        if words:
            body += nodes.Text(words)
        return body

    def pformat(self, indent: str = "    ", level: int = 0) -> str:
        """In pseudo-XML and doctree dumps: the section names, then each section's fields."""
        names = " ".join(section.name for section in self["sections"])
        lines = [f'{indent * level}<release_diff_body sections="{names}">']
        lines.extend(f"{indent * (level + 1)}{section!r}" for section in self["sections"])
        return "\n".join(lines) + "\n"


def _searched_words(sections: Sequence[Section]) -> Iterator[str]:
    """The API table's text, as its nodes would give it to the search index."""
    for section in sections:
        if not isinstance(section, ApiSection):
            continue
        yield section.heading
        if section.patterns:
            yield section.patterns_lead
            yield from section.patterns
        if section.rows:
            yield "change kind name old new"
        else:
            yield section.empty
        for row in section.rows:
            yield f"{row.change}{row.mark} {row.kind} {row.name} {row.old} {row.new}"
        yield from section.notes


class ExpandBodies(SphinxPostTransform):
    """Outside HTML, the body becomes standard nodes (LaTeX, text, man, epub, …)."""

    # Before any other post-transform, so they all see standard nodes.
    default_priority = 5

    def is_supported(self) -> bool:
        # Sphinx 9 knows the builder class on the environment; before, on the app.
        builder = getattr(self.env, "_builder_cls", None) or self.app.builder
        return builder.name not in HTML_BUILDERS

    def run(self, **kwargs: Any) -> None:
        for body in list(self.document.findall(release_diff_body)):
            expanded = [node for section in body["sections"] for node in section_nodes(section)]
            body.replace_self(expanded)


def visit_body(translator: SphinxTranslator, node: release_diff_body) -> None:
    translator.body.append(render_html_sections(node["sections"]))  # type: ignore[attr-defined]
    raise nodes.SkipNode


def visit_breakable(translator: SphinxTranslator, node: breakable_literal) -> None:
    translator.body.append(breakable_code(node.astext()))  # type: ignore[attr-defined]
    raise nodes.SkipNode


def setup(app: Sphinx) -> None:
    app.add_node(release_diff_body, html=(visit_body, None))
    # Other builders' translators take it for the literal it is (Sphinx visits by the MRO).
    app.add_node(breakable_literal, html=(visit_breakable, None))
    app.add_post_transform(ExpandBodies)
