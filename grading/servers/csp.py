"""The Content-Security-Policy of every page Cirkel serves: the hub, the apps, JupyterLab.

A course leader's browser session reaches every member's answers, so a script a
learner smuggled in must find nothing to load and nowhere to send: pages load
scripts, styles, fonts and pictures only from their own origin, talk only to it
(HTTP and its websockets), cannot be framed by another site, post forms only to
it, and carry no plugins. What stays allowed, and why (measured in Chromium
with the browser tests, see ``tests/browser/test_csp_pages.py``):

- ``script-src 'unsafe-inline'``: Voilà's page is built from inline scripts
  (its loading steps and ``voila_finish``, one per cell), JupyterHub's pages
  define ``window.jhdata`` inline and formgrader's templates run inline too; none
  of them can be given a nonce from outside their templates.
- ``'unsafe-eval'`` only on servers that serve JupyterLab (a course run's
  service, ``cirkel serve``): its settings plugin compiles JSON schemas with
  ajv, which builds functions from strings (without it JupyterLab does not
  start). Learners' servers and the live services serve Voilà only, which runs
  without it.
- ``style-src 'unsafe-inline'``: Lumino, ipywidgets' layouts and Cirkel's own
  widgets write ``<style>`` elements and ``style`` attributes.
- ``img-src data:`` and ``font-src data:``: JupyterLab's icons and fonts come as
  ``data:`` URLs (and Cirkel's own favicon is an empty one).

Voilà as a server extension would load MathJax from a CDN (which the policy
blocks); :func:`apply_server` makes it use the MathJax bundled with Voilà.

Servers of the apps (learners' servers, run and live services, ``cirkel
serve``) take it through :func:`apply_server`, the hub through :func:`apply_hub`.
"""

from __future__ import annotations

from typing import Any

__all__ = ["POLICY", "HEADER", "policy", "headers", "apply_server", "apply_hub"]

HEADER = "Content-Security-Policy"
#: directive -> sources, for every page; nothing from another host
POLICY: dict[str, tuple[str, ...]] = {
    "default-src": ("'self'",),
    "script-src": ("'self'", "'unsafe-inline'"),
    "style-src": ("'self'", "'unsafe-inline'"),
    "img-src": ("'self'", "data:"),
    "font-src": ("'self'", "data:"),
    # 'self' covers the same origin's ws:// and wss:// (CSP 3; Chromium 71+, Firefox, Safari 16+)
    "connect-src": ("'self'",),
    "object-src": ("'none'",),
    "frame-ancestors": ("'self'",),
    "base-uri": ("'self'",),
    "form-action": ("'self'",),
}


def policy(*, report_uri: str | None = None, allow_eval: bool = False) -> str:
    """The header's value; ``report_uri`` is where the browser reports what it blocked."""
    directives = dict(POLICY)
    if allow_eval:
        directives["script-src"] = (*directives["script-src"], "'unsafe-eval'")
    parts = [f"{name} {' '.join(sources)}" for name, sources in directives.items()]
    if report_uri:
        parts.append(f"report-uri {report_uri}")
    return "; ".join(parts)


def headers(**kwargs: Any) -> dict[str, str]:
    """``{"Content-Security-Policy": policy(...)}``, for a Tornado application's ``headers`` setting."""
    return {HEADER: policy(**kwargs)}


def _merge(settings: Any, **kwargs: Any) -> dict[str, Any]:
    """``tornado_settings`` with Cirkel's header added, keeping whatever else is set there."""
    merged = dict(settings or {})
    merged["headers"] = {**dict(merged.get("headers") or {}), **headers(**kwargs)}
    return merged


def apply_server(c: Any, *, lab: bool = False) -> None:
    """Send the policy from a Jupyter server: every page and file it serves (Voilà, JupyterLab, formgrader).

    Parameters
    ----------
    lab : the server serves JupyterLab too, which needs ``'unsafe-eval'``.
    """
    settings = _merge(c.ServerApp.get("tornado_settings"), allow_eval=lab)
    # No MathJax from the CDN. Empty, not None: Jupyter Server's pages (Notebook 7's /tree) read the URL
    # as a string; Voilà's pages get a stand-in from grading.servers.no_math.
    settings["mathjax_url"] = settings["mathjax_config"] = ""
    c.ServerApp.tornado_settings = settings


def apply_hub(c: Any, *, base_url: str = "/") -> None:
    """Send the policy from JupyterHub's own pages (login, home, token, errors); reports go to the hub."""
    hub = base_url.rstrip("/") + "/hub/security/csp-report"
    c.JupyterHub.tornado_settings = _merge(c.JupyterHub.get("tornado_settings"), report_uri=hub)
