"""A page whose rendering fails ends with the Swedish sentence, not a spinner for ever.

Voilà's handler waits for its rendering task to say "done"; when the rendering
raised (the kernel died before the first cell), the page loaded for ever
(``grading.servers.page_render``). Here the real renderer class is driven with a
rendering that sends the page's head and then fails as Voilà's does when the
kernel dies before it answers.
"""

from __future__ import annotations

import asyncio
import json
import logging

import pytest
from voila.configuration import VoilaConfiguration
from voila.notebook_renderer import NotebookRenderer

from grading.servers.page_render import EndingRenderer, failed_page_html
from widgets.core.i18n import t

pytestmark = pytest.mark.unit

HEAD = '<main id="rendered_cells" style="display: none">'


class _DiesBeforeTheFirstCell(NotebookRenderer):
    def generate_content_generator(self, kernel_id=None, kernel_future=None):
        async def snippets():
            yield HEAD, {}
            raise RuntimeError("Kernel died before replying to kernel_info")

        return snippets()


class _Probe(EndingRenderer, _DiesBeforeTheFirstCell):
    """EndingRenderer over a rendering that fails (its ``super()`` is the failing one)."""


async def _page(renderer: NotebookRenderer) -> list[str]:
    return [snippet async for snippet, _ in renderer.generate_content_generator("k", None)]


def test_a_page_whose_kernel_died_ends_with_the_sentence_and_the_log_says_why(caplog):
    renderer = _Probe(
        voila_configuration=VoilaConfiguration(), notebook_path="deltagare/ada/m/m.ipynb", base_url="/user/ada/"
    )
    with caplog.at_level(logging.ERROR):
        page = asyncio.run(asyncio.wait_for(_page(renderer), 10))  # ends: no exception, no wait
    assert page[0] == HEAD
    assert page[-1] == failed_page_html("/user/ada/")
    # the footer the page never reached links to the statement on her own server, as every app's does
    assert '"/user/ada/cirkel/tillganglighet"' in page[-1]
    # the loading message becomes a heading and the sentence for a page that could not start, in Swedish
    # (what a learner reads there: tests/browser/test_page_ends.py)
    assert json.dumps(t("app.page.error_heading", lang="sv")) in page[-1]
    assert json.dumps(t("app.page.start_failed", lang="sv")) in page[-1]
    assert json.dumps(t("app.cell_error", lang="sv")) not in page[-1]  # that one is for a single failed part
    assert "deltagare/ada/m/m.ipynb" in caplog.text and "Kernel died" in caplog.text


def test_without_it_the_same_failure_never_ends_the_page():
    """What Voilà's own renderer does with it: the error leaves the rendering task, no end comes."""
    renderer = _DiesBeforeTheFirstCell(voila_configuration=VoilaConfiguration())
    with pytest.raises(RuntimeError, match="Kernel died"):
        asyncio.run(_page(renderer))


def test_the_sentence_cannot_close_its_script():
    assert "</" not in failed_page_html().removesuffix("</script>\n")
