"""JupyterHub Authenticator over the accounts that ``cirkel`` creates."""

from __future__ import annotations

from jupyterhub.auth import Authenticator
from tornado import web
from traitlets import Unicode

from .accounts import AccountStore, LoginError

__all__ = ["CirkelAuthenticator"]


class CirkelAuthenticator(Authenticator):
    """Log in with the one-time password from ``cirkel hub adduser``.

    A failed login raises an HTTP 403 whose ``jupyterhub_message`` is the Swedish
    reason; JupyterHub's login handler renders it on the login form.
    """

    accounts_file = Unicode(help="SQLite file with the accounts (salted scrypt hashes).").tag(config=True)

    async def authenticate(self, handler, data):
        """Return the user model, or raise 403 with a plain Swedish message."""
        name = (data or {}).get("username", "").strip()
        password = (data or {}).get("password", "")
        try:
            account = AccountStore(self.accounts_file).verify(name, password)
        except LoginError as exc:
            self.log.info("Cirkel login refused for %r: %s", name, exc.kind)
            error = web.HTTPError(403, "login refused: %s", exc.kind)
            error.jupyterhub_message = str(exc)  # shown by JupyterHub's error/login rendering
            raise error from None
        return {"name": account.name, "admin": account.role == "admin"}
