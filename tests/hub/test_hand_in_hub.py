"""A hand-in on the hub is a fork of the hub's server zygote, which has imported nbgrader once.

Her kernel (forked by the zygote) asks the zygote on its own socket; the zygote's child runs
nbgrader's exchange and answers. No Python is started for it, so a circle handing in together
does not import nbgrader once per learner. Asked of her running kernel over its own channels, as
"Lämna in" asks it (``widgets.storage.submission.submit_module``).
"""

from __future__ import annotations

import json

import pytest
from test_answer_keys_hub import KeysHub, keys_hub  # noqa: F401  (the fixture: two runs, their homes)

from hub_process import in_kernel

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
