"""``.. releasediff-options:: config|directive|cli`` — the option table, as documentation.

Written from ``sphinxext.releasediff.settings.OPTIONS``, the one declaration
the directive, the config values and the command are made from, so these
pages cannot drift from the code.
"""

from __future__ import annotations

from typing import Any, ClassVar

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective

from sphinxext.releasediff.settings import OPTIONS, Option


class OptionTable(SphinxDirective):
    required_arguments = 1
    option_spec: ClassVar[dict[str, Any]] = {}

    def run(self) -> list[nodes.Node]:
        where = self.arguments[0]
        items = nodes.definition_list()
        for option in OPTIONS:
            if where in option.where:
                items += _item(option, where)
        return [items]


def _item(option: Option, where: str) -> nodes.definition_list_item:
    flag = option.flag if isinstance(option.default, bool) else f"{option.flag} {option.metavar}"
    spelled = {"config": option.config_name, "directive": f":{option.dashed}:", "cli": flag}[where]
    term = nodes.term()
    term += nodes.literal(text=spelled)
    default = repr(list(option.default)) if option.many else repr(option.default)
    term += nodes.Text(f" (default {default})")
    elsewhere = [
        label
        for key, label in (
            ("directive", f":{option.dashed}:"),
            ("config", option.config_name),
            ("cli", option.flag),
        )
        if key in option.where and key != where
    ]
    text = option.help[0].upper() + option.help[1:] + "."
    if elsewhere:
        text += " Also " + ", ".join(elsewhere) + "."
    definition = nodes.definition()
    definition += nodes.paragraph(text=text)
    item = nodes.definition_list_item()
    item += term
    item += definition
    return item


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_directive("releasediff-options", OptionTable)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
