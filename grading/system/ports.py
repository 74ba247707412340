"""Free TCP ports for the servers Cirkel starts on one machine, where nothing else will take them.

A port found by binding port 0 comes from the kernel's ephemeral range, which is
also where every outgoing connection gets its own port: between finding such a
port and the server binding it, one of the hub's own requests (or a kernel's
socket) may take it, and the server fails with "Address already in use". Ports
are therefore chosen at random below the ephemeral range and checked by binding.

Binding and closing proves a port free only for the one who looked: two processes choosing
in the same moment (two servers, the grader, a test beside them) now and then got one port,
and the later died at its start (a kernel: a page that never drew; a hub's run service: "port
... is not available"). So a port given out is also noted in a file of its own, made only if
none is there (``O_EXCL``), for :data:`PORT_HOLD_SECONDS`, by when its process has bound it or ended.
"""

from __future__ import annotations

import os
import random
import socket
import tempfile
import time
from pathlib import Path

__all__ = ["free_port", "kernel_port", "PORT_RANGE", "KERNEL_PORT_RANGE", "PORT_HOLD_SECONDS"]

#: where Cirkel's servers listen (hubs, their proxies and APIs, Jupyter servers, services): below Linux's
#: ephemeral range (32768-60999)
PORT_RANGE = (20000, 25000)
#: where kernels listen (``grading.system.kernel_ports``), apart from the servers: a kernel takes five
#: ports at each start, and one taken between a server's choice and its bind (a hub's proxy API, chosen
#: a second before the proxy starts) stopped that server with "Address already in use" (2026-12-04)
KERNEL_PORT_RANGE = (25000, 32000)


def free_port(ip: str = "127.0.0.1", preferred: int | None = None, within: tuple[int, int] = PORT_RANGE) -> int:
    """``preferred`` if it is free on ``ip``, else a free port in ``within`` (the servers' :data:`PORT_RANGE`)
    that no process of this user on this machine has given out lately."""
    candidates = [preferred] if preferred else []
    candidates += random.sample(range(*within), 200)
    folder = _promised()
    for port in candidates:
        with socket.socket() as sock:
            try:
                sock.bind((ip, port))
            except OSError:
                continue
        if _promise(folder, port) or port == preferred:  # the preferred port stays the same from run to run
            return port
    raise OSError(f"no free port on {ip} in {within}")


#: how long a port given out stays promised on this machine (a kernel's or a server's start, at most)
PORT_HOLD_SECONDS = 180


def _promised() -> Path:
    """The folder where this user's processes note the ports they have given out (one file a port)."""
    folder = Path(tempfile.gettempdir()) / f"cirkel-ports-{os.getuid()}"
    folder.mkdir(mode=0o700, exist_ok=True)
    return folder


def _promise(folder: Path, port: int) -> bool:
    """Note ``port`` as given out, unless another process gave it out within the hold; whether it is ours now."""
    path = folder / str(port)
    for _attempt in range(2):
        try:
            os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
            return True
        except FileExistsError:
            try:
                if time.time() - path.stat().st_mtime < PORT_HOLD_SECONDS:
                    return False
                path.unlink()  # a promise long kept or broken: its kernel has bound the port or ended
            except FileNotFoundError:
                continue
    return False


def kernel_port(ip: str = "127.0.0.1") -> int:
    """A free port in :data:`KERNEL_PORT_RANGE` that no process of this user on this machine has given out lately."""
    return free_port(ip, within=KERNEL_PORT_RANGE)
