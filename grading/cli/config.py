"""``cirkel config``: every Cirkel setting with its help and where it is set, as ``jupyter ... --help-all`` lists.

The listing is read from the configurables themselves (:mod:`widgets.core.settings`), so it
cannot drift from what Cirkel reads. Declaring the command imports no traitlets
(``cirkel --help`` stays light); only running it does.
"""

from __future__ import annotations

import argparse
from typing import Any

from widgets.core.i18n import t

__all__ = ["add_config_command", "command_config", "settings_listing"]


def add_config_command(subparsers: Any) -> None:
    """``cirkel config`` among the command's subcommands."""
    p = subparsers.add_parser("config", help=t("cli.config.help"), description=t("cli.config.help"))
    p.set_defaults(handler=command_config)


def command_config(args: argparse.Namespace) -> int:
    print(settings_listing())
    return 0


def settings_listing() -> str:
    """Each setting as ``Class.name = <type>`` (``c.Class.name`` in a config file), then its help, its default and where it comes from."""
    from traitlets import Integer, List

    from widgets.core.settings import SETTINGS_CLASSES

    lines: list[str] = []
    for cls in SETTINGS_CLASSES:
        lines += [t(f"settings.section.{cls.__name__}"), ""]
        for name, trait in cls.class_traits(config=True).items():
            kind = "integer" if isinstance(trait, Integer) else "list" if isinstance(trait, List) else "text"
            setting = f"{cls.__name__}.{name}"
            lines.append(f"{setting} = <{t(f'settings.type.{kind}')}>")
            lines.append(f"    {trait.help}")
            static = trait.default()
            if static not in (None, "", []):
                lines.append("    " + t("settings.default", value=static))
            env = trait.metadata.get("env")
            lines.append("    " + (t("settings.env", name=env) if env else t("settings.config_file", setting=setting)))
        lines.append("")
    return "\n".join(lines).rstrip()
