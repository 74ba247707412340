"""``cirkel person erase`` while the hub runs and the person is logged in with a module open.

Erasing must end what runs for them before their files go (an open module would
write its answers back), tell the running hub rather than delete its rows under
it, leave no file in the hub's folder naming them (logs included), and leave the
hub able to stop cleanly. The other learner, logged in too, keeps working: the
refusals below are for the erased person only.
"""

from __future__ import annotations

import asyncio
import os
import re
import signal
import time
from pathlib import Path

import psutil
import pytest
import requests
from tornado.httpclient import HTTPClientError, HTTPRequest
from tornado.websocket import websocket_connect

from grading.hub.admin_api import hub_pid
from grading.hub.runs import LIVE_AUTH_CACHE_SECONDS, live_service_name
from widgets.core.i18n import t

from hub_process import Hub, running_hub
from personal_data_checks import _traces_under

pytestmark = pytest.mark.hub

COURSE = "mini-ht26"
MODULE = "01-prov"
#: an id and a name found nowhere else, so a search for them finds only the person's traces
ERASED = ("zelda9", "Zelda Qvarnbergström")
KEPT = ("bo", "Bo Berg")
#: seconds the hub has to end after SIGTERM (issue 17: none left after 10 s)
STOP_LIMIT = 10.0


def _password(output: str, name: str) -> str:
    line = next(x for x in output.splitlines() if x.startswith(f"Kontot {name} "))
    return line.rsplit(": ", 1)[1].strip()


def _processes_of(home: Path, name: str) -> list[str]:
    """Processes working in the person's home, started with it as HOME, or whose command line names them."""
    found = []
    for process in psutil.process_iter():
        try:
            cwd, command, env = process.cwd(), " ".join(process.cmdline()), process.environ()
        except psutil.Error:
            continue
        if process.status() == psutil.STATUS_ZOMBIE:
            continue
        if cwd.startswith(str(home)) or name in command or env.get("HOME", "").startswith(str(home)):
            found.append(f"{process.pid} {cwd} {command[:120]}")
    return found


def _in(process: psutil.Process, folder: Path) -> bool:
    try:
        return process.status() != psutil.STATUS_ZOMBIE and process.cwd().startswith(str(folder))
    except psutil.Error:
        return False


def _kernel_socket(hub: Hub, session: requests.Session, name: str, page: requests.Response) -> str:
    kernel = re.search(r'"kernelId":\s*"([0-9a-f-]{36})"', page.text)
    assert kernel, "no kernel id in the module's page"
    port = hub.url.rsplit(":", 1)[1]
    return f"ws://127.0.0.1:{port}/user/{name}/api/kernels/{kernel.group(1)}/channels"


def _socket_opens(url: str, session: requests.Session) -> bool:
    """Whether the kernel's websocket opens for this session's cookies (what the open module writes through)."""
    cookies = "; ".join(f"{c.name}={c.value}" for c in session.cookies)

    async def attempt() -> bool:
        try:
            ws = await asyncio.wait_for(websocket_connect(HTTPRequest(url, headers={"Cookie": cookies})), 30)
        except (TimeoutError, HTTPClientError, OSError):
            return False
        ws.close()
        return True

    return asyncio.run(attempt())


def _reaches(session: requests.Session, url: str) -> bool:
    """Whether the session gets the page itself (not the hub's login page it would be sent to)."""
    response = session.get(url)
    return response.status_code == 200 and "/hub/login" not in response.url


def test_erasing_a_logged_in_learner_stops_them_and_leaves_nothing(
    cirkel, mini_course: Path, tmp_path: Path, monkeypatch
) -> None:
    folder = tmp_path / "hub"
    monkeypatch.setenv("CIRKEL_HUB_DIR", str(folder))
    run_dir = folder / "omgang"  # as `make run` lays it out: the run inside the hub's folder
    cirkel("run", "create", mini_course, "--dir", run_dir, "--id", COURSE, "--hub", check=True)
    leader = cirkel("hub", "adduser", "kim", "--role", "kursledare", "--run", run_dir, check=True)
    roster = tmp_path / "deltagare.csv"
    roster.write_text(f"id,namn\n{ERASED[0]},{ERASED[1]}\n{KEPT[0]},{KEPT[1]}\n", encoding="utf-8")
    learners = cirkel("learners", "import", run_dir, roster, "--accounts", check=True)
    cirkel("release", run_dir, check=True)
    cirkel("fetch", run_dir, check=True)
    app = f"voila/render/{COURSE}/{MODULE}/{MODULE}.ipynb"
    name, other = ERASED[0], KEPT[0]
    home = (folder / "hem" / name).resolve()

    with running_hub(folder) as url:
        passwords = {person: _password(learners.stdout, person) for person in (name, other)}
        hub = Hub(url, {"kim": _password(leader.stdout, "kim"), **passwords}, folder)
        session, kept = hub.server(name), hub.server(other)
        page = session.get(f"{url}/user/{name}/{app}")
        assert page.status_code == 200 and "Traceback" not in page.text
        socket = _kernel_socket(hub, session, name, page)
        service = f"{url}/services/{live_service_name(COURSE)}"
        live = f"{service}/api/contents"
        for each in (session, kept):
            each.get(f"{service}/")  # the OAuth dance that gives the session the live service's cookie
        # before: the probes below do see the person and what runs for them
        assert _reaches(session, live) and _reaches(kept, live)
        assert _socket_opens(socket, session)
        running = _processes_of(home, name)
        assert len(running) >= 2, running  # their server and the module's kernel (and "Mina moduler"'s)
        assert _traces_under(folder, *ERASED), "the search below could not find them"

        erased = cirkel("person", "erase", run_dir, name, "--yes")
        assert erased.returncode == 0, erased.stderr
        lines = erased.stdout.splitlines()
        assert lines[0] == t("person.cli.erased", id=name)
        for place in ("processes", "hub", "gradebook", "workspace", "logs"):
            assert t("person.cli.erased_line", place=t(f"person.place.{place}")) in lines, (place, lines)
        assert "Traceback" not in erased.stdout + erased.stderr

        # nothing of theirs runs: their server and every kernel are gone
        assert _processes_of(home, name) == []
        # their session reaches nothing: not their server, not the module's kernel, not the hub, not the live apps
        assert not _reaches(session, f"{url}/user/{name}/{app}")
        assert not _socket_opens(socket, session)
        assert session.get(f"{url}/hub/api/user").status_code == 403
        # the live service keeps the hub's word on a token for LIVE_AUTH_CACHE_SECONDS: a second later, refused
        time.sleep(LIVE_AUTH_CACHE_SECONDS + 0.5)
        assert not _reaches(session, live)
        # the other learner goes on working
        assert _reaches(kept, f"{url}/user/{other}/{app}") and _reaches(kept, live)
        # no file in the hub's folder (logs, databases, homes, the run inside it) names them
        assert _traces_under(folder, *ERASED) == []
        assert other in (folder / "hub.log").read_text(encoding="utf-8")  # the log itself is kept

        # and the hub stops cleanly, at once, with everything it started
        pid = hub_pid(folder)
        assert pid is not None
        started = time.monotonic()
        process = psutil.Process(pid)
        os.kill(pid, signal.SIGTERM)
        try:
            process.wait(timeout=STOP_LIMIT)
        except psutil.TimeoutExpired:
            pytest.fail(f"the hub was still running {STOP_LIMIT:.0f} s after SIGTERM")
        took = time.monotonic() - started
        print(f"the hub stopped {took:.1f} s after SIGTERM")
        left = [p.pid for p in psutil.process_iter() if _in(p, folder)]
        assert left == [], "a process of the hub outlived it"
    log = (folder / "hub.log").read_text(encoding="utf-8")
    assert "Failed to stop user" not in log and "were matched" not in log
