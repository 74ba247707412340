"""Release, fetch, collect and autograde a course run through nbgrader's own API.

Each step is nbgrader's: ``NbGraderAPI.generate_assignment`` and
``release_assignment``, the exchange's ``ExchangeFetchAssignment`` and
``collect``, and ``autograde`` with its gradebook. Cirkel only chooses the
modules, reports progress per item and turns failures into plain Swedish.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from grading.course.content_check import check_content
from grading.course.loading import parse_exercise
from grading.course_runs.guard import Undo, check_gradebook, known_cause, nbgrader_failure
from grading.course_runs.roster import validate_student_id
from grading.course_runs.run import LEARNER_FILE, CourseRun, RunError
from widgets.core.errors import CirkelError
from widgets.core.i18n import t
from widgets.models.content import load_yaml, require

if TYPE_CHECKING:  # pragma: no cover
    from traitlets.config import Config

    from widgets.storage.submission import Learner

__all__ = [
    "Step",
    "StepResult",
    "PipelineError",
    "release",
    "fetch",
    "fetch_for",
    "write_learner_file",
    "collect",
    "autograde",
    "submitted_students",
    "check_released_module",
]


@dataclass(frozen=True)
class Step:
    """One item of a long step, for progress reports: ``index`` of ``total``.

    Steps reported after the item (autograde, in the order submissions finish)
    say whether it went well: ``ok`` and, when not, ``message``.
    """

    index: int
    total: int
    module: str
    student_id: str | None = None
    ok: bool = True
    message: str = ""


@dataclass(frozen=True)
class StepResult:
    """How one item went; ``message`` is plain Swedish when it did not."""

    module: str
    student_id: str | None
    ok: bool
    message: str = ""
    released: bool = True


Progress = Callable[[Step], None]


class PipelineError(RunError):
    """A step failed for one or more items; ``results`` has every item's outcome."""

    def __init__(self, message: str, results: list[StepResult] | None = None):
        self.results = results or []
        super().__init__(message)


def check_released_module(module_dir: str | Path) -> None:
    """Check the content files of a module as a course run holds it (``<run>/source/<module>``)."""
    folder = Path(module_dir)
    path = folder / "module.yml"
    data = load_yaml(path)
    items = require(data, "exercises", list, path)
    check_content(folder, [parse_exercise(item, path, folder, i) for i, item in enumerate(items)])


def _report(progress: Progress | None, step: Step) -> None:
    if progress is not None:
        progress(step)


def _raise_if_failed(results: list[StepResult], key: str) -> list[StepResult]:
    failed = [r for r in results if not r.ok]
    if failed:
        details = "\n".join(f"  {r.module}{' / ' + r.student_id if r.student_id else ''}: {r.message}" for r in failed)
        raise PipelineError(t(key, count=len(failed)) + "\n" + details, results)
    return results


class _StepFailed(CirkelError):
    def __init__(self, result: StepResult):
        self.result = result
        super().__init__(result.message)


def _undone(exc: Exception, run: CourseRun, names: list[str], results: list[StepResult], key: str) -> PipelineError:
    """The Swedish error of an all-or-nothing step put back; anything not a known cause goes on up as it is."""
    if isinstance(exc, _StepFailed):
        results.append(exc.result)
        return PipelineError(t(key, module=exc.result.module, reason=exc.result.message), results)
    cause = known_cause(exc, run)
    if cause is None:
        raise exc
    return PipelineError(t(key, module=names[min(len(results), len(names) - 1)], reason=str(cause)), results)


def release(run: CourseRun, modules: list[str] | None = None, progress: Progress | None = None) -> list[StepResult]:
    """Generate the learners' version of each module and release it to the exchange, all or nothing.

    Every module's content files are read by their widgets' loaders and the gradebook's
    write lock is asked for before anything is written. The released copies (``release/``,
    the exchange's ``outbound/``) and the gradebook are set aside first: if any module
    cannot be released (a busy gradebook, a full disk, nbgrader's refusal) everything is
    put back and ``PipelineError`` says why. The learners' version carries no answer keys:
    between generating and releasing, each keyed content file becomes its learner copy and
    the keys stay in ``<run>/facit`` (``grading.course_runs.answer_keys``); copies fetched before that
    was so lose their keys too. Releasing again replaces the released copy
    (learners who already fetched keep theirs).
    """
    names = run.select_modules(modules)
    for module in names:  # a broken bank, plan or scenario: named with its file and line, nothing written
        check_released_module(run.source_dir / module)
    check_gradebook(run)
    api = run.api()
    api.config.ExchangeReleaseAssignment.force = True
    release_root = Path(api.coursedir.format_path(api.coursedir.release_directory, ".", ""))
    outbound = run.exchange_root / run.course_id / "outbound"
    results: list[StepResult] = []
    try:
        with Undo(run) as undo:
            undo.keep_gradebook()
            undo.new_if_missing(release_root)
            undo.new_if_missing(outbound.parent)
            undo.new_if_missing(outbound)
            for i, module in enumerate(names, start=1):
                _report(progress, Step(i, len(names), module))
                undo.set_aside(release_root / module)
                undo.set_aside(outbound / module)
                outcome = api.generate_assignment(module, force=True, create=True)
                if outcome["success"]:
                    outcome = _keep_keys_apart(run, api, module)
                if outcome["success"]:
                    outcome = api.release_assignment(module)
                if not outcome["success"]:
                    raise _StepFailed(StepResult(module, None, False, nbgrader_failure(outcome)))
                results.append(StepResult(module, None, True))
    except Exception as exc:
        raise _undone(exc, run, names, results, "pipeline.release_undone") from None
    return results


def _keep_keys_apart(run: CourseRun, api, module: str) -> dict:
    """The generated module without its answer keys (nbgrader's outcome shape); nothing released if it fails."""
    from grading.course_runs.answer_keys import keep_fetched_keys_apart, keep_keys_apart, keys_dir
    from widgets.models.content import ContentError

    released = Path(api.coursedir.format_path(api.coursedir.release_directory, ".", module))
    try:
        keep_keys_apart(released, keys_dir(run))
        keep_fetched_keys_apart(run, module)
    except ContentError as exc:
        return {"success": False, "error": str(exc)}
    except OSError as exc:
        return {"success": False, "error": t("pipeline.keys_failed", reason=exc.strerror or str(exc))}
    return {"success": True}


def fetch(
    run: CourseRun, student_id: str, modules: list[str] | None = None, progress: Progress | None = None
) -> list[StepResult]:
    """Fetch released modules into the learner's workspace (``<run>/deltagare/<id>``).

    Writes ``.cirkel-deltagare.json`` there, which tells ``submit_module`` who
    submits and to which exchange. A module already fetched is left as it is. A module
    not released yet is no failure (the course leader releases modules one by one): it is
    skipped, and its result says so with ``released=False``.
    """
    from widgets.storage.submission import Learner

    try:
        validate_student_id(student_id)
    except ValueError as exc:
        raise RunError(str(exc)) from None
    with run.gradebook() as gb:
        if student_id not in {s.id for s in gb.students}:
            raise RunError(t("pipeline.unknown_learner", id=student_id))
    names = run.select_modules(modules)
    learner = Learner(student_id, run.course_id, run.exchange_root, run.workspace(student_id), run.title)
    return fetch_for(learner, names, run.config(), progress, root=str(run.root))


def fetch_for(
    learner: Learner, names: list[str], cfg: Config, progress: Progress | None = None, root: str | None = None
) -> list[StepResult]:
    """Write the learner file into ``learner.workspace`` and fetch the released ``names`` not there yet.

    :func:`fetch` on one machine and a learner's pod at its start on Kubernetes
    (``grading.hub.k8s_learner``) both go this way, as the learner's own user, with nbgrader's
    ``ExchangeFetchAssignment`` and the exchange of ``cfg``. What the workspace holds is never replaced.
    """
    from nbgrader.auth import Authenticator
    from nbgrader.coursedir import CourseDirectory
    from nbgrader.exchange import ExchangeError
    from nbgrader.exchange.default import ExchangeFetchAssignment

    workspace = learner.workspace
    workspace.mkdir(parents=True, exist_ok=True)
    write_learner_file(learner)
    outbound = learner.exchange_root / learner.course_id / "outbound"

    def fetched(module: str) -> bool:
        return learner.notebook_path(module).exists()

    waiting = [m for m in names if not (outbound / m).is_dir() and not fetched(m)]
    results = [StepResult(m, learner.student_id, True, t("pipeline.not_released", module=m), False) for m in waiting]
    names = [m for m in names if m not in waiting]
    for i, module in enumerate(names, start=1):
        _report(progress, Step(i, len(names), module, learner.student_id))
        if fetched(module):
            results.append(StepResult(module, learner.student_id, True, t("pipeline.already_fetched")))
            continue
        coursedir = CourseDirectory(
            config=cfg,
            root=root or str(workspace),
            course_id=learner.course_id,
            assignment_id=module,
            student_id=learner.student_id,
        )
        fetcher = ExchangeFetchAssignment(coursedir=coursedir, authenticator=Authenticator(config=cfg), config=cfg)
        fetcher.assignment_dir = str(workspace)
        try:
            fetcher.start()
        except ExchangeError:
            results.append(StepResult(module, learner.student_id, False, t("pipeline.not_released", module=module)))
        else:
            results.append(StepResult(module, learner.student_id, True))
    return _raise_if_failed(results, "pipeline.fetch_failed")


def write_learner_file(learner: Learner) -> None:
    """``.cirkel-deltagare.json`` in the learner's workspace: who submits, to which course and exchange."""
    record = {
        "student_id": learner.student_id,
        "course_id": learner.course_id,
        "course_title": learner.course_title,  # what the learner reads on "Mina moduler"
        "exchange_root": str(learner.exchange_root),
    }
    target = learner.workspace / LEARNER_FILE
    tmp = target.with_name(target.name + ".tmp")
    tmp.write_text(json.dumps(record, ensure_ascii=False, indent=1), encoding="utf-8")
    os.replace(tmp, target)


def collect(run: CourseRun, modules: list[str] | None = None, progress: Progress | None = None) -> list[StepResult]:
    """Collect every module's submissions from the exchange into ``submitted/``, all or nothing.

    ``submitted/`` is kept as it was (hard links: no room needed) until every module is
    collected; if one cannot be (a busy gradebook, a full disk) it is put back as it was.
    """
    names = run.select_modules(modules)
    check_gradebook(run)
    api = run.api()
    results: list[StepResult] = []
    try:
        with Undo(run) as undo:
            undo.keep_linked(run.root / "submitted")
            for i, module in enumerate(names, start=1):
                _report(progress, Step(i, len(names), module))
                outcome = api.collect(module, update=True)
                if not outcome["success"]:
                    raise _StepFailed(StepResult(module, None, False, nbgrader_failure(outcome)))
                results.append(StepResult(module, None, True))
    except Exception as exc:
        raise _undone(exc, run, names, results, "pipeline.collect_undone") from None
    return results


def submitted_students(run: CourseRun, module: str) -> list[str]:
    """Learners with a collected submission of ``module``, sorted."""
    folder = run.root / "submitted"
    if not folder.is_dir():
        return []
    return sorted(p.name for p in folder.iterdir() if (p / module / f"{module}.ipynb").is_file())


def autograde(
    run: CourseRun,
    modules: list[str] | None = None,
    progress: Progress | None = None,
    force: bool = False,
    workers: int | None = None,
) -> list[StepResult]:
    """Autograde every collected submission with nbgrader's own ``Autograde``, several at once.

    ``workers`` processes (one per core when not given) each grade one
    submission at a time through ``NbGraderAPI.autograde`` while the next
    kernel starts (``grading.autograde.parallel``); the points are nbgrader's.
    ``progress`` hears of each submission as it finishes. A submission already
    graded and not newer is skipped unless ``force`` (nbgrader's own rule). A
    failing submission does not stop the others; the failures are raised
    together at the end, each by module and learner. Then group work is
    credited to the members present (``grading.circles.group_work``).
    """
    from grading.autograde.parallel import ParallelAutograde

    names = run.select_modules(modules)
    todo = [(module, student) for module in names for student in submitted_students(run, module)]
    if todo:
        check_gradebook(run)  # another program's hold: said at once, not after each worker's long wait
    grader = ParallelAutograde(run, config=run.config())
    if workers is not None:
        grader.workers = workers

    def report(index: int, total: int, outcome) -> None:
        _report(progress, Step(index, total, outcome.module, outcome.student_id, outcome.ok, outcome.message))

    outcomes = grader.grade(todo, force=force, progress=report)
    from grading.circles.group_work import credit_group_work

    credit_group_work(run, names)  # group work done at a meeting: every member present gets the group's points
    results = [StepResult(o.module, o.student_id, o.ok, o.message) for o in outcomes]
    return _raise_if_failed(results, "pipeline.autograde_failed")
