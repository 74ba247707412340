"""JupyterLab that asks no one outside: no news feed, no update check, no PyPI extension manager.

JupyterLab's server fetches the JupyterLab announcement feed ("news") and asks
PyPI whether a newer JupyterLab exists, and its extension manager searches PyPI:
each tells a third party that someone runs a party course here. Every server that
serves JupyterLab (a run's service, a leader's own server, ``cirkel serve``) is
configured with :func:`stay_home`.
"""

from __future__ import annotations

from typing import Any

__all__ = ["stay_home"]


def stay_home(c: Any) -> None:
    """Turn JupyterLab's outside requests off in the config ``c``."""
    c.LabApp.news_url = None
    c.LabApp.check_for_updates_class = "jupyterlab.NeverCheckForUpdate"
    # the installed extensions are listed; nothing is searched or installed from PyPI
    c.LabApp.extension_manager = "readonly"
