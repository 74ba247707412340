"""Course runs on the hub: one JupyterHub service per run, reachable by that run's leaders only.

This is nbgrader's own way of running several courses on one JupyterHub (its
"multiple classes" setup): each course run gets a managed service running
``jupyterhub-singleuser`` in the run's folder, so formgrader works on that run's
gradebook and the report app reads that run, and the hub lets in only the group
``kursledare-<course id>`` (RBAC scope ``access:services!service=<course id>``).
A leader of two runs belongs to two groups and reaches two services; a leader of
one run cannot reach another's, and learners reach none.

Services are read from the accounts when the hub starts: after adding a course
run, restart the hub.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from jupyterhub.utils import url_path_join

from grading.hub.accounts import Account, AccountStore
from grading.servers.serve import LIVE_DIRNAME
from grading.system.ports import free_port
from widgets.core.live_names import live_service_name
from widgets.core.setting_env import RUN_ENV, RUN_LEADERS_ENV

__all__ = [
    "SERVICE_CONFIG",
    "SERVICE_TIMEOUT",
    "LIVE_SERVICE_CONFIG",
    "LIVE_AUTH_CACHE_SECONDS",
    "LIVE_DIRNAME",
    "account_groups",
    "led_runs",
    "run_services",
    "live_service_name",
    "live_services",
    "run_leaders",
    "leader_roles",
    "live_roles",
    "guest_group",
    "landing_url",
]

SERVICE_CONFIG = Path(__file__).with_name("run_service_config.py")
#: seconds a managed service may take to answer: six services starting together on a busy
#: two-core machine take about a minute; the hub's wait ends as soon as each answers
SERVICE_TIMEOUT = 300
LIVE_SERVICE_CONFIG = Path(__file__).with_name("live_service_config.py")
#: seconds the live service trusts the hub's word that a session's token is valid (JupyterHub's
#: default is 300; 0 would mean for ever): a person erased or logged out is refused a second later
LIVE_AUTH_CACHE_SECONDS = 1


def account_groups(store: AccountStore, course_ids: Iterable[str] = ()) -> dict[str, dict[str, list[str]]]:
    """JupyterHub's ``load_groups``: a group per role and course run, e.g. ``deltagare-ht26``.

    Each run in ``course_ids`` also gets its (empty) group of guests, filled while the
    hub runs by people who join a group quiz with a code (:mod:`grading.hub.code_join`).
    """
    groups: dict[str, dict[str, list[str]]] = {guest_group(course_id): {"users": []} for course_id in course_ids}
    for account in store.all():
        for group in account.groups:
            groups.setdefault(group, {"users": []})["users"].append(account.name)
    return groups


def guest_group(course_id: str) -> str:
    """The hub group of the guests of a run's live sessions."""
    return f"gaster-{course_id}"


def led_runs(store: AccountStore) -> dict[str, str]:
    """Every course run that has a course leader: course id -> run folder."""
    runs: dict[str, str] = {}
    for account in store.all():
        if account.role == "kursledare":
            for course_id, run_dir in account.runs:
                if run_dir and Path(run_dir).is_dir():
                    runs.setdefault(course_id, run_dir)
    return dict(sorted(runs.items()))


def _service(name: str, config: Path, cwd: str, environment: dict[str, str]) -> dict[str, Any]:
    """A managed ``jupyterhub-singleuser`` service with Cirkel's template and the venv on ``PATH``."""
    from grading.servers.serve import TEMPLATE_ROOT

    bin_dir = Path(sys.executable).parent
    command = [str(bin_dir / "jupyterhub-singleuser"), f"--config={config}"]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.append("--allow-root")
    jupyter_path = [str(TEMPLATE_ROOT), *filter(None, os.environ.get("JUPYTER_PATH", "").split(os.pathsep))]
    return {
        "name": name,
        "url": f"http://127.0.0.1:{free_port()}",
        "command": command,
        "cwd": cwd,
        "oauth_no_confirm": True,
        # asked over HTTP until it answers (grading.hub.app starts all services side by side)
        "timeout": SERVICE_TIMEOUT,
        "environment": {
            # nbgrader calls `alembic` from the venv
            "PATH": os.pathsep.join([str(bin_dir), os.environ.get("PATH", os.defpath)]),
            "JUPYTER_PATH": os.pathsep.join(jupyter_path),
            **environment,
        },
    }


def run_services(runs: dict[str, str]) -> list[dict[str, Any]]:
    """JupyterHub managed services, one per course run, each on a free loopback port."""
    return [
        _service(
            course_id,
            SERVICE_CONFIG,
            run_dir,
            {
                RUN_ENV: run_dir,  # the report app reads this run
                "JUPYTERHUB_DEFAULT_URL": "/lab",
            },
        )
        for course_id, run_dir in runs.items()
    ]


def live_services(runs: dict[str, str], leaders: dict[str, list[str]]) -> list[dict[str, Any]]:
    """A second service per run for its live apps, open to everyone in the run, running no code.

    Its root is ``<run>/samverkan`` (only the live apps, installed by
    ``grading.servers.serve.install_apps``); the shared state is ``<run>/samverkan.sqlite``
    beside it. ``leaders`` : course id -> the run's course leaders (they lead any circle).
    """
    services = []
    for course_id, run_dir in runs.items():
        folder = Path(run_dir) / LIVE_DIRNAME
        folder.mkdir(exist_ok=True)
        services.append(
            _service(
                live_service_name(course_id),
                LIVE_SERVICE_CONFIG,
                str(folder),
                {
                    RUN_ENV: run_dir,
                    RUN_LEADERS_ENV: ",".join(sorted(leaders.get(course_id, ()))),
                    "JUPYTERHUB_DEFAULT_URL": "/voila/render/gruppquiz.ipynb",
                },
            )
        )
    return services


def run_leaders(store: AccountStore) -> dict[str, list[str]]:
    """Course id -> the names of its course leaders."""
    leaders: dict[str, list[str]] = {}
    for account in store.all():
        if account.role == "kursledare":
            for course_id, _run_dir in account.runs:
                leaders.setdefault(course_id, []).append(account.name)
    return leaders


def leader_roles(course_ids: Iterable[str], *, services: bool = True) -> list[dict[str, Any]]:
    """An RBAC role per run: its leaders see its learners (and reach its service), nothing more.

    Parameters
    ----------
    services : whether each run is a hub service (one machine); on Kubernetes a run is
        the leader's own named server instead.
    """
    return [
        {
            "name": f"kursledare-{course_id}",
            "description": f"Course leader of {course_id}: its learners{' and its service' if services else ''} only",
            "scopes": [
                "self",
                *([f"access:services!service={course_id}"] if services else []),
                f"list:users!group=deltagare-{course_id}",
                f"read:users!group=deltagare-{course_id}",
            ],
            "groups": [f"kursledare-{course_id}"],
        }
        for course_id in sorted(course_ids)
    ]


def live_roles(course_ids: Iterable[str]) -> list[dict[str, Any]]:
    """Everyone in a run (learners, leaders, guests of its sessions) reaches its live service."""
    return [
        {
            "name": f"samverkan-{course_id}",
            "description": f"Everyone in {course_id}: its live apps (group quiz, talarstatistik, shared plan)",
            "scopes": [f"access:services!service={live_service_name(course_id)}"],
            "groups": [f"deltagare-{course_id}", f"kursledare-{course_id}", guest_group(course_id)],
        }
        for course_id in sorted(course_ids)
    ]


def landing_url(handler: Any) -> str:
    """Where a person lands (``JupyterHub.default_url``): a leader on their Swedish start page.

    A course leader goes to the hub's home page, their start page: each run they lead
    with what to do next and links that open it (``templates/home.html``), not
    JupyterLab's English launcher. A guest goes back to the code page. Anyone else:
    JupyterHub's default (their own server: learners get "Mina moduler").
    """
    user = handler.current_user
    if user is None:
        return ""
    from widgets.core.live_names import is_guest

    if is_guest(user.name):  # a guest has only their session: back to the code page
        return url_path_join(handler.hub.base_url, "kod")
    account: Account | None = AccountStore(handler.authenticator.accounts_file).get(user.name)
    if account is None or account.role != "kursledare":
        return ""
    return url_path_join(handler.hub.base_url, "home")
