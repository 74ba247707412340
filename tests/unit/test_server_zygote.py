"""The hub's server zygote's own parts: its request lines, and a server's
fallback when the zygote has gone. Servers and kernels forked from it in earnest: ``tests/hub/``
(every learner's server in the hub lane; ``test_hub.py`` checks what the zygote holds)."""

from __future__ import annotations

import socket

import pytest

from grading.hub import server_zygote
from grading.servers import forked_kernels
from grading.system.ports import KERNEL_PORT_RANGE, kernel_port

pytestmark = pytest.mark.unit


def test_the_zygote_never_gives_one_kernel_port_to_two_servers_while_it_may_still_be_unbound() -> None:
    given = [kernel_port("127.0.0.1") for _ in range(300)]  # sixty kernels' five ports, none bound yet
    assert len(set(given)) == len(given)
    assert all(KERNEL_PORT_RANGE[0] <= port < KERNEL_PORT_RANGE[1] for port in given)


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


def test_a_server_whose_zygote_has_gone_chooses_its_kernel_ports_itself(monkeypatch) -> None:
    ours, theirs = socket.socketpair()
    theirs.close()  # the hub restarted: the zygote's end is gone
    client = forked_kernels.ZygoteSocket(ours.detach())
    monkeypatch.setattr(forked_kernels, "_client", client)
    with pytest.raises(RuntimeError):
        client.port("127.0.0.1")
    cache = forked_kernels.ZygotePortCache()
    port = cache.find_available_port("127.0.0.1")
    assert KERNEL_PORT_RANGE[0] <= port < KERNEL_PORT_RANGE[1]
    assert client.ready is False  # every later kernel starts the stock way
