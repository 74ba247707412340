"""The hub's managed services on Kubernetes: each course run's live apps, and the idle culler.

The same services as ``make run``'s hub (:mod:`grading.hub.runs`,
:mod:`grading.hub.culler`), started by the hub in the hub pod, with three
differences that Kubernetes asks for (each run's grading service has none: it is
``make run``'s unchanged, :func:`grading.hub.grading_service.grading_services`):

- the proxy runs in a pod of its own, so a live service listens on the hub
  pod's own address (``POD_IP``, set in ``values.yaml`` from the pod's status) on
  a port of :data:`LIVE_PORTS`, the range that ``values.yaml`` opens from the
  proxy to the hub pod, instead of a free port on 127.0.0.1;
- its live state is the PostgreSQL database of the secret ``cirkel-live-db``, in
  the run's own schema (:mod:`grading.hub.k8s_db`), never a SQLite file on the
  shared runs volume;
- the culler talks to the hub's API inside the pod, as z2jh's own culler does.

A run's JupyterLab is not a service here: it runs the leaders' code, which in the
hub pod would reach the hub's secrets, so on Kubernetes it is each leader's named
server (:func:`grading.hub.k8s.pod_settings`).
"""

from __future__ import annotations

import os
import socket
from typing import Any

from grading.hub.culler import culler_service
from grading.hub.k8s_db import LIVE_DB_ENV, ensure_schema, run_url
from grading.hub.runs import live_services
from widgets.core.errors import CirkelError
from widgets.core.i18n import t

__all__ = ["LIVE_PORTS", "HUB_API_IN_POD", "PodConfigError", "pod_ip", "k8s_live_services", "k8s_culler_service"]

#: the hub pod's ports for the runs' live services, one per run (values.yaml opens 10100-10199)
LIVE_PORTS = range(10100, 10200)
#: the hub's API from inside the hub pod (z2jh's hub listens on 8081, base URL "/")
HUB_API_IN_POD = "http://localhost:8081/hub/api"


class PodConfigError(CirkelError):
    """The hub's configuration cannot be built; the message is Swedish."""


def pod_ip(environ: Any = None) -> str:
    """The hub pod's own address: ``POD_IP`` (values.yaml), else what its host name resolves to, else loopback."""
    environ = os.environ if environ is None else environ
    if environ.get("POD_IP"):
        return environ["POD_IP"]
    try:
        return socket.gethostbyname(socket.gethostname())
    except OSError:  # not in a pod, and a host name that resolves to nothing
        return "127.0.0.1"


def k8s_live_services(
    runs: dict[str, str], leaders: dict[str, list[str]], *, ip: str, live_db: str | None
) -> list[dict[str, Any]]:
    """One live service per run (``<course id>-samverkan``) on ``ip``, its state in the run's schema.

    Parameters
    ----------
    runs : course id -> run folder (on the runs volume, mounted in the hub pod).
    leaders : course id -> its course leaders.
    ip : the hub pod's address, where the proxy reaches the services.
    live_db : the live stores' PostgreSQL URL (the secret's), or ``None`` for the runs' SQLite.
    """
    if len(runs) > len(LIVE_PORTS):
        raise PodConfigError(t("hub.k8s.too_many_runs", count=len(runs), most=len(LIVE_PORTS)))
    services = live_services(runs, leaders)
    for port, course_id, service in zip(LIVE_PORTS[: len(runs)], runs, services, strict=True):
        service["url"] = f"http://{ip}:{port}"
        if live_db:
            url = run_url(live_db, course_id)
            ensure_schema(url)
            service["environment"][LIVE_DB_ENV] = url
    return services


def k8s_culler_service() -> dict[str, Any]:
    """``make run``'s culler, same times, asking the hub's API inside the pod."""
    service = culler_service()
    service["command"] = [*service["command"], f"--url={HUB_API_IN_POD}"]
    return service
