"""One person's data, everywhere it lies: export it, erase it, and erase it when kept too long.

Taking a party's course reveals a political opinion (special-category data
under GDPR), so a course leader must be able to give a person everything held
about them, and to erase it. A learner's data lies in:

- the gradebook (nbgrader's ``Student`` row with its submissions, grades, comments);
- the run's ``submitted/``, ``autograded/`` and ``feedback/`` folders;
- the exchange: ``inbound/<id>+<module>+<time>...`` and released feedback
  ``feedback/<hash>.html`` (the hash is made from the submission's secret);
- their workspace (answer files ``svar/*.json``, fetched modules, fetched feedback);
- the study circles (``cirklar.sqlite`` or the run's database: memberships, leading, attendance, group work);
- the circles' live state (``samverkan.sqlite``: group-quiz answers and memberships,
  who opened a session, who wrote a field of the shared plan; see ``widgets.live_db``);
- a roster CSV kept in the run folder, if any;
- the hub: their account in ``konton.sqlite``, their home ``hem/<id>`` and
  JupyterHub's own ``users`` row in ``jupyterhub.sqlite`` (or the hub's PostgreSQL, ``$CIRKEL_HUB_DB``);
- the access log (``atkomstlogg.sqlite`` or the run's database), which names them as the subject
  of views and exports;
- not in the report's cache of readable answer files (``lasbarhet.sqlite``: hashes and yes/no
  only), which an erasure empties all the same.

:func:`erase_person` removes all of it; the access log keeps the fact of the
erasure under a pseudonymous marker (:func:`grading.access_log.pseudonym`).
SQLite files are vacuumed afterwards, so no erased row survives in a free page.

The circles, the live state and the accounts are erased through their stores
(SQLAlchemy Core, :mod:`widgets.storage`: SQLite or PostgreSQL alike). ``sqlite3``
is used here only for files that are SQLite by nature: JupyterLab's collaboration
state, nbgrader's SQLite gradebook and JupyterHub's ``jupyterhub.sqlite`` (vacuumed).
:func:`prune` erases everyone whose last activity is older than the run's
retention period (``retention_days`` in ``cirkel-run.yml``), once the run has
ended (``ends`` in ``cirkel-run.yml``).
"""

from __future__ import annotations

import csv
import datetime as _dt
import io
import json
import os
import shutil
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from widgets.i18n import t

from . import access_log, answer_verdicts, log_erase, person_hub
from .run import RunError

if TYPE_CHECKING:  # pragma: no cover
    from .run import CourseRun

__all__ = [
    "PersonDataError",
    "Erasure",
    "PruneCandidate",
    "traces",
    "require_known",
    "export_person",
    "erase_person",
    "delete_hub_user",
    "last_activity",
    "run_end",
    "prune",
]

MANIFEST = "manifest.json"


class PersonDataError(RunError):
    """A request about one person that cannot be done; the message is plain Swedish."""


@dataclass
class Erasure:
    """What :func:`erase_person` did: the places it erased, and the marker left in the access log."""

    student_id: str
    marker: str
    removed: list[str] = field(default_factory=list)
    already_erased: bool = False
    kept: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class PruneCandidate:
    """A learner past the retention period: who, and their last activity (``None``: never active)."""

    student_id: str
    last_activity: _dt.datetime | None


# -- where a person's data lies ----------------------------------------------------------
def _check_id(student_id: str) -> str:
    from .roster import validate_student_id

    try:
        return validate_student_id(student_id)
    except ValueError as exc:
        raise PersonDataError(str(exc)) from None


def _student(run: CourseRun, student_id: str):
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


def _inbound(run: CourseRun, student_id: str) -> list[Path]:
    inbound = run.exchange_root / run.course_id / "inbound"
    if not inbound.is_dir():
        return []
    return sorted(p for p in inbound.iterdir() if p.name.split("+")[0] == student_id)


def _run_folders(run: CourseRun, student_id: str) -> dict[str, Path]:
    """The per-learner folders nbgrader keeps in the run."""
    return {name: run.root / name / student_id for name in ("submitted", "autograded", "feedback")}


def _released_feedback(run: CourseRun, student_id: str) -> list[Path]:
    """The learner's feedback files in the exchange, found by nbgrader's own hash of their secret."""
    from nbgrader.utils import notebook_hash

    secrets: set[str] = set()
    notebooks: set[str] = set()
    places = [run.root / "submitted" / student_id, run.root / "feedback" / student_id, *_inbound(run, student_id)]
    for place in places:
        if not place.is_dir():
            continue
        for secret_file in place.rglob("submission_secret.txt"):
            secrets.add(secret_file.read_text(encoding="utf-8"))
        notebooks |= {p.stem for p in place.rglob("*.ipynb")} | {p.stem for p in place.rglob("*.html")}
    folder = run.exchange_root / run.course_id / "feedback"
    found = []
    for secret in secrets:
        for notebook_id in notebooks:
            path = folder / f"{notebook_hash(secret=secret, notebook_id=notebook_id)}.html"
            if path.is_file():
                found.append(path)
    return sorted(set(found))


def _workspace(run: CourseRun, student_id: str) -> Path:
    return run.workspace(student_id)


def _workspace_parts(run: CourseRun, student_id: str) -> list[Path]:
    """What of the learner's workspace belongs to this run.

    A workspace inside the run is the run's alone. A workspace elsewhere (the
    hub home, shared by every run the person takes) holds this run's part in
    ``<course id>/``, nbgrader's cache of it and the learner file naming it.
    """
    from .run import LEARNER_FILE

    workspace = _workspace(run, student_id)
    if workspace.is_relative_to(run.root):
        return [workspace] if workspace.exists() else []
    parts = [workspace / run.course_id, workspace / ".nbgrader-cache" / run.course_id]
    learner_file = workspace / LEARNER_FILE
    try:
        if json.loads(learner_file.read_text(encoding="utf-8")).get("course_id") == run.course_id:
            parts.append(learner_file)
    except (OSError, ValueError, AttributeError):
        pass
    return [p for p in parts if p.exists()]


def _circles(run: CourseRun):
    """The run's ``CircleStore`` if the run has circles (never creates the database)."""
    from .circle_tables import has_circles
    from .circles import CircleStore

    if not has_circles(run.root):
        return None

    return CircleStore(run)


def _circle_data(run: CourseRun, student_id: str) -> dict[str, Any]:
    store = _circles(run)
    empty = {"student_id": student_id, "memberships": [], "leading": [], "attendance": [], "group_work": []}
    return store.person_data(student_id) if store is not None else empty


def _live_rows(run: CourseRun, student_id: str) -> dict[str, list[dict[str, Any]]]:
    """The person's rows in the run's live state (group quiz, talarstatistik keeper, shared plan)."""
    # the live tables register themselves on import: load them all before asking
    from widgets import _live_speaker_store, _shared_plan_store, live_db  # noqa: F401

    from . import group_quiz  # noqa: F401

    return live_db.person_rows(run.root, student_id)


def _collaboration_files(run: CourseRun, student_id: str) -> list[tuple[str, str]]:
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


def _erase_collaboration(run: CourseRun, student_id: str) -> bool:
    """Remove the learner's files from the collaboration state (their history and their ids)."""
    found = _collaboration_files(run, student_id)
    if not found:
        return False
    state = Path(run.root) / ".jupyter"
    ystore = state / "ystore.db"
    if ystore.is_file():
        db = sqlite3.connect(ystore)
        try:
            with db:
                for file_id, _path in found:  # rooms are named like "json:notebook:<file id>"
                    for table in ("yupdates", "ycheckpoints"):
                        db.execute(f"DELETE FROM {table} WHERE path LIKE ?", (f"%{file_id}%",))
        except sqlite3.OperationalError:
            pass  # a store without those tables holds nothing of theirs
        finally:
            db.close()
        _vacuum(ystore)
    ids_db = state / "file_id_manager.db"
    db = sqlite3.connect(ids_db)
    try:
        with db:
            db.executemany("DELETE FROM Files WHERE id = ?", [(file_id,) for file_id, _ in found])
    finally:
        db.close()
    _vacuum(ids_db)
    return True


def _roster_files(run: CourseRun) -> list[Path]:
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


def _roster_rows(path: Path, student_id: str) -> tuple[str, list[list[str]], list[list[str]]]:
    """(delimiter, kept rows with header, the person's rows) of a roster CSV."""
    text = path.read_bytes().decode("utf-8-sig")
    first = text.splitlines()[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    theirs = [r for r in rows[1:] if r and r[0].strip() == student_id]
    kept = [rows[0], *[r for r in rows[1:] if not (r and r[0].strip() == student_id)]]
    return delimiter, kept, theirs


def _hub_folder(hub_folder: str | os.PathLike[str] | None) -> Path:
    from .hub.config import hub_dir

    return hub_dir(hub_folder)


def _account(run: CourseRun, student_id: str, hub_folder: str | os.PathLike[str] | None):
    """The learner's hub account if it belongs to this run (a learner account of this course)."""
    from .hub.config import accounts_file

    path = accounts_file(_hub_folder(hub_folder))
    if not path.is_file():
        return None
    from .hub.accounts import AccountStore

    account = AccountStore(path).get(student_id)
    if account is None or account.role != "deltagare" or account.course_id != run.course_id:
        return None
    return account


def traces(run: CourseRun, student_id: str, hub_folder: str | os.PathLike[str] | None = None) -> list[str]:
    """The places in and around the run that still hold something about ``student_id``."""
    _check_id(student_id)
    found = []
    if _student(run, student_id) is not None:
        found.append("gradebook")
    for name, folder in _run_folders(run, student_id).items():
        if folder.exists():
            found.append(name)
    if _inbound(run, student_id) or _released_feedback(run, student_id):
        found.append("exchange")
    if _workspace_parts(run, student_id):
        found.append("workspace")
    circles = _circle_data(run, student_id)
    if circles["memberships"] or circles["leading"] or circles["attendance"]:
        found.append("circles")
    if _live_rows(run, student_id):
        found.append("live")
    if _collaboration_files(run, student_id):
        found.append("collaboration")
    if any(_roster_rows(p, student_id)[2] for p in _roster_files(run)):
        found.append("roster")
    if _account(run, student_id, hub_folder) is not None:
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


# -- export ------------------------------------------------------------------------------------
def _iso(value: _dt.datetime | None) -> str | None:
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=_dt.UTC)
    return value.isoformat(timespec="seconds")


def _gradebook_record(run: CourseRun, student_id: str) -> list[dict[str, Any]]:
    """Every submission in the gradebook with its grades and comments."""
    from nbgrader.api import MissingEntry

    out = []
    with run.gradebook() as gb:
        try:
            student = gb.find_student(student_id)
        except MissingEntry:
            return []
        for submission in sorted(student.submissions, key=lambda s: s.assignment.name):
            notebooks = []
            for nb in submission.notebooks:
                notebooks.append(
                    {
                        "notebook": nb.name,
                        "grades": [
                            {
                                "name": g.name,
                                "score": g.score,
                                "max_score": g.max_score,
                                "auto_score": g.auto_score,
                                "manual_score": g.manual_score,
                                "needs_manual_grade": bool(g.needs_manual_grade),
                            }
                            for g in nb.grades
                        ],
                        "comments": [
                            {"name": c.name, "auto_comment": c.auto_comment, "manual_comment": c.manual_comment}
                            for c in nb.comments
                        ],
                    }
                )
            out.append(
                {
                    "module": submission.assignment.name,
                    "timestamp": _iso(submission.timestamp),
                    "score": submission.score,
                    "max_score": submission.max_score,
                    "needs_manual_grade": bool(submission.needs_manual_grade),
                    "notebooks": notebooks,
                }
            )
    return out


def _answers(run: CourseRun, student_id: str) -> dict[str, dict[str, Any]]:
    """The learner's answer files by module and exercise, as saved."""
    out: dict[str, dict[str, Any]] = {}
    base = _workspace(run, student_id) / run.course_id
    for module in run.modules:
        folder = base / module / "svar"
        if not folder.is_dir():
            continue
        for path in sorted(folder.glob("*.json")):
            try:
                out.setdefault(module, {})[path.stem] = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError, json.JSONDecodeError):
                out.setdefault(module, {})[path.stem] = {"olasbar_fil": path.name}
    return out


def _copy(src: Path, dest: Path) -> list[str]:
    """Copy a file or folder; the copied files' paths relative to ``dest``'s export root come back."""
    if src.is_dir():
        shutil.copytree(src, dest, dirs_exist_ok=True)
        return [str(p) for p in sorted(dest.rglob("*")) if p.is_file()]
    if src.is_file():
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(src, dest)
        return [str(dest)]
    return []


def _hub_record(student_id: str, hub_folder: str | os.PathLike[str] | None) -> dict[str, Any] | None:
    """The hub account (role, course runs, expiry; never the password hash)."""
    from .hub.config import accounts_file

    path = accounts_file(_hub_folder(hub_folder))
    if not path.is_file():
        return None
    from .hub.accounts import AccountStore

    account = AccountStore(path).get(student_id)
    if account is None:
        return None
    return {
        "namn": account.name,
        "roll": account.role,
        "kursomgangar": [{"kurs_id": c, "mapp": r} for c, r in account.runs],
        "engangslosenord_galler_till": _iso(account.expires_at),
        "maste_valja_losenord": account.must_change,
    }


def export_person(
    run_or_runs: CourseRun | Iterable[CourseRun],
    student_id: str,
    out_dir: str | os.PathLike[str],
    *,
    as_zip: bool = False,
    hub_folder: str | os.PathLike[str] | None = None,
) -> Path:
    """Everything held about one person, as a folder with ``manifest.json`` (or that folder zipped).

    Parameters
    ----------
    run_or_runs : one course run or several (a person may have taken several courses).
    out_dir : a new (or empty) folder to write into.
    as_zip : also pack the folder as ``<out_dir>.zip`` and return that file (the folder is removed).
    hub_folder : the hub's data folder (default: ``$CIRKEL_HUB_DIR`` or the repository's).
    """
    _check_id(student_id)
    from .run import CourseRun

    runs = [run_or_runs] if isinstance(run_or_runs, CourseRun) else list(run_or_runs)
    known = [run for run in runs if traces(run, student_id, hub_folder)]
    if not known:
        raise PersonDataError(t("person.unknown", id=student_id, runs=", ".join(r.course_id for r in runs)))
    out = Path(out_dir)
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise PersonDataError(t("person.out_not_empty", path=str(out)))
    out.mkdir(parents=True, exist_ok=True)
    try:
        manifest = _export_into(known, student_id, out, hub_folder)
        (out / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1, default=str), encoding="utf-8")
    except BaseException:
        shutil.rmtree(out, ignore_errors=True)
        raise
    for run in known:
        access_log.record(run, "exportera-person", student_id)
    if as_zip:
        archive = Path(shutil.make_archive(str(out), "zip", root_dir=out))
        shutil.rmtree(out)
        return archive
    return out


def _export_into(
    runs: list[CourseRun], student_id: str, out: Path, hub_folder: str | os.PathLike[str] | None
) -> dict[str, Any]:
    manifest: dict[str, Any] = {
        "student_id": student_id,
        "skapad": _iso(_dt.datetime.now(_dt.UTC)),
        "forklaring": t("person.manifest_note"),
        "kursomgangar": [],
        "hubbkonto": _hub_record(student_id, hub_folder),
    }
    for run in runs:
        base = out / run.course_id
        files: list[str] = []
        for name, folder in _run_folders(run, student_id).items():
            files += _copy(folder, base / name)
        for entry in _inbound(run, student_id):
            files += _copy(entry, base / "exchange-inbound" / entry.name)
        for path in _released_feedback(run, student_id):
            files += _copy(path, base / "exchange-feedback" / path.name)
        workspace = _workspace(run, student_id)
        for part in _workspace_parts(run, student_id):
            files += _copy(part, base / "arbetsmapp" / part.relative_to(workspace))
        roster_rows = []
        for path in _roster_files(run):
            roster_rows += [{"fil": path.name, "rad": row} for row in _roster_rows(path, student_id)[2]]
        manifest["kursomgangar"].append(
            {
                "kurs_id": run.course_id,
                "titel": run.title,
                "mapp": str(run.root),
                "deltagare": _student(run, student_id),
                "inlamningar": _gradebook_record(run, student_id),
                "svar": _answers(run, student_id),
                "studiecirklar": _circle_data(run, student_id),
                "samverkan": _live_rows(run, student_id),
                "samarbete_i_jupyterlab": [path for _id, path in _collaboration_files(run, student_id)],
                "deltagarlistor": roster_rows,
                "atkomstlogg": access_log.mentions(run, student_id),
                "filer": [str(Path(f).relative_to(out)) for f in files],
            }
        )
    return manifest


# -- erase ---------------------------------------------------------------------------------------
def _remove(path: Path) -> bool:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
        return True
    if path.exists() or path.is_symlink():
        path.unlink()
        return True
    return False


def _vacuum(path: Path) -> None:
    """Rebuild an SQLite file so erased rows leave no copy in free pages or the write-ahead log."""
    if not path.is_file():
        return
    db = sqlite3.connect(path, timeout=30, isolation_level=None)
    try:
        db.execute("VACUUM")
        if db.execute("PRAGMA journal_mode").fetchone()[0].lower() == "wal":
            db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        db.close()


def _erase_gradebook(run: CourseRun, student_id: str) -> bool:
    from nbgrader.api import MissingEntry

    with run.gradebook() as gb:
        try:
            gb.find_student(student_id)
        except MissingEntry:
            return False
        gb.remove_student(student_id)
    _vacuum(run.root / "gradebook.db")
    return True


def _delete_account(path: Path, name: str) -> bool:
    """Delete one hub account (and its extra course runs) from the accounts store, in one transaction."""
    if not path.is_file():
        return False
    from .hub.accounts import AccountStore

    return AccountStore(path).delete(name)


def delete_hub_user(hub_db: str | os.PathLike[str], name: str) -> bool:
    """Remove JupyterHub's own record of user ``name`` from ``jupyterhub.sqlite``, in one transaction.

    The ``users`` row goes, and with it (JupyterHub's foreign keys cascade) the
    user's spawners, tokens, group and role links; the user's servers and OAuth
    clients, which only point the other way, are removed first. Restart the hub
    afterwards: a running hub keeps its users in memory. A URL (the hub's
    ``$CIRKEL_HUB_DB`` on PostgreSQL) is done the same way on that server.
    """
    if "://" in str(hub_db):
        return person_hub.delete_user_rows(str(hub_db), name)
    path = Path(hub_db)
    if not path.is_file():
        return False
    db = sqlite3.connect(path, timeout=30)
    try:
        db.execute("PRAGMA foreign_keys=ON")
        with db:
            row = db.execute("SELECT id FROM users WHERE name = ?", (name,)).fetchone()
            if row is None:
                return False
            user_id = row[0]
            spawners = db.execute(
                "SELECT server_id, oauth_client_id FROM spawners WHERE user_id = ?", (user_id,)
            ).fetchall()
            clients = {c for _s, c in spawners if c} | {f"jupyterhub-user-{name}"}
            servers = [s for s, _c in spawners if s is not None]
            db.executemany("DELETE FROM oauth_clients WHERE identifier = ?", [(c,) for c in sorted(clients)])
            db.executemany("DELETE FROM servers WHERE id = ?", [(s,) for s in servers])
            db.execute("DELETE FROM users WHERE id = ?", (user_id,))
    finally:
        db.close()
    _vacuum(path)
    return True


def erase_person(
    run: CourseRun,
    student_id: str,
    *,
    hub_folder: str | os.PathLike[str] | None = None,
    hub_db: str | os.PathLike[str] | None = None,
) -> Erasure:
    """Erase one learner from the run, its exchange, their workspace, the circles and the hub.

    Idempotent: an erasure that was interrupted is completed by running it again,
    and a person already erased is reported as such. An id the run has never
    known is refused with a Swedish message.

    Parameters
    ----------
    hub_folder : the hub's data folder (accounts and homes); default ``$CIRKEL_HUB_DIR``
        or the repository's.
    hub_db : JupyterHub's database, a file or a URL; default ``$CIRKEL_HUB_DB``, else
        ``jupyterhub.sqlite`` in the hub folder, if there.
    """
    found = require_known(run, student_id, hub_folder)
    marker = access_log.pseudonym(run, student_id)
    if not found:
        return Erasure(student_id, marker, already_erased=True)
    result = Erasure(student_id, marker)
    removed = result.removed
    names = _names(run, student_id)

    # first: nobody logs in as them any more, and nothing of theirs runs (an open module writes back)
    hub = person_hub.open_hub(_hub_folder(hub_folder))  # a hub that cannot be asked stops the erasure here
    account = _account(run, student_id, hub_folder)
    other = None if account is not None else _hub_record(student_id, hub_folder)
    forget_on_hub = account is not None or other is None
    if account is not None:
        from .hub.config import accounts_file

        if _delete_account(accounts_file(hub.folder), student_id):
            removed.append("hub")
    # a hub user of the same name that has nothing to do with this run is left alone
    workspace = _workspace(run, student_id)
    in_run = account is not None or workspace.is_relative_to(hub.home(student_id))
    in_run = in_run or (other is not None and run.course_id in {r["kurs_id"] for r in other["kursomgangar"]})
    ran, deleted = hub.stop_server(student_id, delete_user=forget_on_hub) if in_run else (False, False)
    # then whatever still works in their folders (cirkel serve's kernels, a kernel whose server was killed)
    ran = hub.end_processes(student_id, [hub.home(student_id), workspace] if in_run else [workspace]) or ran
    if ran:
        removed.append("processes")
    if deleted and "hub" not in removed:
        removed.append("hub")

    # the exchange's released feedback is found from the secrets in submitted/ and feedback/: first
    for path in _released_feedback(run, student_id):
        _remove(path)
        if "exchange" not in removed:
            removed.append("exchange")
    for entry in _inbound(run, student_id):
        _remove(entry)
        if "exchange" not in removed:
            removed.append("exchange")
    for name, folder in _run_folders(run, student_id).items():
        if _remove(folder):
            removed.append(name)
    answer_verdicts.clear(run.root)  # no trace of their files' verdicts, even hashed; the next report reads all
    parts = _workspace_parts(run, student_id)
    for part in parts:
        _remove(part)
    if parts:
        removed.append("workspace")
    store = _circles(run)
    if store is not None and store.erase_person(student_id):
        removed.append("circles")
    if _live_rows(run, student_id):
        from widgets import live_db

        live_db.erase_person(run.root, student_id)
        removed.append("live")
    if _erase_collaboration(run, student_id):
        removed.append("collaboration")
    for path in _roster_files(run):
        delimiter, kept, theirs = _roster_rows(path, student_id)
        if theirs:
            buffer = io.StringIO()
            csv.writer(buffer, delimiter=delimiter, lineterminator="\n").writerows(kept)
            tmp = path.with_name(f".{path.name}.tmp")
            tmp.write_text(buffer.getvalue(), encoding="utf-8")
            os.replace(tmp, path)
            if "roster" not in removed:
                removed.append("roster")
    if other is not None:  # an account of another course run or role stays; say so
        result.kept.append(t("person.account_kept", id=student_id, role=other["roll"]))
    if forget_on_hub:
        home = hub.home(student_id)
        # a home that still holds another run's modules stays (that run erases its own part)
        if not any(home.glob("*/*/*.ipynb")) and _remove(home) and "hub" not in removed:
            removed.append("hub")
        database = person_hub.hub_database(hub_db, hub.folder)
        if hub.running:  # the hub deleted its user itself: its rows' old bytes go with a vacuum
            if isinstance(database, Path):
                _vacuum(database)
        elif delete_hub_user(database, student_id) and "hub" not in removed:
            removed.append("hub")
    # the gradebook last: until it is gone, the run still knows who to finish erasing
    if _erase_gradebook(run, student_id):
        removed.append("gradebook")
    if access_log.pseudonymise(run, student_id):
        removed.append("access_log")
    access_log.record(run, "radera", marker)
    # the logs after everything else, which may itself have named them (the hub logs its stop)
    if log_erase.mask_in_logs(log_erase.log_files([run.root, hub.folder]), names):
        removed.append("logs")
    return result


def _names(run: CourseRun, student_id: str) -> list[str]:
    """The words that name the person in a log: their id and their name as the gradebook has it."""
    person = _student(run, student_id) or {}
    full = " ".join(part for part in (person.get("namn"), person.get("efternamn")) if part)
    return [word for word in dict.fromkeys([student_id, full, person.get("namn") or ""]) if word]


# -- retention ------------------------------------------------------------------------------------
def _utc(value: _dt.datetime) -> _dt.datetime:
    return value.replace(tzinfo=_dt.UTC) if value.tzinfo is None else value.astimezone(_dt.UTC)


def last_activity(run: CourseRun, student_id: str) -> _dt.datetime | None:
    """The learner's latest submission, answer-file write or attended meeting (UTC), or ``None``."""
    from .completion import _submitted_at

    times: list[_dt.datetime] = []
    for submission in _gradebook_record(run, student_id):
        if submission["timestamp"]:
            times.append(_dt.datetime.fromisoformat(submission["timestamp"]))
    for module in run.modules:
        found = _submitted_at(run, student_id, module)
        if found is not None:
            times.append(found)
    base = _workspace(run, student_id) / run.course_id
    if base.is_dir():
        for path in base.glob("*/svar/*.json"):
            times.append(_dt.datetime.fromtimestamp(path.stat().st_mtime, _dt.UTC))
    for meeting in _circle_data(run, student_id)["attendance"]:
        day = _dt.date.fromisoformat(meeting["date"])
        end = _dt.time.fromisoformat(meeting.get("end") or "23:59")
        times.append(_dt.datetime.combine(day, end).astimezone(_dt.UTC))
    return max((_utc(x) for x in times), default=None)


def run_end(run: CourseRun) -> _dt.date | None:
    """When the run ended: ``ends`` in ``cirkel-run.yml`` (a date), or ``None`` while it runs."""
    value = getattr(run, "ends", None) or run.info.get("ends")
    if value is None or value == "":
        return None
    if isinstance(value, _dt.datetime):
        return value.date()
    if isinstance(value, _dt.date):
        return value
    try:
        return _dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise PersonDataError(t("person.bad_end", value=value)) from None


def _created(run: CourseRun) -> _dt.datetime | None:
    """When the run was made (``created`` in ``cirkel-run.yml``; YAML may have parsed it already)."""
    value = run.info.get("created")
    if isinstance(value, _dt.datetime):
        return _utc(value)
    try:
        return _utc(_dt.datetime.fromisoformat(str(value))) if value else None
    except ValueError:
        return None


def _learner_ids(run: CourseRun) -> list[str]:
    with run.gradebook() as gb:
        return sorted(s.id for s in gb.students)


def prune(
    run: CourseRun,
    today: _dt.date | None = None,
    dry_run: bool = False,
    hub_folder: str | os.PathLike[str] | None = None,
    hub_db: str | os.PathLike[str] | None = None,
) -> list[PruneCandidate]:
    """Erase every learner whose last activity is older than the retention period, once the run has ended.

    A learner who never did anything counts from the run's creation. Returns
    the learners erased (with ``dry_run``: who would be, and nothing changes).
    Raises :class:`PersonDataError` while the run has no end date or has not ended.
    """
    today = today or _dt.date.today()
    ends = run_end(run)
    if ends is None:
        raise PersonDataError(t("person.prune_no_end", path=str(run.root / "cirkel-run.yml")))
    if today <= ends:
        raise PersonDataError(t("person.prune_not_ended", ends=ends.isoformat()))
    limit = _dt.datetime.combine(today - _dt.timedelta(days=run.retention_days), _dt.time(), tzinfo=_dt.UTC)
    fallback = _created(run)
    due = []
    for student_id in _learner_ids(run):
        latest = last_activity(run, student_id)
        if (latest or fallback or limit) < limit:
            due.append(PruneCandidate(student_id, latest))
    if not dry_run:
        for candidate in due:
            erase_person(run, candidate.student_id, hub_folder=hub_folder, hub_db=hub_db)
    return due
