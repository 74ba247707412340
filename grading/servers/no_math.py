"""Voilà's page config as Cirkel's pages need it: no MathJax, and no plugin failing for the want of it.

Voilà's front end always activates one of JupyterLab's MathJax plugins. With ``fullMathjaxUrl``
and ``mathjaxConfig`` both null in the page config it is MathJax 3 from Voilà's bundle: on the
first widget label it fetches and runs some 880 KB of script on every page (and Voilà tests
MathJax 3 with ipywidgets no more: voila-dashboards/voila#1412). Otherwise it is the MathJax 2
plugin, which loads MathJax from ``fullMathjaxUrl`` at the first typesetting (Voilà's default:
cdnjs, refused by Cirkel's Content-Security-Policy) and, given an empty URL as Jupyter Server's
settings hold it (``grading.servers.csp``), fails with an error in every page's console.

Cirkel's courses have no mathematics. :func:`no_math`, Voilà's ``page_config_hook``, gives the
MathJax 2 plugin the template's ``static/cirkel-no-math.js``: the few calls it and ipywidgets make,
answered by doing nothing. Voilà calls the hook for a page with a new kernel, and
``grading.servers.preheat_manager`` for a preheated one.
"""

from __future__ import annotations

from typing import Any

__all__ = ["NO_MATH_SCRIPT", "no_math"]

#: the stand-in for MathJax 2, in Cirkel's Voilà template's ``static`` folder
NO_MATH_SCRIPT = "static/cirkel-no-math.js"


def no_math(page_config: dict[str, Any], *, base_url: str, **_context: Any) -> dict[str, Any]:
    """``page_config`` whose MathJax is the template's stand-in (its URL versioned by its content)."""
    from voila.utils import make_url

    from grading.servers.serve.apps import TEMPLATE_NAME

    return {**page_config, "fullMathjaxUrl": make_url(TEMPLATE_NAME, base_url, NO_MATH_SCRIPT)}
