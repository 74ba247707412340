"""SameSite on every cookie the hub, the people's servers and the run services set.

Without it a browser sends the course leader's cookies along with a request
that another site starts (a form posted from a page an attacker sent them).
``Lax``, not ``Strict``: JupyterHub's login to a server or service is a chain
of top-level redirects (server -> ``/hub/api/oauth2/authorize`` -> back to the
server's ``oauth_callback``), and a person often arrives by a link from another
site (the invitation e-mail, the big screen's address). ``Strict`` would leave
out the hub's cookie on that first arrival and send them to the login page
though they are logged in. ``Lax`` sends cookies on such top-level GETs only,
never with a cross-site POST, frame, image or script.

:func:`hub_cookies` sets the hub's own (login, session, ``_xsrf``); JupyterHub
passes its ``cookie_options`` on to each person's server. :func:`server_cookies`
sets a single-user server's or service's own (its login and OAuth state cookies
through ``HubOAuth``, its ``_xsrf``), for the run and live services, which get
nothing from the hub, and for every server's ``_xsrf``.
"""

from __future__ import annotations

import os
from typing import Any

__all__ = ["SAME_SITE", "COOKIE_OPTIONS", "hub_cookies", "server_cookies"]

#: the SameSite attribute of every cookie (see the module's docstring for why not Strict)
SAME_SITE = "Lax"
#: keyword arguments of tornado's ``set_cookie`` that every cookie gets
COOKIE_OPTIONS = {"samesite": SAME_SITE}


def _tornado_settings(section: Any, **settings: Any) -> None:
    """Add ``settings`` to a section's ``tornado_settings``, keeping what another part set there.

    A plain dict, not traitlets' lazy ``.update()``: JupyterHub's single-user
    extension reads ``c.ServerApp.tornado_settings`` as a dict when it starts.
    """
    existing = section.get("tornado_settings")
    section.tornado_settings = (dict(existing) if isinstance(existing, dict) else {}) | settings


def hub_cookies(c: Any) -> None:
    """SameSite on the hub's cookies, and (through JupyterHub) on each person's server's login cookies."""
    _tornado_settings(c.JupyterHub, cookie_options=dict(COOKIE_OPTIONS))


def server_cookies(c: Any) -> None:
    """SameSite on a single-user server's or service's cookies (load in its ``--config`` file).

    The ``_xsrf`` cookie keeps the path jupyter_server gives it, the server's own
    prefix (``JUPYTERHUB_SERVICE_PREFIX``, set by the hub for servers and services).
    """
    c.HubOAuth.cookie_options = dict(COOKIE_OPTIONS)
    c.IdentityProvider.cookie_options = dict(COOKIE_OPTIONS)
    prefix = os.environ.get("JUPYTERHUB_SERVICE_PREFIX") or "/"
    _tornado_settings(c.ServerApp, xsrf_cookie_kwargs={"path": prefix, **COOKIE_OPTIONS})
