"""A page whose kernel dies before its first cell tells the learner so, instead of loading for ever.

Voilà's own handler kept such a page open, sending heartbeats, with the spinner
turning (``grading.servers.page_render``). Here a page's kernel dies at its start
for certain: its folder holds an ``ipykernel_launcher.py`` that ends the process,
and ``python -m ipykernel_launcher`` runs in that folder, which Python searches first.
Chromium opens the page as a learner would; the loading message becomes the Swedish
sentence to reload, in the live region a screen reader follows, and the page has ended.
"""

from __future__ import annotations

import shutil

import nbformat
import pytest
from playwright.sync_api import expect

from widgets.core.i18n import t

pytestmark = pytest.mark.browser


@pytest.fixture
def dying_page(server, course_run):
    folder = course_run.root / "trasig-karna"
    folder.mkdir()
    (folder / "ipykernel_launcher.py").write_text("import os\nos._exit(3)\n", encoding="utf-8")
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("print('hej')")])
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    path = folder / "sida.ipynb"
    nbformat.write(notebook, path)
    yield server.voila_url(path)
    shutil.rmtree(folder)


def test_a_page_whose_kernel_dies_says_reload_and_ends(page, dying_page):
    page.goto(dying_page, wait_until="domcontentloaded")  # the whole document came: the page has ended
    status = page.locator("#loading[role=status]")
    expect(status.locator("#loading_text")).to_have_text(t("app.cell_error", lang="sv"), timeout=90_000)
    expect(status.locator(".spinner-container")).to_have_count(0)  # nothing turns any more
    assert page.evaluate("document.readyState") in ("interactive", "complete")
    assert page.locator("body.cirkel-failed").count() == 1
