"""``cirkel serve``: one course run served until Ctrl+C or SIGTERM, its addresses printed."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from grading.servers.serve.apps import gallery_path, home_path, report_path
from grading.servers.serve.demo_run import DEMO_DIR, ensure_demo_run
from grading.servers.serve.server import Server, start_server
from widgets.core.i18n import t

if TYPE_CHECKING:  # pragma: no cover
    from grading.course_runs.run import CourseRun

__all__ = ["SERVER_LOG", "print_addresses", "run"]

#: The server's own log, in the course run (the terminal shows only Cirkel's addresses).
SERVER_LOG = "jupyter-server.log"


def print_addresses(server: Server, course_run: CourseRun) -> None:
    names = _learner_names(course_run)
    lines = [
        "",
        t("serve.heading"),
        t("serve.leader", url=server.url("lab")),
        t("serve.formgrader", url=server.url("formgrader")),
        t("serve.report", url=server.voila_url(report_path())),
        t("serve.gallery", url=server.voila_url(gallery_path())),
        t("serve.learners"),
    ]
    for student_id in sorted(names):
        home = home_path(course_run, student_id)
        if home.exists():
            lines.append(
                t(
                    "serve.learner_home",
                    name=names.get(student_id, student_id),
                    student_id=student_id,
                    url=server.voila_url(home),
                )
            )
        for module in course_run.modules:
            notebook = course_run.notebook_path(student_id, module)
            if notebook.exists():
                lines.append(
                    t(
                        "serve.learner_module",
                        name=names.get(student_id, student_id),
                        student_id=student_id,
                        module=module,
                        url=server.voila_url(notebook),
                    )
                )
    print("\n".join(lines), flush=True)


def _learner_names(course_run: CourseRun) -> dict[str, str]:
    """Display names from the gradebook (nbgrader keeps them as ``first_name``)."""
    try:
        with course_run.gradebook() as gb:
            return {s.id: s.first_name or s.id for s in gb.students}
    except Exception:  # names are a courtesy in the printout, never a reason to stop
        return {}


def run(args: argparse.Namespace) -> int:
    """``cirkel serve [--demo] [--run DIR] [--port 8888] [--ip 127.0.0.1]``: serve until Ctrl+C or SIGTERM.

    However it ends, the server and every kernel it started are stopped
    (:func:`grading.servers.supervise.supervised`, the run folder as the last resort's bound).
    """
    from grading.course_runs.run import CourseRun, RunError
    from grading.servers.supervise import supervised

    if getattr(args, "demo", False):
        course_run = ensure_demo_run(Path(args.run) if getattr(args, "run", None) else DEMO_DIR)
    elif getattr(args, "run", None):
        try:
            course_run = CourseRun(args.run)
        except RunError as exc:
            print(str(exc), file=sys.stderr)
            return 2
    else:
        print(t("serve.no_run"), file=sys.stderr)
        return 2

    ip = getattr(args, "ip", None) or "127.0.0.1"
    port = int(getattr(args, "port", None) or 8888)
    log_path = Path(course_run.root) / SERVER_LOG
    print(t("serve.starting", url=f"http://{ip}:{port}/"), flush=True)
    print(t("serve.log", path=log_path), flush=True)
    server: Server | None = None
    with supervised(course_run.root, t("serve.stopping")) as guard:
        try:
            # the apps learners open most are drawn at once (``--no-preheat``, if the command has it, turns it off)
            server = start_server(
                course_run.root,
                port,
                ip=ip,
                log_path=log_path,
                preheat=getattr(args, "preheat", True),
                watch=guard.watch,
            )
        except RuntimeError as exc:
            print(str(exc), file=sys.stderr)
            return 1
        print_addresses(server, course_run)
        guard.wait()
    if server is not None:
        server.stop()  # stopped already: closes its log
    return 0
