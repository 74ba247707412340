"""Helpers for the builder tests: the gallery's sample content as a content file, and the document."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import yaml

from widgets.core.i18n import yaml_data

ROOT = Path(__file__).resolve().parents[1]
GALLERY = ROOT / "voila_apps" / "galleri"
DOCUMENT = ROOT / "courses" / "kalla" / "strategidokumentet.txt"


def gallery_content(name: str) -> dict[str, Any]:
    """The ``content`` of ``voila_apps/galleri/<name>.yml`` (a fresh copy a test may change)."""
    raw = yaml_data((GALLERY / f"{name}.yml").read_text(encoding="utf-8"))
    return copy.deepcopy(raw["content"])


def write_content(name: str, content: dict[str, Any] | None = None) -> str:
    """Write the gallery content (or ``content``) as ``<name>.yml`` in the working directory."""
    data = gallery_content(name) if content is None else content
    Path(f"{name}.yml").write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return f"{name}.yml"


def document_text() -> str:
    """The strategy document on one line per paragraph run (page-break hyphenation undone)."""
    return " ".join(DOCUMENT.read_text(encoding="utf-8").replace("kom-\n\nmer", "kommer").split())


def walk(widget: Any):
    yield widget
    for child in getattr(widget, "children", ()):
        yield from walk(child)


def unlabelled_inputs(widget: Any) -> list[Any]:
    """Inputs and buttons with no accessible name (``description``)."""
    kinds = {
        "Text",
        "Textarea",
        "BoundedIntText",
        "BoundedFloatText",
        "Dropdown",
        "Checkbox",
        "DatePicker",
        "TimePicker",
        "Button",
    }
    return [w for w in walk(widget) if w.__class__.__name__ in kinds and not w.description.strip()]


def visible_text(widget: Any) -> str:
    return " ".join(w.value for w in walk(widget) if w.__class__.__name__ == "HTML")
