"""Import a course run's learners from a CSV roster, all or nothing.

The roster has a header ``id,namn`` (comma or semicolon, UTF-8, as Excel and
LibreOffice save it). Every row is checked before anything is written; if any
row is wrong, each bad row is named with its line number and the reason, and
nothing is imported. Learners become nbgrader students in one transaction: the
id (a JupyterHub-safe user name) and the display name as ``first_name``, and
no other personal data.
"""

from __future__ import annotations

import csv
import io
import os
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from grading.course_runs.student_ids import STUDENT_ID, validate_student_id
from widgets.core.errors import CirkelError
from widgets.core.i18n import t

if TYPE_CHECKING:  # pragma: no cover
    from grading.course_runs.run import CourseRun

__all__ = [
    "Learner",
    "RosterError",
    "ImportResult",
    "read_roster",
    "import_roster",
    "validate_student_id",
    "looks_like_personal_number",
    "has_control_character",
]

MAX_NAME = 100
#: A Swedish personal identity number (personnummer) or co-ordination number, as people write it:
#: YYMMDD-XXXX, YYMMDD+XXXX, YYYYMMDD-XXXX, with or without the dash or a space. Cirkel never
#: stores one (docs/design.md), so a roster cell shaped like one is refused, valid check digit or not.
PERSONAL_NUMBER = re.compile(r"(?<!\d)(?:\d{2})?\d{2}(?:0[1-9]|1[0-2])\d{2}[-+ ]?\d{4}(?!\d)")
#: Unicode categories refused in a roster cell: control characters (tabs, line breaks, escapes),
#: format characters (right-to-left overrides, zero-width spaces), surrogates, private use, unassigned.
_REFUSED_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn"})


def looks_like_personal_number(text: str) -> bool:
    """Whether ``text`` holds something shaped like a personnummer (:data:`PERSONAL_NUMBER`)."""
    return bool(PERSONAL_NUMBER.search(text))


def has_control_character(text: str) -> bool:
    """Whether ``text`` holds a character nobody types in a name (see ``_REFUSED_CATEGORIES``)."""
    return any(unicodedata.category(char) in _REFUSED_CATEGORIES for char in text)


class RosterError(CirkelError):
    """A roster that cannot be imported; ``problems`` lists (line, reason)."""

    def __init__(self, path: str | Path, problems: list[tuple[int, str]]):
        self.path = Path(path)
        self.problems = problems
        lines = [t("roster.bad_file", path=str(path), count=len(problems))]
        lines += [
            t("roster.problem_line", line=line, reason=reason) if line else f"  {reason}" for line, reason in problems
        ]
        lines.append(t("roster.nothing_imported"))
        super().__init__("\n".join(lines))


@dataclass(frozen=True)
class Learner:
    """One roster row: the pseudonymous id and the display name."""

    student_id: str
    name: str
    line: int = 0


@dataclass
class ImportResult:
    """What an import did: ids added and ids whose name was updated."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)


def read_roster(csv_path: str | os.PathLike[str]) -> list[Learner]:
    """Read and check every row; ``RosterError`` naming all bad rows if any is wrong."""
    path = Path(csv_path)
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        raise RosterError(path, [(0, t("roster.missing_file"))]) from None
    except UnicodeDecodeError:
        raise RosterError(path, [(0, t("roster.not_utf8"))]) from None
    lines = text.splitlines()
    if not lines or not lines[0].strip():
        raise RosterError(path, [(1, t("roster.bad_header"))])
    delimiter = ";" if lines[0].count(";") > lines[0].count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = [h.strip().lower() for h in next(reader)]
    if header[:2] != ["id", "namn"] or any(h for h in header[2:]):
        raise RosterError(path, [(1, t("roster.bad_header"))])
    problems: list[tuple[int, str]] = []
    learners: list[Learner] = []
    first_line: dict[str, int] = {}
    previous = reader.line_num
    for row in reader:
        # the record's first line: a quoted cell may run over several (a line break in a name)
        line, previous = previous + 1, reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        if len(row) > 2 and any(cell.strip() for cell in row[2:]):
            problems.append((line, t("roster.too_many_fields")))
            continue
        student_id = row[0].strip() if row else ""
        raw_name = row[1] if len(row) > 1 else ""
        name = " ".join(raw_name.split())
        if looks_like_personal_number(student_id):
            problems.append((line, t("roster.personal_number_id")))
        elif not STUDENT_ID.match(student_id):
            reason = t("roster.empty_id") if not student_id else t("roster.bad_id", id=student_id)
            problems.append((line, reason))
        elif student_id in first_line:
            problems.append((line, t("roster.duplicate", id=student_id, first=first_line[student_id])))
        else:
            first_line[student_id] = line
        if has_control_character(raw_name.strip()):
            problems.append((line, t("roster.control_character")))
        elif looks_like_personal_number(name):
            problems.append((line, t("roster.personal_number_name")))
        elif not name:
            problems.append((line, t("roster.empty_name")))
        elif len(name) > MAX_NAME:
            problems.append((line, t("roster.long_name", max=MAX_NAME)))
        learners.append(Learner(student_id, name, line))
    if problems:
        raise RosterError(path, sorted(problems))
    if not learners:
        raise RosterError(path, [(0, t("roster.empty"))])
    return learners


def import_roster(run: CourseRun, csv_path: str | os.PathLike[str]) -> ImportResult:
    """Import the roster into the run's gradebook in one transaction.

    Existing ids get their name updated; nothing else about them changes.
    """
    from nbgrader.api import Student

    learners = read_roster(csv_path)
    result = ImportResult()
    with run.gradebook() as gb:
        session = gb.db
        try:
            for learner in learners:
                student = session.get(Student, learner.student_id)
                if student is None:
                    session.add(Student(id=learner.student_id, first_name=learner.name))
                    result.added.append(learner.student_id)
                elif student.first_name != learner.name:
                    student.first_name = learner.name
                    result.updated.append(learner.student_id)
                else:
                    result.unchanged.append(learner.student_id)
            session.commit()
        except BaseException:
            session.rollback()
            raise
    return result
