"""The hub's log names nobody it no longer knows: an erased person's id in an address is hidden.

An erasure rewrites the logs (:mod:`grading.personal_data.log_erase`), but the person's browser
may still have a module open: its reconnect attempts, or anyone typing the old
address, reach the hub, which logs the address they asked for (``302 GET
/user/<id>/... -> /hub/login?next=%2Fuser%2F<id>...``). The hub's own log
records therefore pass :class:`UnknownUserFilter`: a user name in an address
(``/user/<name>``, ``/users/<name>``, and URL-encoded as in ``?next=``) that is
no account (and no guest of a live session) is replaced by :data:`UNKNOWN`.
Names of people who have an account stay readable, for the operator.
"""

from __future__ import annotations

import logging
import re
import time
from pathlib import Path

__all__ = ["REMEMBER_SECONDS", "UNKNOWN", "UnknownUserFilter", "install"]

#: what stands in the log for a user name that is no account
UNKNOWN = "[unknown]"
#: seconds an answer "is an account" is reused (a burst of requests asks the accounts once); an
#: erasure masks the logs only this long after the account is gone (``grading.personal_data.erase``)
REMEMBER_SECONDS = 2.0
_IN_ADDRESS = re.compile(r"(/users?/|%2[Ff]users?%2[Ff])([a-z0-9][a-z0-9._-]{0,31})")


class UnknownUserFilter(logging.Filter):
    """Hides, in each record's message, the user names in addresses that are no account."""

    def __init__(self, accounts_file: str | Path) -> None:
        super().__init__()
        self.accounts_file = Path(accounts_file)
        self._known: dict[str, tuple[bool, float]] = {}

    def known(self, name: str) -> bool:
        """Whether ``name`` is an account, or a guest of a live session (they have no account)."""
        from grading.hub.accounts import AccountStore
        from widgets.core.live_names import is_guest

        remembered = self._known.get(name)
        now = time.monotonic()
        if remembered is not None and now - remembered[1] < REMEMBER_SECONDS:
            return remembered[0]
        try:
            found = is_guest(name) or AccountStore(self.accounts_file).get(name) is not None
        except Exception:  # the log must never fail; an unreadable store hides the name
            found = False
        if len(self._known) > 1000:
            self._known.clear()
        self._known[name] = (found, now)
        return found

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:
            return True
        if "user" not in message:
            return True
        hidden = _IN_ADDRESS.sub(lambda m: m.group(0) if self.known(m.group(2)) else m.group(1) + UNKNOWN, message)
        if hidden != message:
            record.msg, record.args = hidden, ()
        return True


def install(log: logging.Logger, accounts_file: str | Path) -> UnknownUserFilter:
    """Put the filter on every handler of ``log`` (the hub's; tornado's records pass through them)."""
    hide = UnknownUserFilter(accounts_file)
    for handler in log.handlers:
        handler.addFilter(hide)
    return hide
