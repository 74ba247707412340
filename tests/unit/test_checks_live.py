"""Checks for the live tools: answers entered through the real widgets give the points they should."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from grading.checks.live import score_goal_calculator, score_readability, score_speaker_stats
from widgets.core.i18n import yaml_data
from widgets.models.content import ContentError

pytestmark = pytest.mark.unit

ROOT = Path(__file__).resolve().parents[2]
GALLERY = ROOT / "voila_apps" / "galleri"


def _content(name: str) -> dict:
    return yaml_data((GALLERY / f"{name}.yml").read_text(encoding="utf-8"))["content"]


@pytest.fixture(autouse=True)
def _workdir(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("CIRKEL_SVAR_DIR", raising=False)
    monkeypatch.delenv("CIRKEL_LANG", raising=False)
    for name in ("talarstatistik", "lasbarhet", "mal-2030"):
        Path(f"{name}.yml").write_text(yaml.safe_dump(_content(name), allow_unicode=True), encoding="utf-8")
    shutil.copy(GALLERY / "mal-2030-exempel.csv", "mal-2030-exempel.csv")


class Clock:
    def __init__(self) -> None:
        self.now = 1_700_000_000.0

    def __call__(self) -> float:
        return self.now


def record_contributions(count: int) -> None:
    from widgets.exercises.speaker_stats import SpeakerStats

    clock = Clock()
    s = SpeakerStats.from_file("talarstatistik.yml", exercise_id="talarstatistik", clock=clock)
    if not s.consented:  # the circle agreed to counting by gender (tests/unit/test_speaker_stats_consent.py: without)
        s.give_consent_button.click()
    categories = ["kvinnor", "man", "presidiet"]
    for number in range(count):
        s.tap(categories[number % 3])
        clock.now += 20
    s.stop()


def test_speaker_stats_counts_contributions_up_to_the_content_minimum():
    assert score_speaker_stats("talarstatistik", points=2) == 0
    record_contributions(4)  # min_contributions is 10 in the content
    assert score_speaker_stats("talarstatistik", points=2) == 0.8
    record_contributions(10)
    assert score_speaker_stats("talarstatistik", points=2, content="talarstatistik.yml") == 2
    record_contributions(15)
    assert score_speaker_stats("talarstatistik", points=2) == 2


def test_readability_full_partial_and_zero():
    from widgets.exercises.readability import ReadabilityMeter

    assert score_readability("lasbarhet", points=4) == 0
    m = ReadabilityMeter.from_file("lasbarhet.yml", exercise_id="lasbarhet")
    m.use_example()  # the document's own paragraph: 60 words, LIX 46.7 (6.7 over the target of 40)
    assert score_readability("lasbarhet", points=4) == 0  # left as it is: not an answer yet
    m.text = m.text + " Tack."  # the learner's own text, still too hard
    assert score_readability("lasbarhet", points=4) == pytest.approx(
        4 * (0.5 + 0.5 * (1 - (m.lix - 40) / 20)), abs=0.01
    )
    m.text = " ".join(["Vi ses på mötet i kväll och tar fika."] * 6)  # 54 words, no long word
    assert score_readability("lasbarhet", points=4) == 4
    m.text = "Vi ses på mötet i kväll och tar fika."  # 9 of 50 words, easy
    assert score_readability("lasbarhet", points=4) == 0.72


def test_readability_without_a_content_file_uses_the_defaults():
    from widgets.exercises.readability import ReadabilityMeter

    m = ReadabilityMeter(exercise_id="egen-text")
    m.text = " ".join(["Vi ses på mötet i kväll och tar fika."] * 5)  # 45 of 50 words
    assert score_readability("egen-text", points=1) == 0.9
    with pytest.raises(ContentError):
        score_readability("egen-text", points=1, content="finns-inte.yml")


def test_goal_calculator_own_numbers_and_plan_each_give_half():
    from widgets.exercises.goal_calculator import GoalCalculator

    assert score_goal_calculator("mal-2030", points=2) == 0
    g = GoalCalculator.from_file("mal-2030.yml", exercise_id="mal-2030", today=lambda: dt.date(2026, 11, 24))
    g.use_example("Exempelstad")
    assert score_goal_calculator("mal-2030", points=2) == 0  # an example is not the learner's own numbers
    g.planned.value = 30
    assert score_goal_calculator("mal-2030", points=2) == 1
    g.population_inputs["arbetaryrken"].value = 4200
    assert score_goal_calculator("mal-2030", points=2) == 2
    g.planned.value = 0
    assert score_goal_calculator("mal-2030", points=2) == 1


@pytest.mark.parametrize(
    ("check", "exercise_id", "kind"),
    [
        (score_speaker_stats, "talarstatistik", "speaker-stats"),
        (score_readability, "lasbarhet", "readability"),
        (score_goal_calculator, "mal-2030", "goal-calculator"),
    ],
)
def test_damaged_or_foreign_answers_give_zero_quietly(check, exercise_id, kind, capfd):
    Path("svar").mkdir()
    answer = Path(f"svar/{exercise_id}.json")
    answer.write_text("{trasig", encoding="utf-8")
    assert check(exercise_id, points=3) == 0
    assert answer.read_text(encoding="utf-8") == "{trasig"  # grading leaves the file alone
    answer.write_text(
        json.dumps({"schema": 1, "exercise_id": exercise_id, "kind": "quiz", "data": {}}), encoding="utf-8"
    )
    assert check(exercise_id, points=3) == 0
    answer.write_text(
        json.dumps({"schema": 1, "exercise_id": exercise_id, "kind": kind, "data": {"text": 5}}), encoding="utf-8"
    )
    assert check(exercise_id, points=3) == 0
    captured = capfd.readouterr()
    assert captured.err == "" and captured.out == ""


def test_a_grading_cell_runs_headless_and_writes_nothing_to_stderr(tmp_path):
    """As nbgrader runs it: a fresh interpreter, the last expression is the number."""
    record_contributions(5)
    code = (
        "from grading.checks.live import score_speaker_stats, score_readability, score_goal_calculator\n"
        "print(score_speaker_stats('talarstatistik', points=2), score_readability('lasbarhet', points=1),"
        " score_goal_calculator('mal-2030', points=1))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path, timeout=120)
    assert proc.returncode == 0 and proc.stderr == ""
    assert proc.stdout.split() == ["1.0", "0.0", "0.0"]


def test_readability_example_left_unchanged_earns_nothing(tmp_path, monkeypatch):
    from grading.checks import score_readability
    from widgets.exercises.readability import ReadabilityMeter
    from widgets.storage.answers import AnswerStore

    monkeypatch.chdir(tmp_path)
    content = tmp_path / "lasbarhet.yml"
    content.write_text(
        "target_lix: 30\nmin_words: 5\n"
        "example: Organisationens kommunikationsstrategier förutsätter omfattande implementering.\n",
        encoding="utf-8",
    )
    meter = ReadabilityMeter.from_file(content, exercise_id="lasbarhet", store=AnswerStore(tmp_path / "svar"))
    meter.use_example()
    assert score_readability("lasbarhet", points=3, content="lasbarhet.yml") == 0

    meter.text = "Vi vill ha en bra skola. Alla barn ska få lära sig mycket. Det tycker vi är viktigt."
    assert score_readability("lasbarhet", points=3, content="lasbarhet.yml") > 0
