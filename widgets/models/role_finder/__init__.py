"""Rollsökaren: a member's interests, skills and time suggest roles in the branch. No ipywidgets.

From strategidokumentet, Del 2, "Roligt och effektivt arbete": a good branch
starts from its members' knowledge and interests ("Finns det en fotograf och en
som är bra på skolfrågor ..."), the board keeps an eye on what members can do,
and one way to be active is to be the link between the party and the places
where people gather. The lists and the roles are YAML content; here are the
validation, the ranking with its reasons, the privacy rules for the note, the
completeness the grading check counts, and the Markdown and DOCX exports.

Saved answers::

    {"interests": ["skola"], "skills": ["foto"], "time": "nagra-timmar",
     "first_name": "Kim", "note": "..."}

The note to the board carries no more personal data than a first name the
learner chooses to write: contact details and identity numbers in the note,
or more than a first name in the name field, are named as problems and block
the export until removed.

One job per module: ``content`` (the YAML), ``choices`` (the member's answers, the suggested
roles, completeness), ``privacy`` (what the note may not carry) and ``exports``.
"""

from __future__ import annotations

from widgets.models.role_finder.choices import (
    MAX_NAME,
    MAX_NOTE,
    MemberChoices,
    Suggestion,
    reason_text,
    role_completeness,
    role_parts,
    suggest_roles,
)
from widgets.models.role_finder.content import (
    Option,
    Role,
    RoleContent,
    TimeChoice,
    load_role_content,
    parse_role_content,
)
from widgets.models.role_finder.exports import note_docx_bytes, note_markdown
from widgets.models.role_finder.privacy import PrivacyProblem, privacy_problems

__all__ = [
    "Option",
    "TimeChoice",
    "Role",
    "RoleContent",
    "MemberChoices",
    "Suggestion",
    "PrivacyProblem",
    "load_role_content",
    "parse_role_content",
    "suggest_roles",
    "reason_text",
    "privacy_problems",
    "role_parts",
    "role_completeness",
    "note_markdown",
    "note_docx_bytes",
    "MAX_NAME",
    "MAX_NOTE",
]
