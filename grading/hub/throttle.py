"""How often logins and group-quiz codes may fail: per account, per address and in all.

Without it, 30 wrong passwords in under two seconds were all answered and the
right one straight after let the guesser in. :class:`Throttle` counts, in the
hub's memory with the ``limits`` library (fixed windows that open at the first
failure), the failed logins of each name and of each address. Past
``failures_per_account`` for a name or ``failures_per_address`` for an address
within ``window`` seconds, every login that matches waits, the right password
included, until the window closes; the person is told to wait, in the same
words whatever the reason. Names without an account are counted like real
ones, so waiting does not tell who has one. A login is counted before its
password is checked and given back when it succeeds, so a burst of guesses
sent at once is held to the same number as guesses sent one by one.

Memory is bounded: every counted failure also counts toward
``failures_in_all``, and past it every login waits (hundreds of addresses
guessing at once); so the hub never keeps more than that many failures per
window. A restart of the hub forgets the counts. Wrong group-quiz codes are
counted per address in the same way (``code_failures_per_address``).
"""

from __future__ import annotations

import ipaddress
import math
import time
from collections.abc import Iterable

from limits import RateLimitItemPerSecond
from limits.storage import MemoryStorage
from limits.strategies import FixedWindowRateLimiter
from traitlets import Integer
from traitlets.config import LoggingConfigurable

__all__ = ["Throttle", "client_address", "request_address", "minutes", "IPV6_PREFIX", "MAX_NAME"]

#: an IPv6 address counts as its /64 network: one home or phone gets a whole /64
IPV6_PREFIX = 64
#: the part of a typed name that is counted (a name longer than any account's is cut, not stored whole)
MAX_NAME = 64


def client_address(remote_ip: str, forwarded_for: str | None, trusted: Iterable[str] = ()) -> str:
    """The address a request came from, as the hub's own proxy saw it, for counting.

    The proxy appends the address it was reached from to ``X-Forwarded-For``; the
    last entry not in ``trusted`` (reverse proxies placed in front of it) is the
    client. ``X-Real-Ip`` and earlier entries are written by the client and
    ignored (tornado would take ``X-Real-Ip`` as ``remote_ip``). An IPv6
    address becomes its /64 network.
    """
    trusted = set(trusted)
    candidates = [part.strip() for part in (forwarded_for or "").split(",") if part.strip()]
    chosen = next((c for c in reversed(candidates) if c not in trusted), None) or remote_ip
    try:
        address = ipaddress.ip_address(chosen)
    except ValueError:
        return "unknown"
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        return str(ipaddress.ip_network(f"{address}/{IPV6_PREFIX}", strict=False))
    return str(address)


def request_address(handler) -> str:
    """:func:`client_address` of a hub request, past the reverse proxies JupyterHub trusts."""
    app = getattr(handler.authenticator, "parent", None)
    trusted = getattr(app, "trusted_downstream_ips", None) or ()
    return client_address(handler.request.remote_ip, handler.request.headers.get("X-Forwarded-For"), trusted)


class Throttle(LoggingConfigurable):
    """Failed logins and wrong codes, counted in the hub's memory; how long to wait before the next try."""

    window = Integer(
        15 * 60,
        min=1,
        config=True,
        help="""Seconds a login window lasts, from its first failure. Past the allowed failures
        within it, logins for that name or from that address wait until it closes.""",
    )
    failures_per_account = Integer(
        5,
        min=1,
        config=True,
        help="""Failed logins for one name within a window before its logins wait (from any address).""",
    )
    failures_per_address = Integer(
        50,
        min=1,
        config=True,
        help="""Failed logins from one address within a window before its logins wait. A whole study
        circle may share one address (a venue's network), each typing a one-time password.""",
    )
    failures_in_all = Integer(
        10_000,
        min=1,
        config=True,
        help="""Failed logins from everyone together within a window before every login waits. It bounds
        what the hub keeps in memory; only guessing from hundreds of addresses at once reaches it.""",
    )
    code_window = Integer(
        10 * 60,
        min=1,
        config=True,
        help="""Seconds a window of group-quiz code tries lasts, from its first wrong code.""",
    )
    code_failures_per_address = Integer(
        30,
        min=1,
        config=True,
        help="""Wrong group-quiz codes from one address within a window before its tries wait.""",
    )
    code_failures_in_all = Integer(
        10_000,
        min=1,
        config=True,
        help="""Wrong group-quiz codes from everyone together within a window before every try waits.""",
    )

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._storage = MemoryStorage()
        self._limiter = FixedWindowRateLimiter(self._storage)

    # -- the limits -----------------------------------------------------------------
    def _login_limits(self, name: str, address: str) -> list[tuple[RateLimitItemPerSecond, tuple[str, ...]]]:
        def item(amount: int) -> RateLimitItemPerSecond:
            return RateLimitItemPerSecond(amount, self.window, namespace="login")

        return [
            (item(self.failures_per_account), ("account", name.strip().lower()[:MAX_NAME])),
            (item(self.failures_per_address), ("address", address)),
            (item(self.failures_in_all), ("all",)),
        ]

    def _code_limits(self, address: str) -> list[tuple[RateLimitItemPerSecond, tuple[str, ...]]]:
        def item(amount: int) -> RateLimitItemPerSecond:
            return RateLimitItemPerSecond(amount, self.code_window, namespace="code")

        return [
            (item(self.code_failures_per_address), ("address", address)),
            (item(self.code_failures_in_all), ("all",)),
        ]

    def _wait(self, limits: list[tuple[RateLimitItemPerSecond, tuple[str, ...]]]) -> int:
        """Whole seconds until every one of ``limits`` allows one more failure; 0 when they do now."""
        now = time.time()
        waits = [
            self._limiter.get_window_stats(item, *keys).reset_time - now
            for item, keys in limits
            if not self._limiter.test(item, *keys)
        ]
        return max(1, math.ceil(max(waits))) if waits else 0

    # -- logins ---------------------------------------------------------------------
    def login_wait(self, name: str, address: str) -> int:
        """Seconds before ``name`` may try to log in from ``address``; 0 when they may now."""
        return self._wait(self._login_limits(name, address))

    def login_attempt(self, name: str, address: str) -> int:
        """Count a login as failed before its password is checked, unless it must wait.

        Returns the seconds to wait (nothing counted) or 0 (counted: call
        :meth:`login_succeeded` if the password turns out right).
        """
        limits = self._login_limits(name, address)
        wait = self._wait(limits)
        if not wait:
            for item, keys in limits:
                self._limiter.hit(item, *keys)
        return wait

    def login_succeeded(self, name: str, address: str) -> None:
        """Forget the name's failures and give back the address's and the total's count of this login."""
        (account, account_keys), *rest = self._login_limits(name, address)
        self._limiter.clear(account, *account_keys)
        for item, keys in rest:
            self._storage.decr(item.key_for(*keys))

    # -- group-quiz codes -----------------------------------------------------------
    def code_wait(self, address: str) -> int:
        """Seconds before ``address`` may try another code; 0 when it may now."""
        return self._wait(self._code_limits(address))

    def code_failed(self, address: str) -> None:
        """Count a wrong, expired or foreign code from ``address``."""
        for item, keys in self._code_limits(address):
            self._limiter.hit(item, *keys)


def minutes(seconds: int) -> int:
    """Whole minutes to tell a person to wait, at least one."""
    return max(1, math.ceil(seconds / 60))
