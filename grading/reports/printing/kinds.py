"""Each exercise kind on paper: its print form, its key and the group app that fits it.

One entry per widget of ``widgets.EXERCISE_WIDGETS`` (a test keeps the two lists
equal), so a new exercise kind cannot reach a module without a way to print it.
How to run each kind with and without screens is in the string table
(``print.run.<widget>.paper`` and ``.screen``), beside the widget's own words.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from grading.reports.printing import builders as b
from grading.reports.printing import practice as p
from grading.reports.printing.html import esc, tag
from widgets.core.i18n import t
from widgets.models.kinds import KINDS, resolve

__all__ = ["PrintKind", "PRINT_KINDS", "content_title", "GROUP_APPS"]

#: The circle's live apps (README, "Studying together"), by the key of their words in the string table.
GROUP_APPS = ("quiz", "speakers", "plan")


@dataclass(frozen=True)
class PrintKind:
    """How one exercise kind is printed.

    Attributes
    ----------
    form:
        The booklet's print form, from the content file: the task with nothing marked.
    key:
        The guide's answer key (or, for work without right answers, what finished work holds),
        from the content file and the year the material is made in.
    title:
        The content's own title.
    group_app:
        The live app (one of :data:`GROUP_APPS`) a circle can do this exercise in together.
    """

    form: Callable[[Path], str]
    key: Callable[[Path, int], str]
    title: Callable[[Path], str]
    group_app: str | None = None


def _title(loader: str, attribute: str = "title") -> Callable[[Path], str]:
    module, _, name = loader.rpartition(".")

    def title(path: Path) -> str:
        import importlib

        content = getattr(importlib.import_module(module), name)(path)
        return str(getattr(content, attribute) or "")

    return title


def _steps(loader: str) -> Callable[[Path, int], str]:
    """The key of a builder: no right answer, the steps a finished piece of work has."""
    module, _, name = loader.rpartition(".")

    def key(path: Path, year: int) -> str:
        import importlib

        content = getattr(importlib.import_module(module), name)(path)
        return b.steps_key([step.title for step in content.steps.values()])

    return key


def _role_finder_key(path: Path, year: int) -> str:
    return tag("p", esc(t("print.roles.key")), class_="why")


def _no_year(key: Callable[[Path], str]) -> Callable[[Path, int], str]:
    return functools.wraps(key)(lambda path, year: key(path))


# How each kind is printed; its entry in ``widgets.models.kinds`` names its constant here.
MEETING_ROLE_QUIZ = PrintKind(p.quiz_form, _no_year(p.quiz_key), _title("widgets.models.quiz_bank.load_bank"), "quiz")
SUPPRESSION_TECHNIQUES = PrintKind(
    p.suppression_form, _no_year(p.suppression_key), _title("widgets.models.suppression.load_suppression_bank")
)
VOTING_PROCEDURE = PrintKind(p.voting_form, _no_year(p.voting_key), _title("widgets.models.voting.load_voting_bank"))
READABILITY_METER = PrintKind(
    p.readability_form, _no_year(p.readability_key), _title("widgets.models.readability.load_settings")
)
SPEAKER_STATS = PrintKind(
    p.speaker_form, _no_year(p.speaker_key), _title("widgets.models.speaker_stats.load_settings"), "speakers"
)
MEETING_PLANNER = PrintKind(
    b.meeting_form,
    _steps("widgets.models.meeting_planner.load_meeting_content"),
    _title("widgets.models.meeting_planner.load_meeting_content"),
)
STRATEGIC_PLAN_BUILDER = PrintKind(
    b.plan_form, _steps("widgets.models.plan.load_prompts"), _title("widgets.models.plan.load_prompts"), "plan"
)
HANDOVER_PLAN = PrintKind(
    b.handover_form,
    _steps("widgets.models.handover_plan.load_handover_content"),
    _title("widgets.models.handover_plan.load_handover_content"),
)
ROLE_EXPECTATIONS = PrintKind(
    b.expectations_form,
    _steps("widgets.models.role_expectations.load_role_content"),
    _title("widgets.models.role_expectations.load_role_content"),
)
ROLE_FINDER = PrintKind(b.role_finder_form, _role_finder_key, _title("widgets.models.role_finder.load_role_content"))
GOAL_CALCULATOR = PrintKind(b.goal_form, b.goal_key, _title("widgets.models.goal_calculator.load_settings"))

# a reflection has no content file: the booklet prints its prompt (grading.reports.printing.booklet)
REFLECTION = PrintKind(lambda path: "", lambda path, year: "", lambda path: t("print.reflection"))

#: How each exercise kind is printed, as its entry in ``widgets.models.kinds`` names it.
PRINT_KINDS: dict[str, PrintKind] = {
    kind.widget: resolve(kind.print_kind) for kind in KINDS.values() if kind.print_kind
}


def content_title(widget: str, path: Path | None) -> str:
    """The title an exercise has on screen (its content's), or the kind's name in print."""
    kind = PRINT_KINDS[widget]
    title = kind.title(path) if path is not None else ""
    return title or t(f"print.kind.{widget}")
