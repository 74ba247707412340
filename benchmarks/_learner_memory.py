"""What the learners' single-user servers and their Voilà kernels hold in memory (PSS), read from
``/proc`` after ``hub_load.py``'s load.
"""

from __future__ import annotations

import os
from pathlib import Path

from session_memory import children, cmdline, rollup_kib

__all__ = ["learner_servers", "session_memory_kib"]

#: the command line of the hub's server zygote, which a forked server keeps
ZYGOTE = "grading.hub.server_zygote"


def _environ(pid: int) -> dict[str, str]:
    try:
        raw = Path(f"/proc/{pid}/environ").read_bytes()
    except OSError:
        return {}
    return dict(item.decode(errors="replace").split("=", 1) for item in raw.split(b"\0") if b"=" in item)


def _is_server(pid: int) -> bool:
    """A stock ``jupyterhub-singleuser``, or one forked by the hub's server zygote (its command line is the zygote's)."""
    command = cmdline(pid)
    if "jupyterhub-singleuser" in command:
        return True
    if ZYGOTE not in command:
        return False
    parent = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1]
    return ZYGOTE in cmdline(int(parent))


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


def session_memory_kib(server: int) -> tuple[int, list[int]]:
    """PSS in KiB of a learner's server and of each of its Voilà kernels."""
    kernels = [pid for pid in children(server) if "ipykernel_launcher" in cmdline(pid)]
    return rollup_kib(server), [rollup_kib(pid) for pid in kernels]
