"""The goal calculator's HTML: the example table, the chart, the table of targets and the verdict on the plan."""

from __future__ import annotations

import html

from widgets.core.formats import format_percent
from widgets.core.i18n import t
from widgets.core.numbers import format_number
from widgets.kit.svg_chart import Bar, bar_chart_svg
from widgets.kit.table_region import table_region
from widgets.models.goal_calculator import ConversationPlan, GoalRow, GoalSettings, Plan, is_example

CSS = "cirkel-goal-calculator"
WIDE = {"description_width": "initial"}
COLOURS = {"population": "#4d4d4d", "left": "#1f4e79", "sympathise": "#8c1515", "today": "#5b3a8c"}


def examples_html(settings: GoalSettings) -> str:
    """The example table, labelled as an example and not real statistics."""
    examples = settings.examples
    assert examples is not None
    head = [t("goal_calculator.col_place")]
    for group in settings.groups:
        head.append(t("goal_calculator.col_people", label=group.label))
        if f"{group.id}_idag" in examples.columns:
            head.append(t("goal_calculator.col_today", label=group.label))
    head.append(t("goal_calculator.members"))
    rows = []
    for row in examples.rows:
        cells = [f'<th scope="row">{html.escape(str(row["plats"]))}</th>']
        for group in settings.groups:
            cells.append(f"<td>{format_number(row[group.id], 0)}</td>")
            if f"{group.id}_idag" in examples.columns:
                cells.append(f"<td>{format_percent(row[f'{group.id}_idag'] / 100, decimals=1)}</td>")
        cells.append(f"<td>{format_number(row['aktiva_medlemmar'], 0)}</td>")
        rows.append(f"<tr>{''.join(cells)}</tr>")
    head_html = "".join(f'<th scope="col">{html.escape(h)}</th>' for h in head)
    caption = html.escape(t("goal_calculator.example_caption"))
    note = html.escape(t("goal_calculator.example_note"))
    return (
        f'<div class="{CSS}-examples">'
        + table_region(
            f"<table><caption><strong>{caption}</strong></caption>"
            f"<thead><tr>{head_html}</tr></thead><tbody>{''.join(rows)}</tbody></table>",
            t("goal_calculator.example_caption"),
        )
        + f"<p>{note}</p></div>"
    )


def chart_html(settings: GoalSettings, table: list[GoalRow]) -> str:
    """Each group's people, left, sympathisers and today's sympathisers as bars."""
    if not any(row.population for row in table):
        return f'<p class="{CSS}-chart-empty">{html.escape(t("goal_calculator.chart_empty"))}</p>'
    bars: list[Bar] = []
    for row in table:
        for key, column in (
            ("population", "population"),
            ("left", "left_people"),
            ("sympathise", "sympathise_people"),
            ("today", "today_people"),
        ):
            value = int(getattr(row, column))
            bars.append(
                Bar(
                    t(f"goal_calculator.bar_{key}", label=row.label),
                    value,
                    t("goal_calculator.people", count=value),
                    COLOURS[key],
                )
            )
    return bar_chart_svg(
        bars,
        name=t("goal_calculator.chart_name", year=settings.target_year),
        scale_max=float(max(row.population for row in table)),
        css_class=f"{CSS}-svg",
    )


def table_html(settings: GoalSettings, table: list[GoalRow]) -> str:
    """The chart's numbers as a table (its text alternative)."""
    head_keys = (
        "col_group",
        "col_population",
        "col_left",
        "col_sympathise",
        "col_today_people",
        "col_new",
        "col_conversations",
    )
    head = "".join(
        f'<th scope="col">{html.escape(t("goal_calculator." + k, year=settings.target_year))}</th>' for k in head_keys
    )
    rows = []
    for row in table:
        cells = [
            f'<th scope="row">{html.escape(row.label)}</th>',
            f"<td>{format_number(row.population, 0)}</td>",
            f"<td>{format_number(row.left_people, 0)} ({format_number(row.left_share, 0)} %)</td>",
            f"<td>{format_number(row.sympathise_people, 0)} ({format_number(row.sympathise_share, 0)} %)</td>",
            f"<td>{format_number(row.today_people, 0)}</td>",
            f"<td>{format_number(row.new_needed, 0)}</td>",
            f"<td>{format_number(row.conversations, 0)}</td>",
        ]
        rows.append(f'<tr data-group="{html.escape(row.group)}">{"".join(cells)}</tr>')
    caption = html.escape(t("goal_calculator.table_caption", year=settings.target_year))
    return table_region(
        f"<table><caption>{caption}</caption><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>",
        t("goal_calculator.table_caption", year=settings.target_year),
    )


def result_html(plan: ConversationPlan, answers: Plan, settings: GoalSettings) -> str:
    """What the targets ask of each member, and whether the branch's plan of conversations is enough."""
    lines: list[tuple[str, str]] = []
    numbers = answers.numbers
    entered = numbers.members > 0 and all(numbers.populations[g.id] > 0 for g in settings.groups)
    if not entered:
        lines.append((f"{CSS}-todo", t("goal_calculator.enter_numbers")))
    elif is_example(numbers, settings):
        lines.append((f"{CSS}-todo", t("goal_calculator.still_example")))
    if plan.total:
        lines.append(
            (
                "",
                t(
                    "goal_calculator.total",
                    total=format_number(plan.total, 0),
                    years=plan.years,
                    per_year=format_number(plan.per_year, 1),
                    year=settings.target_year,
                ),
            )
        )
    if plan.per_member_year is not None and plan.total:
        lines.append(
            (
                "",
                t(
                    "goal_calculator.per_member",
                    per_year=format_number(plan.per_member_year, 1),
                    per_month=format_number(plan.per_member_year / 12, 1),
                ),
            )
        )
    if not answers.planned:
        lines.append((f"{CSS}-todo", t("goal_calculator.set_plan")))
    elif plan.planned_share is not None:
        if plan.planned_share >= 1:
            lines.append((f"{CSS}-ok", t("goal_calculator.plan_enough", planned=format_number(answers.planned, 1))))
        else:
            lines.append(
                (
                    f"{CSS}-short",
                    t(
                        "goal_calculator.plan_short",
                        planned=format_number(answers.planned, 1),
                        share=format_percent(plan.planned_share),
                    ),
                )
            )
    body = "".join(
        f'<p class="{cls}">{html.escape(text)}</p>' if cls else f"<p>{html.escape(text)}</p>" for cls, text in lines
    )
    return body
