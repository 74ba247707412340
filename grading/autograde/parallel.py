"""Autograde many submissions at once, with nbgrader's own ``Autograde``.

Stock ``nbgrader autograde`` grades one submission after another in one
process, and for each one waits for a fresh kernel to start before it runs a
single cell. Here the same converter (``NbGraderAPI.autograde``: sanitize,
execute, ``SaveAutoGrades``, late penalties, its gradebook) runs in several
worker processes, and each worker keeps the next fresh kernel starting while
the current submission executes (``PooledExecute``, a subclass of nbgrader's
``Execute`` that hands nbclient an already started kernel manager). Every
submission still gets a kernel of its own that nothing ran in before, started
with ``NBGRADER_EXECUTION=autograde`` as nbgrader starts it, and moved into the
submission's folder before its first cell; so the points are nbgrader's.
The fresh kernels are forked from a zygote (``grading.autograde.kernel_zygote``) that
has imported ipykernel and the import lines of the modules' notebooks once, so
no submission pays for a Python start or for importing the widgets; a used
kernel is killed without waiting for it to end (``KernelPool.discard``).

The gradebook is SQLite shared by the workers: each connection waits for
another's write (the busy timeout, ``busy_timeout``) instead of failing with
"database is locked", the learners and the "default_course" row that
nbgrader's writers create on the fly are made once before the workers start
(two workers creating the same row would collide), and a submission that still
meets a locked database is graded again from scratch (``lock_retries``).
"""

from __future__ import annotations

import atexit
import os
import subprocess
import tempfile
from collections import deque
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from multiprocessing import get_context
from typing import Any

from nbgrader.preprocessors import Execute
from traitlets import Bool, Float, Integer, TraitError, validate
from traitlets.config import LoggingConfigurable

from widgets.core.i18n import t

__all__ = ["ParallelAutograde", "PooledExecute", "KernelPool", "GradeOutcome", "default_workers"]


def default_workers() -> int:
    """The cores this process may use (``sched_getaffinity``), at least one."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


@dataclass(frozen=True)
class GradeOutcome:
    """How one submission went in a worker: ``message`` is nbgrader's last error line when not ``ok``."""

    module: str
    student_id: str
    ok: bool
    message: str = ""
    attempts: int = 1


class KernelPool:
    """Fresh kernels of one kind, started ahead so that the next submission need not wait.

    ``take()`` hands over a kernel that has only been started (nothing has run
    in it) and at once starts its replacement, which boots while the taken one
    executes. A kernel is used for one submission and then shut down.

    Parameters
    ----------
    kernel_name : the kernelspec the notebooks ask for (``python3``).
    size : how many kernels are kept starting ahead (``0``: none, as stock nbgrader).
    env : the kernels' environment (nbgrader's ``NBGRADER_EXECUTION=autograde`` included).
    extra_arguments : the kernel command's extra arguments, as ``Execute`` passes them.
    """

    def __init__(
        self,
        kernel_name: str,
        size: int,
        env: dict[str, str],
        extra_arguments: list[str],
        preload: list[str] | None = None,
    ):
        self.kernel_name = kernel_name
        self.size = size
        self.env = env
        self.extra_arguments = list(extra_arguments)
        # a folder of nothing: a kernel starts here and moves to its submission before its first cell
        self._home = tempfile.TemporaryDirectory(prefix="cirkel-karna-")
        self.zygote = None
        if preload is not None:
            from grading.autograde.kernel_zygote import Zygote

            zygote = Zygote(preload, env=dict(env), cwd=self._home.name)
            self.zygote = zygote if zygote.ready else None
        self._ready: deque = deque()
        self._dying: deque = deque()
        self.refill()

    def _start(self):
        import uuid

        from jupyter_client.manager import AsyncKernelManager
        from jupyter_core.utils import run_sync

        from grading.autograde.kernel_zygote import ForkingProvisioner

        km = AsyncKernelManager(kernel_name=self.kernel_name)
        km.kernel_id = str(uuid.uuid4())
        # without a zygote it starts the kernel as jupyter_client's LocalProvisioner does
        km.provisioner = ForkingProvisioner(kernel_id=km.kernel_id, kernel_spec=km.kernel_spec, parent=km)
        km.provisioner.zygote = self.zygote
        # the kernel's own log (e.g. ipykernel's TCP notice) is not the course leader's concern
        run_sync(km.start_kernel)(
            extra_arguments=self.extra_arguments,
            env=dict(self.env),
            cwd=self._home.name,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        return km

    def refill(self) -> None:
        """Start kernels until ``size`` are waiting."""
        while len(self._ready) < self.size:
            self._ready.append(self._start())

    def take(self):
        """A started kernel manager for one submission; its replacement starts now."""
        self._bury()
        km = self._ready.popleft() if self._ready else self._start()
        self.refill()
        return km

    def discard(self, km) -> None:
        """Kill a used kernel at once; nothing in it is needed after its submission.

        Only the signal is sent here: jupyter_client's own shutdown polls every
        tenth of a second for the process to end, which would hold the worker
        that long for every submission. The dead kernel's connection file and
        process are cleaned up before the next kernel is taken, or at close.
        """
        km.provisioner.kill_at_once()
        self._dying.append(km)

    def _bury(self) -> None:
        """Finish the shutdown of the kernels killed since the last call."""
        from jupyter_core.utils import run_sync

        while self._dying:
            km = self._dying.popleft()
            try:
                run_sync(km.shutdown_kernel)(now=True)
            except RuntimeError:  # already gone
                pass

    def close(self) -> None:
        """Stop the kernels still waiting, the zygote, and remove the empty start folder."""
        while self._ready:
            self.discard(self._ready.popleft())
        self._bury()
        if self.zygote is not None:
            self.zygote.close()
        self._home.cleanup()


#: the worker's kernel pool (one per worker process; ``None`` outside a worker)
_POOL: KernelPool | None = None


class PooledExecute(Execute):
    """nbgrader's ``Execute`` on a kernel the worker started ahead of time.

    Configured like ``Execute`` (its section applies: timeout, extra arguments
    ...). Outside a worker, or for a notebook that asks for another kernel than
    the pool's, it starts its own kernel exactly as ``Execute`` does.
    """

    def preprocess(self, nb, resources=None, km=None):
        pool = _POOL
        wanted = (nb.metadata.get("kernelspec") or {}).get("name") or self.kernel_name
        if km is not None or pool is None or wanted != pool.kernel_name:
            return super().preprocess(nb, resources, km=km)
        self._submission_dir = os.path.abspath(((resources or {}).get("metadata") or {}).get("path") or ".")
        km = pool.take()
        try:
            return super().preprocess(nb, resources, km=km)
        finally:
            if self.kc is not None:
                self.kc.stop_channels()
                self.kc = None
            pool.discard(km)

    def preprocess_cell(self, cell, resources, index):
        if index == 0 and getattr(self, "_submission_dir", None):
            self._enter_submission_dir(self._submission_dir)
        return super().preprocess_cell(cell, resources, index)

    def _enter_submission_dir(self, path: str) -> None:
        """Move the kernel into the submission's folder, where stock nbgrader starts it.

        Silent and without a name left behind: no execution count, no history,
        nothing in the learner's namespace.
        """
        self._submission_dir = None
        code = f"__import__('os').chdir({path!r})"
        msg_id = self.kc.execute(code, silent=True, store_history=False)
        reply = self.wait_for_reply(msg_id)
        if reply is None or reply["content"].get("status") != "ok":
            raise RuntimeError(f"could not enter {path} in the kernel")


# -- the worker's side ------------------------------------------------------------
_API = None


def _init_worker(run_root: str, db_url: str, pool_size: int, preload: list[str] | None = None) -> None:
    """Open the run's nbgrader API once per worker, with ``PooledExecute`` in the place of ``Execute``."""
    global _API, _POOL
    import logging
    import multiprocessing.util
    import warnings

    from nbgrader.converters import Autograde

    from grading.course_runs.run import CourseRun

    warnings.filterwarnings("ignore")
    logging.getLogger("traitlets").setLevel(logging.ERROR)
    run = CourseRun(run_root)
    cfg = run.config()
    cfg.CourseDirectory.db_url = db_url
    steps = list(
        cfg.Autograde.get("autograde_preprocessors") or Autograde.class_traits()["autograde_preprocessors"].default()
    )
    cfg.Autograde.autograde_preprocessors = [
        PooledExecute
        if step is Execute or step in ("nbgrader.preprocessors.Execute", "nbgrader.preprocessors.execute.Execute")
        else step
        for step in steps
    ]
    from nbgrader.apps.api import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory

    api = NbGraderAPI(coursedir=CourseDirectory(config=cfg, root=str(run.root)), config=cfg)
    api.log_level = logging.WARNING
    _API = api
    execute = Execute(config=cfg)
    extra = list(execute.extra_arguments)
    if not any(arg.startswith("--HistoryManager.hist_file") for arg in extra) and execute.ipython_hist_file:
        extra.append(f"--HistoryManager.hist_file={execute.ipython_hist_file}")
    env = dict(os.environ, NBGRADER_EXECUTION="autograde")
    _POOL = KernelPool(execute.kernel_name or "python3", pool_size, env, extra, preload=preload)
    multiprocessing.util.Finalize(_POOL, _POOL.close, exitpriority=10)
    atexit.register(_POOL.close)


def _grade(module: str, student_id: str, force: bool, lock_retries: int) -> GradeOutcome:
    """Grade one submission in this worker; again from scratch if the gradebook stayed locked."""
    from grading.course_runs.guard import nbgrader_failure

    assert _API is not None, "not a worker"
    attempts = 0
    while True:
        attempts += 1
        outcome = _API.autograde(module, student_id, force=force or attempts > 1, create=True)
        if outcome["success"]:
            return GradeOutcome(module, student_id, True, attempts=attempts)
        text = (outcome.get("error") or "") + (outcome.get("log") or "")
        if "database is locked" not in text or attempts > lock_retries:
            return GradeOutcome(module, student_id, False, nbgrader_failure(outcome), attempts)


# -- the course leader's side --------------------------------------------------------
class ParallelAutograde(LoggingConfigurable):
    """Grade submissions in worker processes; report each one as it finishes.

    Parameters
    ----------
    run : the ``CourseRun`` whose ``submitted/`` is graded.
    """

    workers = Integer(0, help="Worker processes grading at once; 0 means one per core.").tag(config=True)
    kernels_ahead = Integer(1, help="Fresh kernels each worker keeps starting while it executes a submission.").tag(
        config=True
    )
    fork_kernels = Bool(
        True,
        help=(
            "Fork each fresh kernel from a process that has already imported ipykernel and the import lines "
            "of the modules' notebooks (grading.autograde.kernel_zygote), instead of starting a new Python for each."
        ),
    ).tag(config=True)
    busy_timeout = Float(120.0, help="Seconds a gradebook connection waits for another worker's write.").tag(
        config=True
    )
    lock_retries = Integer(2, help="Times a submission is graded again when the gradebook stayed locked.").tag(
        config=True
    )

    @validate("workers", "kernels_ahead", "lock_retries")
    def _not_negative(self, proposal):
        if proposal["value"] < 0:
            raise TraitError(t("autograde.negative", name=proposal["trait"].name, value=proposal["value"]))
        return proposal["value"]

    @validate("busy_timeout")
    def _positive_timeout(self, proposal):
        if proposal["value"] <= 0:
            raise TraitError(t("autograde.negative", name="busy_timeout", value=proposal["value"]))
        return proposal["value"]

    def __init__(self, run, **kwargs: Any):
        super().__init__(**kwargs)
        self.run = run

    @property
    def db_url(self) -> str:
        """The run's gradebook with the busy timeout every worker's connection uses."""
        url = self.run.db_url
        return f"{url}?timeout={self.busy_timeout:g}" if url.startswith("sqlite") else url

    def _prepare_gradebook(self, students: set[str]) -> None:
        """Rows nbgrader's writers create on the fly, made once before the workers race for them."""
        from nbgrader.api import Gradebook

        with Gradebook(self.db_url) as gb:  # SaveAutoGrades opens it without a course: "default_course"
            pass
        with self.run.gradebook() as gb:
            known = {s.id for s in gb.students}
            for student_id in sorted(students - known):
                gb.update_or_create_student(student_id)

    def _preload(self, modules: set[str]) -> list[str] | None:
        """What the forked kernels import ahead: the import lines of the modules' source notebooks."""
        if not self.fork_kernels:
            return None
        from grading.autograde.kernel_zygote import import_lines

        source = self.run.source_dir
        return import_lines(sorted(path for module in modules for path in (source / module).glob("*.ipynb")))

    def grade(
        self,
        todo: list[tuple[str, str]],
        force: bool = False,
        progress: Callable[[int, int, GradeOutcome], None] | None = None,
    ) -> list[GradeOutcome]:
        """Grade every ``(module, student_id)`` of ``todo``; outcomes in ``todo``'s order.

        ``progress(i, n, outcome)`` is called in the order submissions finish.
        """
        if not todo:
            return []
        self._prepare_gradebook({student for _module, student in todo})
        workers = min(self.workers or default_workers(), len(todo))
        outcomes: dict[tuple[str, str], GradeOutcome] = {}
        context = get_context("spawn")
        with ProcessPoolExecutor(
            max_workers=workers,
            mp_context=context,
            initializer=_init_worker,
            initargs=(
                str(self.run.root),
                self.db_url,
                self.kernels_ahead,
                self._preload({module for module, _student in todo}),
            ),
        ) as pool:
            pending = {
                pool.submit(_grade, module, student, force, self.lock_retries): (module, student)
                for module, student in todo
            }
            try:
                while pending:
                    done, _ = wait(pending, return_when=FIRST_COMPLETED)
                    for future in done:
                        module, student = pending.pop(future)
                        try:
                            outcome = future.result()
                        except BrokenProcessPool:
                            outcome = GradeOutcome(module, student, False, t("autograde.worker_died"))
                        except Exception as exc:  # a worker's own failure, not the learner's
                            outcome = GradeOutcome(module, student, False, f"{type(exc).__name__}: {exc}")
                        outcomes[(module, student)] = outcome
                        if progress is not None:
                            progress(len(outcomes), len(todo), outcome)
            except BaseException:
                for future in pending:
                    future.cancel()
                raise
        return [outcomes[item] for item in todo]
