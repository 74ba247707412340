"""The learner's saved page drawn as plain HTML while her page's kernel starts: the first paint.

Voilà sends a page's cells as its kernel runs them, but each widget is drawn only when
Voilà's front end has loaded, connected to the kernel and fetched every widget's state:
seconds after the HTML arrived. The server sees each widget's state go by already (the
executor, nbclient's ``NotebookClient``, keeps every ``comm_open`` and ``update`` in
``widget_state``), so :func:`snapshot_html` draws the widgets of a cell's output from that
state as plain HTML, and the page shows the text and her saved answers as soon as each cell
has run. The page's script (``cirkel-snapshot.js``) puts what she types or chooses in the
drawing meanwhile into the live widgets when they come, and removes the drawing then.

What a widget holds is drawn as it is shown live: text escaped; an ``HTML`` widget's value
(which holds learner text that the exercise has already escaped) cleaned again by the kept
sanitiser (``widgets.core.safe_text.widget_html``), since HTML in the page's own markup would
run what ``innerHTML`` never runs.
Widgets hidden by their layout are left out; kinds of widget not drawn here leave no trace.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from html.parser import HTMLParser
from typing import Any

from widgets.core.i18n import t
from widgets.core.safe_text import text_html, widget_html

__all__ = ["MODEL_PREFIX", "SNAPSHOT_CLASS", "keep_state", "marked_snapshot", "redraw", "snapshot_html"]

#: how a widget's state refers to another widget (a child, its layout)
MODEL_PREFIX = "IPY_MODEL_"
#: the class of a drawn cell output; ``cirkel-snapshot.js`` finds and replaces it by this
SNAPSHOT_CLASS = "cirkel-snapshot"
#: how deep boxes in boxes are followed (a module's deepest is about eight)
MAX_DEPTH = 40
_BOXES = frozenset({"BoxModel", "VBoxModel", "HBoxModel", "GridBoxModel", "AccordionModel", "TabModel", "StackModel"})
_TEXTS = frozenset(
    {"TextModel", "IntTextModel", "FloatTextModel", "BoundedIntTextModel", "BoundedFloatTextModel", "PasswordModel"}
)
_CHOICES = frozenset({"DropdownModel", "SelectModel"})


def _hidden(state: Mapping[str, Any], states: Mapping[str, Mapping[str, Any]]) -> bool:
    layout = _ref(state.get("layout"), states)
    return layout is not None and (layout.get("display") == "none" or layout.get("visibility") == "hidden")


def _ref(value: object, states: Mapping[str, Mapping[str, Any]]) -> Mapping[str, Any] | None:
    if isinstance(value, str) and value.startswith(MODEL_PREFIX):
        return states.get(value[len(MODEL_PREFIX) :])
    return None


def _label(state: Mapping[str, Any]) -> str:
    text = state.get("description") or ""
    return f'<span class="cirkel-snap-label">{text_html(text)}</span>' if text else ""


def _name(state: Mapping[str, Any]) -> str:
    """An ``aria-label`` for a field without a description: its placeholder, tooltip, or "your answer"."""
    if state.get("description"):
        return ""
    name = state.get("placeholder") or state.get("tooltip") or t("app.snapshot.field")
    return f' aria-label="{text_html(name)}"'


def _field(state: Mapping[str, Any], body: str) -> str:
    label = _label(state)
    if label:
        return f'<label class="cirkel-snap-field">{label}{body}</label>'
    return f'<div class="cirkel-snap-field">{body}</div>'


#: the class of the text that names the choices after it (``widgets.kit.controls.LEGEND_CLASS``, which the
#: grading side may not import; ``tests/unit/test_page_snapshot.py`` keeps the two equal)
LEGEND_CLASS = "cirkel-legend"


class _Drawing:
    """What one drawing counts and remembers as it goes: radio groups (each its own ``name``), the last legend."""

    def __init__(self) -> None:
        self.radios = 0
        self.legend = ""


class _Text(HTMLParser):
    """The text of an HTML value, or of its first element whose class is ``within``."""

    def __init__(self, within: str | None) -> None:
        super().__init__(convert_charrefs=True)
        self.within = within
        self.depth = 0 if within else 1
        self.found = within is None
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.depth:
            self.depth += 1
        elif not self.found and self.within in (dict(attrs).get("class") or "").split():
            self.depth, self.found = 1, True

    def handle_endtag(self, tag: str) -> None:
        if self.depth > 1 or (self.depth and self.within):
            self.depth -= 1

    def handle_data(self, data: str) -> None:
        if self.depth:
            self.text.append(data)


def _text(cleaned: str, within: str | None = None) -> str:
    """What a screen reader reads of ``cleaned`` (cleaned HTML), or of its ``within`` element; "" if none."""
    reader = _Text(within)
    reader.feed(cleaned)
    return " ".join("".join(reader.text).split()) if reader.found else ""


def _options(state: Mapping[str, Any]) -> list[str]:
    return [str(option) for option in state.get("_options_labels") or ()]


def _disabled(state: Mapping[str, Any]) -> str:
    return " disabled" if state.get("disabled") else ""


def _draw(state: Mapping[str, Any], states: Mapping[str, Mapping[str, Any]], depth: int, drawing: _Drawing) -> str:
    if depth > MAX_DEPTH or _hidden(state, states):
        return ""
    model = state.get("_model_name")
    if model in _BOXES:
        children = [_ref(child, states) for child in state.get("children") or ()]
        inner = "".join(_draw(child, states, depth + 1, drawing) for child in children if child is not None)
        kind = "hbox" if model == "HBoxModel" else "vbox"
        return f'<div class="cirkel-snap-box cirkel-snap-{kind}">{inner}</div>' if inner else ""
    if model in ("HTMLModel", "HTMLMathModel"):
        cleaned = widget_html(state.get("value"))
        if LEGEND_CLASS in (state.get("_dom_classes") or ()):
            drawing.legend = _text(cleaned)
        elif LEGEND_CLASS in cleaned:
            drawing.legend = _text(cleaned, LEGEND_CLASS) or drawing.legend
        return f'<div class="cirkel-snap-html">{_label(state)}{cleaned}</div>'
    if model == "LabelModel":
        return f'<div class="cirkel-snap-html">{text_html(state.get("value"))}</div>'
    if model == "TextareaModel":
        rows = state.get("rows")
        rows_attr = f' rows="{int(rows)}"' if isinstance(rows, int) and 0 < rows < 100 else ""
        placeholder = text_html(state.get("placeholder") or "")
        body = (
            f'<textarea data-cirkel-field="textarea"{rows_attr} placeholder="{placeholder}"{_name(state)}'
            f"{_disabled(state)}>{text_html(state.get('value'))}</textarea>"
        )
        return _field(state, body)
    if model in _TEXTS:
        kind = "password" if model == "PasswordModel" else "text"
        value = "" if kind == "password" else text_html(state.get("value"))
        placeholder = text_html(state.get("placeholder") or "")
        body = (
            f'<input type="{kind}" data-cirkel-field="{kind}" value="{value}" placeholder="{placeholder}"'
            f"{_name(state)}{_disabled(state)}>"
        )
        return _field(state, body)
    if model == "RadioButtonsModel":
        drawing.radios += 1
        group = f"cirkel-snap-radio-{drawing.radios}"
        chosen = state.get("index")
        items = "".join(
            f'<label class="cirkel-snap-option"><input type="radio" data-cirkel-field="radio" name="{group}"'
            f' value="{number}"{" checked" if number == chosen else ""}{_disabled(state)}> {text_html(text)}</label>'
            for number, text in enumerate(_options(state))
        )
        if state.get("description"):
            return f'<fieldset class="cirkel-snap-radios"><legend>{text_html(state.get("description"))}</legend>{items}</fieldset>'
        # named by the question before it, as cirkel-a11y.js names the live group
        named = f' aria-label="{text_html(drawing.legend)}"' if drawing.legend else ""
        return f'<fieldset class="cirkel-snap-radios"{named}>{items}</fieldset>'
    if model in _CHOICES:
        chosen = state.get("index")
        items = "".join(
            f'<option value="{number}"{" selected" if number == chosen else ""}>{text_html(text)}</option>'
            for number, text in enumerate(_options(state))
        )
        return _field(state, f'<select data-cirkel-field="select"{_name(state)}{_disabled(state)}>{items}</select>')
    if model == "CheckboxModel":
        checked = " checked" if state.get("value") else ""
        return (
            f'<label class="cirkel-snap-option"><input type="checkbox" data-cirkel-field="checkbox"{checked}'
            f"{_disabled(state)}> {text_html(state.get('description'))}</label>"
        )
    if model == "ButtonModel":
        # a button does its work in the kernel: it waits, drawn, for the live page
        text = state.get("description") or state.get("tooltip") or ""
        return f'<button type="button" class="cirkel-snap-button" disabled>{text_html(text)}</button>' if text else ""
    if model == "DatePickerModel":
        date = state.get("value")
        day = (
            f"{int(date['year']):04d}-{int(date['month']) + 1:02d}-{int(date['date']):02d}"
            if isinstance(date, Mapping) and {"year", "month", "date"} <= date.keys()
            else ""
        )
        return _field(
            state, f'<input type="date" data-cirkel-field="date" value="{day}"{_name(state)}{_disabled(state)}>'
        )
    if model == "TimePickerModel":
        time = state.get("value")
        clock = (
            f"{int(time['hours']):02d}:{int(time['minutes']):02d}"
            if isinstance(time, Mapping) and {"hours", "minutes"} <= time.keys()
            else ""
        )
        return _field(
            state, f'<input type="time" data-cirkel-field="time" value="{clock}"{_name(state)}{_disabled(state)}>'
        )
    if model == "OutputModel":
        return "".join(_output(output, states, depth + 1, drawing) for output in state.get("outputs") or ())
    return ""


def _output(output: Mapping[str, Any], states: Mapping[str, Mapping[str, Any]], depth: int, drawing: _Drawing) -> str:
    data = output.get("data") or {}
    view = data.get("application/vnd.jupyter.widget-view+json")
    if isinstance(view, Mapping):
        state = states.get(str(view.get("model_id")))
        return _draw(state, states, depth, drawing) if state else ""
    if "text/html" in data:
        value = data["text/html"]
        return (
            f'<div class="cirkel-snap-html">{widget_html("".join(value) if isinstance(value, list) else value)}</div>'
        )
    if output.get("output_type") == "stream" and output.get("name") == "stdout":
        return f'<pre class="cirkel-snap-text">{text_html(output.get("text"))}</pre>'
    return ""


def snapshot_html(outputs: list[Mapping[str, Any]], states: Mapping[str, Mapping[str, Any]], cell: int = 0) -> str:
    """A cell's widget outputs drawn from ``states`` (model id -> state), or ``""`` if it has none.

    The drawing is one ``div`` with :data:`SNAPSHOT_CLASS`, naming the page's cell it stands for
    (``cell``, Voilà's ``cell-index``): the page as it will be, its buttons disabled until the
    live page takes its place.
    """
    drawing = _Drawing()
    drawn = "".join(
        _output(output, states, 0, drawing)
        for output in outputs
        if "application/vnd.jupyter.widget-view+json" in (output.get("data") or {})
    )
    return f'<div class="{SNAPSHOT_CLASS}" data-cirkel-cell="{int(cell)}">{drawn}</div>' if drawn else ""


def _marks(cell: int) -> tuple[str, str]:
    return f"<!--cirkel-snapshot:{int(cell)}-->", f"<!--/cirkel-snapshot:{int(cell)}-->"


def marked_snapshot(outputs: list[Mapping[str, Any]], states: Mapping[str, Mapping[str, Any]], cell: int) -> str:
    """:func:`snapshot_html` between two comments, so that :func:`redraw` can find it in the sent HTML.

    Nothing inside can close the comment early: text is escaped and cleaned HTML has no comments.
    """
    drawn = snapshot_html(outputs, states, cell)
    start, end = _marks(cell)
    return f"{start}{drawn}{end}" if drawn else ""


_MARKED = re.compile(r"<!--cirkel-snapshot:(\d+)-->.*?<!--/cirkel-snapshot:\1-->", re.DOTALL)


def redraw(snippets: list[str], outputs: Mapping[int, list[Any]], states: Mapping[str, Mapping[str, Any]]) -> list[str]:
    """``snippets`` of a rendered page with every drawing made again from ``states``.

    A preheated page was rendered before its learner came; the handover then reads her answers
    again, and the drawing must show them as they are now (``grading.servers.preheat_manager``).
    """

    def again(found: re.Match[str]) -> str:
        cell = int(found.group(1))
        return marked_snapshot(outputs.get(cell, []), states, cell)

    return [_MARKED.sub(again, snippet) for snippet in snippets]


def keep_state(states: dict[str, dict[str, Any]], message: Mapping[str, Any]) -> None:
    """Bring ``states`` up to date with one of the kernel's ``comm_open``, ``comm_msg`` or ``comm_close`` messages."""
    kind = message.get("msg_type") or (message.get("header") or {}).get("msg_type")
    content = message.get("content") or {}
    comm = content.get("comm_id")
    if not isinstance(comm, str):
        return
    if kind == "comm_close":
        states.pop(comm, None)
        return
    data = content.get("data") or {}
    if kind in ("comm_open", "comm_msg") and isinstance(data.get("state"), Mapping):
        states.setdefault(comm, {}).update(data["state"])
