"""A learner's page kernels forked from the hub's server zygote, which has imported them already.

A learner's server forked by :mod:`grading.hub.server_zygote` keeps one end of a socket to that
zygote (its number in :data:`KERNEL_FD_ENV`). Its Voilà kernels are asked of the zygote over it
instead of started as new Pythons: the zygote has imported ipykernel, ipywidgets and Cirkel's
widgets once, so a kernel skips their import (about half a second of CPU, twice in a learner's
visit) and its pages stay shared with every other learner's kernels.

The kernels are ordinary ``IPKernelApp`` processes, each in a session of its own, with the
command line, environment and folder the server's kernel manager asked for
(:class:`grading.autograde.kernel_zygote.ForkingProvisioner`, the grader's); they are the
zygote's children, which reaps them, and the server stops, interrupts and polls them by pid.
If the zygote has gone (the hub restarted while the server ran), a kernel starts the stock way.
"""

from __future__ import annotations

import json
import os
import socket
import threading
from typing import Any

from jupyter_client.provisioning import KernelProvisionerFactory

from grading.autograde.kernel_zygote import ForkingProvisioner
from widgets.core.setting_env import KERNEL_ZYGOTE_FD_ENV

__all__ = ["KERNEL_FD_ENV", "fork_kernels_from_the_zygote"]

#: the environment variable that hands a forked server its end of the socket to the zygote
KERNEL_FD_ENV = KERNEL_ZYGOTE_FD_ENV
#: the most of one answer read from the zygote (a pid)
ANSWER_BYTES = 4096

_client: ZygoteSocket | None = None


class ZygoteSocket:
    """The server's end of its socket to the zygote: what ``ForkingProvisioner`` asks a zygote."""

    def __init__(self, fd: int) -> None:
        self._sock = socket.socket(fileno=fd)
        self._lock = threading.Lock()
        self._buffer = b""
        self.ready = True

    def fork(self, argv: list[str], env: dict[str, str], cwd: str) -> int:
        """The pid of a new kernel started with ``argv`` (after ``-m ipykernel_launcher``)."""
        return int(self._ask({"argv": argv, "env": env, "cwd": cwd})["pid"])

    def _ask(self, request: dict[str, Any]) -> dict[str, Any]:
        with self._lock:
            try:
                self._sock.sendall((json.dumps(request) + "\n").encode())
                while b"\n" not in self._buffer:
                    data = self._sock.recv(ANSWER_BYTES)
                    if not data or len(self._buffer) > ANSWER_BYTES:
                        raise RuntimeError("the server zygote has ended")
                    self._buffer += data
            except OSError as exc:
                raise RuntimeError("the server zygote has ended") from exc
            line, self._buffer = self._buffer.split(b"\n", 1)
        answer = json.loads(line)
        if not isinstance(answer, dict):
            raise RuntimeError("the server zygote answered something else")
        return answer


class ZygoteProvisioner(ForkingProvisioner):
    """The grader's forking provisioner, which starts a kernel the stock way once its zygote has gone."""

    async def launch_kernel(self, cmd: list[str], **kwargs: Any):
        try:
            return await super().launch_kernel(cmd, **kwargs)
        except RuntimeError:
            if self.zygote is not None:
                self.zygote.ready = False  # every later kernel starts the stock way
            return await super().launch_kernel(cmd, **kwargs)


class ForkingFactory(KernelProvisionerFactory):
    """Jupyter's provisioner factory, giving the Python kernels of a kernelspec without a provisioner of its own ours."""

    def create_provisioner_instance(self, kernel_id: str, kernel_spec: Any, parent: Any):
        metadata = getattr(kernel_spec, "metadata", None) or {}
        if _client is None or not _client.ready or "kernel_provisioner" in metadata:
            return super().create_provisioner_instance(kernel_id, kernel_spec, parent)
        provisioner = ZygoteProvisioner(kernel_id=kernel_id, kernel_spec=kernel_spec, parent=parent)
        provisioner.zygote = _client  # type: ignore[assignment]  # a Zygote's fork and ready, over the socket
        return provisioner


def fork_kernels_from_the_zygote() -> bool:
    """In a server forked by the hub's zygote: its kernels from now on are forked there too. ``False``: a stock server."""
    global _client
    fd = os.environ.pop(KERNEL_FD_ENV, None)  # its kernels need not know it
    if not fd or not fd.isdigit():
        return False
    _client = ZygoteSocket(int(fd))
    if KernelProvisionerFactory.initialized() and not isinstance(KernelProvisionerFactory.instance(), ForkingFactory):
        KernelProvisionerFactory.clear_instance()
    ForkingFactory.instance()  # the factory jupyter_client asks (a singleton: KernelProvisionerFactory.instance())
    return True
