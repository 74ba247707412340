"""The group quiz: one store, several devices (a leader, the big screen, three phones), driven as people do.

A real course run of the real course (its question banks copied into
``source/`` by ``create_run``), learners imported into nbgrader's gradebook,
study circles in the run's circle store. Each test gets its own live database
(``CIRKEL_LIVE_DB``), so sessions of one test never meet another's. The
widgets are built headless; ``refresh()`` stands in for each device's timer.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import re
import shutil
from pathlib import Path

import pytest
import sqlalchemy as sa

from grading import group_quiz as gq
from grading.circles import CircleStore
from grading.run import CourseRun
from voila_apps.live.group_quiz import (
    GroupQuizLeader,
    GroupQuizParticipant,
    GroupQuizScreen,
    group_quiz_app,
    group_quiz_screen_app,
    join_address,
)
from voila_apps.live.live_context import LiveContext
from widgets._quiz_bank import load_bank, score_answers
from widgets.i18n import t
from widgets.live_db import live_engine
from widgets.store import AnswerStore

from circle_run import PEOPLE, add_circles, circle_run
from focus_requests import asked_last

pytestmark = pytest.mark.nbgrader

MODULE = "05-moten"
QUIZ = "motesroller"


@pytest.fixture(scope="module")
def run_dir(course_dir, tmp_path_factory) -> Path:
    return circle_run(course_dir, tmp_path_factory.mktemp("gruppquiz"))


@pytest.fixture(autouse=True)
def live_db(run_dir, tmp_path, monkeypatch, store_backend) -> Path:
    """A live database of this test's own (SQLite, then PostgreSQL); no learner folders left from another test."""
    db = tmp_path / "samverkan.sqlite"
    if store_backend == "sqlite":
        monkeypatch.setenv("CIRKEL_LIVE_DB", f"sqlite:///{db}")
    else:  # the server's database holds the circles too
        add_circles(run_dir)
    shutil.rmtree(run_dir / "deltagare", ignore_errors=True)
    yield db
    shutil.rmtree(run_dir / "deltagare", ignore_errors=True)


def context(run_dir: Path, viewer: str, **query: str) -> LiveContext:
    return LiveContext(run_dir=run_dir, viewer=viewer, leaders=frozenset({"kim"}), query=query)


def text_of(markup: str) -> str:
    """What a reader sees of some HTML: tags and the style sheet gone, whitespace folded."""
    markup = re.sub(r"<style>.*?</style>", " ", markup, flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", markup)).split())


def shown(widget) -> str:
    """The visible text of a view: every HTML part of it, in order, hidden parts left out."""
    parts: list[str] = []

    def walk(w) -> None:
        if getattr(w.layout, "display", None) == "none":
            return
        if hasattr(w, "value") and isinstance(w.value, str) and w.__class__.__name__ == "HTML":
            parts.append(text_of(w.value))
        for child in getattr(w, "children", ()):
            walk(child)

    walk(widget)
    return " ".join(p for p in parts if p)


def phone(run_dir: Path, person: str, **kwargs) -> GroupQuizParticipant:
    circles = [c for c in ("cirkel-a", "cirkel-b") if person in CircleStore(run_dir).circle(c).members]
    return GroupQuizParticipant(run_dir, person, PEOPLE.get(person, person), circles=circles, **kwargs)


def leader(run_dir: Path, who: str = "lena") -> GroupQuizLeader:
    ctx = context(run_dir, who)
    return GroupQuizLeader(run_dir, who, ctx.led_circles())


def start(lead: GroupQuizLeader, counts: bool = True) -> int:
    lead.quiz_picker.value = f"{MODULE}/{QUIZ}"
    lead.counts_box.value = counts
    lead.start_button.click()
    assert lead.session_id is not None, lead.message
    return lead.session_id


def bank():
    return load_bank(Path(__file__).resolve().parents[2] / "courses/partiforeningsskola" / MODULE / f"{QUIZ}.yml")


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
    from widgets import storage

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


# -- guests ------------------------------------------------------------------------------------------


def test_a_guest_is_admitted_by_code_sees_only_that_session_and_counts_for_nobody(run_dir):
    quiz = bank()
    session = gq.open_session(run_dir, "cirkel-a", MODULE, QUIZ, "lena")
    code = gq.session_info(run_dir, session).code
    for name, message in (
        ("   ", t("groupquiz.error.name_empty")),
        ("x" * 41, t("groupquiz.error.name_long", max=40)),
        ("Eva 19850101-1234", t("groupquiz.error.name_personnummer")),
    ):
        with pytest.raises(gq.GroupQuizError) as refused:
            gq.admit_guest(run_dir, code, name)
        assert str(refused.value) == message
    with pytest.raises(gq.CodeRefused):
        gq.admit_guest(run_dir, "ZZZZZZ", "Eva")
    guest = gq.admit_guest(run_dir, code, "  Eva  ")
    assert guest.name.startswith("gast-") and guest.display_name == "Eva"
    assert (guest.session_id, guest.circle_id, guest.course_id) == (session, "cirkel-a", "partiforeningsskola")
    assert len(gq.snapshot(run_dir, session).participants) == 1

    view = group_quiz_app(context(run_dir, guest.name), poll=False)
    assert isinstance(view, GroupQuizParticipant) and view.session_id == session
    assert t("groupquiz.you_are", name="Eva") in shown(view)
    other = gq.open_session(run_dir, "cirkel-b", MODULE, QUIZ, "olle")
    refused = group_quiz_app(context(run_dir, guest.name, session=str(other)), poll=False)
    assert text_of(refused.value) == t("groupquiz.refused.guest")
    nobody = group_quiz_app(context(run_dir, "gast-okand"), poll=False)
    assert text_of(nobody.value) == t("groupquiz.refused.guest")
    assert text_of(group_quiz_screen_app(context(run_dir, guest.name, session=str(session)), poll=False).value) == t(
        "groupquiz.refused.screen_guest"
    )

    gq.next_question(run_dir, session)
    view.refresh()
    view.choose([0])
    view.answer_button.click()
    gq.show_spread(run_dir, session)
    with live_engine(run_dir).connect() as db:
        credit = db.execute(sa.select(gq.ANSWERS.c.credit)).scalar_one()
    assert credit == "none"
    view.refresh()
    assert quiz.questions[0].text in shown(view) and t("groupquiz.spread_caption") in shown(view)


# -- completion: the answers in each learner's own answer store ---------------------------------------


def test_answers_count_in_each_learner_s_own_quiz_without_overwriting_theirs(run_dir):
    quiz = bank()
    q1, q2 = quiz.questions[0], quiz.questions[1]
    course = CourseRun(run_dir)
    folders = {p: course.notebook_path(p, MODULE).parent for p in ("anna", "bertil", "cilla")}
    for person in ("anna", "bertil"):  # cilla has not fetched the module
        folders[person].mkdir(parents=True)
    # anna answered question 1 herself (wrong, then right); that stays hers
    wrong1 = next(i for i in range(len(q1.options)) if i not in q1.correct)
    own = {
        "questions": {q1.id: {"chosen": sorted(q1.correct), "tries": [[wrong1], sorted(q1.correct)], "retrying": False}}
    }
    AnswerStore(folders["anna"] / "svar").save(QUIZ, "quiz", own)
    # bertil's file is damaged: it must stay exactly as it is
    (folders["bertil"] / "svar").mkdir()
    damaged = folders["bertil"] / "svar" / f"{QUIZ}.json"
    damaged.write_bytes(b"{ not json")

    session = gq.open_session(run_dir, "cirkel-a", MODULE, QUIZ, "lena", counts=True)
    for person in ("anna", "bertil", "cilla"):
        gq.join(run_dir, session, person, PEOPLE[person], circles=["cirkel-a"])
    gq.next_question(run_dir, session)
    for person in ("anna", "bertil", "cilla"):
        gq.answer(run_dir, session, person, q1.id, [wrong1])
    gq.show_spread(run_dir, session)
    gq.next_question(run_dir, session)
    gq.answer(run_dir, session, "anna", q2.id, sorted(q2.correct))
    # nothing is written while question 2 is still open
    data = AnswerStore(folders["anna"] / "svar").load(QUIZ, "quiz").data
    assert q2.id not in data["questions"]
    gq.end_session(run_dir, session)

    data = AnswerStore(folders["anna"] / "svar").load(QUIZ, "quiz").data
    assert data["questions"][q1.id] == own["questions"][q1.id]  # hers, untouched
    assert data["questions"][q2.id] == {"chosen": sorted(q2.correct), "tries": [sorted(q2.correct)], "retrying": False}
    assert score_answers(quiz, data) == 0.5 + 1.0  # her own retry credit, and the group answer right first time
    assert damaged.read_bytes() == b"{ not json"
    assert not (folders["cilla"] / "svar").exists()
    with live_engine(run_dir).connect() as db:
        credits = {(r.person, r.question_id): r.credit for r in db.execute(sa.select(gq.ANSWERS))}
    assert credits == {
        ("anna", q1.id): "kept",
        ("anna", q2.id): "saved",
        ("bertil", q1.id): None,
        ("cilla", q1.id): None,
    }

    # cilla fetches her module later; the next step of any session credits what was pending
    folders["cilla"].mkdir(parents=True)
    assert gq.credit_answers(run_dir, session)["saved"] == 1
    cilla = AnswerStore(folders["cilla"] / "svar").load(QUIZ, "quiz").data
    assert cilla["questions"][q1.id]["tries"] == [[wrong1]]
    assert score_answers(quiz, cilla) == 0.0
    assert gq.credit_answers(run_dir, session)["saved"] == 0  # safe to call again


def test_a_session_that_does_not_count_writes_nothing(run_dir):
    quiz = bank()
    folder = CourseRun(run_dir).notebook_path("anna", MODULE).parent
    folder.mkdir(parents=True)
    session = gq.open_session(run_dir, "cirkel-a", MODULE, QUIZ, "lena", counts=False)
    gq.join(run_dir, session, "anna", "Anna", circles=["cirkel-a"])
    gq.next_question(run_dir, session)
    gq.answer(run_dir, session, "anna", quiz.questions[0].id, [0])
    gq.end_session(run_dir, session)
    assert not (folder / "svar").exists()


# -- roles and the apps --------------------------------------------------------------------------------------


def test_each_person_gets_the_view_of_their_role(run_dir):
    assert isinstance(group_quiz_app(context(run_dir, "lena"), poll=False), GroupQuizLeader)
    kim = group_quiz_app(context(run_dir, "kim"), poll=False)
    assert isinstance(kim, GroupQuizLeader) and [v for _l, v in kim.circle_picker.options] == ["cirkel-a", "cirkel-b"]
    anna = group_quiz_app(context(run_dir, "anna"), poll=False)
    assert isinstance(anna, GroupQuizParticipant) and anna.circles == ("cirkel-a",)
    stranger = group_quiz_app(context(run_dir, "nobody"), poll=False)
    assert text_of(stranger.value) == t("groupquiz.refused.no_circle")

    session = gq.open_session(run_dir, "cirkel-a", MODULE, QUIZ, "lena")
    assert isinstance(group_quiz_app(context(run_dir, "lena", session=str(session)), poll=False), GroupQuizLeader)
    pia = group_quiz_app(context(run_dir, "pia", session=str(session)), poll=False)
    assert text_of(pia.value) == t("groupquiz.refused.not_in_circle")
    assert gq.snapshot(run_dir, session).participants == ()
    olle = group_quiz_app(context(run_dir, "olle", session=str(session)), poll=False)
    assert text_of(olle.value) == t("groupquiz.refused.not_in_circle")
    missing = group_quiz_app(context(run_dir, "anna", session="999"), poll=False)
    assert text_of(missing.value) == t("groupquiz.error.no_session", session="999")
    junk = group_quiz_app(context(run_dir, "anna", session="x'; drop"), poll=False)
    assert t("groupquiz.error.no_session", session="x'; drop") == text_of(junk.value)

    page = "http://127.0.0.1:8000/services/partiforeningsskola-samverkan/voila/render/gruppquiz-skarm.ipynb?session=1"
    screen = group_quiz_screen_app(context(run_dir, "lena", session=str(session)), page_url=page, poll=False)
    assert isinstance(screen, GroupQuizScreen) and screen.address == "http://127.0.0.1:8000/hub/kod"
    assert isinstance(group_quiz_screen_app(context(run_dir, "lena"), page_url=page, poll=False), GroupQuizScreen)
    foreign = group_quiz_screen_app(context(run_dir, "pia", session=str(session)), page_url=page, poll=False)
    assert text_of(foreign.value) == t("groupquiz.refused.not_in_circle")


def test_the_join_address_comes_from_the_page(run_dir):
    assert (
        join_address("https://cirkel.example.org/services/kurs-samverkan/voila/render/x.ipynb?session=2")
        == "https://cirkel.example.org/hub/kod"
    )
    assert (
        join_address("https://example.org/prefix/services/k/voila/render/x.ipynb")
        == "https://example.org/prefix/hub/kod"
    )
    assert join_address("") == "" and join_address("not a url") == ""


def test_results_stay_with_the_circle_as_counts_only(run_dir):
    quiz = bank()
    session = gq.open_session(run_dir, "cirkel-a", MODULE, QUIZ, "lena")
    for person in ("anna", "bertil"):
        gq.join(run_dir, session, person, PEOPLE[person], circles=["cirkel-a"])
    gq.next_question(run_dir, session)
    gq.answer(run_dir, session, "anna", quiz.questions[0].id, [0])
    gq.answer(run_dir, session, "bertil", quiz.questions[0].id, [0])
    gq.reveal(run_dir, session)
    gq.next_question(run_dir, session)  # question 2 was shown but never closed before the end
    gq.end_session(run_dir, session)
    results = gq.circle_results(run_dir, "cirkel-a")
    assert len(results) == 1 and results[0].participants == 2
    assert [q.question_id for q in results[0].questions] == [quiz.questions[0].id, quiz.questions[1].id]
    assert results[0].questions[0].counts[0] == 2 and results[0].questions[0].answered == 2
    assert results[0].questions[0].correct == tuple(sorted(quiz.questions[0].correct))
    assert gq.circle_results(run_dir, "cirkel-b") == []
    assert "anna" not in json.dumps([q.__dict__ for q in results[0].questions])


def test_one_person_s_data_is_found_and_erased_by_the_run_s_live_store(run_dir):
    from widgets import live_db

    session = gq.open_session(run_dir, "cirkel-a", MODULE, QUIZ, "anna")
    gq.join(run_dir, session, "anna", "Anna", circles=["cirkel-a"])
    gq.join(run_dir, session, "bertil", "Bertil", circles=["cirkel-a"])
    gq.next_question(run_dir, session)
    first = bank().questions[0].id
    gq.answer(run_dir, session, "anna", first, [1])
    gq.answer(run_dir, session, "bertil", first, [1])
    rows = live_db.person_rows(run_dir, "anna")
    assert (
        rows["groupquiz_answers"][0]["chosen"] == "[1]" and rows["groupquiz_participants"][0]["display_name"] == "Anna"
    )
    assert rows["groupquiz_sessions"][0]["session_id"] == session
    assert live_db.erase_person(run_dir, "anna") == 3
    assert live_db.person_rows(run_dir, "anna") == {}
    snap = gq.snapshot(run_dir, session)  # the session and Bertil's answer stay, with the opener blanked
    assert [p.person for p in snap.participants] == ["bertil"] and snap.session.created_by == ""
    gq.show_spread(run_dir, session)
    assert gq.snapshot(run_dir, session).spread[1] == 1


# -- what a screen-reader or keyboard user is told ---------------------------------------------------


def test_the_leader_s_messages_live_in_one_region_and_each_step_focuses_the_next(run_dir):
    lead = leader(run_dir)
    region = lead.message_box
    assert "cirkel-live" in region._dom_classes  # a live region from the moment it is drawn
    steps = (lead.spread_button, lead.reveal_button, lead.next_button, lead.end_button, region)
    start(lead)
    assert lead.message_box is region and t("groupquiz.started") in text_of(region.value)
    assert 'role="status"' not in region.value
    assert asked_last(*steps) is lead.next_button  # "Första frågan": the setup is hidden now
    lead.next_button.click()
    assert asked_last(*steps) is lead.spread_button
    lead.spread_button.click()  # disabled now: focus goes on, never to the page
    assert lead.spread_button.disabled and asked_last(*steps) is lead.reveal_button
    lead.reveal_button.click()
    assert asked_last(*steps) is lead.next_button
    lead.end_button.click()
    assert lead.message_box is region and t("groupquiz.ended_leader") in text_of(region.value)
    assert asked_last(*steps) is region  # the result, read out whole


def test_the_leader_is_refused_at_once_and_the_keyboard_goes_to_the_refusal(run_dir):
    lead = leader(run_dir)
    lead.quiz_picker.value = None
    lead.start_button.click()
    assert text_of(lead.message_alert.value) == t("groupquiz.error.pick_quiz")
    assert "cirkel-live-alert" in lead.message_alert._dom_classes and text_of(lead.message_box.value) == ""
    assert asked_last(lead.message_box, lead.message_alert, lead.start_button) is lead.message_alert
    start(lead)  # a result then empties the alert region
    assert text_of(lead.message_alert.value) == "" and t("groupquiz.started") in text_of(lead.message_box.value)


def test_a_plain_message_in_place_of_an_app_is_a_live_region(run_dir):
    stranger = group_quiz_app(context(run_dir, "nobody"), poll=False)
    assert "cirkel-live" in stranger._dom_classes and 'role="status"' not in stranger.value
