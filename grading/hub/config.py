"""The one JupyterHub configuration: ``deploy/jupyterhub_config.py`` (used by ``make run``)
fills its config object with :func:`configure_from_settings`, the tests theirs with :func:`configure`.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path
from typing import Any

from grading.hub import admin_api, runs
from grading.hub.accounts import MIN_PASSWORD_LENGTH, AccountStore
from grading.hub.code_join import PAGE as CODE_PAGE
from grading.hub.cookies import hub_cookies
from grading.hub.culler import culler_role, culler_service
from grading.hub.grading_service import grading_services
from grading.hub.pages import person_vars
from grading.hub.password import PAGE as PASSWORD_PAGE
from grading.reports.printing import BOOKLET, GUIDE, RUN_FOLDER
from grading.servers.csp import apply_hub
from grading.servers.serve import APPS_DIRNAME, ATTENDANCE_NOTEBOOK, DASHBOARD_NOTEBOOK, report_path
from grading.servers.statement import HUB_PAGE as STATEMENT_PAGE
from grading.system.hub_folder import accounts_file, hub_dir
from widgets.core.i18n import t
from widgets.core.resources import checkout
from widgets.storage import database as storage

__all__ = [
    "configure",
    "configure_from_settings",
    "hub_dir",
    "accounts_file",
    "page_vars",
    "REPO",
    "TEMPLATES",
    "PROXY_BIN",
    "PROXY_TIMEOUT_MS",
]

#: The repository when Cirkel runs from a checkout (its deploy/ holds the hub's configuration), else ``None``.
REPO = checkout()
TEMPLATES = Path(__file__).with_name("templates")
#: JupyterHub's own proxy (Node.js configurable-http-proxy), installed in the repository by `make`
#: from deploy/proxy/package-lock.json; in an install, the one on ``PATH`` (``npm install -g``)
PROXY_BIN = (
    REPO / "deploy" / "proxy" / "node_modules" / ".bin" / "configurable-http-proxy"
    if REPO is not None
    else Path(shutil.which("configurable-http-proxy") or "configurable-http-proxy")
)
#: milliseconds the proxy waits for a server's answer, and for a request's client, before it gives
#: up (a Voilà page executes its notebook before it answers; websockets are never timed out)
PROXY_TIMEOUT_MS = 300_000


def configure_from_settings(c: Any) -> None:
    """Fill ``c`` as :func:`configure` does, from ``CirkelHubSettings`` (:mod:`widgets.core.settings`).

    The settings come from the config file's own ``c.CirkelHubSettings`` and, winning over
    it as on every traitlets command line, the hub's ``--CirkelHubSettings.<name>=`` arguments
    (what ``cirkel serve --hub`` passes); the data folder and the database also from the
    environment the hub was started with.
    """
    from traitlets.config import Application, Config

    from widgets.core.settings import hub_settings

    given = Config()
    given.merge(c)
    if Application.initialized():  # the hub loading this file: its command line
        given.merge(getattr(Application.instance(), "cli_config", Config()))
    settings = hub_settings(given)
    configure(
        c,
        settings.hub_dir,
        ip=settings.ip,
        port=settings.port,
        hub_port=settings.hub_api_port,
        proxy_api_port=settings.proxy_api_port,
        db_url=settings.hub_db,
    )


def configure(
    c: Any,
    folder: str | os.PathLike[str] | None = None,
    *,
    ip: str = "127.0.0.1",
    port: int = 8000,
    hub_port: int | None = None,
    proxy_api_port: int | None = None,
    db_url: str | None = None,
) -> None:
    """Fill JupyterHub's config object ``c``.

    Parameters
    ----------
    folder : the hub's data folder (SQLite hub database, cookie secret, accounts, homes).
    ip, port : where people reach the hub (through the proxy).
    hub_port, proxy_api_port : internal ports of the hub API and the proxy's API, on 127.0.0.1;
        by default ``port + 81`` and ``port + 1`` (8081 and 8001 beside 8000, JupyterHub's own),
        so two hubs on different ports do not collide.
    db_url : JupyterHub's own database (users, groups, tokens, servers) as an SQLAlchemy URL,
        e.g. ``postgresql+psycopg://hub@db/cirkel_hub`` for a hub that outgrows one machine;
        by default ``jupyterhub.sqlite`` in the data folder.
    """
    hub_port = port + 81 if hub_port is None else hub_port
    proxy_api_port = port + 1 if proxy_api_port is None else proxy_api_port
    data = hub_dir(folder)
    (data / "hem").mkdir(parents=True, exist_ok=True)
    accounts = accounts_file(data)
    AccountStore(accounts)  # creates the file and its table
    bin_dir = Path(sys.executable).parent

    c.JupyterHub.ip = ip
    c.JupyterHub.port = port
    c.JupyterHub.hub_ip = "127.0.0.1"
    c.JupyterHub.hub_port = hub_port
    c.JupyterHub.db_url = storage.with_driver(db_url) if db_url else f"sqlite:///{data / 'jupyterhub.sqlite'}"
    c.JupyterHub.cookie_secret_file = str(data / "jupyterhub_cookie_secret")
    c.JupyterHub.pid_file = str(data / "jupyterhub.pid")

    # JupyterHub's own proxy, started and stopped by the hub. It forwards every request at once
    # (Node's agent has no cap), passes paths, websocket handshakes and frames on as sent, and
    # appends the address it was reached from to X-Forwarded-For (the login throttle counts by it)
    c.ConfigurableHTTPProxy.command = [
        str(PROXY_BIN),
        f"--timeout={PROXY_TIMEOUT_MS}",
        f"--proxy-timeout={PROXY_TIMEOUT_MS}",
    ]
    c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{proxy_api_port}"
    c.ConfigurableHTTPProxy.pid_file = str(data / "proxy.pid")

    hub_cookies(c)  # SameSite on the hub's cookies and each person's server's login cookies
    c.JupyterHub.authenticator_class = "grading.hub.auth.CirkelAuthenticator"
    c.CirkelAuthenticator.accounts_file = str(accounts)
    # only accounts created by `cirkel` exist, so every one of them may log in
    c.Authenticator.allow_all = True
    c.Authenticator.admin_users = {a.name for a in AccountStore(accounts).all() if a.role == "admin"}

    c.JupyterHub.spawner_class = "grading.hub.spawner.CirkelSpawner"
    c.CirkelSpawner.accounts_file = str(accounts)
    c.CirkelSpawner.home_dir_template = str(data / "hem" / "{username}")
    c.Spawner.cmd = [str(bin_dir / "jupyterhub-singleuser")]
    # thirty servers starting together on two cores take up to a minute (benchmarks/hub_load.py)
    c.Spawner.http_timeout = 180
    c.Spawner.start_timeout = 180
    # stopped within 10 s of the hub's SIGTERM (systemd, a container stop, Ctrl+C): SIGINT, then
    # SIGTERM, then SIGKILL, 4 + 2 + 2 s at most (JupyterHub's own are 10 + 5 + 5)
    c.LocalProcessSpawner.interrupt_timeout = 4
    c.LocalProcessSpawner.term_timeout = 2
    c.LocalProcessSpawner.kill_timeout = 2
    # --allow-root (when the hub runs as root) is added by CirkelSpawner.get_args

    _groups_and_roles(c, AccountStore(accounts))
    # the `cirkel` command's own token and role on this hub (cirkel person erase asks the hub)
    admin_api.configure(c, data, hub_port)

    # Cirkel's Content-Security-Policy on the hub's own pages (grading.servers.csp)
    apply_hub(c)

    # every hub page through Cirkel's templates (page.html replaces JupyterHub's frame): Swedish,
    # lang="sv"; the home page by who looks (a leader's start page, a learner's way to their modules)
    c.JupyterHub.template_paths = [str(TEMPLATES)]
    c.JupyterHub.template_vars = {
        "cirkel": page_vars(),
        "cirkel_person": person_vars(str(accounts), live_path=f"services/{{run}}-{runs.LIVE_DIRNAME}/"),
    }


def page_vars() -> dict[str, str]:
    """The Swedish words of Cirkel's hub pages (every page JupyterHub shows, and Cirkel's own)."""
    page = {
        key: t(f"hub.page.{key}", length=MIN_PASSWORD_LENGTH, name="{name}", code="{code}")
        for key in (
            "title",
            "sign_in",
            "username",
            "password",
            "submit",
            "help",
            "new_password_heading",
            "new_password_intro",
            "change_password_intro",
            "current_password",
            "new_password",
            "new_password_hint",
            "repeat_password",
            "save_password",
            "runs_heading",
            "runs_intro",
            "run_lab",
            "run_formgrader",
            "run_report",
            "run_dashboard",
            "run_attendance",
            "refused_heading",
            "code_heading",
            "code_intro_member",
            "code_intro_guest",
            "code_label",
            "code_name_label",
            "code_name_hint",
            "code_submit",
            "code_login_instead",
            "run_live_quiz",
            "run_live_speakers",
            "run_live_plan",
            "run_booklet",
            "run_guide",
            "close",
            "skip_to_content",
            "noscript",
            "nav_label",
            "nav_home",
            "nav_admin",
            "logout",
            "logged_out",
            "to_start",
            "error_title",
            "error_heading",
            "error_text",
            "not_found_heading",
            "not_found_text",
            "refused_text",
            "home_heading",
            "home_intro",
            "home_modules",
            "home_code",
            "home_password",
            "spawn_heading",
            "spawn_text",
            "spawn_requested",
            "spawn_starting",
            "spawn_ready",
            "spawn_details",
            "spawn_failed_heading",
            "spawn_failed_text",
            "spawn_start",
            "spawn_retry",
            "not_running_heading",
            "not_running_text",
            "not_running_restart",
            "stopping_heading",
            "stopping_text",
            "reload",
            "step_release",
            "step_follow",
            "step_attendance",
            "step_live",
            "step_grade",
            "step_report",
            "step_lab",
            "run_grade",
        )
    }
    apps = f"{APPS_DIRNAME}/"
    return page | {
        "statement_title": t("statement.title"),
        "statement_link": t("statement.link"),
        "statement_page": STATEMENT_PAGE,
        "password_page": PASSWORD_PAGE,
        "code_page": CODE_PAGE,
        "live_dirname": runs.LIVE_DIRNAME,
        "report_path": report_path(),
        "dashboard_path": apps + DASHBOARD_NOTEBOOK.name,
        "attendance_path": apps + ATTENDANCE_NOTEBOOK.name,
        "booklet_path": f"{RUN_FOLDER}/{BOOKLET}",
        "guide_path": f"{RUN_FOLDER}/{GUIDE}",
    }


def _groups_and_roles(c: Any, store: AccountStore) -> None:
    """A group per role and course run, a service per led run, and the leaders' RBAC roles.

    All are read from the accounts when the hub starts (see :mod:`grading.hub.runs`);
    a person added while the hub runs can log in at once, and gets their group
    (and a new run its service) at the next start.
    """
    led = runs.led_runs(store)
    c.JupyterHub.load_groups = runs.account_groups(store, led)
    c.JupyterHub.services = runs.run_services(led) + runs.live_services(led, runs.run_leaders(store))
    # points on submit: each run's new submissions autograded and their feedback released at once
    c.JupyterHub.services += grading_services(led)
    c.JupyterHub.load_roles = runs.leader_roles(led) + runs.live_roles(led)
    # servers nobody uses are stopped (the learners' answers are saved on every change)
    c.JupyterHub.services.append(culler_service())
    c.JupyterHub.load_roles.append(culler_role())
    c.JupyterHub.default_url = runs.landing_url
