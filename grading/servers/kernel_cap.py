"""At most a few Voilà pages (kernels) per person in a locked-down server; one more gets a Swedish page.

Every Voilà page is a kernel. A learner who opens the same module in tab after
tab, or a script that asks for pages in a loop, would otherwise fill the
server's memory. :class:`PageKernelCap` is a kernel-manager mixin: before
Voilà starts a page's kernel it counts the person's page kernels that are still
running and, at ``max_page_kernels``, refuses with HTTP 429 and a Swedish
message (the ``cirkel`` template's ``429.html``). A closed page's kernel no
longer counts (Voilà shuts it, or the culler does: ``grading.servers.kernel_limits``).

Who the person is: in a learner's own server, the server's owner (every page
counts). In a server shared by a run (the live apps), the person Voilà's
``prelaunch_hook`` saw: :func:`count_per_person` wraps the hook and notes the
name for the kernel start that follows in the same request. Kernels Voilà
preheats for the next page are not pages and are not counted; a preheated
kernel handed to a page is (``grading.servers.preheat_manager``).

A course leader in the live service runs a circle's meeting: the big screen, the
controls on their laptop, talarstatistik and the shared plan at once, often with a
tab left open from the last meeting. The run's leaders (``leaders``) get
``max_leader_page_kernels`` there instead of a learner's few.
"""

from __future__ import annotations

import contextvars
import math
from collections.abc import Callable
from typing import Any

from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager
from tornado import web
from traitlets import Int, List, Unicode
from traitlets.config import LoggingConfigurable

from grading.servers.app_kernels import AppKernelArguments
from widgets.core.errors import CirkelError
from widgets.core.i18n import t

__all__ = ["PageKernelCap", "CappedKernelManager", "TooManyPages", "count_per_person"]

#: The person whose page is being opened in this request ("": the server's owner).
_OPENER: contextvars.ContextVar[str] = contextvars.ContextVar("cirkel_page_opener", default="")


class TooManyPages(CirkelError, web.HTTPError):
    """HTTP 429 with a Swedish message: the person has ``most`` pages open already.

    ``minutes``: how long a page whose tab closed without a goodbye may still count.
    """

    def __init__(self, most: int, minutes: int):
        message = t("limits.too_many_pages", count=most, minutes=minutes)
        web.HTTPError.__init__(self, 429, "%s", message)  # tornado's page and status; CirkelError's message
        self.message = message


class PageKernelCap(LoggingConfigurable):
    """Mixin for a kernel manager: refuse a person's page kernel beyond ``max_page_kernels``."""

    max_page_kernels = Int(
        0,
        help="At most this many Voilà pages (each a kernel) one person may have open at once; one more "
        "is refused with HTTP 429 and a Swedish page. In a learner's own server every page counts, in a "
        "shared server each person's (see grading.servers.kernel_cap.count_per_person). 0: no limit.",
    ).tag(config=True)

    max_leader_page_kernels = Int(
        0,
        help="At most this many pages for each person named in ``leaders`` (the course leaders of the run "
        "a shared server serves: a meeting's big screen, controls and tools at once). 0: as everyone else.",
    ).tag(config=True)
    leaders = List(
        Unicode(), help="The people who get ``max_leader_page_kernels`` rather than ``max_page_kernels``."
    ).tag(config=True)

    def most_pages(self, person: str) -> int:
        """How many pages ``person`` may have open at once (0: no limit)."""
        if person and person in self.leaders and self.max_leader_page_kernels > 0:
            return max(self.max_leader_page_kernels, self.max_page_kernels)
        return self.max_page_kernels

    def page_kernels(self, person: str = "") -> list[str]:
        """The running page kernels of ``person``."""
        owners = self._page_owners()
        # shut since (page closed, culled); ``in`` is the kernel manager's this class is mixed into
        for kernel_id in [k for k in owners if k not in self]:  # type: ignore[operator]
            del owners[kernel_id]
        return [kernel_id for kernel_id, owner in owners.items() if owner == person]

    def check_page_kernels(self, person: str | None = None) -> None:
        """Raise ``TooManyPages`` if ``person`` (the request's, by default) may not open one more page."""
        person = _OPENER.get() if person is None else person
        most = self.most_pages(person)
        if most > 0 and len(self.page_kernels(person)) >= most:
            self.log.warning("Cirkel: refused page %d for %r", most + 1, person or "the owner")
            raise TooManyPages(most, self._minutes_a_lost_page_counts())

    def count_page_kernel(self, kernel_id: str, person: str | None = None) -> None:
        """Count ``kernel_id`` as a page of ``person`` (the request's, by default)."""
        self._page_owners()[kernel_id] = _OPENER.get() if person is None else person

    async def start_kernel(self, *args: Any, **kwargs: Any) -> str:
        # Voilà starts a page's kernel with VOILA_PREHEAT=False in its environment (a preheated
        # kernel for a pool says True; JupyterLab's kernels say nothing)
        page = (kwargs.get("env") or {}).get("VOILA_PREHEAT") == "False"
        if page:
            self.check_page_kernels()
        kernel_id = await super().start_kernel(*args, **kwargs)  # type: ignore[misc]  # a mixin's next class
        if page:
            self.count_page_kernel(kernel_id)
        return kernel_id

    def _minutes_a_lost_page_counts(self) -> int:
        """The culler's idle time, a round of it and the websocket's ping timeout, in whole minutes."""
        from grading.servers.kernel_limits import WEBSOCKET_PING_TIMEOUT_MS

        seconds = getattr(self, "cull_idle_timeout", 0) + getattr(self, "cull_interval", 0)
        return max(1, math.ceil((seconds + WEBSOCKET_PING_TIMEOUT_MS / 1000) / 60))

    def _page_owners(self) -> dict[str, str]:
        owners = self.__dict__.get("_cirkel_page_owners")
        if owners is None:
            owners = self.__dict__["_cirkel_page_owners"] = {}
        return owners


class CappedKernelManager(PageKernelCap, AppKernelArguments, AsyncMappingKernelManager):  # type: ignore[misc]  # async start_kernel
    """jupyter_server's kernel manager with the page cap (for servers without preheated kernels)."""


def _person(user: Any) -> str:
    for attribute in ("username", "name"):
        value = getattr(user, attribute, None)
        if isinstance(value, str):
            return value
    if isinstance(user, dict):
        return str(user.get("name") or "")
    return ""


def count_per_person(hook: Callable[..., Any] | None = None) -> Callable[..., Any]:
    """A Voilà ``prelaunch_hook`` that notes who opens the page, then runs ``hook`` (if any).

    For a server many people share: each person's pages are counted on their own.
    """

    def prelaunch(req_handler: Any, notebook: Any, cwd: str) -> Any:
        _OPENER.set(_person(getattr(req_handler, "current_user", None)))
        return hook(req_handler, notebook, cwd) if hook is not None else notebook

    return prelaunch
