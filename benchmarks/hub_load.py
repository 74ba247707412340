"""N learners at once against the local JupyterHub: log in, open a module, answer, submit.

Builds the demo course run behind the hub (``grading.hub.demo.build_hub_demo``)
for N learners who have already chosen their own passwords (the normal day),
starts the hub exactly as ``cirkel serve --hub --demo`` does (``start_hub`` with
``deploy/jupyterhub_config.py``), then lets every learner, each in a thread of
its own and all released at the same moment:

1. log in through the login form (with ``_xsrf``) and start the server
   (``/hub/spawn/<name>``, then ``/user/<name>/`` through the hub's OAuth dance
   until the server itself sends the learner on to its landing app);
2. open that landing page, "Mina moduler" (Voilà executes it before it answers);
3. open the module app ``05-moten``; leaving the landing page first posts
   Voilà's kernel shutdown, as the browser does on ``beforeunload``;
4. answer the first question of the quiz ``motesroller`` over the kernel
   websocket, speaking the widget protocol as the browser's widget manager does
   (``comm_info_request``, ``request_state`` to every comm, an ``update`` of the
   RadioButtons' ``index``, a ``click`` of "Svara"), and check that the widget
   itself saved ``svar/motesroller.json`` with the try;
5. click "Lämna in" the same way, wait for the panel's "inlämnad" message, and
   check that nbgrader's exchange has the submission in ``inbound``.

No browser runs: 30 Chromiums on this machine would measure Chromium, not the
hub. After the load it reads the PSS of the learners' single-user servers and
their Voilà kernels (``/proc/<pid>/smaps_rollup``, see ``session_memory.py``).

With ``--postgres`` the hub's own database (``$CIRKEL_HUB_DB``), the run's
circles, live stores and access log, and its nbgrader gradebook are on a
PostgreSQL 15 server the benchmark starts itself (as ``tests/pg_cluster.py``
does), the run moved there by ``grading.store_move.move_run`` before the hub
starts, as ``cirkel run move-store`` does. ``--steps-together`` lets every
learner finish a step before anyone begins the next, so that the CPU seconds
the hub's process tree (hub, proxy, run service, servers, kernels) and the
database server used in each step can be divided by the learners: the cost of
one learner's login+spawn, page, answer and submit. ``--grade`` then collects
and autogrades the module (``cirkel collect``, ``cirkel autograde``) and reports
what the databases hold per learner after it.

Run it with ``.venv/bin/python benchmarks/hub_load.py --learners 30``; it exits
non-zero when any learner failed.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import html
import json
import math
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import _hub_costs as costs  # noqa: E402
import requests  # noqa: E402
from _pacer import Pacer  # noqa: E402
from _tree_cost import PgCluster, environ, tree_cpu  # noqa: E402
from jupyter_server.services.kernels.connection.base import deserialize_binary_message  # noqa: E402
from session_memory import children, cmdline, rollup_kib  # noqa: E402
from tornado.httpclient import HTTPRequest  # noqa: E402
from tornado.websocket import websocket_connect  # noqa: E402

from grading.hub.accounts import AccountStore  # noqa: E402
from grading.hub.config import accounts_file  # noqa: E402
from grading.hub.demo import build_hub_demo, start_hub, stop_hub  # noqa: E402
from grading.hub.password import PAGE as PASSWORD_PAGE  # noqa: E402
from grading.run import CourseRun  # noqa: E402
from grading.serve import Learner  # noqa: E402
from grading.store_move import move_run  # noqa: E402
from widgets.i18n import t  # noqa: E402

__all__ = [
    "MODULE",
    "QUIZ",
    "STEPS",
    "LearnerRun",
    "WidgetChannel",
    "run_learner",
    "session_memory_kib",
    "stop_everything",
    "main",
]

#: the module every learner opens: it has the quiz and the submit panel
MODULE = "05-moten"
#: the quiz's exercise id, which names its answer file ``svar/<QUIZ>.json``
QUIZ = "motesroller"
STEPS = ("login+spawn", "landing page", "open module", "answer", "submit")


@dataclass
class LearnerRun:
    """One simulated learner: the seconds each step took, and why it failed if it did."""

    name: str
    times: dict[str, float] = field(default_factory=dict)
    error: str | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def total(self) -> float:
        return sum(self.times.values())


class StepFailed(Exception):
    """A step did not do what a learner would see it do; the message says what."""


# -- HTTP: logging in, the server, the module page ----------------------------------
def _xsrf_field(page: str) -> str:
    found = re.search(r'name="_xsrf" value="([^"]+)"', page)
    if not found:
        raise StepFailed("the login form carries no _xsrf field")
    return html.unescape(found.group(1))


def login_and_spawn(url: str, name: str, password: str, deadline: float) -> tuple[requests.Session, str]:
    """Log in through the form, start the server and wait until it answers.

    Follows the redirects one by one (the hub, its OAuth dance, the server) until
    the server sends the learner on to its landing app; returns the session and
    that app's address. The app itself is opened by :func:`open_landing`.
    """
    session = requests.Session()
    page = session.get(f"{url}/hub/login", timeout=_left(deadline))
    page.raise_for_status()
    response = session.post(
        f"{url}/hub/login?next=",
        allow_redirects=False,
        timeout=_left(deadline),
        data={"username": name, "password": password, "_xsrf": _xsrf_field(page.text)},
    )
    if response.status_code != 302:
        raise StepFailed(f"login answered {response.status_code}")
    if PASSWORD_PAGE in response.headers.get("Location", ""):
        raise StepFailed("login led to the new-password page although the password was chosen")
    spawn = session.get(f"{url}/hub/spawn/{name}", allow_redirects=False, timeout=_left(deadline))
    if spawn.status_code >= 400:
        raise StepFailed(f"/hub/spawn answered {spawn.status_code}")
    server = f"/user/{name}/"
    while True:
        address = f"{url}{server}"
        for _hop in range(20):
            page = session.get(address, allow_redirects=False, timeout=_left(deadline))
            if not page.is_redirect:
                break
            address = urljoin(address, page.headers["Location"])
            if urlsplit(address).path.startswith(f"{server}voila/"):
                return session, address  # the server itself sends the learner on to the app
        if page.status_code == 200 and urlsplit(address).path.startswith(server):
            return session, address  # a server with no landing app of its own
        pending = urlsplit(address).path.startswith(f"/hub/spawn-pending/{name}")
        if page.status_code >= 400 or not pending:
            raise StepFailed(f"the server did not start: {page.status_code} at {address}")
        if time.monotonic() > deadline:
            raise StepFailed("the server did not start in time")
        time.sleep(1.0)  # the browser's spawn-pending page listens to a progress stream instead


def _page(session: requests.Session, address: str, deadline: float) -> tuple[int, str]:
    """A Voilà page's status and text, read by the deadline whatever the server does.

    Voilà streams a page while its kernel executes it; a page whose kernel hangs may
    keep its connection open for ever, trickling or silent (seen under load: one
    learner held every other one of ``--steps-together`` for twenty minutes), and
    ``requests``' timeout bounds each read, not the whole. So the body is read in
    chunks and the deadline looked at after each.
    """
    with session.get(address, timeout=_left(deadline), stream=True) as page:
        body = bytearray()
        for chunk in page.iter_content(16384):
            body += chunk
            _left(deadline)
        return page.status_code, body.decode(page.encoding or "utf-8", errors="replace")


def open_landing(session: requests.Session, address: str, deadline: float) -> str | None:
    """Open the landing app ("Mina moduler"): Voilà executes it before it answers; its kernel id."""
    status, text = _page(session, address, deadline)
    if status != 200:
        raise StepFailed(f"the landing page answered {status}")
    return _kernel_id(text)


def _kernel_id(page: str) -> str | None:
    found = re.search(r'"kernelId":\s*"([0-9a-f-]{36})"', page)
    return found.group(1) if found else None


def _xsrf_header(session: requests.Session, name: str) -> dict[str, str]:
    token = session.cookies.get("_xsrf", path=f"/user/{name}/") or session.cookies.get("_xsrf")
    return {"X-XSRFToken": token} if token else {}


def open_module(
    url: str, session: requests.Session, name: str, course_id: str, landing_kernel: str | None, deadline: float
) -> tuple[str, list[str]]:
    """Leave the landing page (Voilà's kernel shutdown) and open the module app; its kernel id."""
    notes = []
    if landing_kernel:  # what Voilà's page does on beforeunload
        left = session.post(
            f"{url}/user/{name}/voila/api/shutdown/{landing_kernel}",
            headers=_xsrf_header(session, name),
            timeout=_left(deadline),
        )
        if left.status_code != 204:
            notes.append(f"landing page kernel not shut down ({left.status_code})")
    status, text = _page(session, f"{url}/user/{name}/voila/render/{course_id}/{MODULE}/{MODULE}.ipynb", deadline)
    if status != 200:
        raise StepFailed(f"the module page answered {status}")
    kernel = _kernel_id(text)
    if not kernel:
        raise StepFailed("no kernel id in the module page")
    return kernel, notes


def _left(deadline: float) -> float:
    left = deadline - time.monotonic()
    if left <= 0:
        raise StepFailed("timed out")
    return left


# -- the widget protocol over the kernel websocket ----------------------------------
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

    async def send(self, msg_type: str, content: dict[str, Any]) -> str:
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
                    "metadata": {},
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
                raw = await asyncio.wait_for(self.ws.read_message(), _left(deadline))
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

    async def load_widgets(self, deadline: float) -> None:
        """List the widget comms and ask each for its state, as the page does when it loads."""
        asked = await self.request("comm_info_request", {"target_name": "jupyter.widget"}, deadline)
        comms = self.replies[asked]["content"].get("comms", {})
        if not comms:
            raise StepFailed("the kernel lists no widgets")
        pending = set()
        for comm_id in comms:
            pending.add(await self.send("comm_msg", {"comm_id": comm_id, "data": {"method": "request_state"}}))
        await self.wait_idle(pending, deadline)

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


def _one(found: list[str], what: str) -> str:
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
        quiz = _one(channel.find(css="cirkel-quiz"), "quiz")
        question = _one(channel.find(css="cirkel-quiz-question", within=quiz), "quiz question")
        radio = _one(channel.find(model="RadioButtonsModel", within=question), "choice of answers")
        answer = _one(
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
        button = _one(channel.find(css="cirkel-submit-button"), f"button {t('submit.button')!r}")
        panel = _one(channel.find(css="cirkel-submit"), "submit panel")
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


# -- one learner ---------------------------------------------------------------------------
def run_learner(
    url: str,
    name: str,
    password: str,
    course_id: str,
    home: Path,
    inbound: Path,
    timeout: float,
    pacer: Pacer,
    result: LearnerRun,
) -> None:
    """Everything one learner does, timed per step; a failure is recorded, never raised."""
    step = STEPS[0]
    try:
        pacer.at(0)
        began = time.monotonic()
        session, address = login_and_spawn(url, name, password, began + timeout)
        result.times[step] = time.monotonic() - began

        step = STEPS[1]
        pacer.at(1)
        began = time.monotonic()
        landing = open_landing(session, address, began + timeout)
        result.times[step] = time.monotonic() - began

        step = STEPS[2]
        pacer.at(2)
        began = time.monotonic()
        kernel, notes = open_module(url, session, name, course_id, landing, began + timeout)
        result.notes += notes
        result.times[step] = time.monotonic() - began

        step = STEPS[3]
        pacer.at(3)
        ws_url = f"{url.replace('http://', 'ws://')}/user/{name}/api/kernels/{kernel}/channels"
        cookies = "; ".join(f"{c.name}={c.value}" for c in session.cookies)
        module_dir = home / course_id / MODULE

        asyncio.run(answer_and_submit(ws_url, cookies, module_dir, inbound, name, timeout, result.times, pacer))
    except threading.BrokenBarrierError:
        result.error = "interrupted"
        return
    except Exception as exc:  # a failing learner is a figure, not a crash
        if step == STEPS[3] and "answer" in result.times:
            step = STEPS[4]
        reason = str(exc) or type(exc).__name__
        if isinstance(exc, (asyncio.TimeoutError, requests.Timeout)):
            reason = "timed out"
        result.error = f"{step}: {reason}"
    with contextlib.suppress(threading.BrokenBarrierError):
        pacer.finish()


# -- memory ----------------------------------------------------------------------------------
def _environ(pid: int) -> dict[str, str]:
    try:
        raw = Path(f"/proc/{pid}/environ").read_bytes()
    except OSError:
        return {}
    return dict(item.decode(errors="replace").split("=", 1) for item in raw.split(b"\0") if b"=" in item)


def learner_servers(hub: int) -> dict[str, int]:
    """The single-user servers the hub ``hub`` runs, by the hub user they serve."""
    found = {}
    try:
        pids = children(hub)
    except OSError:  # a process ended while the tree was read
        pids = []
    for pid in pids:
        try:
            if "jupyterhub-singleuser" not in cmdline(pid):
                continue
        except OSError:  # it ended meanwhile
            continue
        user = _environ(pid).get("JUPYTERHUB_USER")
        if user:
            found[user] = pid
    return found


def session_memory_kib(server: int) -> tuple[int, list[int]]:
    """PSS in KiB of a learner's server and of each of its Voilà kernels."""
    kernels = [pid for pid in children(server) if "ipykernel_launcher" in cmdline(pid)]
    return rollup_kib(server), [rollup_kib(pid) for pid in kernels]


# -- the report --------------------------------------------------------------------------------
def percentile(values: list[float], share: float) -> float:
    """The nearest-rank percentile: the smallest value with ``share`` of the values at or below it."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def machine() -> str:
    info = Path("/proc/cpuinfo").read_text()
    model = re.search(r"model name\s*:\s*(.+)", info)
    ram = int(re.search(r"MemTotal:\s*(\d+)", Path("/proc/meminfo").read_text()).group(1))
    return f"{os.cpu_count()} cores ({model.group(1).strip() if model else 'unknown CPU'}), {ram / 1024**2:.1f} GiB RAM"


def report(runs: list[LearnerRun], memory: dict[str, tuple[int, list[int]]], wall: float) -> str:
    mib = 1024
    failed = [r for r in runs if r.error]
    lines = [
        f"Learners: {len(runs)}    failures: {len(failed)}    wall time: {wall:.1f} s",
        f"Machine:  {machine()}",
        "",
        f"{'step':<14}{'done':>6}{'median s':>11}{'p95 s':>9}{'max s':>9}",
    ]
    for step in (*STEPS, "total"):
        values = [
            r.total if step == "total" else r.times[step]
            for r in runs
            if (step == "total" and not r.error) or (step != "total" and step in r.times)
        ]
        if values:
            lines.append(
                f"{step:<14}{len(values):>6}{statistics.median(values):>11.1f}"
                f"{percentile(values, 0.95):>9.1f}{max(values):>9.1f}"
            )
        else:
            lines.append(f"{step:<14}{0:>6}{'-':>11}{'-':>9}{'-':>9}")
    if failed:
        lines += ["", "Failures:"] + [f"  {r.name}: {r.error}" for r in failed]
    notes = [f"  {r.name}: {note}" for r in runs for note in r.notes]
    if notes:
        lines += ["", "Notes:", *notes]
    lines.append("")
    first = runs[0].name
    if first in memory:
        server, kernels = memory[first]
        lines.append(
            f"One learner session ({first}): {(server + sum(kernels)) / mib:.0f} MiB PSS "
            f"(server {server / mib:.0f} MiB + {len(kernels)} Voilà kernel(s) "
            f"{', '.join(f'{k / mib:.0f}' for k in kernels) or '-'} MiB)"
        )
    else:
        lines.append(f"One learner session ({first}): no running server found")
    if memory:
        totals = [server + sum(kernels) for server, kernels in memory.values()]
        lines.append(
            f"All {len(memory)} learner sessions: median {statistics.median(totals) / mib:.0f} MiB each, "
            f"{sum(totals) / mib:.0f} MiB together "
            f"({sum(len(k) for _, k in memory.values())} kernels)"
        )
    return "\n".join(lines)


# -- setting up and running ----------------------------------------------------------------------
def free_hub_port() -> int:
    """A free public port whose hub API (+81) and proxy API (+1) ports are free too."""
    while True:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        if port + 81 > 65535:
            continue
        try:
            for other in (port + 1, port + 81):
                with socket.socket() as sock:
                    sock.bind(("127.0.0.1", other))
        except OSError:
            continue
        return port


def stop_everything(hub: subprocess.Popen[bytes]) -> None:
    """Stop the hub, then end any learner server or kernel of it that outlived it.

    The spawner starts each server, and each server its kernels, in a session of
    its own, so when the hub does not stop them in time (a server stuck on a
    render) they are not in the hub's process group that ``stop_hub`` kills.
    """
    processes: dict[int, str] = {}
    with contextlib.suppress(OSError):
        for server in learner_servers(hub.pid).values():
            for pid in (server, *children(server)):
                with contextlib.suppress(OSError):
                    processes[pid] = cmdline(pid)
    stop_hub(hub)
    for pid, command in processes.items():
        with contextlib.suppress(OSError):
            if cmdline(pid) == command:  # the same process, not a reused pid
                os.kill(pid, signal.SIGKILL)


def _interrupt(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--learners", type=int, default=30, help="how many learners at once (default 30)")
    parser.add_argument("--timeout", type=float, default=300.0, help="seconds each step may take (default 300)")
    parser.add_argument("--keep", action="store_true", help="leave the hub folder for inspection")
    parser.add_argument(
        "--postgres", action="store_true", help="the hub's database, the run's stores and gradebook on PostgreSQL"
    )
    parser.add_argument(
        "--steps-together", action="store_true", help="everyone finishes a step before anyone begins the next"
    )
    parser.add_argument("--grade", action="store_true", help="collect and autograde after the load")
    args = parser.parse_args(argv)
    if args.learners < 1:
        parser.error("--learners must be at least 1")
    signal.signal(signal.SIGTERM, _interrupt)

    folder = Path(tempfile.mkdtemp(prefix="cirkel-hublast-"))
    proc = None
    pg = None
    barriers: list[threading.Barrier] = []
    try:
        if args.postgres:
            print("Starting PostgreSQL ...", flush=True)
            pg = PgCluster()
        learners = [Learner(f"d{i:03d}", f"Deltagare {i}") for i in range(1, args.learners + 1)]
        print(f"Building the demo course run for {len(learners)} learners in {folder} ...", flush=True)
        course_run = build_hub_demo(folder, folder / "omgang", learners)
        store = AccountStore(accounts_file(folder))
        passwords = {}
        for learner in learners:
            store.create(learner.student_id, "deltagare", course_run.course_id, str(course_run.root))
            passwords[learner.student_id] = f"{learner.student_id}-eget-losenord"
            store.set_password(learner.student_id, passwords[learner.student_id])
        hub_db = pg.new_database() if pg else None
        if pg:
            moved = move_run(course_run, pg.new_database(), pg.new_database())
            course_run = CourseRun(course_run.root)
            print(f"Moved the run to PostgreSQL: {sum(m.after for m in moved)} rows in {len(moved)} tables", flush=True)
        databases = costs.databases(folder, course_run, hub_db)
        figures = {"empty": costs.database_sizes(databases)}
        inbound = course_run.exchange_root / course_run.course_id / "inbound"
        port = free_hub_port()
        print(f"Starting the hub on 127.0.0.1:{port}{' (PostgreSQL)' if pg else ''} ...", flush=True)
        with environ(**({"CIRKEL_HUB_DB": hub_db} if hub_db else {})):
            proc = start_hub(folder, "127.0.0.1", port, log_path=folder / "jupyterhub.log")
        url = f"http://127.0.0.1:{port}"
        hub_pid = proc.pid

        def mark() -> tuple[float, float, float]:
            return time.monotonic(), tree_cpu(hub_pid), tree_cpu(pg.pid) if pg else 0.0

        idle = [mark()]
        time.sleep(costs.IDLE_SECONDS)
        idle.append(mark())
        idle_pss = costs.hub_processes_pss(hub_pid, pg.pid if pg else None)

        runs = [LearnerRun(learner.student_id) for learner in learners]
        marks: list[tuple[float, float, float]] = []
        barriers = [
            threading.Barrier(len(learners), action=lambda: marks.append(mark()))
            for _ in range(len(STEPS) + 1 if args.steps_together else 1)
        ]
        threads = [
            threading.Thread(
                target=run_learner,
                daemon=True,
                name=run.name,
                args=(
                    url,
                    run.name,
                    passwords[run.name],
                    course_run.course_id,
                    folder / "hem" / run.name,
                    inbound,
                    args.timeout,
                    Pacer(barriers),
                    run,
                ),
            )
            for run in runs
        ]
        together = " step by step" if args.steps_together else ""
        print(
            f"{len(learners)} learners log in, open {MODULE}, answer and submit, all at once{together} ...", flush=True
        )
        began = time.monotonic()
        for thread in threads:
            thread.start()
        for thread in threads:
            while thread.is_alive():
                thread.join(1.0)
        wall = time.monotonic() - began
        if not args.steps_together:
            marks.append(mark())

        settled = [mark()]  # every session open, nobody acting: what the open sessions cost by themselves
        time.sleep(costs.IDLE_SECONDS)
        settled.append(mark())
        servers = learner_servers(proc.pid)
        memory = {}
        for run in runs:
            if run.name in servers:
                with contextlib.suppress(OSError, RuntimeError):
                    memory[run.name] = session_memory_kib(servers[run.name])
        loaded_pss = costs.hub_processes_pss(hub_pid, pg.pid if pg else None)
        stop_everything(proc)
        figures["after the load"] = costs.database_sizes(databases)
        graded = None
        if args.grade:
            print(f"Collecting and autograding {MODULE} ...", flush=True)
            graded = costs.collect_and_grade(course_run.root, MODULE, pg.pid if pg else None)
            figures["after grading"] = costs.database_sizes(databases)
        print()
        print(report(runs, memory, wall))
        print()
        print(
            costs.cost_report(
                len(learners),
                STEPS if args.steps_together else ("the whole load",),
                [len([r for r in runs if s in r.times]) for s in STEPS] if args.steps_together else [len(runs)],
                idle,
                settled,
                marks,
                idle_pss,
                loaded_pss,
                figures,
                graded,
                "PostgreSQL" if pg else "SQLite",
            )
        )
        failed = any(run.error for run in runs)
        if failed:
            print(f"\nHub log: {folder / 'jupyterhub.log'}" + ("" if args.keep else " (removed; use --keep)"))
        return 1 if failed else 0
    except KeyboardInterrupt:
        for barrier in barriers:
            barrier.abort()
        print("\nInterrupted: stopping the hub.", file=sys.stderr)
        return 130
    finally:
        if proc is not None:
            stop_everything(proc)
        if pg is not None:
            pg.stop()
        if args.keep:
            print(f"Kept: {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
