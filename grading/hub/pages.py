"""Cirkel's own hub pages and what the hub's templates know of the person looking.

- :func:`person_vars`: for the templates (``cirkel_person``), whether the person
  is a course leader and which runs they lead with their titles, so the home page
  is a leader's start page or a learner's way to their modules, never both.
- :class:`TokenPageHandler`: ``/hub/token`` only for course leaders and admins;
  a learner or guest gets a Swedish refusal (they have no use for an API token).
- :class:`StatementHandler`: the accessibility statement at ``/hub/tillganglighet``,
  open without login, in the hub's own frame.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from jupyterhub.handlers.base import BaseHandler
from jupyterhub.handlers.pages import TokenPageHandler as JupyterHubTokenPage
from tornado import web

from grading.course_runs.run import CourseRun, RunError
from grading.hub.accounts import AccountStore
from grading.servers.statement import AccessibilityStatement
from widgets.core.i18n import t
from widgets.core.live_names import is_guest

__all__ = ["person_vars", "TokenPageHandler", "StatementHandler", "TOKEN_ROLES"]

#: the roles that may see the token page
TOKEN_ROLES = frozenset({"kursledare", "admin"})


def _run_title(course_id: str, run_dir: str) -> str:
    try:
        return CourseRun(run_dir).title
    except (RunError, OSError):
        return course_id


def person_vars(
    accounts_file: str, run_path: str = "services/{run}/", live_path: str = "services/{run}-samverkan/"
) -> Callable[[Any], dict[str, Any]]:
    """The template variable ``cirkel_person``: JupyterHub calls it with the person looking (or None).

    Parameters
    ----------
    run_path, live_path : where a run and its live apps are served, below the hub's prefix
        (``{run}`` the course id, ``{name}`` the leader): a run's service on one machine, a
        leader's named server on Kubernetes (``user/{name}/{run}/``, no live service: ``""``).
    """

    def person(user: Any) -> dict[str, Any]:
        name = getattr(user, "name", None)
        account = AccountStore(accounts_file).get(name) if name and not is_guest(name) else None
        leader = account is not None and account.role == "kursledare"
        runs = [
            {
                "id": course_id,
                "title": _run_title(course_id, run_dir),
                "href": run_path.format(run=course_id, name=name),
                "live": live_path.format(run=course_id, name=name),
            }
            for course_id, run_dir in (account.runs if account is not None and leader else ())
        ]
        return {"leader": leader, "guest": bool(name) and is_guest(str(name)), "runs": runs}

    return person


class TokenPageHandler(JupyterHubTokenPage):
    """JupyterHub's token page for leaders and admins; a Swedish 403 for everyone else."""

    @web.authenticated
    async def get(self) -> None:
        account = AccountStore(self.authenticator.accounts_file).get(self.current_user.name)
        if account is None or account.role not in TOKEN_ROLES:
            error = web.HTTPError(403, "token page: learners have none")
            error.jupyterhub_message = t("hub.page.token_refused")  # type: ignore[attr-defined]  # read by JupyterHub's error page
            raise error
        await super().get()


class StatementHandler(BaseHandler):
    """``GET``: the accessibility statement, for anyone, logged in or not."""

    async def get(self) -> None:
        statement = AccessibilityStatement(config=self.settings.get("config"))
        self.set_header("Content-Type", "text/html; charset=UTF-8")
        self.finish(await self.render_template("tillganglighet.html", statement_html=statement.body_html()))
