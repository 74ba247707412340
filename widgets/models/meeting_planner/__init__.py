"""A planned meeting as data: the content, the plan, its warnings, completeness and export.

Pure Python (no ipywidgets), so ``grading`` can score a saved plan. It follows
strategidokumentet, Del 2, "Varje möte ett genomtänkt möte": purposes
formulated in advance, the social ones included; a meeting that is planned and
led and ends on time; someone who sets the welcoming mood. The practicalities
that decide who can come (a venue everyone can get into, childcare, language)
come from Del 3, "Ett brett ledarskap" and Del 2, "Internfeminism för framtiden".

One job per module: ``content`` (the YAML), ``plan`` (the learner's answers) and ``report``
(the check, completeness, the export's blocks).
"""

from __future__ import annotations

from widgets.models.meeting_planner.content import (
    MAX_ITEM,
    MAX_LENGTH,
    MIN_LENGTH,
    REQUIRED_ROLES,
    STEPS,
    MeetingContent,
    Practicality,
    Role,
    load_meeting_content,
    parse_meeting_content,
)
from widgets.models.meeting_planner.plan import AgendaItem, MeetingPlan, parse_clock
from widgets.models.meeting_planner.report import (
    meeting_blocks,
    meeting_completeness,
    meeting_parts,
    meeting_summary,
    meeting_title,
    meeting_warnings,
)

__all__ = [
    "STEPS",
    "REQUIRED_ROLES",
    "MIN_LENGTH",
    "MAX_LENGTH",
    "MAX_ITEM",
    "Role",
    "Practicality",
    "MeetingContent",
    "load_meeting_content",
    "parse_meeting_content",
    "AgendaItem",
    "MeetingPlan",
    "parse_clock",
    "meeting_warnings",
    "meeting_summary",
    "meeting_parts",
    "meeting_completeness",
    "meeting_title",
    "meeting_blocks",
]
