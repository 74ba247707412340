"""The accessibility statement on every Jupyter server that renders Cirkel's apps.

A Jupyter server extension (``jpserver_extensions``): ``<base>/cirkel/tillganglighet``
answers without a login, so the footer link of every Voilà app works wherever
the app is served (a learner's server, a run's service, the live service,
``cirkel serve``). The text is :mod:`grading.servers.statement`'s. The extension also
gives the server's templates ``cirkel_t``, so Voilà's own pages (errors, the
file list) say the footer's words from the string table.
"""

from __future__ import annotations

from typing import Any

from jupyter_server.base.handlers import JupyterHandler
from jupyter_server.utils import url_path_join

from grading.servers.statement import SERVER_PAGE, AccessibilityStatement, page_html

__all__ = ["EXTENSION", "StatementHandler", "template_vars"]

#: the extension's name in ``ServerApp.jpserver_extensions``
EXTENSION = "grading.servers.statement_server"

try:  # jupyter_server 2.13+: say the page is open to everyone (it is, whatever the server's default)
    from jupyter_server.auth.decorator import allow_unauthenticated
except ImportError:  # pragma: no cover

    def allow_unauthenticated(method: Any) -> Any:  # type: ignore[misc]  # older jupyter_server
        return method


class StatementHandler(JupyterHandler):
    """``GET``: the statement as a page of its own."""

    @allow_unauthenticated
    def get(self) -> None:
        statement = AccessibilityStatement(config=self.settings.get("config"))
        self.set_header("Content-Type", "text/html; charset=UTF-8")
        self.finish(page_html(statement))

    def check_xsrf_cookie(self) -> None:  # a GET page with no form
        return None


def _jupyter_server_extension_points() -> list[dict[str, str]]:
    return [{"module": EXTENSION}]


def template_vars(settings: dict[str, Any]) -> dict[str, Any]:
    """The server's template variables with ``cirkel_t``: Voilà's own pages (``page.html``, errors) take
    their words, the footer's link among them, from Cirkel's one string table as the apps do."""
    from widgets.core.i18n import t

    return {**(settings.get("jinja_template_vars") or {}), "cirkel_t": t}


def _load_jupyter_server_extension(serverapp: Any) -> None:
    settings = serverapp.web_app.settings
    base = settings.get("base_url", "/")
    serverapp.web_app.add_handlers(".*$", [(url_path_join(base, SERVER_PAGE), StatementHandler)])
    settings["jinja_template_vars"] = template_vars(settings)
