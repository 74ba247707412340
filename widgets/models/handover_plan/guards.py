"""The two guards on what a handover plan holds: never a password or a code, and first names at most.

The answer file travels with a submission and is read by a course leader, so both hold in
every free-text field: write where accounts are managed and who has access, never the secret.
"""

from __future__ import annotations

import re
from typing import Literal

from widgets.core.i18n import t

MAX_NAME = 30

# A word that names a secret: lösenord, password, pin-kod, portkod, larmkod, kod ...
_SECRET_WORD = (
    r"(?:lösen(?:ordet|ord|et)?|losen(?:ordet|ord)?|password|passwd|pwd|pw|pin(?:-?kod(?:en)?)?"
    r"|(?:port|larm|dörr|lås)?kod(?:en|ord|ordet)?|passfras(?:en)?|passphrase|code)"
)
# "lösenord: x", "password=x", "pin 1234"
_LABELLED = re.compile(rf"(?<!\w){_SECRET_WORD}\s*(?:[:=]\s*\S|\s+\d{{3,}})", re.IGNORECASE)
# "lösenordet är Sommar24", "koden är 4521", "lösenordet är 'kaka'"
_SAID = re.compile(rf"(?<!\w){_SECRET_WORD}\s+(?:är|blir|is)\s+(\S+)", re.IGNORECASE)
_QUOTES = "\"'”“‘’«»`"
_STRIP = ".,;:!?()[]" + _QUOTES
_SYMBOLS = set("!#$%&*+=?@^_~|\\<>{}[]/")


def _plain_word(token: str) -> bool:
    """A lower-case word with no digits or symbols, as ordinary prose has (``bytt``, ``sparat``)."""
    return token.isalpha() and token == token.lower()


def _generated(token: str) -> bool:
    """A token that looks made to be a secret: long, mixing letters, digits, cases or symbols."""
    if (
        len(token) < 8
        or "://" in token
        or token.lower().startswith("www.")
        or re.fullmatch(r"[^@\s]+@[^@\s]+\.\w+", token)
    ):
        return False
    has_digit = any(c.isdigit() for c in token)
    has_letter = any(c.isalpha() for c in token)
    classes = sum(
        (
            any(c.islower() for c in token),
            any(c.isupper() for c in token),
            has_digit,
            any(c in _SYMBOLS for c in token),
        )
    )
    return (classes >= 3 and has_digit) or (len(token) >= 16 and has_digit and has_letter)


def looks_like_secret(text: str) -> bool:
    """Whether ``text`` seems to hold a password or a code, which must never be saved.

    Catches a secret given a name (``lösenord: ...``, ``koden är 4521``) and a
    token that looks generated (``Sommar2024!``). Writing *where* the accounts
    are managed and *who* has access (``lösenorden finns i partiets
    lösenordshanterare``) passes.
    """
    if not isinstance(text, str) or not text.strip():
        return False
    if _LABELLED.search(text):
        return True
    for match in _SAID.finditer(text):
        word = match.group(1)
        if word[0] in _QUOTES or not _plain_word(word.strip(_STRIP)):
            return True
    return any(_generated(token.strip(_STRIP)) for token in text.split())


def is_first_name(text: str) -> bool:
    """Empty, or one first name (``Eva-Lena`` yes; ``Anna Svensson``, an e-mail or a number no)."""
    text = text.strip()
    if not text:
        return True
    return len(text) <= MAX_NAME and all(part.isalpha() for part in text.split("-"))


FieldKind = Literal["text", "name"]


def refusal(kind: FieldKind, text: str, label: str) -> str | None:
    """Why ``text`` may not be saved in the field ``label``, or ``None`` if it may."""
    if looks_like_secret(text):
        return t("handover.refused.secret", field=label)
    if kind == "name" and not is_first_name(text):
        return t("handover.refused.name", field=label, max=MAX_NAME)
    return None
