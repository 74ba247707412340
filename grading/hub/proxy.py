"""The Python configurable-http-proxy, sized for a whole study circle arriving at once.

The PyPI proxy forwards each request with tornado's ``AsyncHTTPClient``, which by
default runs 10 requests at a time and queues the rest for at most 20 seconds;
its ``--proxy-timeout`` is unset, so tornado's 20 s request timeout applies. When
thirty learners open their apps together (Voilà executes a notebook before it
answers) both limits turn waiting into "503 Timeout". This launcher raises the
client's concurrency before the proxy starts; the hub passes a longer timeout.
"""

from __future__ import annotations

import sys

__all__ = ["MAX_CLIENTS", "PROXY_TIMEOUT_MS", "main"]

#: concurrent requests the proxy forwards (tornado's default is 10)
MAX_CLIENTS = 1000
#: how long the proxy waits for a server's answer (a Voilà page executes its notebook first)
PROXY_TIMEOUT_MS = 300_000


def main() -> int:
    """Run ``configurable-http-proxy`` with its HTTP client's concurrency raised."""
    from tornado.httpclient import AsyncHTTPClient

    AsyncHTTPClient.configure(None, max_clients=MAX_CLIENTS)
    from configurable_http_proxy.cli import main as proxy_main

    sys.argv[0] = "configurable-http-proxy"
    return proxy_main()


if __name__ == "__main__":
    sys.exit(main())
