"""HandoverPlan: a structured handover of an assignment, with a mentor and planned meetings.

Strategidokumentet, Del 3, "Strategiska planer": we lose knowledge when
elected representatives change; mentorship and structured handovers help.
The checklist (contacts, documents, ongoing matters, the year's calendar,
where accounts are managed) and the wording are content (see
``_handover_model``).

Never a password in the file: every free-text field refuses text that looks
like a password or a code; the field goes back to what it held, a message next
to it says why, and nothing of the refused text is saved. The mentor pairing
takes first names only. Text fields save when the learner leaves the field
(Tab or Enter), not on every key, so a secret is checked whole before it
could be saved in parts.

Public attributes a test or a notebook may drive: ``assignment``,
``item_rows`` (item id -> row with ``note``, ``done``, ``message``),
``new_name``, ``mentor_name``, ``mentor_role``, ``focus``, ``meeting_rows``
(each with ``date``, ``topic``, ``remove``, ``message``),
``add_meeting_button``, ``markdown_button``, ``docx_button``, ``download``;
the methods ``add_meeting``, ``remove_meeting``; the trait ``refused``.

One job per module: ``rows`` (a checklist item's and a meeting's controls) and ``builder``
(:class:`HandoverPlan`).
"""

from __future__ import annotations

from widgets.exercises.handover_plan.builder import HandoverPlan
from widgets.models.handover_plan import Handover, HandoverContent, load_handover_content

__all__ = ["HandoverPlan", "Handover", "HandoverContent", "load_handover_content"]
