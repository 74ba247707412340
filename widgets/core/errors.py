"""The one error root: every problem Cirkel expects carries a message a person reads.

``CirkelError`` sits at the bottom (no ipywidgets, nothing of Cirkel's but the
string table), so that the learner's side, the leader's side and the apps all
raise it, and so that the ``cirkel`` command can show any expected problem as
its Swedish message and keep tracebacks for bugs alone. A subclass keeps its
own name and its old base (``ValueError`` for a bad content file, say), so an
``except`` clause written for either still catches it.
"""

from __future__ import annotations

from typing import Any

__all__ = ["CirkelError"]


class CirkelError(Exception):
    """An expected problem; ``message`` is what a person reads, in the chosen language."""

    #: the ``cirkel`` command's exit status when this error ends it
    exit_status = 1

    def __init__(self, message: str = "", *args: object) -> None:
        super().__init__(message, *args)
        self.message = str(message)

    @classmethod
    def from_key(cls, key: str, /, **values: Any) -> CirkelError:
        """The error whose message is the string table's ``key`` filled in with ``values``."""
        from widgets.core.i18n import t  # the string table reads its YAML only when a message is made

        return cls(t(key, **values))
