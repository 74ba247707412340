"""A learner's pod at its start on Kubernetes: her learner file and the released modules in her home.

On one machine ``cirkel fetch`` writes the learner file (``.cirkel-deltagare.json``) and copies the
released modules into each learner's workspace. On Kubernetes her home is her own volume, which
only her pod mounts, so her pod's server does it at start, as her uid, through the same
:func:`grading.autograde.pipeline.fetch_for`: who she is and her run come from the pod's environment,
which the hub set from her account (the ``learner`` setting, ``CirkelSettings.learner``), never from her; the
exchange is the shared volume every pod mounts (:data:`grading.hub.k8s.EXCHANGE`). What her home
already holds (her answers) is never replaced.
"""

from __future__ import annotations

import json
import logging
import os
import threading
from pathlib import Path

from grading.autograde.pipeline import PipelineError, StepResult, fetch_for
from grading.course_runs.student_ids import validate_student_id
from grading.hub.k8s import EXCHANGE
from widgets.core.setting_env import LEARNER_ENV
from widgets.storage.submission import Learner

__all__ = ["FETCH_SECONDS", "fetch_at_start", "keep_fetching", "released_modules"]

_log = logging.getLogger(__name__)

#: seconds between her pod's looks for a module released since her server started (a look is a
#: listing of the run's ``outbound/`` and a file test per module; nbgrader runs only for a new one)
FETCH_SECONDS = 60.0


def released_modules(exchange_root: Path, course_id: str) -> list[str]:
    """The modules the run's leader has released (nbgrader's ``outbound/``), sorted."""
    try:
        entries = os.scandir(exchange_root / course_id / "outbound")
    except OSError:
        return []
    with entries:
        return sorted(e.name for e in entries if e.is_dir() and not e.name.startswith("."))


def _learner(home: str | os.PathLike[str], given: str, exchange: str) -> Learner:
    """Her ``Learner`` from the ``learner`` setting; ``ValueError``, ``KeyError`` or ``TypeError`` if it is not one."""
    record = json.loads(given)
    student_id, course_id = str(record["student_id"]), str(record["course_id"])
    validate_student_id(student_id)
    if course_id in ("", ".", "..") or Path(course_id).name != course_id:  # one folder of the exchange
        raise ValueError(course_id)
    return Learner(student_id, course_id, Path(exchange), Path(home), str(record.get("course_title") or ""))


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
    """Write her learner file into ``home`` and fetch the run's released modules she lacks.

    ``given`` is the ``learner`` setting the hub put in her pod's environment (``None``: no run,
    nothing done). A failure is logged, never raised: her server starts, and "Mina moduler" says
    what it finds.
    """
    if not given:
        return []
    try:
        learner = _learner(home, given, exchange)
    except (ValueError, KeyError, TypeError) as exc:
        _log.error("%s: %s", LEARNER_ENV, exc)
        return []
    return _fetch(learner)


def keep_fetching(
    home: str | os.PathLike[str],
    given: str | None,
    every: float = FETCH_SECONDS,
    exchange: str = EXCHANGE,
    stop: threading.Event | None = None,
) -> threading.Thread | None:
    """Fetch, every ``every`` seconds, what her run's leader released since :func:`fetch_at_start`.

    On one machine the leader's ``cirkel fetch`` puts a new module in every workspace; on a cluster
    only her pod reaches her home, so her server looks for it, and "Uppdatera" on "Mina moduler"
    shows it within a minute of its release. A daemon thread of her server (``None``: no run);
    ``stop`` ends it.
    """
    if not given:
        return None
    try:
        learner = _learner(home, given, exchange)
    except (ValueError, KeyError, TypeError):
        return None  # fetch_at_start has said why
    done = stop or threading.Event()

    def look() -> None:
        while not done.wait(every):
            try:
                released = released_modules(learner.exchange_root, learner.course_id)
                if any(not learner.notebook_path(m).exists() for m in released):
                    _fetch(learner)
            except Exception:  # her server goes on; the next look tries again
                _log.exception("fetching %s into %s", learner.course_id, home)

    thread = threading.Thread(target=look, name="cirkel-fetch", daemon=True)
    thread.start()
    return thread
