"""Voilà's page config as Cirkel's pages need it: JupyterLab's own MathJax from Voilà's bundle.

Voilà's front end loads one of two MathJax plugins. With ``fullMathjaxUrl`` and ``mathjaxConfig``
both null in the page config it loads ``@jupyterlab/mathjax-extension``, MathJax 3 bundled with
Voilà (nothing fetched from elsewhere); with either set it loads the old MathJax 2 plugin, which
fetches MathJax from that URL (Voilà's default: cdnjs, refused by Cirkel's Content-Security-Policy)
and, given an empty URL, fails to activate with an error in every page's console.

Jupyter Server's own pages read ``mathjax_url`` from the server's settings as a string
(``grading.servers.csp`` keeps it empty there), so the null is set in the page config alone,
through Voilà's ``page_config_hook``: Voilà calls it for a page with a new kernel, and
``grading.servers.preheat_manager`` for a preheated one.
"""

from __future__ import annotations

from typing import Any

__all__ = ["MATHJAX_OPTIONS", "bundled_mathjax"]

#: the page config's keys whose null makes Voilà's front end use its bundled MathJax 3
MATHJAX_OPTIONS = ("fullMathjaxUrl", "mathjaxConfig")


def bundled_mathjax(page_config: dict[str, Any], **_context: Any) -> dict[str, Any]:
    """``page_config`` with no MathJax URL or configuration: Voilà's ``page_config_hook``."""
    return {**page_config, **dict.fromkeys(MATHJAX_OPTIONS)}
