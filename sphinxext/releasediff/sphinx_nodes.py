"""Sphinx glue for HTML: each file's diff as a collapsible ``<details>`` block.

The renderer emits standard nodes only; for the HTML builders a
post-transform turns each file container into :class:`diff_details` with a
:class:`diff_summary` title. Every other builder (LaTeX, text, man, epub)
prints the container as it is.
"""

from __future__ import annotations

from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util.docutils import SphinxTranslator

from .render.nodes import FILE_CLASS, FILE_COLLAPSED_CLASS, FILE_TITLE_CLASS

__all__ = ["HtmlDetails", "diff_details", "diff_summary", "setup"]

_HTML_BUILDERS = ("html", "dirhtml", "singlehtml")


class diff_details(nodes.General, nodes.Element):  # noqa: N801 (docutils node naming)
    """A collapsible block: ``<details>`` in HTML."""


class diff_summary(nodes.General, nodes.TextElement):  # noqa: N801
    """The always-visible title of a :class:`diff_details`."""


class HtmlDetails(SphinxPostTransform):
    """For HTML builders, each file's container becomes ``<details>``, its title ``<summary>``."""

    default_priority = 200

    def is_supported(self) -> bool:
        # Sphinx 9 knows the builder class on the environment; before, on the app.
        builder = getattr(self.env, "_builder_cls", None) or self.app.builder
        return builder.name in _HTML_BUILDERS

    def run(self, **kwargs: Any) -> None:
        for container in list(self.document.findall(nodes.container)):
            if FILE_CLASS in container["classes"]:
                container.replace_self(_details(container))


def _details(container: nodes.container) -> diff_details:
    collapsed = FILE_COLLAPSED_CLASS in container["classes"]
    # replace_self() copies the container's classes onto the new node: drop ours first.
    container["classes"] = [name for name in container["classes"] if name != FILE_COLLAPSED_CLASS]
    details = diff_details(ids=container["ids"], classes=container["classes"], open=not collapsed)
    for child in container.children:
        if isinstance(child, nodes.paragraph) and FILE_TITLE_CLASS in child["classes"]:
            summary = diff_summary()
            for strong in child.children:
                summary.extend(strong.children if isinstance(strong, nodes.strong) else [strong])
            details += summary
        else:
            details += child
    return details


def visit_diff_details(translator: SphinxTranslator, node: diff_details) -> None:
    attributes = {"open": "open"} if node.get("open") else {}
    translator.body.append(translator.starttag(node, "details", **attributes))  # type: ignore[attr-defined]


def depart_diff_details(translator: SphinxTranslator, node: diff_details) -> None:
    translator.body.append("</details>\n")  # type: ignore[attr-defined]


def visit_diff_summary(translator: SphinxTranslator, node: diff_summary) -> None:
    translator.body.append(translator.starttag(node, "summary", suffix=""))  # type: ignore[attr-defined]


def depart_diff_summary(translator: SphinxTranslator, node: diff_summary) -> None:
    translator.body.append("</summary>\n")  # type: ignore[attr-defined]


def setup(app: Sphinx) -> None:
    app.add_node(diff_details, html=(visit_diff_details, depart_diff_details))
    app.add_node(diff_summary, html=(visit_diff_summary, depart_diff_summary))
    app.add_post_transform(HtmlDetails)
