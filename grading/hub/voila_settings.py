"""Cirkel's Voilà settings, one place for every Jupyter server that renders the apps.

The learners' servers, the course runs' services and the Kubernetes image all
load a config file that calls :func:`apply`; ``cirkel serve`` without the hub
passes the same settings on the command line (``grading.serve.server_command``).
"""

from __future__ import annotations

from typing import Any

__all__ = ["apply"]


def apply(c: Any) -> None:
    """Cirkel's template and string filter, sources stripped, no tracebacks, only safe static files.

    The template folder must be on ``JUPYTER_PATH`` (the spawner and the services put it there).
    """
    from grading.serve import TEMPLATE_NAME, VOILA_EXTENSION_DENYLIST
    from widgets.home import FEEDBACK_ALLOWLIST

    c.VoilaConfiguration.template = TEMPLATE_NAME
    c.VoilaConfiguration.strip_sources = True
    c.VoilaConfiguration.show_tracebacks = False
    # pictures, and the feedback nbgrader's fetch_feedback puts in the learner's folder
    c.VoilaConfiguration.file_allowlist = [r".*\.(png|jpg|gif|svg)", FEEDBACK_ALLOWLIST]
    c.VoilaExporter.filters = {"cirkel_t": "widgets.i18n.t"}
    c.VoilaConfiguration.extension_denylist = list(VOILA_EXTENSION_DENYLIST)
