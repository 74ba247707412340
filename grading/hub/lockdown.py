"""What a learner's single-user server allows: Voilà and its widgets, nothing else.

Two hooks of jupyter_server: an ``Authorizer`` that is asked for every REST
request decorated with ``@authorized`` (contents, kernels, sessions, terminals,
...), and the kernel websocket connection class, which sees every message the
browser sends to a kernel. Voilà starts its kernels itself (not through
``/api/kernels``) and needs only the websocket and read access to files.
"""

from __future__ import annotations

import json
from typing import Any

from jupyter_server.services.kernels.connection.base import (
    deserialize_binary_message,
    deserialize_msg_from_ws_v1,
)
from jupyter_server.services.kernels.connection.channels import ZMQChannelsWebsocketConnection
from jupyterhub.singleuser.extension import JupyterHubAuthorizer

__all__ = [
    "LearnerAuthorizer",
    "WidgetOnlyConnection",
    "WIDGET_MESSAGES",
    "DISABLED_EXTENSIONS",
    "allowed",
    "lock_down",
]

#: messages the widget front end sends to a kernel; ``execute_request`` is not among them
WIDGET_MESSAGES = frozenset({"comm_msg", "comm_open", "comm_close", "comm_info_request", "kernel_info_request"})

#: resource -> actions a learner may take; anything not listed is refused
_LEARNER_RULES: dict[str, frozenset[str]] = {
    "api": frozenset({"read"}),
    "contents": frozenset({"read"}),
    "files": frozenset({"read"}),
    "kernelspecs": frozenset({"read"}),
    "config": frozenset({"read"}),
    "security": frozenset({"read", "write"}),  # CSP reports
}


def allowed(handler: Any, action: str, resource: str) -> bool:
    """Whether a learner may take ``action`` on ``resource`` through ``handler``."""
    if resource == "kernels":
        # only Voilà's websocket to a kernel it started, and reading that one kernel's model
        # (the widget manager asks ``GET /api/kernels/<id>`` before it connects); never list,
        # start, stop, interrupt or restart kernels
        kind = type(handler).__name__
        return kind == "KernelWebsocketHandler" or (kind == "KernelHandler" and action == "read")
    return action in _LEARNER_RULES.get(resource, frozenset())


class LearnerAuthorizer(JupyterHubAuthorizer):
    """JupyterHub's scope check, then the learner rules of :func:`allowed`."""

    def is_authorized(self, handler, user, action, resource):
        if not super().is_authorized(handler, user, action, resource):
            return False
        ok = allowed(handler, action, resource)
        if not ok:
            self.log.warning("Cirkel: learner %s refused %s on %s", user.username, action, resource)
        return ok


class WidgetOnlyConnection(ZMQChannelsWebsocketConnection):
    """A kernel websocket that forwards only widget messages from the browser."""

    def handle_incoming_message(self, incoming_msg: str) -> None:
        msg_type = self._msg_type(incoming_msg)
        if msg_type not in WIDGET_MESSAGES:
            self.log.warning("Cirkel: dropped %r from a learner's browser", msg_type)
            return
        super().handle_incoming_message(incoming_msg)

    def _msg_type(self, incoming_msg: Any) -> str | None:
        try:
            if self.subprotocol == "v1.kernel.websocket.jupyter.org":
                _channel, msg_list = deserialize_msg_from_ws_v1(incoming_msg)
                header = self.get_part("header", None, msg_list)
            elif isinstance(incoming_msg, bytes):
                header = deserialize_binary_message(incoming_msg)["header"]
            else:
                header = json.loads(incoming_msg)["header"]
            return str(header["msg_type"])
        except Exception:  # unreadable: treat as not allowed
            return None


#: server extensions a locked-down server never loads: no JupyterLab or classic tree, no
#: terminals, no formgrader, and no real-time collaboration (that is for a run's JupyterLab
#: only: these servers neither share documents nor keep their history, nor the memory it takes)
DISABLED_EXTENSIONS = (
    "jupyterlab",
    "notebook",
    "jupyter_lsp",
    "jupyter_server_terminals",
    "notebook_shim",
    "nbgrader.server_extensions.formgrader",
    "nbgrader.server_extensions.validate_assignment",
    "nbgrader.server_extensions.assignment_list",
    "nbgrader.server_extensions.course_list",
    "jupyter_server_ydoc",
    "jupyter_server_fileid",
)


def lock_down(c: Any) -> None:
    """Voilà and nothing else: the learners' servers and the runs' live services.

    A browser's message over a kernel's websocket is limited in size, and a browser
    that stops answering the pings is let go (``grading.servers.kernel_limits``).
    """
    from grading.servers.kernel_limits import limit_websockets

    limit_websockets(c)
    c.ServerApp.terminals_enabled = False
    c.ServerApp.authorizer_class = "grading.hub.lockdown.LearnerAuthorizer"
    c.ServerApp.kernel_websocket_connection_class = "grading.hub.lockdown.WidgetOnlyConnection"
    c.ServerApp.jpserver_extensions = {name: False for name in DISABLED_EXTENSIONS} | {"voila": True}
