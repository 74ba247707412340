"""The models of the answer records: ``svar/<exercise_id>.json`` and each kind's ``data``.

The store reads every record through :class:`AnswerRecord`, so a file that is
not a record of this exercise is kept aside, never trusted. Each exercise kind
names the model of its ``data`` in ``widgets.models.kinds`` (``answer_model``); those
models describe what the widgets write, for the JSON Schema in ``docs/schema/``
and for anyone who reads answers outside Cirkel. They let unknown keys through
(an older or newer widget may add one) and never decide points: the checks
recompute those from the content.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

__all__ = [
    "AnswerRecord",
    "QuizAnswer",
    "PlanAnswer",
    "ReflectionAnswer",
    "MeetingPlanAnswer",
    "RoleExpectationsAnswer",
    "HandoverAnswer",
    "SpeakerStatsAnswer",
    "ReadabilityAnswer",
    "GoalAnswer",
    "SuppressionAnswer",
    "VotingAnswer",
    "RoleFinderAnswer",
]

#: The record format the store writes (``widgets.storage.answers.SCHEMA_VERSION``).
SCHEMA_VERSION = 1


class AnswerRecord(BaseModel):
    """One answer file: its format version, whose answers, of which kind, when, and the data."""

    model_config = ConfigDict(strict=True, extra="allow", populate_by_name=True, defer_build=True)

    schema_version: int = Field(alias="schema", ge=1, le=SCHEMA_VERSION)
    exercise_id: str
    kind: str
    saved_at: str = ""
    data: dict[str, Any]


class Answer(BaseModel):
    """A kind's ``data``: what its widget writes, other keys let through."""

    model_config = ConfigDict(extra="allow", defer_build=True)


class QuizQuestionAnswer(Answer):
    chosen: list[int] = []
    tries: list[list[int]] = []
    retrying: bool = False


class QuizAnswer(Answer):
    """MeetingRoleQuiz: per question, the options chosen, every try and whether a retry is open."""

    questions: dict[str, QuizQuestionAnswer] = {}


class PlanGoal(Answer):
    id: str = ""
    text: str = ""
    years: int | None = None


class PlanActivity(Answer):
    text: str = ""
    goal: str = ""
    hours: float | None = None
    cost: float | None = None


class PlanDiscussion(Answer):
    what: str = ""
    when: str = ""


class PlanResources(Answer):
    members: int | None = None
    hours: float | None = None
    money: float | None = None


class PlanAnswer(Answer):
    """StrategicPlanBuilder: the six steps of the plan."""

    perception: str = ""
    resources: PlanResources = PlanResources()
    goals: list[PlanGoal] = []
    activities: list[PlanActivity] = []
    anchoring: list[PlanDiscussion] = []
    revisit: str = ""


class ReflectionAnswer(Answer):
    """Reflection: the learner's text."""

    text: str = ""


class AgendaItem(Answer):
    title: str = ""
    minutes: int | None = None


class MeetingPlanAnswer(Answer):
    """MeetingPlanner: the meeting, its purposes, agenda, roles and practicalities."""

    name: str = ""
    date: str | None = None
    start: str | None = None
    length: int | None = None
    place: str = ""
    political: str = ""
    social: str = ""
    agenda: list[AgendaItem] = []
    roles: dict[str, str] = {}
    practical: dict[str, bool] = {}
    practical_note: str = ""


class Task(Answer):
    text: str = ""
    hours: float | None = None
    optional: bool = False


class RoleExpectationsAnswer(Answer):
    """RoleExpectations: the assignment, its period, tasks, support and the hours available."""

    preset: str = ""
    assignment: str = ""
    period: str = ""
    tasks: list[Task] = []
    support: str = ""
    available: float | None = None


class HandoverItem(Answer):
    note: str = ""
    done: bool = False


class Pairing(Answer):
    new_name: str = ""
    mentor_name: str = ""
    mentor_role: str = ""
    focus: str = ""


class HandoverMeeting(Answer):
    date: str | None = None
    topic: str = ""


class HandoverAnswer(Answer):
    """HandoverPlan: the checklist, the pairing of new and mentor, and their meetings."""

    assignment: str = ""
    items: dict[str, HandoverItem] = {}
    pairing: Pairing = Pairing()
    meetings: list[HandoverMeeting] = []


class SpeakerStatsAnswer(Answer):
    """SpeakerStats: contributions and seconds per category, the one speaking now, and consent."""

    counts: dict[str, int] = {}
    seconds: dict[str, float] = {}
    running: Any = None
    consent: Any = None


class ReadabilityAnswer(Answer):
    """ReadabilityMeter: the text being measured."""

    text: str = ""


class GoalAnswer(Answer):
    """GoalCalculator: the branch's populations, shares today, members and the planned number."""

    populations: dict[str, int | None] = {}
    today: dict[str, float | None] = {}
    members: int | None = None
    planned: float | None = None
    per_sympathiser: float | None = None


class CardAnswer(Answer):
    technique: str | None = None
    counter: str | None = None
    confirming: str | None = None
    checked: bool = False


class SuppressionAnswer(Answer):
    """SuppressionTechniques: per card, the choices and whether they were checked."""

    cards: dict[str, CardAnswer] = {}


class ScenarioAnswer(Answer):
    order: list[str] = []
    order_checked: bool = False
    result: str | None = None
    result_checked: bool = False


class VotingAnswer(Answer):
    """VotingProcedure: per scenario, the order of the votes and the result chosen."""

    scenarios: dict[str, ScenarioAnswer] = {}


class RoleFinderAnswer(Answer):
    """RoleFinder: what the member likes, can, has time for and wants to add."""

    first_name: str = ""
    interests: list[str] = []
    skills: list[str] = []
    time: str | None = None
    note: str = ""
