"""Live talarstatistik with no kernel: a keeper, a second keeper device and the big screen on one store.

A real course run (the real course, its talarstatistik settings, circles in its
gradebook) and its real live database (SQLite, WAL). Each widget stands for
one device with its own ``LiveSpeakerStore`` on the same database; a test calls
``refresh()`` where a device's timer would. Time comes from a clock the test
moves, so every duration is exact. Who may open which page: ``test_live_speaker_pages.py``.
"""

from __future__ import annotations

import io
import re
import threading
from pathlib import Path

import docx
import pytest
import sqlalchemy as sa

from voila_apps.live.live_speaker_stats import LiveSpeakerKeeper
from widgets.core.i18n import t
from widgets.storage.live_db import erase_person, live_engine, person_rows
from widgets.storage.live_speaker import SESSIONS, TALLIES, LiveSpeakerError, LiveSpeakerStore, find_run_settings

from circle_run import circle_run
from fake_clock import FakeClock
from speaker_live_support import device, fresh_live_db, keeper, screen, table_rows, text_of

pytestmark = pytest.mark.nbgrader


@pytest.fixture(scope="module")
def run_dir(course_dir, tmp_path_factory) -> Path:
    return circle_run(course_dir, tmp_path_factory.mktemp("livespeaker"))


@pytest.fixture
def live_db(run_dir, tmp_path, monkeypatch, store_backend) -> Path:
    return fresh_live_db(run_dir, tmp_path, monkeypatch, store_backend)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


# -- the settings ------------------------------------------------------------------------------


def test_the_run_s_own_talarstatistik_settings_are_used(run_dir):
    source, raw = find_run_settings(run_dir)
    assert source == "source/08-internfeminism/talarstatistik.yml"
    assert [c["label"] for c in raw["categories"]] == ["Kvinnor", "Män", "Icke-binära", "Ej angivet", "Cirkelledaren"]


def test_a_run_without_talarstatistik_is_told_plainly(tmp_path, live_db, clock):
    (tmp_path / "source" / "01-x").mkdir(parents=True)
    (tmp_path / "source" / "01-x" / "module.yml").write_text("exercises: []\n", encoding="utf-8")
    with pytest.raises(LiveSpeakerError, match="ingen talarstatistik"):
        find_run_settings(tmp_path)
    widget = LiveSpeakerKeeper(LiveSpeakerStore(tmp_path, clock=clock), "cirkel-a", "lena")
    widget.start_button.click()
    assert "cirkel-live-alert" in widget.message.alert._dom_classes and "-error" in widget.message.alert.value
    assert t("livespeaker.no_settings") in text_of(widget.message.value)
    assert widget.session_id == 0


def test_broken_settings_name_the_file_and_nothing_is_opened(tmp_path, live_db, clock):
    module = tmp_path / "source" / "08-x"
    module.mkdir(parents=True)
    (module / "module.yml").write_text(
        "exercises:\n  - id: talarstatistik\n    widget: SpeakerStats\n    content: talarstatistik.yml\n",
        encoding="utf-8",
    )
    (module / "talarstatistik.yml").write_text("title: X\ncategories: []\n", encoding="utf-8")
    widget = LiveSpeakerKeeper(LiveSpeakerStore(tmp_path, clock=clock), "cirkel-a", "lena")
    widget.start_button.click()
    message = text_of(widget.message.value)
    assert "talarstatistik.yml" in message and "categories" in message
    assert LiveSpeakerStore(tmp_path, clock=clock).current_for("cirkel-a") is None


# -- a live session on several devices ----------------------------------------------------------


def test_keeper_taps_reach_the_big_screen_and_a_second_keeper(run_dir, live_db, clock):
    big = screen(run_dir, clock)
    notice = big.notice  # a live region from the start: the same one says when the session ends
    assert "cirkel-live" in notice._dom_classes and "role=" not in notice.value
    assert t("livespeaker.waiting", circle="Cirkel A") in text_of(big.notice.value)
    lena = keeper(run_dir, clock)
    anna = keeper(run_dir, clock, "anna")
    assert lena.start_button.layout.display != "none" and lena.session_id == 0

    lena.start_button.click()
    assert lena.session_id > 0
    assert t("livespeaker.session_started") in text_of(lena.message.value)
    assert set(lena.category_buttons) == {"kvinnor", "man", "icke-binara", "ej-angivet", "cirkelledaren"}
    assert lena.category_buttons["kvinnor"].description == "Börja: Kvinnor"

    lena.category_buttons["kvinnor"].click()
    assert lena.category_buttons["kvinnor"].description == "Sluta: Kvinnor"
    assert "Inlägg startat: Kvinnor." in text_of(lena.message.value)
    clock.advance(90)
    big.refresh()
    anna.refresh()
    assert "Pågår: Kvinnor, 1 min 30 s." in text_of(big.now_line.value)
    assert anna.session_id == lena.session_id and anna.running == "kvinnor"
    assert anna.category_buttons["kvinnor"].description == "Sluta: Kvinnor"
    assert table_rows(big.table.value)["Kvinnor"][:2] == ["1", "1 min 30 s"]

    # tapping another group on the second device ends the running contribution and starts the new one
    anna.category_buttons["man"].click()
    assert "Inlägg stoppat: Kvinnor, 1 min 30 s. Nytt inlägg startat: Män." in text_of(anna.message.value)
    clock.advance(60)
    anna.stop_button.click()
    assert anna.running == "" and anna.stop_button.disabled
    big.refresh()
    lena.refresh()
    assert lena.running == "" and lena.category_buttons["man"].description == "Börja: Män"
    rows = table_rows(big.table.value)
    assert rows["Kvinnor"] == ["1", "1 min 30 s", "60 %"]
    assert rows["Män"] == ["1", "1 min 00 s", "40 %"]
    assert rows["Cirkelledaren"] == ["0", "0 s", "räknas för sig"]
    band = text_of(big.band.value)
    assert "Kvinnor: 60 % av taltiden, inom 40–60 %." in band
    assert "Män: 40 % av taltiden, inom 40–60 %." in band
    chart = big.chart.value
    assert chart.startswith("<svg") and "60\u00a0% · 1 inlägg · 1 min 30 s" in chart
    assert "40\u00a0% · 1 inlägg · 1 min 00 s" in chart
    assert t("speaker_stats.total", count=2) in text_of(big.now_line.value)


def test_the_screen_ticks_a_running_contribution_without_a_new_tap(run_dir, live_db, clock):
    lena = keeper(run_dir, clock)
    lena.start_session()
    lena.tap("kvinnor")
    clock.advance(5)
    lena.tap("kvinnor")  # 5 s finished
    lena.tap("man")
    big = screen(run_dir, clock)
    clock.advance(15)
    big.refresh()
    assert "Pågår: Män, 15 s." in text_of(big.now_line.value)
    assert table_rows(big.table.value)["Män"][:2] == ["1", "15 s"]
    assert "75\u00a0% · 1 inlägg · 15 s" in big.chart.value  # the running contribution counts on the screen
    lena.refresh()
    assert "Män: 75 % av taltiden, utanför 40–60 %." in text_of(big.band.value)
    assert text_of(lena.band.value) == text_of(big.band.value)  # the phone and the screen agree
    clock.advance(5)
    big.refresh()
    assert "Pågår: Män, 20 s." in text_of(big.now_line.value)
    assert "80\u00a0% · 1 inlägg · 20 s" in big.chart.value


def test_a_reloaded_keeper_and_a_late_screen_continue_the_running_contribution(run_dir, live_db, clock):
    first = keeper(run_dir, clock)
    first.start_session()
    first.tap("icke-binara")
    clock.advance(42)
    first.close()  # the phone's page is reloaded: a new kernel builds the page again
    again = keeper(run_dir, clock)
    assert again.session_id == first.session_id
    assert again.running == "icke-binara"
    assert again.category_buttons["icke-binara"].description == "Sluta: Icke-binära"
    assert "Pågår: Icke-binära, 42 s." in text_of(again.now_line.value)
    late = screen(run_dir, clock)
    assert "Pågår: Icke-binära, 42 s." in text_of(late.now_line.value)
    clock.advance(3)
    again.tap("icke-binara")
    assert table_rows(again.table.value)["Icke-binära"][:2] == ["1", "45 s"]


def test_two_devices_tapping_the_same_start_count_one_contribution(run_dir, live_db, clock):
    lena, anna = keeper(run_dir, clock), keeper(run_dir, clock, "anna")
    lena.start_session()
    anna.refresh()
    # both show "Börja: Kvinnor"; Lena taps first, Anna's page has not refreshed yet
    lena.category_buttons["kvinnor"].click()
    anna.category_buttons["kvinnor"].click()
    assert t("livespeaker.already_done") in text_of(anna.message.value)
    assert anna.running == "kvinnor"
    assert table_rows(anna.table.value)["Kvinnor"][0] == "1"
    # and two "Sluta" taps end it once
    clock.advance(10)
    lena.category_buttons["kvinnor"].click()
    anna.category_buttons["kvinnor"].click()
    lena.refresh()
    assert table_rows(lena.table.value)["Kvinnor"][:2] == ["1", "10 s"]


def test_opening_a_session_when_one_is_open_continues_it(run_dir, live_db, clock):
    lena, anna = keeper(run_dir, clock), keeper(run_dir, clock, "anna")
    lena.start_session()
    lena.tap("man")
    anna.start_session()  # her page had not refreshed: it still offered "Starta"
    assert anna.session_id == lena.session_id and anna.running == "man"
    assert t("livespeaker.continued") in text_of(anna.message.value)
    store = device(run_dir, clock)
    source, raw = find_run_settings(run_dir)
    assert store.open_session("cirkel-a", "kim", source, raw).session_id == lena.session_id
    # another circle has its own session
    olle = keeper(run_dir, clock, "olle", "cirkel-b")
    olle.start_session()
    assert olle.session_id != lena.session_id and olle.running == ""


def test_concurrent_taps_from_many_devices_all_count(run_dir, live_db, clock):
    store = device(run_dir, clock)
    source, raw = find_run_settings(run_dir)
    session_id = store.open_session("cirkel-a", "lena", source, raw).session_id
    errors: list[BaseException] = []

    def taps(category: str) -> None:
        own = device(run_dir, clock)
        try:
            for _ in range(15):
                own.start(session_id, category)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=taps, args=(c,)) for c in ("kvinnor", "man", "ej-angivet")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    session = store.session(session_id)
    assert session.tally.counts["kvinnor"] == session.tally.counts["man"] == session.tally.counts["ej-angivet"] == 15
    assert session.version == 1 + 45


def test_undo_takes_back_the_last_tap_only_for_a_short_while(run_dir, live_db, clock):
    lena = keeper(run_dir, clock)
    lena.start_session()
    assert lena.undo_button.disabled
    lena.tap("kvinnor")
    clock.advance(20)
    lena.tap("kvinnor")  # 20 s
    clock.advance(2)
    lena.tap("man")  # a slip of the thumb
    assert not lena.undo_button.disabled
    lena.undo_button.click()
    assert t("livespeaker.undone") in text_of(lena.message.value)
    assert lena.running == "" and table_rows(lena.table.value)["Män"][0] == "0"
    assert table_rows(lena.table.value)["Kvinnor"][:2] == ["1", "20 s"]
    lena.undo()  # only one step
    assert "cirkel-live-alert" in lena.message.alert._dom_classes and "-error" in lena.message.alert.value
    assert lena.message.status.value == "", "a refusal interrupts: said in the alert region only"
    assert table_rows(lena.table.value)["Kvinnor"][:2] == ["1", "20 s"]

    lena.tap("ej-angivet")
    clock.advance(31)
    lena.refresh()
    assert lena.undo_button.disabled  # the window has passed
    version = lena.version
    lena.undo()
    assert t("livespeaker.undo_too_late", seconds=30) in text_of(lena.message.value)
    assert lena.running == "ej-angivet" and device(run_dir, clock).version(lena.session_id) == version


def test_a_forgotten_contribution_is_capped(run_dir, live_db, clock):
    lena = keeper(run_dir, clock)
    lena.start_session()
    lena.tap("man")
    clock.advance(3 * 3600)
    lena.tap("man")
    assert "räknas som 15 minuter" in text_of(lena.message.value)
    assert table_rows(lena.table.value)["Män"][:2] == ["1", "15 min 00 s"]


def test_ending_stops_the_running_contribution_offers_the_summary_and_refuses_more_taps(run_dir, live_db, clock):
    lena, anna = keeper(run_dir, clock), keeper(run_dir, clock, "anna")
    big = screen(run_dir, clock)
    notice = big.notice
    lena.start_session()
    lena.tap("kvinnor")
    clock.advance(30)
    lena.tap("man")
    clock.advance(20)
    anna.refresh()

    assert lena._export.layout.display == "none"
    lena.end_button.click()
    assert lena.confirming_end and lena._confirm_row.layout.display != "none"
    lena.cancel_end_button.click()
    assert not lena.confirming_end and lena.running == "man"
    with pytest.raises(ValueError):
        lena.confirm_end()
    lena.end_button.click()
    lena.confirm_end_button.click()
    assert lena.ended and lena.running == ""
    assert t("livespeaker.ended") in text_of(lena.message.value)
    assert lena._export.layout.display != "none" and lena._controls.layout.display == "none"
    assert lena.start_button.description == t("livespeaker.start_new_session")

    clock.advance(600)  # the numbers stay as they were at the end
    markdown = lena.to_markdown()
    assert "| Kvinnor | 1 | 30 s | 60\u00a0% |" in markdown
    assert "| Män | 1 | 20 s | 40\u00a0% |" in markdown
    assert t("speaker_stats.export.privacy") in markdown
    lena.markdown_button.click()
    assert 'download="talarstatistik.md"' in lena.download.value
    lena.docx_button.click()
    document = docx.Document(io.BytesIO(lena.docx_bytes()))
    cells = [[c.text for c in row.cells] for row in document.tables[0].rows]
    assert ["Kvinnor", "1", "30 s", "60\u00a0%"] in cells

    # the second keeper device still shows the session running; its tap is refused plainly
    anna.category_buttons["kvinnor"].click()
    assert t("livespeaker.session_ended") in text_of(anna.message.value)
    assert anna.ended and anna._controls.layout.display == "none"
    big.refresh()
    assert t("livespeaker.ended_screen") in text_of(big.notice.value)
    assert big.notice is notice and "role=" not in notice.value
    assert table_rows(big.table.value)["Män"][:2] == ["1", "20 s"]

    # a new session starts from zero, and the screen follows it
    anna.start_button.click()
    assert anna.session_id != lena.session_id and not anna.ended
    big.refresh()
    assert big.session_id == anna.session_id
    assert table_rows(big.table.value)["Kvinnor"][:2] == ["0", "0 s"]


def test_only_aggregates_are_stored(run_dir, live_db, clock):
    lena = keeper(run_dir, clock)
    lena.start_session()
    for category in ("kvinnor", "man", "kvinnor"):
        lena.tap(category)
        clock.advance(7)
    assert [c.name for c in TALLIES.columns] == ["session_id", "category", "contributions", "seconds"]
    with live_engine(run_dir).connect() as db:  # what is stored, on SQLite or PostgreSQL
        tallies = db.execute(sa.text("SELECT category, contributions FROM livespeaker_tallies ORDER BY category")).all()
        sessions = db.execute(sa.text("SELECT * FROM livespeaker_sessions")).all()
    assert dict(tallies) == {"cirkelledaren": 0, "ej-angivet": 0, "icke-binara": 0, "kvinnor": 2, "man": 1}
    assert len(sessions) == 1  # one row per session, no log of contributions
    stored = " ".join(map(str, sessions[0]))
    assert not [name for name in ("anna", "bertil", "cilla") if re.search(rf"\b{name}\b", stored, re.IGNORECASE)]
    assert {c.name for c in SESSIONS.columns} >= {"circle_id", "keeper", "version", "running_category"}


def test_the_keeper_is_personal_data_that_can_be_exported_and_erased(run_dir, live_db, clock):
    lena = keeper(run_dir, clock)
    lena.start_session()
    lena.tap("kvinnor")
    rows = person_rows(run_dir, "lena")
    assert [row["circle_id"] for row in rows["livespeaker_sessions"]] == ["cirkel-a"]
    assert erase_person(run_dir, "lena") == 1
    assert person_rows(run_dir, "lena") == {}
    session = device(run_dir, clock).session(lena.session_id)
    assert session.keeper == "" and session.tally.counts["kvinnor"] == 1  # the circle's numbers stay


def test_headless_nothing_polls(run_dir, live_db, clock):
    lena = keeper(run_dir, clock)
    assert lena._poller is not None and not lena._poller.running
