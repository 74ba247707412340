"""Which language a person reads: the ``lang`` setting, or Swedish, among the string tables there are.

Its own module because both the string table (:mod:`widgets.core.i18n`) and the number and date
formats (:mod:`widgets.core.formats`) ask it, and the string table shows counts through those
formats: neither of the two imports the other back for the language.
"""

from __future__ import annotations

from widgets.core.resources import package_folder
from widgets.core.setting_env import LANG_ENV, passed

__all__ = ["DEFAULT_LANGUAGE", "STRINGS_DIR", "available_languages", "language"]

DEFAULT_LANGUAGE = "sv"
#: the string tables sit at the package's top, ``widgets/strings/``, where translators find them
STRINGS_DIR = package_folder("widgets") / "strings"


def available_languages() -> list[str]:
    """Languages with a string file, default first."""
    found = sorted(p.stem for p in STRINGS_DIR.glob("*.yml"))
    found.remove(DEFAULT_LANGUAGE)
    return [DEFAULT_LANGUAGE, *found]


def language() -> str:
    """The language asked for by the ``lang`` setting, or Swedish.

    Read from its environment variable without traitlets (``cirkel --help`` shows this
    language and loads no traitlets): ``CirkelSettings.lang`` in :mod:`widgets.core.settings`.
    """
    wanted = (passed(LANG_ENV) or DEFAULT_LANGUAGE).split("_")[0].lower()
    return wanted if (STRINGS_DIR / f"{wanted}.yml").exists() else DEFAULT_LANGUAGE
