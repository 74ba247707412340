"""MeetingRoleQuiz driven with no kernel: through its public methods, its controls and its buttons."""

from __future__ import annotations

import copy
import textwrap
from pathlib import Path

import pytest

from widgets.exercises.quiz import MeetingRoleQuiz, format_points, load_bank, score_answers
from widgets.models.content import ContentError
from widgets.storage.answers import AnswerStore

pytestmark = pytest.mark.unit

ROOT = Path(__file__).resolve().parents[2]

BANK = {
    "title": "Mötesroller",
    "source": {"part": "Del 2", "section": "Varje möte ett genomtänkt möte"},
    "attempts": 2,
    "retry_credit": 0.5,
    "questions": [
        {
            "id": "justerare",
            "type": "single",
            "text": "Vad gör justeraren?",
            "options": [
                {"text": "Leder mötet"},
                {"text": "Kontrollerar att protokollet stämmer", "correct": True},
                {"text": "Skriver protokollet"},
            ],
            "explanation": "Justeraren läser protokollet och intygar att det stämmer.",
        },
        {
            "id": "ordforande",
            "type": "multiple",
            "text": "Vad gör en bra mötesordförande?",
            "options": [
                {"text": "Ser till att alla får tala", "correct": True},
                {"text": "Pratar mest själv"},
                {"text": "Håller tiden", "correct": True},
            ],
            "explanation": "Ordföranden fördelar ordet och håller tiden.",
        },
        {
            "id": "sekreterare",
            "type": "single",
            "text": "Vem skriver protokollet?",
            "options": [{"text": "Sekreteraren", "correct": True}, {"text": "Kassören"}],
            "explanation": "Sekreteraren skriver protokollet.",
        },
    ],
}


@pytest.fixture(autouse=True)
def _workdir(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("CIRKEL_SVAR_DIR", raising=False)
    monkeypatch.delenv("CIRKEL_LANG", raising=False)


def quiz(bank=BANK) -> MeetingRoleQuiz:
    return MeetingRoleQuiz(copy.deepcopy(bank), exercise_id="motesroller")


def test_right_first_time_gives_full_point_and_explanation():
    q = quiz()
    q.choose("justerare", [1])
    assert q.submit_answer("justerare") is True
    assert q.score == 1 and q.max_score == 3 and q.answered == 1
    view = q._views["justerare"]
    assert "Rätt!" in view.feedback.value
    assert "Justeraren läser protokollet" in view.feedback.value
    assert view.radio.disabled
    assert "Poäng: 1 av 3" in q._score_line.value
    assert "Besvarade frågor: 1 av 3" in q._score_line.value


def test_wrong_then_right_through_buttons_gives_retry_credit():
    q = quiz()
    view = q._views["justerare"]
    view.radio.value = 0  # the learner picks an option
    view.answer_button.click()
    assert q.state("justerare").phase == "retry"
    assert "Inte rätt" in view.feedback.value and "Antal försök kvar: 1" in view.feedback.value
    assert view.retry_button.layout.display is None  # "Försök igen" is offered
    assert view.answer_button.layout.display == "none"
    assert q.score == 0 and q.answered == 0

    view.retry_button.click()
    assert view.radio.value is None and not view.radio.disabled
    view.radio.value = 1
    view.answer_button.click()
    assert q.score == 0.5
    assert q.answered == 1
    assert "Rätt på försök 2" in view.feedback.value
    assert "Poäng: 0,5 av 3" in q._score_line.value


def test_attempts_exhausted_locks_and_shows_right_answer():
    q = quiz()
    q.choose("justerare", [0])
    assert q.submit_answer("justerare") is False
    q.retry("justerare")
    q.choose("justerare", [2])
    assert q.submit_answer("justerare") is False
    state = q.state("justerare")
    assert state.phase == "locked"
    view = q._views["justerare"]
    assert view.radio.disabled
    assert view.retry_button.layout.display == "none" and view.answer_button.layout.display == "none"
    assert "Rätt svar: Kontrollerar att protokollet stämmer" in view.feedback.value
    assert "Förklaring:" in view.feedback.value
    assert q.answered == 1 and q.score == 0
    with pytest.raises(ValueError):
        q.retry("justerare")
    with pytest.raises(ValueError):
        q.choose("justerare", [1])
    view.radio.value = 1  # a stray event from the page changes nothing
    assert q.state("justerare").chosen == (2,)


def test_multiple_choice_needs_exactly_the_right_set():
    q = quiz()
    boxes = q._views["ordforande"].boxes
    boxes[0].value = True  # only one of the two right answers
    q._views["ordforande"].answer_button.click()
    assert q.state("ordforande").phase == "retry"
    q.retry("ordforande")
    q.choose("ordforande", [0, 1, 2])  # too many
    assert q.submit_answer("ordforande") is False
    assert q.state("ordforande").phase == "locked"

    q2 = MeetingRoleQuiz(copy.deepcopy(BANK), exercise_id="andra")
    for i in (0, 2):
        q2._views["ordforande"].boxes[i].value = True
    q2._views["ordforande"].answer_button.click()
    assert q2.state("ordforande").phase == "right" and q2.score == 1


def test_answer_without_choice_asks_for_one_and_uses_no_try():
    q = quiz()
    view = q._views["justerare"]
    view.answer_button.click()
    assert "Välj ett svar först." in view.feedback.value
    assert q.state("justerare").tries == ()
    with pytest.raises(ValueError):
        q.submit_answer("justerare")


def test_single_choice_refuses_two_options_and_unknown_ones():
    q = quiz()
    with pytest.raises(ValueError):
        q.choose("justerare", [0, 1])
    with pytest.raises(ValueError):
        q.choose("justerare", [7])
    with pytest.raises(ValueError):
        q.choose("finns-inte", [0])


def test_score_text_uses_swedish_decimal_comma():
    assert format_points(7.5) == "7,5"
    assert format_points(12) == "12"
    assert format_points(0.25) == "0,25"


def test_everything_is_saved_and_a_rebuilt_quiz_shows_it(tmp_path):
    q = quiz()
    q.choose("justerare", [0])
    q.submit_answer("justerare")  # wrong, a try left: feedback shown
    q.choose("sekreterare", [0])
    q.submit_answer("sekreterare")  # right
    q._views["ordforande"].boxes[2].value = True  # chosen, not yet answered

    saved = AnswerStore().load("motesroller", kind="quiz").data
    assert saved["questions"]["justerare"]["tries"] == [[0]]
    assert saved["questions"]["ordforande"]["chosen"] == [2]

    again = quiz()
    assert again.score == 1 and again.answered == 1
    assert again.state("justerare").phase == "retry"
    assert "Inte rätt" in again._views["justerare"].feedback.value
    assert again.state("sekreterare").phase == "right"
    assert again._views["sekreterare"].radio.value == 0 and again._views["sekreterare"].radio.disabled
    assert [b.value for b in again._views["ordforande"].boxes] == [False, False, True]
    assert "Poäng: 1 av 3" in again._score_line.value

    again.retry("justerare")
    third = quiz()
    assert third.state("justerare").phase == "open"  # the retry itself was saved
    third.choose("justerare", [1])
    assert third.submit_answer("justerare") is True
    assert third.score == 1.5


def test_score_answers_recomputes_from_the_bank_and_ignores_junk():
    bank = quiz().bank
    good = {"questions": {"justerare": {"tries": [[1]]}, "ordforande": {"tries": [[0], [0, 2]]}}}
    assert score_answers(bank, good) == 1.5
    # results written into the file by hand are not trusted: only the tries count
    assert score_answers(bank, {"questions": {"justerare": {"tries": [[0]], "right": True}}}) == 0
    # more tries than allowed do not count
    assert score_answers(bank, {"questions": {"justerare": {"tries": [[0], [2], [1]]}}}) == 0
    for junk in (
        None,
        [],
        {"questions": []},
        {"questions": {"justerare": "x"}},
        {"questions": {"justerare": {"tries": [["a"]]}}},
    ):
        assert score_answers(bank, junk) == 0


def test_from_file_reads_a_bank_beside_the_notebook(tmp_path):
    Path("bank.yml").write_text(
        textwrap.dedent(
            """\
            title: Liten bank
            attempts: 1
            questions:
              - id: en
                type: single
                text: Vilken?
                options:
                  - text: Den här
                    correct: true
                  - text: Den där
                explanation: Därför.
            """
        ),
        encoding="utf-8",
    )
    q = MeetingRoleQuiz.from_file("bank.yml", exercise_id="liten")
    assert q.bank.retry_credit == 0.5 and q.bank.attempts == 1
    q.choose("en", [1])
    q.submit_answer("en")
    assert q.state("en").phase == "locked"  # one try only


def test_swedish_strings_shown():
    q = quiz()
    view = q._views["justerare"]
    assert view.answer_button.description == "Svara"
    assert view.retry_button.description == "Försök igen"
    assert "Fråga 1 av 3" in view.heading.value
    assert "Vad gör justeraren?" in view.heading.value
    assert [label for label, _ in view.radio.options][1] == "Kontrollerar att protokollet stämmer"
    assert q._views["ordforande"].boxes[0].description == "Ser till att alla får tala"
    header = q.children[0].value
    assert "Mötesroller" in header and "Del 2, Varje möte ett genomtänkt möte" in header
    assert "2 försök" in header and "0,5 poäng" in header


def test_the_course_bank_is_valid():
    bank_file = ROOT / "courses" / "partiforeningsskola" / "05-moten" / "motesroller.yml"
    bank = load_bank(bank_file)
    assert len(bank.questions) >= 3


def _with(change) -> dict:
    bank = copy.deepcopy(BANK)
    change(bank)
    return bank


MALFORMED = [
    ("no_title", lambda b: b.pop("title"), "(title)", "”title” saknas"),
    (
        "two_right_in_single",
        lambda b: b["questions"][0]["options"][0].update(correct=True),
        "(questions[1].options)",
        "exakt ett rätt svar",
    ),
    (
        "none_right_in_single",
        lambda b: b["questions"][2]["options"][0].update(correct=False),
        "(questions[3].options)",
        "exakt ett rätt svar",
    ),
    (
        "none_right_in_multiple",
        lambda b: [o.update(correct=False) for o in b["questions"][1]["options"]],
        "(questions[2].options)",
        "minst ett rätt svar",
    ),
    ("bad_type", lambda b: b["questions"][1].update(type="flera"), "(questions[2].type)", "typen ”flera” finns inte"),
    ("duplicate_id", lambda b: b["questions"][2].update(id="justerare"), "(questions[3].id)", "finns redan"),
    ("bad_id", lambda b: b["questions"][0].update(id="Justerare!"), "(questions[1].id)", "går inte att använda"),
    ("one_option", lambda b: b["questions"][2]["options"].pop(), "(questions[3].options)", "minst två"),
    (
        "typo_key",
        lambda b: b["questions"][0]["options"][1].update(corect=True),
        "(questions[1].options[2].corect)",
        "inte en känd nyckel",
    ),
    ("attempts_zero", lambda b: b.update(attempts=0), "(attempts)", "1 eller större"),
    ("attempts_bool", lambda b: b.update(attempts=True), "(attempts)", "ska vara ett heltal"),
    ("credit_too_big", lambda b: b.update(retry_credit=2), "(retry_credit)", "från 0 till 1"),
    ("no_questions", lambda b: b.update(questions=[]), "(questions)", "inga frågor"),
    ("question_not_mapping", lambda b: b["questions"].append("fråga"), "(questions[4])", "nycklar med värden"),
    ("text_not_text", lambda b: b["questions"][0].update(text=["a"]), "(questions[1].text)", "ska vara en text"),
    (
        "correct_not_bool",
        lambda b: b["questions"][0]["options"][1].update(correct="ja"),
        "(questions[1].options[2].correct)",
        "ja eller nej",
    ),
]


@pytest.mark.parametrize("name,change,where,problem", MALFORMED, ids=[m[0] for m in MALFORMED])
def test_malformed_bank_names_file_place_and_problem(name, change, where, problem):
    import yaml

    Path("motesroller.yml").write_text(yaml.safe_dump(_with(change), allow_unicode=True), encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        MeetingRoleQuiz.from_file("motesroller.yml", exercise_id="motesroller")
    message = str(caught.value)
    assert message.startswith("Fel i motesroller.yml " + where + ": "), message
    assert problem in message
    assert not Path("svar").exists()  # nothing saved for a quiz that never came to be


def test_yaml_syntax_error_names_the_line():
    Path("trasig.yml").write_text("title: x\nquestions:\n  - id: a\n   type: single\n", encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        load_bank("trasig.yml")
    assert "rad 4" in str(caught.value) and "trasig.yml" in str(caught.value)


def test_missing_bank_file():
    with pytest.raises(ContentError) as caught:
        MeetingRoleQuiz.from_file("finns-inte.yml", exercise_id="x")
    assert "filen finns inte" in str(caught.value)


def test_a_page_opened_before_the_group_quiz_keeps_the_answers_the_group_quiz_credited():
    """The module page was open while the circle's group quiz credited "justerare" into the file."""
    page = quiz()
    store = AnswerStore()
    store.save("motesroller", "quiz", {"questions": {"justerare": {"chosen": [1], "tries": [[1]], "retrying": False}}})
    page.choose("sekreterare", [0])  # the learner goes on in the old page: it saves
    page.submit_answer("sekreterare")
    saved = store.load("motesroller", kind="quiz").data["questions"]
    assert saved["justerare"]["tries"] == [[1]]  # the group's answer is still there
    assert saved["sekreterare"]["tries"] == [[0]]
    assert page.score == 2 and "Rätt!" in page._views["justerare"].feedback.value
