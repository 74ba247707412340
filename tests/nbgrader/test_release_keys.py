"""``cirkel release`` hands learners a module without its answer keys, through nbgrader's own exchange.

Every place a learner's copy passes (``release/``, the exchange's ``outbound/``,
the learner's fetched folder) holds the bank without ``correct`` flags or
explanations; the keyed original is in ``<run>/facit``. A copy fetched before
keys were kept apart loses its keys at the next release, and a release that
cannot keep the keys apart releases nothing.
"""

from __future__ import annotations

import contextlib
import shutil
from pathlib import Path

import pytest

from grading.autograde.pipeline import PipelineError, release
from grading.servers.serve import Learner, build_demo_run
from widgets.core.i18n import t, yaml_data
from widgets.exercises.quiz import MeetingRoleQuiz
from widgets.storage.answers import AnswerStore

from mini_module import QUIZ_YML

pytestmark = pytest.mark.nbgrader

MODULE = "01-prov"


def _is_learner_copy(path: Path) -> bool:
    """The mini module's bank with its one question and both options, and no key."""
    text = path.read_text(encoding="utf-8")
    bank = yaml_data(text)
    (question,) = bank["questions"]
    return (
        [o["text"] for o in question["options"]] == ["Ja", "Nej"]
        and "explanation" not in question
        and all("correct" not in o for o in question["options"])
        and "Ett möte ska ha ett syfte." not in text
        and bank["facit"].startswith("sha256:")
    )


@pytest.fixture
def made_run(mini_course: Path, tmp_path: Path):
    return build_demo_run(tmp_path / "run", course_dir=mini_course, learners=[Learner("dana", "Dana")])


def test_every_copy_a_learner_can_get_is_without_keys_and_the_learners_kernel_still_gives_feedback(made_run):
    fetched = made_run.notebook_path("dana", MODULE).parent
    places = [
        made_run.root / "release" / MODULE,
        made_run.exchange_root / made_run.course_id / "outbound" / MODULE,
        fetched,
    ]
    for place in places:
        assert _is_learner_copy(place / "fragor.yml"), place
    assert (made_run.source_dir / MODULE / "fragor.yml").read_text(encoding="utf-8") == QUIZ_YML  # grading's copy
    assert [p.read_text(encoding="utf-8") for p in (made_run.root / "facit").iterdir()] == [QUIZ_YML]

    with contextlib.chdir(fetched):  # the learner's kernel, in the learner's folder inside the run
        quiz = MeetingRoleQuiz.from_file("fragor.yml", exercise_id="fragor", store=AnswerStore(fetched / "svar"))
    quiz.choose("syfte", [1])
    assert quiz.submit_answer("syfte") is False
    assert "Ett möte ska ha ett syfte." in quiz._views["syfte"].feedback.value


def test_a_copy_fetched_before_keys_were_kept_apart_loses_them_at_the_next_release(made_run):
    fetched = made_run.notebook_path("dana", MODULE).parent / "fragor.yml"
    shutil.copy(made_run.source_dir / MODULE / "fragor.yml", fetched)  # as fetched from an older release
    (fetched.parent / "svar").mkdir()
    (fetched.parent / "svar" / "fragor.json").write_text("{}", encoding="utf-8")
    release(made_run)
    assert _is_learner_copy(fetched)
    assert (fetched.parent / "svar" / "fragor.json").read_text(encoding="utf-8") == "{}"  # answers untouched


def test_a_release_that_cannot_keep_the_keys_apart_releases_nothing(made_run):
    outbound = made_run.exchange_root / made_run.course_id / "outbound" / MODULE
    shutil.rmtree(outbound)
    shutil.rmtree(made_run.root / "facit")
    (made_run.root / "facit").write_text("not a folder", encoding="utf-8")  # the keys cannot be written
    with pytest.raises(PipelineError) as failed:
        release(made_run)
    assert t("pipeline.release_undone", module=MODULE, reason="").split(":")[0] in str(failed.value)
    assert t("pipeline.keys_failed", reason="-").split("(")[0] in str(failed.value)  # says why, in Swedish
    assert "Traceback" not in str(failed.value)
    assert not outbound.exists()
