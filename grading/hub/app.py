"""JupyterHub as Cirkel starts it: every managed service side by side, each asked when it is up.

JupyterHub starts its managed services one after another and waits for each to
answer before starting the next. A course run brings two services (the run's
JupyterLab and its live apps), each a ``jupyterhub-singleuser`` that takes many
seconds of CPU to import, so a hub with a few runs on a busy two-core server
took minutes to come up, one service at a time. :class:`CirkelHub` starts them
all at once; each is still declared up only when it answers over HTTP (JupyterHub's
own ``wait_up``), within its ``timeout``, and one that does not come up is named
in Swedish in the log before the hub stops.

Run it as ``python -m grading.hub.app -f <config>`` (what ``cirkel serve --hub``
does) instead of ``jupyterhub -f <config>``.
"""

from __future__ import annotations

import asyncio
import signal
import ssl
from typing import Any

from jupyterhub.app import JupyterHub
from traitlets import Integer

from widgets.i18n import t

__all__ = ["CirkelHub", "main"]


class CirkelHub(JupyterHub):
    """JupyterHub whose managed services start, and stop, side by side."""

    name = "cirkel-hub"
    _service_starts: dict[str, asyncio.Task[bool]] | None = None

    service_stop_grace = Integer(
        3,
        config=True,
        help="""Seconds a managed service has to stop after SIGINT, and again after SIGTERM, before
        it is killed. JupyterHub gives each 10 + 5 + 5 seconds, one service after another; a run's
        JupyterLab with an open collaboration room does not end on SIGINT (a worker thread of its
        document store keeps the process alive), so a hub with a few runs took minutes to stop.""",
    )

    async def cleanup(self) -> None:
        """Stop every managed service at once, each within its grace; then JupyterHub's own cleanup."""
        services = [service for service in self._service_map.values() if service.managed and service.spawner]
        for service in services:
            service.spawner.interrupt_timeout = service.spawner.term_timeout = self.service_stop_grace
            service.spawner.kill_timeout = self.service_stop_grace
        if services:
            self.log.info("Stopping %i services side by side ...", len(services))
            await asyncio.gather(*(service.stop() for service in services), return_exceptions=True)
        await super().cleanup()  # the services have ended: it goes on to the servers and the proxy

    async def start_service(self, service_name: str, service: Any, ssl_context: ssl.SSLContext | None = None) -> bool:
        """Start (on the first call) every service at once; then wait for the one asked for.

        JupyterHub's ``start`` calls this once per service, in order, and stops
        at the first managed service that did not come up. The first call starts
        them all; each call then waits for its own. A service added later through
        the REST API is started alone, as JupyterHub does.
        """
        if self._service_starts is None:
            self._service_starts = {
                name: asyncio.ensure_future(super(CirkelHub, self).start_service(name, each, ssl_context))
                for name, each in self._service_map.items()
            }
        started = self._service_starts.pop(service_name, None)
        if started is None:
            return await super().start_service(service_name, service, ssl_context)
        ready = await started
        if not ready and service.managed:
            self.log.critical(t("hub.service_not_up", service=service_name, seconds=service.timeout))
        return ready


def main(argv: list[str] | None = None) -> None:
    """Run the hub, with Ctrl+C (SIGINT) working for it and every process it starts.

    A program started in the background by a shell, or by a test runner's worker,
    inherits SIGINT ignored, and so would every server and service the hub starts:
    they would then ignore the SIGINT JupyterHub stops them with and be killed only
    after its timeouts. Python's own handler is reset to the default in each child.
    """
    if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
        signal.signal(signal.SIGINT, signal.default_int_handler)
    CirkelHub.launch_instance(argv)


if __name__ == "__main__":
    main()
