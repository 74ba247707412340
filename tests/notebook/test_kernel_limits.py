"""Kernels in a real Jupyter server: idle ones culled, a few pages per person, small websocket messages.

One server, started as ``cirkel serve`` starts it (``grading.servers.serve.start_server``) with the
learners' settings: a preheated kernel waiting for the page, at most two pages, and short
times set by the test. A browser that vanished is a real TCP connection that did the
websocket handshake and then never answers again (a phone locked, the network gone).
"""

from __future__ import annotations

import asyncio
import base64
import datetime as dt
import json
import os
import re
import socket
import time
import uuid
from collections.abc import Iterator

import nbformat
import pytest
from tornado.httpclient import AsyncHTTPClient, HTTPRequest
from tornado.websocket import WebSocketClosedError, websocket_connect

from grading.servers.kernel_limits import WEBSOCKET_MAX_MESSAGE_BYTES, websocket_settings
from grading.servers.serve import Server, start_server
from widgets.core.i18n import t

pytestmark = pytest.mark.notebook

PAGE = "sida.ipynb"
MOST_PAGES = 2
IDLE = 8  # seconds a kernel no browser holds may idle, in this test
PINGS = {"ping_interval_ms": 1000, "ping_timeout_ms": 3000}


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[Server]:
    root = tmp_path_factory.mktemp("karnor")
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("svar = 42")])
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(notebook, root / PAGE)
    running = start_server(
        root,
        preheat=[PAGE],
        max_kernels=1,
        kernel_idle_timeout=IDLE,
        kernel_cull_interval=1,
        log_path=root / "server.log",
        extra_args=[
            f"--PreheatKernelManager.max_page_kernels={MOST_PAGES}",
            "--ServerApp.tornado_settings=" + json.dumps(websocket_settings(**PINGS)),
        ],
    )
    try:
        yield running
    finally:
        running.stop()


def _kernels(server: Server) -> dict[str, int]:
    """Running kernels and how many websockets each has."""
    return {k["id"]: k["connections"] for k in server.kernels()}


def _kernel_of(page: str) -> str:
    found = re.search(r'"kernelId": "([0-9a-f-]{36})"', page)
    assert found, "the page names no kernel"
    return found.group(1)


def _wait(condition, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, what
        time.sleep(0.5)


def _vanishing_browser(server: Server, kernel_id: str) -> socket.socket:
    """A websocket to the kernel whose browser then vanishes: the handshake, and never a word again."""
    host, port = server.base_url.split("//")[1].strip("/").split(":")
    sock = socket.create_connection((host, int(port)))
    key = base64.b64encode(os.urandom(16)).decode()
    sock.sendall(
        (
            f"GET /api/kernels/{kernel_id}/channels?token={server.token} HTTP/1.1\r\nHost: {host}:{port}\r\n"
            f"Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n"
        ).encode()
    )
    assert sock.recv(200).startswith(b"HTTP/1.1 101"), "the websocket was not opened"
    return sock


def _message(msg_type: str, padding: int = 0) -> str:
    header = {"msg_id": uuid.uuid4().hex, "msg_type": msg_type, "username": "", "session": "s", "version": "5.3"}
    return json.dumps(
        {"header": header, "parent_header": {}, "metadata": {}, "content": {"pad": "x" * padding}, "channel": "shell"}
    )


async def _drain(connection) -> None:
    """Read every message until the connection closes (tornado answers pings only while it reads)."""
    while await connection.read_message() is not None:
        pass


async def _reply_to(connection, sent: str) -> bool:
    """Whether the kernel answers ``sent`` (a ``kernel_info_request``) within 30 s."""
    msg_id = json.loads(sent)["header"]["msg_id"]
    await connection.write_message(sent)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        text = await asyncio.wait_for(connection.read_message(), 30)
        if text is None:
            return False
        if isinstance(text, str) and json.loads(text).get("parent_header", {}).get("msg_id") == msg_id:
            return True
    return False


def test_a_vanished_browsers_kernel_is_culled_an_open_page_and_the_waiting_kernel_are_not(server):
    _wait(lambda: len(_kernels(server)) == 1, 120, "the preheated kernel never started")
    first_waiting = next(iter(_kernels(server)))
    client = AsyncHTTPClient()

    async def page() -> tuple[int, str]:
        response = await client.fetch(server.voila_url(PAGE), raise_error=False, request_timeout=120)
        return response.code, response.body.decode()

    async def kernels() -> list[dict]:
        response = await client.fetch(server.url("api/kernels"), request_timeout=30)
        return json.loads(response.body)

    async def scene() -> dict[str, object]:
        # a learner opens a page and reads it: the page's websocket stays, reading everything
        status_a, page_a = await page()
        reading = _kernel_of(page_a)
        url = server.url(f"api/kernels/{reading}/channels").replace("http", "ws", 1)
        learner = await websocket_connect(HTTPRequest(url, request_timeout=60))
        reading_all = asyncio.ensure_future(_drain(learner))
        # a second page, whose browser then vanishes
        status_b, page_b = await page()
        vanished = _kernel_of(page_b)
        gone = _vanishing_browser(server, vanished)
        try:
            status_c, refused = await page()  # one page too many
            assert {k["id"]: k["connections"] for k in await kernels()}[vanished] == 1
            started = time.monotonic()
            while vanished in {k["id"] for k in await kernels()}:
                assert time.monotonic() - started < IDLE + 60, "the vanished browser's kernel was never culled"
                await asyncio.sleep(0.5)
            culled_after = time.monotonic() - started

            def idle_waiting(found: list[dict]) -> list[str]:  # kernels waiting for a page, idle beyond IDLE
                now = dt.datetime.now(dt.UTC)
                return [
                    k["id"]
                    for k in found
                    if k["id"] not in (reading, vanished)
                    and (now - dt.datetime.fromisoformat(k["last_activity"].replace("Z", "+00:00"))).total_seconds()
                    > IDLE + 3
                ]

            deadline = time.monotonic() + IDLE + 60
            while not idle_waiting(await kernels()) and time.monotonic() < deadline:
                await asyncio.sleep(1)
            left = await kernels()
            status_d, _ = await page()  # the culled page no longer counts
        finally:
            gone.close()
            learner.close()
            await reading_all
        return {
            "statuses": (status_a, status_b, status_c, status_d),
            "refused": refused,
            "reading": reading,
            "culled_after": culled_after,
            "left": {k["id"] for k in left},
            "idle_waiting": idle_waiting(left),
        }

    seen = asyncio.run(scene())
    assert seen["statuses"] == (200, 200, 429, 200)
    assert t("limits.too_many_pages", count=MOST_PAGES, minutes=2) in seen["refused"].replace("&#39;", "'")
    assert "Traceback" not in seen["refused"]
    assert seen["reading"] == first_waiting  # the first page got the kernel that waited for it
    assert seen["culled_after"] >= IDLE - 2  # not before its time
    assert seen["reading"] in seen["left"]  # the page being read stays, idle as it is
    assert seen["idle_waiting"], "the kernel preheated for the next page was culled"


def test_a_websocket_message_above_the_limit_is_refused_and_the_kernel_goes_on(server):
    _wait(lambda: len(_kernels(server)) >= 1, 60, "no kernel")
    kernel_id = next(iter(_kernels(server)))
    url = server.url(f"api/kernels/{kernel_id}/channels").replace("http", "ws", 1)

    async def send() -> tuple[bool, int | None, bool]:
        busy = {"connect_timeout": 120, "request_timeout": 120}  # a busy machine: tornado waits 20 s by default
        big = await websocket_connect(HTTPRequest(url, **busy), max_message_size=100 * 2**20)
        near = await _reply_to(big, _message("kernel_info_request", WEBSOCKET_MAX_MESSAGE_BYTES - 10_000))
        try:
            await big.write_message(_message("kernel_info_request", WEBSOCKET_MAX_MESSAGE_BYTES + 1))
            while await asyncio.wait_for(big.read_message(), 30) is not None:
                pass
        except WebSocketClosedError:
            pass
        # here the connection is closed (open, the read above times out). tornado sends "message too
        # big" (1009) and aborts the stream at once: on a busy machine the abort can win, no close code
        closed_with = big.close_code
        again = await websocket_connect(HTTPRequest(url, **busy))
        still = await _reply_to(again, _message("kernel_info_request"))
        again.close()
        return near, closed_with, still

    near, closed_with, still = asyncio.run(send())
    assert near  # just under the limit: taken
    assert closed_with in (1009, None)  # above it: "message too big", the connection is closed
    assert still  # and the kernel answers the next page


def test_a_server_the_run_shares_counts_each_persons_pages_on_their_own(tmp_path):
    """The live apps' server: the person Voilà's prelaunch hook saw owns the page kernel started next."""
    from types import SimpleNamespace

    from grading.servers.kernel_cap import CappedKernelManager, TooManyPages, count_per_person

    seen_by_hook: list[str] = []
    hook = count_per_person(lambda handler, notebook, cwd: seen_by_hook.append(handler.current_user.name) or notebook)
    page_env = {**os.environ, "VOILA_PREHEAT": "False"}  # what Voilà's handler gives a page's kernel

    async def open_page(manager, name: str) -> str:
        # as JupyterHub's single-user handler: ``current_user`` carries the person's name
        hook(SimpleNamespace(current_user=SimpleNamespace(name=name)), nbformat.v4.new_notebook(), str(tmp_path))
        return await manager.start_kernel(kernel_name="python3", path="", env=page_env)

    async def scene() -> dict[str, object]:
        manager = CappedKernelManager(
            root_dir=str(tmp_path), max_page_kernels=1, cull_idle_timeout=600, cull_interval=60
        )
        try:
            anna = await open_page(manager, "anna")
            try:
                await open_page(manager, "anna")
                refused = None
            except TooManyPages as error:
                refused = error
            bertil = await open_page(manager, "bertil")  # someone else's first page
            await manager.shutdown_kernel(anna)
            again = await open_page(manager, "anna")  # anna closed hers: she may open one again
            return {"refused": refused, "kernels": {anna, bertil, again}, "running": set(manager.list_kernel_ids())}
        finally:
            await manager.shutdown_all()

    seen = asyncio.run(scene())
    assert isinstance(seen["refused"], TooManyPages) and seen["refused"].status_code == 429
    assert seen["refused"].log_message % seen["refused"].args == t("limits.too_many_pages", count=1, minutes=13)
    assert len(seen["kernels"]) == 3 and len(seen["running"]) == 2
    assert seen_by_hook == ["anna", "anna", "bertil", "anna"]  # the viewer hook still runs for every page
