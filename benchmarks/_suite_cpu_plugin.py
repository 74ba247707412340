"""pytest plugin for ``benchmarks/suite_cpu.py``: when each test ran, on which xdist worker.

Loaded with ``-p _suite_cpu_plugin`` (``benchmarks/`` on ``PYTHONPATH``); writes one JSON line
per test to ``$SUITE_CPU_OUT-<worker>.jsonl`` (wall-clock times, to match the sampler's), and
each worker's process id to ``$SUITE_CPU_OUT-pid-<pid>``.
"""

from __future__ import annotations

import json
import os
import time

import pytest


def pytest_configure(config) -> None:
    """Name this worker's process for the sampler (xdist sets the variable only in ``os.environ``)."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if worker:
        with open(f"{os.environ['SUITE_CPU_OUT']}-pid-{os.getpid()}", "w", encoding="utf-8") as out:
            out.write(worker)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item, nextitem):
    began = time.time()
    yield
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    with open(f"{os.environ['SUITE_CPU_OUT']}-{worker}.jsonl", "a", encoding="utf-8") as out:
        out.write(json.dumps({"id": item.nodeid, "worker": worker, "start": began, "end": time.time()}) + "\n")
