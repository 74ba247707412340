"""How fast ``cirkel --help`` answers, against the stock tools' ``--help`` in the same run.

What is real: the installed console scripts of the project's venv
(``.venv/bin/cirkel``, ``.venv/bin/nbgrader``, ``.venv/bin/jupyter``), each started
as a new process the way a course leader starts it from a shell, its output
thrown away. Nothing is simulated. Each run is timed from start to exit (wall
time, ``time.perf_counter`` around ``subprocess.run``); the commands take turns
run by run so that a busy moment on the machine falls on all of them alike, and
one untimed run of each comes first to fill the file cache.

Then each command runs once more under ``python -X importtime``, and the table
gives the number of modules it imported and which of the Jupyter stack
(jupyter_server, nbgrader, ipywidgets, pandas, ...) were among them.

Run it with ``.venv/bin/python benchmarks/cli_startup.py`` (``--runs 20`` for
steadier figures). It prints the median and p95 (nearest rank) per command and
the ratio of each stock tool's median to ``cirkel --help``'s.
"""

from __future__ import annotations

import argparse
import math
import statistics
import subprocess
import sys
import time
from pathlib import Path

BIN = Path(sys.executable).parent
#: Packages of the Jupyter stack that ``cirkel --help`` must not import.
STACK = (
    "jupyter_server",
    "jupyter_client",
    "jupyter_core",
    "nbgrader",
    "nbconvert",
    "nbformat",
    "ipywidgets",
    "ipykernel",
    "IPython",
    "traitlets",
    "tornado",
    "zmq",
    "sqlalchemy",
    "pandas",
    "numpy",
    "voila",
)
COMMANDS = {
    "cirkel --help": [str(BIN / "cirkel"), "--help"],
    "nbgrader --help": [str(BIN / "nbgrader"), "--help"],
    "jupyter --help": [str(BIN / "jupyter"), "--help"],
}


def wall_time(command: list[str]) -> float:
    """Seconds from start to exit of one run of ``command``; a failing command stops the benchmark."""
    start = time.perf_counter()
    done = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed ({done.returncode}): {done.stderr.decode()[-500:]}")
    return elapsed


def imported(command: list[str]) -> list[str]:
    """The modules ``command`` imports, read from ``python -X importtime`` (the script run by this Python)."""
    done = subprocess.run(
        [sys.executable, "-X", "importtime", *command],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        check=True,
    )
    return [
        line.rsplit("|", 1)[1].strip()
        for line in done.stderr.splitlines()
        if line.startswith("import time:") and "|" in line and not line.rstrip().endswith("| package")
    ]


def p95(values: list[float]) -> float:
    """The 95th percentile, nearest rank."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10, help="timed runs of each command (after one untimed)")
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error("--runs must be 1 or more")

    for command in COMMANDS.values():
        wall_time(command)  # untimed: the file cache
    times: dict[str, list[float]] = {name: [] for name in COMMANDS}
    for _ in range(args.runs):
        for name, command in COMMANDS.items():
            times[name].append(wall_time(command))

    ours = statistics.median(times["cirkel --help"])
    print(f"{args.runs} runs each, wall time from start to exit, commands taking turns")
    print("| command | median ms | p95 ms | median vs cirkel --help | modules imported | Jupyter stack imported |")
    print("|---|---|---|---|---|---|")
    for name, command in COMMANDS.items():
        modules = imported(command)
        tops = {module.split(".")[0] for module in modules}
        stack = [package for package in STACK if package in tops]
        median = statistics.median(times[name])
        print(
            f"| {name} | {median * 1000:.0f} | {p95(times[name]) * 1000:.0f} | {median / ours:.1f}x "
            f"| {len(modules)} | {', '.join(stack) or '-'} |"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
