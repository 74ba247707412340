"""``hub_load.py``'s table: each step's median, p95 and maximum, the failures, and the memory of
the learners' sessions.
"""

from __future__ import annotations

import math
import os
import re
import statistics
from pathlib import Path

from _hub_steps import STEPS, LearnerRun

__all__ = ["percentile", "machine", "report"]


def percentile(values: list[float], share: float) -> float:
    """The nearest-rank percentile: the smallest value with ``share`` of the values at or below it."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def machine() -> str:
    info = Path("/proc/cpuinfo").read_text()
    model = re.search(r"model name\s*:\s*(.+)", info)
    ram = int(re.search(r"MemTotal:\s*(\d+)", Path("/proc/meminfo").read_text()).group(1))
    return f"{os.cpu_count()} cores ({model.group(1).strip() if model else 'unknown CPU'}), {ram / 1024**2:.1f} GiB RAM"


def report(runs: list[LearnerRun], memory: dict[str, tuple[int, list[int]]], wall: float) -> str:
    mib = 1024
    failed = [r for r in runs if r.error]
    lines = [
        f"Learners: {len(runs)}    failures: {len(failed)}    wall time: {wall:.1f} s",
        f"Machine:  {machine()}",
        "",
        f"{'step':<14}{'done':>6}{'median s':>11}{'p95 s':>9}{'max s':>9}",
    ]
    for step in (*STEPS, "total"):
        values = [
            r.total if step == "total" else r.times[step]
            for r in runs
            if (step == "total" and not r.error) or (step != "total" and step in r.times)
        ]
        if values:
            lines.append(
                f"{step:<14}{len(values):>6}{statistics.median(values):>11.1f}"
                f"{percentile(values, 0.95):>9.1f}{max(values):>9.1f}"
            )
        else:
            lines.append(f"{step:<14}{0:>6}{'-':>11}{'-':>9}{'-':>9}")
    usable = [sum(r.times[s] for s in STEPS[:3]) for r in runs if all(s in r.times for s in STEPS[:3])]
    if usable:  # issue 22's figure: from the login to the module drawn and ready for her first answer
        lines.append(
            f"{'login->module':<14}{len(usable):>6}{statistics.median(usable):>11.1f}"
            f"{percentile(usable, 0.95):>9.1f}{max(usable):>9.1f}"
        )
    if failed:
        lines += ["", "Failures:"] + [f"  {r.name}: {r.error}" for r in failed]
    notes = [f"  {r.name}: {note}" for r in runs for note in r.notes]
    if notes:
        lines += ["", "Notes:", *notes]
    lines.append("")
    first = runs[0].name
    if first in memory:
        server, kernels = memory[first]
        lines.append(
            f"One learner session ({first}): {(server + sum(kernels)) / mib:.0f} MiB PSS "
            f"(server {server / mib:.0f} MiB + {len(kernels)} Voilà kernel(s) "
            f"{', '.join(f'{k / mib:.0f}' for k in kernels) or '-'} MiB)"
        )
    else:
        lines.append(f"One learner session ({first}): no running server found")
    if memory:
        totals = [server + sum(kernels) for server, kernels in memory.values()]
        lines.append(
            f"All {len(memory)} learner sessions: median {statistics.median(totals) / mib:.0f} MiB each, "
            f"{sum(totals) / mib:.0f} MiB together "
            f"({sum(len(k) for _, k in memory.values())} kernels)"
        )
    return "\n".join(lines)
