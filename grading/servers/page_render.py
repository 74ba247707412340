"""A Voilà page whose rendering fails ends with a Swedish sentence instead of loading forever.

Voilà's handler renders a page in a task that feeds a queue and ends it with
``None``. When the rendering raises (the page's kernel died, or did not answer
within ``VoilaExecutor.startup_timeout``, before the first cell ran), that task
dies, the ``None`` never comes, and the handler sends the browser a heartbeat
every few seconds for as long as the browser waits: the learner sees the
spinner turn for ever and the server logs nothing (Voilà 0.5.13,
``voila/handler.py``, ``put_html``). :class:`EndingRenderer` logs why and ends
the page: its loading message becomes the sentence a failed cell shows
(``app.cell_error``: reload, tell the course leader if it stays).
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

from voila.notebook_renderer import NotebookRenderer

from widgets.core.i18n import t

__all__ = ["EndingRenderer", "failed_page_html", "install"]


def failed_page_html() -> str:
    """The end of a page that could not be rendered: the loading message says so, the spinner stops.

    The loading box is a live region (``role="status"``), so a screen reader hears the change.
    """
    message = json.dumps(t("app.cell_error")).replace("</", "<\\/")
    return (
        "<script>(function () {"
        ' var text = document.getElementById("loading_text");'
        f" if (text) {{ text.textContent = {message}; }}"
        ' var spinner = document.querySelector("#loading .spinner-container");'
        " if (spinner) { spinner.remove(); }"
        ' document.body.classList.add("cirkel-failed");'
        " })();</script>\n"
    )


class EndingRenderer(NotebookRenderer):
    """Voilà's renderer whose page ends, with :func:`failed_page_html`, when its rendering raises."""

    def generate_content_generator(self, kernel_id: str | None = None, kernel_future: Any = None) -> Any:
        return self._ending(super().generate_content_generator(kernel_id, kernel_future))

    async def _ending(self, snippets: AsyncIterator[tuple[str, Any]]) -> AsyncIterator[tuple[str, Any]]:
        try:
            async for snippet in snippets:
                yield snippet
        except Exception:  # whatever it was, the learner is told and the log says why
            self.log.exception("Cirkel: the page of %s could not be rendered to the end", self.notebook_path)
            yield failed_page_html(), {}


def install() -> None:
    """Make Voilà's page handler render with :class:`EndingRenderer` (it looks the class up per request)."""
    import voila.handler

    voila.handler.NotebookRenderer = EndingRenderer  # Voilà's handler looks it up by this name
