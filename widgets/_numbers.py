"""Numbers as a person reads them in the chosen language (``7,5`` and ``5 000`` in Swedish)."""

from __future__ import annotations

from .i18n import t

__all__ = ["format_number"]


def format_number(value: float, decimals: int = 2) -> str:
    """``value`` with at most ``decimals`` decimals, no trailing zeros, grouped thousands."""
    text = f"{value:,.{decimals}f}"
    if decimals:
        text = text.rstrip("0").rstrip(".")
    whole, _, fraction = text.partition(".")
    whole = whole.replace(",", t("number.thousands_sep"))
    return f"{whole}{t('number.decimal_mark')}{fraction}" if fraction else whole
