"""The memory of one learner session: one module open as its Voilà app in Chromium.

Builds a demo course run (``grading.serve.build_demo_run``), starts the server
exactly as ``cirkel serve`` does (``grading.serve.start_server``), opens one
learner's first module in Debian's Chromium through Playwright as the browser
tests do, waits until the page is drawn, then reads the proportional set size
(PSS, shared pages split between the processes sharing them) of the module's
kernel and of the server from ``/proc/<pid>/smaps_rollup``. Run it with
``.venv/bin/python benchmarks/session_memory.py``; it prints the figures in MiB.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests" / "browser"))

from browser_harness import launch_chromium, open_app  # noqa: E402

from grading.run import ensure_tools_on_path  # noqa: E402
from grading.serve import build_demo_run, running_server  # noqa: E402


def rollup_kib(pid: int, field: str = "Pss") -> int:
    """A figure of ``/proc/<pid>/smaps_rollup`` in KiB (``Pss`` or ``Rss``)."""
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1])
    raise RuntimeError(f"no {field} in /proc/{pid}/smaps_rollup")


def pss_kib(pid: int) -> int:
    """The process's PSS in KiB: its own pages plus its share of pages shared with others."""
    return rollup_kib(pid, "Pss")


def children(pid: int) -> list[int]:
    """Every descendant process of ``pid``."""
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        kids = (task / "children").read_text().split()
        for kid in map(int, kids):
            found += [kid, *children(kid)]
    return found


def cmdline(pid: int) -> str:
    return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")


def main() -> int:
    ensure_tools_on_path()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="cirkel-minne-") as folder:
        course_run = build_demo_run(Path(folder) / "run")
        module = course_run.modules[0]
        with running_server(course_run.root, log_path=Path(folder) / "server.log") as server:
            before = set(children(server.process.pid))
            server_idle = pss_kib(server.process.pid)
            with sync_playwright() as playwright:
                context = launch_chromium(playwright, Path(folder) / "profil")
                page = context.new_page()
                open_app(page, server.voila_url(course_run.notebook_path("anna", module)), ".cirkel-submit-button")
                kernels = [pid for pid in children(server.process.pid)
                           if pid not in before and "ipykernel" in cmdline(pid)]
                if len(kernels) != 1:
                    print(f"expected one kernel, found {kernels}", file=sys.stderr)
                    return 1
                kernel = pss_kib(kernels[0])
                kernel_rss = rollup_kib(kernels[0], "Rss")
                server_busy = pss_kib(server.process.pid)
                context.close()
    mib = 1024
    print(f"module opened: {module} (learner anna), Voilà app in Chromium")
    print(f"kernel PSS: {kernel / mib:.0f} MiB (RSS {kernel_rss / mib:.0f} MiB)")
    print(f"server PSS idle: {server_idle / mib:.0f} MiB, with the session: {server_busy / mib:.0f} MiB")
    print(f"one learner session (kernel + server growth): {(kernel + server_busy - server_idle) / mib:.0f} MiB")
    print(f"one learner's own server and kernel (a JupyterHub single-user pod): "
          f"{(kernel + server_busy) / mib:.0f} MiB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
