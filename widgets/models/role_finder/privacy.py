"""The note to the board carries no more personal data than a first name: what to remove before it goes."""

from __future__ import annotations

import re
from dataclasses import dataclass

from widgets.core.i18n import t
from widgets.models.role_finder.choices import MemberChoices

_FIRST_NAME = re.compile(r"^[^\W\d_]+(?:[-'’][^\W\d_]+)*$")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_ID_NUMBER = re.compile(r"(?<!\d)(?:19|20)?\d{6}[-+ ]?\d{4}(?!\d)")
_PHONE = re.compile(r"(?<![\w])(?:\+|0)\d(?:[\s-]?\d){6,}(?!\d)")


@dataclass(frozen=True)
class PrivacyProblem:
    """Personal data the note should not carry: a stable ``code`` and a message for people."""

    code: str
    message: str


def privacy_problems(choices: MemberChoices) -> list[PrivacyProblem]:
    """What to remove before the note may go to the board."""
    found: list[PrivacyProblem] = []
    name = choices.first_name.strip()
    if name and not _FIRST_NAME.match(name):
        found.append(PrivacyProblem("name", t("rolefinder.privacy.name")))
    note = choices.note
    if _EMAIL.search(note):
        found.append(PrivacyProblem("email", t("rolefinder.privacy.email")))
    if _ID_NUMBER.search(note):
        found.append(PrivacyProblem("id_number", t("rolefinder.privacy.id_number")))
    elif _PHONE.search(note):
        found.append(PrivacyProblem("phone", t("rolefinder.privacy.phone")))
    return found
