"""What makes a learner id safe: the one rule the roster, the course run and the pipeline share.

Its own module so that :mod:`grading.course_runs.run` can check a workspace's id without importing the
roster, which itself reads a run (no import cycle).
"""

from __future__ import annotations

import re

from widgets.core.errors import CirkelError
from widgets.core.i18n import t

__all__ = ["STUDENT_ID", "StudentIdError", "validate_student_id"]

STUDENT_ID = re.compile(r"^[a-z0-9][a-z0-9._-]{0,31}$")


class StudentIdError(CirkelError, ValueError):
    """A learner id that cannot be a username or a folder name; a ``ValueError`` as it always was."""


def validate_student_id(student_id: str) -> str:
    """Return ``student_id`` if it is a safe learner id, else raise ``StudentIdError`` in Swedish."""
    if not isinstance(student_id, str) or not STUDENT_ID.match(student_id):
        raise StudentIdError(t("roster.bad_id", id=student_id))
    return student_id
