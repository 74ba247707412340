"""Cirkel on Kubernetes (Zero to JupyterHub): the hub's configuration with KubeSpawner.

On one machine (:mod:`grading.hub.config`) every server runs as one OS user and
each course run is a hub service. On Kubernetes each person gets pods of their
own, and the hub decides what a pod holds from the person's account, never from
a choice the person makes:

- a learner's pod runs as a uid of its own (so nbgrader's exchange, which relies
  on Unix permissions, keeps learners' submissions and feedback apart), starts
  the learner lockdown (``learner_server_config.py``: Voilà only, widget messages
  only) and mounts only the learner's home, the exchange and, read-only and
  outside the home (so never served), the answer keys of the learner's runs
  (``<run>/facit``, for feedback: see ``grading.course_runs.answer_keys``);
- a course leader gets one named server per course run they lead
  (``/user/<leader>/<course id>/``), each mounting that run's folder of the runs
  volume and nothing else, with the gradebook's database URL from a secret.

- each course run's live service (group quiz, talarstatistik, shared plan), its
  grading service (points on submit: :mod:`grading.hub.grading_service`, which
  holds the run's answer keys, so it runs here and never in a learner's pod) and
  the idle culler are the hub's managed services, as with ``make run``
  (:mod:`grading.hub.k8s_services`); the gradebook and the live stores are on
  PostgreSQL, a schema per run (:mod:`grading.hub.k8s_db`).

``deploy/z2jh/values.yaml`` calls :func:`configure_kubernetes` from
``hub.extraConfig``; the hub image has this repository installed
(``deploy/z2jh/Dockerfile.hub``).
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from grading.hub.accounts import Account, AccountStore
from grading.hub.runs import LIVE_DIRNAME, account_groups, leader_roles
from widgets.core.errors import CirkelError
from widgets.core.i18n import t
from widgets.core.setting_env import GRADEBOOK_URL_ENV, LEARNER_ENV, ROLE_ENV, RUN_ENV
from widgets.core.settings import LEARNER_MAX_CHARS, cirkel_settings
from widgets.models.answer_keys import KEYS_DIRNAME, KEYS_ENV

__all__ = [
    "RUNS_ROOT",
    "KEYS_ROOT",
    "EXCHANGE",
    "FIRST_UID",
    "USERS_GID",
    "pod_settings",
    "learner_setting",
    "configure_kubernetes",
    "install_home_app",
]

#: where the course runs volume is mounted in a leader's pod (one folder per course id)
RUNS_ROOT = "/srv/cirkel/runs"
EXCHANGE = "/srv/nbgrader/exchange"
#: where a learner's pod finds the answer keys of each of its runs (``<KEYS_ROOT>/<course id>``):
#: outside the home, which is all the learner's server serves
KEYS_ROOT = "/srv/cirkel/facit"
#: learners' uids are FIRST_UID + the hub's user id: stable, unique, above system users
FIRST_UID = 20000
#: the image's "users" group: owns the homes (fsGroup) and the exchange
USERS_GID = 100
#: the learner lockdown config inside the image (the repository is installed at /opt/cirkel)
LEARNER_CONFIG_IN_IMAGE = "/opt/cirkel/grading/hub/learner_server_config.py"
HOME_URL = "/voila/render/mina-moduler.ipynb"

_log = logging.getLogger(__name__)


class PodRefused(CirkelError):
    """A server the account may not have; the message is Swedish."""


def pod_settings(
    account: Account | None, user_id: int, server_name: str = "", runs: Sequence[tuple[str, str]] | None = None
) -> dict[str, Any]:
    """The KubeSpawner attributes for one person's pod, from their account alone.

    Parameters
    ----------
    account : the person's account (``None``: unknown, treated as a learner).
    user_id : the hub's numeric user id (gives a learner's uid).
    server_name : the named server asked for; for a leader, a course id they lead.
    runs : a learner's runs as (course id, title), those whose rosters hold her
        (:func:`grading.hub.k8s_rosters.rostered_runs`, what the spawn hook passes); ``None``: her
        account's runs, titled from their folders, with no roster asked.
    """
    if account is None or account.role == "deltagare":
        if server_name:
            raise PodRefused(t("hub.k8s.no_named_server"))
        if runs is None:
            runs = [(course, _title(course)) for course, _run_dir in (account.runs if account else ())]
        courses = [course for course, _title_ in runs]
        pod: dict[str, Any] = {
            "default_url": HOME_URL,
            "args": [f"--config={LEARNER_CONFIG_IN_IMAGE}"],
            "uid": FIRST_UID + int(user_id),
            "gid": USERS_GID,
            "fs_gid": USERS_GID,
            "environment": {ROLE_ENV: "deltagare"},
        }
        if courses:
            # the answer keys of the learner's runs only, read-only, for the kernel's feedback
            pod["extra_volume_mounts"] = [
                {
                    "name": "cirkel-runs",
                    "mountPath": f"{KEYS_ROOT}/{course}",
                    "subPath": f"{course}/{KEYS_DIRNAME}",
                    "readOnly": True,
                }
                for course in courses
            ]
            pod["extra_volumes"] = [_runs_volume()]
            pod["environment"][KEYS_ENV] = ":".join(f"{KEYS_ROOT}/{course}" for course in courses)
            # her learner files and each run's released modules, written by her pod at its start
            pod["environment"][LEARNER_ENV] = learner_setting(account.name if account else "", runs)
        return pod
    led = dict(account.runs)
    if server_name and server_name not in led:
        raise PodRefused(t("hub.k8s.not_your_run", run=server_name or "-", runs=", ".join(led) or "-"))
    settings: dict[str, Any] = {
        "default_url": "/lab",
        "environment": {ROLE_ENV: account.role},
        "mem_guarantee": "1G",
        "mem_limit": "2G",
        "cpu_guarantee": 0.25,
        "cpu_limit": 2,
    }
    if server_name:
        folder = f"{RUNS_ROOT}/{server_name}"
        settings["notebook_dir"] = folder
        settings["environment"] |= {RUN_ENV: folder}
        settings["extra_volume_mounts"] = [
            # only this run's folder of the shared runs volume
            {"name": "cirkel-runs", "mountPath": folder, "subPath": server_name},
        ]
        settings["extra_volumes"] = [_runs_volume()]
        settings["gradebook_secret"] = True
    return settings


def learner_setting(student_id: str, runs: Sequence[tuple[str, str]]) -> str:
    """The ``learner`` setting: who she is and each run (course id, title), within its size limit.

    Runs beyond :data:`widgets.core.settings.LEARNER_MAX_CHARS` are left out (and logged): her pod
    then starts with the runs before them rather than refusing a setting too long to read.
    """
    kept: list[dict[str, str]] = []
    for course, title in runs:
        record = {"student_id": student_id, "runs": [*kept, {"course_id": course, "course_title": title}]}
        if len(json.dumps(record, ensure_ascii=False)) > LEARNER_MAX_CHARS:
            _log.warning("%s: %d runs, only %d fit the learner setting", student_id, len(runs), len(kept))
            break
        kept = [*kept, {"course_id": course, "course_title": title}]
    return json.dumps({"student_id": student_id, "runs": kept}, ensure_ascii=False)


def _title(course: str) -> str:
    """The run's title for "Mina moduler", from its folder on the runs volume (the hub pod mounts it)."""
    from grading.course_runs.run import CourseRun, RunError

    try:
        return CourseRun(f"{RUNS_ROOT}/{course}").title
    except (RunError, OSError):
        return course


def _runs_volume() -> dict[str, Any]:
    """The shared course runs volume (a pod mounts only its folders of it)."""
    return {"name": "cirkel-runs", "persistentVolumeClaim": {"claimName": "cirkel-runs"}}


async def _apply(spawner: Any) -> None:
    """KubeSpawner ``pre_spawn_hook``: set the pod from the account and, for a learner, the runs' rosters."""
    from tornado import web

    from grading.hub.k8s_rosters import known_runs, rostered_runs

    accounts = AccountStore(spawner.authenticator.accounts_file)
    account = accounts.get(spawner.user.name)
    runs: list[tuple[str, str]] | None = None if account is not None else []  # an unknown account: no run
    if account is not None and account.role == "deltagare":  # the gradebooks are asked off the hub's event loop
        runs = await asyncio.to_thread(lambda: rostered_runs(account.name, known_runs(accounts, account, RUNS_ROOT)))
    try:
        settings = pod_settings(account, spawner.user.id, spawner.name or "", runs)
    except PodRefused as exc:
        error = web.HTTPError(403, "server refused by the account's role")
        error.jupyterhub_message = str(exc)  # type: ignore[attr-defined]  # read by JupyterHub's error page
        raise error from None
    # KubeSpawner expands {...} in the environment (str.format): the account's values stay literal
    own = {name: value.replace("{", "{{").replace("}", "}}") for name, value in settings.pop("environment").items()}
    environment = dict(spawner.environment) | own
    if settings.pop("gradebook_secret", False):
        environment[GRADEBOOK_URL_ENV] = {"valueFrom": {"secretKeyRef": {"name": "cirkel-gradebook", "key": "url"}}}
    spawner.environment = environment
    spawner.volumes = [*spawner.volumes, *settings.pop("extra_volumes", [])]
    spawner.volume_mounts = [*spawner.volume_mounts, *settings.pop("extra_volume_mounts", [])]
    for name, value in settings.items():
        setattr(spawner, name, value)


def configure_kubernetes(c: Any, accounts_file: str = "/srv/cirkel/hub/konton.sqlite") -> None:
    """Fill z2jh's hub config with everything ``make run``'s hub has, in Kubernetes' shape.

    Cirkel's login and its Swedish pages (the authenticator's handlers, the templates), groups
    and roles per course run, each run's live service, its grading service (``make run``'s own,
    :func:`grading.hub.grading_service.grading_services`) and the idle culler as managed services
    (:mod:`grading.hub.k8s_services`), the landing of each role, and pods decided by the account.
    Reads ``POD_IP`` and the ``live_db`` setting from the hub pod's environment (``values.yaml``).
    """

    from grading.hub.config import TEMPLATES, page_vars
    from grading.hub.cookies import hub_cookies
    from grading.hub.culler import culler_role
    from grading.hub.grading_service import grading_services
    from grading.hub.k8s_services import k8s_culler_service, k8s_live_services, pod_ip
    from grading.hub.pages import person_vars
    from grading.hub.runs import landing_url, led_runs, live_roles, run_leaders
    from grading.servers.csp import apply_hub

    store = AccountStore(accounts_file)
    hub_cookies(c)
    c.JupyterHub.authenticator_class = "grading.hub.auth.CirkelAuthenticator"
    c.CirkelAuthenticator.accounts_file = accounts_file
    c.Authenticator.allow_all = True
    c.Authenticator.admin_users = {a.name for a in store.all() if a.role == "admin"}
    # every run with a leader gets its leaders' role; those whose folder is on the runs volume
    # (mounted in the hub pod too) also a live service, its role and its group of guests
    live_runs = led_runs(store)
    groups = account_groups(store, live_runs)
    led = [group.removeprefix("kursledare-") for group in groups if group.startswith("kursledare-")]
    c.JupyterHub.load_groups = groups
    # z2jh may have given its own services their roles: they are kept, Cirkel's added
    earlier = list(c.JupyterHub.load_roles) if "load_roles" in c.JupyterHub else []
    own = [*leader_roles(led, services=False), *live_roles(live_runs), culler_role()]
    c.JupyterHub.load_roles = [*earlier, *own]
    services = list(c.JupyterHub.services) if "services" in c.JupyterHub else []
    live = k8s_live_services(live_runs, run_leaders(store), ip=pod_ip(), live_db=cirkel_settings().live_db)
    # points on submit: make run's grading service of each run, unchanged (it serves nothing, so
    # it has no address; it reads the run's folder and exchange where this pod mounts them)
    c.JupyterHub.services = [*services, *live, *grading_services(live_runs), k8s_culler_service()]
    # a course leader's runs are their named servers; learners have one server (the hook refuses more)
    c.JupyterHub.allow_named_servers = True
    c.KubeSpawner.pre_spawn_hook = _apply
    c.KubeSpawner.profile_list = []  # nobody chooses a profile: the account decides
    c.JupyterHub.template_paths = [str(TEMPLATES)]
    # a leader's start page links each run's named server and its live service
    person = person_vars(accounts_file, run_path="user/{name}/{run}/", live_path=f"services/{{run}}-{LIVE_DIRNAME}/")
    c.JupyterHub.template_vars = {"cirkel": page_vars(), "cirkel_person": person}
    # leaders on their start page, guests back to the code page, learners to "Mina moduler"
    c.JupyterHub.default_url = landing_url
    apply_hub(c)  # Cirkel's Content-Security-Policy on the hub's own pages


def install_home_app(home: str | Path) -> Path:
    """Put "Mina moduler" in a learner's home, where their pod's landing page opens it.

    On one machine ``cirkel`` copies it into each learner's workspace; on Kubernetes the
    home is the learner's own volume, which only their pod mounts, so the pod's server
    copies it at start (``deploy/z2jh/jupyter_server_config.py``), keeping a newer image's copy.
    """
    import shutil

    from grading.servers.serve import HOME_NOTEBOOK

    target = Path(home) / HOME_NOTEBOOK.name
    if not target.is_file() or target.read_bytes() != HOME_NOTEBOOK.read_bytes():
        shutil.copyfile(HOME_NOTEBOOK, target)
    return target
