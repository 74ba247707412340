"""Print forms of the exercises where a person makes something: plans, a meeting, a role.

They have no right answers, so their "key" in the cirkelledarhandledning is
what a finished piece of work holds (the steps the widget asks for) and, for the
goal calculator, a worked example from the content's own example table. Each
form prints the content's own step titles, help texts and quotations from the
strategy document, with lines, boxes and tables to fill in by hand.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from grading.reports.printing.html import blank_table, box, data_table, esc, field, inline, lines, quote, tag
from widgets.core.formats import format_percent
from widgets.core.i18n import t

__all__ = [
    "meeting_form",
    "plan_form",
    "handover_form",
    "expectations_form",
    "role_finder_form",
    "goal_form",
    "goal_key",
    "steps_key",
]


def _head(title: str, intro: str, source: str) -> str:
    src = tag("p", esc(t("print.source", source=source)), class_="source") if source else ""
    return src + (tag("p", inline(intro), class_="intro") if intro else "")


def _step(step, body: str, source: str = "") -> str:
    """One step of a builder: its title, help text, the document's words and what to fill in."""
    words = quote(step.quote, getattr(step, "source", "") or source) if step.quote else ""
    return tag(
        "div",
        tag("p", esc(step.title), class_="item-title") + tag("p", inline(step.help)) + words + body,
        class_="step",
    )


def _ticks(labels: list[str]) -> str:
    return tag("ul", "".join(tag("li", box() + " " + esc(label)) for label in labels), class_="options")


# -- MeetingPlanner -------------------------------------------------------------------------------
def meeting_form(path: Path) -> str:
    from widgets.models.meeting_planner import load_meeting_content

    content = load_meeting_content(path)
    steps, source = content.steps, content.head.source
    when = tag(
        "p",
        field(t("print.meeting.name"))
        + field(t("print.meeting.date"), "short")
        + field(t("print.meeting.start"), "tiny")
        + field(t("print.meeting.length", minutes=content.default_length), "tiny")
        + field(t("print.meeting.place")),
        class_="fill",
    )
    purposes = lines(2, t("print.meeting.political")) + lines(2, t("print.meeting.social"))
    agenda = blank_table([t("print.meeting.item"), t("print.meeting.minutes")], 8)
    agenda += tag("p", field(t("print.meeting.total"), "tiny"), class_="fill")
    roles = data_table(
        [t("print.meeting.role"), t("print.meeting.who")],
        [
            (esc(r.label) + ("<br>" + tag("span", esc(r.help), class_="help") if r.help else ""), "")
            for r in content.roles
        ],
        html=True,
    )
    practical = _ticks([p.label for p in content.practicalities]) + lines(2, t("print.meeting.more"))
    return _head(content.title, content.head.intro, source) + "".join(
        (
            _step(steps["meeting"], when, source),
            _step(steps["purposes"], purposes, source),
            _step(steps["agenda"], agenda, source),
            _step(steps["roles"], roles, source),
            _step(steps["practical"], practical, source),
        )
    )


# -- StrategicPlanBuilder ---------------------------------------------------------------------------
def plan_form(path: Path) -> str:
    from widgets.models.plan import load_prompts

    prompts = load_prompts(path)
    steps, source = prompts.steps, prompts.source_text
    goals = blank_table(
        [t("print.plan.goal_number"), t("print.plan.goal"), t("print.plan.years")],
        prompts.max_goals,
        first=[str(n) for n in range(1, prompts.max_goals + 1)],
    )
    goals += tag(
        "p",
        esc(t("print.plan.goal_limits", min=prompts.min_goals, max=prompts.max_goals, years=prompts.min_years)),
        class_="task",
    )
    resources = tag(
        "p",
        field(t("print.plan.members"), "short")
        + field(t("print.plan.hours"), "short")
        + field(t("print.plan.money"), "short"),
        class_="fill",
    )
    activities = blank_table(
        [t("print.plan.activity"), t("print.plan.for_goal"), t("print.plan.activity_hours"), t("print.plan.cost")], 6
    )
    anchoring = blank_table([t("print.plan.where"), t("print.plan.when")], 4)
    return _head(prompts.title, prompts.intro, source) + "".join(
        (
            _step(steps["perception"], lines(3), source),
            _step(steps["goals"], goals, source),
            _step(steps["resources"], resources, source),
            _step(steps["activities"], activities, source),
            _step(steps["anchoring"], anchoring, source),
            _step(steps["revisit"], lines(3), source),
        )
    )


# -- HandoverPlan ----------------------------------------------------------------------------------
def handover_form(path: Path) -> str:
    from widgets.models.handover_plan import load_handover_content

    content = load_handover_content(path)
    steps, source = content.steps, content.head.source
    rows = []
    for item in content.checklist:
        what = esc(item.label)
        if item.help:
            what += "<br>" + tag("span", esc(item.help), class_="help")
        if item.warning:
            what += "<br>" + tag("strong", esc(item.warning))
        rows.append((what, "", box()))
    checklist = data_table(
        [t("print.handover.item"), t("print.handover.where"), t("print.handover.done")], rows, html=True
    )
    mentor = (
        tag("p", esc(t("print.handover.mentor_is")), class_="task")
        + _ticks([r.label for r in content.mentor_roles])
        + tag(
            "p",
            field(t("print.handover.new_name"), "short") + field(t("print.handover.mentor_name"), "short"),
            class_="fill",
        )
        + lines(2, t("print.handover.focus"))
    )
    meetings = blank_table([t("print.handover.date"), t("print.handover.agenda")], max(content.min_meetings, 3))
    return _head(content.title, content.head.intro, source) + "".join(
        (
            _step(steps["assignment"], tag("p", field(t("print.handover.assignment")), class_="fill"), source),
            _step(steps["checklist"], checklist, source),
            _step(steps["mentor"], mentor, source),
            _step(steps["meetings"], meetings, source),
        )
    )


# -- RoleExpectations ------------------------------------------------------------------------------
def expectations_form(path: Path) -> str:
    from widgets.models.role_expectations import load_role_content

    content = load_role_content(path)
    steps, source = content.steps, content.head.source
    examples = []
    for preset in content.presets:
        tasks = "".join(
            tag(
                "li", esc(task.text) + (" " + tag("em", esc(t("print.expectations.optional"))) if task.optional else "")
            )
            for task in preset.tasks
        )
        examples.append(tag("li", tag("strong", esc(preset.name)) + tag("ul", tasks)))
    assignment = (
        tag("p", field(t("print.expectations.assignment")) + field(t("print.expectations.period")), class_="fill")
        + tag("p", esc(t("print.expectations.examples")), class_="task")
        + tag("ul", "".join(examples), class_="examples")
    )
    tasks = blank_table(
        [t("print.expectations.task"), t("print.expectations.hours"), t("print.expectations.may_drop")], 8
    ) + tag("p", field(t("print.expectations.total"), "tiny"), class_="fill")
    time = tag("p", field(t("print.expectations.available"), "tiny"), class_="fill") + lines(
        2, t("print.expectations.fits")
    )
    return _head(content.title, content.head.intro, source) + "".join(
        (
            _step(steps["assignment"], assignment, source),
            _step(steps["tasks"], tasks, source),
            _step(steps["support"], lines(3), source),
            _step(steps["time"], time, source),
        )
    )


# -- RoleFinder ------------------------------------------------------------------------------------
def role_finder_form(path: Path) -> str:
    from widgets.models.role_finder import load_role_content

    content = load_role_content(path)
    pick = (
        tag("p", esc(t("print.roles.interests")), class_="item-title")
        + _ticks([o.label for o in content.interests])
        + tag("p", esc(t("print.roles.skills")), class_="item-title")
        + _ticks([o.label for o in content.skills])
        + tag("p", esc(t("print.roles.time")), class_="item-title")
        + _ticks([c.label for c in content.times])
    )
    rows = []
    for role in content.roles:
        fits = [content.label(i) for i in sorted(role.interests, key=_order(content.interests))]
        fits += [content.label(s) for s in sorted(role.skills, key=_order(content.skills))]
        time = content.time(role.min_time)
        rows.append((role.name, role.description, ", ".join(fits), time.label if time else ""))
    roles = data_table(
        [t("print.roles.role"), t("print.roles.description"), t("print.roles.fits"), t("print.roles.min_time")], rows
    )
    return (
        _head(content.title, content.intro, content.source_text)
        + pick
        + tag("p", esc(t("print.roles.table")), class_="task")
        + roles
        + lines(3, t("print.roles.mine"))
        + lines(3, t("print.roles.note"))
    )


def _order(options: Iterable[Any]) -> Callable[[str], int]:
    ids = [o.id for o in options]
    return lambda option_id: ids.index(option_id) if option_id in ids else len(ids)


# -- GoalCalculator --------------------------------------------------------------------------------
def goal_form(path: Path) -> str:
    from widgets.models.goal_calculator import load_settings

    settings = load_settings(path)
    targets = "".join(
        tag(
            "li",
            esc(
                t(
                    "goal_calculator.target_line",
                    label=g.label,
                    year=settings.target_year,
                    left=format_percent(g.left / 100, decimals=2),  # the document's own figures, as written
                    sympathise=format_percent(g.sympathise / 100, decimals=2),
                )
            )
            + (f" ({esc(g.section)})" if g.section else ""),
        )
        for g in settings.groups
    )
    headers = [t("goal_calculator.col_group"), *(g.label for g in settings.groups)]
    rows = [
        t("goal_calculator.col_population"),
        t("print.goal.left"),
        t("print.goal.sympathise"),
        t("print.goal.today"),
        t("goal_calculator.col_new"),
        t("print.goal.conversations", per=_pct(settings.conversations_per_sympathiser)),
    ]
    table = blank_table(headers, len(rows), first=rows)
    sums = tag(
        "p",
        field(t("print.goal.total"), "short")
        + field(t("print.goal.years", year=settings.target_year), "tiny")
        + field(t("print.goal.members"), "tiny")
        + field(t("print.goal.per_member"), "tiny")
        + field(t("goal_calculator.planned"), "tiny"),
        class_="fill",
    )
    example = ""
    if settings.examples is not None and settings.examples.rows:
        columns = settings.examples.columns
        example = data_table(
            [_example_header(c, settings) for c in columns],
            [[_example_cell(row[c]) for c in columns] for row in settings.examples.rows],
            caption=t("goal_calculator.example_caption"),
        ) + tag("p", esc(t("goal_calculator.example_note")), class_="task")
    assumption = tag("p", inline(settings.assumption), class_="task") if settings.assumption else ""
    return (
        _head(settings.title, settings.intro, settings.source_text)
        + tag("ul", targets, class_="targets")
        + tag("p", esc(t("print.goal.how")), class_="task")
        + table
        + assumption
        + sums
        + example
    )


def _pct(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value).replace(".", ",")


def _example_header(column: str, settings) -> str:
    from widgets.models.goal_calculator import MEMBERS_COLUMN, PLACE_COLUMN, TODAY_SUFFIX

    if column == PLACE_COLUMN:
        return t("goal_calculator.col_place")
    if column == MEMBERS_COLUMN:
        return t("goal_calculator.members")
    for group in settings.groups:
        if column == group.id:
            return t("goal_calculator.col_people", label=group.label)
        if column == group.id + TODAY_SUFFIX:
            return t("goal_calculator.col_today", label=group.label)
    return column


def _example_cell(value: object) -> str:
    from widgets.core.numbers import format_number

    return format_number(value, 0) if isinstance(value, int | float) else str(value)


def goal_key(path: Path, year: int) -> str:
    """A worked example: the first example place's numbers, counted as the widget counts them."""
    from widgets.core.numbers import format_number
    from widgets.models.goal_calculator import Plan, conversation_plan, goal_rows, load_settings

    settings = load_settings(path)
    if not settings.example_places:
        return tag("p", esc(t("print.key.no_key")), class_="why")
    place = settings.example_places[0]
    plan = Plan(settings.example(place), settings.conversations_per_sympathiser)
    rows = goal_rows(plan, settings)
    table = data_table(
        [
            t("goal_calculator.col_group"),
            t("goal_calculator.col_population"),
            t("goal_calculator.col_sympathise"),
            t("goal_calculator.col_today_people"),
            t("goal_calculator.col_new"),
            t("goal_calculator.col_conversations"),
        ],
        [
            (
                r.label,
                format_number(r.population, 0),
                format_number(r.sympathise_people, 0),
                format_number(r.today_people, 0),
                format_number(r.new_needed, 0),
                format_number(r.conversations, 0),
            )
            for r in rows
        ],
        caption=t("print.goal.key_caption", place=place),
    )
    summary = conversation_plan(plan, settings, year)
    total = t(
        "goal_calculator.total",
        year=settings.target_year,
        total=format_number(summary.total, 0),
        years=summary.years,
        per_year=format_number(summary.per_year, 0),
    )
    per_member = ""
    if summary.per_member_year is not None:
        per_member = t(
            "goal_calculator.per_member",
            per_year=format_number(summary.per_member_year, 1),
            per_month=format_number(summary.per_member_year / 12, 1),
        )
    note = t("print.goal.key_note", year=year)
    return table + tag("p", esc(f"{total} {per_member}".strip()), class_="answer") + tag("p", esc(note), class_="why")


# -- what a finished piece of work holds -----------------------------------------------------------
def steps_key(titles: list[str]) -> str:
    """The builders' "key": no right answer, but the steps a finished piece of work has."""
    items = "".join(tag("li", esc(title)) for title in titles)
    # the titles carry their own numbers ("1. Vilket möte, när och var"): no bullet in front of them
    return tag("p", esc(t("print.key.no_key")), class_="why") + tag("ul", items, class_="titles")
