"""Limits on the kernels of every Jupyter server Cirkel starts: idle ones shut, few per person, small messages.

Each Voilà page is a kernel of some 60 to 100 MB. Voilà shuts a page's kernel
when the page says goodbye (``beforeunload``), but a tab that closes without a
word (network lost, phone locked, browser killed) used to leave its kernel
for ever: one learner's server had 16, a live service 23. So, in every server
(learners' servers, a run's JupyterLab and live apps, ``cirkel serve``, the
pods on Kubernetes):

* jupyter_server's culler shuts a kernel that no browser holds and that has
  done nothing for :data:`KERNEL_IDLE_TIMEOUT` seconds (``cull_connected`` is
  off: an open page is a learner reading, and its kernel stays). A vanished
  browser is noticed by the websocket's ping (:data:`WEBSOCKET_PING_INTERVAL_MS`,
  :data:`WEBSOCKET_PING_TIMEOUT_MS`). Kernels preheated for the next page are
  never culled (Voilà's pooling manager skips them).
* in the locked-down servers (learners, live apps) a person may have at most
  :data:`PAGE_KERNELS_PER_PERSON` pages open (``grading.servers.kernel_cap``), and a
  browser's message over a kernel's websocket may be at most
  :data:`WEBSOCKET_MAX_MESSAGE_BYTES` (tornado closes the connection above it).

Idle servers are stopped by the hub's idle culler (``grading.hub.config``).
"""

from __future__ import annotations

from typing import Any

__all__ = [
    "KERNEL_IDLE_TIMEOUT",
    "KERNEL_CULL_INTERVAL",
    "PAGE_KERNELS_PER_LEADER",
    "PAGE_KERNELS_PER_PERSON",
    "WEBSOCKET_MAX_MESSAGE_BYTES",
    "WEBSOCKET_PING_INTERVAL_MS",
    "WEBSOCKET_PING_TIMEOUT_MS",
    "cull_idle_kernels",
    "cull_arguments",
    "limit_websockets",
    "websocket_settings",
]

#: Seconds a kernel no browser holds may do nothing before it is shut. Long enough for a phone
#: that loses the network on a bus; a page reloaded later gets a new kernel with the saved answers.
KERNEL_IDLE_TIMEOUT = 10 * 60
#: Seconds between the culler's rounds.
KERNEL_CULL_INTERVAL = 60
#: Pages (Voilà kernels) one person may have open at once in a locked-down server: the home, a
#: module or two and the live apps. Some 5 x 80 MB; a vanished tab's kernel counts until culled.
PAGE_KERNELS_PER_PERSON = 5
#: Pages a course leader may have open at once in the run's live service: a meeting's big screen and
#: the leader's controls for each live tool, with room for tabs left from an earlier meeting.
PAGE_KERNELS_PER_LEADER = 15
#: The largest message a browser may send over a kernel's websocket, in bytes. A widget's message
#: carries at most a text field's 20 000 characters (widgets.kit.controls); tornado's default is 10 MiB.
WEBSOCKET_MAX_MESSAGE_BYTES = 1024 * 1024
#: Milliseconds between the server's pings on a kernel's websocket (jupyter_server's own value).
WEBSOCKET_PING_INTERVAL_MS = 30_000
#: Milliseconds without an answer to the pings after which the browser is taken to be gone.
WEBSOCKET_PING_TIMEOUT_MS = 90_000


def _cull_settings(idle_timeout: int, interval: int) -> dict[str, Any]:
    return {"cull_idle_timeout": int(idle_timeout), "cull_interval": int(interval), "cull_connected": False}


def cull_idle_kernels(c: Any, *, idle_timeout: int = KERNEL_IDLE_TIMEOUT, interval: int = KERNEL_CULL_INTERVAL) -> None:
    """Shut kernels no browser holds after ``idle_timeout`` seconds of nothing (a config object ``c``)."""
    for name, value in _cull_settings(idle_timeout, interval).items():
        setattr(c.MappingKernelManager, name, value)


def cull_arguments(*, idle_timeout: int = KERNEL_IDLE_TIMEOUT, interval: int = KERNEL_CULL_INTERVAL) -> list[str]:
    """The same as command-line options of a Jupyter server."""
    return [f"--MappingKernelManager.{name}={value}" for name, value in _cull_settings(idle_timeout, interval).items()]


def websocket_settings(
    *,
    max_message: int = WEBSOCKET_MAX_MESSAGE_BYTES,
    ping_interval_ms: int = WEBSOCKET_PING_INTERVAL_MS,
    ping_timeout_ms: int = WEBSOCKET_PING_TIMEOUT_MS,
) -> dict[str, int]:
    """Tornado's settings for the kernels' websockets: the largest message, and the pings."""
    return {
        "websocket_max_message_size": int(max_message),
        "ws_ping_interval": int(ping_interval_ms),
        "ws_ping_timeout": int(ping_timeout_ms),
    }


def limit_websockets(c: Any, **settings: int) -> None:
    """Add :func:`websocket_settings` to ``c.ServerApp.tornado_settings``, keeping its other keys.

    A plain dict, not traitlets' lazy ``.update``: JupyterHub's single-user extension reads
    the setting from the config as a dict.
    """
    from traitlets.config import LazyConfigValue

    earlier = c.ServerApp.tornado_settings if "tornado_settings" in c.ServerApp else {}
    if isinstance(earlier, LazyConfigValue):
        earlier = earlier.get_value({})
    c.ServerApp.tornado_settings = {**earlier, **websocket_settings(**settings)}
