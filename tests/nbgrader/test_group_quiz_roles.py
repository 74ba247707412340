"""The group quiz by role: guests, each learner's own answers, the views of each role and what a
screen reader is told (the run and devices of ``tests/group_quiz_support.py``, as in ``test_group_quiz.py``).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from grading.circles import group_quiz as gq
from grading.course_runs.run import CourseRun
from voila_apps.live.group_quiz import (
    GroupQuizLeader,
    GroupQuizParticipant,
    GroupQuizScreen,
    group_quiz_app,
    group_quiz_screen_app,
    join_address,
)
from widgets.core.i18n import t
from widgets.models.quiz_bank import score_answers
from widgets.storage.answers import AnswerStore
from widgets.storage.live_db import live_engine

from circle_run import PEOPLE, circle_run
from focus_requests import asked_last
from group_quiz_support import MODULE, QUIZ, bank, context, leader, own_live_db, shown, start, text_of

pytestmark = pytest.mark.nbgrader


@pytest.fixture(scope="module")
def run_dir(course_dir, tmp_path_factory) -> Path:
    return circle_run(course_dir, tmp_path_factory.mktemp("gruppquiz"))


@pytest.fixture(autouse=True)
def live_db(run_dir, tmp_path, monkeypatch, store_backend) -> Iterator[Path]:
    yield from own_live_db(run_dir, tmp_path, monkeypatch, store_backend)


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
    from widgets.storage import live_db

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


def test_a_fresh_erase_process_finds_and_erases_a_persons_group_quiz_answer(run_dir):
    """``cirkel person export`` / ``erase`` run in a process that has imported no live table:
    they must still find her answer (``grading.personal_data.live_tables``)."""
    import subprocess
    import sys

    session = gq.open_session(run_dir, "cirkel-a", MODULE, QUIZ, "anna")
    gq.join(run_dir, session, "anna", "Anna", circles=["cirkel-a"])
    gq.next_question(run_dir, session)
    gq.answer(run_dir, session, "anna", bank().questions[0].id, [1])
    code = (
        "import json, sys, types\n"
        "from grading.personal_data.places import live_rows\n"
        "from widgets.storage import live_db\n"
        "run = types.SimpleNamespace(root=sys.argv[1])\n"
        "found = live_rows(run, 'anna')\n"
        "live_db.erase_person(run.root, 'anna')\n"
        "print(json.dumps([found, live_rows(run, 'anna')]))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code, str(run_dir)], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    found, after = json.loads(proc.stdout.splitlines()[-1])
    assert found["groupquiz_answers"][0]["chosen"] == "[1]"
    assert after == {}
