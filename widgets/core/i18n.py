"""The one table of UI strings.

Every word a person reads in Cirkel comes from ``strings/<language>.yml``:
Swedish is the default, English is complete, and another language is added by
dropping in one more file. The language is the ``lang`` setting
(:class:`widgets.core.settings.CirkelSettings`, passed in the environment), so a kernel, a Voilà app and the ``cirkel`` command all
speak the same language without passing it around.

A text that counts something has one form per plural category of the language
(``one``/``other`` in Swedish and English), chosen by Babel's CLDR plural rule
from the ``count`` value: "1 modul", "2 moduler".
"""

from __future__ import annotations

import functools
import string
from typing import Any

import yaml

from widgets.core.language import DEFAULT_LANGUAGE, STRINGS_DIR, available_languages, language

__all__ = ["t", "language", "available_languages", "strings_for", "plural_category", "SAFE_LOADER", "yaml_data"]

#: the value that chooses a counted text's form (``t("cli.release.done", count=3)``)
COUNT = "count"

#: libyaml's safe loader when PyYAML has it (the same data, about ten times faster),
#: for every YAML file Cirkel reads: the string tables here, course content in ``widgets.models.content``
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def yaml_data(text: str) -> Any:
    """``yaml.safe_load`` with :data:`SAFE_LOADER`: the same data from the same text."""
    return yaml.load(text, Loader=SAFE_LOADER)


@functools.cache
def strings_for(lang: str) -> dict[str, str | dict[str, str]]:
    """The flat key -> text table of one language; a counted text is a plural category -> text mapping."""
    # ~1,400 keys, which every ``cirkel`` command and every kernel reads once at start-up
    with open(STRINGS_DIR / f"{lang}.yml", encoding="utf-8") as fh:
        table = yaml.load(fh, Loader=SAFE_LOADER) or {}
    return {
        str(k): {str(form): str(text) for form, text in v.items()} if isinstance(v, dict) else str(v)
        for k, v in table.items()
    }


@functools.cache
def _plural_rule(lang: str):
    from babel import Locale  # only when a counted text is shown: the ``cirkel`` command starts without it

    return Locale.parse(lang).plural_form


def plural_category(count: float, lang: str | None = None) -> str:
    """The CLDR plural category of ``count`` in ``lang`` (``"one"`` or ``"other"`` in Swedish)."""
    return _plural_rule(lang or language())(abs(count))


def t(key: str, /, lang: str | None = None, **values: object) -> str:
    """Translate ``key`` and fill in ``{placeholders}`` from ``values``.

    A key missing from the chosen language falls back to Swedish; a key missing
    from Swedish too is a programming error and raises ``KeyError`` so that
    tests catch it rather than a learner seeing a bare key.

    A counted text (a mapping of plural forms) takes its form from ``count``
    (a number; it is shown grouped as the language writes numbers), or the
    ``other`` form when the category has no text of its own.
    """
    lang = lang or language()
    table = strings_for(lang)
    text = table.get(key)
    if text is None:
        lang = DEFAULT_LANGUAGE
        text = strings_for(lang)[key]
    if isinstance(text, dict):
        count = values.get(COUNT)
        if not isinstance(count, int | float):
            raise TypeError(f"{key} counts something: give count= a number")
        text = text.get(plural_category(count, lang)) or text["other"]
        from widgets.core.formats import format_number  # Babel's grouping: "1 200 moduler"

        values = {**values, COUNT: format_number(count, lang=lang)}
    return _fill(text, values) if values else text


_SENTENCE_END = (".", "!", "?", "…")


def _fill(text: str, values: dict[str, object]) -> str:
    """``text.format(**values)``, but a value that ends a sentence takes the place of the full stop after it.

    An answer option "Alla i styrelsen." in "Ditt svar: {answer}." reads "Ditt svar: Alla i styrelsen.",
    not with two full stops.
    """
    formatter = string.Formatter()
    out: list[str] = []
    ended = False
    for literal, field, spec, conversion in formatter.parse(text):
        if ended and literal.startswith(".") and not literal.startswith(".."):
            literal = literal[1:]
        out.append(literal)
        ended = False
        if field is not None:
            value, _ = formatter.get_field(field, (), values)
            shown = formatter.format_field(formatter.convert_field(value, conversion), spec or "")
            out.append(shown)
            ended = shown.rstrip().endswith(_SENTENCE_END) and shown == shown.rstrip()
    return "".join(out)
