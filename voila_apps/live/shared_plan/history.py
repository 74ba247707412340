"""How the shared plan's history reads: who changed which field when, and what it said before."""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Callable, Mapping

from widgets.core.formats import format_datetime, format_day, format_time
from widgets.core.i18n import t
from widgets.core.safe_text import text_html
from widgets.storage.shared_plan import HistoryEntry

#: how many earlier values the page shows
HISTORY_SHOWN = 30

_PLAIN_FIELDS = {
    "perception": "plan.perception_label",
    "revisit": "plan.revisit_label",
    "resources.members": "plan.members",
    "resources.hours": "plan.hours",
    "resources.money": "plan.money",
}
_ITEM_PARTS = {
    "years": "plan.goal_years",
    "goal": "plan.activity_goal",
    "hours": "plan.activity_hours",
    "cost": "plan.activity_cost",
    "when": "plan.discussion_when",
}


def when(seconds: float) -> str:
    """When a row was changed, in Stockholm's time: the time of day if today, else the day too."""
    moment = dt.datetime.fromtimestamp(seconds, dt.UTC)
    if format_day(moment) == format_day(dt.datetime.now(dt.UTC)):
        return format_time(moment)
    return format_datetime(moment)


def field_label(name: str, order: Mapping[str, tuple[str, ...]]) -> str:
    """How a person names a field: ``Mål 2``, ``Aktivitet 1: timmar i månaden`` (``order``: the items shown)."""
    if name in _PLAIN_FIELDS:
        return t(_PLAIN_FIELDS[name])
    kind, rest = name.split(":", 1)
    item_id, _, part = rest.partition(".")
    ids = order.get(kind, ())
    if item_id in ids:
        thing = t(f"sharedplan.item_{kind}", number=ids.index(item_id) + 1)
    else:
        thing = t(f"sharedplan.item_{kind}_removed")
    part_key = _ITEM_PARTS.get(part)
    return t("sharedplan.field_part", item=thing, part=t(part_key)) if part_key else thing


def history_line(entry: HistoryEntry, name: Callable[[str], str], order: Mapping[str, tuple[str, ...]]) -> str:
    """One earlier value as HTML, everything a person wrote escaped (``name``: a display name by username)."""
    shown_when = html.escape(when(entry.replaced_at))
    who = text_html(name(entry.replaced_by))
    if entry.event == "removed":
        kind = entry.field.split(":", 1)[0]
        text = entry.value.get("text") or entry.value.get("what") or "" if isinstance(entry.value, dict) else ""
        return text_html(
            t(
                f"sharedplan.history_removed_{kind}",
                who=name(entry.replaced_by),
                text=" ".join(str(text).split()) or t("plan.unnamed_goal"),
                when=when(entry.replaced_at),
            )
        )
    key = "sharedplan.history_conflict" if entry.conflict else "sharedplan.history_changed"
    line = t(
        key,
        who="\x00who\x00",
        field=field_label(entry.field, order),
        when="\x00when\x00",
        author=name(entry.author),
        written=when(entry.written_at),
    )
    line = text_html(line).replace("\x00who\x00", f"<strong>{who}</strong>").replace("\x00when\x00", shown_when)
    value = entry.value
    shown = (" ".join(value.split()) if isinstance(value, str) else str(value)) or t("sharedplan.history_blank")
    return f"{line} <q>{text_html(shown)}</q>"


def history_html(entries: list[HistoryEntry], name: Callable[[str], str], order: Mapping[str, tuple[str, ...]]) -> str:
    """The history section's content, newest first."""
    if not entries:
        return f"<p>{html.escape(t('sharedplan.history_empty'))}</p>"
    lines = "".join(f"<li>{history_line(entry, name, order)}</li>" for entry in entries)
    return f"<p>{html.escape(t('sharedplan.history_intro'))}</p><ul>{lines}</ul>"
