"""JupyterHub Authenticator over the accounts that ``cirkel`` creates."""

from __future__ import annotations

import asyncio

from jupyterhub.auth import Authenticator
from jupyterhub.utils import url_path_join
from tornado import web
from tornado.escape import xhtml_escape
from traitlets import Unicode

from widgets.i18n import t
from widgets.live_context import is_guest

from .accounts import AccountStore, LoginError

__all__ = ["CirkelAuthenticator"]


def _refusal(status: int, reason: str, message: str, html_message: str = "") -> web.HTTPError:
    """An HTTP error whose Swedish ``message`` JupyterHub shows on its page."""
    error = web.HTTPError(status, reason)
    error.jupyterhub_message = message
    if html_message:
        error.jupyterhub_html_message = html_message
    return error


class CirkelAuthenticator(Authenticator):
    """Log in with the one-time password from ``cirkel``, then with one's own.

    A failed login raises an HTTP 403 whose ``jupyterhub_message`` is the Swedish
    reason; JupyterHub's login handler renders it on the login form. A person who
    has not yet chosen their own password is sent to ``/hub/nytt-losenord`` and
    gets no server until they have.
    """

    accounts_file = Unicode(help="SQLite file with the accounts (salted scrypt hashes).").tag(config=True)

    async def authenticate(self, handler, data):
        """Return the user model, or raise 403 with a plain Swedish message."""
        name = (data or {}).get("username", "").strip()
        password = (data or {}).get("password", "")
        try:
            # scrypt takes tens of milliseconds on purpose: off the hub's event loop
            account = await asyncio.to_thread(AccountStore(self.accounts_file).verify, name, password)
        except LoginError as exc:
            self.log.info("Cirkel login refused for %r: %s", name, exc.kind)
            raise _refusal(403, f"login refused: {exc.kind}", str(exc)) from None
        return {"name": account.name, "admin": account.role == "admin"}

    def get_handlers(self, app):
        from .code_join import PAGE as CODE_PAGE
        from .code_join import CodeJoinHandler
        from .password import PAGE, CirkelLoginHandler, NewPasswordHandler

        return [("/login", CirkelLoginHandler), (f"/{PAGE}", NewPasswordHandler), (f"/{CODE_PAGE}", CodeJoinHandler)]

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
            from .password import PAGE

            url = url_path_join(spawner.hub.base_url, PAGE)
            link = f'<a href="{xhtml_escape(url)}">{xhtml_escape(t("hub.password.choose_link"))}</a>'
            raise _refusal(
                403,
                "one-time password not yet replaced",
                t("hub.password.must_choose", url=url),
                f"{xhtml_escape(t('hub.password.must_choose_first'))} {link}",
            )
