"""A learner's pod at its start on Kubernetes: her learner files and the released modules in her home.

On one machine ``cirkel fetch`` writes the learner file (``.cirkel-deltagare.json``) and copies the
released modules into each learner's workspace, one per run (``<run>/deltagare/<id>``). On Kubernetes
her home is her own volume, which only her pod mounts, so her pod's server does it at start, as her
uid, through the same :func:`grading.autograde.pipeline.fetch_for`: who she is and her runs come from
the pod's environment, which the hub set from the runs' rosters (the ``learner`` setting,
``CirkelSettings.learner``; :func:`grading.hub.k8s_rosters.rostered_runs`), never from her; the exchange
is the shared volume every pod mounts (:data:`grading.hub.k8s.EXCHANGE`). A run no longer named there
is fetched no more. What her home already holds (her answers, a learner file) is never replaced.

A learner file names one run, and "Lämna in" takes the module folder's run from the nearest learner
file above it (``find_learner``), so each run has a workspace of its own, as on one machine: her home
for the run her home's learner file names (her first run, for a new home), ``<home>/<course id>`` for
every other run (:func:`workspaces`).
"""

from __future__ import annotations

import logging
import os
import threading
from pathlib import Path

from grading.autograde.pipeline import PipelineError, StepResult, fetch_for
from grading.course_runs.run import home_course
from grading.course_runs.student_ids import validate_student_id
from grading.hub.k8s import EXCHANGE
from widgets.core import learner_json
from widgets.core.setting_env import LEARNER_ENV
from widgets.storage.submission import Learner

__all__ = ["FETCH_SECONDS", "fetch_at_start", "keep_fetching", "learners", "released_modules", "workspaces"]

_log = logging.getLogger(__name__)

#: seconds between her pod's looks for a module released since her server started (a look is a
#: listing of each run's ``outbound/`` and a file test per module; nbgrader runs only for a new one)
FETCH_SECONDS = 60.0


def released_modules(exchange_root: Path, course_id: str) -> list[str]:
    """The modules the run's leader has released (nbgrader's ``outbound/``), sorted."""
    try:
        entries = os.scandir(exchange_root / course_id / "outbound")
    except OSError:
        return []
    with entries:
        return sorted(e.name for e in entries if e.is_dir() and not e.name.startswith("."))


def _runs(given: str) -> tuple[str, list[tuple[str, str]]]:
    """Her id and her runs (course id, title) from the ``learner`` setting; ``ValueError`` etc. if it is not one."""
    record = learner_json.loads(given)
    student_id = str(record["student_id"])
    validate_student_id(student_id)
    runs: list[tuple[str, str]] = []
    for run in record["runs"]:
        course_id = str(run["course_id"])
        if course_id in ("", ".", "..") or Path(course_id).name != course_id:  # one folder of the exchange
            raise ValueError(course_id)
        if course_id not in (known for known, _ in runs):
            runs.append((course_id, str(run.get("course_title") or "")))
    return student_id, runs


def workspaces(home: str | os.PathLike[str], courses: list[str]) -> dict[str, Path]:
    """Each run's workspace: her home for the run its learner file names (else the first), ``<home>/<id>`` for the others."""
    home = Path(home)
    at_home = home_course(home) or (courses[0] if courses else None)
    return {course: home if course == at_home else home / course for course in courses}


def learners(home: str | os.PathLike[str], given: str | None, exchange: str = EXCHANGE) -> list[Learner]:
    """Her ``Learner`` in each run the ``learner`` setting names (none if it names none or is no setting)."""
    if not given:
        return []
    try:
        student_id, runs = _runs(given)
    except (ValueError, KeyError, TypeError) as exc:
        _log.error("%s: %s", LEARNER_ENV, exc)
        return []
    places = workspaces(home, [course for course, _title in runs])
    return [Learner(student_id, course, Path(exchange), places[course], title) for course, title in runs]


def _fetch(learner: Learner) -> list[StepResult]:
    """Her learner file, and nbgrader's fetch of every released module she lacks; failures logged."""
    from traitlets.config import Config

    cfg = Config()
    cfg.Exchange.root = str(learner.exchange_root)
    cfg.Exchange.path_includes_course = True  # as every run's nbgrader_config.py
    cfg.CourseDirectory.course_id = learner.course_id
    try:
        return fetch_for(learner, released_modules(learner.exchange_root, learner.course_id), cfg)
    except PipelineError as exc:
        _log.error("%s", exc)
        return exc.results
    except OSError as exc:
        _log.error("fetching %s into %s: %s", learner.course_id, learner.workspace, exc)
        return []


def fetch_at_start(home: str | os.PathLike[str], given: str | None, exchange: str = EXCHANGE) -> list[StepResult]:
    """Write her learner file of each run and fetch each run's released modules she lacks.

    ``given`` is the ``learner`` setting the hub put in her pod's environment (``None``: no run,
    nothing done). A failure is logged, never raised: her server starts, and "Mina moduler" says
    what it finds.
    """
    return [result for learner in learners(home, given, exchange) for result in _fetch(learner)]


def keep_fetching(
    home: str | os.PathLike[str],
    given: str | None,
    every: float = FETCH_SECONDS,
    exchange: str = EXCHANGE,
    stop: threading.Event | None = None,
) -> threading.Thread | None:
    """Fetch, every ``every`` seconds, what her runs' leaders released since :func:`fetch_at_start`.

    On one machine the leader's ``cirkel fetch`` puts a new module in every workspace; on a cluster
    only her pod reaches her home, so her server looks for it, and "Uppdatera" on "Mina moduler"
    shows it within a minute of its release. A daemon thread of her server (``None``: no run);
    ``stop`` ends it.
    """
    runs = learners(home, given, exchange)  # fetch_at_start has said why when there are none
    if not runs:
        return None
    done = stop or threading.Event()

    def look() -> None:
        while not done.wait(every):
            for learner in runs:
                try:
                    released = released_modules(learner.exchange_root, learner.course_id)
                    if any(not learner.notebook_path(m).exists() for m in released):
                        _fetch(learner)
                except Exception:  # her server goes on; the next look tries again
                    _log.exception("fetching %s into %s", learner.course_id, learner.workspace)

    thread = threading.Thread(target=look, name="cirkel-fetch", daemon=True)
    thread.start()
    return thread
