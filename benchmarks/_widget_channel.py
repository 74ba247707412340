"""The widget protocol over a kernel websocket, spoken as the browser's widget manager speaks it,
and ``hub_load.py``'s answer and submit steps through it (also used by ``live_service_cost.py``).
"""

from __future__ import annotations

import asyncio
import html
import json
import re
import time
import uuid
from pathlib import Path
from typing import Any

from _hub_steps import MODULE, QUIZ, STEPS, StepFailed, left
from _pacer import Pacer
from jupyter_server.services.kernels.connection.base import deserialize_binary_message
from tornado.httpclient import HTTPRequest
from tornado.websocket import websocket_connect

from widgets.core.i18n import t

__all__ = ["WidgetChannel", "first_found", "answer_and_submit"]

#: ipywidgets' control comm protocol (``ipywidgets._version.__control_protocol_version__``)
CONTROL_PROTOCOL = "1.0.0"


class WidgetChannel:
    """The kernel websocket as the browser's widget manager uses it, with the widgets' state."""

    def __init__(self, ws: Any) -> None:
        self.ws = ws
        self.session = uuid.uuid4().hex
        self.states: dict[str, dict[str, Any]] = {}
        self.replies: dict[str, dict[str, Any]] = {}
        self._idle: set[str] = set()
        self._sent: dict[str, str] = {}
        self.received = {"iopub": 0, "shell": 0}

    @classmethod
    async def connect(cls, ws_url: str, cookies: str, timeout: float) -> WidgetChannel:
        request = HTTPRequest(
            f"{ws_url}?session_id={uuid.uuid4().hex}",
            headers={"Cookie": cookies},
            connect_timeout=timeout,
            request_timeout=timeout,
        )
        return cls(await websocket_connect(request))

    def close(self) -> None:
        self.ws.close()

    async def send(self, msg_type: str, content: dict[str, Any], metadata: dict[str, Any] | None = None) -> str:
        msg_id = uuid.uuid4().hex
        header = {
            "msg_id": msg_id,
            "msg_type": msg_type,
            "session": self.session,
            "username": "",
            "version": "5.3",
            "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        }
        await self.ws.write_message(
            json.dumps(
                {
                    "header": header,
                    "parent_header": {},
                    "metadata": metadata or {},
                    "content": content,
                    "channel": "shell",
                    "buffers": [],
                }
            )
        )
        self._sent[msg_id] = msg_type
        return msg_id

    async def wait_idle(self, msg_ids: set[str], deadline: float, replies: bool = False) -> None:
        """Read until the kernel has gone idle after each of ``msg_ids``: their effects are done.

        With ``replies`` also until each has its shell reply, which may come after the idle
        status: the shell and iopub channels are separate sockets with no order between them.
        """

        def done() -> bool:
            return msg_ids <= self._idle and (not replies or msg_ids <= self.replies.keys())

        try:
            while not done():
                raw = await asyncio.wait_for(self.ws.read_message(), left(deadline))
                if raw is None:
                    raise StepFailed("the kernel websocket closed")
                self._handle(deserialize_binary_message(raw) if isinstance(raw, bytes) else json.loads(raw))
        except (TimeoutError, StepFailed) as exc:
            kinds = sorted({self._sent[i] for i in msg_ids})
            no_idle = len(msg_ids - self._idle)
            no_reply = len(msg_ids - self.replies.keys()) if replies else 0
            raise StepFailed(
                f"{exc or 'timed out'} waiting for the kernel after {len(msg_ids)} "
                f"{'/'.join(kinds)}: {no_idle} without idle status, {no_reply} without reply; "
                f"{self.received['iopub']} iopub and {self.received['shell']} shell messages "
                f"on this websocket"
            ) from None

    async def request(self, msg_type: str, content: dict[str, Any], deadline: float) -> str:
        msg_id = await self.send(msg_type, content)
        await self.wait_idle({msg_id}, deadline, replies=msg_type.endswith("_request"))
        return msg_id

    def _handle(self, msg: dict[str, Any]) -> None:
        kind = msg["header"]["msg_type"]
        if msg.get("channel") in self.received:
            self.received[msg["channel"]] += 1
        parent = (msg.get("parent_header") or {}).get("msg_id")
        if kind == "status" and msg["content"].get("execution_state") == "idle" and parent:
            self._idle.add(parent)
        elif kind.endswith("_reply") and parent:
            self.replies[parent] = msg
        elif kind == "comm_msg":
            data = msg["content"].get("data", {})
            if data.get("method") in ("update", "echo_update"):
                self.states.setdefault(msg["content"]["comm_id"], {}).update(data.get("state", {}))
            elif data.get("method") == "update_states":
                for comm_id, model in data.get("states", {}).items():
                    self.states.setdefault(comm_id, {}).update(model.get("state", {}))

    async def load_widgets(self, deadline: float) -> None:
        """Ask the kernel for every widget's state in one message, as the page does when it loads.

        Voilà's widget manager (ipywidgets 8) opens a comm on ipywidgets' control target, sends
        ``request_states`` and closes it once the kernel's ``update_states`` has come (seen on the
        page's websocket in Chromium). Asking each widget's comm for its state, ipywidgets 7's way,
        costs the kernel and the server a message per widget: some 270 on a module page.
        """
        control = uuid.uuid4().hex
        opened = await self.send(
            "comm_open",
            {"comm_id": control, "target_name": "jupyter.widget.control", "data": {}},
            metadata={"version": CONTROL_PROTOCOL},
        )
        asked = await self.send("comm_msg", {"comm_id": control, "data": {"method": "request_states"}})
        await self.wait_idle({opened, asked}, deadline)
        await self.request("comm_close", {"comm_id": control, "data": {}}, deadline)
        if not self.states:
            raise StepFailed("the kernel sent no widget states")

    async def update(self, comm_id: str, state: dict[str, Any], deadline: float) -> None:
        await self.request(
            "comm_msg", {"comm_id": comm_id, "data": {"method": "update", "state": state, "buffer_paths": []}}, deadline
        )
        self.states[comm_id].update(state)

    async def click(self, comm_id: str, deadline: float) -> None:
        await self.request(
            "comm_msg", {"comm_id": comm_id, "data": {"method": "custom", "content": {"event": "click"}}}, deadline
        )

    # -- finding widgets by what the page shows ----------------------------------------
    def find(
        self,
        model: str | None = None,
        css: str | None = None,
        description: str | None = None,
        within: str | None = None,
    ) -> list[str]:
        """Comm ids of widgets by model name, CSS class, label, inside the box ``within``."""
        ids = self.descendants(within) if within else list(self.states)
        return [
            i
            for i in ids
            if (model is None or self.states[i].get("_model_name") == model)
            and (css is None or css in self.states[i].get("_dom_classes", ()))
            and (description is None or self.states[i].get("description") == description)
        ]

    def descendants(self, comm_id: str) -> list[str]:
        found = []
        for child in self.states.get(comm_id, {}).get("children", ()):
            child_id = child.removeprefix("IPY_MODEL_")
            if child_id in self.states:
                found += [child_id, *self.descendants(child_id)]
        return found


def first_found(found: list[str], what: str) -> str:
    """The first widget found; none is the step failing, named by what the learner looked for."""
    if not found:
        raise StepFailed(f"no {what} in the module app")
    return found[0]


async def answer_and_submit(
    ws_url: str,
    cookies: str,
    module_dir: Path,
    inbound: Path,
    name: str,
    timeout: float,
    times: dict[str, float],
    pacer: Pacer,
) -> None:
    """Steps 3 and 4 over one websocket, as the page keeps one open; fills ``times``."""
    start = time.monotonic()
    deadline = start + timeout
    channel = await WidgetChannel.connect(ws_url, cookies, timeout)
    try:
        await channel.load_widgets(deadline)
        quiz = first_found(channel.find(css="cirkel-quiz"), "quiz")
        question = first_found(channel.find(css="cirkel-quiz-question", within=quiz), "quiz question")
        radio = first_found(channel.find(model="RadioButtonsModel", within=question), "choice of answers")
        answer = first_found(
            channel.find(model="ButtonModel", description=t("quiz.answer"), within=question),
            f"button {t('quiz.answer')!r}",
        )
        await channel.update(radio, {"index": 0}, deadline)
        saved = module_dir / "svar" / f"{QUIZ}.json"
        if not saved.is_file():
            raise StepFailed(f"choosing an answer saved no {saved.name}")
        await channel.click(answer, deadline)
        record = json.loads(saved.read_text(encoding="utf-8"))
        tries = [q.get("tries") for q in record["data"]["questions"].values()]
        if not any(tries):
            raise StepFailed(f"{saved.name} has no answered try after {t('quiz.answer')!r}")
        times["answer"] = time.monotonic() - start

        pacer.at(STEPS.index("submit"))
        start = time.monotonic()
        deadline = start + timeout
        button = first_found(channel.find(css="cirkel-submit-button"), f"button {t('submit.button')!r}")
        panel = first_found(channel.find(css="cirkel-submit"), "submit panel")
        await channel.click(button, deadline)
        shown = " ".join(
            html.unescape(channel.states[i].get("value", "")) for i in channel.find(model="HTMLModel", within=panel)
        )
        if "cirkel-submit-ok" not in shown or "inlämnad" not in shown:
            message = re.sub(r"<[^>]+>", " ", shown).strip()
            raise StepFailed(f"the submit panel says: {message or 'nothing'}")
        if not any(inbound.glob(f"{name}+{MODULE}+*")):
            raise StepFailed("the panel says submitted but the exchange has no submission")
        times["submit"] = time.monotonic() - start
    finally:
        channel.close()
