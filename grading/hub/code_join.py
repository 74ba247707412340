"""Joining a group quiz with the short code on the big screen: the hub page ``/hub/kod``.

The big screen says "go to <hub>/hub/kod and type ABC123". A logged-in learner
who types the code joins the session as themselves (if it is their circle's), so
their answers can count toward their completion. Someone without an account
types the code and a name to be shown, and becomes a guest: a hub user named
``gast-...`` in the run's guest group, whose only scope is the run's live
service and whose only session is the one the code opened (the apps check it).
A wrong, expired or foreign code is refused on the same page, in Swedish; too
many from one address within a while and its tries wait
(:class:`~grading.hub.throttle.Throttle`), so codes cannot be guessed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from jupyterhub import orm
from jupyterhub.handlers.base import BaseHandler
from jupyterhub.utils import url_path_join

from grading.hub.accounts import AccountStore
from grading.hub.runs import guest_group, led_runs, live_service_name
from grading.hub.throttle import minutes, request_address
from widgets.core.i18n import t
from widgets.core.live_names import is_guest

__all__ = ["PAGE", "CodeJoinHandler", "quiz_url"]

#: the page's address below the hub's base URL
PAGE = "kod"
#: the group quiz app in a run's live service
QUIZ_APP = "gruppquiz.ipynb"


def quiz_url(base_url: str, course_id: str, session_id: Any) -> str:
    """The participant's page of a session, in the run's live service."""
    return (
        url_path_join(base_url, "services", live_service_name(course_id), "voila", "render", QUIZ_APP)
        + f"?session={session_id}"
    )


def _session_id(joined: Any) -> Any:
    """The session id from what the quiz store returns (a row object or a plain id)."""
    for attribute in ("session_id", "id"):
        if hasattr(joined, attribute):
            return getattr(joined, attribute)
    return joined


class CodeJoinHandler(BaseHandler):
    """``GET`` shows the code form; ``POST`` joins the session or says plainly why not."""

    def _runs(self) -> dict[str, str]:
        """The runs where a code is looked up: the person's own, or every run for a newcomer."""
        store = AccountStore(self.authenticator.accounts_file)
        everything = led_runs(store)
        user = self.current_user
        account = store.get(user.name) if user is not None and not is_guest(user.name) else None
        if account is None:
            return everything
        return {course_id: run_dir for course_id, run_dir in account.runs if run_dir and Path(run_dir).is_dir()}

    async def _render_form(self, error: str = "", status: int = 200, code: str = "", name: str = "") -> None:
        self.set_status(status)
        user = self.current_user
        member = user is not None and not is_guest(user.name)
        self.finish(
            await self.render_template(
                "kod.html",
                xsrf=self.xsrf_token.decode("ascii"),
                error=error,
                code=code or self.get_argument("kod", "")[:12],
                guest_name=name,
                member=member,
                username=user.name if member else "",
            )
        )

    async def get(self) -> None:
        await self._render_form()

    async def post(self) -> None:
        from grading.circles.group_quiz import CodeRefused, admit_guest, join_by_code
        from grading.circles.store import CircleStore

        code = self.get_body_argument("kod", "").strip().upper()[:12]
        name = self.get_body_argument("namn", "").strip()[:80]
        if not code:
            await self._render_form(t("hub.code.missing"), 400, code, name)
            return
        address = request_address(self)
        wait = self.authenticator.throttle.code_wait(address)
        if wait:
            self.log.warning("Cirkel: group-quiz codes from %s throttled: %i s to wait", address, wait)
            self.set_header("Retry-After", str(wait))
            await self._render_form(t("hub.code.throttled", minutes=minutes(wait)), 429, code, name)
            return
        user = self.current_user
        member = user is not None and not is_guest(user.name)
        refusals: list[CodeRefused] = []
        for course_id, run_dir in self._runs().items():
            try:
                if member:
                    store = AccountStore(self.authenticator.accounts_file)
                    account = store.get(user.name)
                    circles = CircleStore(run_dir)
                    leads_run = account is not None and account.role == "kursledare"
                    mine = [c.circle_id for c in circles.circles()] if leads_run else circles.circle_of(user.name)
                    joined = join_by_code(run_dir, code, user.name, mine)
                    self.log.info("Cirkel: %s joined a group quiz of %s with a code", user.name, course_id)
                    self.redirect(quiz_url(self.base_url, course_id, _session_id(joined)))
                    return
                if not name:
                    await self._render_form(t("hub.code.name_missing"), 400, code, name)
                    return
                guest = admit_guest(run_dir, code, name)
            except CodeRefused as refusal:
                refusals.append(refusal)
                continue
            self._log_in_guest(guest.name, course_id)
            self.redirect(quiz_url(self.base_url, course_id, _session_id(guest)))
            return
        self.authenticator.throttle.code_failed(address)
        await self._render_form(_plainest(refusals), 400, code, name)

    def _log_in_guest(self, name: str, course_id: str) -> None:
        """A hub user for the guest, in the run's guest group, with the hub's login cookie."""
        user = self.user_from_username(name)
        group = orm.Group.find(self.db, guest_group(course_id))
        if group is None:
            group = orm.Group(name=guest_group(course_id))
            self.db.add(group)
        if user.orm_user not in group.users:
            group.users.append(user.orm_user)
        self.db.commit()
        self.set_login_cookie(user)
        self.log.info("Cirkel: guest %s joined a group quiz of %s", name, course_id)


def _plainest(refusals: list[Any]) -> str:
    """The most telling refusal: one from the run that knows the code beats "no such code"."""
    if not refusals:
        return t("hub.code.unknown")
    known = [r for r in refusals if getattr(r, "kind", "unknown") != "unknown"]
    return str((known or refusals)[0])
