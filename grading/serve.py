"""Serve a course run: one Jupyter server with JupyterLab, formgrader and Voilà.

``cirkel serve`` (and so ``make run``) and the browser tests start the server
the same way, through :func:`start_server`, so what the tests click through is
what a course leader runs. The server's working directory is the course run's
root (formgrader reads ``nbgrader_config.py`` from there), Voilà renders with
Cirkel's template ``cirkel`` (found through ``JUPYTER_PATH``), sources are
stripped and tracebacks hidden, and the kernels learn which run they belong to
from ``CIRKEL_RUN``.

With ``--demo`` a demo course run is made once in ``<repo>/.cirkel/demo`` from
``courses/partiforeningsskola``: three pseudonymous learners, every module
released and fetched.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from grading.answer_keys import keys_env
from grading.kernel_limits import KERNEL_CULL_INTERVAL, KERNEL_IDLE_TIMEOUT, cull_arguments
from grading.ports import free_port
from widgets._submission import FEEDBACK_ALLOWLIST
from widgets.i18n import t
from widgets.resources import checkout, courses_folder, data_folder, package_folder

if TYPE_CHECKING:  # pragma: no cover
    from grading.run import CourseRun

__all__ = [
    "REPO_ROOT",
    "TEMPLATE_NAME",
    "TEMPLATE_ROOT",
    "REPORT_NOTEBOOK",
    "GALLERY_NOTEBOOK",
    "DEMO_LEARNERS",
    "Learner",
    "Server",
    "server_command",
    "preheat_patterns",
    "server_env",
    "start_server",
    "running_server",
    "install_apps",
    "report_path",
    "gallery_path",
    "HOME_NOTEBOOK",
    "home_path",
    "build_demo_run",
    "ensure_demo_run",
    "run",
]

#: The repository when Cirkel runs from a checkout (the tests read its apps), else ``None``.
REPO_ROOT = checkout()
#: The apps' package folder: its notebooks and template are package data, in a checkout and an install alike.
APPS = package_folder("voila_apps")
#: The Voilà template every Cirkel app is rendered with.
TEMPLATE_NAME = "cirkel"
#: A Jupyter data directory holding ``voila/templates/cirkel``; put on ``JUPYTER_PATH``.
TEMPLATE_ROOT = APPS / "share"
#: The course leader's report app, copied into the run so Voilà may serve it.
REPORT_NOTEBOOK = APPS / "rapport.ipynb"
#: The course authors' widget gallery (gallery files and answers: see ``widgets.gallery``).
GALLERY_NOTEBOOK = APPS / "galleri.ipynb"
#: The cirkelledare's attendance app (study circles, meetings, the study association's rules).
ATTENDANCE_NOTEBOOK = APPS / "narvaro.ipynb"
#: The course leader's completion dashboard (circles, who is behind, plots, a learner's page).
DASHBOARD_NOTEBOOK = APPS / "oversikt.ipynb"
#: The learner's home, "Mina moduler", copied into each learner's workspace (see ``widgets.home``).
HOME_NOTEBOOK = APPS / "mina-moduler.ipynb"
#: JupyterLab front-end extensions an app page does not need (collaboration, nbgrader, Notebook 7):
#: they fail to start in Voilà and only cost the learner's browser a download
VOILA_EXTENSION_DENYLIST = ("@jupyter/docprovider-extension", "@jupyter/nbgrader", "@jupyter-notebook/lab-extension")
#: Where in a course run the apps are copied (Voilà serves only below its root).
APPS_DIRNAME = "appar"
#: The study circles' live apps (group quiz, talarstatistik, shared plan): a service of their own.
LIVE_APPS = APPS / "samverkan"
#: Where in a course run the live apps go: the root of the run's live service (``grading.hub.runs``).
LIVE_DIRNAME = "samverkan"
#: Jupyter Server settings the command line cannot carry (the Content-Security-Policy header) and
#: a prompt end when stopped.
SERVE_CONFIG = Path(__file__).with_name("serve_config.py")
#: The server's own log, in the course run (the terminal shows only Cirkel's addresses).
SERVER_LOG = "jupyter-server.log"
#: Any learner, in a workspace path turned into a glob pattern (see ``preheat_patterns``).
_ANY_LEARNER = "cirkelvemsomhelst"
#: The demo run's course (shipped as package data: ``widgets.resources``).
DEMO_COURSE = courses_folder() / "partiforeningsskola"
#: The demo run: ``.cirkel/demo`` in a checkout, ``~/.local/share/cirkel/demo`` when installed.
DEMO_DIR = data_folder() / "demo"
_DEMO_DONE = ".cirkel-demo-klar"


@dataclass(frozen=True)
class Learner:
    """A pseudonymous learner: a short id and the name shown to the course leader."""

    student_id: str
    name: str


DEMO_LEARNERS: tuple[Learner, ...] = (
    Learner("anna", "Anna"),
    Learner("bilal", "Bilal"),
    Learner("cecilia", "Cecilia"),
)


# -- the server ---------------------------------------------------------------


@dataclass
class Server:
    """A running Jupyter server for one course run."""

    process: subprocess.Popen[bytes]
    base_url: str
    token: str
    root: Path
    log_path: Path | None = None
    _log: IO[bytes] | None = field(default=None, repr=False)

    def url(self, path: str = "", *, with_token: bool = True) -> str:
        """The address of ``path`` below the server, with the token as a query."""
        address = self.base_url + path.lstrip("/")
        if with_token:
            address += ("&" if "?" in address else "?") + f"token={self.token}"
        return address

    def voila_url(self, notebook: str | os.PathLike[str], *, with_token: bool = True) -> str:
        """The Voilà app address of a notebook given relative to the run root (or absolute)."""
        path = Path(notebook)
        if path.is_absolute():
            path = path.resolve().relative_to(self.root.resolve())
        return self.url(f"voila/render/{path.as_posix()}", with_token=with_token)

    def alive(self) -> bool:
        return self.process.poll() is None

    def stop(self, timeout: float = 20.0) -> None:
        """Stop the server and its kernels (the whole process group)."""
        if self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=timeout)
        if self._log is not None:
            self._log.close()
            self._log = None


def server_env(run_root: str | os.PathLike[str], base: dict[str, str] | None = None) -> dict[str, str]:
    """The environment of the server and its kernels.

    The venv's ``bin`` comes first on ``PATH`` (nbgrader runs ``alembic``),
    ``JUPYTER_PATH`` starts with Cirkel's template folder, ``CIRKEL_RUN``
    names the course run for the apps, and ``CIRKEL_FACIT`` its answer keys.
    """
    env = dict(os.environ if base is None else base)
    venv_bin = str(Path(sys.executable).parent)
    env["PATH"] = os.pathsep.join(
        [venv_bin, *[p for p in env.get("PATH", "").split(os.pathsep) if p and p != venv_bin]]
    )
    jupyter_path = [str(TEMPLATE_ROOT), *[p for p in env.get("JUPYTER_PATH", "").split(os.pathsep) if p]]
    env["JUPYTER_PATH"] = os.pathsep.join(dict.fromkeys(jupyter_path))
    env["CIRKEL_RUN"] = str(Path(run_root).resolve())
    env.update(keys_env([env["CIRKEL_RUN"]]))  # the kernels read answer keys for feedback from the run
    env["PYTHONUNBUFFERED"] = "1"
    return env


def server_command(
    port: int,
    token: str,
    *,
    ip: str = "127.0.0.1",
    root: str | os.PathLike[str] = ".",
    preheat_notebooks: Sequence[str] = (),
    max_kernels: int | None = None,
    kernel_idle_timeout: int = KERNEL_IDLE_TIMEOUT,
    kernel_cull_interval: int = KERNEL_CULL_INTERVAL,
    extra_args: Sequence[str] = (),
) -> list[str]:
    """The ``jupyter lab`` command line: JupyterLab, formgrader and Voilà in one server.

    Voilà keeps its safe defaults (sources stripped, no execute requests) and
    hides tracebacks; the ``cirkel`` template gets the string table through the
    ``cirkel_t`` Jinja filter. JupyterLab's real-time collaboration keeps its
    state in ``<root>/.jupyter/``, as the run's hub service does.

    Parameters
    ----------
    preheat_notebooks
        Glob patterns (relative to ``root``) of the Voilà apps that get a pool of preheated
        kernels (``grading.preheat``); none when empty.
    max_kernels
        At most this many preheated kernels in all pools together (``grading.preheat`` default when ``None``).
    kernel_idle_timeout, kernel_cull_interval
        Seconds before a kernel no browser holds is shut when idle, and between the culler's
        rounds (``grading.kernel_limits``).
    extra_args
        More options, after Cirkel's own (none of the same name: the server refuses one given twice).
    """
    state = Path(root).resolve() / ".jupyter"
    state.mkdir(mode=0o700, parents=True, exist_ok=True)
    command = [
        sys.executable,
        "-m",
        "jupyterlab",
        f"--ServerApp.ip={ip}",
        f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0",
        "--ServerApp.open_browser=False",
        f"--ServerApp.root_dir={Path(root).resolve()}",
        f"--IdentityProvider.token={token}",
        # the Content-Security-Policy header (grading.csp, a dict) and a prompt end: a config file
        f"--config={SERVE_CONFIG}",
        f"--VoilaConfiguration.template={TEMPLATE_NAME}",
        "--VoilaConfiguration.show_tracebacks=False",
        "--VoilaConfiguration.strip_sources=True",
        # Voilà serves static files only when allowed: pictures, and the feedback nbgrader's
        # fetch_feedback puts in <module>/feedback/<timestamp>/ (linked from "Mina moduler").
        # (a list option on the command line: one occurrence per item)
        r"--VoilaConfiguration.file_allowlist=.*\.(png|jpg|gif|svg)",
        f"--VoilaConfiguration.file_allowlist={FEEDBACK_ALLOWLIST}",
        "--VoilaExporter.filters",
        "cirkel_t=widgets.i18n.t",
        "--VoilaConfiguration.extension_denylist=" + repr(list(VOILA_EXTENSION_DENYLIST)),
        "--LabApp.news_url=",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
        # real-time collaboration's state in the run (as in a run's hub service), never in $HOME
        f"--SQLiteYStore.db_path={state / 'ystore.db'}",
        f"--BaseFileIdManager.db_path={state / 'file_id_manager.db'}",
        f"--YDocExtension.session_store_path={state / 'collaboration_sessions.json'}",
        # a kernel no browser holds (a tab closed without a goodbye) is shut when idle
        *cull_arguments(idle_timeout=kernel_idle_timeout, interval=kernel_cull_interval),
    ]
    if preheat_notebooks:
        command += [
            "--ServerApp.kernel_manager_class=grading.preheat.PreheatKernelManager",
            # a list option on the command line: one occurrence per item
            *(f"--PreheatKernelManager.preheat_notebooks={pattern}" for pattern in preheat_notebooks),
        ]
        if max_kernels is not None:
            command.append(f"--PreheatKernelManager.max_kernels={int(max_kernels)}")
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.append("--allow-root")
    return command + list(extra_args)


def preheat_patterns(course_run: CourseRun) -> list[str]:
    """The apps learners open most, as glob patterns below the run: "Mina moduler", then module apps.

    Workspaces outside the run (the hub's homes) are served by the learners' own servers,
    which preheat their own (``grading.hub.voila_settings.preheat``): none here then.
    """
    root = Path(course_run.root).resolve()
    try:
        workspace = course_run.workspace(_ANY_LEARNER).resolve().relative_to(root)
    except ValueError:
        return []
    pattern = workspace.as_posix().replace(_ANY_LEARNER, "*")
    return [f"{pattern}/{HOME_NOTEBOOK.name}", f"{pattern}/{course_run.course_id}/*/*.ipynb"]


def install_apps(run_root: str | os.PathLike[str]) -> Path:
    """Copy the apps into the run (fresh each start) and return ``<run>/appar``.

    The report, the dashboard, the gallery and the attendance app go to ``<run>/appar``,
    the live apps of the study circles to ``<run>/samverkan``;
    "Mina moduler" goes into
    each learner workspace that has a ``.cirkel-deltagare.json`` (the kernel
    runs in the notebook's folder and finds the learner there).
    """
    root = Path(run_root)
    target = root / APPS_DIRNAME
    target.mkdir(parents=True, exist_ok=True)
    for notebook in (REPORT_NOTEBOOK, GALLERY_NOTEBOOK, ATTENDANCE_NOTEBOOK, DASHBOARD_NOTEBOOK):
        shutil.copyfile(notebook, target / notebook.name)
    # the live apps (group quiz, talarstatistik, shared plan): the root of the run's live service
    live = root / LIVE_DIRNAME
    live.mkdir(exist_ok=True)
    for notebook in sorted(LIVE_APPS.glob("*.ipynb")):
        shutil.copyfile(notebook, live / notebook.name)
    for workspace in _learner_workspaces(root):
        shutil.copyfile(HOME_NOTEBOOK, workspace / HOME_NOTEBOOK.name)
    return target


def _learner_workspaces(root: Path) -> list[Path]:
    """The run's learner workspaces: folders holding the learner file the fetch wrote."""
    from grading.run import LEARNER_FILE, CourseRun, RunError

    try:
        course_run = CourseRun(root)
        with course_run.gradebook() as gb:
            ids = [s.id for s in gb.students]
        folders = [course_run.workspace(student_id) for student_id in ids]
    except (RunError, ValueError, OSError):
        return []
    except Exception:  # e.g. no gradebook yet: no learners to give a home
        return []
    return [folder for folder in folders if (folder / LEARNER_FILE).is_file()]


def home_path(course_run: CourseRun, student_id: str) -> Path:
    """The learner's "Mina moduler" notebook (in their workspace)."""
    return course_run.workspace(student_id) / HOME_NOTEBOOK.name


def report_path() -> str:
    """The report app's notebook path relative to the run root."""
    return f"{APPS_DIRNAME}/{REPORT_NOTEBOOK.name}"


def gallery_path() -> str:
    """The widget gallery's notebook path relative to the run root."""
    return f"{APPS_DIRNAME}/{GALLERY_NOTEBOOK.name}"


def start_server(
    run_root: str | os.PathLike[str],
    port: int | None = None,
    *,
    ip: str = "127.0.0.1",
    token: str | None = None,
    log_path: str | os.PathLike[str] | None = None,
    ready_timeout: float = 180.0,
    preheat: bool | Sequence[str] = False,
    max_kernels: int | None = None,
    watch: Callable[[subprocess.Popen[bytes]], None] | None = None,
    kernel_idle_timeout: int = KERNEL_IDLE_TIMEOUT,
    kernel_cull_interval: int = KERNEL_CULL_INTERVAL,
    extra_args: Sequence[str] = (),
) -> Server:
    """Start one Jupyter server for the course run at ``run_root`` and wait until it answers.

    Parameters
    ----------
    run_root
        The course run (nbgrader course directory); the server's working and root directory.
    port
        The port; ``None`` or ``0`` picks a free one.
    token
        The access token; a random one when not given.
    log_path
        Where the server's output goes; the terminal when not given.
    ready_timeout
        Seconds to wait for the server to answer before giving up.
    preheat
        ``True``: keep preheated kernels ready for the learners' "Mina moduler" and module
        apps (:func:`preheat_patterns`); or the glob patterns (below the run) of the apps to
        preheat. At most ``max_kernels`` in all.
    watch
        Handed the server's process as soon as it exists, before the wait for it to answer.
    kernel_idle_timeout, kernel_cull_interval, extra_args
        See :func:`server_command`.
    """
    root = Path(run_root).resolve()
    install_apps(root)
    patterns: list[str] = []
    if preheat is True:
        from grading.run import CourseRun

        patterns = preheat_patterns(CourseRun(root))
    elif preheat:
        patterns = list(preheat)
    port = port or free_port(ip)
    token = token or secrets.token_urlsafe(24)
    log = open(log_path, "ab") if log_path is not None else None  # noqa: SIM115 - owned by Server
    process = subprocess.Popen(
        server_command(
            port,
            token,
            ip=ip,
            root=root,
            preheat_notebooks=patterns,
            max_kernels=max_kernels,
            kernel_idle_timeout=kernel_idle_timeout,
            kernel_cull_interval=kernel_cull_interval,
            extra_args=extra_args,
        ),
        cwd=root,
        env=server_env(root),
        stdout=log,
        stderr=subprocess.STDOUT if log is not None else None,
        stdin=subprocess.DEVNULL,
        start_new_session=True,
    )
    server = Server(
        process=process,
        base_url=f"http://{ip}:{port}/",
        token=token,
        root=root,
        log_path=Path(log_path) if log_path is not None else None,
        _log=log,
    )
    if watch is not None:
        watch(process)
    try:
        _wait_until_ready(server, ready_timeout)
    except BaseException:
        server.stop()
        raise
    return server


def _wait_until_ready(server: Server, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    status = server.url("api/status")
    while True:
        if not server.alive():
            raise RuntimeError(t("serve.start_failed", log=server.log_path or "-"))
        try:
            with urllib.request.urlopen(status, timeout=5) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        if time.monotonic() > deadline:
            raise RuntimeError(t("serve.start_failed", log=server.log_path or "-"))
        time.sleep(0.3)


@contextlib.contextmanager
def running_server(run_root: str | os.PathLike[str], port: int | None = None, **kwargs: Any) -> Iterator[Server]:
    """``start_server`` as a context manager that always stops the server."""
    server = start_server(run_root, port, **kwargs)
    try:
        yield server
    finally:
        server.stop()


# -- the demo course run ---------------------------------------------------------


def build_demo_run(
    run_dir: str | os.PathLike[str],
    course_dir: str | os.PathLike[str] = DEMO_COURSE,
    learners: Sequence[Learner] = DEMO_LEARNERS,
    workspaces: str | None = None,
) -> CourseRun:
    """Create a course run with ``learners``, every module released and fetched by each.

    Uses nbgrader through Cirkel's own API (create, roster import, release,
    fetch), as a course leader's ``cirkel`` commands would. ``workspaces`` is the
    run's workspace template (see :func:`grading.run.create_run`).
    """
    from grading.pipeline import fetch, release
    from grading.roster import import_roster
    from grading.run import create_run, ensure_tools_on_path

    run_dir = Path(run_dir)
    ensure_tools_on_path()  # nbgrader runs alembic
    course_run = create_run(course_dir, run_dir, workspaces=workspaces)
    with tempfile.TemporaryDirectory(prefix="cirkel-roster-") as folder:
        roster = Path(folder) / "deltagare.csv"
        _write_roster(roster, learners)
        import_roster(course_run, roster)
    release(course_run)
    for learner in learners:
        fetch(course_run, learner.student_id)
    return course_run


def _write_roster(path: Path, learners: Sequence[Learner]) -> None:
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["id", "namn"])
        for learner in learners:
            writer.writerow([learner.student_id, learner.name])


def ensure_demo_run(run_dir: str | os.PathLike[str] = DEMO_DIR) -> CourseRun:
    """The demo course run, created on first use; a half-made one is made again."""
    from grading.run import CourseRun

    run_dir = Path(run_dir)
    if (run_dir / _DEMO_DONE).exists():
        print(t("serve.demo_ready", path=run_dir), flush=True)
        return CourseRun(run_dir)
    if run_dir.exists():
        print(t("serve.demo_broken", path=run_dir), flush=True)
        shutil.rmtree(run_dir)
    print(t("serve.demo_creating", path=run_dir), flush=True)
    course_run = build_demo_run(run_dir)
    (run_dir / _DEMO_DONE).write_text("ok\n", encoding="utf-8")
    return course_run


# -- cirkel serve ----------------------------------------------------------------


def _print_addresses(server: Server, course_run: CourseRun) -> None:
    names = _learner_names(course_run)
    lines = [
        "",
        t("serve.heading"),
        t("serve.leader", url=server.url("lab")),
        t("serve.formgrader", url=server.url("formgrader")),
        t("serve.report", url=server.voila_url(report_path())),
        t("serve.gallery", url=server.voila_url(gallery_path())),
        t("serve.learners"),
    ]
    for student_id in sorted(names):
        home = home_path(course_run, student_id)
        if home.exists():
            lines.append(
                t(
                    "serve.learner_home",
                    name=names.get(student_id, student_id),
                    student_id=student_id,
                    url=server.voila_url(home),
                )
            )
        for module in course_run.modules:
            notebook = course_run.notebook_path(student_id, module)
            if notebook.exists():
                lines.append(
                    t(
                        "serve.learner_module",
                        name=names.get(student_id, student_id),
                        student_id=student_id,
                        module=module,
                        url=server.voila_url(notebook),
                    )
                )
    print("\n".join(lines), flush=True)


def _learner_names(course_run: CourseRun) -> dict[str, str]:
    """Display names from the gradebook (nbgrader keeps them as ``first_name``)."""
    try:
        with course_run.gradebook() as gb:
            return {s.id: s.first_name or s.id for s in gb.students}
    except Exception:  # names are a courtesy in the printout, never a reason to stop
        return {}


def run(args: argparse.Namespace) -> int:
    """``cirkel serve [--demo] [--run DIR] [--port 8888] [--ip 127.0.0.1]``: serve until Ctrl+C or SIGTERM.

    However it ends, the server and every kernel it started are stopped
    (:func:`grading.supervise.supervised`, the run folder as the last resort's bound).
    """
    from grading.run import CourseRun, RunError
    from grading.supervise import supervised

    if getattr(args, "demo", False):
        course_run = ensure_demo_run(Path(args.run) if getattr(args, "run", None) else DEMO_DIR)
    elif getattr(args, "run", None):
        try:
            course_run = CourseRun(args.run)
        except RunError as exc:
            print(str(exc), file=sys.stderr)
            return 2
    else:
        print(t("serve.no_run"), file=sys.stderr)
        return 2

    ip = getattr(args, "ip", None) or "127.0.0.1"
    port = int(getattr(args, "port", None) or 8888)
    log_path = Path(course_run.root) / SERVER_LOG
    print(t("serve.starting", url=f"http://{ip}:{port}/"), flush=True)
    print(t("serve.log", path=log_path), flush=True)
    server: Server | None = None
    with supervised(course_run.root, t("serve.stopping")) as guard:
        try:
            # the apps learners open most are drawn at once (``--no-preheat``, if the command has it, turns it off)
            server = start_server(
                course_run.root,
                port,
                ip=ip,
                log_path=log_path,
                preheat=getattr(args, "preheat", True),
                watch=guard.watch,
            )
        except RuntimeError as exc:
            print(str(exc), file=sys.stderr)
            return 1
        _print_addresses(server, course_run)
        guard.wait()
    if server is not None:
        server.stop()  # stopped already: closes its log
    return 0
