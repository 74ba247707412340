"""The hub's idle culler: JupyterHub's own ``jupyterhub-idle-culler``, started and stopped by the hub.

A person's server (a learner's Voilà, a leader's JupyterLab) that nobody has
used for :data:`SERVER_IDLE_TIMEOUT` seconds is stopped: answers are saved on
every change, so nothing is lost, and the next visit starts it again. Its
kernels go with it (and idle kernels go sooner: ``grading.servers.kernel_limits``).
The culler is a managed service with a role of only the scopes it needs
(``jupyterhub-idle-culler``'s own list); it never removes a person or a named
server. The Kubernetes values turn on the same culler with the same times
(``deploy/z2jh/values.yaml``, ``cull:``).
"""

from __future__ import annotations

import sys
from typing import Any

__all__ = ["CULLER_NAME", "SERVER_IDLE_TIMEOUT", "SERVER_CULL_EVERY", "CULLER_SCOPES", "culler_service", "culler_role"]

CULLER_NAME = "idle-culler"
#: Seconds without activity (no request, no kernel message, no websocket traffic through the
#: proxy) before a person's server is stopped. An open page a learner reads keeps it alive.
SERVER_IDLE_TIMEOUT = 30 * 60
#: Seconds between the culler's looks at the servers.
SERVER_CULL_EVERY = 5 * 60
#: What the culler may do, and nothing more: see who has servers and when they were last used,
#: and stop a server.
CULLER_SCOPES = ("list:users", "read:users:activity", "read:servers", "delete:servers")


def culler_service(timeout: int = SERVER_IDLE_TIMEOUT, every: int = SERVER_CULL_EVERY) -> dict[str, Any]:
    """The managed service (``JupyterHub.services``): the culler in this Python, talking to the hub's API."""
    return {
        "name": CULLER_NAME,
        "command": [
            sys.executable,
            "-m",
            "jupyterhub_idle_culler",
            f"--timeout={int(timeout)}",
            f"--cull-every={int(every)}",
        ],
    }


def culler_role() -> dict[str, Any]:
    """Its RBAC role (``JupyterHub.load_roles``)."""
    return {
        "name": CULLER_NAME,
        "description": "Stops servers nobody has used for a while (jupyterhub-idle-culler)",
        "scopes": list(CULLER_SCOPES),
        "services": [CULLER_NAME],
    }
