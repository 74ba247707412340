"""``hub_load.py``'s cost figures: CPU per step and learner, PSS per part of the hub, database bytes.

Kept apart from the load itself so that each file stays about one job: this one
turns process trees and databases into the figures of ``docs/scaling.md``.
"""

from __future__ import annotations

import contextlib
import resource
import subprocess
import sys
import time
from pathlib import Path

import psutil
from _tree_cost import REPO, database_figures, sqlite_figures, tree_cpu, tree_pss_kib
from session_memory import rollup_kib

from grading.circles.tables import DB_NAME as CIRCLES_DB
from grading.course_runs.run import CourseRun
from grading.hub.config import hub_dir
from widgets.storage import database as storage

#: the ``cirkel`` command as a new process (``-c``, like ``-m``, puts the working folder first on the path)
CIRKEL = "from grading.cli import main; raise SystemExit(main())"

__all__ = ["IDLE_SECONDS", "databases", "database_sizes", "hub_processes_pss", "collect_and_grade", "cost_report"]

#: how long the idle hub is watched before anyone logs in
IDLE_SECONDS = 10.0
MIB = 1024


def databases(folder: Path, run: CourseRun, hub_db: str | None) -> dict[str, str | Path]:
    """Every database the load writes to: a PostgreSQL URL or an SQLite file, by what it holds."""
    store = storage.run_url(run.root, CIRCLES_DB)
    if store.startswith("postgresql"):
        return {
            "hub (users, servers)": hub_db,
            "run stores (circles, live, access log)": store,
            "gradebook": run.db_url,
        }
    return {
        "hub (users, servers)": hub_dir(folder) / "jupyterhub.sqlite",
        "circles": run.root / CIRCLES_DB,
        "live stores": run.root / "samverkan.sqlite",
        "access log": run.root / "atkomstlogg.sqlite",
        "gradebook": run.root / "gradebook.db",
    }


def database_sizes(found: dict[str, str | Path]) -> dict[str, tuple[int, dict[str, int]]]:
    """Bytes and rows per table of each database, now."""
    return {
        name: sqlite_figures(where) if isinstance(where, Path) else database_figures(where)
        for name, where in found.items()
    }


def hub_processes_pss(hub: int, pg: int | None) -> dict[str, tuple[int, int]]:
    """PSS in KiB, and how many processes, of each part: hub, proxy, services, learners, PostgreSQL."""
    parts: dict[str, list[int]] = {"hub process": [rollup_kib(hub)]}
    with contextlib.suppress(psutil.Error):
        for child in psutil.Process(hub).children():
            with contextlib.suppress(psutil.Error):
                command = " ".join(child.cmdline())
                if "jupyterhub-singleuser" in command or "grading.hub.server_zygote" in command:
                    part = "learners' servers and kernels"  # stock ones, or the zygote and the servers it forked
                elif "configurable-http-proxy" in command:
                    part = "proxy"
                else:
                    part = "services (run service, culler) and kernels"
                parts.setdefault(part, []).append(tree_pss_kib(child.pid))
    if pg is not None:
        parts["PostgreSQL server"] = [tree_pss_kib(pg)]
    return {part: (sum(values), len(values)) for part, values in parts.items()}


def collect_and_grade(run_root: Path, module: str, pg: int | None) -> dict[str, float]:
    """``cirkel collect`` and ``cirkel autograde`` of ``module``: wall and CPU seconds of each."""
    figures = {}
    for command in ("collect", "autograde"):
        before_cpu = resource.getrusage(resource.RUSAGE_CHILDREN)
        before_pg = tree_cpu(pg) if pg else 0.0
        began = time.monotonic()
        done = subprocess.run(
            [sys.executable, "-c", CIRKEL, command, str(run_root), module],
            cwd=REPO,
            capture_output=True,
            text=True,
        )
        if done.returncode != 0:
            raise RuntimeError(f"cirkel {command} failed:\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}")
        after_cpu = resource.getrusage(resource.RUSAGE_CHILDREN)
        figures[f"{command} wall"] = time.monotonic() - began
        figures[f"{command} CPU"] = after_cpu.ru_utime + after_cpu.ru_stime - before_cpu.ru_utime - before_cpu.ru_stime
        figures[f"{command} PostgreSQL CPU"] = (tree_cpu(pg) - before_pg) if pg else 0.0
    return figures


def cost_report(
    learners: int,
    steps: tuple[str, ...],
    done: list[int],
    idle: list[tuple[float, float, float]],
    settled: list[tuple[float, float, float]],
    marks: list[tuple[float, float, float]],
    idle_pss: dict[str, tuple[int, int]],
    loaded_pss: dict[str, tuple[int, int]],
    figures: dict[str, dict[str, tuple[int, dict[str, int]]]],
    graded: dict[str, float] | None,
    backend: str,
) -> str:
    """The figures of ``docs/scaling.md``, as text."""
    (t0, hub0, pg0), (t1, hub1, pg1) = idle
    lines = [
        f"Costs on {backend} (psutil: the hub's process tree, ended processes included, and the database server's)",
        f"Idle hub before anyone logs in: {hub1 - hub0:.2f} CPU s in {t1 - t0:.0f} s "
        f"({100 * (hub1 - hub0) / (t1 - t0):.1f}% of a core); database server {pg1 - pg0:.2f} CPU s",
        f"After the load, every session open and nobody acting: {settled[1][1] - settled[0][1]:.2f} CPU s in "
        f"{settled[1][0] - settled[0][0]:.0f} s ({1000 * (settled[1][1] - settled[0][1]) / (settled[1][0] - settled[0][0]) / learners:.1f}"
        f" ms of CPU per learner per second); database server {settled[1][2] - settled[0][2]:.2f} CPU s",
        "",
        f"{'step':<16}{'done':>6}{'wall s':>9}{'hub CPU s':>11}{'db CPU s':>10}{'CPU s/learner':>15}",
    ]
    for k, step in enumerate(steps):
        if k + 1 >= len(marks):
            lines.append(f"{step:<16}  (not reached by everyone)")
            continue
        (a, hub_a, pg_a), (b, hub_b, pg_b) = marks[k], marks[k + 1]
        cpu = (hub_b - hub_a) + (pg_b - pg_a)
        lines.append(
            f"{step:<16}{done[k]:>6}{b - a:>9.1f}{hub_b - hub_a:>11.1f}{pg_b - pg_a:>10.1f}"
            f"{cpu / max(done[k], 1):>15.2f}"
        )
    if len(marks) >= 2:
        cpu = (marks[-1][1] - marks[0][1]) + (marks[-1][2] - marks[0][2])
        lines.append(f"{'all steps':<16}{learners:>6}{marks[-1][0] - marks[0][0]:>9.1f}{'':>21}{cpu / learners:>15.2f}")
    lines += ["", f"{'PSS, MiB':<46}{'idle':>10}{'after the load':>16}"]
    for part in dict.fromkeys([*idle_pss, *loaded_pss]):
        before = idle_pss.get(part, (0, 0))
        after = loaded_pss.get(part, (0, 0))
        lines.append(f"{part + f' ({after[1]})':<46}{before[0] / MIB:>10.0f}{after[0] / MIB:>16.0f}")
    stages = list(figures)
    lines += ["", f"{'database, KiB':<42}" + "".join(f"{s:>16}" for s in stages) + f"{'per learner':>14}"]
    for name in figures[stages[0]]:
        sizes = [figures[s][name][0] for s in stages]
        per = (sizes[-1] - sizes[0]) / learners
        lines.append(f"{name:<42}" + "".join(f"{b / 1024:>16.0f}" for b in sizes) + f"{per / 1024:>12.1f} KiB")
        rows = figures[stages[-1]][name][1]
        if rows:
            lines.append("    rows " + ", ".join(f"{table} {count}" for table, count in sorted(rows.items())))
    if graded:
        lines += [
            "",
            f"cirkel collect: {graded['collect wall']:.1f} s, {graded['collect CPU']:.1f} CPU s "
            f"(+{graded['collect PostgreSQL CPU']:.1f} database); cirkel autograde: {graded['autograde wall']:.1f} s, "
            f"{graded['autograde CPU']:.1f} CPU s (+{graded['autograde PostgreSQL CPU']:.1f} database), "
            f"{(graded['autograde CPU'] + graded['autograde PostgreSQL CPU']) / learners:.2f} CPU s per submission",
        ]
    return "\n".join(lines)
