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
   (ipywidgets' control comm and its ``request_states``, an ``update`` of the
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
does), the run moved there by ``grading.personal_data.store_move.move_run`` before the hub
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
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import _hub_costs as costs  # noqa: E402
import requests  # noqa: E402
from _hub_http import login_and_spawn, open_landing, open_module  # noqa: E402
from _hub_report import percentile, report  # noqa: E402
from _hub_steps import MODULE, STEPS, LearnerRun  # noqa: E402
from _learner_memory import learner_servers, session_memory_kib  # noqa: E402
from _pacer import Pacer  # noqa: E402
from _tree_cost import PgCluster, environ, tree_cpu  # noqa: E402
from _widget_channel import answer_and_submit  # noqa: E402
from session_memory import children, cmdline  # noqa: E402

from grading.course_runs.run import CourseRun  # noqa: E402
from grading.hub.accounts import AccountStore  # noqa: E402
from grading.hub.config import accounts_file  # noqa: E402
from grading.hub.demo import build_hub_demo, start_hub, stop_hub  # noqa: E402
from grading.personal_data.store_move import move_run  # noqa: E402
from grading.servers.serve import Learner  # noqa: E402

__all__ = ["run_learner", "stop_everything", "main"]


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
    parser.add_argument(
        "--stock-servers",
        action="store_true",
        help="start every learner's server and kernels the stock way (Popen), not forked from the server zygote",
    )
    parser.add_argument(
        "--compare", action="store_true", help="first the same load with --stock-servers, then forked; print the ratios"
    )
    parser.add_argument("--summary", type=Path, help=argparse.SUPPRESS)  # JSON figures, for --compare
    args = parser.parse_args(argv)
    if args.compare:
        return compare(list(argv if argv is not None else sys.argv[1:]))
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
        # the course run is built long before a circle logs in: its files on disk, not in the page
        # cache, or the kernel's writeback of them (some 4 CPU s here) lands in the learners' first seconds
        os.sync()
        databases = costs.databases(folder, course_run, hub_db)
        figures = {"empty": costs.database_sizes(databases)}
        inbound = course_run.exchange_root / course_run.course_id / "inbound"
        port = free_hub_port()
        print(f"Starting the hub on 127.0.0.1:{port}{' (PostgreSQL)' if pg else ''} ...", flush=True)
        with environ(**({"CIRKEL_HUB_DB": hub_db} if hub_db else {})):
            stock = ["--CirkelSpawner.fork_learners=False"] if args.stock_servers else []
            proc = start_hub(folder, "127.0.0.1", port, log_path=folder / "jupyterhub.log", extra_arguments=stock)
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
        if args.summary:
            write_summary(args.summary, runs, marks, loaded_pss)
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


def write_summary(path: Path, runs: list[LearnerRun], marks: list, loaded_pss: dict) -> None:
    """The figures ``--compare`` sets side by side: login to a drawn module, memory and CPU per learner."""
    usable = [sum(r.times[s] for s in STEPS[:3]) for r in runs if all(s in r.times for s in STEPS[:3])]
    kib, _count = loaded_pss.get("learners' servers and kernels", (0, 0))
    path.write_text(
        json.dumps(
            {
                "failures": sum(1 for r in runs if r.error),
                "login_module_median": statistics.median(usable) if usable else None,
                "login_module_p95": percentile(usable, 0.95) if usable else None,
                "session_mib": kib / 1024 / len(runs),
                "cpu_per_learner": (marks[-1][1] - marks[0][1]) / len(runs),
            }
        ),
        encoding="utf-8",
    )


def _figure(value: object) -> str:
    return f"{value:.1f}" if isinstance(value, float) else "-" if value is None else str(value)


def compare(argv: list[str]) -> int:
    """The load twice, in this order: every server and kernel started the stock way, then forked (the default)."""
    rest = [a for a in argv if a != "--compare"]
    figures = {}
    with tempfile.TemporaryDirectory() as tmp:
        for name, extra in (("stock", ["--stock-servers"]), ("forked", [])):
            summary = Path(tmp) / f"{name}.json"
            print(f"\n===== {name}: {' '.join([*rest, *extra])}", flush=True)
            subprocess.run([sys.executable, "-u", __file__, *rest, *extra, "--summary", str(summary)], check=False)
            if not summary.is_file():
                print(f"{name}: no figures (the run did not finish)")
                return 1
            figures[name] = json.loads(summary.read_text(encoding="utf-8"))
    stock, forked = figures["stock"], figures["forked"]
    print("\n===== forked against stock, the same load in the same run of this command")
    print(f"{'figure':<34}{'stock':>10}{'forked':>10}{'ratio':>8}")
    for key, label in (
        ("login_module_p95", "login -> module drawn, p95 s"),
        ("login_module_median", "login -> module drawn, median s"),
        ("session_mib", "MiB PSS per learner (all)"),
        ("cpu_per_learner", "CPU s per learner's visit"),
        ("failures", "learners failed"),
    ):
        a, b = stock.get(key), forked.get(key)
        ratio = f"{b / a:.2f}" if isinstance(a, (int, float)) and isinstance(b, (int, float)) and a else "-"
        print(f"{label:<34}{_figure(a):>10}{_figure(b):>10}{ratio:>8}")
    return 0 if not stock["failures"] and not forked["failures"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
