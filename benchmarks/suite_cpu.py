"""Where ``make test`` spends the machine's CPU: seconds per work unit and per kind of process.

The test phase is bound by the cores (a 2-core machine runs three xdist workers), so its
length is the CPU it uses divided by two, and what to cut is what uses the most CPU. The
suite's own ``--durations`` cannot say that: a test that waits for a hub is slow but cheap.
This runs the suite as ``make test`` does, samples every process's CPU time once a second
(psutil), gives each process to the xdist worker it descends from (by the worker's
environment, else its parent's) and each second of it to the work unit
(``tests/conftest.py``'s ``work_unit``) that worker was running then.

Run: ``.venv/bin/python benchmarks/suite_cpu.py [--workers 3] [pytest arguments ...]``.
Prints the CPU seconds of the whole suite by kind of process (Chromium, kernels, servers,
the hub ...) and the 40 work units that used most. Other work on the machine is counted
apart ("not under a worker").
"""

from __future__ import annotations

import argparse
import bisect
import collections
import glob
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

REPO = Path(__file__).resolve().parents[1]
KINDS = (
    "ipykernel",
    "jupyterhub-singleuser",
    "jupyterhub",
    "configurable-http-proxy",
    "voila",
    "chrom",
    "postgres",
    "nbgrader",
    "playwright",
    "jupyter",
    "cirkel",
)


def _kind(cmdline: list[str]) -> str:
    text = " ".join(cmdline)[:300]
    for kind in KINDS:
        if kind in text:
            return kind
    if "exec(eval(sys.stdin" in text:
        return "pytest worker"
    return cmdline[0].rsplit("/", 1)[-1] if cmdline else "?"


class Sampler(threading.Thread):
    """Once a second: the CPU every process used since the last look, by (worker, kind)."""

    def __init__(self, out: Path) -> None:
        super().__init__(daemon=True)
        self.out = out
        self.seen: dict[tuple[int, float], tuple[float, str, str]] = {}
        self.samples: list[tuple[float, dict[tuple[str, str], float]]] = []
        self.stop = threading.Event()

    def _owner(self, process: psutil.Process, procs: dict[int, tuple[int, float]]) -> tuple[str, str]:
        env = process.environ()
        # a worker of this run only: other pytest-xdist runs on the machine have workers named gw0 too
        worker = env.get("PYTEST_XDIST_WORKER", "") if env.get("SUITE_CPU_OUT") == str(self.out) else ""
        named = Path(f"{self.out}-pid-{process.pid}")
        if not worker and named.exists():
            worker = named.read_text(encoding="utf-8")
        parent = procs[process.pid][0]
        while not worker and parent in procs and parent > 1:
            known = self.seen.get((parent, procs[parent][1]))
            if known and known[1]:
                worker = known[1]
                break
            parent = procs[parent][0]
        return worker, _kind(process.cmdline())

    def run(self) -> None:
        while not self.stop.wait(1.0):
            procs, cpu = {}, {}
            found = list(psutil.process_iter(["ppid", "cpu_times", "create_time"]))
            for process in found:
                times = process.info["cpu_times"]
                if times is not None:
                    procs[process.pid] = (process.info["ppid"], process.info["create_time"])
                    cpu[process.pid] = times.user + times.system
            used: dict[tuple[str, str], float] = collections.defaultdict(float)
            for process in found:
                key = (process.pid, procs.get(process.pid, (0, 0.0))[1])
                if process.pid not in cpu:
                    continue
                if key in self.seen and (self.seen[key][1] or self.seen[key][2] != "pytest worker"):
                    before, worker, kind = self.seen[key]
                else:  # new (or a worker not yet named): all of its CPU so far, unless this is the first look
                    try:
                        worker, kind = self._owner(process, procs)
                    except psutil.Error:
                        continue
                    before = self.seen[key][0] if key in self.seen else cpu[process.pid] if not self.samples else 0.0
                self.seen[key] = (cpu[process.pid], worker, kind)
                if cpu[process.pid] > before:
                    used[(worker, kind)] += cpu[process.pid] - before
            self.samples.append((time.time(), dict(used)))


def _unit_at(intervals: dict[str, list[tuple[float, float, str]]], worker: str, moment: float) -> str:
    runs = intervals.get(worker, [])
    at = bisect.bisect_right([start for start, _, _ in runs], moment) - 1
    if at >= 0 and moment <= runs[at][1] + 1.5:  # a sample covers the second before it
        return runs[at][2]
    return "(between tests: session fixtures starting and stopping)"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=(os.cpu_count() or 2) + 1)
    options, pytest_args = parser.parse_known_args()
    sys.path.insert(0, str(REPO / "tests"))
    from conftest import work_unit

    folder = Path(tempfile.mkdtemp(prefix="suite-cpu-"))
    env = {
        **os.environ,
        "SUITE_CPU_OUT": str(folder / "tests"),
        "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO / "benchmarks"), os.environ.get("PYTHONPATH")])),
        "PYTHONDONTWRITEBYTECODE": "",
    }
    sampler = Sampler(folder / "tests")
    sampler.start()
    began = time.monotonic()
    command = [sys.executable, "-m", "pytest", "-n", str(options.workers), "-q", "-p", "_suite_cpu_plugin"]
    status = subprocess.call([*command, *pytest_args], cwd=REPO, env=env)
    took = time.monotonic() - began
    sampler.stop.set()
    sampler.join()

    intervals: dict[str, list[tuple[float, float, str]]] = collections.defaultdict(list)
    for name in glob.glob(str(folder / "tests-*.jsonl")):
        with open(name, encoding="utf-8") as lines:
            for line in lines:
                test = json.loads(line)
                intervals[test["worker"]].append((test["start"], test["end"], work_unit(test["id"])))
    for runs in intervals.values():
        runs.sort()
    by_unit: dict[str, float] = collections.defaultdict(float)
    unit_kinds: dict[str, dict[str, float]] = collections.defaultdict(lambda: collections.defaultdict(float))
    by_kind: dict[str, float] = collections.defaultdict(float)
    outside = 0.0
    for moment, used in sampler.samples:
        for (worker, kind), seconds in used.items():
            if not worker:
                outside += seconds
                continue
            unit = _unit_at(intervals, worker, moment)
            by_unit[unit] += seconds
            unit_kinds[unit][kind] += seconds
            by_kind[kind] += seconds
    total = sum(by_kind.values())
    print(f"\npytest exit {status}; test phase {took:.0f} s with {options.workers} workers")
    print(f"the suite used {total:.0f} CPU seconds ({total / took:.2f} cores on average); other work {outside:.0f}")
    for kind, seconds in sorted(by_kind.items(), key=lambda item: -item[1])[:10]:
        print(f"  {seconds:7.0f} s {100 * seconds / total:4.0f} %  {kind}")
    print("work units using the most CPU:")
    for unit, seconds in sorted(by_unit.items(), key=lambda item: -item[1])[:40]:
        kinds = ", ".join(f"{k} {v:.0f}" for k, v in sorted(unit_kinds[unit].items(), key=lambda item: -item[1])[:4])
        print(f"  {seconds:7.1f} s  {unit}  [{kinds}]")
    return status


if __name__ == "__main__":
    raise SystemExit(main())
