"""Fixtures of the hub tests: one live hub (two study circles) shared by the live apps' tests.

Starting a hub with its course run takes a while; the group quiz, live
talarstatistik, shared plan and live service tests use separate stores of the
same run, so one hub serves them all. Their files call it ``hub`` and its Chromium
``browser``; the other hub files start hubs of their own under the name ``hub`` (``test_hub.py`` and
``test_hub_kernels.py`` share one: ``boundary_hub``).
The browser tests' helpers (``browser_harness``) are importable here too (``live_hub``).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from boundary_hub import boundary_hub  # noqa: F401  (test_hub.py's and test_hub_kernels.py's hub)
from live_hub import LiveHub, live_hub


@pytest.fixture(scope="session")
def live(tmp_path_factory: pytest.TempPathFactory, pg_server) -> Iterator[LiveHub]:
    """The running hub with circles ``cirkel-a`` and ``cirkel-b`` (see ``live_hub.py``), its run on PostgreSQL."""
    with pg_server.database() as stores, pg_server.database() as gradebook:
        with live_hub(tmp_path_factory.mktemp("live-hub"), stores, gradebook) as running:
            yield running


@pytest.fixture(scope="session")
def live_browser(live: LiveHub, playwright):
    """Debian's Chromium for the live tests: one context per person."""
    chromium = live.browser(playwright)
    yield chromium
    chromium.close()


@pytest.fixture(scope="module")
def hub(live: LiveHub) -> LiveHub:
    """The live hub, for the live apps' files (a file with a hub of its own overrides this)."""
    return live


@pytest.fixture(scope="module")
def browser(live_browser):
    """The live hub's Chromium, for the live apps' files."""
    return live_browser
