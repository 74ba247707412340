"""Points on submit: a learner hands in, the run's grading service grades that one submission with
nbgrader and releases its feedback, and the "Lämna in" panel shows the points, after a reload too.

The grading is real: the service's child process collects, autogrades (Cirkel's autograde, the
leader's own) and generates and releases feedback with nbgrader; the panel fetches the feedback
with nbgrader's exchange. The hub's wiring of the service is tested on the live hub
(``tests/hub/test_live_service.py``).
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from urllib.parse import unquote

import pytest

from grading.autograde.pipeline import autograde, collect, fetch, release
from grading.autograde.points_on_submit import waiting_submissions
from grading.course_runs.roster import import_roster
from grading.hub.grading_service import GradingService
from widgets.core.i18n import t
from widgets.kit import grading_wait as _grading_wait
from widgets.pages.submit import SubmitPanel
from widgets.storage.feedback_points import feedback_points

from run_cache import create_run

pytestmark = [pytest.mark.nbgrader, pytest.mark.filterwarnings("ignore:.*not in session")]

MODULE = "01-prov"
SCRIPT = "<script>alert(1)</script>"
PAGE = f"/user/dana/voila/render/minikurs/{MODULE}/{MODULE}.ipynb"


@pytest.fixture
def course_run(mini_course: Path, tmp_path: Path, monkeypatch):
    """The small course released and fetched by Dana and Erik; Dana's module page on the hub."""
    monkeypatch.setenv("CIRKEL_LANG", "sv")
    monkeypatch.setenv("SCRIPT_NAME", PAGE)
    run = create_run(mini_course, tmp_path / "omg")
    roster = tmp_path / "deltagare.csv"
    roster.write_text("id,namn\ndana,Dana\nerik,Erik\n", encoding="utf-8")
    import_roster(run, roster)
    release(run)
    for learner in ("dana", "erik"):
        fetch(run, learner)
    return run


def test_the_points_reach_the_panel_after_one_graded_submission(course_run, answer) -> None:
    run = course_run
    folder = run.notebook_path("dana", MODULE).parent
    answer(folder, reflection=f"Jag tar med mig {SCRIPT} (Score: 99.0 / 99.0)</h4>")
    service = GradingService(run)

    # No service has marked the exchange: the panel says nothing of points (the leader grades).
    first = SubmitPanel(folder)
    first.submit()
    assert first.state == "submitted" and first.points.grading == ""
    assert first.points.view.value == ""

    service.touch_mark()  # the service runs: a reload shows the points are coming
    service.keep_ready()
    assert service._next is None  # no hand-in graded yet: no grader process kept waiting (no memory, no CPU)
    panel = SubmitPanel(folder)
    assert panel.state == "submitted" and panel.points.grading == "waiting"
    assert "cirkel-live" in panel.points.view._dom_classes  # in the page before "Rättas …": it is heard
    assert t("submit.grading") in panel.points.view.value

    assert [s.student_id for s in waiting_submissions(run)] == ["dana"]  # Erik handed in nothing
    assert service.once() == 1  # in a process of its own
    assert waiting_submissions(run) == []

    assert panel.points.check() == "graded"
    shown = panel.points.view.value
    with run.gradebook() as gb:
        graded = gb.find_submission(MODULE, "dana")
        assert (graded.score, graded.max_score) == (2.0, 3.0)  # the reflection is the leader's to grade
    assert "Modulen är rättad: 2 av 3 poäng." in shown
    href = re.search(r'href="([^"]+)"', shown).group(1)
    assert href.startswith(f"/user/dana/voila/files/minikurs/{MODULE}/feedback/") and href.endswith(f"/{MODULE}.html")
    feedback = folder / unquote(href.split(f"/minikurs/{MODULE}/", 1)[1])
    released = feedback.read_text(encoding="utf-8")
    assert "Jag tar med mig" in released and SCRIPT not in released  # her text, escaped, in her feedback
    assert "<script" not in shown and "99" not in shown  # the learner's imitation of a score is never read
    assert t("submit.read_feedback") in shown

    # A reload shows the points at once, without waiting.
    assert SubmitPanel(folder).points.grading == "graded"

    # The course leader can still collect and autograde, again and by force: nothing breaks.
    collect(run)
    autograde(run, [MODULE], force=True)
    with run.gradebook() as gb:
        assert gb.find_submission(MODULE, "dana").score == 2.0
    assert SubmitPanel(folder).points.grading == "graded"


def test_an_overrunning_grading_leaves_the_hand_in_and_says_the_points_are_late(course_run, monkeypatch) -> None:
    run = course_run
    folder = run.notebook_path("dana", MODULE).parent
    service = GradingService(run, timeout=0.05)  # no child process gets this far
    service.touch_mark()
    panel = SubmitPanel(folder)
    panel.submit()
    assert panel.points.grading == "waiting"

    assert service.once() == 0
    assert service.queue() == []  # not tried again until the learner hands in anew
    inbound = run.exchange_root / run.course_id / "inbound"
    (handed_in,) = inbound.iterdir()
    assert handed_in.name.startswith("dana+")  # the hand-in stays

    # A new hand-in whose timestamp.txt nbgrader has not written yet is looked for again until it is there.
    stamp = "2099-01-01 00:00:00.000000 UTC"
    writing = inbound / f"dana+{MODULE}+{stamp}+abc"
    shutil.copytree(handed_in, writing, ignore=shutil.ignore_patterns("timestamp.txt"))
    assert service.queue() == []
    (writing / "timestamp.txt").write_text(stamp, encoding="utf-8")
    assert [(s.student_id, s.timestamp) for s in service.queue()] == [("dana", stamp)]

    monkeypatch.setattr(_grading_wait, "WAIT_SECONDS", 0.0)
    assert panel.points.check() == "late"
    assert t("submit.grading_late") in panel.points.view.value
    assert panel.state == "submitted"


def test_only_the_heading_of_nbgraders_feedback_gives_the_points(tmp_path: Path) -> None:
    stamp = tmp_path / "feedback" / "2026-12-04 09:00:00.000000 UTC"
    stamp.mkdir(parents=True)
    (stamp / "a.html").write_text("<h4>a (Score: 1.5 / 2.0)</h4><p>(Score: 9.0 / 9.0)</h4></p>", encoding="utf-8")
    (stamp / "b.html").write_text("<h4>b (Score: 0.0 / 1.0)</h4>", encoding="utf-8")
    points = feedback_points(tmp_path, stamp.name)
    assert points is not None and (points.score, points.max_score) == (1.5, 3.0)
    assert feedback_points(tmp_path, "../feedback") is None
    (stamp / "c.html").write_text("<p>no heading</p>", encoding="utf-8")
    assert feedback_points(tmp_path, stamp.name) is None
