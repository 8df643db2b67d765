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
    default = _default(option, where)
    if default:
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


def _default(option: Option, where: str) -> str | None:
    """The default as that reader writes it: Python in ``conf.py``, the option's own words
    for the directive and the command; None when saying it would tell nothing (an unset
    value, an empty list, a flag that is off)."""
    if option.default is None or option.default is False or option.default == ():
        return None
    if where == "config":
        return repr(list(option.default)) if option.many else repr(option.default)
    return option.spelled_default()


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_directive("releasediff-options", OptionTable)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
