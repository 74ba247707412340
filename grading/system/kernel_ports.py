"""Kernels listen on ports below the ephemeral range, where no outgoing connection can take them.

jupyter_client finds a kernel's five ports by binding port 0 and closing the socket again
(``LocalPortCache``), so they come from Linux's ephemeral range (32768-60999), the range every
outgoing connection on the machine also takes its own port from. Between the choice and the
kernel binding the port, one of the many connections a hub, its proxy, the servers and the
browsers open may be given that port, and the kernel dies with "Address already in use": a
learner's page that never draws, an autograde that fails. Seen under load in the test suite
(an autograde's kernel, 2026-12-04). The servers Cirkel starts already listen below that range
(``grading.system.ports``); this gives the kernels the same, in a range of their own
(:data:`~grading.system.ports.KERNEL_PORT_RANGE`), so that no kernel takes a port a server has just been given,
and each port it gives out is promised on the machine for a while (:func:`~grading.system.ports.kernel_port`),
so that two processes choosing at once never give two kernels one port.

``use_ports_below_the_ephemeral_range`` puts :class:`BelowEphemeralPortCache` in the place of
jupyter_client's port cache (a traitlets singleton: every ``LocalProvisioner`` of the process
asks it), so it is called once, early, in each process that starts kernels: the servers' own
configuration files, the ``cirkel`` command and the grader.
"""

from __future__ import annotations

from jupyter_client.connect import LocalPortCache

from grading.system.ports import kernel_port

__all__ = ["BelowEphemeralPortCache", "use_ports_below_the_ephemeral_range"]


class BelowEphemeralPortCache(LocalPortCache):
    """jupyter_client's cache of the ports its kernels were given, choosing them as Cirkel's servers do."""

    def find_available_port(self, ip: str) -> int:
        """A port free on ``ip`` below the ephemeral range, not given to another kernel of this process."""
        while True:
            port = kernel_port(ip)
            if port not in self.currently_used_ports:
                self.currently_used_ports.add(port)
                return port


def use_ports_below_the_ephemeral_range() -> None:
    """Every kernel this process starts from now on takes its ports from a :class:`BelowEphemeralPortCache`.

    A port cache made before (kernels already started) is replaced; the ports of those kernels
    are bound, so the new cache's check by binding never gives them out again. One already in place is kept.
    """
    if isinstance(LocalPortCache._instance, BelowEphemeralPortCache):
        return
    # traitlets keeps a singleton on each class of its line: forget them, then make the new one
    for kind in (LocalPortCache, BelowEphemeralPortCache):
        kind.clear_instance()
    BelowEphemeralPortCache.instance()
