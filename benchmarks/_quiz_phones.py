"""``group_quiz_latency.py``'s phones without a browser, and the CPU of each kind of process over a round.

A protocol phone is a guest as the hub sees one: it types the code and a name on
``/hub/kod`` (the form with its ``_xsrf``), follows the hub's redirects and the live
service's OAuth dance to ``gruppquiz.ipynb``, which Voilà executes in a kernel of its
own, then speaks the widget protocol over that kernel's websocket as the browser's
widget manager does (``live_service_cost.Channel``, a ``_widget_channel.WidgetChannel``).
All phones' websockets are read continuously on one asyncio loop in a thread of its
own, so that the moment the kernel's "Ditt svar är sparat" arrives is noted as it
arrives, while the big screen stays a real Chromium page driven from the main thread.
"""

from __future__ import annotations

import asyncio
import contextlib
import html
import json
import os
import re
import threading
import time
from collections.abc import Coroutine
from dataclasses import dataclass, field
from typing import Any

import psutil
import requests
from _hub_http import _kernel_id, _xsrf_field
from live_service_cost import Channel

__all__ = ["ProtocolPhone", "PhoneLoop", "join_over_http", "cpu_by_kind", "kernel_of_page"]


def now_ms() -> float:
    """The wall clock in ms, the same clock as the pages' ``Date.now()`` on this machine."""
    return time.time() * 1000


def join_over_http(hub_url: str, code: str, name: str, timeout: float) -> tuple[str, str, str]:
    """A newcomer types the code and a name on ``/hub/kod``; the address, kernel id and cookies of her page."""
    session = requests.Session()
    form = session.get(f"{hub_url}/hub/kod", timeout=timeout)
    form.raise_for_status()
    page = session.post(
        f"{hub_url}/hub/kod",
        data={"kod": code, "namn": name, "_xsrf": _xsrf_field(form.text)},
        timeout=timeout,
    )  # the hub's redirect to the quiz app, the service's OAuth dance, then Voilà executes the page
    kernel = _kernel_id(page.text) if page.status_code == 200 else None
    if kernel is None:
        said = " ".join(re.sub(r"<[^>]+>", " ", re.sub(r"(?s)<(script|style)[^>]*>.*?</\1>", " ", page.text)).split())
        raise RuntimeError(f"{name} did not reach the quiz page: {page.status_code} at {page.url}: {said[-600:]}")
    cookies = "; ".join(f"{c.name}={c.value}" for c in session.cookies)
    return page.url, kernel, cookies


@dataclass
class ProtocolPhone:
    """One guest's phone: her kernel's websocket, the widgets' state, and the moments of a tap."""

    name: str
    channel: Channel
    saved: str
    tap: float | None = None
    confirmed: float | None = None
    reader: asyncio.Task | None = field(default=None, repr=False)

    def notice(self, msg: dict[str, Any]) -> None:
        """Note the first "Ditt svar är sparat" after the tap, as the page's status box would show it."""
        if self.tap is None or self.confirmed is not None or msg["header"]["msg_type"] != "comm_msg":
            return
        value = msg["content"].get("data", {}).get("state", {}).get("value")
        if isinstance(value, str) and "-status" in value and self.saved in html.unescape(value):
            self.confirmed = now_ms()

    async def read(self) -> None:
        while True:
            raw = await self.channel.ws.read_message()
            if raw is None:
                return
            msg = json.loads(raw) if isinstance(raw, str) else _binary(raw)
            self.channel._handle(msg)
            self.notice(msg)

    def choice(self, first_label: str) -> tuple[str, dict[str, Any]]:
        """The comm and the state a tap on the current question's first option sends."""
        for comm_id, state in reversed(self.channel.states.items()):  # the newest question's widgets last
            if state.get("disabled"):
                continue
            if (
                state.get("_model_name") == "RadioButtonsModel"
                and (state.get("_options_labels") or [""])[0] == first_label
            ):
                return comm_id, {"index": 0}
            if state.get("_model_name") == "CheckboxModel" and state.get("description") == first_label:
                return comm_id, {"value": True}
        raise LookupError(first_label)

    def answer_button(self, label: str) -> str:
        return self.channel.buttons(description=label)[0]


def _binary(raw: bytes) -> dict[str, Any]:
    from jupyter_server.services.kernels.connection.base import deserialize_binary_message

    return deserialize_binary_message(raw)


class PhoneLoop:
    """An asyncio loop in a thread of its own, where every protocol phone's websocket is read."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, name="protocol-phones", daemon=True)
        self.thread.start()

    def run(self, coro: Coroutine[Any, Any, Any], timeout: float) -> Any:
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout)

    async def connect(self, ws_url: str, cookies: str, name: str, saved: str, timeout: float) -> ProtocolPhone:
        channel = await Channel.connect(ws_url, cookies, timeout)
        await channel.load_widgets(time.monotonic() + timeout)
        phone = ProtocolPhone(name, channel, saved)
        phone.reader = asyncio.ensure_future(phone.read())
        return phone

    async def choose(self, phones: list[ProtocolPhone], first_label: str, timeout: float) -> None:
        """Each phone taps the first option once its kernel shows the question (its poll, every second)."""
        deadline = time.monotonic() + timeout
        for phone in phones:
            while True:
                with contextlib.suppress(LookupError):
                    comm_id, state = phone.choice(first_label)
                    break
                if time.monotonic() > deadline:
                    raise TimeoutError(f"{phone.name}'s phone never showed {first_label!r}")
                await asyncio.sleep(0.05)
            await phone.channel.send(
                "comm_msg", {"comm_id": comm_id, "data": {"method": "update", "state": state, "buffer_paths": []}}
            )

    async def tap(self, phones: list[ProtocolPhone], label: str, at_ms: float) -> None:
        """Every phone taps "Svara" at the wall-clock moment ``at_ms``, each noting its own tap."""
        buttons = [phone.answer_button(label) for phone in phones]
        for phone in phones:
            phone.tap, phone.confirmed = None, None
        await asyncio.sleep(max(0.0, (at_ms - now_ms()) / 1000))
        for phone, button in zip(phones, buttons):
            phone.tap = now_ms()
            await phone.channel.send(
                "comm_msg", {"comm_id": button, "data": {"method": "custom", "content": {"event": "click"}}}
            )

    async def close(self, phones: list[ProtocolPhone]) -> None:
        for phone in phones:
            if phone.reader is not None:
                phone.reader.cancel()
            phone.channel.close()

    def stop(self) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)


def kernel_of_page(page_html: str) -> str | None:
    return _kernel_id(page_html)


def _kind(proc: psutil.Process, screen_kernel: str | None) -> str:
    line = " ".join(proc.cmdline())
    if "ipykernel" in line:
        return "screen kernel" if screen_kernel and screen_kernel in line else "phone kernels"
    if "chrom" in proc.name().lower() or "chrom" in line.split(" ")[0].lower():
        return "Chromium"
    with contextlib.suppress(psutil.Error):
        if os.path.basename(proc.cwd()) == "samverkan":
            return "live service (Voilà server)"
    if "grading.hub.app" in line or "jupyterhub" in line:
        return "hub"
    if "configurable-http-proxy" in line or "deploy/proxy" in line:
        return "proxy"
    if "playwright" in line:
        return "benchmark (driver, protocol phones)"
    return "other"


def cpu_by_kind(screen_kernel: str | None) -> dict[str, float]:
    """CPU seconds (user + system) used so far by each kind of process below this one, and this one."""
    me = psutil.Process()
    times = me.cpu_times()
    found = {"benchmark (driver, protocol phones)": times.user + times.system}
    for proc in me.children(recursive=True):
        with contextlib.suppress(psutil.Error):
            kind = _kind(proc, screen_kernel)
            cpu = proc.cpu_times()
            found[kind] = found.get(kind, 0.0) + cpu.user + cpu.system
    return found


def cpu_lines(before: dict[str, float], after: dict[str, float], taps: int, seconds: float) -> list[str]:
    """Per kind: CPU seconds over the window, and ms per tap (or, with no taps, per second of wall time)."""
    lines = []
    total = 0.0
    for kind in sorted(after, key=lambda k: before.get(k, 0.0) - after[k]):
        used = max(0.0, after[kind] - before.get(kind, 0.0))
        total += used
        rate = f"{1000 * used / taps:7.1f} ms/tap" if taps else f"{1000 * used / max(seconds, 1e-9):7.1f} ms/s"
        lines.append(f"    {kind:<38} {used:6.2f} CPU s  {rate}")
    lines.append(
        f"    {'all':<38} {total:6.2f} CPU s over {seconds:.1f} s wall ({total / max(seconds, 1e-9):.2f} cores)"
    )
    return lines
