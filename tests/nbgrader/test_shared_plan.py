"""One shared plan, several devices: field-level merge, later change wins, nothing lost.

A real course run (the ledarskap course, whose module 02 has the plan) with
study circles; several ``SharedPlanBuilder`` widgets, each with its own
``SharedPlanStore`` on the run's one live database, stand for the devices in
the room. ``refresh()`` is the timer's tick; a fake monotonic clock decides
when a pause in typing has been long enough, so nothing here waits.
Who may open the app, what fails and what a screen reader is told: ``test_shared_plan_app.py``.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from pathlib import Path

import docx
import pytest

from voila_apps.live.shared_plan import SharedPlanBuilder, find_prompts
from widgets.core.i18n import t
from widgets.storage.shared_plan import MAX_ITEMS, SharedPlanError, SharedPlanStore, item_field

from circle_run import add_circles, circle_run
from shared_plan_support import LEDARSKAP, Clock, goal_texts, new_circle_id, open_pages, tick

pytestmark = pytest.mark.nbgrader


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory) -> Path:
    return circle_run(LEDARSKAP, tmp_path_factory.mktemp("gemensam-plan"))


@pytest.fixture(autouse=True)
def _on_both_databases(run_dir, store_backend) -> None:
    """Every test on the run's ``samverkan.sqlite``, then on a fresh PostgreSQL database with the circles."""
    if store_backend != "sqlite":
        add_circles(run_dir)


@pytest.fixture
def circle_id() -> str:
    return new_circle_id()


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def device(run_dir, circle_id, clock) -> Iterator[Callable[[str], SharedPlanBuilder]]:
    yield from open_pages(run_dir, circle_id, clock)


# -- the plan's wording ---------------------------------------------------------------


def test_prompts_come_from_the_runs_plan_module(run_dir):
    prompts = find_prompts(run_dir)
    assert prompts.title == "Vår strategiska plan"
    assert set(prompts.steps) == {"perception", "goals", "resources", "activities", "anchoring", "revisit"}


# -- several devices, one plan ----------------------------------------------------------


def test_a_text_typed_on_one_device_appears_on_the_others_after_a_pause(device, clock):
    anna, bertil, screen = device("anna"), device("bertil"), device("lena")
    anna.perception.value = "Partiet som finns där folk bor"
    anna.refresh()  # still typing: nothing saved yet
    bertil.refresh()
    assert bertil.perception.value == ""
    tick(clock, anna, bertil, screen)
    assert bertil.perception.value == "Partiet som finns där folk bor"
    assert screen.perception.value == "Partiet som finns där folk bor"
    anna.members.value = 14  # a number is saved at once
    bertil.refresh()
    assert bertil.members.value == 14


def test_items_added_at_once_on_three_devices_are_all_kept(device, clock):
    pages = [device(p) for p in ("anna", "bertil", "cilla")]
    ids = [page.add_item("goal") for page in pages]  # each before seeing the others
    for page, text in zip(pages, ("Fler aktiva", "Synas i Rinkeby", "Bättre möten")):
        page.refresh()
        page._rows["goal"][ids[pages.index(page)]].controls["text"].value = text
    tick(clock, *pages)
    tick(clock, *pages)
    for page in pages:
        assert goal_texts(page) == ["Fler aktiva", "Synas i Rinkeby", "Bättre möten"]
        assert [row.controls["text"].description for row in page.goal_rows()] == [
            t("plan.goal_label", number=n) for n in (1, 2, 3)
        ]


def test_edits_to_different_fields_of_one_item_both_survive(device, clock):
    anna, bertil = device("anna"), device("bertil")
    goal = anna.add_item("goal")
    bertil.refresh()
    anna._rows["goal"][goal].controls["text"].value = "Fler aktiva"
    bertil._rows["goal"][goal].controls["years"].value = 4  # at the same time, another field
    tick(clock, anna, bertil)
    tick(clock, anna, bertil)
    for page in (anna, bertil):
        row = page._rows["goal"][goal]
        assert (row.controls["text"].value, row.controls["years"].value) == ("Fler aktiva", 4)
    assert anna.history() == []  # no value was replaced, so nothing to remember
    assert anna.status == "" and bertil.status == ""


def test_the_same_field_at_once_later_wins_and_the_earlier_is_in_the_history(device, clock):
    anna, bertil, lena = device("anna"), device("bertil"), device("lena")
    anna.revisit.value = "Varje januari"
    bertil.revisit.value = "Efter valet"
    clock.pause()
    anna.refresh()  # Anna's text is saved first ...
    bertil.refresh()  # ... Bertil's later: his wins
    anna.refresh()
    lena.refresh()
    for page in (anna, bertil, lena):
        assert page.revisit.value == "Efter valet"
    # Bertil is told plainly, by name, and where the other text is
    assert "Anna" in bertil.status and t("sharedplan.history_title") in bertil.status
    assert t("plan.revisit_label") in bertil.status
    assert anna.status == ""
    [entry] = lena.history()
    assert (entry.field, entry.value, entry.author, entry.replaced_by, entry.conflict) == (
        "revisit",
        "Varje januari",
        "anna",
        "bertil",
        True,
    )
    shown = lena._history.value
    assert "Varje januari" in shown and "Bertil" in shown and "Anna" in shown


def test_a_text_being_typed_is_not_replaced_under_the_fingers(device, clock):
    anna, bertil = device("anna"), device("bertil")
    bertil.perception.value = "Vi vill vara kända för"  # typing, not yet paused
    anna.perception.value = "Ett parti som lyssnar"
    clock.pause()
    anna.refresh()  # Anna's text is saved
    bertil.perception.value = "Vi vill vara kända för att hjälpa"  # still typing when the news arrives
    bertil.refresh()
    assert bertil.perception.value == "Vi vill vara kända för att hjälpa"
    assert bertil.status == ""
    tick(clock, bertil, anna)  # Bertil pauses: his text is saved and wins
    assert anna.perception.value == "Vi vill vara kända för att hjälpa"
    assert "Anna" in bertil.status
    [entry] = bertil.history()
    assert entry.value == "Ett parti som lyssnar" and entry.conflict


def test_a_persons_own_drafts_are_kept_but_not_listed(device, clock):
    anna = device("anna")
    for text in ("Vi", "Vi vill synas", "Vi vill synas i hela kommunen"):
        anna.perception.value = text
        tick(clock, anna)
    assert anna.history() == []
    kept = anna.store.history(include_drafts=True)
    assert [e.value for e in kept] == ["Vi vill synas", "Vi"]
    assert all(e.draft for e in kept)


def test_removing_an_item_keeps_its_text_in_the_history(device, clock):
    anna, bertil = device("anna"), device("bertil")
    first = anna.add_item("activity")
    anna._rows["activity"][first].controls["text"].value = "Dörrknackning"
    tick(clock, anna, bertil)
    bertil.remove_item("activity", first)
    anna.refresh()
    assert anna.activity_rows() == [] and bertil.activity_rows() == []
    [entry] = anna.history()
    assert entry.event == "removed" and entry.value["text"] == "Dörrknackning"
    assert "Dörrknackning" in anna._history.value and "Bertil" in anna._history.value


def test_typing_in_an_item_someone_removed_brings_it_back(device, clock):
    anna, bertil = device("anna"), device("bertil")
    item = anna.add_item("discussion")
    bertil.refresh()
    anna._rows["discussion"][item].controls["what"].value = "Medlemsmöte om planen"  # typing ...
    bertil.remove_item("discussion", item)  # ... while Bertil removes the row
    anna.refresh()
    bertil.refresh()
    for page in (anna, bertil):
        assert [r.controls["what"].value for r in page.discussion_rows()] == ["Medlemsmöte om planen"]


def test_moving_a_goal_shows_on_every_device(device, clock):
    anna, bertil = device("anna"), device("bertil")
    for text in ("Första", "Andra"):
        goal = anna.add_item("goal")
        anna._rows["goal"][goal].controls["text"].value = text
        tick(clock, anna)
    bertil.refresh()
    bertil.goal_rows()[0].buttons["down"].click()
    anna.refresh()
    assert goal_texts(anna) == ["Andra", "Första"] == goal_texts(bertil)
    assert anna.goal_rows()[0].buttons["up"].layout.display == "none"


def test_a_reloaded_page_shows_the_whole_shared_plan(device, clock):
    anna = device("anna")
    anna.perception.value = "Synas"
    goal = anna.add_item("goal")
    anna._rows["goal"][goal].controls["text"].value = "Fler aktiva"
    activity = anna.add_item("activity")
    anna._rows["activity"][activity].controls["goal"].value = goal
    anna._rows["activity"][activity].controls["hours"].value = 6.5
    anna.flush()
    again = device("anna")
    assert again.perception.value == "Synas"
    assert goal_texts(again) == ["Fler aktiva"]
    row = again._rows["activity"][activity]
    assert (row.controls["goal"].value, row.controls["hours"].value) == (goal, 6.5)
    assert row.controls["goal"].options[1][0] == t("plan.goal_option", number=1, text="Fler aktiva")


def test_realism_check_and_exports_use_the_shared_plan(device, clock):
    anna, bertil = device("anna"), device("bertil")
    assert "too_few_goals" in anna.warnings and "no_revisit" in anna.warnings
    goal = anna.add_item("goal")
    anna._rows["goal"][goal].controls["text"].value = "Fler aktiva medlemmar"
    anna._rows["goal"][goal].controls["years"].value = 1
    tick(clock, anna, bertil)
    assert "short_goal" in bertil.warnings
    bertil.revisit.value = "Varje årsmöte"  # unsaved typing is saved before an export
    markdown = anna.to_markdown()
    assert "Fler aktiva medlemmar" in markdown
    assert "Varje årsmöte" not in markdown  # Bertil has not paused yet
    bertil.markdown_button.click()
    assert "Varje årsmöte" in bertil.to_markdown()
    assert 'download="' in bertil.download.value
    bertil.docx_button.click()
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(bertil.docx_bytes())).paragraphs)
    assert "Fler aktiva medlemmar" in text and "Varje årsmöte" in text
    bertil.members.value = 3  # any change takes an old download link away
    assert bertil.download.value == ""


# -- bad input: plain Swedish, nothing half-saved -----------------------------------------


@pytest.mark.parametrize(
    ("field", "value", "key"),
    [
        ("perception", 7, "sharedplan.error.not_text"),
        ("resources.members", "många", "sharedplan.error.not_number"),
        ("resources.members", 2.5, "sharedplan.error.not_whole"),
        ("resources.hours", -1, "sharedplan.error.out_of_range"),
        ("resources.hours", float("nan"), "sharedplan.error.not_number"),
        ("budget", 5, "sharedplan.error.unknown_field"),
        ("goal:finns-inte.text", "x", "sharedplan.error.unknown_item"),
    ],
)
def test_a_bad_value_is_refused_plainly_and_nothing_is_written(run_dir, circle_id, field, value, key):
    store = SharedPlanStore(run_dir, circle_id)
    before = store.snapshot()
    with pytest.raises(SharedPlanError) as raised:
        store.set_field(field, value, "anna")
    prefix = t(key, field=field, item="finns-inte", max=100000).split("”")[0]
    assert str(raised.value).startswith(prefix)
    assert store.snapshot() == before


def test_an_activity_tied_to_a_missing_goal_is_refused_whole(run_dir, circle_id):
    store = SharedPlanStore(run_dir, circle_id)
    activity = store.add_item("activity", "anna")
    before = store.snapshot()
    with pytest.raises(SharedPlanError, match="finns inte"):
        store.set_field(item_field("activity", activity, "goal"), "m-saknas", "anna")
    assert store.snapshot() == before


def test_rows_stop_at_the_limit_with_a_message(device):
    anna = device("anna")
    for _ in range(MAX_ITEMS):
        assert anna.add_item("discussion")
    assert anna.add_item("discussion") is None
    assert anna.status == t("sharedplan.error.too_many", max=MAX_ITEMS)
    assert len(anna.discussion_rows()) == MAX_ITEMS


def test_circles_have_separate_plans(run_dir, circle_id):
    mine, theirs = SharedPlanStore(run_dir, circle_id), SharedPlanStore(run_dir, circle_id + "-b")
    mine.set_field("perception", "Vår text", "anna")
    assert theirs.snapshot().value("perception") == ""
