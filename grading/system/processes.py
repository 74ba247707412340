"""The processes Cirkel started, found and ended whatever state they are in.

A hub, its proxy, its services, the learners' servers and their kernels each
run in a session of their own, so a signal to one process group reaches only
one of them; and a process whose parent was killed is handed to the machine's
init, out of sight of whoever started it. ``cirkel serve`` therefore becomes a
*child subreaper* (Linux ``PR_SET_CHILD_SUBREAPER``): every process it started,
however deep, stays its descendant even when the process between them dies, and
:func:`descendants` finds them all. :func:`working_in` finds, as a last resort,
this environment's programs working in (or naming) a folder, e.g. the hub's;
:func:`end` stops a set of processes, SIGTERM then SIGKILL. ``psutil`` reads
the process table.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import sys
from collections.abc import Iterable
from pathlib import Path

import psutil

__all__ = [
    "EXCHANGE_NAME",
    "KERNEL_NAME",
    "SERVER_NAME",
    "name_this_process",
    "become_subreaper",
    "descendants",
    "working_in",
    "of_home",
    "end",
    "reap_orphans",
]

#: the names a server or kernel forked from a zygote gives itself (its command line stays the zygote's)
SERVER_NAME = "cirkel-server"
KERNEL_NAME = "cirkel-kernel"
#: the name of a hand-in (nbgrader's exchange) a kernel asked the hub's server zygote for
EXCHANGE_NAME = "cirkel-exchange"
#: ``prctl`` option making this process the new parent of its orphaned descendants (linux/prctl.h)
_PR_SET_CHILD_SUBREAPER = 36


def name_this_process(name: str) -> None:
    """Name this process in the process table (``ps -o comm``, ``psutil.Process.name()``, 15 characters).

    A process forked from a zygote keeps the zygote's command line and ``/proc`` environment, so
    whoever looks for a learner's server or kernel finds it by this name.
    """
    with contextlib.suppress(OSError):
        Path("/proc/self/comm").write_text(name[:15], encoding="ascii")


def become_subreaper() -> bool:
    """Make orphaned descendants this process's children (Linux); whether it worked."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(_PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def descendants(pid: int | None = None) -> list[psutil.Process]:
    """Every living descendant of ``pid`` (default: this process)."""
    try:
        return [p for p in psutil.Process(pid or os.getpid()).children(recursive=True) if _alive(p)]
    except psutil.Error:
        return []


def _alive(process: psutil.Process) -> bool:
    try:
        return process.is_running() and process.status() != psutil.STATUS_ZOMBIE
    except psutil.Error:
        return False


def _within(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


def _ours(process: psutil.Process) -> bool:
    """A program of this environment: its Python (servers, kernels, the hub) or a Node proxy."""
    try:
        command = process.cmdline()
    except psutil.Error:
        return False
    if not command:
        return False
    program = os.path.realpath(command[0]) if os.sep in command[0] else command[0]
    python = {os.path.realpath(sys.executable), sys.executable}
    bin_dir = str(Path(sys.executable).parent)
    return (
        program in python
        or _within(program, os.path.realpath(bin_dir))
        or any("configurable-http-proxy" in part for part in command)
    )


def _others(exclude: Iterable[int] = ()) -> set[int]:
    """This process, its ancestors and ``exclude``: never ended by a sweep."""
    keep = {os.getpid(), *exclude}
    with contextlib.suppress(psutil.Error):
        keep |= {p.pid for p in psutil.Process().parents()}
    return keep


def working_in(folder: str | os.PathLike[str], exclude: Iterable[int] = ()) -> list[psutil.Process]:
    """This environment's programs (as this user) whose working folder is in ``folder`` or whose command names it.

    A person's shell or editor in the folder is not one of them: only the Python of
    this environment and the proxy are.
    """
    root = os.path.realpath(folder)
    keep = _others(exclude)
    found = []
    for process in psutil.process_iter():
        if process.pid in keep or not _same_user(process):
            continue
        try:
            cwd = process.cwd()
            command = " ".join(process.cmdline())
        except psutil.Error:
            continue
        if (_within(cwd, root) or root in command) and _ours(process) and _alive(process):
            found.append(process)
    return found


def of_home(home: str | os.PathLike[str]) -> list[psutil.Process]:
    """A person's server and kernels: this environment's programs (as this user) working in their home
    (or a workspace), naming it, or started with it as HOME. A person's shell there is not one of them."""
    root = os.path.realpath(home)
    keep = _others()
    found = []
    for process in psutil.process_iter():
        if process.pid in keep or not _same_user(process):
            continue
        try:
            cwd = process.cwd()
            command = " ".join(process.cmdline())
            env_home = process.environ().get("HOME", "")
        except psutil.Error:
            continue
        there = _within(cwd, root) or root in command or (env_home and _within(os.path.realpath(env_home), root))
        if there and _ours(process) and _alive(process):
            found.append(process)
    return found


def _same_user(process: psutil.Process) -> bool:
    try:
        return process.uids().real == os.getuid()
    except psutil.Error:
        return False


def end(processes: Iterable[psutil.Process], grace: float = 2.0) -> list[psutil.Process]:
    """SIGTERM to each, SIGKILL to those still there after ``grace`` seconds; those that survived even that."""
    living = [p for p in processes if _alive(p)]
    for process in living:
        with contextlib.suppress(psutil.Error):
            process.send_signal(signal.SIGTERM)
    _gone, alive = psutil.wait_procs(living, timeout=grace)
    for process in alive:
        with contextlib.suppress(psutil.Error):
            process.kill()
    _gone, alive = psutil.wait_procs(alive, timeout=grace)  # reaps those that are our children
    return [p for p in alive if _alive(p)]


def reap_orphans(keep: Iterable[int] = ()) -> None:
    """Collect the exit status of ended children handed to this subreaper (all but ``keep``)."""
    spare = set(keep)
    try:
        children = psutil.Process().children()
    except psutil.Error:
        return
    for child in children:
        if child.pid in spare:
            continue
        with contextlib.suppress(psutil.Error, ChildProcessError, OSError):
            if child.status() == psutil.STATUS_ZOMBIE:
                os.waitpid(child.pid, os.WNOHANG)
