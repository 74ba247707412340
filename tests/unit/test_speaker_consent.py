"""Talarstatistik by consent: no gender kept until the circle agrees, and withdrawing erases the gender tallies.

The store on a real SQLite live database in a temporary folder, with the real
course's talarstatistik settings; the keeper's page driven through its buttons
with no kernel. Time comes from a clock the test moves.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from voila_apps.live.live_speaker_stats import LiveSpeakerKeeper
from widgets.core.i18n import t, yaml_data
from widgets.storage.live_speaker import LiveSpeakerError, LiveSpeakerStore

pytestmark = pytest.mark.unit

SETTINGS = Path(__file__).resolve().parents[2] / "courses" / "partiforeningsskola" / "08-internfeminism"
SETTINGS = SETTINGS / "talarstatistik.yml"
NOW = 1_764_600_000.0  # 2025-12-01, in the afternoon
GENDER_WORDS = (b"kvinnor", b"Kvinnor", b"icke-binara", b"ej-angivet")


class Clock:
    def __init__(self) -> None:
        self.now = NOW

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def store(tmp_path, monkeypatch, clock) -> LiveSpeakerStore:
    monkeypatch.delenv("CIRKEL_LIVE_DB", raising=False)
    monkeypatch.delenv("CIRKEL_LANG", raising=False)
    return LiveSpeakerStore(tmp_path, clock=clock)


def _raw() -> dict:
    return yaml_data(SETTINGS.read_text(encoding="utf-8"))


def _talk(store: LiveSpeakerStore, clock: Clock, session_id: int, category: str, seconds: float) -> None:
    store.start(session_id, category)
    clock.now += seconds
    store.stop(session_id)


def _stored(store: LiveSpeakerStore) -> dict[str, list[tuple]]:
    """What the database file holds, read with sqlite3 itself, not through the store."""
    with sqlite3.connect(store.run_dir / "samverkan.sqlite") as db:
        return {
            "tallies": db.execute("SELECT category, contributions, seconds FROM livespeaker_tallies").fetchall(),
            "sessions": db.execute(
                "SELECT settings_json, running_category, undo_json FROM livespeaker_sessions"
            ).fetchall(),
        }


def _file_bytes(store: LiveSpeakerStore) -> bytes:
    return b"".join(p.read_bytes() for p in store.run_dir.glob("samverkan.sqlite*"))


def test_without_consent_only_turns_and_time_are_kept(store, clock):
    session = store.open_session("norr", "lena", "talarstatistik.yml", _raw())
    assert session.is_anonymous and session.settings.ids == ("alla",)
    _talk(store, clock, session.session_id, "alla", 90)
    _talk(store, clock, session.session_id, "alla", 30)
    with pytest.raises(LiveSpeakerError, match="kvinnor"):  # a gender cannot be tallied at all
        store.start(session.session_id, "kvinnor")
    stored = _stored(store)
    assert stored["tallies"] == [("alla", 2, 120.0)]
    assert all(word not in stored["sessions"][0][0].encode() for word in GENDER_WORDS)
    assert store.consent("norr") is None


def test_with_consent_gender_is_tallied_from_the_next_session(store, clock):
    consent = store.give_consent("norr", "lena", "2025-11-28")
    assert consent.agreed_on.isoformat() == "2025-11-28"
    assert store.consent("norr").recorded_by == "lena"
    session = store.open_session("norr", "lena", "talarstatistik.yml", _raw())
    assert not session.is_anonymous
    _talk(store, clock, session.session_id, "kvinnor", 60)
    _talk(store, clock, session.session_id, "man", 45)
    tally = store.session(session.session_id).tally
    assert tally.counts["kvinnor"] == 1 and tally.counts["man"] == 1
    assert store.consent("soder") is None  # one circle's consent is not another's


def test_withdrawing_erases_the_gender_tallies_and_keeps_the_count(store, clock):
    store.give_consent("norr", "lena", "2025-11-28")
    session = store.open_session("norr", "lena", "talarstatistik.yml", _raw())
    _talk(store, clock, session.session_id, "kvinnor", 60)
    _talk(store, clock, session.session_id, "man", 45)
    store.start(session.session_id, "icke-binara")  # one contribution still running
    clock.now += 10
    assert store.withdraw_consent("norr") == 1
    assert store.consent("norr") is None
    after = store.session(session.session_id)
    assert after.is_anonymous and after.tally.running == "alla"
    assert after.tally.counts == {"alla": 3} and after.tally.seconds == {"alla": 105.0}
    assert not after.can_undo(clock.now)  # the undo step held the tallies by gender: gone
    stored = _stored(store)
    assert [row[0] for row in stored["tallies"]] == ["alla"]
    assert stored["sessions"][0][2] is None
    assert all(word not in _file_bytes(store) for word in GENDER_WORDS)  # not in free pages or the log either
    store.stop(after.session_id)  # counting goes on, anonymously
    assert store.session(after.session_id).tally.seconds["alla"] == pytest.approx(115.0)


@pytest.mark.parametrize(
    ("entered", "message"),
    [
        ("", "Skriv vilken dag cirkeln sa ja"),
        ("1 december", "Datumet ”1 december” går inte att läsa"),
        ("2099-01-01", "2099-01-01 har inte varit än"),
    ],
)
def test_a_consent_date_that_cannot_be_right_is_refused_plainly(store, entered, message):
    with pytest.raises(LiveSpeakerError, match=message):
        store.give_consent("norr", "lena", entered)
    assert store.consent("norr") is None


def test_the_keeper_page_asks_first_and_its_leader_records_and_withdraws(store, clock):
    keeper = LiveSpeakerKeeper(store, "norr", "lena", settings_source="talarstatistik.yml", settings=_raw())
    panel = keeper.consent_panel
    # first the why and the question; starting now counts without gender
    assert keeper.children[1] is panel
    assert "Del 2, ”Internfeminism för framtiden”" in panel.children[0].value
    assert t("livespeaker.consent.not_given") in panel.status.value
    assert keeper.start_button.description == t("livespeaker.consent.start_anonymous")
    message, question = panel.message, panel.question  # live regions from the start: only the text changes
    assert {"cirkel-live"} <= set(message.status._dom_classes) & set(question._dom_classes)
    panel.date_field.value = "2025-12-01"
    panel.give_button.click()
    assert panel.consented and "2025-12-01" in panel.status.value
    assert panel.message is message and "2025-12-01" in message.value and "role=" not in message.value
    assert keeper.start_button.description == t("livespeaker.start_session")
    keeper.start_button.click()
    assert set(keeper.category_buttons) == {"kvinnor", "man", "icke-binara", "ej-angivet", "cirkelledaren"}
    keeper.category_buttons["kvinnor"].click()
    clock.now += 20
    keeper.category_buttons["kvinnor"].click()
    assert keeper.session.tally.counts["kvinnor"] == 1
    # withdrawing asks first, then the page shows the anonymous count only
    panel.withdraw_button.click()
    assert panel.confirming_withdraw and panel.consented
    assert panel.question is question and question.value and "role=" not in question.value
    panel.confirm_withdraw_button.click()
    assert not panel.consented
    assert set(keeper.category_buttons) == {"alla"}
    assert keeper.session.tally.counts == {"alla": 1}
    assert t("livespeaker.consent.anonymous_label") in keeper.table.value
    assert "Kvinnor" not in keeper.table.value
    keeper.close()


def test_a_member_who_is_not_the_leader_cannot_change_it(store):
    keeper = LiveSpeakerKeeper(
        store, "norr", "anna", settings_source="talarstatistik.yml", settings=_raw(), can_decide=False
    )
    panel = keeper.consent_panel
    assert t("livespeaker.consent.leader_decides") in panel.status.value
    panel.give()  # even if a message came through, nothing is recorded
    assert store.consent("norr") is None
    assert "cirkel-live-alert" in panel.message.alert._dom_classes and "-error" in panel.message.alert.value
    keeper.close()


def test_the_module_text_says_why_one_counts_and_why_one_asks_first():
    module = SETTINGS.parent
    text = (module / "text.md").read_text(encoding="utf-8")
    section = text.split("## Talarstatistik", 1)[1].split("\n## ", 1)[0]
    source = (module.parents[1] / "kalla" / "strategidokumentet.txt").read_text(encoding="utf-8")
    # why count: the document's own words, cited by part and section
    assert "talarstatistik på möten" in source and "Alla dessa ska vi fortsätta att arbeta med." in source
    assert "(Del 2, Internfeminism för framtiden)" in section
    # why consent, what is counted without it, and that withdrawing erases
    for words in ("uppgifter om personer", "utan kön", "Namn skrivs aldrig ner", "siffror per kön raderas"):
        assert words in section, words
    guide = (module / "cirkelledare.md").read_text(encoding="utf-8")
    assert "Fråga först om alla är okej med att räknas per kön" in guide and "siffrorna per kön raderas" in guide
