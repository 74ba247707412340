"""Where an app answers an action: results said politely, errors said at once.

A screen reader finishes what it is reading before it reads a polite region
(``role="status"``), and interrupts for an alert (``role="alert"``). One region
for both would make an error wait, or make every "Sparat." interrupt. So an app
gets both, drawn with the app (live regions that are in the page before their
text changes, see ``ui.live``), and only one of them says something at a time.
"""

from __future__ import annotations

from typing import Any

from widgets.kit import controls as ui

__all__ = ["Messages"]


class Messages(ui.VBox):
    """A polite region (``status``, class ``css_class``) and an alert region (``alert``, ``css_class-alert``).

    ``say`` puts a result in the polite one, ``error`` a refusal in the alert one; each
    empties the other, so the page never shows an old error beside a new result.
    """

    def __init__(self, css_class: str = "", **kwargs: Any):
        self.status = ui.live(ui.HTML())
        self.alert = ui.live(ui.HTML(), alert=True)
        super().__init__([self.status, self.alert], **kwargs)
        self.add_class("cirkel-messages")
        if css_class:  # the polite region keeps the name one region had; the alert's ends in -alert
            self.status.add_class(css_class)
            self.alert.add_class(f"{css_class}-alert")

    @property
    def value(self) -> str:
        """The HTML shown now (the error if there is one)."""
        return self.alert.value or self.status.value

    def say(self, html: str) -> None:
        """Show ``html`` (already escaped) as a result, read when the screen reader is free."""
        self.alert.value = ""
        self.status.value = html

    def error(self, html: str) -> None:
        """Show ``html`` (already escaped) as an error, read at once."""
        self.status.value = ""
        self.alert.value = html

    def clear(self) -> None:
        self.status.value = self.alert.value = ""
