"""What the learners' single-user servers and their Voilà kernels hold in memory (PSS), read from
``/proc`` after ``hub_load.py``'s load.
"""

from __future__ import annotations

from pathlib import Path

from session_memory import children, cmdline, rollup_kib

__all__ = ["learner_servers", "session_memory_kib"]


def _environ(pid: int) -> dict[str, str]:
    try:
        raw = Path(f"/proc/{pid}/environ").read_bytes()
    except OSError:
        return {}
    return dict(item.decode(errors="replace").split("=", 1) for item in raw.split(b"\0") if b"=" in item)


def learner_servers(hub: int) -> dict[str, int]:
    """The single-user servers the hub ``hub`` runs, by the hub user they serve."""
    found = {}
    try:
        pids = children(hub)
    except OSError:  # a process ended while the tree was read
        pids = []
    for pid in pids:
        try:
            if "jupyterhub-singleuser" not in cmdline(pid):
                continue
        except OSError:  # it ended meanwhile
            continue
        user = _environ(pid).get("JUPYTERHUB_USER")
        if user:
            found[user] = pid
    return found


def session_memory_kib(server: int) -> tuple[int, list[int]]:
    """PSS in KiB of a learner's server and of each of its Voilà kernels."""
    kernels = [pid for pid in children(server) if "ipykernel_launcher" in cmdline(pid)]
    return rollup_kib(server), [rollup_kib(pid) for pid in kernels]
