"""Cirkel's exercise widgets and the answer store: the learner's side.

A course notebook reads ``from widgets import MeetingRoleQuiz``. The widget
classes are imported lazily, so ``widgets.i18n`` and ``widgets.store`` (used
by the ``cirkel`` command and the grading checks) never pull in ipywidgets.
"""

from __future__ import annotations

import importlib
from typing import Any

#: Exercise widgets a module may name in ``module.yml``, and the module of each.
EXERCISE_WIDGETS = {
    "MeetingRoleQuiz": "widgets.quiz",
    "StrategicPlanBuilder": "widgets.plan",
    "Reflection": "widgets.reflection",
    "MeetingPlanner": "widgets.meeting_planner",
    "RoleExpectations": "widgets.role_expectations",
    "HandoverPlan": "widgets.handover_plan",
    "SpeakerStats": "widgets.speaker_stats",
    "ReadabilityMeter": "widgets.readability",
    "GoalCalculator": "widgets.goal_calculator",
    "SuppressionTechniques": "widgets.suppression",
    "VotingProcedure": "widgets.voting",
    "RoleFinder": "widgets.role_finder",
}

#: The loader of each exercise widget's content file (``module:function``), the one its
#: ``from_file`` uses: it reads and checks the file and raises a ``ContentError`` naming the place.
#: None imports ipywidgets, so a course can be checked without drawing anything. A Reflection
#: has no content file.
EXERCISE_CONTENT_LOADERS = {
    "MeetingRoleQuiz": "widgets._quiz_bank:load_bank",
    "StrategicPlanBuilder": "widgets._plan_model:load_prompts",
    "MeetingPlanner": "widgets._meeting_planner_model:load_meeting_content",
    "RoleExpectations": "widgets._role_expectations_model:load_role_content",
    "HandoverPlan": "widgets._handover_model:load_handover_content",
    "SpeakerStats": "widgets._speaker_stats_model:load_settings",
    "ReadabilityMeter": "widgets._readability_model:load_settings",
    "GoalCalculator": "widgets._goal_model:load_settings",
    "SuppressionTechniques": "widgets._suppression_model:load_suppression_bank",
    "VotingProcedure": "widgets._voting_model:load_voting_bank",
    "RoleFinder": "widgets._role_finder_model:load_role_content",
}

_LAZY = {
    **EXERCISE_WIDGETS,
    "AnswerStore": "widgets.store",
    "SubmitPanel": "widgets.submit",
    "TextVersions": "widgets.text_versions",
    "t": "widgets.i18n",
}

__all__ = sorted(_LAZY)


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'widgets' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)
