"""The running hub's REST API as the ``cirkel`` command uses it: a token of Cirkel's own, a narrow role.

``cirkel person erase`` must stop a person's server and delete their hub user while
the hub runs. Deleting JupyterHub's rows from under a running hub leaves the hub's
memory and its database apart: the person's server and kernels keep running, their
session is still served, and stopping the hub then fails ("Failed to stop user ...
0 were matched"). So the command asks the hub itself, as JupyterHub's own tools
do: a service without a process (``c.JupyterHub.services``) holds an API token the
hub loads at start, and a role gives that service only the scopes an erasure needs.
The token is made once and kept in the hub's folder, readable by its owner only
(beside the cookie secret, which can do more); the API's address is written there at
each start, since the hub's port is chosen when it starts.
"""

from __future__ import annotations

import json
import os
import secrets
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

from widgets.core.errors import CirkelError
from widgets.core.i18n import t

__all__ = [
    "SERVICE_NAME",
    "SCOPES",
    "TOKEN_FILE",
    "API_URL_FILE",
    "STOP_WAIT",
    "HubAPIError",
    "HubClient",
    "configure",
    "ensure_token",
    "hub_pid",
    "client",
]

#: the service (without a process) whose token the ``cirkel`` command uses
SERVICE_NAME = "cirkel-kommandot"
#: what an erasure needs: see the person's server, stop it, delete the user; nothing else
SCOPES = ("list:users", "read:users", "read:servers", "delete:servers", "delete:users")
TOKEN_FILE = "cirkel-api-token"
API_URL_FILE = "cirkel-hub-api-url"
#: seconds one request to the hub may take (the hub answers at once; a stop is waited for below)
REQUEST_TIMEOUT = 30.0
#: seconds a server has to stop: the spawner's 4 + 2 + 2 s (``grading.hub.config``) and a margin
STOP_WAIT = 30.0
#: seconds to wait for a hub whose process runs but whose API does not answer yet (it is starting)
START_WAIT = 60.0


class HubAPIError(CirkelError, RuntimeError):
    """The hub runs but did not do what was asked: ``kind`` is ``unreachable``, ``refused`` or ``failed``."""

    def __init__(self, kind: str, detail: str) -> None:
        super().__init__(t("hub.api_error", detail=detail))
        self.kind = kind
        self.detail = detail


def _token_path(folder: Path) -> Path:
    return Path(folder) / TOKEN_FILE


def ensure_token(folder: str | os.PathLike[str]) -> str:
    """The command's API token, made on first use (owner-only file in the hub folder)."""
    path = _token_path(Path(folder))
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        pass
    else:
        try:
            os.write(fd, secrets.token_hex(32).encode("ascii"))
            os.fsync(fd)
        finally:
            os.close(fd)
    return path.read_text(encoding="ascii").strip()


def configure(c: Any, folder: str | os.PathLike[str], hub_port: int, hub_ip: str = "127.0.0.1") -> None:
    """Give the hub the command's service and role, and write where its API answers."""
    data = Path(folder)
    token = ensure_token(data)
    c.JupyterHub.services = [*c.JupyterHub.services, {"name": SERVICE_NAME, "api_token": token}]
    role = {
        "name": SERVICE_NAME,
        "description": "The cirkel command: stop a person's server and delete their user (cirkel person erase)",
        "scopes": list(SCOPES),
        "services": [SERVICE_NAME],
    }
    c.JupyterHub.load_roles = [*c.JupyterHub.load_roles, role]
    url_file = data / API_URL_FILE
    tmp = url_file.with_name(f".{url_file.name}.tmp")
    tmp.write_text(f"http://{hub_ip}:{hub_port}/hub/api\n", encoding="utf-8")
    os.replace(tmp, url_file)


def hub_pid(folder: str | os.PathLike[str]) -> int | None:
    """The pid of the hub running on ``folder`` (its pid file names a live hub process), else ``None``."""
    import psutil

    data = Path(folder).resolve()
    try:
        pid = int((data / "jupyterhub.pid").read_text(encoding="ascii").strip())
        process = psutil.Process(pid)
        command = " ".join(process.cmdline())
        here = process.cwd() == str(data) or str(data) in command
    except (OSError, ValueError, psutil.Error):
        return None
    # a pid file left by a killed hub may name a process that now is something else
    return pid if here and ("jupyterhub" in command or "grading.hub.app" in command) else None


@dataclass
class HubClient:
    """Requests to the hub's REST API with the command's token."""

    url: str
    token: str

    def _call(self, method: str, path: str) -> tuple[int, Any]:
        request = urllib.request.Request(
            self.url.rstrip("/") + path, method=method, headers={"Authorization": f"token {self.token}"}
        )
        try:
            with urllib.request.urlopen(request, timeout=REQUEST_TIMEOUT) as response:
                status, body = response.status, response.read()
        except urllib.error.HTTPError as exc:
            status, body = exc.code, exc.read()
        except (urllib.error.URLError, ConnectionError, TimeoutError) as exc:
            raise HubAPIError("unreachable", str(getattr(exc, "reason", exc))) from None
        if status in (401, 403):
            raise HubAPIError("refused", f"{method} {path}: {status}")
        try:
            return status, json.loads(body) if body else None
        except ValueError:
            return status, None

    def answers(self) -> bool:
        """Whether the hub's API answers and takes the token."""
        try:
            return self._call("GET", "/users?limit=1")[0] == 200
        except HubAPIError as exc:
            if exc.kind == "refused":
                raise
            return False

    def user(self, name: str) -> dict[str, Any] | None:
        """The hub's model of user ``name``, or ``None`` when the hub has no such user."""
        status, body = self._call("GET", f"/users/{quote(name, safe='')}")
        if status == 404:
            return None
        if status != 200 or not isinstance(body, dict):
            raise HubAPIError("failed", f"GET user: {status}")
        return body

    def stop_server(self, name: str, wait: float = STOP_WAIT) -> bool:
        """Stop the user's server and wait until the hub says it has stopped; whether one ran."""
        model = self.user(name)
        if model is None or not (model.get("server") or model.get("pending")):
            return False
        status, _ = self._call("DELETE", f"/users/{quote(name, safe='')}/server")
        if status not in (202, 204):
            raise HubAPIError("failed", f"DELETE server: {status}")
        deadline = time.monotonic() + wait
        while True:
            model = self.user(name)
            if model is None or not (model.get("server") or model.get("pending")):
                return True
            if time.monotonic() > deadline:
                raise HubAPIError("failed", f"the server of {name} did not stop within {wait:.0f} s")
            time.sleep(0.3)

    def delete_user(self, name: str) -> bool:
        """Delete the user from the hub (its tokens, spawners, group and role links go with it)."""
        status, _ = self._call("DELETE", f"/users/{quote(name, safe='')}")
        if status == 404:
            return False
        if status != 204:
            raise HubAPIError("failed", f"DELETE user: {status}")
        return True


def client(folder: str | os.PathLike[str], start_wait: float = START_WAIT) -> HubClient | None:
    """A client of the hub running on ``folder``, or ``None`` when no hub runs there.

    A hub whose process runs but whose API does not answer (it is starting) is waited
    for, up to ``start_wait`` seconds; after that, or if the hub refuses the token,
    :class:`HubAPIError` is raised, so nothing is changed under a running hub.
    """
    data = Path(folder)
    try:
        url = (data / API_URL_FILE).read_text(encoding="utf-8").strip()
    except OSError:
        url = ""
    pid = hub_pid(data)
    if not url:
        if pid is not None:  # a hub of a Cirkel before this file: it cannot be asked
            raise HubAPIError("unreachable", f"the hub (process {pid}) has not written {API_URL_FILE}")
        return None
    hub = HubClient(url, ensure_token(data))
    if pid is None:  # no hub process here; the address may now be another program's
        try:
            return hub if hub.answers() else None
        except HubAPIError:
            return None
    deadline = time.monotonic() + start_wait
    while True:
        if hub.answers():
            return hub
        if time.monotonic() > deadline:
            raise HubAPIError("unreachable", f"{url} (process {pid})")
        time.sleep(1.0)
        if hub_pid(data) is None:  # it ended meanwhile: nothing runs to ask
            return None
