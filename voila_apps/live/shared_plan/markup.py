"""The shared plan's look: its style sheet, layouts, the header and each step's heading."""

from __future__ import annotations

import html

import ipywidgets as ipw

from widgets.core.i18n import t
from widgets.kit import controls as ui
from widgets.models.plan import PlanPrompts

WIDE = {"description_width": "initial"}
CSS = "cirkel-sharedplan"
#: the activity's goal when it serves none
NO_GOAL = ""

# Phones: 44 px tap targets, nothing wider than the screen, labels above long boxes.
STYLE = f"""<style>
.{CSS} .jupyter-button.widget-button {{ min-height: 2.75rem; }}
.{CSS} .widget-inline-hbox, .{CSS} .widget-text {{ max-width: 100%; box-sizing: border-box; }}
.{CSS} .widget-text input[type="number"] {{ min-width: 6rem; }}
.{CSS} .{CSS}-row {{ border-left: 3px solid #ddd; padding-left: 0.5rem; margin: 0.5rem 0; }}
.{CSS} .{CSS}-notice {{ border-left: 4px solid #b35c00; background: #fff4e5; padding: 0.6rem 0.9rem; }}
.{CSS} .{CSS}-history li {{ margin-bottom: 0.4rem; }}
.{CSS} .{CSS}-history q {{ font-style: italic; }}
</style>"""


def row_layout() -> ipw.Layout:
    return ui.layout(display="flex", flex_flow="row wrap", align_items="center", width="100%")


def number_layout() -> ipw.Layout:
    return ui.layout(width="auto", max_width="100%")


def header_html(prompts: PlanPrompts, title: str) -> str:
    """The circle's name, the plan's title, how shared editing works, the source and the intro."""
    source = prompts.source_text
    header = f'<h2 class="{CSS}-title">{html.escape(title)}</h2>' if title else ""
    header += f'<h3 class="{CSS}-plan-title">{html.escape(prompts.title)}</h3>'
    header += f"<p>{html.escape(t('sharedplan.intro'))}</p>"
    if source:
        header += f'<p class="cirkel-source">{html.escape(t("plan.source", source=source))}</p>'
    if prompts.intro:
        header += f"<p>{html.escape(prompts.intro)}</p>"
    return STYLE + header


def step_head(prompts: PlanPrompts, step_id: str) -> ipw.HTML:
    """A step's title, its help and its quote."""
    step = prompts.steps[step_id]
    parts = [f"<h4>{html.escape(step.title)}</h4>", f"<p>{html.escape(step.help)}</p>"]
    if step.quote:
        parts.append(
            f'<blockquote class="cirkel-quote"><p>{html.escape(step.quote)}</p>'
            f"<footer>{html.escape(t('plan.quote_source', source=prompts.source_text))}</footer></blockquote>"
        )
    return ui.HTML("".join(parts))


def heading(key: str) -> ipw.HTML:
    return ui.HTML(f"<h4>{html.escape(t(key))}</h4>")


def section(*children: ipw.Widget, name: str = "") -> ipw.VBox:
    box = ui.VBox(list(children))
    box.add_class(f"{CSS}-section")
    if name:
        box.add_class(f"{CSS}-{name}")
    return box


def message(text: str) -> ipw.HTML:
    """A plain message in place of the plan (no circle, no right to edit it, no run)."""
    box = ui.live(ui.HTML(f"<p>{html.escape(text)}</p>"))
    box.add_class(f"{CSS}-message")
    return box
