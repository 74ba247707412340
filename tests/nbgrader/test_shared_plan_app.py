"""The shared plan's app: who may edit, erasing a person, saves that fail or race, and what a
screen-reader or keyboard user is told (the devices of ``tests/shared_plan_support.py``, as in ``test_shared_plan.py``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from voila_apps.live.live_context import LiveContext
from voila_apps.live.shared_plan import SharedPlanBuilder, find_prompts, shared_plan_app
from widgets.core.i18n import t
from widgets.storage.shared_plan import MAX_ITEMS, SharedPlanStore

from circle_run import add_circles, circle_run
from focus_requests import asked_last
from shared_plan_support import LEDARSKAP, Clock, new_circle_id, open_pages, tick

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
    from widgets.storage import live_db

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

    from widgets.storage.live_db import DB_NAME

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
    from widgets.core.numbers import format_number
    from widgets.kit.controls import MAX_TEXTAREA_LENGTH

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
