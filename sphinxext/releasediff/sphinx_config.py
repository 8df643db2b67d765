"""Sphinx glue for configuration: ``releasediff_*`` values made from the option table.

Each value is registered with its type and ``rebuild="env"`` (all change the
output), checked on ``config-inited`` by the same parser the directive and the
command use (a bad value warns, with subtype ``config``, and the default is
used), and read into one :class:`~.settings.Settings` snapshot.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.util import logging

from .settings import CONFIG, OPTIONS, OptionError, Settings, config_value, spelled

__all__ = ["confdir_of", "settings_from_config", "setup"]

LOGGER = logging.getLogger(__name__)
_CONFIG_OPTIONS = [option for option in OPTIONS if CONFIG in option.where]
# Kept on the config after checking, so each directive reads it without parsing again.
_SNAPSHOT = "_releasediff_settings"
_CONFDIR = "_releasediff_confdir"


def _types(default: Any, many: bool, optional: bool) -> tuple[type, ...]:
    if many:
        return (list, tuple)
    if optional:
        return (str, type(None))
    if isinstance(default, float):
        return (float, int)
    return (type(default),)


def setup(app: Sphinx) -> None:
    for option in _CONFIG_OPTIONS:
        default = list(option.default) if option.many else option.default
        app.add_config_value(
            option.config_name,
            default,
            "env",
            types=_types(option.default, option.many, option.optional),
        )
    app.connect("config-inited", _check_config)


def _check_config(app: Sphinx, config: Config) -> None:
    """A config value of the wrong type or range: warn, and use the default."""
    values: dict[str, Any] = {}
    for option in _CONFIG_OPTIONS:
        try:
            values[option.name] = config_value(option.name, config[option.config_name])
        except OptionError as exc:
            LOGGER.warning(
                "%s: %s; using the default %s",
                option.config_name,
                exc.reason,
                spelled(option.default),
                type="releasediff",
                subtype="config",
            )
            values[option.name] = option.default
            config[option.config_name] = list(option.default) if option.many else option.default
    values.update(_anchored_folders(app, values))
    settings = Settings(**values)
    config.releasediff_find_links = list(settings.find_links)
    config.releasediff_cache_dir = settings.cache_dir
    setattr(config, _SNAPSHOT, settings)
    setattr(config, _CONFDIR, str(app.confdir))


def _anchored_folders(app: Sphinx, values: dict[str, Any]) -> dict[str, Any]:
    """Folders in the config are relative to the folder of conf.py."""
    confdir = Path(app.confdir)
    cache = values["cache_dir"]
    return {
        "find_links": tuple(str(confdir / folder) for folder in values["find_links"]),
        "cache_dir": str(confdir / cache) if cache else None,
    }


def settings_from_config(config: Config) -> Settings:
    """The checked settings of this build (defaults if the config was never checked)."""
    settings = getattr(config, _SNAPSHOT, None)
    return settings if isinstance(settings, Settings) else Settings()


def confdir_of(config: Config) -> Path | None:
    """The folder of ``conf.py``, which relative config folders start from."""
    confdir = getattr(config, _CONFDIR, None)
    return Path(confdir) if isinstance(confdir, str) else None
