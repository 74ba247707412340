"""Time from request to her saved page, and to a working exercise: stock Voilà's cold start against Cirkel.

What is real: the demo course run of the real course (``grading.servers.serve.build_demo_run``,
learner ``anna``, every module released and fetched through nbgrader), Debian's
Chromium driven by Playwright as the browser tests drive it, and three servers
started in the same run on the same module notebook:

* **stock**: plain ``voila <notebook>`` (Voilà 0.5's standalone app, its
  default template and settings, no preheating) on a copy of anna's fetched
  module folder, with the run's settings (its answer keys) in its environment,
  so every page is a cold start: a new kernel runs the whole notebook;
* **Cirkel, a new kernel**: ``grading.servers.serve.start_server`` as ``cirkel serve``
  starts it, without a pool: every page a new kernel, as a module app on the hub
  (where the kernel is forked from the server zygote, which this server has not);
* **Cirkel, preheated**: the same with ``preheat=[that notebook]``, the page being
  anna's own module app, served by a kernel from its pool and handed over
  (answers read again from the store) before the page is sent.

Before every page her answer store holds one saved answer, her reflection (written by the
real ``Reflection`` widget), and no quiz answers. Two marks per page:

* **first paint**: the first frame (``requestAnimationFrame``, the page's own clock from
  the request) that shows her saved reflection: drawn by the server from the widget
  states (``grading.servers.page_snapshot``) or by the live widget, whichever comes first;
* **usable**: a *working exercise*: the first quiz question drawn live, an option clicked,
  "Svara" clicked and the quiz's feedback shown (so the kernel answered a widget message).

Pages are opened one at a time. For the preheated server the answers are reset right
after the previous page, before the pool's next kernel starts
(``PreheatKernelManager.fill_delay``, 5 s after a handover), and the benchmark waits for
that kernel: the manager logs each kernel that has run the whole notebook. One page of
each is opened first and not counted (the servers' first-render imports).

``--breakdown`` also prints, for each of the three, the browser's own marks: the first byte
of the page, the saved page shown, DOMContentLoaded, the kernel's websocket asked for,
the exercise drawn and the feedback shown (stock's page ends, and its DOMContentLoaded
comes, only once its kernel has run the notebook: from there on both pay the same front
end), the number of widget views on the page, and the share of stock's usable at which the
preheated page asks for its kernel: the front end's own start, before any widget. ``--refill`` prints how long the pool took to refill (not in any figure).

The ratios are Cirkel's medians against stock's; the aims (issue 22) are at most 0.25 for
the first paint and 0.35 for usable.

``--latency 60`` has Chromium add 60 ms to every request (its own network emulation), as a phone's
network does: a file the browser must ask for again costs a round trip there, not the loopback's
fraction of a millisecond.

Run it with ``.venv/bin/python benchmarks/voila_open.py`` (``--runs 5``,
``--module 05-moten``; ``--reflection reflektion`` names the reflection exercise).
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


#: the learner's saved reflection, in the store before every page (``--reflection`` names the exercise)
SAVED_TEXT = "Jag vill att alla i föreningen ska få komma till tals på våra möten."
#: the page's own clock (ms from the request) at the first frame that shows her saved reflection
FIRST_PAINT_JS = """text => {
    for (const area of document.querySelectorAll('textarea')) {
        if (area.value.includes(text) && area.getClientRects().length) { return performance.now(); }
    }
    return false;
}"""


#: the page's own clock (ms from the request) at the first frame in which ``selector`` is drawn
SHOWN_JS = """selector => {
    const element = document.querySelector(selector);
    return element && element.getClientRects().length ? performance.now() : false;
}"""


def _frame_when(page, script: str, arg: str) -> float:
    """Seconds from the request to the first animation frame in which ``script`` holds (the page's clock).

    Every mark is taken so, each frame: Playwright's own waits poll ever more slowly (up to every
    half second) when an element is long in coming, which put up to 0.5 s on a page whose wait began early.
    """
    return float(page.wait_for_function(script, arg=arg, polling="raf", timeout=180_000).json_value()) / 1000


def working_exercise(page, url: str, marks: dict[str, float] | None = None) -> float:
    """Seconds from the request to the quiz answering a click with feedback.

    ``marks``, when given, gets the browser's milestones in seconds from the request, among them
    ``first_paint``: the first frame that shows her saved reflection (drawn by the server or live).
    """
    page.goto(url, wait_until="commit")
    painted = _frame_when(page, FIRST_PAINT_JS, SAVED_TEXT)
    drawn = _frame_when(page, SHOWN_JS, OPTION)
    question = page.locator(".cirkel-quiz-question").first
    question.locator("input[type=radio]").first.click()
    question.get_by_role("button", name=t("quiz.answer", lang="sv")).click()
    elapsed = _frame_when(
        page, SHOWN_JS, ", ".join(f".cirkel-quiz-question {one.strip()}" for one in FEEDBACK.split(","))
    )
    if marks is not None:
        timing = page.evaluate("""() => {
            const nav = performance.getEntriesByType('navigation')[0];
            const kernel = performance.getEntriesByType('resource').find(r => r.name.includes('/api/kernels/'));
            return {first_byte: nav.responseStart, dom_ready: nav.domContentLoadedEventEnd,
                    kernel: kernel ? kernel.startTime : NaN};
        }""")
        marks.update({name: value / 1000 for name, value in timing.items()})
        marks["views"] = page.locator(".jupyter-widgets").count()
        marks.update(drawn=drawn, feedback=elapsed, first_paint=painted)
    return elapsed


def _phone_network(context, page, latency_ms: float) -> None:
    """Each request of ``page`` takes ``latency_ms`` more, as on a phone's network (Chromium's own emulation)."""
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send(
        "Network.emulateNetworkConditions",
        {"offline": False, "latency": latency_ms, "downloadThroughput": -1, "uploadThroughput": -1},
    )


def _wait(condition: Callable[[], bool], what: str, timeout: float = 600.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise SystemExit(f"waited in vain for {what}")
        time.sleep(0.1)


def _stock_server(notebook: Path, port: int, log: Path, run_root: Path) -> subprocess.Popen:
    """Plain ``voila <notebook>`` with the run's settings in its environment (its answer keys among them).

    Before 2026-12-05 its environment named the copied module folder as the run: the module's first
    grading cell found no answer key there, and stock Voilà stopped the page at that error, so the
    cells after the quiz were never run or drawn: stock did less than the whole page.
    """
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
        env=server_env(run_root),
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


def _clear_answers(folder: Path, reflection: str) -> None:
    """No answers but her saved reflection, written by the real widget to the real store."""
    from widgets.exercises.reflection import Reflection
    from widgets.storage.answers import AnswerStore

    shutil.rmtree(folder / "svar", ignore_errors=True)
    Reflection(reflection, store=AnswerStore(folder / "svar")).text = SAVED_TEXT


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered) + 0.5) - 1))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="pages per server (after one warm-up page each)")
    parser.add_argument("--module", default="05-moten", help="the module whose app is opened")
    parser.add_argument("--refill", action="store_true", help="also print how long the pool took to refill")
    parser.add_argument("--breakdown", action="store_true", help="also print where the pages spend their time")
    parser.add_argument("--reflection", default="reflektion", help="the module's reflection, saved before every page")
    parser.add_argument(
        "--latency", type=float, default=0.0, help="ms Chromium adds to each request, as a phone's network (0: none)"
    )
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
        stock = _stock_server(stock_notebook, stock_port, base / "stock.log", course_run.root)
        times: dict[str, list[float]] = {"stock": [], "cold": [], "preheated": []}
        marks_of: dict[str, list[dict[str, float]]] = {"stock": [], "cold": [], "preheated": []}
        refills: list[float] = []
        _clear_answers(notebook.parent, args.reflection)
        try:
            with (
                running_server(course_run.root, log_path=log, preheat=[relative], max_kernels=1) as server,
                running_server(course_run.root, log_path=base / "cirkel-cold.log") as cold,
                sync_playwright() as playwright,
            ):
                context = launch_chromium(playwright, base / "chromium")
                used = 0

                def measure(name: str, url: str, number: int) -> float:
                    page = context.new_page()
                    if args.latency:
                        _phone_network(context, page, args.latency)
                    marks: dict[str, float] = {}
                    elapsed = working_exercise(page, url, marks)
                    page.close()
                    if number:
                        times[name].append(elapsed)
                        marks_of[name].append(marks)
                    return elapsed

                try:
                    for number in range(args.runs + 1):  # the first of each is a warm-up
                        _clear_answers(stock_dir, args.reflection)
                        stock_elapsed = measure("stock", f"http://127.0.0.1:{stock_port}/", number)

                        waited = time.perf_counter()
                        _wait(
                            lambda used=used: runs_of_pool() > used, "the pool to hold a kernel that has run the module"
                        )
                        refills.append(time.perf_counter() - waited)
                        cold_elapsed = measure("cold", cold.voila_url(notebook), number)
                        _clear_answers(notebook.parent, args.reflection)  # the handover reads the store again
                        elapsed = measure("preheated", server.voila_url(notebook), number)
                        _clear_answers(notebook.parent, args.reflection)  # before the pool's next kernel reads it
                        used += 1
                        print(
                            f"  page {number}{' (warm-up)' if not number else ''}: "
                            f"stock {stock_elapsed:.2f} s, Cirkel cold {cold_elapsed:.2f} s, "
                            f"Cirkel preheated {elapsed:.2f} s",
                            flush=True,
                        )
                finally:
                    context.close()
        finally:
            _stop(stock)

    def median(name: str, key: str) -> float:
        return statistics.median(m[key] for m in marks_of[name])

    print()
    network = f", {args.latency:g} ms added to each request" if args.latency else ""
    print(f"Module {args.module}, {args.runs} pages each{network}, seconds from the request (medians; p95 of usable)")
    print(f"{'':<36} {'first paint':>11} {'ratio':>6} {'usable':>7} {'p95':>6} {'ratio':>6}")
    stock_paint, stock_usable = median("stock", "first_paint"), statistics.median(times["stock"])
    for name, label in (
        ("stock", "stock Voilà, cold start"),
        ("cold", "Cirkel, a new kernel (as on the hub)"),
        ("preheated", "Cirkel, preheated and handed over"),
    ):
        paint, usable = median(name, "first_paint"), statistics.median(times[name])
        print(
            f"{label:<36} {paint:>11.2f} {paint / stock_paint:>6.2f} {usable:>7.2f} "
            f"{_percentile(times[name], 0.95):>6.2f} {usable / stock_usable:>6.2f}"
        )
    print("first paint: her saved reflection shown; usable: the quiz answered a click with feedback")
    print("aims (issue 22): first paint at most 0.25 of stock, usable at most 0.35")
    if args.breakdown:
        for name in ("stock", "cold", "preheated"):
            print(
                f"{name}, median seconds from the request: "
                + ", ".join(
                    f"{label} {median(name, key):.2f}"
                    for key, label in (
                        ("first_byte", "first byte"),
                        ("first_paint", "saved page shown"),
                        ("dom_ready", "DOMContentLoaded"),
                        ("kernel", "kernel socket asked"),
                        ("drawn", "exercise drawn"),
                        ("feedback", "feedback shown"),
                    )
                )
            )
    if args.breakdown:
        before_kernel = median("preheated", "kernel") / stock_usable
        print(
            f"widget views on the page: {median('preheated', 'views'):.0f}; the preheated page asks for its kernel "
            f"at {before_kernel:.2f} of stock's usable, the front end's own start (no widget exists before it)"
        )
    if args.refill:
        print(f"pool refill wait before each Cirkel page: median {statistics.median(refills):.2f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
