"""Learners' servers forked from one process that has already imported them.

Every learner's server is the same program: ``jupyterhub-singleuser`` with Jupyter Server,
Voilà, nbconvert and JupyterHub's own single-user code, some 1,500 modules and a second of CPU
to import. Started the stock way (``Popen``) each server imports them anew and holds its own
copy, about 115 MiB PSS a learner. Forked from this *zygote*, a server starts with the imports
done, and the pages holding them stay shared between the zygote and every server until one
writes to them (the zygote freezes its heap before it forks, so the collector leaves them be).

The zygote runs for the hub (:func:`shared_zygote`), with no person's settings: each child
gets the command line, environment and home folder the spawner built for that learner, in a
session of its own, exactly as ``LocalProcessSpawner`` would start it, and then runs
``jupyterhub-singleuser``'s own ``main``. What it prints goes to the hub's log, as a stock
server's does. If the imports started a thread (forking is then unsafe) or the hub's
single-user settings differ from the zygote's, the spawner starts the server the stock way.

Each kernel it forks gets a socket of its own to the zygote, on which it asks for its hand-ins
(``widgets.storage.exchange_child``): the zygote has imported nbgrader's exchange once, and forks a
child that runs it and answers on that socket, instead of every hand-in starting a Python that
imports nbgrader (a second of CPU each, in a circle that hands in together).

A server's kernels are the zygote's children, not the server's, so ipykernel's own watch on its
parent would keep them running after a server killed outright (the out-of-memory killer on a
small machine): the zygote ends the kernels a server asked for, once that server's socket closes.

Run as ``python -m grading.hub.server_zygote``; it ends when the hub does (its standard
input closes); the servers it forked run on, as stock ones do, until the hub stops them.
"""

from __future__ import annotations

import atexit
import gc
import json
import os
import selectors
import signal
import socket
import sys
import threading
import traceback
from typing import Any

from grading.autograde.kernel_zygote import Zygote, announce_ready, leave_the_zygote
from grading.autograde.kernel_zygote import become_kernel as kernel_child
from grading.servers import template_cache
from grading.servers.forked_kernels import KERNEL_FD_ENV
from grading.system.processes import EXCHANGE_NAME, SERVER_NAME
from widgets.core.setting_env import EXCHANGE_FD_ENV

__all__ = [
    "EXCHANGE_MODULES",
    "IMPORT_ENV",
    "KERNEL_MODULES",
    "SERVER_MODULES",
    "close_shared",
    "forkable",
    "shared_zygote",
]

#: what a learner's server imports before it reads its configuration (the rest it imports on use)
SERVER_MODULES = (
    "jupyterhub.singleuser",
    "jupyter_server.serverapp",
    "voila.app",
    "voila.server_extension",
    "voila.handler",
    "nbconvert",
    "grading.hub.lockdown",
    "grading.hub.cookies",
    "grading.servers.voila_settings",
    "grading.servers.page_render",
    "grading.servers.preheat_manager",
    "grading.servers.kernel_cap",
    "grading.servers.kernel_limits",
    "grading.servers.statement_server",
)
#: what the servers' page kernels import (forked from here too, ``grading.servers.forked_kernels``)
KERNEL_MODULES = (
    "ipykernel.kernelapp",
    "ipywidgets",
    "widgets.kit.exercise",
    "widgets.pages.home",
    "widgets.pages.submit",
    "grading.checks",
)
#: what a hand-in imports (nbgrader's exchange; some 50 MiB and a second of CPU a learner if each imported it)
EXCHANGE_MODULES = (
    "nbgrader.exchange.default",
    "nbgrader.auth",
    "nbgrader.coursedir",
    "widgets.storage.exchange_child",
)
#: the most of one request line read (a command line and an environment)
REQUEST_BYTES = 1 << 20
#: settings ``jupyterhub.singleuser`` reads when it is imported: a server may be forked only with the zygote's
IMPORT_ENV = ("JUPYTERHUB_SINGLEUSER_EXTENSION", "JUPYTERHUB_SINGLEUSER_APP")

#: what a spawn's environment says of its person: never in the zygote's (every server is forked from it)
PERSONAL_PREFIXES = ("JUPYTERHUB_", "CIRKEL_", "JPY_")
PERSONAL = ("USER", "LOGNAME", "HOME", "SHELL", "MAIL")

_lock = threading.Lock()
_zygote: Zygote | None = None
_zygote_env: dict[str, str] = {}


def _child(request: dict[str, Any], keep: list[int], kernels: int) -> None:
    """Become the learner's ``jupyterhub-singleuser``, asking for kernels on the socket ``kernels``; never returns."""
    code = 1
    try:
        leave_the_zygote(SERVER_NAME, keep)  # as Popen(start_new_session=True): the hub's signals are its own
        null = os.open(os.devnull, os.O_RDONLY)
        os.dup2(null, 0)  # the hub's requests are not the server's to read
        os.close(null)
        os.dup2(2, 1)  # what the server prints goes to the hub's log, as a stock server's does
        os.makedirs(request["cwd"], 0o755, exist_ok=True)  # as LocalProcessSpawner's preexec_fn
        os.chdir(request["cwd"])
        os.environ.clear()
        os.environ.update(request["env"])
        os.environ[KERNEL_FD_ENV] = str(kernels)  # grading.servers.forked_kernels takes it at the config
        sys.argv = list(request["argv"])
        from jupyterhub.singleuser import main

        result = main()
        code = result if isinstance(result, int) else 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    except BaseException:  # the hub's log says why; the hub sees the server end
        traceback.print_exc()
    finally:
        atexit._run_exitfuncs()  # what a Python's exit runs (the zygote's own imports registered some)
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except (OSError, ValueError):
                pass
        os._exit(code)


def _import_course_widgets() -> None:
    """Import every class a course notebook may take from ``widgets`` (which loads them lazily, on first use)."""
    import widgets

    for name in widgets.__all__:
        getattr(widgets, name)


def _serve() -> None:
    """Import the server's and its kernels' modules, freeze them, then fork servers and kernels."""
    if sys.path and sys.path[0] in ("", os.getcwd()):
        del sys.path[0]  # as a console script's Python: the servers' folders are not on the path
    failed = []
    for name in (*SERVER_MODULES, *KERNEL_MODULES, *EXCHANGE_MODULES):
        try:
            __import__(name)
        except Exception as exc:  # the server or kernel meets the same error at its start and says so itself
            failed.append(f"{name}: {type(exc).__name__}")
    for step, name in ((_import_course_widgets, "widgets"), (template_cache.warm, "templates")):
        try:
            step()
        except Exception as exc:  # a server then imports or compiles it itself, as a stock one does
            failed.append(f"{name}: {type(exc).__name__}")
    gc.collect()
    gc.freeze()  # the imported objects stay on pages the servers share: no collection writes to them
    announce_ready(failed)
    _fork_loop()


def _lines(buffers: dict[int, bytes], fd: int, data: bytes) -> list[dict[str, Any]]:
    """The whole request lines ``data`` completes on ``fd`` (a line longer than ``REQUEST_BYTES`` is dropped)."""
    buffers[fd] = buffers.get(fd, b"") + data
    *lines, buffers[fd] = buffers[fd].split(b"\n")
    if len(buffers[fd]) > REQUEST_BYTES:
        buffers[fd] = b""
    return [json.loads(line) for line in lines if line.strip()]


def _pidfd(pid: int) -> int | None:
    """A handle on the child ``pid`` that no later process with its number can answer to (``None``: not on this system)."""
    try:
        return os.pidfd_open(pid)
    except (AttributeError, OSError):  # Linux before 5.3: the server's own shutdown still ends its kernels
        return None


def _end_kernel(pidfd: int | None) -> None:
    """SIGTERM to the kernel behind ``pidfd`` if it still runs (nothing of hers is lost: every answer is saved as given)."""
    if pidfd is None:
        return
    try:
        signal.pidfd_send_signal(pidfd, signal.SIGTERM)
    except ProcessLookupError:  # it had ended already
        pass
    finally:
        os.close(pidfd)


def _fork_loop() -> None:
    """The hub asks on standard input for servers; each server asks on its own socket for kernels,
    and each kernel on its own for hand-ins. A server's socket that closes ends the kernels it asked for."""
    selector = selectors.DefaultSelector()
    selector.register(0, selectors.EVENT_READ)
    servers: dict[int, socket.socket] = {}
    kernels: dict[int, socket.socket] = {}
    # each running kernel's socket -> the socket of the server that asked for it, and a handle on the kernel
    owner: dict[int, tuple[int, int | None]] = {}
    buffers: dict[int, bytes] = {}
    while True:
        for key, _events in selector.select():
            fd = int(key.fd)
            data = os.read(0, REQUEST_BYTES) if fd == 0 else (servers.get(fd) or kernels[fd]).recv(REQUEST_BYTES)
            if not data:
                if fd == 0:
                    os._exit(0)  # the hub is gone; the servers run on until stopped, their kernels with them
                selector.unregister(fd)
                (servers.pop(fd, None) or kernels.pop(fd)).close()
                buffers.pop(fd, None)
                if fd in owner:  # a kernel that has ended
                    pidfd = owner.pop(fd)[1]
                    if pidfd is not None:
                        os.close(pidfd)
                for kernel in [k for k, (server, _) in owner.items() if server == fd]:  # a server that has
                    _end_kernel(owner.pop(kernel)[1])  # ended: by now it has stopped its kernels, unless killed
                continue
            for request in _lines(buffers, fd, data):
                handles = [pidfd for _, pidfd in owner.values() if pidfd is not None]
                keep = [0, 1, selector.fileno(), *servers, *kernels, *handles]  # none of them a child's
                if fd == 0:
                    ours, theirs = socket.socketpair()
                    pid = os.fork()
                    if pid == 0:
                        ours.close()
                        _child(request, keep, theirs.detach())
                    theirs.close()
                    servers[ours.fileno()] = ours
                    selector.register(ours.fileno(), selectors.EVENT_READ)
                    os.write(1, (json.dumps({"pid": pid}) + "\n").encode())
                elif fd in kernels:
                    if os.fork() == 0:  # it answers the kernel itself, on the kernel's socket
                        _exchange(request, [k for k in keep if k != fd], fd)
                else:
                    ours, theirs = socket.socketpair()
                    pid = os.fork()
                    if pid == 0:
                        ours.close()
                        _kernel(request, keep, theirs.detach())
                    theirs.close()
                    kernels[ours.fileno()] = ours
                    owner[ours.fileno()] = (fd, _pidfd(pid))
                    selector.register(ours.fileno(), selectors.EVENT_READ)
                    servers[fd].sendall((json.dumps({"pid": pid}) + "\n").encode())


def _kernel(request: dict[str, Any], keep: list[int], exchange: int) -> None:
    """Become a server's kernel that asks for its hand-ins on the socket ``exchange``; never returns."""
    try:
        request = {**request, "env": {**request["env"], EXCHANGE_FD_ENV: str(exchange)}}
    except (TypeError, KeyError):
        os._exit(1)
    kernel_child(request, keep, log=True)


def _exchange(request: dict[str, Any], keep: list[int], kernel: int) -> None:
    """Become a hand-in (nbgrader's exchange, imported here once) for the kernel on ``kernel``; never returns.

    Its answer is what the child ``python -m widgets.storage.exchange_child`` prints, sent as one line
    on the kernel's socket; the kernel waits for one exchange at a time.
    """
    code = 1
    reply: dict[str, Any] = {"problem": "failed", "reason": "the hand-in could not start"}
    try:
        leave_the_zygote(EXCHANGE_NAME, keep)
        null = os.open(os.devnull, os.O_RDWR)
        os.dup2(null, 0)
        os.dup2(null, 1)  # what nbgrader prints is no answer; its errors go to the hub's log, as a stock child's
        os.close(null)
        os.chdir(request["cwd"])
        os.environ.clear()
        os.environ.update(request["env"])
        from widgets.storage.exchange_child import answer

        reply = answer(request["exchange"])
        code = 0
    except BaseException:  # the hub's log says why; the kernel gets a problem, the learner a sentence
        traceback.print_exc()
    try:
        socket.socket(fileno=kernel).sendall((json.dumps(reply) + "\n").encode())
    except OSError:
        code = 1
    finally:
        os._exit(code)


def forkable(cmd: list[str]) -> bool:
    """Whether the spawner's command is ``jupyterhub-singleuser``, the one program the zygote has imported."""
    return bool(cmd) and os.path.basename(cmd[0]) == "jupyterhub-singleuser"


def _import_env(env: dict[str, str]) -> dict[str, str]:
    return {name: env[name] for name in IMPORT_ENV if name in env}


def shared_zygote(env: dict[str, str]) -> Zygote | None:
    """The hub's server zygote, started at the first learner's spawn; ``None`` when forking is unsafe
    or the spawn's single-user settings (:data:`IMPORT_ENV`) are not the zygote's.

    ``env`` is that spawn's environment: the zygote keeps only what is not a person's (no
    ``JUPYTERHUB_*`` but the import settings, no ``CIRKEL_*``, the hub's own ``HOME`` and
    ``USER``), so no learner's token, name or keys are in the memory every server is forked from.
    """
    global _zygote, _zygote_env
    imports = _import_env(env)
    with _lock:
        if _zygote is not None and _zygote.proc.poll() is None:
            # its imports were made with these settings: a spawn asking for others starts stock
            return _zygote if _zygote.ready and imports == _zygote_env else None
        base = {k: v for k, v in env.items() if not k.startswith(PERSONAL_PREFIXES) and k not in PERSONAL}
        own = {k: os.environ[k] for k in ("HOME", "USER") if k in os.environ}  # the hub's, not the learner's
        _zygote = Zygote([], env={**base, **own, **imports}, module=__name__, stderr=None)
        _zygote_env = imports
        atexit.register(close_shared)
        return _zygote if _zygote.ready else None


def close_shared() -> None:
    """End the hub's zygote (the servers it forked run on); the hub calls it as it exits, so nothing outlives it."""
    global _zygote
    with _lock:
        if _zygote is not None:
            _zygote.close()
            _zygote = None


if __name__ == "__main__":
    _serve()
