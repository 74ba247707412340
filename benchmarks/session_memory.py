"""The memory of one idle learner session: each module open as its Voilà app in Chromium.

What is real: the demo course run (``grading.servers.serve.build_demo_run``), the one
Jupyter server with Voilà started exactly as ``cirkel serve`` starts it
(``grading.servers.serve.running_server``), Debian's Chromium driven by Playwright as
the browser tests drive it, and Voilà's own kernels executing the learner's
fetched module notebooks (learner ``anna``), grading cells included, as in the
app, and the learner's landing page "Mina moduler" (reported apart from the
modules). Nothing is simulated; the learner only opens a page and leaves it idle.

What is measured: the proportional set size (PSS, ``/proc/<pid>/smaps_rollup``:
a process's own pages plus its share of pages it shares with others) of

* the page's kernel, found by the kernel id Voilà puts in the page (so a pool of
  preheated kernels does not confuse it);
* the server, before the page opens and while it is open;
* **the session**: the growth of the summed PSS of the server and all its
  kernels when the page opens. The sum of PSS over processes is the physical
  memory they use, so its growth is what one more learner costs on a shared
  server. The server's own growth alone would mislead: a new kernel maps the
  same libraries as the server, which *lowers* the server's PSS as the pages are
  split one more way, and the growth of a long-lived server partly stays after
  the page closes (Python keeps freed memory). That is also why the server is
  not divided by its sessions: its ~110 MiB base (JupyterLab, Voilà, nbgrader's
  formgrader) is paid once, however many learners it serves.

The stock tool, measured in the same run on the same server: Voilà with a stock
ipykernel running an empty notebook (one Markdown cell), and one with a single
stock ipywidgets ``IntSlider``. The ratio is Cirkel's session against the stock
ipywidgets session. Before any figure is taken, one stock page is opened and
closed so that the server's first-render imports are not charged to whichever
page comes first. Pages are opened one at a time: after its figures are read a
page is closed and its kernel ended through the server's ``/api/kernels``.

``--imports`` also runs each notebook's code cells in a fresh ipykernel
(``jupyter_client``, the notebook's folder as working directory) and lists
which heavy packages its ``sys.modules`` holds afterwards (the kernel Voilà
starts is the same ipykernel, but Voilà refuses to run extra code in it).

Run it with ``.venv/bin/python benchmarks/session_memory.py`` (all modules;
``--module 02-klass-unga-platsen`` for one, repeatable; ``--imports`` for the
import listing). Figures are in MiB (1,048,576 bytes).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import re
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests" / "browser"))

from grading.course_runs.run import ensure_tools_on_path  # noqa: E402
from grading.servers.serve import HOME_NOTEBOOK, build_demo_run, running_server  # noqa: E402

from browser_harness import launch_chromium, open_app  # noqa: E402

#: The aim of issue 8: one idle module session costs at most this much.
AIM_MIB = 80
#: Packages a learner's kernel should not need; listed by ``--imports`` when present.
HEAVY = (
    "pandas",
    "numpy",
    "matplotlib",
    "openpyxl",
    "fpdf",
    "docx",
    "lxml",
    "PIL",
    "sqlalchemy",
    "nbgrader",
    "nbconvert",
    "jupyter_server",
    "grading.reports.dashboard",
    "grading.reports.completion",
)
STOCK_EMPTY = "tom"
STOCK_WIDGET = "ipywidgets"
HOME = "mina-moduler (hem)"
MIB = 1024  # KiB per MiB


def rollup_kib(pid: int, field: str = "Pss") -> int:
    """A figure of ``/proc/<pid>/smaps_rollup`` in KiB (``Pss`` or ``Rss``); 0 if the process is gone."""
    try:
        text = Path(f"/proc/{pid}/smaps_rollup").read_text()
    except (FileNotFoundError, ProcessLookupError):
        return 0
    for line in text.splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1])
    raise RuntimeError(f"no {field} in /proc/{pid}/smaps_rollup")


def pss_kib(pid: int) -> int:
    """The process's PSS in KiB: its own pages plus its share of pages shared with others."""
    return rollup_kib(pid, "Pss")


def children(pid: int) -> list[int]:
    """Every descendant process of ``pid`` (processes that end meanwhile are skipped)."""
    found = []
    try:
        tasks = list(Path(f"/proc/{pid}/task").iterdir())
    except FileNotFoundError:
        return found
    for task in tasks:
        try:
            kids = (task / "children").read_text().split()
        except FileNotFoundError:
            continue
        for kid in map(int, kids):
            found += [kid, *children(kid)]
    return found


def cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except FileNotFoundError:
        return ""


def tree_pss_kib(root: int) -> int:
    """The summed PSS of ``root`` and all its descendants: the physical memory the tree uses."""
    return sum(pss_kib(pid) for pid in [root, *children(root)])


def kernel_pid(server_pid: int, kernel_id: str) -> int | None:
    """The server's kernel process whose connection file names ``kernel_id``."""
    for pid in children(server_pid):
        if f"kernel-{kernel_id}.json" in cmdline(pid):
            return pid
    return None


@dataclass
class Session:
    """One page's figures, in KiB."""

    name: str
    kernel_pss: int
    kernel_rss: int
    server_before: int
    server_with: int
    tree_before: int
    tree_with: int

    @property
    def cost(self) -> int:
        """What the session adds: the growth of the summed PSS of server and kernels."""
        return self.tree_with - self.tree_before


def stock_notebooks(folder: Path) -> dict[str, Path]:
    """The stock baselines: an empty notebook, and one stock ipywidgets slider."""
    import nbformat

    folder.mkdir(parents=True, exist_ok=True)
    made = {}
    for name, cells in (
        (STOCK_EMPTY, [nbformat.v4.new_markdown_cell("# Tom anteckningsbok")]),
        (STOCK_WIDGET, [nbformat.v4.new_code_cell("import ipywidgets as ipw\nipw.IntSlider(description='Stock')")]),
    ):
        notebook = nbformat.v4.new_notebook(cells=cells)
        notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
        path = folder / f"{name}.ipynb"
        nbformat.write(notebook, path)
        made[name] = path
    return made


def measure_page(context, server, url: str, ready: str, name: str, settle: float) -> Session:
    """Open ``url``, wait until ``ready`` is drawn and the kernel is idle, read the figures, close it."""
    pid = server.process.pid
    tree_before = tree_pss_kib(pid)
    server_before = pss_kib(pid)
    page = context.new_page()
    open_app(page, url, ready)
    found = re.search(r'"kernelId":\s*"([0-9a-f-]{36})"', page.content())
    if not found:
        raise RuntimeError(f"{name}: the page names no kernel id")
    kernel = kernel_pid(pid, found.group(1))
    if kernel is None:
        raise RuntimeError(f"{name}: no process for kernel {found.group(1)}")
    time.sleep(settle)  # idle: the page is drawn and nothing runs
    session = Session(
        name, pss_kib(kernel), rollup_kib(kernel, "Rss"), server_before, pss_kib(pid), tree_before, tree_pss_kib(pid)
    )
    page.close(run_before_unload=True)
    # the learner has left: end the kernel through the server's API (as Voilà's culling would, later),
    # so that the next page is measured beside the server alone
    request = urllib.request.Request(server.url(f"api/kernels/{found.group(1)}"), method="DELETE")
    with contextlib.suppress(urllib.error.HTTPError):
        urllib.request.urlopen(request, timeout=60).close()
    deadline = time.monotonic() + 30
    while kernel_pid(pid, found.group(1)) is not None and time.monotonic() < deadline:
        time.sleep(0.2)
    if kernel_pid(pid, found.group(1)) is not None:
        print(f"  {name}: the kernel outlived its page", file=sys.stderr, flush=True)
    return session


def kernel_imports(notebook: Path) -> tuple[int, list[str]]:
    """Run ``notebook``'s code cells in a fresh ipykernel; its module count and the heavy ones."""
    import nbformat
    from jupyter_client.manager import start_new_kernel

    manager, client = start_new_kernel(
        kernel_name="python3", cwd=str(notebook.parent), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        for cell in nbformat.read(notebook, as_version=4).cells:
            if cell.cell_type == "code":
                client.execute_interactive(
                    cell.source, timeout=120, store_history=False, output_hook=lambda _message: None
                )
        lines: list[str] = []

        def hook(message):
            if message["msg_type"] == "stream":
                lines.append(message["content"]["text"])

        client.execute_interactive(
            "import sys, json; print(json.dumps(sorted(sys.modules)))", timeout=60, output_hook=hook
        )
        modules = json.loads("".join(lines))
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)
    heavy = [name for name in HEAVY if name in modules]
    return len(modules), heavy


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--module", action="append", default=[], help="a module of the demo course (repeatable); all modules by default"
    )
    parser.add_argument("--learner", default="anna", help="the demo learner whose modules are opened")
    parser.add_argument("--settle", type=float, default=2.0, help="seconds the drawn page stays idle before reading")
    parser.add_argument(
        "--imports", action="store_true", help="also list the heavy packages each notebook's kernel imports"
    )
    args = parser.parse_args(argv)
    ensure_tools_on_path()
    from playwright.sync_api import sync_playwright

    sessions: list[Session] = []
    imports: dict[str, tuple[int, list[str]]] = {}
    with tempfile.TemporaryDirectory(prefix="cirkel-minne-") as folder:
        course_run = build_demo_run(Path(folder) / "run")
        modules = args.module or list(course_run.modules)
        unknown = [m for m in modules if m not in course_run.modules]
        if unknown:
            parser.error(f"unknown module(s) {unknown}; the demo course has {course_run.modules}")
        stock = stock_notebooks(course_run.root / "stock")
        pages = [(STOCK_EMPTY, stock[STOCK_EMPTY], "body"), (STOCK_WIDGET, stock[STOCK_WIDGET], ".widget-slider")]
        pages.append((HOME, course_run.workspace(args.learner) / HOME_NOTEBOOK.name, ".cirkel-home-table"))
        pages += [(m, course_run.notebook_path(args.learner, m), ".cirkel-submit-button") for m in modules]
        with running_server(course_run.root, log_path=Path(folder) / "server.log") as server:
            with sync_playwright() as playwright:
                context = launch_chromium(playwright, Path(folder) / "profil")
                measure_page(context, server, server.voila_url(stock[STOCK_EMPTY]), "body", "warm-up", args.settle)
                for name, notebook, ready in pages:
                    sessions.append(measure_page(context, server, server.voila_url(notebook), ready, name, args.settle))
                    print(f"  measured {name}", file=sys.stderr, flush=True)
                context.close()
        if args.imports:
            for name, notebook, _ready in pages:
                imports[name] = kernel_imports(Path(notebook))

    def mib(kib: int) -> str:
        return f"{kib / MIB:.1f}"

    print(f"Idle Voilà sessions, learner {args.learner}, one page open at a time, MiB (PSS unless said)")
    head = "| page | kernel PSS | kernel RSS | server growth | session (server+kernels growth) | vs stock ipywidgets |"
    print(head)
    print("|---|---|---|---|---|---|")
    base = next(s for s in sessions if s.name == STOCK_WIDGET).cost
    for s in sessions:
        print(
            f"| {s.name} | {mib(s.kernel_pss)} | {mib(s.kernel_rss)} | {mib(s.server_with - s.server_before)} "
            f"| {mib(s.cost)} | {s.cost / base:.2f}x |"
        )
    cirkel = [s for s in sessions if s.name not in (STOCK_EMPTY, STOCK_WIDGET, HOME)]
    costs = sorted(s.cost for s in cirkel)
    print()
    print(f"server PSS before the first page: {mib(sessions[0].server_before)} MiB (paid once per server)")
    print(
        f"Cirkel module sessions: median {mib(int(statistics.median(costs)))} MiB, max {mib(costs[-1])} MiB "
        f"({max(cirkel, key=lambda s: s.cost).name}); aim <= {AIM_MIB} MiB: "
        f"{'met' if costs[-1] <= AIM_MIB * MIB else 'NOT met'}"
    )
    print(
        f"ratio, median module session / stock ipywidgets session: {statistics.median(costs) / base:.2f}x; "
        f"/ stock empty notebook: {statistics.median(costs) / sessions[0].cost:.2f}x"
    )
    if imports:
        print()
        print("| page | modules in the kernel's sys.modules | heavy packages imported |")
        print("|---|---|---|")
        for name, (count, heavy) in imports.items():
            print(f"| {name} | {count} | {', '.join(heavy) or '-'} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
