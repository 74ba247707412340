"""The group quiz: one store, several devices (a leader, the big screen, three phones), driven as people do.

A real course run of the real course (its question banks copied into
``source/`` by ``create_run``), learners imported into nbgrader's gradebook,
study circles in the run's circle store. Each test gets its own live database
(``CIRKEL_LIVE_DB``), so sessions of one test never meet another's. The
widgets are built headless; ``refresh()`` stands in for each device's timer.
Here a full round and the faults of a round; who sees and keeps what: ``test_group_quiz_roles.py``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from grading.circles import group_quiz as gq
from voila_apps.live.group_quiz import GroupQuizScreen
from widgets.core.i18n import t
from widgets.storage.live_db import live_engine

from circle_run import circle_run
from group_quiz_support import MODULE, QUIZ, bank, leader, own_live_db, phone, shown, start, text_of

pytestmark = pytest.mark.nbgrader


@pytest.fixture(scope="module")
def run_dir(course_dir, tmp_path_factory) -> Path:
    return circle_run(course_dir, tmp_path_factory.mktemp("gruppquiz"))


@pytest.fixture(autouse=True)
def live_db(run_dir, tmp_path, monkeypatch, store_backend) -> Iterator[Path]:
    yield from own_live_db(run_dir, tmp_path, monkeypatch, store_backend)


# -- a full round on every screen -------------------------------------------------------------------


def test_a_full_round_on_the_leader_s_screen_the_big_screen_and_three_phones(run_dir):
    quiz = bank()
    first, second = quiz.questions[0], quiz.questions[1]
    phones = {p: phone(run_dir, p) for p in ("anna", "bertil", "cilla")}
    for device in phones.values():  # they came before the leader started
        assert device.session_id is None
        assert t("groupquiz.none_open") in shown(device)

    lead = leader(run_dir)
    session = start(lead)
    info = gq.session_info(run_dir, session)
    assert re.fullmatch(f"[{gq.CODE_ALPHABET}]{{6}}", info.code)
    assert info.code in shown(lead) and "gruppquiz-skarm.ipynb?session=" in lead.board.value
    screen = GroupQuizScreen(run_dir, session, address="http://127.0.0.1:8000/hub/kod")
    assert t("groupquiz.join_how", address="http://127.0.0.1:8000/hub/kod", code=info.code) in shown(screen)

    for device in phones.values():
        device.refresh()  # the timer: they join the circle's session by themselves
        assert device.session_id == session
        assert t("groupquiz.wait_first") in shown(device)
    screen.refresh()
    assert all(name in shown(screen) for name in ("Anna", "Bertil", "Cilla"))

    lead.next_button.click()  # "Visa första frågan"
    for device in (*phones.values(), screen):
        device.refresh()
    for device in phones.values():
        assert first.text in shown(device) and device.answer_button.layout.display != "none"
        assert first.explanation not in shown(device)
    assert first.text in shown(screen)
    assert t("groupquiz.answered_count", answered=0, total=3) in shown(screen)

    right = sorted(first.correct)[0]
    wrong = next(i for i in range(len(first.options)) if i not in first.correct)
    phones["anna"].choose([right])
    phones["anna"].answer_button.click()
    assert phones["anna"].status.startswith(t("groupquiz.saved", answer="X").split("X")[0])
    phones["bertil"].choose([wrong])
    phones["bertil"].answer_button.click()
    phones["bertil"].choose([right])  # he changes his mind before the spread
    phones["bertil"].answer_button.click()
    screen.refresh()
    board = shown(screen)
    assert t("groupquiz.answered_count", answered=2, total=3) in board
    answered = re.search(r'cirkel-gq-answered">(.*?)</ul>', screen.board.value).group(1)
    assert "Anna" in answered and "Bertil" in answered and "Cilla" not in answered
    assert "cirkel-gq-spread" not in screen.board.value  # who, not what

    phones["cilla"].choose([wrong])
    phones["cilla"].answer_button.click()
    lead.refresh()
    assert t("groupquiz.phase.answering", number=1, total=len(quiz.questions), answered=3, count=3) in shown(lead)

    lead.spread_button.click()  # "Visa svaren"
    for device in (*phones.values(), screen):
        device.refresh()
    expected = [0] * len(first.options)
    expected[right] = 2
    expected[wrong] = 1
    assert gq.snapshot(run_dir, session).spread == tuple(expected)
    rows = re.findall(r'<tr><th scope="row">(.*?)</th><td>(\d+)</td></tr>', screen.board.value)
    assert [int(n) for _label, n in rows] == expected
    assert first.explanation not in shown(screen)
    for device in phones.values():
        assert device.answer_button.layout.display == "none" and device.radio.disabled
        assert [int(n) for n in re.findall(r"<td>(\d+)</td>", device.result.value)] == expected
    # a late change is refused plainly, and nothing changes
    phones["cilla"].radio.disabled = False
    phones["cilla"].choose([right])
    assert phones["cilla"].submit() is False
    assert phones["cilla"].status == t("groupquiz.error.closed")
    assert gq.snapshot(run_dir, session).spread == tuple(expected)

    lead.reveal_button.click()  # "Visa förklaringen"
    for device in (*phones.values(), screen):
        device.refresh()
        assert first.explanation in shown(device)
        assert first.options[right].text in text_of(
            re.search(
                r'cirkel-gq-right">(.*?)</p>', device.board.value if device is screen else device.result.value
            ).group(1)
        )

    lead.next_button.click()
    for device in (*phones.values(), screen):
        device.refresh()
    assert second.text in shown(screen)
    assert all(second.text in shown(d) and d.radio.value is None and not d.radio.disabled for d in phones.values())

    lead.end_button.click()
    for device in (*phones.values(), screen):
        device.refresh()
    assert t("groupquiz.ended_screen") in shown(screen) and info.code not in shown(screen)
    assert all(t("groupquiz.ended_participant") in shown(d) for d in phones.values())
    # the results stay with the circle: the leader sees them, with the spread and no names
    assert lead.session_id is None and lead.setup.layout.display != "none"
    assert t("groupquiz.results_title") in lead.results.value and first.text in text_of(lead.results.value)
    assert "Bertil" not in lead.results.value


# -- faults the issue names ---------------------------------------------------------------------------------


def test_a_late_joiner_sees_the_current_question(run_dir):
    quiz = bank()
    lead = leader(run_dir)
    start(lead)
    lead.next()
    lead.spread_button.click()
    lead.next()  # question 2 is open
    late = phone(run_dir, "cilla")
    assert late.session_id == lead.session_id
    assert quiz.questions[1].text in shown(late) and quiz.questions[0].text not in shown(late)
    assert late.answer_button.layout.display != "none"


def test_a_phone_that_reconnects_keeps_its_answer(run_dir):
    quiz = bank()
    lead = leader(run_dir)
    session = start(lead)
    lead.next()
    anna = phone(run_dir, "anna")
    anna.choose([2])
    anna.answer_button.click()
    anna.close()  # the phone loses its page; a new kernel builds the view again
    again = phone(run_dir, "anna")
    assert again.session_id == session and again.radio.value == 2
    assert again.status == t("groupquiz.saved", answer=f"C. {quiz.questions[0].options[2].text}")
    again.choose([0])  # still changeable while the question is open
    again.answer_button.click()
    assert gq.snapshot(run_dir, session, "anna").mine == (0,)


def test_codes_expire_and_belong_to_one_circle(run_dir):
    now = dt.datetime(2026, 3, 1, 18, 0)
    session = gq.open_session(run_dir, "cirkel-a", MODULE, QUIZ, "lena", now=now, code_hours=2)
    code = gq.session_info(run_dir, session).code
    assert not set(code) & set("0O1I")
    # typed in lower case with a space: still the code
    typed = f"{code[:3].lower()} {code[3:].lower()}"
    assert gq.join_by_code(run_dir, typed, "anna", ["cirkel-a"], "Anna", now=now).session_id == session
    with pytest.raises(gq.CodeRefused) as other:
        gq.join_by_code(run_dir, code, "pia", ["cirkel-b"], "Pia", now=now)
    assert str(other.value) == t("groupquiz.error.other_circle") and other.value.kind == "other_circle"
    with pytest.raises(gq.CodeRefused) as late:
        gq.join_by_code(run_dir, code, "bertil", ["cirkel-a"], "Bertil", now=now + dt.timedelta(hours=3))
    assert str(late.value) == t("groupquiz.error.code_expired", code=code) and late.value.kind == "expired"
    with pytest.raises(gq.CodeRefused, match="ABCDEF") as unknown:
        gq.join_by_code(run_dir, "abcdef", "bertil", ["cirkel-a"], now=now)
    assert unknown.value.kind == "unknown"
    with pytest.raises(gq.CodeRefused) as short:
        gq.join_by_code(run_dir, "AB1", "bertil", ["cirkel-a"], now=now)
    assert str(short.value) == t("groupquiz.error.code_format", length=6)
    # refused people were not added
    assert [p.person for p in gq.snapshot(run_dir, session).participants] == ["anna"]
    # without a display name given, the roster's name is shown (the hub's code page passes none)
    gq.join_by_code(run_dir, code, "cilla", ["cirkel-a"], now=now)
    assert gq.snapshot(run_dir, session).participants[-1].display_name == "Cilla"
    gq.end_session(run_dir, session, now=now + dt.timedelta(minutes=30))
    with pytest.raises(gq.CodeRefused, match="gått ut"):
        gq.join_by_code(run_dir, code, "bertil", ["cirkel-a"], now=now + dt.timedelta(minutes=31))


def test_a_phone_refuses_a_foreign_code_plainly(run_dir):
    gq.open_session(run_dir, "cirkel-a", MODULE, QUIZ, "lena")
    pia = phone(run_dir, "pia")  # cirkel-b has no session: she waits, with a code field
    assert pia.session_id is None and pia.code_row.layout.display != "none"
    code = gq.open_sessions(run_dir, ["cirkel-a"])[0].code
    pia.code.value = code
    pia.code_button.click()
    assert pia.session_id is None
    assert t("groupquiz.error.other_circle") in shown(pia)


def test_one_open_session_per_circle_and_bad_quiz_names(run_dir):
    gq.open_session(run_dir, "cirkel-a", MODULE, QUIZ, "lena")
    with pytest.raises(gq.GroupQuizError) as busy:
        gq.open_session(run_dir, "cirkel-a", MODULE, QUIZ, "kim")
    assert str(busy.value) == t("groupquiz.error.circle_busy", circle="Cirkel A")
    with pytest.raises(gq.GroupQuizError, match="99-finns-inte"):
        gq.open_session(run_dir, "cirkel-b", "99-finns-inte", QUIZ, "olle")
    with pytest.raises(gq.GroupQuizError, match="voteringsordning"):
        gq.open_session(run_dir, "cirkel-b", MODULE, "voteringsordning", "olle")  # not a quiz
    with pytest.raises(gq.GroupQuizError, match="cirkel-x"):
        gq.open_session(run_dir, "cirkel-x", MODULE, QUIZ, "olle")
    with live_engine(run_dir).connect() as db:
        assert db.execute(sa.select(sa.func.count()).select_from(gq.SESSIONS)).scalar_one() == 1


def test_answers_are_checked_and_nothing_is_half_saved(run_dir):
    quiz = bank()
    session = gq.open_session(run_dir, "cirkel-a", MODULE, QUIZ, "lena")
    gq.join(run_dir, session, "anna", "Anna", circles=["cirkel-a"])
    first = quiz.questions[0].id
    with pytest.raises(gq.GroupQuizError, match="stängd"):
        gq.answer(run_dir, session, "anna", first, [0])  # not shown yet
    gq.next_question(run_dir, session)
    with pytest.raises(gq.GroupQuizError) as one:
        gq.answer(run_dir, session, "anna", first, [0, 1])
    assert str(one.value) == t("groupquiz.error.choose_one")
    for bad in ([], [7], [-1]):
        with pytest.raises(gq.GroupQuizError):
            gq.answer(run_dir, session, "anna", first, bad)
    with pytest.raises(gq.GroupQuizError) as stranger:
        gq.answer(run_dir, session, "pia", first, [0])
    assert str(stranger.value) == t("groupquiz.error.not_participant")
    with pytest.raises(gq.GroupQuizError) as stale:
        gq.answer(run_dir, session, "anna", quiz.questions[3].id, [0])
    assert str(stale.value) == t("groupquiz.error.not_current")
    assert gq.snapshot(run_dir, session, "anna").mine is None
    assert gq.answer(run_dir, session, "anna", first, [1, 1]) == (1,)
    # joining another circle's session is refused
    with pytest.raises(gq.CodeRefused):
        gq.join(run_dir, session, "pia", "Pia", circles=["cirkel-b"])


def test_a_multiple_choice_question_takes_several_options(run_dir):
    quiz = bank()
    index = next(i for i, q in enumerate(quiz.questions) if q.type == "multiple")
    question = quiz.questions[index]
    lead = leader(run_dir)
    session = start(lead)
    bertil = phone(run_dir, "bertil")
    for _ in range(index + 1):
        lead.next()
    bertil.refresh()
    assert question.text in shown(bertil) and len(bertil.boxes) == len(question.options)
    bertil.answer_button.click()
    assert bertil.status == t("groupquiz.error.choose")
    # said at once, in the alert region drawn with the app; the polite one is empty meanwhile
    assert "cirkel-live-alert" in bertil.status_alert._dom_classes
    assert text_of(bertil.status_alert.value) == t("groupquiz.error.choose") and text_of(bertil.status_box.value) == ""
    bertil.choose(sorted(question.correct))
    bertil.answer_button.click()
    assert gq.snapshot(run_dir, session, "bertil").mine == tuple(sorted(question.correct))


def test_two_leader_devices_never_skip_a_question(run_dir):
    laptop, mobile = leader(run_dir), leader(run_dir)
    session = start(laptop)
    mobile.refresh()
    assert mobile.session_id == session  # the second device takes up the circle's session
    laptop.next()
    mobile.refresh()
    laptop.spread_button.click()
    mobile.spread_button.click()  # pressed a moment later: already done, no error
    laptop.next_button.click()
    mobile.next_button.click()  # its page still showed question 1: nothing moves twice
    assert gq.session_info(run_dir, session).question_index == 1
    assert mobile.message == ""


# -- a big meeting: many phones polling one store ----------------------------------------------------


def test_a_poll_reads_the_run_s_settings_only_when_they_change(run_dir, monkeypatch, tmp_path):
    """100 phones poll every second: each poll is one small query, not a parse of ``cirkel-run.yml`` too."""
    from widgets.storage import database as storage

    session = start(leader(run_dir))
    read: list[str] = []
    real = storage._configured
    monkeypatch.setattr(storage, "_configured", lambda folder: read.append(str(folder)) or real(folder))
    for _ in range(50):  # a phone's minute of polls, and the big screen's redraws
        assert gq.session_state(run_dir, session)[1] == "waiting"
        assert gq.snapshot(run_dir, session).phase == "waiting"
    assert read == []

    settings = run_dir / "cirkel-run.yml"  # the run is moved to another store: the next poll goes there
    settings.write_text(settings.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert gq.session_state(run_dir, session)[1] == "waiting"
    assert len(read) == 1
    monkeypatch.setenv("CIRKEL_LIVE_DB", f"sqlite:///{tmp_path / 'elsewhere.sqlite'}")
    with pytest.raises(gq.GroupQuizError):
        gq.session_state(run_dir, session)
    assert (tmp_path / "elsewhere.sqlite").exists()

    # the polls keep a connection to the SQLite file: a store removed and made again is read afresh
    there = gq.open_session(run_dir, "cirkel-a", MODULE, QUIZ, "lena")
    assert gq.session_state(run_dir, there)[1] == "waiting"
    for part in tmp_path.glob("elsewhere.sqlite*"):
        part.unlink()
    with pytest.raises(gq.GroupQuizError):  # the new, empty store has no such session
        gq.session_state(run_dir, there)


def test_phones_tapping_at_the_same_moment_are_all_saved_and_the_last_waits_its_turn(run_dir):
    """A room taps "Svara" at once: every answer is saved; a write waits for the one before it, then goes."""
    import threading
    from concurrent.futures import ThreadPoolExecutor

    from grading.circles.group_quiz.db import lock_session, writing
    from grading.circles.group_quiz.records import utc_now

    session = gq.open_session(run_dir, "cirkel-a", MODULE, QUIZ, "lena")
    code = gq.session_info(run_dir, session).code
    people = [gq.admit_guest(run_dir, code, f"Gäst {i}").name for i in range(12)]
    gq.next_question(run_dir, session)
    question = gq.snapshot(run_dir, session).question
    assert question is not None
    together = threading.Barrier(len(people))

    def tap(person: str) -> tuple[int, ...]:
        together.wait()
        return gq.answer(run_dir, session, person, question.question_id, [1])

    with ThreadPoolExecutor(len(people)) as pool:
        assert list(pool.map(tap, people)) == [(1,)] * len(people)
    shown_now = gq.snapshot(run_dir, session)
    assert [p.answered for p in shown_now.participants] == [True] * len(people)

    late = people[0]
    with ThreadPoolExecutor(1) as pool, writing(run_dir) as db:  # another device's write in progress
        lock_session(db, session, utc_now())
        changed = pool.submit(gq.answer, run_dir, session, late, question.question_id, [0])
        with pytest.raises(TimeoutError):
            changed.result(timeout=0.3)
    assert changed.result(timeout=10) == (0,)
    assert gq.snapshot(run_dir, session, late).mine == (0,)
