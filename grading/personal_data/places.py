"""Where a person's data lies in and around a run: each place found, and which of them hold something.

Every other module of the package asks here: the export copies these places, the erasure empties them.
"""

from __future__ import annotations

import csv
import io
import os
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING, Any

from grading.course_runs import access_log
from grading.personal_data.records import PersonDataError, iso_time
from widgets.core.i18n import t
from widgets.storage.feedback_points import failed_mark_name

if TYPE_CHECKING:  # pragma: no cover
    from grading.course_runs.run import CourseRun


def check_id(student_id: str) -> str:
    from grading.course_runs.roster import validate_student_id

    try:
        return validate_student_id(student_id)
    except ValueError as exc:
        raise PersonDataError(str(exc)) from None


def gradebook_student(run: CourseRun, student_id: str):
    """nbgrader's ``Student`` data as a dict, or ``None``."""
    from nbgrader.api import MissingEntry

    with run.gradebook() as gb:
        try:
            student = gb.find_student(student_id)
        except MissingEntry:
            return None
        return {
            "id": student.id,
            "namn": student.first_name or "",
            "efternamn": student.last_name or "",
            "epost": student.email or "",
            "lms_user_id": student.lms_user_id or "",
        }


def inbound_entries(run: CourseRun, student_id: str) -> list[Path]:
    inbound = run.exchange_root / run.course_id / "inbound"
    if not inbound.is_dir():
        return []
    return sorted(p for p in inbound.iterdir() if p.name.split("+")[0] == student_id)


def run_folders(run: CourseRun, student_id: str) -> dict[str, Path]:
    """The per-learner folders nbgrader keeps in the run."""
    return {name: run.root / name / student_id for name in ("submitted", "autograded", "feedback")}


def released_feedback(run: CourseRun, student_id: str) -> list[Path]:
    """The learner's feedback files in the exchange, found by nbgrader's own hash of their secret.

    With them the grading service's marks of the learner's submissions it could not grade
    (named from the same secrets, :func:`widgets.storage.feedback_points.failed_mark_name`).
    """
    from nbgrader.utils import notebook_hash

    secrets: set[str] = set()
    notebooks: set[str] = set()
    places = [
        run.root / "submitted" / student_id,
        run.root / "feedback" / student_id,
        *inbound_entries(run, student_id),
    ]
    for place in places:
        if not place.is_dir():
            continue
        for secret_file in place.rglob("submission_secret.txt"):
            secrets.add(secret_file.read_text(encoding="utf-8"))
        notebooks |= {p.stem for p in place.rglob("*.ipynb")} | {p.stem for p in place.rglob("*.html")}
    folder = run.exchange_root / run.course_id / "feedback"
    found = []
    for secret in secrets:
        mark = folder / failed_mark_name(secret)
        if mark.is_file():
            found.append(mark)
        for notebook_id in notebooks:
            path = folder / f"{notebook_hash(secret=secret, notebook_id=notebook_id)}.html"
            if path.is_file():
                found.append(path)
    return sorted(set(found))


def workspace_of(run: CourseRun, student_id: str) -> Path:
    return run.workspace(student_id)


def workspace_parts(run: CourseRun, student_id: str) -> list[Path]:
    """What of the learner's workspace belongs to this run.

    A workspace inside the run is the run's alone, and so is ``<home>/<course id>``, the workspace of
    a run whose home another run's learner file names. A workspace elsewhere (the hub home, shared
    by every run the person takes) holds this run's part in ``<course id>/``, nbgrader's cache of it
    and the learner file naming it.
    """
    from grading.course_runs.run import LEARNER_FILE, home_course

    workspace = workspace_of(run, student_id)
    if workspace.is_relative_to(run.root):
        return [workspace] if workspace.exists() else []
    if workspace.name == run.course_id and home_course(workspace.parent) not in (None, run.course_id):
        # the run's own workspace in a home another run's learner file names (``own_workspace``)
        return [workspace] if workspace.exists() else []
    parts = [workspace / run.course_id, workspace / ".nbgrader-cache" / run.course_id]
    if home_course(workspace) == run.course_id:
        parts.append(workspace / LEARNER_FILE)
    return [p for p in parts if p.exists()]


def circle_store(run: CourseRun):
    """The run's ``CircleStore`` if the run has circles (never creates the database)."""
    from grading.circles.store import CircleStore
    from grading.circles.tables import has_circles

    if not has_circles(run.root):
        return None

    return CircleStore(run)


def circle_data(run: CourseRun, student_id: str) -> dict[str, Any]:
    store = circle_store(run)
    empty = {"student_id": student_id, "memberships": [], "leading": [], "attendance": [], "group_work": []}
    return store.person_data(student_id) if store is not None else empty


def live_rows(run: CourseRun, student_id: str) -> dict[str, list[dict[str, Any]]]:
    """The person's rows in the run's live state (group quiz, talarstatistik keeper, shared plan)."""
    from grading.personal_data.live_tables import live_metadata
    from widgets.storage import live_db

    live_metadata()  # the live tables register themselves on import: load them all before asking
    return live_db.person_rows(run.root, student_id)


def collaboration_files(run: CourseRun, student_id: str) -> list[tuple[str, str]]:
    """(file id, path) of the learner's files JupyterLab's collaboration has kept state for.

    A leader who opens e.g. ``autograded/<id>/...`` in the run's JupyterLab leaves its
    path in ``<run>/.jupyter/file_id_manager.db`` and its content in ``ystore.db``.
    """
    ids_db = Path(run.root) / ".jupyter" / "file_id_manager.db"
    if not ids_db.is_file():
        return []
    db = sqlite3.connect(ids_db)
    try:
        rows = db.execute("SELECT id, path FROM Files").fetchall()
    except sqlite3.Error:
        return []
    finally:
        db.close()
    return [(file_id, path) for file_id, path in rows if student_id in Path(path).parts]


def roster_files(run: CourseRun) -> list[Path]:
    """Roster CSVs (header ``id,namn``) a course leader kept in the run folder."""
    found = []
    for path in sorted(run.root.glob("*.csv")):
        try:
            first = path.read_bytes().decode("utf-8-sig").splitlines()[:1]
        except (OSError, UnicodeDecodeError):
            continue
        header = [h.strip().lower() for h in first[0].replace(";", ",").split(",")] if first else []
        if header[:2] == ["id", "namn"]:
            found.append(path)
    return found


def roster_rows(path: Path, student_id: str) -> tuple[str, list[list[str]], list[list[str]]]:
    """(delimiter, kept rows with header, the person's rows) of a roster CSV."""
    text = path.read_bytes().decode("utf-8-sig")
    first = text.splitlines()[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    theirs = [r for r in rows[1:] if r and r[0].strip() == student_id]
    kept = [rows[0], *[r for r in rows[1:] if not (r and r[0].strip() == student_id)]]
    return delimiter, kept, theirs


def hub_folder_path(hub_folder: str | os.PathLike[str] | None) -> Path:
    from grading.system.hub_folder import hub_dir

    return hub_dir(hub_folder)


def run_account(run: CourseRun, student_id: str, hub_folder: str | os.PathLike[str] | None):
    """The learner's hub account if it belongs to this run (a learner account of this course)."""
    from grading.system.hub_folder import accounts_file

    path = accounts_file(hub_folder_path(hub_folder))
    if not path.is_file():
        return None
    from grading.hub.accounts import AccountStore

    account = AccountStore(path).get(student_id)
    if account is None or account.role != "deltagare" or account.course_id != run.course_id:
        return None
    return account


def traces(run: CourseRun, student_id: str, hub_folder: str | os.PathLike[str] | None = None) -> list[str]:
    """The places in and around the run that still hold something about ``student_id``."""
    check_id(student_id)
    found = []
    if gradebook_student(run, student_id) is not None:
        found.append("gradebook")
    for name, folder in run_folders(run, student_id).items():
        if folder.exists():
            found.append(name)
    if inbound_entries(run, student_id) or released_feedback(run, student_id):
        found.append("exchange")
    if workspace_parts(run, student_id):
        found.append("workspace")
    circles = circle_data(run, student_id)
    if circles["memberships"] or circles["leading"] or circles["attendance"]:
        found.append("circles")
    if live_rows(run, student_id):
        found.append("live")
    if collaboration_files(run, student_id):
        found.append("collaboration")
    if any(roster_rows(p, student_id)[2] for p in roster_files(run)):
        found.append("roster")
    if run_account(run, student_id, hub_folder) is not None:
        found.append("hub")
    if access_log.mentions(run, student_id):
        found.append("access_log")
    return found


def require_known(run: CourseRun, student_id: str, hub_folder: str | os.PathLike[str] | None = None) -> list[str]:
    """The places holding ``student_id`` (empty: already erased); an id never known is refused."""
    found = traces(run, student_id, hub_folder)
    if not found:
        marker = access_log.pseudonym(run, student_id)
        if not any(e.get("subject") == marker and e.get("action") == "radera" for e in access_log.entries(run)):
            raise PersonDataError(t("person.unknown", id=student_id, runs=run.course_id))
    return found


def hub_record(student_id: str, hub_folder: str | os.PathLike[str] | None) -> dict[str, Any] | None:
    """The hub account (role, course runs, expiry; never the password hash)."""
    from grading.system.hub_folder import accounts_file

    path = accounts_file(hub_folder_path(hub_folder))
    if not path.is_file():
        return None
    from grading.hub.accounts import AccountStore

    account = AccountStore(path).get(student_id)
    if account is None:
        return None
    return {
        "namn": account.name,
        "roll": account.role,
        "kursomgangar": [{"kurs_id": c, "mapp": r} for c, r in account.runs],
        "engangslosenord_galler_till": iso_time(account.expires_at),
        "maste_valja_losenord": account.must_change,
    }
