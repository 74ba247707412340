"""Free TCP ports for the servers Cirkel starts on one machine, where nothing else will take them.

A port found by binding port 0 comes from the kernel's ephemeral range, which is
also where every outgoing connection gets its own port: between finding such a
port and the server binding it, one of the hub's own requests (or a kernel's
socket) may take it, and the server fails with "Address already in use". Ports
are therefore chosen at random below the ephemeral range and checked by binding.
"""

from __future__ import annotations

import random
import socket

__all__ = ["free_port", "PORT_RANGE", "KERNEL_PORT_RANGE"]

#: where Cirkel's servers listen (hubs, their proxies and APIs, Jupyter servers, services): below Linux's
#: ephemeral range (32768-60999)
PORT_RANGE = (20000, 25000)
#: where kernels listen (``grading.system.kernel_ports``), apart from the servers: a kernel takes five
#: ports at each start, and one taken between a server's choice and its bind (a hub's proxy API, chosen
#: a second before the proxy starts) stopped that server with "Address already in use" (2026-12-04)
KERNEL_PORT_RANGE = (25000, 32000)


def free_port(ip: str = "127.0.0.1", preferred: int | None = None, within: tuple[int, int] = PORT_RANGE) -> int:
    """``preferred`` if it is free on ``ip``, else a free port in ``within`` (the servers' :data:`PORT_RANGE`)."""
    candidates = [preferred] if preferred else []
    candidates += random.sample(range(*within), 200)
    for port in candidates:
        with socket.socket() as sock:
            try:
                sock.bind((ip, port))
            except OSError:
                continue
            return port
    raise OSError(f"no free port on {ip} in {within}")
