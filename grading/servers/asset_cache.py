"""The app pages' front-end extension files kept by the browser, as JupyterLab keeps its own.

A Jupyter server extension (``jpserver_extensions``). Voilà serves the lab extensions
(the widgets' front end among them) under ``<base>/voila/labextensions/`` with
``Cache-Control: no-cache``: every page asked the server again for each file, first
the extension's entry, then, once that had run, its chunks, two round trips in a
row before the page could reach its kernel. Their ``static`` folders hold only files
named by a hash of their content, which is why ``jupyterlab_server`` serves the very
same folders under ``lab/extensions/`` as immutable. This extension adds Voilà's URLs of
those folders to Jupyter Server's own ``static_immutable_cache`` setting, so a page
opened again (the learner's next module, a reload) takes them from the browser's cache.
"""

from __future__ import annotations

from glob import escape, glob
from os.path import relpath
from typing import Any

from jupyter_server.utils import url_path_join

__all__ = ["EXTENSION", "immutable_prefixes"]

#: the extension's name in ``ServerApp.jpserver_extensions``
EXTENSION = "grading.servers.asset_cache"


def _jupyter_server_extension_points() -> list[dict[str, str]]:
    return [{"module": EXTENSION}]


def immutable_prefixes(base_url: str, labextension_paths: list[str]) -> list[str]:
    """The URL of every lab extension's ``static`` folder as Voilà serves it, below ``base_url``."""
    labextensions_url = url_path_join(base_url, "voila", "labextensions")
    return sorted(
        {
            url_path_join(labextensions_url, relpath(folder, root)) + "/"
            for root in labextension_paths
            for folder in glob(f"{escape(root)}/**/static", recursive=True)
        }
    )


def _load_jupyter_server_extension(serverapp: Any) -> None:
    from voila.configuration import VoilaConfiguration
    from voila.utils import get_voila_labextensions_path

    settings = serverapp.web_app.settings
    voila = VoilaConfiguration(parent=serverapp)
    prefixes = immutable_prefixes(
        settings.get("base_url", "/"), get_voila_labextensions_path(voila.extra_labextensions_path)
    )
    settings["static_immutable_cache"] = [*settings.get("static_immutable_cache", []), *prefixes]
