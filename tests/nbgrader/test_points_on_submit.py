"""Points on submit: a learner hands in, the run's grading service grades that one submission with
nbgrader and releases its feedback, and the "Lämna in" panel shows the points, after a reload too.

The grading is real: the service's child process collects, autogrades (Cirkel's autograde, the
leader's own) and generates and releases feedback with nbgrader; the panel fetches the feedback
with nbgrader's exchange. The hub's wiring of the service is tested on the live hub
(``tests/hub/test_live_service.py``).
"""

from __future__ import annotations

import datetime as _dt
import re
import shutil
import time
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import unquote

import pytest
from nbgrader.utils import notebook_hash

from grading.autograde.pipeline import autograde, collect, fetch, release
from grading.autograde.points_on_submit import waiting_submissions
from grading.course_runs.roster import import_roster
from grading.hub.grading_service import FEEDBACK_DIR_MODE, GradingService
from grading.personal_data.erase import erase_person
from grading.personal_data.places import released_feedback
from widgets.core.i18n import t
from widgets.kit import grading_wait as _grading_wait
from widgets.pages.submit import SubmitPanel
from widgets.storage.feedback_points import SERVICE_MARK, feedback_points

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
    # A grader stopped on its time limit first: her page says the grading failed. The service started
    # anew grades the same submission after all (its mark blocks none of nbgrader's steps), and then
    # her page shows the points instead.
    assert GradingService(run, timeout=0.05).once() == 0
    assert panel.points.check() == "failed"
    assert panel.points._fetched_mark is None  # the mark alone fetches nothing (no nbgrader in her kernel)
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


class _Clock(_dt.datetime):
    """The page's clock, ``ahead`` of the real one: a test steps it one poll at a time."""

    ahead = _dt.timedelta()

    @classmethod
    def now(cls, tz=None):
        return _dt.datetime.now(tz) + cls.ahead


def test_a_grading_stopped_on_its_time_says_so_at_the_next_look_and_only_to_its_learner(
    course_run, answer, tmp_path, monkeypatch
) -> None:
    run = course_run
    monkeypatch.setattr(_Clock, "ahead", _dt.timedelta())
    monkeypatch.setattr(_grading_wait, "_dt", SimpleNamespace(datetime=_Clock, UTC=_dt.UTC))
    dana, erik = (SubmitPanel(run.notebook_path(who, MODULE).parent) for who in ("dana", "erik"))
    service = GradingService(run, timeout=0.05)  # the real grader process, stopped on its time limit
    service.touch_mark()
    dana.submit()
    erik.submit()
    assert dana.points.grading == erik.points.grading == "waiting"
    first, second = service.queue()
    assert (first.student_id, second.student_id) == ("dana", "erik")

    # Dana's grading fails: her page says so at its next look (one poll later), not after WAIT_SECONDS.
    failed = time.perf_counter()
    assert service.grade(first) is False
    _Clock.ahead = _dt.timedelta(seconds=_grading_wait.POLL_SECONDS)
    assert dana.points.check() == "failed"
    print(f"\nfailed grading on the page {time.perf_counter() - failed:.2f} s after grading began (stopped at 0.05 s)")
    assert dana.points._fetched_mark is None  # the mark alone fetches nothing (no nbgrader in her kernel)
    assert t("submit.grading_failed") in dana.points.view.value
    assert "cirkel-live" in dana.points.view._dom_classes
    assert dana.state == "submitted"
    assert SubmitPanel(dana.notebook_dir).points.grading == "failed"  # after a reload too
    assert service.queue() == []  # not tried again until she hands in anew (Erik's waits for the next look)

    # The mark: an empty file in nbgrader's exchange feedback/ (not listable), named from her secret alone.
    feedback = run.exchange_root / run.course_id / "feedback"
    assert feedback.stat().st_mode & 0o777 == FEEDBACK_DIR_MODE
    (mark,) = released_feedback(run, "dana")
    secret = (dana.points._last.copy / "submission_secret.txt").read_text(encoding="utf-8")
    assert mark.name == notebook_hash(secret=secret, notebook_id=SERVICE_MARK) + ".failed"
    assert mark.read_bytes() == b"" and "dana" not in mark.name

    # Erik learns nothing of it: his page waits, and says late only after WAIT_SECONDS.
    assert released_feedback(run, "erik") == []
    assert erik.points.check() == "waiting"
    _Clock.ahead = _dt.timedelta(seconds=_grading_wait.WAIT_SECONDS)
    assert erik.points.check() == "late"
    assert t("submit.grading_late") in erik.points.view.value

    # A new hand-in waits again as usual, and the service takes it.
    _Clock.ahead = _dt.timedelta()
    answer(Path(dana.notebook_dir), how="partial")
    dana.submit()
    assert dana.points.grading == "waiting"
    assert t("submit.grading") in dana.points.view.value
    assert {(s.student_id, s.timestamp) for s in service.queue()} == {
        ("dana", dana.points._last.timestamp),
        ("erik", second.timestamp),
    }
    # A hand-in whose timestamp.txt nbgrader has not written yet is looked for again until it is there.
    inbound = run.exchange_root / run.course_id / "inbound"
    stamp = "2099-01-01 00:00:00.000000 UTC"
    writing = inbound / f"dana+{MODULE}+{stamp}+abc"
    shutil.copytree(next(inbound.glob("dana+*")), writing, ignore=shutil.ignore_patterns("timestamp.txt"))
    assert stamp not in {s.timestamp for s in service.queue()}
    (writing / "timestamp.txt").write_text(stamp, encoding="utf-8")
    assert ("dana", stamp) in {(s.student_id, s.timestamp) for s in service.queue()}

    # The course leader collects as before; then erasing Dana leaves no mark of hers, Erik's hand-in stays.
    collect(run)
    assert (run.root / "submitted" / "dana" / MODULE / f"{MODULE}.ipynb").is_file()
    erase_person(run, "dana", hub_folder=tmp_path / "hubb")
    assert not mark.exists() and released_feedback(run, "dana") == []
    assert [p.name.split("+")[0] for p in (run.exchange_root / run.course_id / "inbound").iterdir()] == ["erik"]
    service.queue()  # its next look
    assert {s.student_id for s in service.failed} == set()  # the service remembers nothing of hers either


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
