"""A learner who leaves a module page ends its kernel, on a server without the hub too.

Voilà's page says goodbye on ``beforeunload``: a beacon to ``voila/api/shutdown/<kernel>`` with the
``_xsrf`` cookie's value (``grading.servers.page_goodbye``). Here Chromium opens a module app on the
session's ``cirkel serve`` server, signed in by the token in its first address as a course leader's
link does, and follows the page's own footer link to the accessibility statement, as a person leaves
a page. The server's kernel list, read as the course leader's JupyterLab reads it, must lose that
page's kernel, and no script on the way may fail (the refused beacon was a red console line).
Behind the hub: ``tests/hub/test_hub_kernels.py``.
"""

from __future__ import annotations

import pytest

from browser_harness import open_app, script_errors, wait_until

pytestmark = pytest.mark.browser

MODULE_READY = ".cirkel-submit-button"  # the last widget on a module page


def _kernels(server) -> set[str]:
    return {kernel["id"] for kernel in server.kernels()}


def test_leaving_a_module_page_ends_its_kernel(page, server, course_run, module_url):
    errors = script_errors(page)
    open_app(page, module_url("cecilia", course_run.modules[0]), MODULE_READY)
    kernel = page.evaluate("JSON.parse(document.getElementById('jupyter-config-data').textContent).kernelId")
    assert kernel in _kernels(server), "the page's kernel should be running while she reads"

    page.locator("footer a[href*='tillganglighet']").first.click()
    page.wait_for_url("**/cirkel/tillganglighet**")

    wait_until(lambda: kernel not in _kernels(server), "the page's kernel to end after she left", timeout=30)
    assert errors == [], "the page's goodbye failed"
