"""The first-login step: a person replaces the one-time password with their own.

JupyterHub's login handler is kept; only where it sends a person next changes
(:class:`CirkelLoginHandler`). The new-password page is a hub page of its own
(:class:`NewPasswordHandler`, at ``/hub/nytt-losenord``) rendered from Cirkel's
template folder with JupyterHub's layout, so it looks and behaves like the login.
"""

from __future__ import annotations

import asyncio
from urllib.parse import urlencode

from jupyterhub.handlers.base import BaseHandler
from jupyterhub.handlers.login import LoginHandler
from jupyterhub.utils import url_path_join
from tornado import web

from grading.hub.accounts import AccountError, AccountStore, LoginError
from grading.hub.throttle import minutes, request_address
from widgets.core.i18n import t

__all__ = ["CirkelLoginHandler", "NewPasswordHandler", "PAGE", "needs_new_password"]

#: the page's address below the hub's base URL
PAGE = "nytt-losenord"


def needs_new_password(handler: BaseHandler, name: str) -> bool:
    """Whether ``name`` still logs in with a one-time password."""
    account = AccountStore(handler.authenticator.accounts_file).get(name)
    return bool(account and account.must_change)


class CirkelLoginHandler(LoginHandler):
    """JupyterHub's login; a person with a one-time password goes on to choose their own.

    A refused login shows the login form again with the Authenticator's Swedish
    reason above it, and the name already filled in.
    """

    async def post(self):
        try:
            await super().post()
        except web.HTTPError as exc:
            message = getattr(exc, "jupyterhub_message", None)
            if message is None:
                raise
            self.set_status(exc.status_code)
            name = self.get_body_argument("username", "", strip=True)[:32]
            self.finish(await self._render(login_error=message, username=name))

    def get_next_url(self, user=None, default=None):
        next_url = super().get_next_url(user, default)
        if user is not None and needs_new_password(self, user.name):
            page = url_path_join(self.hub.base_url, PAGE)
            return f"{page}?{urlencode({'next': next_url})}" if next_url else page
        return next_url


class NewPasswordHandler(BaseHandler):
    """``GET`` shows the form; ``POST`` checks and stores the person's own password."""

    async def _render_form(self, error: str = "", status: int = 200) -> None:
        self.set_status(status)
        user = self.current_user
        html = await self.render_template(
            "nytt-losenord.html",
            xsrf=self.xsrf_token.decode("ascii"),
            next=self.get_argument("next", ""),
            error=error,
            first_time=needs_new_password(self, user.name),
            username=user.name,
        )
        self.finish(html)

    @web.authenticated
    async def get(self) -> None:
        await self._render_form()

    @web.authenticated
    async def post(self) -> None:
        user = self.current_user
        store = AccountStore(self.authenticator.accounts_file)
        password = self.get_body_argument("password", "")
        repeated = self.get_body_argument("repeated", "")
        if not needs_new_password(self, user.name):
            # changing a chosen password asks for the current one, so an open session is not enough;
            # guessing it is counted like guessing at the login
            throttle, address = self.authenticator.throttle, request_address(self)
            wait = throttle.login_attempt(user.name, address)
            if wait:
                self.set_header("Retry-After", str(wait))
                await self._render_form(t("hub.login.throttled", minutes=minutes(wait)), 429)
                return
            try:
                await asyncio.to_thread(store.verify, user.name, self.get_body_argument("current", ""))
            except LoginError:
                await self._render_form(t("hub.password.current_wrong"), 400)
                return
            throttle.login_succeeded(user.name, address)
        try:
            store.set_password(user.name, password, repeated)
        except AccountError as exc:
            await self._render_form(str(exc), 400)
            return
        self.log.info("Cirkel: %s chose their own password", user.name)
        self.redirect(self.get_next_url(user))
