"""The real JupyterHub on 127.0.0.1: what a learner's page and its kernel may do behind the hub.

No code through Voilà's kernel websocket, an app knowing which leader opened it, the idle
culler beside the hub, a page's kernel shut when the page says goodbye and a websocket message
above the limit refused (the hub of ``boundary_hub.py``, shared with ``test_hub.py``).
"""

from __future__ import annotations

import asyncio
import json
import re
import uuid
from pathlib import Path

import nbformat
import pytest
import requests
from tornado.httpclient import HTTPRequest
from tornado.websocket import websocket_connect

from boundary_hub import COURSE, xsrf
from hub_process import Hub

pytestmark = pytest.mark.hub


@pytest.fixture(scope="module")
def hub(boundary_hub: Hub) -> Hub:
    """The hub of ``boundary_hub.py``, shared with ``test_hub.py``."""
    return boundary_hub


@pytest.fixture(scope="module")
def anna(hub: Hub) -> requests.Session:
    return hub.server("anna")


@pytest.fixture(scope="module")
def kim(hub: Hub) -> requests.Session:
    return hub.server("kim")


# -- no code through Voilà's kernel websocket ------------------------------------------
def _message(msg_type: str, content: dict) -> str:
    header = {
        "msg_id": uuid.uuid4().hex,
        "msg_type": msg_type,
        "session": uuid.uuid4().hex,
        "username": "test",
        "version": "5.3",
        "date": "2026-01-01T00:00:00Z",
    }
    return json.dumps({"header": header, "parent_header": {}, "metadata": {}, "content": content, "channel": "shell"})


async def _try_to_execute(url: str, cookies: str, code: str) -> list[str]:
    """Send ``code`` as an execute_request, then a kernel_info_request; the reply types seen."""
    ws = await websocket_connect(HTTPRequest(url, headers={"Cookie": cookies}))
    try:
        await ws.write_message(
            _message(
                "execute_request",
                {
                    "code": code,
                    "silent": False,
                    "store_history": False,
                    "user_expressions": {},
                    "allow_stdin": False,
                    "stop_on_error": True,
                },
            )
        )
        # the shell channel is handled in order: once kernel_info is answered, any execute is done
        await ws.write_message(_message("kernel_info_request", {}))
        seen: list[str] = []
        while "kernel_info_reply" not in seen:
            raw = await asyncio.wait_for(ws.read_message(), 60)
            assert raw is not None, "the kernel websocket closed"
            seen.append(json.loads(raw)["header"]["msg_type"])
        return seen
    finally:
        ws.close()


def _cookie_header(session: requests.Session) -> str:
    return "; ".join(f"{c.name}={c.value}" for c in session.cookies)


def test_learner_cannot_execute_code_through_the_voila_kernel(hub: Hub, anna, kim) -> None:
    home = hub.folder / "hem" / "anna"
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("svar = 42")])
    nbformat.write(nb, home / "modul.ipynb")
    page = anna.get(f"{hub.url}/user/anna/voila/render/modul.ipynb")
    assert page.status_code == 200
    kernel_id = re.search(r'"kernelId":\s*"([0-9a-f-]{36})"', page.text)
    assert kernel_id, "no kernel id in Voilà's page"
    witness = hub.folder / "intrang.txt"
    code = f"open({str(witness)!r}, 'w').write('kod')"
    ws_url = f"ws://127.0.0.1:{hub.url.rsplit(':', 1)[1]}/user/anna/api/kernels/{kernel_id.group(1)}/channels"
    seen = asyncio.run(_try_to_execute(ws_url, _cookie_header(anna), code))
    assert "execute_reply" not in seen and not witness.exists()

    # the same request from a course leader's JupyterLab does run: the probe is real
    started = kim.post(f"{hub.url}/user/kim/api/kernels", json={"name": "python3"}, headers=xsrf(kim, "kim"))
    kernel = started.json()["id"]
    ws_url = f"ws://127.0.0.1:{hub.url.rsplit(':', 1)[1]}/user/kim/api/kernels/{kernel}/channels"
    try:
        seen = asyncio.run(_try_to_execute(ws_url, _cookie_header(kim), code))
        assert "execute_reply" in seen and witness.read_text() == "kod"
    finally:
        kim.delete(f"{hub.url}/user/kim/api/kernels/{kernel}", headers=xsrf(kim, "kim"))


def test_an_app_in_a_run_knows_which_leader_opened_it(hub: Hub, kim) -> None:
    run_dir = hub.folder / f"omgang-{COURSE}"
    nb = nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_code_cell("import os\nprint('tittar:', os.environ.get('CIRKEL_VIEWER'))")]
    )
    nbformat.write(nb, run_dir / "vem.ipynb")
    page = hub.service(kim, COURSE, "voila/render/vem.ipynb")
    assert page.status_code == 200
    shown = page.content.decode("utf-8")
    assert "tittar: kim" in shown and "CIRKEL_VIEWER'] =" not in shown  # the hidden cell stays hidden


# -- servers nobody uses are stopped ------------------------------------------------------
def test_the_idle_culler_runs_beside_the_hub_and_may_read_who_has_servers(hub: Hub) -> None:
    import time

    from grading.hub.culler import CULLER_NAME

    from hub_process import processes_in

    log_path = hub.folder / "hub.log"
    culler = [
        pid
        for pid in processes_in(hub.folder)
        if b"jupyterhub_idle_culler" in Path(f"/proc/{pid}/cmdline").read_bytes()
    ]
    assert culler, "no jupyterhub_idle_culler process beside the hub"
    # its first round asks the hub who has servers, as soon as it starts: allowed by its role
    deadline = time.monotonic() + 90  # a readiness wait, not an assertion on time
    asked: list[str] = []
    while not any("/hub/api/users" in line for line in asked) and time.monotonic() < deadline:
        time.sleep(1)
        asked = [line for line in log_path.read_text(encoding="utf-8").splitlines() if f"({CULLER_NAME}@" in line]
    assert any(" 200 GET /hub/api/users" in line for line in asked), asked
    assert all(" 200 GET /hub/api" in line for line in asked), asked  # never a 403: its role has the scopes


# -- a page's kernel, behind the hub ------------------------------------------------------------
def _page_kernel(hub: Hub, session: requests.Session, name: str, notebook: str) -> str:
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("svar = 42")])
    nbformat.write(nb, hub.folder / "hem" / name / notebook)
    page = session.get(f"{hub.url}/user/{name}/voila/render/{notebook}")
    assert page.status_code == 200
    found = re.search(r'"kernelId":\s*"([0-9a-f-]{36})"', page.text)
    assert found, "no kernel id in Voilà's page"
    return found.group(1)


def test_a_pages_kernel_is_shut_when_the_page_says_goodbye_behind_the_hub(hub: Hub, anna) -> None:
    kernel = _page_kernel(hub, anna, "anna", "farval.ipynb")
    model = f"{hub.url}/user/anna/api/kernels/{kernel}"
    assert anna.get(model).status_code == 200
    # what Voilà's page sends on ``beforeunload``: navigator.sendBeacon with the _xsrf cookie as a form field
    token = anna.cookies.get("_xsrf", path="/user/anna/")
    goodbye = anna.post(f"{hub.url}/user/anna/voila/api/shutdown/{kernel}", files={"_xsrf": (None, token)})
    assert goodbye.status_code == 204, goodbye.text[:300]
    assert anna.get(model).status_code == 404  # the kernel is gone, not left for the culler


async def _send_too_much(url: str, cookies: str, size: int) -> tuple[bool, bool]:
    """Send a ``size``-byte ``comm_info_request``, then (on a new connection) a small request.

    Whether the large one was answered (within 20 s, or until its connection closed), and the small one.
    """
    from tornado.websocket import WebSocketClosedError

    big = _message("comm_info_request", {"pad": "x" * size})
    big_id = json.loads(big)["header"]["msg_id"]
    ws = await websocket_connect(HTTPRequest(url, headers={"Cookie": cookies}), max_message_size=100 * 2**20)
    answered_big = False
    try:
        await ws.write_message(big)
        while not answered_big:
            raw = await asyncio.wait_for(ws.read_message(), 20)
            if raw is None:
                break
            answered_big = json.loads(raw)["parent_header"].get("msg_id") == big_id
    except (TimeoutError, WebSocketClosedError):
        pass  # closed by the server (the proxy may not pass the close on at once)
    finally:
        ws.close()
    again = await websocket_connect(HTTPRequest(url, headers={"Cookie": cookies}))
    try:
        await again.write_message(_message("kernel_info_request", {}))
        while True:
            raw = await asyncio.wait_for(again.read_message(), 60)
            if raw is None:
                return answered_big, False
            if json.loads(raw)["header"]["msg_type"] == "kernel_info_reply":
                return answered_big, True
    finally:
        again.close()


def test_a_learners_websocket_message_above_the_limit_is_refused_behind_the_hub(hub: Hub, anna) -> None:
    from grading.servers.kernel_limits import WEBSOCKET_MAX_MESSAGE_BYTES

    kernel = _page_kernel(hub, anna, "anna", "stor.ipynb")
    ws_url = f"ws://127.0.0.1:{hub.url.rsplit(':', 1)[1]}/user/anna/api/kernels/{kernel}/channels"
    cookies = _cookie_header(anna)
    answered_big, answered = asyncio.run(_send_too_much(ws_url, cookies, 2 * WEBSOCKET_MAX_MESSAGE_BYTES))
    assert not answered_big  # the learner's server closed the websocket ("message too big") unread
    assert answered  # and the kernel serves the page again on the next connection
    answered_near, _ = asyncio.run(_send_too_much(ws_url, cookies, WEBSOCKET_MAX_MESSAGE_BYTES - 10_000))
    assert answered_near  # the probe is real: a message under the limit is answered
