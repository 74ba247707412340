"""What a widget asked of the page's focus script (``widgets.kit.controls.focus``), read in Python without a browser."""

from __future__ import annotations

from widgets.kit import controls as ui

__all__ = ["focus_requests", "asked_last"]


def focus_requests(widget: object) -> list[str]:
    """The focus request ``widget`` carries (at most one: a new request replaces the old)."""
    return [c for c in widget._dom_classes if c.startswith(ui.FOCUS_CLASS)]  # type: ignore[attr-defined]


def asked_last(*widgets: object) -> object:
    """The widget among ``widgets`` with the newest focus request."""
    numbered = [
        (int(focus_requests(w)[0].removeprefix(ui.FOCUS_CLASS)), i) for i, w in enumerate(widgets) if focus_requests(w)
    ]
    assert numbered, "no focus request"
    return widgets[max(numbered)[1]]
