"""The hub's server zygote's own parts: its request lines and what it forks. Servers and kernels
forked from it in earnest: ``tests/hub/`` (every learner's server in the hub lane; ``test_hub.py``
checks what the zygote holds, ``test_hand_in_hub.py`` its hand-ins and a killed server's kernels).
Kernel ports, which servers and the zygote each take machine-wide: ``test_kernel_port_promise.py``."""

from __future__ import annotations

import pytest

from grading.hub import server_zygote

pytestmark = pytest.mark.unit


def test_request_lines_are_read_whole_and_an_endless_one_is_dropped() -> None:
    buffers: dict[int, bytes] = {}
    assert server_zygote._lines(buffers, 5, b'{"port": "127.0.') == []  # half a line: wait for the rest
    assert server_zygote._lines(buffers, 5, b'0.1"}\n{"port": ""}\n') == [{"port": "127.0.0.1"}, {"port": ""}]
    assert server_zygote._lines(buffers, 6, b"x" * (server_zygote.REQUEST_BYTES + 1)) == []
    assert buffers[6] == b""  # not kept growing


def test_only_jupyterhubs_single_user_server_is_forked() -> None:
    assert server_zygote.forkable(["/venv/bin/jupyterhub-singleuser", "--config=x.py"])
    assert not server_zygote.forkable(["/venv/bin/jupyter-lab"])
    assert not server_zygote.forkable([])
