"""The plan's look: layouts, a step's header, the realism check as HTML, the download link."""

from __future__ import annotations

import html
from typing import Any

import ipywidgets as ipw

from widgets.core.i18n import t
from widgets.kit import controls as ui
from widgets.kit.download import download_link
from widgets.models.plan import Plan, RealismWarning

MAX_ROWS = 12  # more rows than any branch plan needs; keeps a stuck key from making hundreds
NO_GOAL = ""
WIDE = {"description_width": "initial"}


def full_width(**extra: Any) -> ipw.Layout:
    """A control as wide as the plan."""
    return ui.layout(width="100%", **extra)


def step_header(step_title: str, help_text: str, quote: str, source: str) -> ipw.HTML:
    """A step's title, its help and its quote from strategidokumentet."""
    parts = [f'<h4 class="cirkel-plan-step">{html.escape(step_title)}</h4>', f"<p>{html.escape(help_text)}</p>"]
    if quote:
        parts.append(
            f'<blockquote class="cirkel-quote"><p>{html.escape(quote)}</p>'
            f"<footer>{html.escape(t('plan.quote_source', source=source))}</footer></blockquote>"
        )
    return ui.HTML("".join(parts))


def realism_check_html(found: list[RealismWarning]) -> str:
    """The realism check as HTML: each warning in a list, or that the plan holds together."""
    if not found:
        return f'<p class="cirkel-ok">{html.escape(t("plan.check_ok"))}</p>'
    items = "".join(f'<li class="cirkel-warning" data-code="{w.code}">{html.escape(w.message)}</li>' for w in found)
    return f"<p>{html.escape(t('plan.check_intro', count=len(found)))}</p><ul>{items}</ul>"


def plan_download_link(filename: str, mime: str, payload: bytes) -> str:
    """A link that downloads the plan."""
    return download_link(filename, mime, payload, t("plan.download_link", name=filename))


def goal_options(plan: Plan) -> list[tuple[str, str]]:
    """The choices of an activity's goal: none, or a goal by its number and the start of its text."""
    options = [(t("plan.no_goal"), NO_GOAL)]
    for number, goal in enumerate(plan.goals, start=1):
        text = " ".join(goal.text.split())
        text = text if len(text) <= 40 else text[:39] + "…"
        options.append((t("plan.goal_option", number=number, text=text or t("plan.unnamed_goal")), goal.id))
    return options
