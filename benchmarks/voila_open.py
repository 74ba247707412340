"""Time from request to a working exercise: stock Voilà's cold start against Cirkel's preheated app.

What is real: the demo course run of the real course (``grading.servers.serve.build_demo_run``,
learner ``anna``, every module released and fetched through nbgrader), Debian's
Chromium driven by Playwright as the browser tests drive it, and two servers
started in the same run on the same module notebook:

* **stock**: plain ``voila <notebook>`` (Voilà 0.5's standalone app, its
  default template and settings, no preheating) on a copy of anna's fetched
  module folder, so every page is a cold start: a new kernel runs the notebook;
* **Cirkel**: ``grading.servers.serve.start_server`` as ``cirkel serve`` starts it
  (JupyterLab, Voilà with Cirkel's template, ``preheat=True``), the page being
  anna's own module app, served by a kernel from its pool and handed over
  (answers read again from the store) before the page is sent.

What is measured, for each page: from ``page.goto`` to a *working exercise*: the
first quiz question drawn, an option clicked, "Svara" clicked and the quiz's
feedback shown (so the kernel answered a widget message). Pages are opened one
at a time, and each starts with no answers (the quiz fresh). For stock they are
removed just before the page; for Cirkel right after the previous page, before
the pool's next kernel starts (``PreheatKernelManager.fill_delay``, 5 s after a
handover), so that kernel has run the notebook on the store as the learner
will find it, and the benchmark waits for it: the manager logs each kernel that
has run the whole notebook. That is a learner arriving at a module app made
ready for them. (Answers erased *after* the kernel was heated make the handover
rebuild the exercise, some 0.2 s more; ``tests/notebook/test_preheat.py`` covers that
case.) One stock and one Cirkel page are opened first and not counted (the
servers' first-render imports).

``--breakdown`` also prints, for Cirkel's pages, the browser's own marks: the
first byte of the page, DOMContentLoaded, the kernel's websocket asked for, the
exercise drawn and the feedback shown.

Nothing is simulated; the time a pool takes to refill is not in the figure
(``--refill`` prints it apart). The ratio is Cirkel's median against stock's
median; the aim is at most 1/5.

Run it with ``.venv/bin/python benchmarks/voila_open.py`` (``--runs 5``,
``--module 05-moten``; ``--quiz motesroller`` names the quiz exercise).
"""

from __future__ import annotations

import argparse
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests" / "browser"))

from grading.course_runs.run import ensure_tools_on_path  # noqa: E402
from grading.servers.serve import DEMO_COURSE, Learner, build_demo_run, running_server, server_env  # noqa: E402
from grading.system.ports import free_port  # noqa: E402
from widgets.core.i18n import t  # noqa: E402

from browser_harness import launch_chromium  # noqa: E402

OPTION = ".cirkel-quiz-question input[type=radio]"
FEEDBACK = ".cirkel-quiz-right, .cirkel-quiz-wrong"


def working_exercise(page, url: str, marks: dict[str, float] | None = None) -> float:
    """Seconds from the request to the quiz answering a click with feedback.

    ``marks``, when given, gets the browser's milestones in seconds from the request.
    """
    started = time.perf_counter()
    page.goto(url, wait_until="commit")
    page.locator(OPTION).first.wait_for(state="visible")
    drawn = time.perf_counter() - started
    question = page.locator(".cirkel-quiz-question").first
    question.locator("input[type=radio]").first.click()
    question.get_by_role("button", name=t("quiz.answer", lang="sv")).click()
    question.locator(FEEDBACK).first.wait_for(state="visible")
    elapsed = time.perf_counter() - started
    if marks is not None:
        timing = page.evaluate("""() => {
            const nav = performance.getEntriesByType('navigation')[0];
            const kernel = performance.getEntriesByType('resource').find(r => r.name.includes('/api/kernels/'));
            return {first_byte: nav.responseStart, dom_ready: nav.domContentLoadedEventEnd,
                    kernel: kernel ? kernel.startTime : NaN};
        }""")
        marks.update({name: value / 1000 for name, value in timing.items()})
        marks.update(drawn=drawn, feedback=elapsed)
    return elapsed


def _wait(condition: Callable[[], bool], what: str, timeout: float = 600.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise SystemExit(f"waited in vain for {what}")
        time.sleep(0.1)


def _stock_server(notebook: Path, port: int, log: Path) -> subprocess.Popen:
    command = [
        sys.executable,
        "-m",
        "voila",
        str(notebook),
        "--no-browser",
        f"--port={port}",
        "--Voila.ip=127.0.0.1",
        "--token=",
    ]
    process = subprocess.Popen(
        command,
        cwd=notebook.parent,
        env=server_env(notebook.parent),
        stdout=open(log, "ab"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )

    def answers() -> bool:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/voila/static/voila.js", timeout=5):
                return True
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            return process.poll() is not None

    _wait(answers, "stock Voilà to answer", timeout=120)
    return process


def _stop(process: subprocess.Popen) -> None:
    import os
    import signal

    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def _clear_answers(folder: Path) -> None:
    shutil.rmtree(folder / "svar", ignore_errors=True)


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered) + 0.5) - 1))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="pages per server (after one warm-up page each)")
    parser.add_argument("--module", default="05-moten", help="the module whose app is opened")
    parser.add_argument("--refill", action="store_true", help="also print how long the pool took to refill")
    parser.add_argument("--breakdown", action="store_true", help="also print where Cirkel's pages spend their time")
    args = parser.parse_args(argv)
    ensure_tools_on_path()

    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="cirkel-voila-open-") as folder:
        base = Path(folder)
        print("building the demo course run (nbgrader release and fetch) ...", flush=True)
        course_run = build_demo_run(base / "run", DEMO_COURSE, learners=[Learner("anna", "Anna")])
        notebook = course_run.notebook_path("anna", args.module)
        stock_dir = base / "stock" / args.module
        shutil.copytree(notebook.parent, stock_dir)
        stock_notebook = stock_dir / notebook.name
        log = base / "cirkel-server.log"
        relative = notebook.resolve().relative_to(Path(course_run.root).resolve()).as_posix()

        def runs_of_pool() -> int:
            text = log.read_text(encoding="utf-8", errors="replace")
            return len(re.findall(rf"Cirkel: preheated kernel \S+ has run {re.escape(relative)}\b", text))

        stock_port = free_port()
        stock = _stock_server(stock_notebook, stock_port, base / "stock.log")
        stock_times: list[float] = []
        cirkel_times: list[float] = []
        refills: list[float] = []
        breakdowns: list[dict[str, float]] = []
        _clear_answers(notebook.parent)
        try:
            with (
                running_server(course_run.root, log_path=log, preheat=[relative], max_kernels=1) as server,
                sync_playwright() as playwright,
            ):
                context = launch_chromium(playwright, base / "chromium")
                used = 0
                try:
                    for number in range(args.runs + 1):  # the first of each is a warm-up
                        _clear_answers(stock_dir)
                        page = context.new_page()
                        stock_elapsed = working_exercise(page, f"http://127.0.0.1:{stock_port}/")
                        page.close()
                        if number:
                            stock_times.append(stock_elapsed)

                        waited = time.perf_counter()
                        _wait(
                            lambda used=used: runs_of_pool() > used, "the pool to hold a kernel that has run the module"
                        )
                        refills.append(time.perf_counter() - waited)
                        page = context.new_page()
                        marks: dict[str, float] = {}
                        elapsed = working_exercise(page, server.voila_url(notebook), marks)
                        page.close()
                        _clear_answers(notebook.parent)  # before the pool's next kernel reads the store
                        used += 1
                        if number:
                            cirkel_times.append(elapsed)
                            breakdowns.append(marks)
                        print(
                            f"  page {number}{' (warm-up)' if not number else ''}: "
                            f"stock {stock_elapsed:.2f} s, Cirkel {elapsed:.2f} s",
                            flush=True,
                        )
                finally:
                    context.close()
        finally:
            _stop(stock)

    def row(name: str, values: list[float]) -> str:
        return f"{name:<34} {statistics.median(values):>8.2f} {_percentile(values, 0.95):>8.2f} {len(values):>5}"

    print()
    print(f"Time to a working exercise, module {args.module} (seconds, {args.runs} pages each)")
    print(f"{'':<34} {'median':>8} {'p95':>8} {'pages':>5}")
    print(row("stock Voilà, cold start", stock_times))
    print(row("Cirkel, preheated and handed over", cirkel_times))
    ratio = statistics.median(cirkel_times) / statistics.median(stock_times)
    print(f"ratio Cirkel / stock (median): {ratio:.3f} (1/{1 / ratio:.1f}); aim at most 1/5")
    if args.breakdown:
        print(
            "Cirkel's pages, median seconds from the request: "
            + ", ".join(
                f"{label} {statistics.median(m[key] for m in breakdowns):.2f}"
                for key, label in (
                    ("first_byte", "first byte"),
                    ("dom_ready", "DOMContentLoaded"),
                    ("kernel", "kernel socket asked"),
                    ("drawn", "exercise drawn"),
                    ("feedback", "feedback shown"),
                )
            )
        )
    if args.refill:
        print(f"pool refill wait before each Cirkel page: median {statistics.median(refills):.2f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
