"""A module opened again takes the widgets' front end from the browser's cache, not from the server.

The lab extensions' files (the widgets' front end) are named by a hash of their
content; ``grading.servers.asset_cache`` has Jupyter Server serve them as immutable,
as JupyterLab serves the same folders. Voilà's own setting, ``no-cache``, had the browser
ask again for each of them on every page, two round trips in a row before a page could
reach its kernel: on a phone's network the slowest part of opening a module.
"""

from __future__ import annotations

import pytest
import requests

pytestmark = pytest.mark.browser

LEARNER = "emil"  # only opens pages: no other test answers as emil

#: every lab extension file the page loaded: URL, and bytes that came over the network (0 from the cache)
EXTENSION_FILES_JS = """() => performance.getEntriesByType('resource')
    .filter(entry => entry.name.includes('/voila/labextensions/'))
    .map(entry => [entry.name, entry.transferSize])"""


def _open(page, url: str) -> list[list]:
    page.goto(url, wait_until="domcontentloaded")
    page.wait_for_selector("body.cirkel-ready", state="attached")
    return page.evaluate(EXTENSION_FILES_JS)


def test_a_module_opened_again_asks_the_server_for_no_extension_file(page, server, course_run) -> None:
    url = server.voila_url(course_run.notebook_path(LEARNER, "05-moten"))
    _open(page, url)
    again = _open(page, url)
    assert any("/remoteEntry." in name for name, _ in again), again  # the widgets' front end was loaded
    assert [(name, size) for name, size in again if size] == []


def test_only_the_hashed_static_files_are_kept_for_good(server) -> None:
    base = server.url("voila/labextensions/@jupyter-widgets/jupyterlab-manager/", with_token=False)
    package = requests.get(base + "package.json", timeout=60)
    entry = package.json()["jupyterlab"]["_build"]["load"]  # static/remoteEntry.<hash>.js
    hashed = requests.get(base + entry, timeout=60)
    assert hashed.status_code == 200
    assert hashed.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    # the package's description is not named by its content: asked again each time, as before
    assert package.headers["Cache-Control"] == "no-cache"
