"""A Voilà page whose rendering fails ends with a Swedish sentence instead of loading forever.

Voilà's handler renders a page in a task that feeds a queue and ends it with
``None``. When the rendering raises (the page's kernel died, or did not answer
within ``VoilaExecutor.startup_timeout``, before the first cell ran), that task
dies, the ``None`` never comes, and the handler sends the browser a heartbeat
every few seconds for as long as the browser waits: the learner sees the
spinner turn for ever and the server logs nothing (Voilà 0.5.13,
``voila/handler.py``, ``put_html``). :class:`EndingRenderer` logs why and ends
the page: its loading message becomes a heading and a sentence of its own
(``app.page.start_failed``: what happened, that her answers are kept, reload, tell the course
leader if it stays). Such a page never got its first cell, so it is the whole page that failed;
``app.cell_error`` stays for a cell that fails on a page whose cells have begun to come. Her answers are kept: each change is
written to ``svar/`` on disk as it is made (``widgets.storage.answers``).

A kernel that dies later, after the page's first cells, does not end the rendering: Voilà's
cell loop puts a stderr line in the failed cell's place, which Cirkel's template never shows,
and goes on with the next cells in a kernel that is dead or restarted empty: the page came up
with parts silently missing.
:class:`EndingRenderer` shows ``app.cell_error`` in that place and ends the page there.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import nbformat
from voila.notebook_renderer import NotebookRenderer

from grading.servers import template_cache
from grading.servers.page_snapshot import marked_snapshot
from widgets.core.i18n import t

__all__ = ["EndingRenderer", "SERVER_FAULT", "failed_page_html", "install", "server_fault"]


def _js(text: str) -> str:
    """``text`` as a JavaScript string that cannot close the ``<script>`` it stands in."""
    return json.dumps(text).replace("</", "<\\/")


def failed_page_html(base_url: str = "/") -> str:
    """The end of a page that could not be rendered: the loading message says so, the spinner stops.

    The loading box is a live region (``role="status"``) inside the page's main landmark, so a
    screen reader hears the change. The skip link, whose target (the cells) stays hidden, now
    leads to the sentence, which takes the focus (``tabindex="-1"``, drawn with a focus ring).
    The footer with the link to the accessibility statement, which the page never reached, is
    added as every app has it (``base_url``: the server's, before ``cirkel/tillganglighet``).
    """
    return (
        "<script>(function () {"
        ' var spinner = document.querySelector("#loading .spinner-container");'
        " if (spinner) { spinner.remove(); }"
        ' var text = document.getElementById("loading_text");'
        " if (text) {"
        ' var heading = document.createElement("h1");'
        ' heading.className = "cirkel-failed-heading";'
        f" heading.textContent = {_js(t('app.page.error_heading'))};"
        " text.parentNode.insertBefore(heading, text);"
        f" text.textContent = {_js(t('app.page.start_failed'))};"
        " text.tabIndex = -1;"
        ' var skip = document.querySelector(".cirkel-skip-link");'
        ' if (skip) { skip.setAttribute("href", "#loading_text"); }'
        " }"
        ' var footer = document.createElement("footer");'
        ' footer.className = "cirkel-footer";'
        ' var link = footer.appendChild(document.createElement("a"));'
        ' link.className = "cirkel-statement-link";'
        f" link.href = {_js(base_url + 'cirkel/tillganglighet')};"
        f" link.textContent = {_js(t('statement.link'))};"
        " document.body.appendChild(footer);"
        ' document.body.classList.add("cirkel-failed");'
        " })();</script>\n"
    )


#: How Voilà, with tracebacks hidden, marks the cell it makes up when running a cell raised at the
#: server rather than in the notebook (the kernel died mid-page): a stderr stream, which Cirkel's
#: template never shows (``voila/notebook_renderer.py``, ``_jinja_cell_generator``).
SERVER_FAULT = "An exception occurred at the server"


def server_fault(cell: Any) -> bool:
    """Whether ``cell`` is Voilà's made-up cell for a fault at the server (no source, the stderr sign)."""
    return not cell.get("source") and any(
        output.get("output_type") == "stream" and str(output.get("text", "")).startswith(SERVER_FAULT)
        for output in cell.get("outputs", [])
    )


class EndingRenderer(NotebookRenderer):
    """Voilà's renderer whose page ends, with :func:`failed_page_html`, when its rendering raises.

    A cell whose run fails at the server (the kernel died after the page's first cells) shows
    ``app.cell_error`` where it stands, and the page ends there, as Voilà ends it at a cell that
    raises: the cells after it would run in a kernel that has lost what the cells before it made.
    """

    #: each cell's widget outputs by Voilà's ``cell-index``, to draw them again after a handover
    snapshot_outputs: dict[int, list[Any]]

    async def _jinja_cell_generator(self, nb: Any, kernel_id: str) -> AsyncIterator[Any]:
        cells = super()._jinja_cell_generator(nb, kernel_id)
        self.snapshot_outputs = {}
        index = 0
        async for cell in cells:
            index += 1
            if server_fault(cell):
                self.log.error("Cirkel: the page of %s ends at a cell that failed at the server", self.notebook_path)
                # an error output: the template's error block shows app.cell_error in its place
                cell.outputs = [nbformat.v4.new_output("error", ename="ServerFault", evalue="", traceback=[])]
                yield cell
                await cells.aclose()
                await self._cleanup_resources()
                return
            self._draw_snapshot(cell, index)
            yield cell

    def _draw_snapshot(self, cell: Any, index: int) -> None:
        """Put the cell's widgets, drawn from the state the server has seen, where the template finds them."""
        outputs = cell.get("outputs") or []
        if not outputs:
            return
        try:
            drawn = marked_snapshot(outputs, self.executor.widget_state, index)
        except Exception:  # a drawing is a courtesy: the live page comes all the same
            self.log.exception("Cirkel: the saved page of %s could not be drawn at cell %d", self.notebook_path, index)
            return
        if drawn:
            self.snapshot_outputs[index] = outputs
            cell.metadata["cirkel_snapshot"] = drawn

    async def initialize(self, **kwargs: Any) -> None:
        await super().initialize(**kwargs)
        template_cache.use(self.exporter.environment)  # the templates compiled once (in the hub's server zygote)

    def generate_content_generator(self, kernel_id: str | None = None, kernel_future: Any = None) -> Any:
        return self._ending(super().generate_content_generator(kernel_id, kernel_future))

    async def _ending(self, snippets: AsyncIterator[tuple[str, Any]]) -> AsyncIterator[tuple[str, Any]]:
        try:
            async for snippet in snippets:
                yield snippet
        except Exception:  # whatever it was, the learner is told and the log says why
            self.log.exception("Cirkel: the page of %s could not be rendered to the end", self.notebook_path)
            yield failed_page_html(self.base_url or "/"), {}


def install() -> None:
    """Make Voilà's page handler render with :class:`EndingRenderer` (it looks the class up per request)."""
    import voila.handler

    voila.handler.NotebookRenderer = EndingRenderer  # Voilà's handler looks it up by this name
