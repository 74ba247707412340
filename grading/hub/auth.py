"""JupyterHub Authenticator over the accounts that ``cirkel`` creates."""

from __future__ import annotations

import asyncio

from jupyterhub.auth import Authenticator
from jupyterhub.utils import url_path_join
from tornado import web
from tornado.escape import xhtml_escape
from traitlets import Instance, Unicode, default

from grading.hub.accounts import AccountStore, LoginError
from grading.hub.throttle import MAX_NAME, Throttle, minutes, request_address
from widgets.core.i18n import t
from widgets.core.live_names import is_guest

__all__ = ["CirkelAuthenticator", "throttled"]


def _refusal(status: int, reason: str, message: str, html_message: str = "") -> web.HTTPError:
    """An HTTP error whose Swedish ``message`` JupyterHub shows on its page."""
    error = web.HTTPError(status, reason)
    error.jupyterhub_message = message  # type: ignore[attr-defined]  # read by JupyterHub's error page
    if html_message:
        error.jupyterhub_html_message = html_message  # type: ignore[attr-defined]  # read by JupyterHub's error page
    return error


def throttled(handler, wait: int) -> web.HTTPError:
    """429 with ``Retry-After`` and the one Swedish message to wait, whatever was counted."""
    handler.set_header("Retry-After", str(wait))
    return _refusal(429, "too many failed logins", t("hub.login.throttled", minutes=minutes(wait)))


class CirkelAuthenticator(Authenticator):
    """Log in with the one-time password from ``cirkel``, then with one's own.

    A failed login raises an HTTP 403 whose ``jupyterhub_message`` is the Swedish
    reason, the same for every kind of failure; JupyterHub's login handler renders
    it on the login form. Too many failures for a name or from an address
    (:class:`~grading.hub.throttle.Throttle`) give 429 and a message to wait. A
    person who has not yet chosen their own password is sent to
    ``/hub/nytt-losenord`` and gets no server until they have.
    """

    accounts_file = Unicode(help="SQLite file with the accounts (argon2id hashes).").tag(config=True)
    throttle = Instance(Throttle, help="Counts failed logins and wrong group-quiz codes (configure ``Throttle``).")

    @default("throttle")
    def _default_throttle(self) -> Throttle:
        return Throttle(parent=self)

    async def authenticate(self, handler, data):
        """Return the user model, or raise 403 (or 429, to wait) with a plain Swedish message."""
        name = (data or {}).get("username", "").strip()
        password = (data or {}).get("password", "")
        address = request_address(handler)
        shown = name[:MAX_NAME]  # for the log: a name typed a megabyte long is not written whole
        wait = self.throttle.login_attempt(name, address)
        if wait:
            self.log.warning("Cirkel login throttled for %r from %s: %i s to wait", shown, address, wait)
            raise throttled(handler, wait)
        try:
            # argon2id takes a tenth of a second on purpose: off the hub's event loop
            account = await asyncio.to_thread(AccountStore(self.accounts_file).verify, name, password)
        except LoginError as exc:
            self.log.info("Cirkel login refused for %r from %s: %s", shown, address, exc.kind)
            raise _refusal(403, f"login refused: {exc.kind}", str(exc)) from None
        self.throttle.login_succeeded(name, address)
        return {"name": account.name, "admin": account.role == "admin"}

    def get_handlers(self, app):
        from grading.hub.code_join import PAGE as CODE_PAGE
        from grading.hub.code_join import CodeJoinHandler
        from grading.hub.pages import StatementHandler, TokenPageHandler
        from grading.hub.password import PAGE, CirkelLoginHandler, NewPasswordHandler
        from grading.servers.statement import HUB_PAGE as STATEMENT_PAGE

        # before JupyterHub's own handlers: /token here replaces JupyterHub's (leaders only)
        return [
            ("/login", CirkelLoginHandler),
            (f"/{PAGE}", NewPasswordHandler),
            (f"/{CODE_PAGE}", CodeJoinHandler),
            ("/token", TokenPageHandler),
            (f"/{STATEMENT_PAGE}", StatementHandler),
        ]

    async def pre_spawn_start(self, user, spawner):
        """No server while the one-time password is still the password, and none for guests."""
        if is_guest(user.name):
            url = url_path_join(spawner.hub.base_url, "kod")
            link = f'<a href="{xhtml_escape(url)}">{xhtml_escape(t("hub.code.back_link"))}</a>'
            raise _refusal(
                403, "guests have no server", t("hub.code.no_server"), f"{xhtml_escape(t('hub.code.no_server'))} {link}"
            )
        account = AccountStore(self.accounts_file).get(user.name)
        if account is not None and account.must_change:
            from grading.hub.password import PAGE

            url = url_path_join(spawner.hub.base_url, PAGE)
            link = f'<a href="{xhtml_escape(url)}">{xhtml_escape(t("hub.password.choose_link"))}</a>'
            raise _refusal(
                403,
                "one-time password not yet replaced",
                t("hub.password.must_choose", url=url),
                f"{xhtml_escape(t('hub.password.must_choose_first'))} {link}",
            )
