"""The Python configurable-http-proxy, sized for a whole study circle arriving at once.

The PyPI proxy forwards each request with tornado's ``AsyncHTTPClient``, which by
default runs 10 requests at a time and queues the rest for at most 20 seconds;
its ``--proxy-timeout`` is unset, so tornado's 20 s request timeout applies. When
thirty learners open their apps together (Voilà executes a notebook before it
answers) both limits turn waiting into "503 Timeout". This launcher raises the
client's concurrency before the proxy starts; the hub passes a longer timeout.

Three more fixes let the run's JupyterLab work behind it: real-time collaboration
(jupyter-collaboration, whose rooms are named like ``json:notebook:<file id>`` and
whose Yjs updates are binary) and kernels (JupyterLab asks for the binary websocket
protocol ``v1.kernel.websocket.jupyter.org``). The PyPI proxy (0.4.0) otherwise

- sends every frame from the browser on as a text frame, which neither server can read;
- re-quotes the decoded path (``:`` becomes ``%3A``), so the collaboration server,
  which reads the room from the raw path, takes a notebook for an awareness room
  and never loads it;
- answers the browser's websocket handshake without the subprotocol the server
  chose, so the browser drops a kernel's connection.

All three as the Node.js proxy (z2jh's) does: path, handshake and frames as sent.
"""

from __future__ import annotations

import sys

__all__ = ["MAX_CLIENTS", "PROXY_TIMEOUT_MS", "main"]

#: concurrent requests the proxy forwards (tornado's default is 10)
MAX_CLIENTS = 1000
#: how long the proxy waits for a server's answer (a Voilà page executes its notebook first)
PROXY_TIMEOUT_MS = 300_000


def _forward_as_sent() -> None:
    """Make the proxy pass on a browser's request path, websocket handshake and frames as they came."""
    import urllib.parse

    from configurable_http_proxy.handlers import ProxyHandler

    async def get_target_url(self: ProxyHandler, path: str) -> str | None:
        # the original, with the raw path the browser sent instead of quote(unquoted path)
        self.target = self.proxy.target_for_req(None, path)
        if self.target is None:
            await self.handle_proxy_error(404, err=None)
            return None
        prefix, target = self.target["prefix"], self.target["target"]
        proxy_path = self.request.path
        if not self.proxy.include_prefix:
            proxy_path = proxy_path[len(urllib.parse.quote(prefix)) :]
        parts = urllib.parse.urlparse(target)
        if self.proxy.prepend_path:
            query = "&".join(q for q in (parts.query, self.request.query) if q)
            parts = parts._replace(query=query, path=parts.path.rstrip("/") + "/" + proxy_path.lstrip("/"))
        else:
            parts = parts._replace(query=self.request.query, path=proxy_path)
        return parts.geturl()

    def on_message(self: ProxyHandler, message: str | bytes) -> None:
        if self.ws_client:
            prefix = self.target["prefix"] if self.target else ""
            if prefix:  # as the original: any request data counts as activity
                self.proxy.update_last_activity(prefix)
            self.ws_client.write_message(message, binary=isinstance(message, bytes))

    def select_subprotocol(self: ProxyHandler, subprotocols: list[str]) -> str | None:
        # the server's choice (JupyterLab's kernels ask for v1.kernel.websocket.jupyter.org);
        # the original answers none, and the browser then drops the connection
        return self.ws_client.selected_subprotocol if self.ws_client else None

    ProxyHandler.get_target_url = get_target_url
    ProxyHandler.on_message = on_message
    ProxyHandler.select_subprotocol = select_subprotocol


def main() -> int:
    """Run ``configurable-http-proxy`` with its HTTP client's concurrency raised."""
    from tornado.httpclient import AsyncHTTPClient

    AsyncHTTPClient.configure(None, max_clients=MAX_CLIENTS)
    _forward_as_sent()
    from configurable_http_proxy.cli import main as proxy_main

    sys.argv[0] = "configurable-http-proxy"
    return proxy_main()


if __name__ == "__main__":
    sys.exit(main())
