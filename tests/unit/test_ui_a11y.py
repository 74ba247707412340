"""The marks the widgets give the page's script (cirkel-a11y.js): where focus goes, live regions, named groups.

Driven with no kernel, as a learner's buttons drive them; the browser side is in
tests/browser/test_keyboard_focus.py.
"""

from __future__ import annotations

import copy

import pytest
from test_quiz import BANK as QUIZ_BANK
from test_voting import BANK as VOTING_BANK

from widgets.exercises.meeting_planner import MeetingPlanner
from widgets.exercises.quiz import MeetingRoleQuiz
from widgets.exercises.voting import VotingProcedure
from widgets.kit import controls as ui

from builders_support import write_content
from focus_requests import asked_last, focus_requests

pytestmark = pytest.mark.unit


@pytest.fixture(autouse=True)
def _workdir(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("CIRKEL_SVAR_DIR", raising=False)
    monkeypatch.delenv("CIRKEL_LANG", raising=False)


def test_each_focus_request_is_new_and_a_widget_carries_one():
    button = ui.Button(description="Svara")
    button.add_class("cirkel-quiz-answer")
    ui.focus(button)
    first = focus_requests(button)
    ui.focus(button)
    second = focus_requests(button)
    assert len(first) == len(second) == 1 and first != second  # the page answers each request once
    assert "cirkel-quiz-answer" in button._dom_classes  # other classes are kept


def test_live_regions_and_groups_are_marked_once_at_construction():
    region = ui.live(ui.HTML())
    alert = ui.live(ui.HTML(), alert=True)
    group = ui.choice_group(ui.VBox([ui.Checkbox(description="A"), ui.Checkbox(description="B")]))
    assert "cirkel-live" in region._dom_classes and "cirkel-live-alert" not in region._dom_classes
    assert {"cirkel-live", "cirkel-live-alert"} <= set(alert._dom_classes)
    assert "cirkel-choice-group" in group._dom_classes


def test_quiz_results_live_in_one_region_and_svara_sends_focus_to_the_result_or_retry():
    quiz = MeetingRoleQuiz(copy.deepcopy(QUIZ_BANK), exercise_id="motesroller")
    view = quiz._views["justerare"]
    region = view.feedback
    assert "cirkel-live" in region._dom_classes and region.value == ""
    assert ui.LEGEND_CLASS in view.heading.value  # the question names the radio group
    choices = quiz._views["ordforande"].box.children[1]  # several answers: a named group of checkboxes
    assert "cirkel-choice-group" in choices._dom_classes and ui.LEGEND_CLASS in quiz._views["ordforande"].heading.value

    view.radio.value = 0  # wrong
    view.answer_button.click()
    assert asked_last(view.retry_button, view.feedback, view.radio) is view.retry_button
    assert view.feedback is region and "Inte rätt" in region.value  # the same region, new text
    assert 'role="status"' not in region.value  # no second region made inside it

    view.retry_button.click()
    assert asked_last(view.retry_button, view.feedback, view.radio) is view.radio
    view.radio.value = 1
    view.answer_button.click()
    assert asked_last(view.retry_button, view.feedback, view.radio) is view.feedback


def test_voting_focus_follows_the_moved_step_and_goes_to_the_order_result():
    widget = VotingProcedure(copy.deepcopy(VOTING_BANK), exercise_id="votering")
    scenario_id = next(iter(widget._views))
    view = widget._views[scenario_id]
    first = widget.order(scenario_id)[0]
    view.rows[first].down.click()
    assert widget.order(scenario_id)[1] == first
    row = view.rows[first]
    assert asked_last(row.up, row.down) is row.down
    view.check_order_button.click()
    assert focus_requests(view.order_feedback) and "cirkel-live" in view.order_feedback._dom_classes


def test_meeting_planner_focus_follows_moved_items_and_the_next_after_a_removed_one():
    write_content("motesplanering")
    planner = MeetingPlanner.from_file("motesplanering.yml", exercise_id="motesplanering")
    for _ in range(3):
        planner.add_item_button.click()
    assert focus_requests(planner.agenda_rows[-1].title)  # a new item: its title
    for row, title in zip(planner.agenda_rows, ("Först", "Fika", "Sist"), strict=True):
        row.title.value = title
    planner.agenda_rows[0].down.click()
    moved = planner.agenda_rows[1]
    assert moved.title.value == "Först" and focus_requests(moved.down)
    planner.agenda_rows[1].remove.click()
    assert [r.title.value for r in planner.agenda_rows] == ["Fika", "Sist"]
    assert focus_requests(planner.agenda_rows[1].title)  # the item that took the removed one's place
    planner.agenda_rows[1].remove.click()
    planner.agenda_rows[0].remove.click()
    assert planner.agenda_rows == [] and focus_requests(planner.add_item_button)


def test_the_report_app_says_when_it_was_updated_in_one_live_region():
    import json
    from pathlib import Path

    notebook = Path(__file__).resolve().parents[2] / "voila_apps" / "rapport.ipynb"
    code = "".join(json.loads(notebook.read_text(encoding="utf-8"))["cells"][0]["source"])
    namespace: dict = {}
    exec(compile(code, str(notebook), "exec"), namespace)  # the app's code as Voilà runs it
    report = namespace["Report"](None)
    updated = report.updated
    assert "cirkel-live" in updated._dom_classes and "cirkel-report-updated" in updated.value
    report.refresh_button.click()
    assert report.updated is updated and "role=" not in updated.value  # the same region, new text


def test_messages_say_results_politely_and_errors_as_alerts_in_regions_made_once():
    from widgets.kit.messages import Messages

    box = Messages("cirkel-x-message")
    status, alert = box.status, box.alert
    assert {"cirkel-live", "cirkel-x-message"} <= set(status._dom_classes)
    assert "cirkel-live-alert" not in status._dom_classes
    assert {"cirkel-live", "cirkel-live-alert", "cirkel-x-message-alert"} <= set(alert._dom_classes)
    box.error("<p>Fel</p>")
    assert (status.value, alert.value, box.value) == ("", "<p>Fel</p>", "<p>Fel</p>")
    box.say("<p>Sparat</p>")  # an old error does not stay beside a new result
    assert (status.value, alert.value, box.value) == ("<p>Sparat</p>", "", "<p>Sparat</p>")
    box.clear()
    assert box.value == "" and box.status is status and box.alert is alert
