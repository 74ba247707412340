"""A live app's heartbeat: call ``refresh`` every so often on the kernel's own event loop.

Each device has its own Voilà kernel; what the others did reaches it through the
shared store (``widgets.storage.live_db``). The kernel asks the store for news on a timer
run as an asyncio task on the kernel's event loop, so widget updates go out from
the same thread that handles the browser's messages. Headless (tests, autograde)
there is no running loop: nothing starts, and the test calls ``refresh`` itself.
"""

from __future__ import annotations

import asyncio
import logging
import sys
from collections.abc import Callable

__all__ = ["Poller", "start_polling"]

_log = logging.getLogger(__name__)


class Poller:
    """A running refresh timer; ``stop()`` ends it."""

    def __init__(self, task: asyncio.Task | None) -> None:
        self._task = task

    @property
    def running(self) -> bool:
        return self._task is not None and not self._task.done()

    def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            self._task = None


def _in_kernel() -> bool:
    """Whether this process is a running IPython kernel (a Voilà page's, or JupyterLab's)."""
    kernelapp = sys.modules.get("ipykernel.kernelapp")
    return bool(kernelapp is not None and kernelapp.IPKernelApp.initialized())


async def _loop(refresh: Callable[[], object], interval: float) -> None:
    while True:
        await asyncio.sleep(interval)
        try:
            refresh()
        except Exception:  # a failed refresh must not end the heartbeat; the next one retries
            _log.exception("live refresh failed")


def start_polling(refresh: Callable[[], object], interval: float = 0.5) -> Poller:
    """Call ``refresh()`` every ``interval`` seconds while the kernel lives (not at all headless)."""
    if not _in_kernel():  # tests, autograde scripts, a browser driver's own event loop: nothing to poll for
        return Poller(None)
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:
        try:
            loop = asyncio.get_event_loop()
        except RuntimeError:
            return Poller(None)
        if not loop.is_running():
            return Poller(None)
    return Poller(loop.create_task(_loop(refresh, interval)))
