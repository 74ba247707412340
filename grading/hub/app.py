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

from widgets.core.i18n import t

__all__ = ["CirkelHub", "main"]


class CirkelHub(JupyterHub):
    """JupyterHub whose managed services start, and stop, side by side."""

    name = "cirkel-hub"
    _service_starts: dict[str, asyncio.Task[bool]] | None = None

    service_stop_grace = Integer(
        3,
        config=True,
        help="""Seconds a managed service has to stop after SIGTERM, and again after a second SIGTERM,
        before it is killed. JupyterHub gives each 10 + 5 + 5 seconds, one service after another, and
        starts with SIGINT, on which a Jupyter server with no terminal ends without shutting its
        kernels down (a run's JupyterLab with an open collaboration room did not end at all), so a
        hub with a few runs took minutes to stop. Cirkel sends SIGTERM instead (see
        grading.hub.spawner.term_for_int).""",
    )

    _shutting_down = False

    def init_db(self) -> None:
        """JupyterHub's database; an SQLite file in write-ahead-log mode, as Cirkel's own stores are.

        JupyterHub commits on nearly every request (a server's progress and activity, tokens, OAuth),
        and SQLite's rollback journal syncs the disk two or three times a commit, in the hub's one
        thread: thirty logins at once made some 1,500 ``fdatasync`` calls in their first 11 seconds,
        each holding back every request behind it, and as much CPU again in the kernel's writeback.
        In WAL mode with ``synchronous=NORMAL`` a commit is an append, synced at each checkpoint; a
        crash of the machine may lose the last commits (a server's state, a token: at worst a new
        login), never the file. Erasing a person vacuums it and empties its log
        (``grading.personal_data.sqlite_files.vacuum``). PostgreSQL is left as configured.
        """
        super().init_db()
        if not self.db_url.startswith("sqlite"):
            return
        from sqlalchemy import event

        from widgets.storage.database import sqlite_setup

        bind = self.db.get_bind()
        event.listen(bind, "connect", sqlite_setup(wal=True, wait=10))
        self.db.close()
        bind.dispose()  # the connection JupyterHub opened comes again, set up as every new one

    async def initialize(self, *args: Any, **kwargs: Any) -> None:
        """JupyterHub's start, and the log filter that hides names that are no account (an erased person's)."""
        await super().initialize(*args, **kwargs)
        accounts = getattr(self.authenticator, "accounts_file", "")
        if accounts:
            from grading.hub.log_privacy import install

            install(self.log, accounts)

    async def shutdown_cancel_tasks(self, sig: signal.Signals | None = None) -> None:
        """One shutdown however many signals come (Ctrl+C twice, SIGTERM after SIGINT): later ones are logged."""
        if self._shutting_down:
            self.log.warning("Received signal %s while stopping; still stopping", getattr(sig, "name", sig))
            return
        self._shutting_down = True
        await super().shutdown_cancel_tasks(sig)

    async def cleanup(self) -> None:
        """Stop every managed service and every server at once, each within its grace; then JupyterHub's cleanup.

        JupyterHub stops the services one after another and only then the servers. A
        failure to stop one (e.g. a user whose rows were deleted under the running hub)
        is logged and never keeps the hub from ending: JupyterHub's own cleanup runs and
        the event loop stops whatever it raises.
        """
        from grading.hub.spawner import term_for_int

        services = [service for service in self._service_map.values() if service.managed and service.spawner]
        for service in services:
            spawner = service.spawner
            spawner.interrupt_timeout = spawner.term_timeout = spawner.kill_timeout = self.service_stop_grace
            spawner._signal = _signalling(spawner._signal, term_for_int)
        servers = [
            (user, name)
            for user in list(self.users.values())
            for name, spawner in list(user.spawners.items())
            if spawner.active
        ]
        if services or servers:
            self.log.info("Stopping %i services and %i servers side by side ...", len(services), len(servers))
        stops = [service.stop() for service in services] + [user.stop(name) for user, name in servers]
        results = await asyncio.gather(*stops, return_exceptions=True)
        names = [service.name for service in services] + [user.name for user, _ in servers]
        failed = [(name, result) for name, result in zip(names, results) if isinstance(result, BaseException)]
        for name, error in failed:
            self.log.error("Failed to stop user or service %s: %s", name, error)
        if failed:
            self.db.rollback()  # a failed flush leaves the session unusable for the commit below
        try:
            await super().cleanup()  # the proxy, the pid file; the services and servers have ended
        except Exception:
            self.log.exception("Cleanup failed; stopping all the same")

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


def _signalling(send: Any, translate: Any) -> Any:
    """A spawner's ``_signal`` that sends ``translate(sig)`` instead of ``sig``."""

    async def _signal(sig: int) -> bool:
        return await send(translate(sig))

    return _signal


def main(argv: list[str] | None = None) -> None:
    """Run the hub, with Ctrl+C (SIGINT) working for it and every process it starts.

    A program started in the background by a shell, or by a test runner's worker,
    inherits SIGINT ignored, and so would every server and service the hub starts:
    they would then ignore the SIGINT JupyterHub stops them with and be killed only
    after its timeouts. Python's own handler is reset to the default in each child.
    """
    if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
        signal.signal(signal.SIGINT, signal.default_int_handler)
    from grading.system.quick_exit import install

    install()  # once stopped, it ends at once: no full garbage collection of its heap at exit
    CirkelHub.launch_instance(argv)


if __name__ == "__main__":
    main()
