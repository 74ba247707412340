"""What a module's kernel costs from its start to a drawn page, in CPU seconds, and the imports behind it.

Every learner who opens a module, and every module page a test loads, starts one
kernel that runs the module notebook. This prints three figures for a module
(median of ``--runs``), for the checkout it runs from and, with ``--before DIR``,
for another checkout of Cirkel (say the main branch:
``git worktree add /tmp/cirkel-before main``), measured in the same run, turn about:

* **import widgets**: ``python -X importtime -c "import widgets"``, the package's
  cumulative import time as Python reports it (microseconds of wall time);
* **cells' CPU**: the CPU seconds (user + system) of the module notebook's code
  cells, grading cells included, run in order in a fresh Python that has imported
  what ipykernel imports first (so only the cells' own imports and work count);
* **kernel CPU to a drawn page**: the real thing. One Jupyter server per checkout,
  started as ``cirkel serve`` starts it (``grading.servers.serve.running_server``, no
  preheated kernels, so every page starts its own kernel), serves learner anna's
  module app of the demo course run to Debian's Chromium (Playwright, as the
  browser tests drive it). When the page's last widget, the hand-in button, is
  drawn, the kernel's process (found by the kernel id Voilà puts in the page) is
  read with psutil: its CPU seconds from its start until then. The page is then
  closed and its kernel ended through the server's API.

The first page of each server is a warm-up and not counted (the server's first
render imports). The ratio is after / before, of the medians.

Run it with ``.venv/bin/python benchmarks/kernel_start.py --before /tmp/cirkel-before``
(``--runs 5``, ``--module 05-moten``). Not a test: it needs the machine's cores.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import psutil

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests" / "browser"))

from session_memory import kernel_pid  # noqa: E402

from grading.course_runs.run import ensure_tools_on_path  # noqa: E402
from grading.servers.serve import Learner, build_demo_run, running_server  # noqa: E402

from browser_harness import launch_chromium, open_app  # noqa: E402

#: The last widget of every module page: when it is drawn, the page is.
DRAWN = ".cirkel-submit-button"

#: Runs a notebook's code cells after ipykernel's own imports; prints their CPU seconds.
_CELLS = """
import json, os, sys, time
import ipykernel.ipkernel, ipykernel.comm, IPython  # a kernel has these before the first cell
import nbformat
cells = [c.source for c in nbformat.read(sys.argv[1], as_version=4).cells if c.cell_type == "code"]
os.chdir(os.path.dirname(sys.argv[1]))
started = time.process_time()
for source in cells:
    exec(compile(source, sys.argv[1], "exec"), {"__name__": "__main__"})
print(json.dumps(time.process_time() - started))
"""


def _env(tree: Path) -> dict[str, str]:
    """The environment that makes ``tree``'s packages win (bytecode written, as ``make test`` runs)."""
    return {**os.environ, "PYTHONPATH": str(tree), "PYTHONDONTWRITEBYTECODE": "", "CIRKEL_LANG": "sv"}


def import_widgets_us(tree: Path) -> int:
    """``import widgets``'s cumulative import time in microseconds, from ``-X importtime``."""
    proc = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", "import widgets"],
        capture_output=True,
        text=True,
        env=_env(tree),
        cwd=tempfile.gettempdir(),
        check=True,
    )
    (line,) = [line for line in proc.stderr.splitlines() if line.rstrip().endswith("| widgets")]
    return int(line.split("|")[1])


def cells_cpu(tree: Path, notebook: Path) -> float:
    """CPU seconds of ``notebook``'s code cells in a fresh Python with ``tree`` first on the path."""
    proc = subprocess.run(
        [sys.executable, "-c", _CELLS, str(notebook)], capture_output=True, text=True, env=_env(tree), check=False
    )
    if proc.returncode:
        raise SystemExit(f"the cells failed with {tree}:\n{proc.stderr[-2000:]}")
    return json.loads(proc.stdout.splitlines()[-1])


def kernel_cpu_to_drawn_page(context, server, url: str) -> float:
    """Open ``url``; the CPU seconds of its kernel when the page is drawn. Closes the page, ends the kernel."""
    page = context.new_page()
    open_app(page, url, DRAWN)
    found = re.search(r'"kernelId":\s*"([0-9a-f-]{36})"', page.content())
    if not found:
        raise SystemExit("the page names no kernel id")
    pid = kernel_pid(server.process.pid, found.group(1))
    if pid is None:
        raise SystemExit(f"no process for kernel {found.group(1)}")
    times = psutil.Process(pid).cpu_times()
    page.close(run_before_unload=True)
    request = urllib.request.Request(server.url(f"api/kernels/{found.group(1)}"), method="DELETE")
    with contextlib.suppress(urllib.error.HTTPError):
        urllib.request.urlopen(request, timeout=60).close()
    deadline = time.monotonic() + 30
    while kernel_pid(server.process.pid, found.group(1)) is not None and time.monotonic() < deadline:
        time.sleep(0.2)
    return times.user + times.system


@contextlib.contextmanager
def _server_of(tree: Path, root: Path, log: Path):
    """A server whose processes (and so its kernels) import Cirkel from ``tree``."""
    saved = os.environ.get("PYTHONPATH")
    os.environ["PYTHONPATH"] = str(tree)
    try:
        manager = running_server(root, log_path=log)
        server = manager.__enter__()
    finally:
        if saved is None:
            os.environ.pop("PYTHONPATH", None)
        else:
            os.environ["PYTHONPATH"] = saved
    try:
        yield server
    finally:
        manager.__exit__(None, None, None)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="pages (and processes) per checkout, after one warm-up")
    parser.add_argument("--module", default="05-moten", help="the module of the demo course whose app is opened")
    parser.add_argument("--before", type=Path, help="another checkout of Cirkel to measure in the same run")
    args = parser.parse_args(argv)
    ensure_tools_on_path()
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import sync_playwright

    trees = {"after": REPO}
    if args.before:
        trees = {"before": args.before.resolve(), **trees}
    figures: dict[str, dict[str, list[float]]] = {name: {"import": [], "cells": [], "kernel": []} for name in trees}
    with tempfile.TemporaryDirectory(prefix="cirkel-kernel-start-") as folder:
        base = Path(folder)
        print("building the demo course run (nbgrader release and fetch) ...", flush=True)
        course_run = build_demo_run(base / "run", learners=[Learner("anna", "Anna")])
        notebook = course_run.notebook_path("anna", args.module)
        for _ in range(args.runs):
            for name, tree in trees.items():
                figures[name]["import"].append(import_widgets_us(tree))
                figures[name]["cells"].append(cells_cpu(tree, notebook))
        with contextlib.ExitStack() as stack, sync_playwright() as playwright:
            servers = {
                name: stack.enter_context(_server_of(tree, course_run.root, base / f"{name}.log"))
                for name, tree in trees.items()
            }
            context = launch_chromium(playwright, base / "chromium")
            try:
                for number in range(args.runs + 1):  # the first of each is a warm-up
                    for name, server in servers.items():
                        try:
                            cpu = kernel_cpu_to_drawn_page(context, server, server.voila_url(notebook))
                        except PlaywrightError as exc:  # a page not drawn in time on a busy machine: not counted
                            print(f"  page {number} {name}: not drawn ({type(exc).__name__}), left out", flush=True)
                            continue
                        if number:
                            figures[name]["kernel"].append(cpu)
                        print(f"  page {number} {name}: kernel {cpu:.2f} CPU s", flush=True)
            finally:
                context.close()

    print()
    print(
        f"Module {args.module}, median of {args.runs} (same run, turn about; pages counted: "
        + ", ".join(f"{name} {len(figures[name]['kernel'])}" for name in trees)
        + ")"
    )
    rows = (
        ("import", "`import widgets` (importtime, ms)", 1 / 1000),
        ("cells", "the module's code cells (CPU s)", 1),
        ("kernel", "kernel from start to a drawn page (CPU s)", 1),
    )
    print("| figure | " + " | ".join(trees) + (" | after / before |" if args.before else " |"))
    print("|---|" + "---|" * (len(trees) + bool(args.before)))
    for key, label, scale in rows:
        if not all(figures[name][key] for name in trees):
            print(f"| {label} | no figure |")
            continue
        medians = {name: statistics.median(figures[name][key]) * scale for name in trees}
        cells = " | ".join(f"{value:.3f}" for value in medians.values())
        ratio = f" | {medians['after'] / medians['before']:.2f} |" if args.before else " |"
        print(f"| {label} | {cells}{ratio}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
