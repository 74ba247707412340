"""A structured handover of an assignment, as data: checklist, mentor pairing, meetings.

Pure Python (no ipywidgets). Strategidokumentet, Del 3, "Strategiska planer"
(its last paragraphs): knowledge and experience are lost when elected
representatives change, so the party should work with mentorship, where those
who have been there long teach the new, and with structured handovers. The
checklist and the wording are content (a YAML file).

Two rules guard what is written, because the answer file travels with a
submission and is read by a course leader: nothing that looks like a password
or a code is ever accepted into any free-text field (write where accounts are
managed and who has access, never the secret itself), and the mentor pairing
holds first names at most.

One job per module: ``content`` (the YAML's wording and checklist), ``guards`` (no secret,
first names only), ``plan`` (the learner's answers) and ``report`` (the check, completeness,
the export's blocks).
"""

from __future__ import annotations

from widgets.models.handover_plan.content import (
    STEPS,
    ChecklistItem,
    HandoverContent,
    MentorRole,
    load_handover_content,
    parse_handover_content,
)
from widgets.models.handover_plan.guards import FieldKind, is_first_name, looks_like_secret, refusal
from widgets.models.handover_plan.plan import Handover, HandoverMeeting, ItemEntry, Pairing, scrub
from widgets.models.handover_plan.report import (
    handover_blocks,
    handover_completeness,
    handover_parts,
    handover_summary,
    handover_title,
    handover_warnings,
)

__all__ = [
    "STEPS",
    "ChecklistItem",
    "MentorRole",
    "HandoverContent",
    "load_handover_content",
    "parse_handover_content",
    "FieldKind",
    "looks_like_secret",
    "is_first_name",
    "refusal",
    "ItemEntry",
    "Pairing",
    "HandoverMeeting",
    "Handover",
    "scrub",
    "handover_warnings",
    "handover_summary",
    "handover_parts",
    "handover_completeness",
    "handover_title",
    "handover_blocks",
]
