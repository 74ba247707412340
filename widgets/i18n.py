"""The one table of UI strings.

Every word a person reads in Cirkel comes from ``strings/<language>.yml``:
Swedish is the default, English is complete, and another language is added by
dropping in one more file. The language is chosen with the ``CIRKEL_LANG``
environment variable, so a kernel, a Voilà app and the ``cirkel`` command all
speak the same language without passing it around.
"""

from __future__ import annotations

import functools
import os
import string
from pathlib import Path

import yaml

__all__ = ["t", "language", "available_languages", "strings_for", "SAFE_LOADER", "yaml_data"]

DEFAULT_LANGUAGE = "sv"
_STRINGS_DIR = Path(__file__).with_name("strings")


def available_languages() -> list[str]:
    """Languages with a string file, default first."""
    found = sorted(p.stem for p in _STRINGS_DIR.glob("*.yml"))
    found.remove(DEFAULT_LANGUAGE)
    return [DEFAULT_LANGUAGE, *found]


def language() -> str:
    """The language asked for by ``CIRKEL_LANG``, or Swedish."""
    wanted = os.environ.get("CIRKEL_LANG", DEFAULT_LANGUAGE).split("_")[0].lower()
    return wanted if (_STRINGS_DIR / f"{wanted}.yml").exists() else DEFAULT_LANGUAGE


#: libyaml's safe loader when PyYAML has it (the same data, about ten times faster),
#: for every YAML file Cirkel reads: the string tables here, course content in ``widgets.content``
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def yaml_data(text: str) -> object:
    """``yaml.safe_load`` with :data:`SAFE_LOADER`: the same data from the same text."""
    return yaml.load(text, Loader=SAFE_LOADER)


@functools.cache
def strings_for(lang: str) -> dict[str, str]:
    """The flat key -> text table of one language."""
    # ~1,400 keys, which every ``cirkel`` command and every kernel reads once at start-up
    with open(_STRINGS_DIR / f"{lang}.yml", encoding="utf-8") as fh:
        table = yaml.load(fh, Loader=SAFE_LOADER) or {}
    return {str(k): str(v) for k, v in table.items()}


def t(key: str, /, lang: str | None = None, **values: object) -> str:
    """Translate ``key`` and fill in ``{placeholders}`` from ``values``.

    A key missing from the chosen language falls back to Swedish; a key missing
    from Swedish too is a programming error and raises ``KeyError`` so that
    tests catch it rather than a learner seeing a bare key.
    """
    lang = lang or language()
    table = strings_for(lang)
    text = table.get(key)
    if text is None:
        text = strings_for(DEFAULT_LANGUAGE)[key]
    return string.Formatter().vformat(text, (), values) if values else text
