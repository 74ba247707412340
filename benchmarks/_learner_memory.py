"""What the learners' single-user servers and their Voilà kernels hold in memory (PSS), read from
``/proc`` after ``hub_load.py``'s load.
"""

from __future__ import annotations

import os
from pathlib import Path

from session_memory import children, cmdline, rollup_kib

__all__ = ["learner_servers", "session_memory_kib"]

#: what a server and a kernel forked by the hub's zygote call themselves (grading.system.processes)
SERVER_NAME, KERNEL_NAME = "cirkel-server", "cirkel-kernel"


def _environ(pid: int) -> dict[str, str]:
    try:
        raw = Path(f"/proc/{pid}/environ").read_bytes()
    except OSError:
        return {}
    return dict(item.decode(errors="replace").split("=", 1) for item in raw.split(b"\0") if b"=" in item)


def _name(pid: int) -> str:
    return Path(f"/proc/{pid}/comm").read_text().strip()


def _is_server(pid: int) -> bool:
    """A stock ``jupyterhub-singleuser``, or one forked by the hub's server zygote (named so: its command line is the zygote's)."""
    return "jupyterhub-singleuser" in cmdline(pid) or _name(pid) == SERVER_NAME


def learner_servers(hub: int) -> dict[str, int]:
    """The single-user servers the hub ``hub`` runs, by the hub user they serve.

    A stock server's environment names its user; a forked one's ``/proc`` environment is its
    zygote's, so its home folder (``<hub>/hem/<user>``, its working directory) names the user.
    """
    found = {}
    try:
        pids = children(hub)
    except OSError:  # a process ended while the tree was read
        pids = []
    for pid in pids:
        try:
            if not _is_server(pid):
                continue
            user = _environ(pid).get("JUPYTERHUB_USER") or Path(os.readlink(f"/proc/{pid}/cwd")).name
        except (OSError, IndexError, ValueError):  # it ended meanwhile
            continue
        if user:
            found[user] = pid
    return found


def _kernels_of(server: int) -> list[int]:
    """The server's Voilà kernels: its children, or, forked by the zygote, the kernels working in its home."""
    kernels = [pid for pid in children(server) if "ipykernel_launcher" in cmdline(pid)]
    home = os.readlink(f"/proc/{server}/cwd")
    for pid in children(_parent(server)):
        try:
            if _name(pid) == KERNEL_NAME and (os.readlink(f"/proc/{pid}/cwd") + os.sep).startswith(home + os.sep):
                kernels.append(pid)
        except OSError:  # it ended meanwhile
            continue
    return kernels


def _parent(pid: int) -> int:
    return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])


def session_memory_kib(server: int) -> tuple[int, list[int]]:
    """PSS in KiB of a learner's server and of each of its Voilà kernels."""
    return rollup_kib(server), [rollup_kib(pid) for pid in _kernels_of(server)]
