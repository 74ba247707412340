"""The circle's consent in the module's talarstatistik exercise: which categories it may count, kept in its answers.

The same rule as live talarstatistik (``widgets.storage.speaker_consent``): a person's
gender, and that they spoke at a party's study circle, are personal data, so
gender is tallied only after the circle has agreed, on a day the answer file
keeps. Until then every contribution is counted under one anonymous category
("Inlägg": turns and speaking time). After consent the content's categories
appear and what was counted before stays apart as "Utan kön". Withdrawing
sums every category into the anonymous count, so nothing by gender is left.
Pure Python (no ipywidgets), so ``grading`` can read it too.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

from widgets.core.i18n import t
from widgets.models.speaker_stats import ANONYMOUS_ID, Category, SpeakerSettings, Tally

__all__ = [
    "agreed_date",
    "consent_from_json",
    "consent_to_json",
    "counted_settings",
    "every_category",
    "anonymous_tally",
    "by_gender",
]


def agreed_date(value: Any, today: dt.date) -> dt.date:
    """The day the circle agreed, from what the leader entered; ``ValueError`` in plain Swedish otherwise.

    Shared with live talarstatistik (``widgets.storage.speaker_consent``); kept here, free of SQLAlchemy,
    so a module page that shows the exercise does not load the live store.
    """
    if isinstance(value, dt.datetime):
        value = value.date()
    if not isinstance(value, dt.date):
        text = str(value or "").strip()
        if not text:
            raise ValueError(t("livespeaker.consent.no_date"))
        try:
            value = dt.date.fromisoformat(text)
        except ValueError:
            raise ValueError(t("livespeaker.consent.bad_date", value=text)) from None
    if value > today:
        raise ValueError(t("livespeaker.consent.future_date", date=value.isoformat()))
    return value


def consent_from_json(data: Any) -> dt.date | None:
    """The day the circle agreed, from saved answers; ``None`` without a readable consent (never raises)."""
    consent = data.get("consent") if isinstance(data, dict) else None
    agreed = consent.get("agreed_on") if isinstance(consent, dict) else None
    try:
        return dt.date.fromisoformat(agreed) if isinstance(agreed, str) else None
    except ValueError:
        return None


def consent_to_json(agreed_on: dt.date | None) -> dict[str, str] | None:
    return {"agreed_on": agreed_on.isoformat()} if agreed_on is not None else None


def counted_settings(content: SpeakerSettings, consented: bool, tally: Tally | None = None) -> SpeakerSettings:
    """The categories the exercise counts now.

    Without consent: the anonymous category only. With it: the content's
    categories, and the anonymous one (apart from the shares) while it holds
    contributions counted before the circle agreed.
    """
    if not consented:
        anonymous = Category(id=ANONYMOUS_ID, label=t("livespeaker.consent.anonymous_label"))
        return replace(content, categories=(anonymous,))
    kept = tally is not None and (
        tally.counts.get(ANONYMOUS_ID, 0) > 0
        or tally.seconds.get(ANONYMOUS_ID, 0.0) > 0
        or tally.running == ANONYMOUS_ID
    )
    return every_category(content) if kept else content


def every_category(content: SpeakerSettings) -> SpeakerSettings:
    """The content's categories and the anonymous one apart: all an answer file may hold."""
    if ANONYMOUS_ID in content.ids:
        return content
    before = Category(id=ANONYMOUS_ID, label=t("speaker_stats.consent.before_label"), apart=True)
    return replace(content, categories=(*content.categories, before))


def by_gender(tally: Tally) -> bool:
    """Whether the tally holds anything outside the anonymous category."""
    return any(
        value
        for tallied in (tally.counts, tally.seconds)
        for category, value in tallied.items()
        if category != ANONYMOUS_ID
    ) or tally.running not in ("", ANONYMOUS_ID)


def anonymous_tally(tally: Tally) -> Tally:
    """The tally with every category summed into the anonymous one: nothing by gender is left.

    A running contribution keeps running, as an anonymous one.
    """
    folded = Tally(
        counts={ANONYMOUS_ID: sum(tally.counts.values())},
        seconds={ANONYMOUS_ID: sum(tally.seconds.values())},
    )
    if tally.running:
        folded.running, folded.started = ANONYMOUS_ID, tally.started
    return folded
