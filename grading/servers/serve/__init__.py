"""Serve a course run: one Jupyter server with JupyterLab, formgrader and Voilà.

``cirkel serve`` (and so ``make run``) and the browser tests start the server
the same way, through :func:`start_server`, so what the tests click through is
what a course leader runs. The server's working directory is the course run's
root (formgrader reads ``nbgrader_config.py`` from there), Voilà renders with
Cirkel's template ``cirkel`` (found through ``JUPYTER_PATH``), sources are
stripped and tracebacks hidden, and the kernels learn which run they belong to
from the ``run`` setting (:mod:`widgets.core.settings`).

With ``--demo`` a demo course run is made once in ``<repo>/.cirkel/demo`` from
``courses/partiforeningsskola``: three pseudonymous learners, every module
released and fetched.

The package's modules by job: :mod:`.apps` (the apps and where they go), :mod:`.command_line`
(the server's command line and environment), :mod:`.server` (starting and stopping it),
:mod:`.demo_run` and :mod:`.run_command` (``cirkel serve`` itself).
"""

from __future__ import annotations

from grading.servers.serve.apps import (
    APPS,
    APPS_DIRNAME,
    ATTENDANCE_NOTEBOOK,
    DASHBOARD_NOTEBOOK,
    GALLERY_NOTEBOOK,
    HOME_NOTEBOOK,
    LIVE_APPS,
    LIVE_DIRNAME,
    REPO_ROOT,
    REPORT_NOTEBOOK,
    TEMPLATE_NAME,
    TEMPLATE_ROOT,
    gallery_path,
    home_path,
    install_apps,
    report_path,
)
from grading.servers.serve.command_line import (
    SERVE_CONFIG,
    VOILA_EXTENSION_DENYLIST,
    preheat_patterns,
    server_command,
    server_env,
)
from grading.servers.serve.demo_run import (
    DEMO_COURSE,
    DEMO_DIR,
    DEMO_LEARNERS,
    Learner,
    build_demo_run,
    ensure_demo_run,
)
from grading.servers.serve.run_command import SERVER_LOG, run
from grading.servers.serve.server import Server, running_server, start_server

__all__ = [
    "REPO_ROOT",
    "APPS",
    "TEMPLATE_NAME",
    "TEMPLATE_ROOT",
    "REPORT_NOTEBOOK",
    "GALLERY_NOTEBOOK",
    "ATTENDANCE_NOTEBOOK",
    "DASHBOARD_NOTEBOOK",
    "HOME_NOTEBOOK",
    "APPS_DIRNAME",
    "LIVE_APPS",
    "LIVE_DIRNAME",
    "VOILA_EXTENSION_DENYLIST",
    "SERVE_CONFIG",
    "SERVER_LOG",
    "DEMO_COURSE",
    "DEMO_DIR",
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
    "home_path",
    "build_demo_run",
    "ensure_demo_run",
    "run",
]
