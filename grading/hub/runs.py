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
import socket
import sys
from pathlib import Path
from collections.abc import Iterable
from typing import Any

from jupyterhub.utils import url_path_join

from .accounts import Account, AccountStore

__all__ = ["SERVICE_CONFIG", "account_groups", "led_runs", "run_services", "leader_roles", "landing_url"]

SERVICE_CONFIG = Path(__file__).with_name("run_service_config.py")


def account_groups(store: AccountStore) -> dict[str, dict[str, list[str]]]:
    """JupyterHub's ``load_groups``: a group per role and course run, e.g. ``deltagare-ht26``."""
    groups: dict[str, dict[str, list[str]]] = {}
    for account in store.all():
        for group in account.groups:
            groups.setdefault(group, {"users": []})["users"].append(account.name)
    return groups


def led_runs(store: AccountStore) -> dict[str, str]:
    """Every course run that has a course leader: course id -> run folder."""
    runs: dict[str, str] = {}
    for account in store.all():
        if account.role == "kursledare":
            for course_id, run_dir in account.runs:
                if run_dir and Path(run_dir).is_dir():
                    runs.setdefault(course_id, run_dir)
    return dict(sorted(runs.items()))


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def run_services(runs: dict[str, str]) -> list[dict[str, Any]]:
    """JupyterHub managed services, one per course run, each on a free loopback port."""
    from grading.serve import TEMPLATE_ROOT

    bin_dir = Path(sys.executable).parent
    command = [str(bin_dir / "jupyterhub-singleuser"), f"--config={SERVICE_CONFIG}"]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.append("--allow-root")
    services = []
    for course_id, run_dir in runs.items():
        jupyter_path = [str(TEMPLATE_ROOT), *filter(None, os.environ.get("JUPYTER_PATH", "").split(os.pathsep))]
        services.append({
            "name": course_id,
            "url": f"http://127.0.0.1:{_free_port()}",
            "command": command,
            "cwd": run_dir,
            "oauth_no_confirm": True,
            "environment": {
                # nbgrader calls `alembic` from the venv
                "PATH": os.pathsep.join([str(bin_dir), os.environ.get("PATH", os.defpath)]),
                "JUPYTER_PATH": os.pathsep.join(jupyter_path),
                "CIRKEL_RUN": run_dir,  # the report app reads this run
                "JUPYTERHUB_DEFAULT_URL": "/lab",
            },
        })
    return services


def leader_roles(course_ids: Iterable[str], *, services: bool = True) -> list[dict[str, Any]]:
    """An RBAC role per run: its leaders see its learners (and reach its service), nothing more.

    Parameters
    ----------
    services : whether each run is a hub service (one machine); on Kubernetes a run is
        the leader's own named server instead.
    """
    return [{
        "name": f"kursledare-{course_id}",
        "description": f"Course leader of {course_id}: its learners{' and its service' if services else ''} only",
        "scopes": ["self", *([f"access:services!service={course_id}"] if services else []),
                   f"list:users!group=deltagare-{course_id}", f"read:users!group=deltagare-{course_id}"],
        "groups": [f"kursledare-{course_id}"],
    } for course_id in sorted(course_ids)]


def landing_url(handler: Any) -> str:
    """Where a person lands (``JupyterHub.default_url``): a leader in their run's JupyterLab.

    A leader of one run goes straight to that run's JupyterLab; a leader of several
    to the hub's home page, which lists their runs. Anyone else: JupyterHub's
    default (their own server: learners get "Mina moduler").
    """
    user = handler.current_user
    if user is None:
        return ""
    account: Account | None = AccountStore(handler.authenticator.accounts_file).get(user.name)
    if account is None or account.role != "kursledare":
        return ""
    if len(account.runs) == 1:
        return url_path_join(handler.base_url, "services", account.runs[0][0], "lab")
    return url_path_join(handler.hub.base_url, "home")
