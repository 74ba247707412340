"""One person on the hub, at an erasure: nothing of theirs left running, and the hub told, not bypassed.

Order matters. The person's server and kernels are stopped before their files
go, or an open module writes its answers back after the erasure. While the hub
runs, it is asked through its REST API (:mod:`grading.hub.admin_api`) to stop
the server and delete the user, so its memory and its database stay one; then
any process still working in the person's home (a kernel whose server was
killed) is ended. When no hub runs, the same is done offline: the processes are
ended and JupyterHub's rows deleted from its database.
"""

from __future__ import annotations

import os
from pathlib import Path

from grading.course_runs.run import RunError
from grading.system import processes
from widgets.core import setting_env
from widgets.core.i18n import t

__all__ = ["PROCESS_GRACE", "HUB_DB_ENV", "HubSide", "open_hub", "hub_database", "delete_user_rows"]

#: JupyterHub's own database when it is not ``jupyterhub.sqlite`` in the hub folder (deploy/jupyterhub_config.py)
HUB_DB_ENV = setting_env.HUB_DB_ENV

#: seconds a leftover process of the person's has after SIGTERM before SIGKILL
PROCESS_GRACE = 2.0


class HubSide:
    """The hub folder and, when a hub runs on it, a client of its API."""

    def __init__(self, folder: Path, api) -> None:
        self.folder = folder
        self.api = api

    @property
    def running(self) -> bool:
        return self.api is not None

    def home(self, student_id: str) -> Path:
        return self.folder / "hem" / student_id

    def stop_server(self, student_id: str, delete_user: bool) -> tuple[bool, bool]:
        """Through a running hub: stop the person's server, and delete their hub user if asked.

        Returns whether a server of theirs ran, and whether the hub deleted its user.
        """
        from grading.hub.admin_api import HubAPIError

        if self.api is None:
            return False, False
        try:
            ran = self.api.stop_server(student_id)
            deleted = self.api.delete_user(student_id) if delete_user else False
        except HubAPIError as exc:
            raise RunError(t("person.hub_failed", detail=exc.detail)) from None
        return ran, deleted

    def end_processes(self, student_id: str, folders: list[Path]) -> bool:
        """End what still works in the person's folders (a kernel whose server was killed); whether any did."""
        left = {p.pid: p for folder in folders for p in processes.of_home(folder)}
        if not left:
            return False
        survivors = processes.end(left.values(), PROCESS_GRACE)
        if survivors:
            pids = ", ".join(str(p.pid) for p in survivors)
            raise RunError(t("person.processes_left", id=student_id, pids=pids))
        return True


def open_hub(folder: str | os.PathLike[str]) -> HubSide:
    """The hub side of an erasure; a hub that runs but cannot be asked stops the erasure before it starts."""
    from grading.hub.admin_api import HubAPIError, client

    data = Path(folder)
    try:
        api = client(data)
    except HubAPIError as exc:
        key = "person.hub_refused" if exc.kind == "refused" else "person.hub_unreachable"
        raise RunError(t(key, detail=exc.detail, path=str(data))) from None
    return HubSide(data, api)


def hub_database(hub_db: str | os.PathLike[str] | None, folder: Path) -> str | Path:
    """JupyterHub's database: ``hub_db``, else the ``hub_db`` setting (a URL), else ``jupyterhub.sqlite`` in ``folder``."""
    from widgets.core.settings import hub_settings

    chosen = str(hub_db) if hub_db else (hub_settings().hub_db or "")
    if "://" in chosen:
        return chosen
    return Path(chosen) if chosen else folder / "jupyterhub.sqlite"


def delete_user_rows(url: str, name: str) -> bool:
    """JupyterHub's record of ``name`` deleted from its database server (PostgreSQL), in one transaction.

    As for ``jupyterhub.sqlite``: the servers and OAuth clients that only point
    at the user go first, then the ``users`` row, whose spawners, tokens, group
    and role links the database's foreign keys cascade.
    """
    import sqlalchemy as sa
    from sqlalchemy.pool import NullPool

    from widgets.storage.database import with_driver

    engine = sa.create_engine(with_driver(url), poolclass=NullPool)
    try:
        with engine.begin() as db:
            user_id = db.execute(sa.text("SELECT id FROM users WHERE name = :name"), {"name": name}).scalar()
            if user_id is None:
                return False
            spawners = db.execute(
                sa.text("SELECT server_id, oauth_client_id FROM spawners WHERE user_id = :id"), {"id": user_id}
            ).all()
            clients = {c for _s, c in spawners if c} | {f"jupyterhub-user-{name}"}
            for client in sorted(clients):
                db.execute(sa.text("DELETE FROM oauth_clients WHERE identifier = :c"), {"c": client})
            for server in (s for s, _c in spawners if s is not None):
                db.execute(sa.text("DELETE FROM servers WHERE id = :s"), {"s": server})
            db.execute(sa.text("DELETE FROM users WHERE id = :id"), {"id": user_id})
    finally:
        engine.dispose()
    return True
