"""Every exercise kind, declared once: its widget, answers, check, gallery sample and content schema.

Adding a kind means one entry here and the kind's own files. Everything that
used to keep its own list of kinds reads this one: the widgets a course
notebook may import (``widgets.EXERCISE_WIDGETS``), the content loaders the
course check runs (``widgets.EXERCISE_CONTENT_LOADERS``), the grading checks
an autograder cell may call (``grading.CHECKS``, ``grading.checks``), the
solutions and the gallery. Everything is named by an import string
(``module:attribute``), so this module imports neither ipywidgets nor
pydantic, and ``widgets`` names a check in ``grading`` without importing it.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Any

__all__ = ["Kind", "KINDS", "CHECK_MODULES", "kind_for", "resolve"]


@dataclass(frozen=True)
class Kind:
    """One exercise kind.

    Attributes
    ----------
    widget:
        The widget's class name, as ``module.yml`` and a notebook name it (``MeetingRoleQuiz``).
    module:
        The module that defines the widget (imported only when the widget is built).
    answer_kind:
        The ``kind`` of its answer file (``svar/<exercise_id>.json``).
    answer_model:
        The pydantic model of the answer file's ``data`` (``module:Class``).
    check:
        The grading check that scores it (``module:function`` in ``grading``), or ``None``
        for work a person grades (a reflection).
    sample:
        Its gallery file, ``voila_apps/galleri/<sample>``.
    content_schema:
        The pydantic model of its content file (bank, plan or scenario), or ``None`` when it has none.
    content_loader:
        The loader its ``from_file`` uses (``module:function``): it reads and checks the content file.
    key_places:
        Where its content file holds the answer key (``module:KEY_PLACES``), which a learner's copy
        leaves out (``widgets.models.answer_keys``); ``None`` when nothing in it is secret.
    shows_points:
        It shows the learner a score, so the module passes it the gradebook's points (``grading.course.build``).
    item_minutes:
        For a kind made of items: the list in its content file that holds them and the minutes each
        needs at a meeting (``grading.course.timing``); ``None`` for the others.
    timed:
        It takes time of the meeting's exercise part (not a reflection, nor talarstatistik, which is
        kept while the circle talks).
    solver:
        What fills the widget in with an answer its check gives full points (``module:function`` in
        ``grading``; the tests grade every module with it, ``grading.course.solutions``).
    print_kind:
        How the printed booklet and guide show it (``module:PrintKind`` in ``grading``,
        ``grading.reports.printing.kinds``).
    """

    widget: str
    module: str
    answer_kind: str
    answer_model: str
    check: str | None
    sample: str
    content_schema: str | None = None
    content_loader: str | None = None
    key_places: str | None = None
    shows_points: bool = False
    item_minutes: tuple[str, float] | None = None
    timed: bool = True
    solver: str | None = None
    print_kind: str | None = None

    @property
    def check_name(self) -> str | None:
        """The check's name, as an autograder cell calls it (``score_quiz``)."""
        return self.check.partition(":")[2] if self.check else None


_A = "widgets.models.answers:"
_C = "widgets.models.exercise_content:"
# named for grading, never imported here (as ``check``)
_S = "grading.course.solutions:"
_P = "grading.reports.printing.kinds:"

KINDS: dict[str, Kind] = {
    kind.widget: kind
    for kind in (
        Kind(
            "MeetingRoleQuiz",
            "widgets.exercises.quiz",
            "quiz",
            _A + "QuizAnswer",
            "grading.checks:score_quiz",
            "motesroller.yml",
            "widgets.models.quiz_bank:QuizBank",
            "widgets.models.quiz_bank:load_bank",
            key_places="widgets.models.quiz_bank:KEY_PLACES",
            shows_points=True,
            item_minutes=("questions", 1.5),
            solver=_S + "solve_quiz",
            print_kind=_P + "MEETING_ROLE_QUIZ",
        ),
        Kind(
            "StrategicPlanBuilder",
            "widgets.exercises.plan",
            "plan",
            _A + "PlanAnswer",
            "grading.checks:score_plan",
            "strategisk-plan.yml",
            _C + "PlanPrompts",
            "widgets.models.plan:load_prompts",
            solver=_S + "solve_plan",
            print_kind=_P + "STRATEGIC_PLAN_BUILDER",
        ),
        Kind(
            "Reflection",
            "widgets.exercises.reflection",
            "reflection",
            _A + "ReflectionAnswer",
            None,
            "reflektion.yml",
            timed=False,
            solver=_S + "solve_reflection",
            print_kind=_P + "REFLECTION",
        ),
        Kind(
            "MeetingPlanner",
            "widgets.exercises.meeting_planner",
            "meeting-planner",
            _A + "MeetingPlanAnswer",
            "grading.checks.builders:score_meeting_plan",
            "motesplanering.yml",
            _C + "MeetingContent",
            "widgets.models.meeting_planner:load_meeting_content",
            solver=_S + "solve_meeting_planner",
            print_kind=_P + "MEETING_PLANNER",
        ),
        Kind(
            "RoleExpectations",
            "widgets.exercises.role_expectations",
            "role-expectations",
            _A + "RoleExpectationsAnswer",
            "grading.checks.builders:score_role_expectations",
            "forvantningar.yml",
            _C + "RoleExpectationsContent",
            "widgets.models.role_expectations:load_role_content",
            solver=_S + "solve_role_expectations",
            print_kind=_P + "ROLE_EXPECTATIONS",
        ),
        Kind(
            "HandoverPlan",
            "widgets.exercises.handover_plan",
            "handover-plan",
            _A + "HandoverAnswer",
            "grading.checks.builders:score_handover_plan",
            "overlamning.yml",
            _C + "HandoverContent",
            "widgets.models.handover_plan:load_handover_content",
            solver=_S + "solve_handover",
            print_kind=_P + "HANDOVER_PLAN",
        ),
        Kind(
            "SpeakerStats",
            "widgets.exercises.speaker_stats",
            "speaker-stats",
            _A + "SpeakerStatsAnswer",
            "grading.checks.live:score_speaker_stats",
            "talarstatistik.yml",
            _C + "SpeakerSettings",
            "widgets.models.speaker_stats:load_settings",
            timed=False,
            solver=_S + "solve_speaker_stats",
            print_kind=_P + "SPEAKER_STATS",
        ),
        Kind(
            "ReadabilityMeter",
            "widgets.exercises.readability",
            "readability",
            _A + "ReadabilityAnswer",
            "grading.checks.live:score_readability",
            "lasbarhet.yml",
            _C + "ReadabilitySettings",
            "widgets.models.readability:load_settings",
            solver=_S + "solve_readability",
            print_kind=_P + "READABILITY_METER",
        ),
        Kind(
            "GoalCalculator",
            "widgets.exercises.goal_calculator",
            "goal-calculator",
            _A + "GoalAnswer",
            "grading.checks.live:score_goal_calculator",
            "mal-2030.yml",
            _C + "GoalSettings",
            "widgets.models.goal_calculator:load_settings",
            solver=_S + "solve_goal_calculator",
            print_kind=_P + "GOAL_CALCULATOR",
        ),
        Kind(
            "SuppressionTechniques",
            "widgets.exercises.suppression",
            "suppression",
            _A + "SuppressionAnswer",
            "grading.checks.practice:score_suppression",
            "harskartekniker.yml",
            _C + "SuppressionBank",
            "widgets.models.suppression:load_suppression_bank",
            key_places="widgets.models.suppression:KEY_PLACES",
            shows_points=True,
            item_minutes=("cards", 3.0),
            solver=_S + "solve_suppression",
            print_kind=_P + "SUPPRESSION_TECHNIQUES",
        ),
        Kind(
            "VotingProcedure",
            "widgets.exercises.voting",
            "voting",
            _A + "VotingAnswer",
            "grading.checks.practice:score_voting",
            "voteringsordning.yml",
            _C + "VotingBank",
            "widgets.models.voting:load_voting_bank",
            key_places="widgets.models.voting:KEY_PLACES",
            shows_points=True,
            item_minutes=("scenarios", 3.0),
            solver=_S + "solve_voting",
            print_kind=_P + "VOTING_PROCEDURE",
        ),
        Kind(
            "RoleFinder",
            "widgets.exercises.role_finder",
            "role-finder",
            _A + "RoleFinderAnswer",
            "grading.checks.practice:score_role_finder",
            "rollsokaren.yml",
            _C + "RoleFinderContent",
            "widgets.models.role_finder:load_role_content",
            solver=_S + "solve_role_finder",
            print_kind=_P + "ROLE_FINDER",
        ),
    )
}

#: Every grading check, by name, and the module in ``grading`` that defines it.
CHECK_MODULES: dict[str, str] = {
    kind.check_name: kind.check.partition(":")[0] for kind in KINDS.values() if kind.check and kind.check_name
}


def kind_for(answer_kind: str) -> Kind | None:
    """The kind whose answer files carry ``answer_kind`` (``"quiz"``), or ``None``."""
    return next((kind for kind in KINDS.values() if kind.answer_kind == answer_kind), None)


def resolve(target: str) -> Any:
    """The object an import string names: ``"widgets.models.quiz_bank:load_bank"``.

    ``widgets`` itself never resolves a ``check``: that is ``grading``'s, above it.
    """
    module, _, name = target.partition(":")
    return getattr(importlib.import_module(module), name)
