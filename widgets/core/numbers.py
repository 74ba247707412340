"""Numbers as a person reads them in the chosen language (``7,5`` and ``5 000`` in Swedish), through Babel."""

from __future__ import annotations

from collections.abc import Mapping

from widgets.core.formats import format_number

__all__ = ["format_number", "share_done"]


def share_done(parts: Mapping[str, bool]) -> float:
    """How much of an exercise is done, 0 to 1: the share of its parts that are filled in.

    Every completeness check (plan, builders, goal calculator, role finder) counts this way.
    """
    return sum(parts.values()) / len(parts)
