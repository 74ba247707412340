"""Fresh IPython kernels forked from a process that has already imported what they need.

A kernel started the stock way is a new Python that spends most of its start
importing ipykernel, and then the module's notebook spends as long again
importing ipywidgets and Cirkel's widgets. Grading 200 submissions pays both
200 times. The *zygote* pays them once: it is a small process that imports
ipykernel and the import lines of the notebooks to be graded, and then only
forks. Each child becomes an ordinary ``IPKernelApp`` with the connection file,
arguments, environment and working directory jupyter_client asked for, in a new
session of its own, exactly as ``jupyter_client.launcher.launch_kernel`` would
start it. Nothing has run in a child but imports; every submission still gets a
kernel of its own.

``ForkingProvisioner`` is the jupyter_client side: a ``LocalProvisioner`` whose
``launch_kernel`` asks the zygote instead of ``Popen``. Forking is only safe
from a process with one thread, so a zygote whose imports started a thread
refuses to fork, and kernels are then started the stock way.

Run as ``python -m grading.autograde.kernel_zygote``; it reads one JSON request a line
on standard input and ends when standard input closes (its owner is gone).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
from collections.abc import Callable
from typing import Any

from jupyter_client.provisioning import LocalProvisioner

from grading.system.processes import KERNEL_NAME, name_this_process

__all__ = [
    "Zygote",
    "ForkingProvisioner",
    "announce_ready",
    "become_kernel",
    "import_lines",
    "leave_the_zygote",
    "serve_forks",
]

#: the kernel command jupyter_client builds from the ``python3`` kernelspec
_LAUNCHER = ["-m", "ipykernel_launcher"]


def import_lines(notebook_paths) -> list[str]:
    """The top-level ``import``/``from ... import`` lines of the notebooks' code cells, once each, in order."""
    import nbformat

    lines: list[str] = []
    for path in notebook_paths:
        nb = nbformat.read(str(path), as_version=4)
        for cell in nb.cells:
            if cell.cell_type != "code":
                continue
            for line in cell.source.splitlines():
                if (line.startswith("import ") or line.startswith("from ")) and " import" in f" {line}":
                    if line.rstrip().endswith(("(", "\\")) or line in lines:
                        continue
                    lines.append(line.rstrip())
    return lines


# -- the zygote process ------------------------------------------------------------
def leave_the_zygote(name: str, keep: list[int]) -> None:
    """A forked child's first steps: a session of its own (as ``Popen(start_new_session=True)``), its
    name in the process table, the default signal handlers, and none of the zygote's descriptors ``keep``."""
    os.setsid()
    name_this_process(name)
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    for fd in keep:
        if fd > 2:
            os.close(fd)


def become_kernel(request: dict[str, Any], keep: list[int], log: bool = False) -> None:
    """Become the kernel of ``request``, closing the zygote's descriptors ``keep``; never returns.

    ``log``: its standard error stays the zygote's (a server's log, as a stock kernel's), else nowhere.
    """
    code = 1
    try:
        leave_the_zygote(KERNEL_NAME, keep)  # launch_kernel's start_new_session: the kernel's own group
        null = os.open(os.devnull, os.O_RDWR)
        for fd in (0, 1) if log else (0, 1, 2):
            os.dup2(null, fd)
        if null > 2:
            os.close(null)
        os.chdir(request["cwd"])
        os.environ.clear()
        os.environ.update(request["env"])
        os.environ["JPY_PARENT_PID"] = str(os.getppid())  # the kernel ends when its zygote does
        sys.argv = [sys.executable, *request["argv"]]
        from ipykernel.kernelapp import IPKernelApp

        # parent_handle's default was read from the environment when the zygote imported ipykernel
        app = IPKernelApp.instance(parent_handle=os.getppid())
        app.initialize(request["argv"])
        widgets = sys.modules.get("ipywidgets")
        if widgets is not None:  # imported before there was a shell: register its comm target now
            widgets._handle_ipython()
        app.start()
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    finally:
        os._exit(code)


def _serve(preload: list[str]) -> None:
    """Import ipykernel and the notebooks' imports, then fork one kernel per request line."""
    if sys.path and sys.path[0] in ("", os.getcwd()):
        del sys.path[0]  # as ipykernel_launcher does: the kernel's shell puts its own folder first
    import ipykernel.kernelapp  # noqa: F401  (the point of the zygote)

    failed = []
    for line in preload:
        try:
            exec(compile(line, "<preload>", "exec"), {"__name__": "__zygote__"})
        except Exception as exc:  # the kernel will meet the same error and report it itself
            failed.append(f"{line}: {type(exc).__name__}")
    serve_forks(become_kernel, failed)


def announce_ready(failed: list[str]) -> None:
    """Tell the owner (:class:`Zygote` reads this first line) whether forking is safe (one thread) and which
    imports failed; from now on children are reaped by the system, none left as zombies."""
    threads = threading.active_count()
    os.write(1, (json.dumps({"ready": threads == 1, "threads": threads, "failed": failed}) + "\n").encode())
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)


def serve_forks(become: Callable[[dict[str, Any], list[int]], None], failed: list[str]) -> None:
    """Say whether forking is safe (one thread), then fork one child per request line, which calls ``become``.

    ``become`` gets the request and the zygote's own descriptors to close, and never returns.
    """
    announce_ready(failed)
    out = sys.stdout
    keep = [sys.stdin.fileno(), out.fileno()]
    for line in sys.stdin:
        request = json.loads(line)
        pid = os.fork()
        if pid == 0:
            become(request, keep)
        out.write(json.dumps({"pid": pid}) + "\n")
        out.flush()
    os._exit(0)  # the owner is gone: end now, with no interpreter shutdown the owner's exit would wait for


# -- the owner's side --------------------------------------------------------------
class Zygote:
    """A running zygote: start it, ask it for kernels, close it.

    Parameters
    ----------
    preload : import lines to run once before forking (``import_lines`` of the notebooks).
    env : the zygote's environment; modules imported there see it (the kernels get their own).
    module : the zygote's module (``grading.hub.server_zygote`` forks learners' servers).
    stderr : the zygote's standard error, which its children inherit (``None``: ours).
    """

    def __init__(
        self,
        preload: list[str],
        env: dict[str, str] | None = None,
        cwd: str | None = None,
        module: str = "grading.autograde.kernel_zygote",
        stderr: int | None = subprocess.DEVNULL,
    ):
        self._lock = threading.Lock()
        self.proc = subprocess.Popen(
            [sys.executable, "-m", module, json.dumps(preload)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=stderr,
            env=env,
            cwd=cwd,
            text=True,
            bufsize=1,
            start_new_session=True,
        )
        assert self.proc.stdin is not None and self.proc.stdout is not None  # both are pipes, asked for above
        self._to_zygote, self._from_zygote = self.proc.stdin, self.proc.stdout
        hello = self._from_zygote.readline()
        try:
            status = json.loads(hello)
        except ValueError:
            status = {"ready": False}
        self.ready = bool(status.get("ready"))
        self.failed = list(status.get("failed") or [])
        if not self.ready:
            self.close()

    def fork(self, argv: list[str], env: dict[str, str], cwd: str) -> int:
        """The pid of a new child started with ``argv`` (a kernel's: after ``-m ipykernel_launcher``)."""
        with self._lock:
            self._to_zygote.write(json.dumps({"argv": argv, "env": env, "cwd": cwd}) + "\n")
            self._to_zygote.flush()
            answer = self._from_zygote.readline()
        if not answer:
            raise RuntimeError("the kernel zygote has ended")
        return int(json.loads(answer)["pid"])

    def close(self) -> None:
        """End the zygote (kernels it forked end with it, through ipykernel's parent poller)."""
        if self.proc.poll() is None:
            try:
                self._to_zygote.close()
            except OSError:
                pass
            try:
                self.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        for stream in (self._to_zygote, self._from_zygote):
            try:
                stream.close()
            except (OSError, ValueError):
                pass


class _ForkedProcess:
    """What ``LocalProvisioner`` needs of a ``Popen`` for a process that is not our child."""

    stdin = stdout = stderr = None

    def __init__(self, pid: int):
        self.pid = pid
        self.returncode: int | None = None

    def poll(self) -> int | None:
        if self.returncode is None:
            try:
                os.kill(self.pid, 0)
            except ProcessLookupError:
                self.returncode = 0  # reaped by the zygote; its exit status is not ours to read
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        import time

        deadline = None if timeout is None else time.monotonic() + timeout
        while (code := self.poll()) is None:
            if timeout is not None and deadline is not None and time.monotonic() > deadline:
                raise subprocess.TimeoutExpired(str(self.pid), timeout)
            time.sleep(0.02)
        return code

    def send_signal(self, signum: int) -> None:
        try:
            os.kill(self.pid, signum)
        except ProcessLookupError:
            self.returncode = self.returncode if self.returncode is not None else 0

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)


class ForkingProvisioner(LocalProvisioner):
    """``LocalProvisioner`` that gets its kernel from a ``Zygote`` (``zygote`` set before the start)."""

    zygote: Zygote | None = None

    async def launch_kernel(self, cmd: list[str], **kwargs: Any):
        zygote = self.zygote
        if (
            zygote is None
            or not zygote.ready
            or cmd[1:3] != _LAUNCHER
            or os.path.realpath(cmd[0]) != os.path.realpath(sys.executable)
        ):
            return await super().launch_kernel(cmd, **kwargs)
        env = dict(kwargs.get("env") or os.environ)
        cwd = str(kwargs.get("cwd") or os.getcwd())
        pid = zygote.fork([os.path.expanduser(arg) for arg in cmd[3:]], env, cwd)
        self.process = _ForkedProcess(pid)  # type: ignore[assignment]  # Popen's interface, for a forked pid
        self.pid = self.pgid = pid
        self.cwd = cwd
        return self.connection_info

    def kill_at_once(self) -> None:
        """SIGKILL the kernel's process group without waiting for it to end.

        A forked kernel is then taken as ended: the zygote reaps its children as
        they end, so their process ids may be given out again, and a kernel taken
        as ended is never signalled again. A kernel started the stock way is
        still our child and is reaped by the shutdown that follows.
        """
        process = self.process
        if process is None or process.poll() is not None:
            return
        try:
            if self.pgid:
                os.killpg(self.pgid, signal.SIGKILL)
            else:  # never killpg(0): that is our own group
                process.kill()
        except OSError:  # ended already
            pass
        if isinstance(process, _ForkedProcess):
            process.returncode = -signal.SIGKILL

    async def send_signal(self, signum: int) -> None:
        if isinstance(self.process, _ForkedProcess) and self.process.returncode is not None:
            return  # ended: its process id may belong to another process by now
        await super().send_signal(signum)


if __name__ == "__main__":
    _serve(json.loads(sys.argv[1]) if len(sys.argv) > 1 else [])
