"""One shared plan, several devices: field-level merge, later change wins, nothing lost.

A real course run (the ledarskap course, whose module 02 has the plan) with
study circles; several ``SharedPlanBuilder`` widgets, each with its own
``SharedPlanStore`` on the run's one live database, stand for the devices in
the room. ``refresh()`` is the timer's tick; a fake monotonic clock decides
when a pause in typing has been long enough, so nothing here waits.
"""

from __future__ import annotations

import io
from pathlib import Path

import docx
import pytest

from voila_apps.live.live_context import LiveContext
from voila_apps.live.shared_plan import SharedPlanBuilder, find_prompts, shared_plan_app
from widgets._shared_plan_store import MAX_ITEMS, SharedPlanError, SharedPlanStore, item_field
from widgets.i18n import t

from circle_run import PEOPLE, add_circles, circle_run
from focus_requests import asked_last

pytestmark = pytest.mark.nbgrader

REPO = Path(__file__).resolve().parents[2]
LEDARSKAP = REPO / "courses" / "ledarskap"


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory) -> Path:
    return circle_run(LEDARSKAP, tmp_path_factory.mktemp("gemensam-plan"))


@pytest.fixture(autouse=True)
def _on_both_databases(run_dir, store_backend) -> None:
    """Every test on the run's ``samverkan.sqlite``, then on a fresh PostgreSQL database with the circles."""
    if store_backend != "sqlite":
        add_circles(run_dir)


_circles = iter(range(1, 10_000))


@pytest.fixture
def circle_id() -> str:
    """A plan of this test's own: the run (and its database) is shared by the module."""
    return f"plan-{next(_circles)}"


class Clock:
    """Monotonic seconds that move only when the test says so."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now

    def pause(self, seconds: float = 2.0) -> None:
        self.now += seconds


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def device(run_dir, circle_id, clock):
    """``device(person)``: a plan page opened by ``person`` on their own device."""
    prompts = find_prompts(run_dir)
    made: list[SharedPlanBuilder] = []

    def open_page(person: str) -> SharedPlanBuilder:
        page = SharedPlanBuilder(
            SharedPlanStore(run_dir, circle_id), prompts, person, names=PEOPLE, poll_interval=None, clock=clock
        )
        made.append(page)
        return page

    yield open_page
    for page in made:
        page.close()


def tick(clock: Clock, *pages: SharedPlanBuilder) -> None:
    """Everyone pauses typing, then every page's timer fires."""
    clock.pause()
    for page in pages:
        page.refresh()


def goal_texts(page: SharedPlanBuilder) -> list[str]:
    return [row.controls["text"].value for row in page.goal_rows()]


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


# -- the app: who may edit -----------------------------------------------------------------


def _app(run_dir, viewer: str, **query: str):
    context = LiveContext(run_dir=run_dir, viewer=viewer, leaders=frozenset({"kim"}), query=query)
    return shared_plan_app(context, poll_interval=None)


def _text(app) -> str:
    return " ".join(
        getattr(child, "value", "") for child in app.children if isinstance(getattr(child, "value", None), str)
    )


@pytest.mark.parametrize("viewer", ["anna", "lena", "kim"])
def test_members_the_cirkelledare_and_course_leaders_get_the_plan(run_dir, viewer):
    app = _app(run_dir, viewer, circle="cirkel-a")
    [builder] = app.children
    assert isinstance(builder, SharedPlanBuilder)
    assert builder.circle_id == "cirkel-a" and builder.author == viewer
    builder.close()


@pytest.mark.parametrize(
    ("viewer", "query", "expected"),
    [
        ("pia", {"circle": "cirkel-a"}, t("sharedplan.refused", circle="Cirkel A")),
        ("gast-x7k2", {"circle": "cirkel-a"}, t("sharedplan.refused_guest")),
        ("anna", {"circle": "cirkel-z"}, t("sharedplan.unknown_circle", circle="cirkel-z")),
        ("okand", {}, t("sharedplan.no_circles")),
    ],
)
def test_others_get_a_plain_refusal(run_dir, viewer, query, expected):
    app = _app(run_dir, viewer, **query)
    assert not any(isinstance(c, SharedPlanBuilder) for c in app.children)
    assert expected in _text(app).replace("&#x27;", "'")
    assert "Traceback" not in _text(app)


def test_one_circle_opens_by_itself_and_a_course_leader_chooses(run_dir):
    [own] = _app(run_dir, "pia").children
    assert isinstance(own, SharedPlanBuilder) and own.circle_id == "cirkel-b"
    own.close()
    app = _app(run_dir, "kim")
    choice = next(c for c in app.children if hasattr(c, "options"))
    assert [value for _label, value in choice.options] == ["cirkel-a", "cirkel-b"]
    choice.value = "cirkel-b"
    next(c for c in app.children if getattr(c, "description", "") == t("sharedplan.open")).click()
    [builder] = app.children
    assert builder.circle_id == "cirkel-b" and builder.author == "kim"
    builder.close()


def test_headless_no_timer_starts(run_dir, circle_id):
    page = SharedPlanBuilder(SharedPlanStore(run_dir, circle_id), find_prompts(run_dir), "anna", poll_interval=1.0)
    assert not page._poller.running
    page.close()


def test_erasing_a_person_keeps_the_circles_plan_and_blanks_their_name(run_dir, circle_id, device, clock):
    from widgets import live_db

    store = SharedPlanStore(run_dir, circle_id)
    store.set_field("perception", "Första utkastet", "cilla")
    store.set_field("perception", "Andra utkastet", "anna")
    assert circle_id in {row["circle_id"] for row in live_db.person_rows(run_dir, "cilla")["sharedplan_history"]}
    live_db.erase_person(run_dir, "cilla")
    assert store.snapshot().value("perception") == "Andra utkastet"
    [entry] = store.history()
    assert (entry.value, entry.author) == ("Första utkastet", "")
    page = device("anna")
    assert t("sharedplan.erased_person") in page._history.value and "cilla" not in page._history.value.lower()


def test_many_writers_of_one_field_at_once_lose_nothing(run_dir, circle_id):
    """Eight devices save the same field at the same moment: one text wins, the seven others are history."""
    from concurrent.futures import ThreadPoolExecutor

    people = [f"person{n}" for n in range(8)]
    SharedPlanStore(run_dir, circle_id)  # the plan exists before the rush

    def write(person: str):
        return SharedPlanStore(run_dir, circle_id).set_field(
            "perception", f"Text från {person}", person, base_version=0
        )

    with ThreadPoolExecutor(len(people)) as pool:
        results = list(pool.map(write, people))
    store = SharedPlanStore(run_dir, circle_id)
    final = store.snapshot().value("perception")
    kept = [entry.value for entry in store.history()]
    assert sorted([final, *kept]) == sorted(f"Text från {p}" for p in people)
    assert sum(result.conflict is not None for result in results) == len(people) - 1
    assert len({result.version for result in results}) == len(people)


@pytest.mark.parametrize("store_backend", ["sqlite"], indirect=True)  # SQLite's way to fail a save
def test_a_save_that_fails_keeps_the_value_on_screen_and_saves_it_later(run_dir, device, clock, store_backend):
    """The database is held by another writer past its busy timeout: say so plainly, retry on the next tick."""
    import sqlite3

    from widgets.live_db import DB_NAME

    anna, bertil = device("anna"), device("bertil")
    holder = sqlite3.connect(run_dir / DB_NAME, isolation_level=None)
    try:
        holder.execute("BEGIN IMMEDIATE")
        anna.members.value = 9
        assert anna.status == t("sharedplan.save_failed")
        assert anna.members.value == 9
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    tick(clock, anna, bertil)
    assert bertil.members.value == 9
    assert anna.status == ""


def test_a_text_too_long_for_its_field_is_refused_in_swedish_and_never_shared(device, clock):
    from widgets._numbers import format_number
    from widgets._ui import MAX_TEXTAREA_LENGTH

    anna, bertil = device("anna"), device("bertil")
    anna.perception.value = "Partiet som finns där folk bor"
    tick(clock, anna, bertil)
    anna.perception.value = "x" * 24_000_000
    assert anna.perception.value == "Partiet som finns där folk bor"
    assert anna.status == t("store.text_too_long", max=format_number(MAX_TEXTAREA_LENGTH, 0))
    tick(clock, anna, bertil)
    assert bertil.perception.value == "Partiet som finns där folk bor"


# -- what a screen-reader or keyboard user is told ---------------------------------------------------


def test_the_status_is_one_live_region_and_focus_follows_each_action(device, clock):
    anna = device("anna")
    region = anna._status_box
    assert "cirkel-live" in region._dom_classes and region.value == ""
    first, second = anna.add_item("goal"), anna.add_item("goal")
    rows = anna._rows["goal"]
    anna.remove_item("goal", first)
    assert anna._status_box is region and t("sharedplan.removed_notice") in region.value
    assert 'role="status"' not in region.value and "aria-live" not in region.value  # no region inside it
    others = (
        region,
        anna.add_goal_button,
        *(c for r in anna.goal_rows() for c in (*r.controls.values(), *r.buttons.values())),
    )
    assert asked_last(*others) is rows[second].controls["text"]  # the goal that took its place
    anna.remove_item("goal", second)
    assert asked_last(region, anna.add_goal_button) is anna.add_goal_button  # none left: add one

    ids = [anna.add_item("goal") for _ in range(3)]
    row = anna._rows["goal"][ids[1]]
    anna.move_item("goal", ids[1], +1)  # now the last: its "down" is hidden, "up" takes the focus
    assert asked_last(row.buttons["up"], row.buttons["down"]) is row.buttons["up"]
    anna.move_item("goal", ids[1], -1)
    assert asked_last(row.buttons["up"], row.buttons["down"]) is row.buttons["up"]

    anna.markdown_button.click()
    assert asked_last(anna.download, region, anna.markdown_button) is anna.download  # the link just made


def test_a_refused_action_is_said_in_the_status_andasked_last(device, clock):
    anna = device("anna")
    region = anna._status_alert  # said at once: an alert region, there before anything was refused
    assert {"cirkel-live", "cirkel-live-alert"} <= set(region._dom_classes)
    for _ in range(MAX_ITEMS + 1):
        anna.add_item("discussion")
    assert anna._status_alert is region and t("sharedplan.error.too_many", max=MAX_ITEMS) in region.value
    assert anna._status_box.value == "", "a refusal is not said politely too"
    assert asked_last(region, anna._status_box, anna.add_discussion_button) is region


def test_a_plain_refusal_is_a_live_region(run_dir):
    app = _app(run_dir, "okand")
    [message] = app.children
    assert "cirkel-live" in message._dom_classes and 'role="status"' not in message.value
