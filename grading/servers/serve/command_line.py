"""The ``jupyter lab`` command line and environment of a course run's server.

One server carries JupyterLab, formgrader and Voilà; its kernels learn their run from
the ``run`` setting and its answer keys from ``answer_key_dirs`` (both in their environment), and the apps learners open most
can get preheated kernels (``grading.servers.preheat``).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from grading.course_runs.answer_keys import keys_env
from grading.servers.kernel_limits import KERNEL_CULL_INTERVAL, KERNEL_IDLE_TIMEOUT, cull_arguments
from grading.servers.serve.apps import HOME_NOTEBOOK, TEMPLATE_ROOT
from widgets.core.resources import package_folder
from widgets.core.setting_env import RUN_ENV

if TYPE_CHECKING:  # pragma: no cover
    from grading.course_runs.run import CourseRun

__all__ = ["VOILA_EXTENSION_DENYLIST", "SERVE_CONFIG", "server_env", "server_command", "preheat_patterns"]

#: JupyterLab front-end extensions an app page does not need (collaboration, nbgrader, Notebook 7):
#: they fail to start in Voilà and only cost the learner's browser a download
VOILA_EXTENSION_DENYLIST = ("@jupyter/docprovider-extension", "@jupyter/nbgrader", "@jupyter-notebook/lab-extension")
#: Jupyter Server settings the command line cannot carry (the Content-Security-Policy header) and
#: a prompt end when stopped.
SERVE_CONFIG = package_folder("grading") / "servers" / "serve_config.py"
#: Any learner, in a workspace path turned into a glob pattern (see ``preheat_patterns``).
_ANY_LEARNER = "cirkelvemsomhelst"


def server_env(run_root: str | os.PathLike[str], base: dict[str, str] | None = None) -> dict[str, str]:
    """The environment of the server and its kernels.

    The venv's ``bin`` comes first on ``PATH`` (nbgrader runs ``alembic``),
    ``JUPYTER_PATH`` starts with Cirkel's template folder, the ``run``
    setting names the course run for the apps, and ``answer_key_dirs`` its answer keys.
    """
    env = dict(os.environ if base is None else base)
    venv_bin = str(Path(sys.executable).parent)
    env["PATH"] = os.pathsep.join(
        [venv_bin, *[p for p in env.get("PATH", "").split(os.pathsep) if p and p != venv_bin]]
    )
    jupyter_path = [str(TEMPLATE_ROOT), *[p for p in env.get("JUPYTER_PATH", "").split(os.pathsep) if p]]
    env["JUPYTER_PATH"] = os.pathsep.join(dict.fromkeys(jupyter_path))
    env[RUN_ENV] = str(Path(run_root).resolve())
    env.update(keys_env([env[RUN_ENV]]))  # the kernels read answer keys for feedback from the run
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
        kernels (``grading.servers.preheat``); none when empty.
    max_kernels
        At most this many preheated kernels in all pools together (``grading.servers.preheat`` default when ``None``).
    kernel_idle_timeout, kernel_cull_interval
        Seconds before a kernel no browser holds is shut when idle, and between the culler's
        rounds (``grading.servers.kernel_limits``).
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
        # Cirkel's Voilà settings (grading.servers.voila_settings), the Content-Security-Policy (a dict
        # of headers) and a prompt end: a config file, the one every server's settings come from
        f"--config={SERVE_CONFIG}",
        # real-time collaboration's state in the run (as in a run's hub service), never in $HOME
        f"--SQLiteYStore.db_path={state / 'ystore.db'}",
        f"--BaseFileIdManager.db_path={state / 'file_id_manager.db'}",
        f"--YDocExtension.session_store_path={state / 'collaboration_sessions.json'}",
        # a kernel no browser holds (a tab closed without a goodbye) is shut when idle
        *cull_arguments(idle_timeout=kernel_idle_timeout, interval=kernel_cull_interval),
    ]
    if preheat_notebooks:
        command += [
            "--ServerApp.kernel_manager_class=grading.servers.preheat.PreheatKernelManager",
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
    which preheat their own (``grading.servers.voila_settings.preheat``): none here then.
    """
    root = Path(course_run.root).resolve()
    try:
        workspace = course_run.workspace(_ANY_LEARNER).resolve().relative_to(root)
    except ValueError:
        return []
    pattern = workspace.as_posix().replace(_ANY_LEARNER, "*")
    return [f"{pattern}/{HOME_NOTEBOOK.name}", f"{pattern}/{course_run.course_id}/*/*.ipynb"]
