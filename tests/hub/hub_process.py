"""Start the real JupyterHub for a test module, the way deploy/jupyterhub_config.py configures it,
and act as its people do over HTTP (:class:`Hub`)."""

from __future__ import annotations

import contextlib
import html
import json
import os
import re
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path

import requests
from requests.adapters import HTTPAdapter

from grading.hub.demo import wait_for_hub, why_not_up
from grading.hub.password import PAGE as PASSWORD_PAGE
from grading.system.ports import free_port

BIN = Path(sys.executable).parent


@contextlib.contextmanager
def running_hub(folder: Path, extra_config: str = "", db_url: str | None = None) -> Iterator[str]:
    """JupyterHub on free loopback ports with its data in ``folder``; yields its URL.

    ``extra_config`` is appended to the config file (lines using ``c``), e.g.
    ``"c.Throttle.window = 30"``; ``db_url`` is the hub's own database (by default its SQLite
    file in ``folder``), given to ``configure`` as ``deploy/jupyterhub_config.py`` gives
    ``$CIRKEL_HUB_DB``. On the way out the hub gets SIGTERM (it stops
    its proxy and the servers it spawned), and its whole process group SIGKILL
    if it has not gone in 30 s.
    """
    port = free_port()
    config = folder / "jupyterhub_config.py"
    config.write_text(
        textwrap.dedent(f"""
        from grading.hub.config import configure
        c = get_config()
        configure(c, {str(folder)!r}, port={port},
                  hub_port={free_port()}, proxy_api_port={free_port()}, db_url={db_url!r})
    """)
        + textwrap.dedent(extra_config),
        encoding="utf-8",
    )
    env = {**os.environ, "PATH": os.pathsep.join([str(BIN), os.environ.get("PATH", "")])}
    log = (folder / "hub.log").open("wb")
    proc = subprocess.Popen(
        [sys.executable, "-m", "grading.hub.app", "-f", str(config)],
        cwd=folder,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        # ready when the hub answers: after its proxy and every managed service answered it
        if not wait_for_hub(url, proc):
            raise AssertionError(
                "the hub did not start:\n"
                + "\n".join(why_not_up(folder / "hub.log"))
                + "\n"
                + (folder / "hub.log").read_text()[-3000:]
            )
        yield url
    finally:
        with contextlib.suppress(ProcessLookupError):  # a hub that did not start may be gone already
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        log.close()
        # a managed service still stopping when the hub was killed runs in a session of its own, and
        # so does the proxy of a hub that ended before it could stop it
        for pid in processes_in(folder):
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)


def in_kernel(connection_file: Path, code: str) -> str:
    """What ``code`` prints in the running kernel of ``connection_file``, run over its own channels
    (as the machine's operator could: a learner cannot)."""
    from jupyter_client import BlockingKernelClient

    client = BlockingKernelClient(connection_file=str(connection_file))
    client.load_connection_file()
    client.start_channels()
    try:
        found: list[str] = []

        def output(msg: dict) -> None:
            if msg["msg_type"] == "stream":
                found.append(msg["content"]["text"])

        reply = client.execute_interactive(code, timeout=120, output_hook=output)
        assert reply["content"]["status"] == "ok", reply["content"]
        return "".join(found)
    finally:
        client.stop_channels()


def kernel_setting(connection_file: Path, name: str) -> str | None:
    """``os.environ[name]`` in the running kernel of ``connection_file``, asked over its own channels."""
    return json.loads(in_kernel(connection_file, f"import json, os; print(json.dumps(os.environ.get({name!r})))"))


def processes_in(folder: Path) -> list[int]:
    """Processes working in ``folder`` (the hub, its proxy, the run's service, learners' servers)."""
    found = []
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit():
            try:
                cwd = os.readlink(proc / "cwd")
            except OSError:
                continue
            if cwd == str(folder) or cwd.startswith(f"{folder}{os.sep}"):
                found.append(int(proc.name))
    return found


class _FromAddress(HTTPAdapter):
    """Connections from one loopback address (127.0.0.0/8 is all this machine's), as from another computer."""

    def __init__(self, address: str) -> None:
        self.address = address
        super().__init__()

    def init_poolmanager(self, *args, **kwargs) -> None:
        kwargs["source_address"] = (self.address, 0)
        super().init_poolmanager(*args, **kwargs)


def session_from(address: str | None = None) -> requests.Session:
    """A browser-like session whose connections come from ``address`` (e.g. ``127.0.0.7``)."""
    session = requests.Session()
    if address:
        session.mount("http://", _FromAddress(address))
    return session


class Hub:
    """A running hub and the current passwords of its people (one-time until they choose)."""

    def __init__(self, url: str, passwords: dict[str, str], folder: Path) -> None:
        self.url = url
        self.passwords = passwords
        self.folder = folder

    def login(
        self,
        name: str,
        password: str | None = None,
        address: str | None = None,
        session: requests.Session | None = None,
    ) -> tuple[requests.Session, requests.Response]:
        """Log in through the real login form (with its ``_xsrf`` field), from ``address`` if given.

        ``session``, when given, is used instead of a new one (e.g. one whose hooks see every response).
        """
        session = session or session_from(address)
        page = session.get(f"{self.url}/hub/login")
        page.raise_for_status()
        xsrf = re.search(r'name="_xsrf" value="([^"]+)"', page.text)
        assert xsrf, "the login form carries no _xsrf field"
        response = session.post(
            f"{self.url}/hub/login?next=",
            allow_redirects=False,
            data={
                "username": name,
                "password": self.passwords.get(name, "") if password is None else password,
                "_xsrf": html.unescape(xsrf.group(1)),
            },
        )
        return session, response

    def choose_password(
        self, session: requests.Session, password: str, repeated: str | None = None
    ) -> requests.Response:
        """Fill in the new-password page the first login leads to."""
        page = session.get(f"{self.url}/hub/{PASSWORD_PAGE}")
        assert page.status_code == 200, page.text[:300]
        xsrf = re.search(r'name="_xsrf" value="([^"]+)"', page.text)
        assert xsrf, "the new-password form carries no _xsrf field"
        action = re.search(r'<form action="([^"]+)"', page.text)
        assert action and action.group(1).startswith(f"/hub/{PASSWORD_PAGE}?"), "the form posts elsewhere"
        return session.post(
            self.url + html.unescape(action.group(1)),
            allow_redirects=False,
            data={
                "password": password,
                "repeated": password if repeated is None else repeated,
                "_xsrf": html.unescape(xsrf.group(1)),
            },
        )

    def logged_in(self, name: str) -> requests.Session:
        """A session of ``name``, who has chosen their own password if they had not yet."""
        session, response = self.login(name)
        assert response.status_code == 302, response.text[:500]
        if PASSWORD_PAGE in response.headers["Location"]:
            own = f"{name}-eget-losenord"
            assert self.choose_password(session, own).status_code == 302
            self.passwords[name] = own
        return session

    def server(self, name: str) -> requests.Session:
        """A logged-in session whose single-user server runs and which holds its cookies."""
        session = self.logged_in(name)
        session.get(f"{self.url}/hub/spawn/{name}", allow_redirects=False)  # what the login redirect does
        deadline = time.monotonic() + 90  # a readiness wait, not an assertion on time
        while time.monotonic() < deadline:
            page = session.get(f"{self.url}/user/{name}/")  # follows the OAuth dance to the server
            if page.status_code == 200 and f"/user/{name}/" in page.url:
                return session
            time.sleep(0.5)
        raise AssertionError(f"{name}'s server did not start: {page.status_code} {page.url}")

    def service(self, session: requests.Session, course: str, path: str = "api/contents") -> requests.Response:
        """``path`` of a course run's service, following the hub's OAuth dance like a browser."""
        return session.get(f"{self.url}/services/{course}/{path}")
