"""The "Lämna in" panel: one submission per version of the answers, its state on the button, after a reload too."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from zoneinfo import ZoneInfo

import pytest

from grading.autograde.pipeline import fetch, release
from grading.course_runs.roster import import_roster
from widgets.core.setting_env import EXCHANGE_FD_ENV
from widgets.pages.submit import SubmitPanel, last_submission
from widgets.storage import exchange_child
from widgets.storage.answers import AnswerStore

from run_cache import create_run

pytestmark = [pytest.mark.nbgrader, pytest.mark.filterwarnings("ignore:.*not in session")]

MODULE = "05-moten"
TIME = re.compile(r"\d\d:\d\d")


@pytest.fixture
def module_dir(course_dir, tmp_path, monkeypatch):
    """Anna's fetched copy of one released module."""
    monkeypatch.setenv("CIRKEL_LANG", "sv")
    run = create_run(course_dir, tmp_path / "omg")
    roster = tmp_path / "deltagare.csv"
    roster.write_text("id,namn\nanna,Anna\n", encoding="utf-8")
    import_roster(run, roster)
    release(run, [MODULE])
    fetch(run, "anna", [MODULE])
    folder = run.notebook_path("anna", MODULE).parent
    return run, folder


def _handed_in(run) -> list[str]:
    """The copies in the exchange's inbound folder: what the course leader will collect."""
    inbound = run.exchange_root / run.course_id / "inbound"
    return sorted(p.name for p in inbound.glob(f"anna+{MODULE}+*")) if inbound.is_dir() else []


def test_a_new_module_can_be_handed_in(module_dir):
    _run, folder = module_dir
    panel = SubmitPanel(folder)
    assert panel.state == "ready"
    assert panel.button.description == "Lämna in"
    assert not panel.button.disabled
    assert "cirkel-live" in panel._out._dom_classes  # a live region from the start (widgets/_ui.live)


def test_pressing_twice_hands_in_once_and_the_button_says_when(module_dir):
    run, folder = module_dir
    panel = SubmitPanel(folder)
    first = panel.submit()
    assert first is not None
    assert panel.state == "submitted"
    assert panel.button.disabled
    assert re.fullmatch(r"Inlämnad \d\d:\d\d", panel.button.description)
    assert panel.message.startswith("Modulen är inlämnad ")
    assert panel.submit() is None  # the second press of the same answers
    panel.button.click()
    assert len(_handed_in(run)) == 1


def test_a_changed_answer_may_be_handed_in_again(module_dir):
    run, folder = module_dir
    panel = SubmitPanel(folder)
    panel.submit()
    AnswerStore(folder / "svar").save("reflektion", "reflection", {"text": "Jag har tänkt om."})
    assert panel.state == "changed"
    assert panel.button.description == "Lämna in igen"
    assert not panel.button.disabled
    assert "har ändrat något sedan dess" in panel.message
    assert panel.submit() is not None
    assert panel.state == "submitted"
    assert len(_handed_in(run)) == 2


def test_a_reload_shows_the_state(module_dir):
    run, folder = module_dir
    SubmitPanel(folder).submit()
    when = last_submission(folder).submitted_at
    again = SubmitPanel(folder)  # the page is loaded again: a new kernel, a new panel
    assert again.state == "submitted"
    assert again.submitted_at == when
    assert again.button.disabled
    assert TIME.search(again.button.description)
    assert "Modulen är inlämnad" in again._out.value
    # an answer changed in another tab, then a reload
    (folder / "svar").mkdir(exist_ok=True)
    AnswerStore(folder / "svar").save("reflektion", "reflection", {"text": "Ny text."})
    assert SubmitPanel(folder).state == "changed"
    assert len(_handed_in(run)) == 1


def test_the_time_is_stockholms(module_dir):
    _run, folder = module_dir
    panel = SubmitPanel(folder)
    result = panel.submit()
    local = result.submitted_at.astimezone(ZoneInfo("Europe/Stockholm"))
    assert panel.button.description == f"Inlämnad {local:%H:%M}"
    assert f"{local:%Y-%m-%d %H:%M}" in panel.message


def test_the_command_says_when_in_stockholms_time(module_dir, cirkel):
    _run, folder = module_dir
    proc = cirkel("submit", folder, check=True)
    local = last_submission(folder).submitted_at.astimezone(ZoneInfo("Europe/Stockholm"))
    assert proc.stdout.strip() == f"Modulen {MODULE} är inlämnad av anna {local:%Y-%m-%d %H:%M}."


def test_handing_in_and_fetching_feedback_leave_nbgrader_out_of_the_pages_kernel(module_dir):
    """The page's kernel hands in and fetches feedback, as "Lämna in" and the points panel do,
    yet never holds nbgrader (some 50 MiB a learner): nbgrader's exchange runs in a child."""
    run, folder = module_dir
    code = (
        "import json, sys\n"
        "from widgets.pages.submit import SubmitPanel\n"
        "from widgets.storage.feedback_points import fetch_module_feedback\n"
        "from widgets.storage.submission import find_learner\n"
        "panel = SubmitPanel(sys.argv[1])\n"
        "panel.submit()\n"
        "fetch_module_feedback(find_learner(sys.argv[1]), [sys.argv[2]])\n"
        "print(json.dumps([panel.state, panel.message, sorted(sys.modules)]))\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code, str(folder), MODULE],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "CIRKEL_LANG": "sv"},
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    state, message, modules = json.loads(proc.stdout.splitlines()[-1])
    assert state == "submitted" and message.startswith("Modulen är inlämnad "), message
    assert len(_handed_in(run)) == 1  # nbgrader's copy is in the exchange for the leader to collect
    assert not [m for m in modules if m.split(".")[0] in ("nbgrader", "sqlalchemy", "nbconvert")]


def test_a_hand_in_that_does_not_finish_in_time_says_so_and_keeps_the_answers(module_dir, monkeypatch):
    run, folder = module_dir
    monkeypatch.setattr(exchange_child, "EXCHANGE_SECONDS", 0.001)  # the child is stopped before it starts
    panel = SubmitPanel(folder)
    assert panel.submit() is None
    assert panel.state == "error" and not panel.button.disabled  # she can press again
    assert "tog för lång tid" in panel.message and "Dina svar är sparade" in panel.message, panel.message
    assert _handed_in(run) == []


def test_a_kernel_whose_zygote_has_gone_hands_in_through_a_child_of_its_own(module_dir, monkeypatch):
    """A kernel forked by the hub's server zygote asks it for the hand-in; if the hub has restarted since, the
    socket is dead and the kernel starts the child itself, as a stock kernel does: the hand-in is made."""
    run, folder = module_dir
    ours, theirs = __import__("socket").socketpair()
    ours.close()  # the zygote's end: gone
    monkeypatch.setenv(EXCHANGE_FD_ENV, str(theirs.detach()))
    monkeypatch.setattr(exchange_child, "_zygote", None)
    started = []
    real_run = subprocess.run
    monkeypatch.setattr(subprocess, "run", lambda *a, **k: started.append(a) or real_run(*a, **k))

    panel = SubmitPanel(folder)
    panel.button.click()

    assert len(started) == 1 and started[0][0][1:] == ["-m", exchange_child.__name__]
    assert len(_handed_in(run)) == 1
    assert EXCHANGE_FD_ENV not in os.environ  # taken once; the next hand-in goes the same way
    assert exchange_child._zygote is None


def test_a_hand_in_the_zygote_never_answers_fails_and_a_late_answer_is_never_taken_for_the_next(
    module_dir, monkeypatch
):
    """The zygote's child hangs (its socket stays open, no answer): the hand-in fails after the limit, and the
    kernel stops asking on that socket, so an answer that comes late is not read as the next hand-in's."""
    run, folder = module_dir
    ours, theirs = __import__("socket").socketpair()
    monkeypatch.setenv(EXCHANGE_FD_ENV, str(theirs.detach()))
    monkeypatch.setattr(exchange_child, "_zygote", None)
    monkeypatch.setattr(exchange_child, "EXCHANGE_SECONDS", 0.5)
    from widgets.storage.submission import find_learner

    learner = find_learner(folder)
    with pytest.raises(exchange_child.ExchangeProblem) as refused:
        exchange_child.call("submit", learner, [MODULE])
    assert refused.value.reason == "timeout"
    request = b""
    while not request.endswith(b"\n"):
        request += ours.recv(65536)
    assert request.startswith(b'{"exchange"')  # the request reached the zygote's end
    assert ours.recv(1) == b""  # and the kernel has let go of the socket: a late answer reaches nothing

    monkeypatch.setattr(exchange_child, "EXCHANGE_SECONDS", 120)  # a Python importing nbgrader takes a second
    assert exchange_child.call("submit", learner, [MODULE])["timestamp"]  # a child of its own, nbgrader's answer
    assert len(_handed_in(run)) == 1
    ours.close()
