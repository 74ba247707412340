"""A Voilà page can say goodbye: its kernel ends when the learner leaves, on any server.

On ``beforeunload`` Voilà's page (its widget manager) posts ``voila/api/shutdown/<kernel>`` with
``navigator.sendBeacon``, the ``_xsrf`` cookie's value as a form field: a beacon can carry no
header. Jupyter Server checks that value against the cookie for every POST not authenticated by a
token. Behind the hub the cookie is set at the OAuth login; a server of its own (``cirkel serve``:
a token in the first address, a login cookie after) set none, because Voilà's page is not rendered
from a Jupyter template, the place that sets it. The beacon was refused (403, a red line in the
console of every page left) and the page's kernel ran on, a notebook's memory each, until the idle
culler came. :func:`install` has Voilà's page handler set the cookie as a template would, before
the page's first byte, for a learner already signed in (the handler's ``get`` is ``authenticated``).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

__all__ = ["install"]


def install() -> None:
    """Make Voilà's page handler set the ``_xsrf`` cookie that its page's goodbye sends back."""
    from voila.handler import VoilaHandler

    render = VoilaHandler.get_generator
    if getattr(render, "sets_xsrf_cookie", False):
        return

    async def get_generator(self: VoilaHandler, path: Any = None) -> AsyncIterator[str]:
        self.xsrf_token  # noqa: B018 - Tornado sets the cookie the first time a request reads it
        async for html in render(self, path=path):
            yield html

    get_generator.sets_xsrf_cookie = True  # type: ignore[attr-defined]
    VoilaHandler.get_generator = get_generator
