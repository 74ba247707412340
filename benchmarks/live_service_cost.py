"""What a course run's live service costs: idle, per open page, per tap, per second of polling.

The live service (``grading.hub.runs.live_services``: one Jupyter server with
Voilà per course run, serving the group quiz, talarstatistik and the shared plan
to everyone in the run) is started as the hub starts it: the hub of
``tests/hub/live_hub.py`` (the demo course run, "Cirkel A" led by lena with anna,
bertil and cilla, everyone logged in through the real form). Then, over HTTP
and the kernel websocket as a browser speaks them (``WidgetChannel``):

1. the service alone: its PSS and its CPU over ten idle seconds;
2. each app's pages opened one by one by the people who would open them (the
   page executes in a Voilà kernel of its own, then the widgets' state is
   fetched): the service's PSS and CPU growth per page;
3. taps: talarstatistik's keeper starts a session and taps speakers, the shared
   plan gets goals added, each member answers the group quiz's question: CPU per
   tap (the tapped kernel's work and the store write);
4. everything open and nobody tapping: CPU per second (the screens and phones
   poll the live store) and the PSS of it all.

CPU is the service's process tree (server and kernels, psutil), plus the
PostgreSQL server's with ``--postgres`` (the run's live stores moved there as
``cirkel run move-store`` does). No browser runs: the figures are the server's.

    .venv/bin/python benchmarks/live_service_cost.py [--postgres]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import re
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO), str(REPO / "tests" / "hub"), str(REPO / "tests" / "browser")]
sys.path.insert(0, str(Path(__file__).resolve().parent))

import sqlalchemy as sa  # noqa: E402
from _hub_report import machine  # noqa: E402
from _tree_cost import PgCluster, tree_cpu, tree_pss_kib  # noqa: E402
from _widget_channel import WidgetChannel, first_found  # noqa: E402

from grading.circles import group_quiz as gq  # noqa: E402
from grading.hub.runs import live_service_name  # noqa: E402
from widgets.core.i18n import t  # noqa: E402

from hub_process import processes_in  # noqa: E402
from live_hub import live_hub  # noqa: E402

MODULE = "05-moten"
QUIZ = "motesroller"
IDLE_SECONDS = 10.0
TIMEOUT = 300.0
MIB = 1024


class Channel(WidgetChannel):
    """``hub_load``'s widget channel that also learns widgets made after the page loaded."""

    def _handle(self, msg: dict[str, Any]) -> None:
        if msg["header"]["msg_type"] == "comm_open":
            content = msg["content"]
            self.states[content["comm_id"]] = dict(content.get("data", {}).get("state", {}))
        super()._handle(msg)

    def buttons(self, description: str | None = None, css_prefix: str | None = None) -> list[str]:
        return [
            i
            for i in self.find(model="ButtonModel", description=description)
            if css_prefix is None or any(c.startswith(css_prefix) for c in self.states[i].get("_dom_classes", ()))
        ]


@dataclass
class Page:
    person: str
    kernel: str
    channel: Channel
    loop: asyncio.AbstractEventLoop


@dataclass
class AppFigures:
    app: str
    pages: int
    open_seconds: list[float] = field(default_factory=list)
    open_cpu: float = 0.0
    open_pss_kib: int = 0
    taps: int = 0
    tap_cpu: float = 0.0
    tap_seconds: list[float] = field(default_factory=list)


def service_pid(run_dir: Path) -> int:
    """The live service's server: the process working in ``<run>/samverkan``."""
    folder = run_dir / "samverkan"
    for pid in processes_in(folder):
        with contextlib.suppress(OSError):
            if Path(f"/proc/{pid}/cwd").resolve() == folder.resolve() and b"jupyter" in Path(
                f"/proc/{pid}/cmdline"
            ).read_bytes().replace(b"\0", b" "):
                return pid
    raise RuntimeError(f"no live service working in {folder}")


def open_page(live, person: str, notebook: str, query: dict[str, Any], loop) -> Page:
    """Open an app as ``person``'s browser does: the page (Voilà runs it), then its widgets' state."""
    session = live._sessions[person]
    page = session.get(live.app_url(notebook, **query), timeout=TIMEOUT)
    if page.status_code != 200:
        raise RuntimeError(f"{notebook} for {person} answered {page.status_code}")
    found = re.search(r'"kernelId":\s*"([0-9a-f-]{36})"', page.text)
    if not found:
        raise RuntimeError(f"no kernel id in {notebook} for {person}")
    service = f"/services/{live_service_name(live.course_id)}"
    ws = f"{live.url.replace('http://', 'ws://')}{service}/api/kernels/{found.group(1)}/channels"
    cookies = "; ".join(f"{c.name}={c.value}" for c in session.cookies)
    channel = loop.run_until_complete(Channel.connect(ws, cookies, TIMEOUT))
    loop.run_until_complete(channel.load_widgets(time.monotonic() + TIMEOUT))
    return Page(person, found.group(1), channel, loop)


def click(page: Page, comm_id: str) -> None:
    page.loop.run_until_complete(page.channel.click(comm_id, time.monotonic() + TIMEOUT))


def speaker_taps(pages: list[Page]) -> int:
    """The keeper starts a session and taps a speaker's category ten times."""
    keeper = pages[0]
    click(keeper, first_found(keeper.channel.buttons(css_prefix="cirkel-livespeaker-start"), "start button"))
    categories = keeper.channel.buttons(css_prefix="cirkel-livespeaker-category-")
    if not categories:
        raise RuntimeError("talarstatistik shows no category buttons after the start")
    for k in range(10):
        click(keeper, categories[k % len(categories)])
    return 11


def plan_taps(pages: list[Page]) -> int:
    """Each member adds a goal to the circle's shared plan, twice."""
    for page in (*pages, *pages):
        click(page, first_found(page.channel.buttons(description=t("plan.add_goal")), "add goal button"))
    return 2 * len(pages)


def quiz_taps(pages: list[Page]) -> int:
    """Each participant chooses the first option and taps "Svara" (joining first if asked to)."""
    taps = 0
    for page in pages:
        joins = page.channel.buttons(description=t("groupquiz.join"))
        if joins:
            click(page, joins[0])
            taps += 1
        choice = first_found(page.channel.find(model="RadioButtonsModel"), "choice of answers")
        page.loop.run_until_complete(page.channel.update(choice, {"index": 0}, time.monotonic() + TIMEOUT))
        click(page, first_found(page.channel.buttons(description=t("groupquiz.answer")), "answer button"))
        taps += 2
    return taps


def pg_connections(pg: PgCluster) -> int:
    """Client connections the PostgreSQL server holds now (its own workers and this query's aside)."""
    engine = sa.create_engine(pg.server.url("postgres"))
    try:
        with engine.connect() as db:
            return db.execute(
                sa.text(
                    "SELECT count(*) FROM pg_stat_activity"
                    " WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()"
                )
            ).scalar_one()
    finally:
        engine.dispose()


def measure(args: argparse.Namespace) -> str:
    pg = PgCluster() if args.postgres else None
    loop = asyncio.new_event_loop()
    lines: list[str] = []
    try:
        with tempfile.TemporaryDirectory(prefix="cirkel-livecost-") as folder:
            store_url = pg.new_database() if pg else None
            gradebook_url = pg.new_database() if pg else None
            with live_hub(Path(folder), store_url, gradebook_url) as live:
                service = service_pid(live.run_dir)

                def cpu() -> float:
                    return tree_cpu(service) + (tree_cpu(pg.pid) if pg else 0.0)

                time.sleep(IDLE_SECONDS)  # let the start settle
                idle_pss = tree_pss_kib(service)
                before = cpu()
                time.sleep(IDLE_SECONDS)
                idle_cpu = cpu() - before
                lines.append(
                    f"Live service alone: {idle_pss / MIB:.0f} MiB PSS, {idle_cpu:.2f} CPU s in {IDLE_SECONDS:.0f} s"
                )

                session = gq.open_session(live.run_dir, "cirkel-a", MODULE, QUIZ, "lena")
                gq.next_question(live.run_dir, session)
                apps: list[tuple[str, dict[str, Any], tuple[str, ...], Callable[[list[Page]], int] | None]] = [
                    ("talarstatistik.ipynb", {"circle": "cirkel-a"}, ("lena",), speaker_taps),
                    ("talarstatistik-skarm.ipynb", {"circle": "cirkel-a"}, ("lena",), None),
                    ("plan.ipynb", {"circle": "cirkel-a"}, ("lena", "anna", "bertil", "cilla"), plan_taps),
                    ("gruppquiz-skarm.ipynb", {"session": session}, ("lena",), None),
                    ("gruppquiz.ipynb", {"session": session}, ("anna", "bertil", "cilla"), quiz_taps),
                ]
                open_pages: list[Page] = []
                results = []
                for notebook, query, people, taps in apps:
                    figures = AppFigures(notebook, len(people))
                    pss, used = tree_pss_kib(service), cpu()
                    pages = []
                    for person in people:
                        began = time.monotonic()
                        pages.append(open_page(live, person, notebook, query, loop))
                        figures.open_seconds.append(time.monotonic() - began)
                    figures.open_cpu = cpu() - used
                    figures.open_pss_kib = tree_pss_kib(service) - pss
                    open_pages += pages
                    if taps is not None:
                        used, began = cpu(), time.monotonic()
                        figures.taps = taps(pages)
                        figures.tap_cpu = cpu() - used
                        figures.tap_seconds.append(time.monotonic() - began)
                    results.append(figures)
                    print(f"  {notebook}: {len(pages)} page(s) open", flush=True)

                time.sleep(2)
                used = cpu()
                time.sleep(IDLE_SECONDS)
                polling = cpu() - used
                all_pss = tree_pss_kib(service)
                connections = pg_connections(pg) if pg else None
                for page in open_pages:
                    page.channel.close()
                lines += [
                    "",
                    f"{'app':<28}{'pages':>6}{'open s':>8}{'MiB/page':>10}{'CPU s/page':>12}{'taps':>6}{'CPU s/tap':>11}",
                ]
                for f in results:
                    per_tap = f"{f.tap_cpu / f.taps:>11.3f}" if f.taps else f"{'-':>11}"
                    lines.append(
                        f"{f.app:<28}{f.pages:>6}{max(f.open_seconds):>8.1f}{f.open_pss_kib / MIB / f.pages:>10.0f}"
                        f"{f.open_cpu / f.pages:>12.2f}{f.taps:>6}{per_tap}"
                    )
                lines += [
                    "",
                    f"All {len(open_pages)} pages open, nobody tapping: {polling:.2f} CPU s in {IDLE_SECONDS:.0f} s "
                    f"({100 * polling / IDLE_SECONDS:.1f}% of a core; {1000 * polling / IDLE_SECONDS / len(open_pages):.1f}"
                    f" ms of CPU per page per second); service with its kernels {all_pss / MIB:.0f} MiB PSS",
                ]
                if connections is not None:
                    lines.append(f"PostgreSQL connections held meanwhile: {connections}")
    finally:
        loop.close()
        if pg is not None:
            pg.stop()
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--postgres", action="store_true", help="the run's live stores on PostgreSQL")
    args = parser.parse_args(argv)
    print(f"Machine: {machine()}; live stores on {'PostgreSQL' if args.postgres else 'SQLite'}", flush=True)
    print(measure(args))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
