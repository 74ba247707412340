"""What a handover plan still lacks, how complete it is, and the plan as blocks for Markdown and Word."""

from __future__ import annotations

from widgets.core.i18n import t
from widgets.core.numbers import share_done
from widgets.models.builder import Block, BuilderWarning, one_line
from widgets.models.handover_plan.content import HandoverContent
from widgets.models.handover_plan.plan import Handover


def handover_warnings(plan: Handover, content: HandoverContent) -> list[BuilderWarning]:
    """What is still missing from a structured handover."""
    found: list[BuilderWarning] = []
    if not plan.assignment.strip():
        found.append(BuilderWarning("no_assignment", t("handover.warn.no_assignment")))
    for item in content.checklist:
        if not plan.items[item.id].note.strip():
            found.append(BuilderWarning("item_missing", t("handover.warn.item_missing", label=item.label)))
    if not plan.pairing.mentor_role:
        found.append(BuilderWarning("no_mentor", t("handover.warn.no_mentor")))
    elif not plan.pairing.focus.strip():
        found.append(BuilderWarning("no_focus", t("handover.warn.no_focus")))
    for number, meeting in enumerate(plan.meetings, start=1):
        if meeting.topic.strip() and not meeting.date:
            found.append(BuilderWarning("meeting_without_date", t("handover.warn.meeting_without_date", number=number)))
        if meeting.date and not meeting.topic.strip():
            found.append(
                BuilderWarning("meeting_without_topic", t("handover.warn.meeting_without_topic", number=number))
            )
    count = len(plan.dated_meetings())
    if count < content.min_meetings:
        found.append(
            BuilderWarning("few_meetings", t("handover.warn.few_meetings", count=count, min=content.min_meetings))
        )
    return found


def handover_summary(plan: Handover, content: HandoverContent) -> str:
    """One line: checklist items done, meetings planned."""
    done = sum(1 for item in content.checklist if plan.items[item.id].done)
    return t("handover.summary", done=done, total=len(content.checklist), count=len(plan.dated_meetings()))


def handover_parts(plan: Handover, content: HandoverContent) -> dict[str, bool]:
    """Which parts are done: the assignment, each checklist item, the pairing, the meetings."""
    parts = {"assignment": bool(plan.assignment.strip())}
    for item in content.checklist:
        parts[f"item:{item.id}"] = bool(plan.items[item.id].note.strip())
    parts["mentor"] = bool(plan.pairing.mentor_role and plan.pairing.focus.strip())
    parts["meetings"] = len(plan.dated_meetings()) >= content.min_meetings
    return parts


def handover_completeness(plan: Handover, content: HandoverContent) -> float:
    """The share of the parts done (0-1), for the course's completion."""
    parts = handover_parts(plan, content)
    return share_done(parts)


def handover_title(plan: Handover) -> str:
    """The export's title, naming the assignment."""
    return t("handover.export.title", assignment=one_line(plan.assignment) or t("handover.export.unnamed"))


def handover_blocks(plan: Handover, content: HandoverContent) -> list[Block]:
    """The handover plan as blocks for Markdown and Word."""
    empty = t("builders.export.empty")
    yes = t("handover.export.yes")
    blocks: list[Block] = [
        Block("para", t("handover.export.intro")),
        Block("heading", t("handover.export.checklist")),
        Block(
            "table",
            rows=(
                (t("handover.export.col_what"), t("handover.export.col_how"), t("handover.export.col_done")),
                *(
                    (item.label, one_line(plan.items[item.id].note) or empty, yes if plan.items[item.id].done else "–")
                    for item in content.checklist
                ),
            ),
        ),
        Block("note", t("handover.export.no_secrets")),
        Block("heading", t("handover.export.mentor")),
    ]
    p = plan.pairing
    role = content.mentor_role(p.mentor_role)
    blocks.append(
        Block(
            "bullets",
            items=(
                t("handover.export.new_name", name=one_line(p.new_name) or "–"),
                t("handover.export.mentor_name", name=one_line(p.mentor_name) or "–", role=role.label if role else "–"),
                t("handover.export.focus", focus=one_line(p.focus) or empty),
            ),
        )
    )
    blocks.append(Block("heading", t("handover.export.meetings")))
    meetings = plan.dated_meetings()
    if meetings:
        rows = [(t("handover.export.col_date"), t("handover.export.col_topic"))]
        rows += [(m.date, one_line(m.topic)) for m in meetings]
        blocks.append(Block("table", rows=tuple(rows)))
    else:
        blocks.append(Block("para", empty))
    if content.head.source:
        blocks.append(Block("note", t("builders.export.source", source=content.head.source)))
    return blocks
