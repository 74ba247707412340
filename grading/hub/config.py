"""The one JupyterHub configuration: ``deploy/jupyterhub_config.py``, the tests and
(later) ``make run`` and Kubernetes all fill their config object with :func:`configure`.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

from widgets.i18n import t

from .accounts import AccountStore

__all__ = ["configure", "hub_dir", "accounts_file", "REPO"]

REPO = Path(__file__).resolve().parents[2]
_TEMPLATES = Path(__file__).with_name("templates")


def hub_dir(path: str | os.PathLike[str] | None = None) -> Path:
    """The hub's data folder: ``path``, else ``$CIRKEL_HUB_DIR``, else ``<repo>/.cirkel/hub``."""
    return Path(path or os.environ.get("CIRKEL_HUB_DIR") or REPO / ".cirkel" / "hub").resolve()


def accounts_file(folder: str | os.PathLike[str] | None = None) -> Path:
    """The accounts SQLite file inside the hub folder."""
    return hub_dir(folder) / "konton.sqlite"


def configure(c: Any, folder: str | os.PathLike[str] | None = None, *, ip: str = "127.0.0.1",
              port: int = 8000, hub_port: int = 8081, proxy_api_port: int = 8001) -> None:
    """Fill JupyterHub's config object ``c``.

    Parameters
    ----------
    folder : the hub's data folder (SQLite hub database, cookie secret, accounts, homes).
    ip, port : where people reach the hub (through the proxy).
    hub_port, proxy_api_port : internal ports of the hub API and the proxy's API, on 127.0.0.1.
    """
    data = hub_dir(folder)
    (data / "hem").mkdir(parents=True, exist_ok=True)
    accounts = accounts_file(data)
    AccountStore(accounts)  # creates the file and its table
    bin_dir = Path(sys.executable).parent

    c.JupyterHub.ip = ip
    c.JupyterHub.port = port
    c.JupyterHub.hub_ip = "127.0.0.1"
    c.JupyterHub.hub_port = hub_port
    c.JupyterHub.db_url = f"sqlite:///{data / 'jupyterhub.sqlite'}"
    c.JupyterHub.cookie_secret_file = str(data / "jupyterhub_cookie_secret")
    c.JupyterHub.pid_file = str(data / "jupyterhub.pid")

    # the Python configurable-http-proxy (PyPI), started and stopped by the hub
    c.ConfigurableHTTPProxy.command = [str(bin_dir / "configurable-http-proxy")]
    c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{proxy_api_port}"
    c.ConfigurableHTTPProxy.pid_file = str(data / "proxy.pid")

    c.JupyterHub.authenticator_class = "grading.hub.auth.CirkelAuthenticator"
    c.CirkelAuthenticator.accounts_file = str(accounts)
    # only accounts created by `cirkel` exist, so every one of them may log in
    c.Authenticator.allow_all = True
    c.Authenticator.admin_users = {a.name for a in AccountStore(accounts).all() if a.role == "admin"}

    c.JupyterHub.spawner_class = "grading.hub.spawner.CirkelSpawner"
    c.CirkelSpawner.accounts_file = str(accounts)
    c.CirkelSpawner.home_dir_template = str(data / "hem" / "{username}")
    c.Spawner.cmd = [str(bin_dir / "jupyterhub-singleuser")]
    c.Spawner.http_timeout = 60
    c.Spawner.start_timeout = 60
    # --allow-root (when the hub runs as root) is added by CirkelSpawner.get_args

    _groups_and_roles(c, AccountStore(accounts))

    c.JupyterHub.template_paths = [str(_TEMPLATES)]
    c.JupyterHub.template_vars = {
        "cirkel": {key: t(f"hub.page.{key}") for key in
                   ("title", "sign_in", "username", "password", "submit", "help")},
    }


def _groups_and_roles(c: Any, store: AccountStore) -> None:
    """A group per role and course run, and RBAC roles for the course leaders' groups.

    Groups are read from the accounts at start; accounts added while the hub runs
    get their role from the accounts file (the spawner reads it) and their group
    at the next start.
    """
    groups: dict[str, dict[str, list[str]]] = {}
    for account in store.all():
        if account.group:
            groups.setdefault(account.group, {"users": []})["users"].append(account.name)
    c.JupyterHub.load_groups = groups
    roles = []
    for group in sorted(groups):
        if group.startswith("kursledare-"):
            course = group.removeprefix("kursledare-")
            roles.append({
                "name": f"kursledare-{course}",
                "description": f"Course leader of {course}: sees the learners of that run only",
                "scopes": ["self", f"list:users!group=deltagare-{course}",
                           f"read:users!group=deltagare-{course}"],
                "groups": [group],
            })
    c.JupyterHub.load_roles = roles
