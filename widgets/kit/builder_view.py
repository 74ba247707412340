"""The view every builder shares: headed steps, a live check, and download links.

``BuilderExercise`` is an ``Exercise`` whose answers are one plain-data object
(a dataclass from the builder's model module). The controls only edit that
object through ``_edit``; each edit is saved, the check (warnings and a summary
line, in one live region made with ``ui.live``) is redrawn, and an old download link is
taken away so nobody downloads a stale document.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, ClassVar

import ipywidgets as ipw
from traitlets import List, Unicode

from widgets.core.i18n import t
from widgets.kit import controls as ui
from widgets.kit import download as _download
from widgets.kit.download import DOCX_MIME
from widgets.kit.exercise import Exercise
from widgets.models.builder import Block, BuilderWarning, Step, blocks_markdown

__all__ = ["BuilderExercise", "WIDE", "full_width", "step_header", "download_link"]

WIDE = {"description_width": "initial"}


def full_width(**extra: Any) -> ipw.Layout:
    return ui.layout(width="100%", **extra)


def step_header(step: Step, fallback_source: str, css: str) -> ipw.HTML:
    """A step's heading, help text and quote with its place in the document."""
    parts = [f'<h4 class="{css}-step">{html.escape(step.title)}</h4>']
    if step.help:
        parts.append(f"<p>{html.escape(step.help)}</p>")
    if step.quote:
        source = step.source or fallback_source
        parts.append(
            f'<blockquote class="cirkel-quote"><p>{html.escape(step.quote)}</p>'
            f"<footer>{html.escape(t('builders.quote_source', source=source))}</footer></blockquote>"
        )
    return ui.HTML("".join(parts))


def download_link(filename: str, mime: str, payload: bytes) -> str:
    """A labelled ``<a download>`` link carrying the file in a ``data:`` URL."""
    return _download.download_link(filename, mime, payload, t("builders.download_link", name=filename))


class BuilderExercise(Exercise):
    """Base of the builders: subclasses set ``css`` and provide the model hooks below."""

    css: ClassVar[str] = "cirkel-builder"
    max_rows: ClassVar[int] = 12

    warnings = List(Unicode(), read_only=True, help="Codes of the check's current warnings, in order.")

    # -- hooks a builder provides ---------------------------------------------------
    def check_warnings(self) -> list[BuilderWarning]:
        """What to look over in the current answers."""
        raise NotImplementedError

    def summary(self) -> str:
        """One plain line shown above the warnings (totals, balance); may be empty."""
        return ""

    def export_title(self) -> str:
        raise NotImplementedError

    def export_blocks(self) -> list[Block]:
        raise NotImplementedError

    def export_filename(self) -> str:
        """The download's file name without extension."""
        raise NotImplementedError

    # -- exports --------------------------------------------------------------------
    def to_markdown(self) -> str:
        """The document as Markdown."""
        return blocks_markdown(self.export_title(), self.export_blocks())

    def docx_bytes(self) -> bytes:
        """The document as a Word file."""
        from widgets.kit.builder_docx import blocks_docx_bytes

        return blocks_docx_bytes(self.export_title(), self.export_blocks())

    def to_docx(self, path: str | Path) -> Path:
        """Write the Word file to ``path``."""
        from widgets.kit.builder_docx import write_blocks_docx

        return write_blocks_docx(self.export_title(), self.export_blocks(), path)

    # -- shared parts of the view -------------------------------------------------------
    def _make_shared_controls(self) -> None:
        self._syncing = False
        self._check = ui.live(ui.HTML())  # the check, said again after each edit
        self._check.add_class(f"{self.css}-check")
        self.markdown_button = ui.Button(description=t("builders.download_markdown"))
        self.docx_button = ui.Button(description=t("builders.download_docx"))
        self.markdown_button.add_class(f"{self.css}-markdown")
        self.docx_button.add_class(f"{self.css}-docx")
        self.download = ui.HTML()
        self.download.add_class(f"{self.css}-download")
        self.markdown_button.on_click(lambda _b: self._offer_markdown())
        self.docx_button.on_click(lambda _b: self._offer_docx())

    def _section(self, *children: ipw.Widget, name: str = "") -> ipw.VBox:
        box = ui.VBox(list(children))
        box.add_class(f"{self.css}-section")
        if name:
            box.add_class(f"{self.css}-{name}")
        return box

    def _header(self, title: str, source: str, intro: str) -> ipw.HTML:
        text = f'<h3 class="{self.css}-title">{html.escape(title)}</h3>'
        if source:
            text += f'<p class="cirkel-source">{html.escape(t("builders.source", source=source))}</p>'
        if intro:
            text += f"<p>{html.escape(intro)}</p>"
        return ui.HTML(text)

    def _check_section(self, title_key: str) -> ipw.VBox:
        heading = ui.HTML(f'<h4 class="{self.css}-step">{html.escape(t(title_key))}</h4>')
        return self._section(heading, self._check, name="check-section")

    def _export_section(self, title_key: str) -> ipw.VBox:
        heading = ui.HTML(f'<h4 class="{self.css}-step">{html.escape(t(title_key))}</h4>')
        return self._section(heading, ui.HBox([self.markdown_button, self.docx_button]), self.download, name="export")

    # -- editing ----------------------------------------------------------------------
    def _edit(self, change: Callable[[], None]) -> None:
        """Apply one edit from a control to the model, then save and recheck."""
        if self._syncing:
            return
        change()
        self._changed()

    def _changed(self) -> None:
        self.save()
        self._refresh_check()
        self.download.value = ""  # an old link would download an old document

    def _guarded(self, action: Callable[[], Any]) -> None:
        """Run a button's action; a refusal becomes a plain status message."""
        try:
            action()
        except ValueError as problem:
            self.status = str(problem)

    def _sync(self, action: Callable[[], None]) -> None:
        """Set controls from the model without their observers editing it back."""
        self._syncing = True
        try:
            action()
        finally:
            self._syncing = False

    def _check_room(self, rows: Sequence[Any]) -> None:
        if len(rows) >= self.max_rows:
            raise ValueError(t("builders.too_many_rows", max=self.max_rows))

    @staticmethod
    def _focus_last(rows: Sequence[Any], attribute: str) -> None:
        if rows:
            control = getattr(rows[-1], attribute, None)
            if control is not None and hasattr(control, "focus"):
                ui.focus(control)

    def _refresh_check(self) -> None:
        found = self.check_warnings()
        self.set_trait("warnings", [w.code for w in found])
        summary = self.summary()
        body = f'<p class="{self.css}-summary">{html.escape(summary)}</p>' if summary else ""
        if found:
            items = "".join(
                f'<li class="cirkel-warning" data-code="{html.escape(w.code)}">{html.escape(w.message)}</li>'
                for w in found
            )
            body += f"<p>{html.escape(t('builders.check_intro', count=len(found)))}</p><ul>{items}</ul>"
        else:
            body += f'<p class="cirkel-ok">{html.escape(t("builders.check_ok"))}</p>'
        self._check.value = body

    def _offer_markdown(self) -> None:
        payload = self.to_markdown().encode("utf-8")
        name = f"{self.export_filename()}.md"
        self.download.value = download_link(name, "text/markdown;charset=utf-8", payload)

    def _offer_docx(self) -> None:
        self.download.value = download_link(f"{self.export_filename()}.docx", DOCX_MIME, self.docx_bytes())
