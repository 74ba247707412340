"""Start the real JupyterHub for a test module, the way deploy/jupyterhub_config.py configures it."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path

import requests

BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def running_hub(folder: Path) -> Iterator[str]:
    """JupyterHub on free loopback ports with its data in ``folder``; yields its URL.

    On the way out the hub gets SIGTERM (it stops its proxy and the servers it
    spawned), and its whole process group SIGKILL if it has not gone in 30 s.
    """
    port = free_port()
    config = folder / "jupyterhub_config.py"
    config.write_text(textwrap.dedent(f"""
        from grading.hub.config import configure
        configure(get_config(), {str(folder)!r}, port={port},
                  hub_port={free_port()}, proxy_api_port={free_port()})
    """), encoding="utf-8")
    env = {**os.environ, "PATH": os.pathsep.join([str(BIN), os.environ.get("PATH", "")])}
    log = (folder / "hub.log").open("wb")
    proc = subprocess.Popen([str(BIN / "jupyterhub"), "-f", str(config)], cwd=folder, env=env,
                            stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60  # readiness wait
        while True:
            try:
                if requests.get(f"{url}/hub/api", timeout=5).status_code == 200:
                    break
            except requests.ConnectionError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                raise AssertionError("the hub did not start:\n" + (folder / "hub.log").read_text()[-3000:])
            time.sleep(0.3)
        yield url
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        log.close()
