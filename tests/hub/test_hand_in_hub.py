"""A hand-in on the hub is a fork of the hub's server zygote, which has imported nbgrader once.

Her kernel (forked by the zygote) asks the zygote on its own socket; the zygote's child runs
nbgrader's exchange and answers. No Python is started for it, so a circle handing in together
does not import nbgrader once per learner. Asked of her running kernel over its own channels, as
"Lämna in" asks it (``widgets.storage.submission.submit_module``).

Her kernels are the zygote's children, not her server's: when her server is killed outright (the
out-of-memory killer), the zygote ends them, as ipykernel's own watch on its parent would have.
"""

from __future__ import annotations

import json
import os
import signal
import time

import psutil
import pytest
from test_answer_keys_hub import KeysHub, keys_hub  # noqa: F401  (the fixture: two runs, their homes)

from grading.system.processes import KERNEL_NAME, SERVER_NAME

from hub_process import in_kernel, processes_in

pytestmark = pytest.mark.hub

HAND_IN = """
import json, subprocess
from widgets.storage.submission import submit_module
started = []
real_run, real_popen = subprocess.run, subprocess.Popen
subprocess.run = lambda *a, **k: started.append(a) or real_run(*a, **k)
try:
    result = submit_module({folder!r})
finally:
    subprocess.run = real_run
print(json.dumps({{"started": len(started), "when": str(result.submitted_at)}}))
"""


def test_a_hand_in_is_a_fork_of_the_zygote_not_a_new_python(keys_hub: KeysHub) -> None:  # noqa: F811
    learner = "anna"
    run = keys_hub.runs[learner]
    keys_hub.hub.server(learner)
    home = run.workspace(learner).resolve()
    module = run.modules[0]
    folder = run.notebook_path(learner, module).parent.resolve()
    kernels = sorted(home.rglob("kernel-*.json"))
    assert kernels  # her landing page's preheated kernel, forked by the zygote

    said = json.loads(in_kernel(kernels[0], HAND_IN.format(folder=str(folder))))

    assert said["started"] == 0, said  # no child Python: the zygote forked the hand-in
    inbound = run.exchange_root / run.course_id / "inbound"
    assert [p.name.split("+")[:2] for p in inbound.iterdir()] == [[learner, module]]
    assert said["when"]


def _running(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def test_her_kernels_end_when_her_server_is_killed_outright(keys_hub: KeysHub) -> None:  # noqa: F811
    learner = "anna"  # last in this file: her server does not come back
    run = keys_hub.runs[learner]
    keys_hub.hub.server(learner)
    named = {pid: psutil.Process(pid).name() for pid in processes_in(run.workspace(learner).resolve())}
    (server,) = [pid for pid, name in named.items() if name == SERVER_NAME]
    kernels = [pid for pid, name in named.items() if name == KERNEL_NAME]
    assert kernels, named  # her landing page's preheated kernel at least

    os.kill(server, signal.SIGKILL)  # as the out-of-memory killer: no shutdown of her kernels

    deadline = time.monotonic() + 30  # a wait for the zygote to see her server's socket close, not a timing
    while any(_running(pid) for pid in kernels) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert [pid for pid in kernels if _running(pid)] == []
