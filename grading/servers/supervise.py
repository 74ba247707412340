"""``cirkel serve`` stops everything it started: on SIGTERM, on Ctrl+C, and when it fails.

A service manager or a container stop sends SIGTERM; a terminal sends SIGINT
to the foreground process group, and a backgrounded ``make run`` gets it from
a kill. Whatever the state (still starting, learners with servers and kernels,
a live service with kernels, after an erasure), :func:`supervised` then asks
the main process (the hub, or the single Jupyter server) to stop and waits up
to :data:`STOP_WAIT` seconds for it; what still runs after that is killed: its
process group, every descendant (kept as descendants even when their parent
died, see :func:`grading.system.processes.become_subreaper`) and, as a last resort,
this environment's programs still working in the served folder. A second
signal while stopping cuts the wait short; it never aborts the stop.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from grading.system import processes
from widgets.core.i18n import t

__all__ = ["STOP_WAIT", "KILL_WAIT", "Supervisor", "supervised"]

#: seconds the hub (or server) has to stop by itself, with everything it started, after SIGTERM:
#: its servers and services are given 4 + 2 (+ 2) s (grading.hub.config, grading.hub.app)
STOP_WAIT = 7.0
#: seconds the processes left after that have between SIGTERM and SIGKILL
KILL_WAIT = 1.0
#: seconds between looks for orphaned descendants that have ended (their exit status is collected)
_REAP_EVERY = 2.0
_SIGNALS = (signal.SIGTERM, signal.SIGINT)


class Supervisor:
    """The main process ``cirkel serve`` started, and the stop of everything below it."""

    def __init__(self, folder: str | os.PathLike[str]) -> None:
        self.folder = Path(folder)
        self.main: subprocess.Popen[Any] | None = None
        self.stopping = False
        self.hurry = False

    def watch(self, process: subprocess.Popen[Any]) -> None:
        """The process to stop first (it stops its own children if given the time)."""
        self.main = process

    def wait(self) -> None:
        """Until the main process ends (or a signal interrupts), collecting ended orphans meanwhile."""
        if self.main is None:
            return
        while True:
            try:
                self.main.wait(timeout=_REAP_EVERY)
                return
            except subprocess.TimeoutExpired:
                processes.reap_orphans(keep=[self.main.pid])

    def stop(self) -> list[int]:
        """Stop the main process, then kill what remains; the pids that survived even that."""
        self.stopping = True
        main = self.main
        if main is not None and main.poll() is None:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(main.pid, signal.SIGTERM)
            waited = 0.0
            while main.poll() is None and waited < STOP_WAIT and not self.hurry:
                with contextlib.suppress(subprocess.TimeoutExpired):
                    main.wait(timeout=0.2)
                waited += 0.2
            if main.poll() is None:
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    os.killpg(main.pid, signal.SIGKILL)
                with contextlib.suppress(subprocess.TimeoutExpired):
                    main.wait(timeout=KILL_WAIT)
        left = {p.pid: p for p in processes.descendants()}
        left.update({p.pid: p for p in processes.working_in(self.folder)})
        survivors = processes.end(left.values(), KILL_WAIT)
        processes.reap_orphans()
        return [p.pid for p in survivors]

    def _on_signal(self, signum: int, frame: Any) -> None:
        if self.stopping:
            self.hurry = True  # a second Ctrl+C: kill now rather than wait, but never leave things running
            return
        raise KeyboardInterrupt


@contextlib.contextmanager
def supervised(folder: str | os.PathLike[str], stopping_message: str = "") -> Iterator[Supervisor]:
    """Run the block; on SIGTERM or SIGINT (or any end of the block) stop everything started in it.

    A stop asked for by a signal ends the block quietly (``stopping_message`` is printed);
    any other exception is raised again after the stop.
    """
    from grading.system.quick_exit import install

    install()  # the command itself (a demo built in it) ends at once too, no full GC of its heap
    processes.become_subreaper()
    guard = Supervisor(folder)
    previous = {signum: signal.getsignal(signum) for signum in _SIGNALS}
    for signum in _SIGNALS:
        signal.signal(signum, guard._on_signal)
    try:
        yield guard
    except KeyboardInterrupt:
        if stopping_message:
            print(stopping_message, flush=True)
    finally:
        try:
            survivors = guard.stop()
            if survivors:
                print(t("serve.processes_survived", count=len(survivors), pids=survivors), file=sys.stderr)
        finally:
            for signum, handler in previous.items():
                signal.signal(signum, handler)
