"""The files that are SQLite by nature: a person's rows deleted in one transaction, then the file vacuumed.

JupyterLab's collaboration state, nbgrader's SQLite gradebook and JupyterHub's
``jupyterhub.sqlite``; the circles, the live state and the accounts go through their stores.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING

from grading.personal_data import person_hub
from grading.personal_data.places import collaboration_files

if TYPE_CHECKING:  # pragma: no cover
    from grading.course_runs.run import CourseRun


def vacuum(path: Path) -> None:
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


def erase_collaboration(run: CourseRun, student_id: str) -> bool:
    """Remove the learner's files from the collaboration state (their history and their ids)."""
    found = collaboration_files(run, student_id)
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
        vacuum(ystore)
    ids_db = state / "file_id_manager.db"
    db = sqlite3.connect(ids_db)
    try:
        with db:
            db.executemany("DELETE FROM Files WHERE id = ?", [(file_id,) for file_id, _ in found])
    finally:
        db.close()
    vacuum(ids_db)
    return True


def delete_hub_user(hub_db: str | os.PathLike[str], name: str) -> bool:
    """Remove JupyterHub's own record of user ``name`` from ``jupyterhub.sqlite``, in one transaction.

    The ``users`` row goes, and with it (JupyterHub's foreign keys cascade) the
    user's spawners, tokens, group and role links; the user's servers and OAuth
    clients, which only point the other way, are removed first. Restart the hub
    afterwards: a running hub keeps its users in memory. A URL (the hub's
    ``hub_db`` setting on PostgreSQL) is done the same way on that server.
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
    vacuum(path)
    return True
