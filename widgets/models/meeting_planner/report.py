"""What a meeting plan still lacks, how complete it is, and the kallelse and dagordning as blocks."""

from __future__ import annotations

import datetime as _dt

from widgets.core.i18n import t
from widgets.core.numbers import share_done
from widgets.models.builder import Block, BuilderWarning, one_line
from widgets.models.meeting_planner.content import REQUIRED_ROLES, MeetingContent
from widgets.models.meeting_planner.plan import MeetingPlan, clock_text


def meeting_warnings(plan: MeetingPlan, content: MeetingContent) -> list[BuilderWarning]:
    """What to look over, as the document asks of a well-thought-through meeting."""
    found: list[BuilderWarning] = []
    if not plan.political.strip():
        found.append(BuilderWarning("no_political_purpose", t("meetingplan.warn.no_political_purpose")))
    if not plan.social.strip():
        found.append(BuilderWarning("no_social_purpose", t("meetingplan.warn.no_social_purpose")))
    if not plan.named_items():
        found.append(BuilderWarning("no_agenda", t("meetingplan.warn.no_agenda")))
    for number, item in enumerate(plan.agenda, start=1):
        if item.title.strip() and item.minutes == 0:
            found.append(
                BuilderWarning(
                    "zero_minutes", t("meetingplan.warn.zero_minutes", number=number, title=one_line(item.title))
                )
            )
    minutes = plan.agenda_minutes()
    if minutes > plan.length:
        found.append(
            BuilderWarning(
                "over_time",
                t("meetingplan.warn.over_time", minutes=minutes, length=plan.length, count=minutes - plan.length),
            )
        )
    if not plan.has_role("welcome"):
        found.append(BuilderWarning("no_welcome", t("meetingplan.warn.no_welcome", role=content.role("welcome").label)))
    return found


def meeting_summary(plan: MeetingPlan) -> str:
    """``Dagordningen tar 95 av 120 minuter. Mötet börjar 18:30 och slutar 20:30.``"""
    text = t("meetingplan.summary.minutes", minutes=plan.agenda_minutes(), count=plan.length)
    start, end = plan.start_time(), plan.end_time()
    if start is not None and end is not None:
        text += " " + t("meetingplan.summary.times", start=clock_text(start), end=clock_text(end))
    return text


def meeting_parts(plan: MeetingPlan, content: MeetingContent) -> dict[str, bool]:
    """Which parts of the plan are done."""
    items = plan.named_items()
    return {
        "when": bool(plan.name.strip() and plan.date and plan.start_time() is not None),
        "political": bool(plan.political.strip()),
        "social": bool(plan.social.strip()),
        "agenda": bool(items) and all(item.minutes > 0 for item in items),
        "fits": bool(items) and plan.agenda_minutes() <= plan.length,
        "roles": all(plan.has_role(role_id) for role_id in REQUIRED_ROLES),
        "practical": any(plan.practical.values()) or bool(plan.practical_note.strip()),
    }


def meeting_completeness(plan: MeetingPlan, content: MeetingContent) -> float:
    """Share of the parts done, 0 to 1."""
    parts = meeting_parts(plan, content)
    return share_done(parts)


def meeting_title(plan: MeetingPlan) -> str:
    return t("meetingplan.export.title", name=one_line(plan.name) or t("meetingplan.export.unnamed"))


def meeting_blocks(plan: MeetingPlan, content: MeetingContent) -> list[Block]:
    """The notice and the agenda, as blocks for Markdown and Word."""
    empty = t("builders.export.empty")
    blocks: list[Block] = [Block("heading", t("meetingplan.export.notice"))]
    name = one_line(plan.name) or t("meetingplan.export.unnamed")
    blocks.append(Block("para", t("meetingplan.export.welcome", name=name)))
    start, end = plan.start_time(), plan.end_time()
    when = plan.date or empty
    if start is not None and end is not None:
        when = t("meetingplan.export.when_times", date=plan.date or empty, start=clock_text(start), end=clock_text(end))
    facts = [
        t("meetingplan.export.when", when=when),
        t("meetingplan.export.where", place=one_line(plan.place) or empty),
    ]
    if plan.has_role("welcome"):
        facts.append(
            t(
                "meetingplan.export.welcomed_by",
                role=content.role("welcome").label,
                name=one_line(plan.roles["welcome"]),
            )
        )
    blocks.append(Block("bullets", items=tuple(facts)))

    blocks.append(Block("heading", t("meetingplan.export.purposes"), level=2))
    blocks.append(Block("para", t("meetingplan.export.political", text=one_line(plan.political) or empty)))
    blocks.append(Block("para", t("meetingplan.export.social", text=one_line(plan.social) or empty)))

    blocks.append(Block("heading", t("meetingplan.export.practical"), level=2))
    practical = [p.notice or p.label for p in content.practicalities if plan.practical.get(p.id)]
    if plan.practical_note.strip():
        practical.append(one_line(plan.practical_note))
    blocks.append(Block("bullets", items=tuple(practical)) if practical else Block("para", empty))

    blocks.append(Block("heading", t("meetingplan.export.agenda")))
    items = plan.named_items()
    if items:
        header = (
            t("meetingplan.export.col_number"),
            t("meetingplan.export.col_time"),
            t("meetingplan.export.col_item"),
            t("meetingplan.export.col_minutes"),
        )
        rows: list[tuple[str, ...]] = [header]
        clock = _dt.datetime.combine(_dt.date(2000, 1, 1), start) if start is not None else None
        for number, item in enumerate(items, start=1):
            at = clock_text(clock.time()) if clock is not None else "–"
            rows.append((str(number), at, one_line(item.title), str(item.minutes)))
            if clock is not None:
                clock += _dt.timedelta(minutes=item.minutes)
        blocks.append(Block("table", rows=tuple(rows)))
    else:
        blocks.append(Block("para", empty))
    blocks.append(Block("para", meeting_summary(plan)))

    blocks.append(Block("heading", t("meetingplan.export.roles"), level=2))
    blocks.append(
        Block("bullets", items=tuple(f"{r.label}: {one_line(plan.roles.get(r.id, '')) or '–'}" for r in content.roles))
    )
    if content.head.source:
        blocks.append(Block("note", t("builders.export.source", source=content.head.source)))
    return blocks
