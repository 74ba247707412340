"""Ports given out on one machine, kernels' and servers': never the same port to two processes within the hold."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

import pytest

from grading.system import ports

pytestmark = pytest.mark.unit

TAKE = "import json; from grading.system.ports import {0}; print(json.dumps([{0}() for _ in range(150)]))"


@pytest.mark.parametrize(
    ("chooser", "within"), [("kernel_port", ports.KERNEL_PORT_RANGE), ("free_port", ports.PORT_RANGE)]
)
def test_two_processes_choosing_at_once_never_get_one_port(chooser, within):
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path))
    take = TAKE.format(chooser)
    procs = [subprocess.Popen([sys.executable, "-c", take], stdout=subprocess.PIPE, env=env) for _ in range(2)]
    taken = [json.loads(proc.communicate(timeout=120)[0]) for proc in procs]
    assert all(len(set(each)) == 150 for each in taken)
    assert not set(taken[0]) & set(taken[1])
    low, high = within
    assert all(low <= port < high for each in taken for port in each)


def test_a_preferred_port_stays_the_same_from_run_to_run():
    port = ports.free_port()  # promised now, as a hub's API port chosen at its last start
    assert ports.free_port(preferred=port) == port  # its next start, within the hold, gets it again


def test_a_promise_holds_for_the_hold_and_a_stale_one_is_taken_again(tmp_path):
    assert ports._promise(tmp_path, 27001)
    assert not ports._promise(tmp_path, 27001)  # another process asking within the hold
    stale = time.time() - ports.PORT_HOLD_SECONDS - 1
    os.utime(tmp_path / "27001", (stale, stale))
    assert ports._promise(tmp_path, 27001)  # its kernel has bound the port or ended long since
    assert not ports._promise(tmp_path, 27001)
