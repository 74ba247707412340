"""A running Jupyter server for one course run: started, waited for until it answers, stopped.

``cirkel serve`` and the browser tests start it the same way, through :func:`start_server`,
so what the tests click through is what a course leader runs.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import signal
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from grading.servers.kernel_limits import KERNEL_CULL_INTERVAL, KERNEL_IDLE_TIMEOUT
from grading.servers.serve.apps import install_apps
from grading.servers.serve.command_line import preheat_patterns, server_command, server_env
from grading.system.ports import free_port
from widgets.core.i18n import t

__all__ = ["Server", "start_server", "running_server"]


@dataclass
class Server:
    """A running Jupyter server for one course run."""

    process: subprocess.Popen[bytes]
    base_url: str
    token: str
    root: Path
    log_path: Path | None = None
    _log: IO[bytes] | None = field(default=None, repr=False)

    def url(self, path: str = "", *, with_token: bool = True) -> str:
        """The address of ``path`` below the server, with the token as a query."""
        address = self.base_url + path.lstrip("/")
        if with_token:
            address += ("&" if "?" in address else "?") + f"token={self.token}"
        return address

    def voila_url(self, notebook: str | os.PathLike[str], *, with_token: bool = True) -> str:
        """The Voilà app address of a notebook given relative to the run root (or absolute)."""
        path = Path(notebook)
        if path.is_absolute():
            path = path.resolve().relative_to(self.root.resolve())
        return self.url(f"voila/render/{path.as_posix()}", with_token=with_token)

    def alive(self) -> bool:
        return self.process.poll() is None

    def kernels(self, timeout: float = 30.0) -> list[dict[str, Any]]:
        """The kernels the server runs, as its REST API lists them (``id``, ``connections``, ...)."""
        with urllib.request.urlopen(self.url("api/kernels"), timeout=timeout) as response:
            return json.load(response)

    def stop(self, timeout: float = 20.0) -> None:
        """Stop the server and its kernels (the whole process group)."""
        if self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=timeout)
        if self._log is not None:
            self._log.close()
            self._log = None


def start_server(
    run_root: str | os.PathLike[str],
    port: int | None = None,
    *,
    ip: str = "127.0.0.1",
    token: str | None = None,
    log_path: str | os.PathLike[str] | None = None,
    ready_timeout: float = 180.0,
    preheat: bool | Sequence[str] = False,
    max_kernels: int | None = None,
    watch: Callable[[subprocess.Popen[bytes]], None] | None = None,
    kernel_idle_timeout: int = KERNEL_IDLE_TIMEOUT,
    kernel_cull_interval: int = KERNEL_CULL_INTERVAL,
    extra_args: Sequence[str] = (),
) -> Server:
    """Start one Jupyter server for the course run at ``run_root`` and wait until it answers.

    Parameters
    ----------
    run_root
        The course run (nbgrader course directory); the server's working and root directory.
    port
        The port; ``None`` or ``0`` picks a free one.
    token
        The access token; a random one when not given.
    log_path
        Where the server's output goes; the terminal when not given.
    ready_timeout
        Seconds to wait for the server to answer before giving up.
    preheat
        ``True``: keep preheated kernels ready for the learners' "Mina moduler" and module
        apps (:func:`preheat_patterns`); or the glob patterns (below the run) of the apps to
        preheat. At most ``max_kernels`` in all.
    watch
        Handed the server's process as soon as it exists, before the wait for it to answer.
    kernel_idle_timeout, kernel_cull_interval, extra_args
        See :func:`server_command`.
    """
    root = Path(run_root).resolve()
    install_apps(root)
    patterns: list[str] = []
    if preheat is True:
        from grading.course_runs.run import CourseRun

        patterns = preheat_patterns(CourseRun(root))
    elif preheat:
        patterns = list(preheat)
    port = port or free_port(ip)
    token = token or secrets.token_urlsafe(24)
    log = open(log_path, "ab") if log_path is not None else None  # noqa: SIM115 - owned by Server
    process = subprocess.Popen(
        server_command(
            port,
            token,
            ip=ip,
            root=root,
            preheat_notebooks=patterns,
            max_kernels=max_kernels,
            kernel_idle_timeout=kernel_idle_timeout,
            kernel_cull_interval=kernel_cull_interval,
            extra_args=extra_args,
        ),
        cwd=root,
        env=server_env(root),
        stdout=log,
        stderr=subprocess.STDOUT if log is not None else None,
        stdin=subprocess.DEVNULL,
        start_new_session=True,
    )
    server = Server(
        process=process,
        base_url=f"http://{ip}:{port}/",
        token=token,
        root=root,
        log_path=Path(log_path) if log_path is not None else None,
        _log=log,
    )
    if watch is not None:
        watch(process)
    try:
        _wait_until_ready(server, ready_timeout)
    except BaseException:
        server.stop()
        raise
    return server


def _wait_until_ready(server: Server, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    status = server.url("api/status")
    while True:
        if not server.alive():
            raise RuntimeError(t("serve.start_failed", log=server.log_path or "-"))
        try:
            with urllib.request.urlopen(status, timeout=5) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        if time.monotonic() > deadline:
            raise RuntimeError(t("serve.start_failed", log=server.log_path or "-"))
        time.sleep(0.3)


@contextlib.contextmanager
def running_server(run_root: str | os.PathLike[str], port: int | None = None, **kwargs: Any) -> Iterator[Server]:
    """``start_server`` as a context manager that always stops the server."""
    server = start_server(run_root, port, **kwargs)
    try:
        yield server
    finally:
        server.stop()
