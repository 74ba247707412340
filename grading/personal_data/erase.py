"""Erasing one learner from the run, its exchange, their workspace, the circles, the hub and the logs."""

from __future__ import annotations

import csv
import io
import os
import shutil
import time
from pathlib import Path
from typing import TYPE_CHECKING

from grading.course_runs import access_log
from grading.personal_data import log_erase, person_hub
from grading.personal_data.places import (
    circle_store,
    gradebook_student,
    hub_folder_path,
    hub_record,
    inbound_entries,
    live_rows,
    released_feedback,
    require_known,
    roster_files,
    roster_rows,
    run_account,
    run_folders,
    workspace_of,
    workspace_parts,
)
from grading.personal_data.records import Erasure
from grading.personal_data.sqlite_files import delete_hub_user, erase_collaboration, vacuum
from grading.reports import answer_verdicts
from widgets.core.i18n import t

if TYPE_CHECKING:  # pragma: no cover
    from grading.course_runs.run import CourseRun


def _remove(path: Path) -> bool:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
        return True
    if path.exists() or path.is_symlink():
        path.unlink()
        return True
    return False


def _erase_gradebook(run: CourseRun, student_id: str) -> bool:
    from nbgrader.api import MissingEntry

    with run.gradebook() as gb:
        try:
            gb.find_student(student_id)
        except MissingEntry:
            return False
        gb.remove_student(student_id)
    vacuum(run.root / "gradebook.db")
    return True


def delete_account(path: Path, name: str) -> bool:
    """Delete one hub account (and its extra course runs) from the accounts store, in one transaction."""
    if not path.is_file():
        return False
    from grading.hub.accounts import AccountStore

    return AccountStore(path).delete(name)


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
    hub_folder : the hub's data folder (accounts and homes); default the ``hub_dir``
        setting or the repository's.
    hub_db : JupyterHub's database, a file or a URL; default the ``hub_db`` setting, else
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
    hub = person_hub.open_hub(hub_folder_path(hub_folder))  # a hub that cannot be asked stops the erasure here
    account = run_account(run, student_id, hub_folder)
    other = None if account is not None else hub_record(student_id, hub_folder)
    forget_on_hub = account is not None or other is None
    account_gone: float | None = None  # when their account was deleted, if it was
    if account is not None:
        from grading.system.hub_folder import accounts_file

        if delete_account(accounts_file(hub.folder), student_id):
            removed.append("hub")
            account_gone = time.monotonic()
    # a hub user of the same name that has nothing to do with this run is left alone
    workspace = workspace_of(run, student_id)
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
    for path in released_feedback(run, student_id):
        _remove(path)
        if "exchange" not in removed:
            removed.append("exchange")
    for entry in inbound_entries(run, student_id):
        _remove(entry)
        if "exchange" not in removed:
            removed.append("exchange")
    for name, folder in run_folders(run, student_id).items():
        if _remove(folder):
            removed.append(name)
    answer_verdicts.clear(run.root)  # no trace of their files' verdicts, even hashed; the next report reads all
    parts = workspace_parts(run, student_id)
    for part in parts:
        _remove(part)
    if parts:
        removed.append("workspace")
    store = circle_store(run)
    if store is not None and store.erase_person(student_id):
        removed.append("circles")
    if live_rows(run, student_id):
        from widgets.storage import live_db

        live_db.erase_person(run.root, student_id)
        removed.append("live")
    if erase_collaboration(run, student_id):
        removed.append("collaboration")
    for path in roster_files(run):
        delimiter, kept, theirs = roster_rows(path, student_id)
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
                vacuum(database)
        elif delete_hub_user(database, student_id) and "hub" not in removed:
            removed.append("hub")
    # the gradebook last: until it is gone, the run still knows who to finish erasing
    if _erase_gradebook(run, student_id):
        removed.append("gradebook")
    if access_log.pseudonymise(run, student_id):
        removed.append("access_log")
    access_log.record(run, "radera", marker)
    # the logs after everything else, which may itself have named them (the hub logs its stop), and
    # not before the hub's log filter has forgotten that they had an account: a request for their
    # address logged after the masking would otherwise still name them
    from grading.hub.log_privacy import REMEMBER_SECONDS

    if account_gone is not None:
        time.sleep(max(0.0, account_gone + REMEMBER_SECONDS - time.monotonic()))
    if log_erase.mask_in_logs(log_erase.log_files([run.root, hub.folder]), names):
        removed.append("logs")
    return result


def _names(run: CourseRun, student_id: str) -> list[str]:
    """The words that name the person in a log: their id and their name as the gradebook has it."""
    person = gradebook_student(run, student_id) or {}
    full = " ".join(part for part in (person.get("namn"), person.get("efternamn")) if part)
    return [word for word in dict.fromkeys([student_id, full, person.get("namn") or ""]) if word]
