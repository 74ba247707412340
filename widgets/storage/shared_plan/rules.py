"""The shared plan's fields: their names, the kind of value each holds, and the checks every write passes."""

from __future__ import annotations

import math
import re
import secrets
from typing import Any

from widgets.core.errors import CirkelError
from widgets.core.i18n import t

#: the item lists of a plan, and the fields each item has
ITEM_KINDS: dict[str, tuple[str, ...]] = {
    "goal": ("text", "years"),
    "activity": ("text", "goal", "hours", "cost"),
    "discussion": ("what", "when"),
}
MAX_ITEMS = 12  # as StrategicPlanBuilder: more rows than any branch plan needs
MAX_TEXT = 5000
#: the same person saving the same field again within this many seconds is still
#: typing one text (saved at each pause): the in-between values are kept, marked as drafts
COALESCE_SECONDS = 60.0

ITEM_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}$")
_FIELD = re.compile(r"^(?P<kind>goal|activity|discussion):(?P<item>[a-z0-9][a-z0-9-]{0,39})\.(?P<part>[a-z]+)$")

# kind of value of each field: ("text",), ("int", max), ("float", max), ("ref",)
_PLAIN_FIELDS: dict[str, tuple[Any, ...]] = {
    "perception": ("text",),
    "revisit": ("text",),
    "resources.members": ("int", 100_000),
    "resources.hours": ("float", 100_000),
    "resources.money": ("int", 10**9),
}
_ITEM_FIELDS: dict[tuple[str, str], tuple[Any, ...]] = {
    ("goal", "text"): ("text",),
    ("goal", "years"): ("int", 50),
    ("activity", "text"): ("text",),
    ("activity", "goal"): ("ref",),
    ("activity", "hours"): ("float", 10_000),
    ("activity", "cost"): ("int", 10**8),
    ("discussion", "what"): ("text",),
    ("discussion", "when"): ("text",),
}
#: what a field holds before anyone has written it
DEFAULTS: dict[str, Any] = {"text": "", "int": 0, "float": 0.0, "ref": ""}
_ITEM_DEFAULTS: dict[tuple[str, str], Any] = {("goal", "years"): 3}


class SharedPlanError(CirkelError, ValueError):
    """An edit the shared plan cannot take; the message is plain Swedish."""


def item_field(kind: str, item_id: str, part: str) -> str:
    """The field name of one part of an item: ``goal:<id>.text``."""
    return f"{kind}:{item_id}.{part}"


def field_spec(name: str) -> tuple[tuple[Any, ...], tuple[str, str] | None]:
    """The value kind of field ``name`` and, for an item's field, ``(kind, item_id)``.

    Raises ``SharedPlanError`` for a name the plan does not have.
    """
    if name in _PLAIN_FIELDS:
        return _PLAIN_FIELDS[name], None
    match = _FIELD.match(name)
    spec = _ITEM_FIELDS.get((match["kind"], match["part"])) if match else None
    if match is None or spec is None:
        raise SharedPlanError(t("sharedplan.error.unknown_field", field=name))
    return spec, (match["kind"], match["item"])


def field_default(name: str) -> Any:
    """What a field holds before anyone has written it."""
    spec, owner = field_spec(name)
    if owner is not None:
        part = name.rsplit(".", 1)[1]
        if (owner[0], part) in _ITEM_DEFAULTS:
            return _ITEM_DEFAULTS[(owner[0], part)]
    return DEFAULTS[spec[0]]


def clean_value(name: str, spec: tuple[Any, ...], value: Any) -> Any:
    """The value to store, or ``SharedPlanError`` naming what is wrong."""
    kind = spec[0]
    if kind in ("text", "ref"):
        if not isinstance(value, str):
            raise SharedPlanError(t("sharedplan.error.not_text", field=name))
        return value[:MAX_TEXT]
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise SharedPlanError(t("sharedplan.error.not_number", field=name))
    if not 0 <= value <= spec[1]:
        raise SharedPlanError(t("sharedplan.error.out_of_range", field=name, max=spec[1]))
    if kind == "int":
        if value != int(value):
            raise SharedPlanError(t("sharedplan.error.not_whole", field=name))
        return int(value)
    return float(value)


def new_item_id(kind: str) -> str:
    """An id made on this device: random, so two devices adding at once never collide."""
    return f"{kind[0]}{secrets.token_hex(4)}"


def check_kind(kind: str) -> None:
    """A goal, an activity or a discussion, else ``SharedPlanError``."""
    if kind not in ITEM_KINDS:
        raise SharedPlanError(t("sharedplan.error.bad_kind", kind=kind))


def checked_author(author: str) -> str:
    """Who writes (a hub username), stripped, else ``SharedPlanError``."""
    if not isinstance(author, str) or not author.strip() or len(author) > 80:
        raise SharedPlanError(t("sharedplan.error.no_author"))
    return author.strip()
