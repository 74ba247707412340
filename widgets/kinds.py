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
        leaves out (``widgets._answer_keys``); ``None`` when nothing in it is secret.
    shows_points:
        It shows the learner a score, so the module passes it the gradebook's points (``grading.build``).
    item_minutes:
        For a kind made of items: the list in its content file that holds them and the minutes each
        needs at a meeting (``grading.timing``); ``None`` for the others.
    timed:
        It takes time of the meeting's exercise part (not a reflection, nor talarstatistik, which is
        kept while the circle talks).
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

    @property
    def check_name(self) -> str | None:
        """The check's name, as an autograder cell calls it (``score_quiz``)."""
        return self.check.partition(":")[2] if self.check else None


_A = "widgets.answer_models:"
_C = "widgets.exercise_content_models:"

KINDS: dict[str, Kind] = {
    kind.widget: kind
    for kind in (
        Kind(
            "MeetingRoleQuiz",
            "widgets.quiz",
            "quiz",
            _A + "QuizAnswer",
            "grading.checks:score_quiz",
            "motesroller.yml",
            "widgets._quiz_bank:QuizBank",
            "widgets._quiz_bank:load_bank",
            key_places="widgets._quiz_bank:KEY_PLACES",
            shows_points=True,
            item_minutes=("questions", 1.5),
        ),
        Kind(
            "StrategicPlanBuilder",
            "widgets.plan",
            "plan",
            _A + "PlanAnswer",
            "grading.checks:score_plan",
            "strategisk-plan.yml",
            _C + "PlanPrompts",
            "widgets._plan_model:load_prompts",
        ),
        Kind(
            "Reflection",
            "widgets.reflection",
            "reflection",
            _A + "ReflectionAnswer",
            None,
            "reflektion.yml",
            timed=False,
        ),
        Kind(
            "MeetingPlanner",
            "widgets.meeting_planner",
            "meeting-planner",
            _A + "MeetingPlanAnswer",
            "grading._checks_builders:score_meeting_plan",
            "motesplanering.yml",
            _C + "MeetingContent",
            "widgets._meeting_planner_model:load_meeting_content",
        ),
        Kind(
            "RoleExpectations",
            "widgets.role_expectations",
            "role-expectations",
            _A + "RoleExpectationsAnswer",
            "grading._checks_builders:score_role_expectations",
            "forvantningar.yml",
            _C + "RoleExpectationsContent",
            "widgets._role_expectations_model:load_role_content",
        ),
        Kind(
            "HandoverPlan",
            "widgets.handover_plan",
            "handover-plan",
            _A + "HandoverAnswer",
            "grading._checks_builders:score_handover_plan",
            "overlamning.yml",
            _C + "HandoverContent",
            "widgets._handover_model:load_handover_content",
        ),
        Kind(
            "SpeakerStats",
            "widgets.speaker_stats",
            "speaker-stats",
            _A + "SpeakerStatsAnswer",
            "grading._checks_live:score_speaker_stats",
            "talarstatistik.yml",
            _C + "SpeakerSettings",
            "widgets._speaker_stats_model:load_settings",
            timed=False,
        ),
        Kind(
            "ReadabilityMeter",
            "widgets.readability",
            "readability",
            _A + "ReadabilityAnswer",
            "grading._checks_live:score_readability",
            "lasbarhet.yml",
            _C + "ReadabilitySettings",
            "widgets._readability_model:load_settings",
        ),
        Kind(
            "GoalCalculator",
            "widgets.goal_calculator",
            "goal-calculator",
            _A + "GoalAnswer",
            "grading._checks_live:score_goal_calculator",
            "mal-2030.yml",
            _C + "GoalSettings",
            "widgets._goal_model:load_settings",
        ),
        Kind(
            "SuppressionTechniques",
            "widgets.suppression",
            "suppression",
            _A + "SuppressionAnswer",
            "grading._checks_practice:score_suppression",
            "harskartekniker.yml",
            _C + "SuppressionBank",
            "widgets._suppression_model:load_suppression_bank",
            key_places="widgets._suppression_model:KEY_PLACES",
            shows_points=True,
            item_minutes=("cards", 3.0),
        ),
        Kind(
            "VotingProcedure",
            "widgets.voting",
            "voting",
            _A + "VotingAnswer",
            "grading._checks_practice:score_voting",
            "voteringsordning.yml",
            _C + "VotingBank",
            "widgets._voting_model:load_voting_bank",
            key_places="widgets._voting_model:KEY_PLACES",
            shows_points=True,
            item_minutes=("scenarios", 3.0),
        ),
        Kind(
            "RoleFinder",
            "widgets.role_finder",
            "role-finder",
            _A + "RoleFinderAnswer",
            "grading._checks_practice:score_role_finder",
            "rollsokaren.yml",
            _C + "RoleFinderContent",
            "widgets._role_finder_model:load_role_content",
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
    """The object an import string names: ``"widgets._quiz_bank:load_bank"``.

    ``widgets`` itself never resolves a ``check``: that is ``grading``'s, above it.
    """
    module, _, name = target.partition(":")
    return getattr(importlib.import_module(module), name)
