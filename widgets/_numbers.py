"""Numbers as a person reads them in the chosen language (``7,5`` and ``5 000`` in Swedish)."""

from __future__ import annotations

from collections.abc import Mapping

from .i18n import t

__all__ = ["format_number", "share_done"]


def format_number(value: float, decimals: int = 2) -> str:
    """``value`` with at most ``decimals`` decimals, no trailing zeros, grouped thousands."""
    text = f"{value:,.{decimals}f}"
    if decimals:
        text = text.rstrip("0").rstrip(".")
    whole, _, fraction = text.partition(".")
    whole = whole.replace(",", t("number.thousands_sep"))
    return f"{whole}{t('number.decimal_mark')}{fraction}" if fraction else whole


def share_done(parts: Mapping[str, bool]) -> float:
    """How much of an exercise is done, 0 to 1: the share of its parts that are filled in.

    Every completeness check (plan, builders, goal calculator, role finder) counts this way.
    """
    return sum(parts.values()) / len(parts)
