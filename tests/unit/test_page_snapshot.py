"""The saved page drawn from widget states: what a learner sees before the kernel is ready.

The states are built by the real widgets in this process (``Widget.get_state``), as the
kernel sends them and nbclient keeps them; the drawing is read back with an HTML parser,
as a browser would.
"""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Any

import ipywidgets as ipw
import pytest

from grading.servers.page_snapshot import keep_state, marked_snapshot, redraw, snapshot_html

pytestmark = pytest.mark.unit


def _states(*roots: ipw.Widget) -> dict[str, dict[str, Any]]:
    """Every widget's state as the kernel sends it, by model id (what nbclient keeps)."""
    found: dict[str, dict[str, Any]] = {}

    def walk(widget: ipw.Widget) -> None:
        if widget.model_id in found:
            return
        state = widget.get_state()
        found[widget.model_id] = dict(state)
        for value in state.values():
            for item in value if isinstance(value, (list, tuple)) else [value]:
                if isinstance(item, str) and item.startswith("IPY_MODEL_"):
                    walk(ipw.Widget.widgets[item[len("IPY_MODEL_") :]])

    for root in roots:
        walk(root)
    return found


def _outputs(*roots: ipw.Widget) -> list[dict[str, Any]]:
    return [
        {
            "output_type": "display_data",
            "data": {"application/vnd.jupyter.widget-view+json": {"model_id": root.model_id}},
        }
        for root in roots
    ]


class _Read(HTMLParser):
    """Tags, attributes and the text a reader sees."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _read(drawn: str) -> _Read:
    reader = _Read()
    reader.feed(drawn)
    return reader


def test_a_module_part_is_drawn_with_her_saved_answers():
    question = ipw.RadioButtons(options=["Ordförande", "Sekreterare", "Justerare"], index=1)
    reflection = ipw.Textarea(value="Jag vill att fler kommer till tals.", placeholder="Skriv här")
    done = ipw.Checkbox(value=True, description="Jag har läst texten")
    send = ipw.Button(description="Svara")
    box = ipw.VBox([ipw.HTML("<h3>Mötesroller</h3>"), question, send, reflection, done])

    page = _read(snapshot_html(_outputs(box), _states(box), cell=4))

    assert page.tags[0] == ("div", {"class": "cirkel-snapshot", "data-cirkel-cell": "4"})
    radios = [attrs for tag, attrs in page.tags if tag == "input" and attrs.get("type") == "radio"]
    assert [("checked" in attrs) for attrs in radios] == [False, True, False]
    assert "Sekreterare" in "".join(page.text)
    assert "Jag vill att fler kommer till tals." in page.text
    (area,) = [attrs for tag, attrs in page.tags if tag == "textarea"]
    assert area["placeholder"] == "Skriv här" and area["aria-label"] == "Skriv här"
    (box_attrs,) = [attrs for tag, attrs in page.tags if tag == "input" and attrs.get("type") == "checkbox"]
    assert "checked" in box_attrs
    (button,) = [attrs for tag, attrs in page.tags if tag == "button"]
    assert "disabled" in button, "a button works only in the live page"
    assert ("h3", {}) in page.tags


def test_what_a_learner_wrote_is_text_and_html_values_are_cleaned():
    hostile = '</textarea><script>window.pwned=1</script><img src=x onerror="window.pwned=2">'
    reflection = ipw.Textarea(value=hostile)
    name = ipw.Text(value='"><svg onload=alert(1)>')
    shown = ipw.HTML(
        '<p class="cirkel-x" onclick="steal()">Hej <b>du</b></p><script>steal()</script><style>*{}</style>'
    )
    box = ipw.VBox([reflection, name, shown])

    drawn = snapshot_html(_outputs(box), _states(box))
    page = _read(drawn)

    assert [tag for tag, _ in page.tags if tag in ("script", "img", "svg", "style")] == []
    assert not any(name.startswith("on") for _, attrs in page.tags for name in attrs)
    assert hostile in page.text, "her text is shown as she wrote it, as text"
    (text_field,) = [attrs for tag, attrs in page.tags if tag == "input"]
    assert text_field["value"] == '"><svg onload=alert(1)>'
    assert ("p", {"class": "cirkel-x"}) in page.tags and "du" in page.text


def test_a_table_region_keeps_what_makes_it_readable_on_a_phone():
    region = ipw.HTML(
        '<div class="cirkel-table-region" role="region" aria-label="Moduler" tabindex="0" style="width:900px">'
        '<table><tr data-module="05-moten" onmouseover="x()"><td>Möten</td></tr></table></div>'
    )
    page = _read(snapshot_html(_outputs(region), _states(region)))
    assert (
        "div",
        {"class": "cirkel-table-region", "role": "region", "aria-label": "Moduler", "tabindex": "0"},
    ) in page.tags
    assert ("tr", {"data-module": "05-moten"}) in page.tags


def test_hidden_widgets_and_unknown_kinds_leave_nothing():
    secret = ipw.Textarea(value="dolt", layout=ipw.Layout(display="none"))
    slider = ipw.IntSlider(value=3)
    assert snapshot_html(_outputs(ipw.VBox([secret, slider])), _states(ipw.VBox([secret, slider]))) == ""
    assert snapshot_html([{"output_type": "stream", "name": "stdout", "text": "x"}], {}) == ""


def test_the_drawing_of_a_preheated_page_is_made_again_after_the_handover():
    question = ipw.RadioButtons(options=["Ja", "Nej"], index=0)
    states = _states(question)
    outputs = {3: _outputs(question)}
    sent = ["<div>före</div>" + marked_snapshot(outputs[3], states, 3) + "<div>efter</div>"]
    assert "checked" in sent[0]

    # her answer was erased while the kernel waited: the handover's update says so
    keep_state(
        states,
        {
            "msg_type": "comm_msg",
            "content": {"comm_id": question.model_id, "data": {"method": "update", "state": {"index": None}}},
        },
    )
    again = redraw(sent, outputs, states)
    assert "checked" not in again[0]
    assert again[0].startswith("<div>före</div><!--cirkel-snapshot:3-->") and again[0].endswith("<div>efter</div>")

    keep_state(states, {"msg_type": "comm_close", "content": {"comm_id": question.model_id, "data": {}}})
    assert redraw(sent, outputs, states) == ["<div>före</div><div>efter</div>"]


def test_a_question_names_the_choices_after_it_as_on_the_live_page():
    from grading.servers.page_snapshot import LEGEND_CLASS
    from widgets.kit.controls import LEGEND_CLASS as LIVE_LEGEND

    assert LEGEND_CLASS == LIVE_LEGEND, "the drawing must know the question by the class the widgets give it"
    question = ipw.HTML("<p>Vem <b>leder</b> mötet?</p>")
    question.add_class(LIVE_LEGEND)
    choices = ipw.RadioButtons(options=["Ordföranden", "Sekreteraren"], index=None)
    box = ipw.VBox([question, choices])

    page = _read(snapshot_html(_outputs(box), _states(box)))

    (group,) = [attrs for tag, attrs in page.tags if tag == "fieldset"]
    assert group["aria-label"] == "Vem leder mötet?"

    # the quiz marks the question inside its HTML, not on the widget
    inside = ipw.HTML(
        f'<h3>Möten</h3><p class="cirkel-quiz-text {LIVE_LEGEND}">Vem &amp; varför?</p><p>Välj ett svar.</p>'
    )
    box = ipw.VBox([inside, ipw.RadioButtons(options=["Ja", "Nej"], index=None)])
    page = _read(snapshot_html(_outputs(box), _states(box)))
    (group,) = [attrs for tag, attrs in page.tags if tag == "fieldset"]
    assert group["aria-label"] == "Vem & varför?"
