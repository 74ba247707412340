"""The circle's consent to talarstatistik by gender: its table, and the anonymous counting used without it.

Strategidokumentet (Del 2, "Internfeminism för framtiden") counts talarstatistik
on meetings among the internal-feminist work the party shall continue. But a
person's gender, and that they spoke at a party's study circle, are personal
data (a political opinion shows through). So gender is tallied only after the
circle has agreed, which the cirkelledare records with the date. Until then a
session counts every contribution under one anonymous category (turns and
speaking time, no gender); names are never kept either way. Withdrawing the
consent deletes the gender tallies: they are folded into the anonymous count.
Pure Python and SQLAlchemy Core, no ipywidgets.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Column, Float, String, Table

from widgets.core.i18n import t
from widgets.models.speaker_stats import ANONYMOUS_ID
from widgets.models.speaker_stats_consent import agreed_date
from widgets.storage.live_db import BLANK, METADATA, PERSON

__all__ = ["CONSENTS", "ANONYMOUS_ID", "Consent", "anonymous_settings", "is_anonymous", "agreed_date"]


CONSENTS = Table(
    "livespeaker_consents",
    METADATA,
    Column("circle_id", String(40), primary_key=True),
    # the day the circle agreed (ISO date), as the cirkelledare entered it
    Column("agreed_on", String(10), nullable=False),
    # who recorded it (the cirkelledare or a course leader): blanked when that person is erased
    Column("recorded_by", String(100), nullable=False, info={PERSON: BLANK}),
    Column("recorded_at", Float, nullable=False),
)


@dataclass(frozen=True)
class Consent:
    """That a circle agreed to talarstatistik by gender, on which day, recorded by whom."""

    circle_id: str
    agreed_on: dt.date
    recorded_by: str
    recorded_at: float


def anonymous_settings(raw: dict[str, Any]) -> dict[str, Any]:
    """The content's talarstatistik with its categories replaced by one anonymous category."""
    kept: dict[str, Any] = {k: raw[k] for k in ("title", "source", "min_contributions", "max_minutes") if k in raw}
    kept["intro"] = t("livespeaker.consent.anonymous_intro")
    kept["categories"] = [{"id": ANONYMOUS_ID, "label": t("livespeaker.consent.anonymous_label")}]
    return kept


def is_anonymous(category_ids: tuple[str, ...]) -> bool:
    """Whether a session's categories are the anonymous one only (kept without consent)."""
    return category_ids == (ANONYMOUS_ID,)
