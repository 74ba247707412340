"""The models of each exercise kind's content file: the quiz bank, plan prompts, scenarios and settings.

``widgets.kinds`` names one per kind (``content_schema``); ``cirkel courses
schema`` writes their JSON Schema to ``docs/schema/``. Each kind's loader reads
its file through its model first, so a wrong key or type gets the file, the
line and the field in Swedish (``widgets.model_check``); the quiz bank's model
holds every rule of the bank, the others the shape of their file, and their
loaders add the rules that need more than one field.
"""

from __future__ import annotations

import re
from typing import Annotated, Any

from pydantic import Field, field_validator, model_validator

from .model_check import ContentModel, problem

#: The kinds of proposal a voting scenario may have (as ``widgets._voting_model.PROPOSAL_KINDS``).
PROPOSAL_KINDS = ("huvudforslag", "andringsforslag", "motforslag", "aterremiss", "bordlaggning")
_QUESTION_ID = re.compile(r"^[a-z0-9_-]+$")

__all__ = [
    "Source",
    "QuizBank",
    "PlanPrompts",
    "MeetingContent",
    "RoleExpectationsContent",
    "HandoverContent",
    "SpeakerSettings",
    "ReadabilitySettings",
    "GoalSettings",
    "SuppressionBank",
    "VotingBank",
    "RoleFinderContent",
]

Number = float  # strict float takes an int too, never ``yes``


class Source(ContentModel):
    """Where in the strategy document the content comes from."""

    part: str = ""
    section: str = ""


class FullSource(ContentModel):
    """A builder's source: both its part and its section."""

    part: str
    section: str


# -- the quiz bank (MeetingRoleQuiz) ---------------------------------------------------------------


class QuizOption(ContentModel):
    """One answer option; ``correct`` marks a right one (only in the keyed original)."""

    text: str
    correct: bool = False

    @field_validator("text")
    @classmethod
    def _text(cls, value: str) -> str:
        if not value.strip():
            raise problem("quiz.content.empty", key="text")
        return value.strip()

    @field_validator("correct", mode="before")
    @classmethod
    def _default(cls, value: Any) -> Any:
        return False if value is None else value


class QuizQuestion(ContentModel):
    """One question: ``single`` has exactly one right option, ``multiple`` at least one."""

    id: str
    type: str
    text: str
    options: list[QuizOption]
    explanation: str

    @field_validator("id")
    @classmethod
    def _id(cls, value: str) -> str:
        if not _QUESTION_ID.match(value):
            raise problem("quiz.content.bad_id", id=value)
        return value

    @field_validator("type")
    @classmethod
    def _type(cls, value: str) -> str:
        if value not in ("single", "multiple"):
            raise problem("quiz.content.bad_type", type=value)
        return value

    @field_validator("text", "explanation")
    @classmethod
    def _strip(cls, value: str, info: Any) -> str:
        if info.field_name == "text" and not value.strip():
            raise problem("quiz.content.empty", key="text")
        return value.strip()

    @field_validator("options")
    @classmethod
    def _enough(cls, options: list[QuizOption]) -> list[QuizOption]:
        if len(options) < 2:
            raise problem("quiz.content.few_options")
        return options

    @model_validator(mode="after")
    def _right(self) -> QuizQuestion:
        right = sum(option.correct for option in self.options)
        if self.type == "single" and right != 1:
            raise problem("quiz.content.single_right", "options", count=right)
        if self.type == "multiple" and right < 1:
            raise problem("quiz.content.multiple_right", "options")
        return self


class QuizBank(ContentModel):
    """A quiz's question bank: title, tries, credit for a right answer on a retry, questions."""

    title: str
    source: Source | None = None
    attempts: int | None = None
    retry_credit: Number | None = None
    questions: list[QuizQuestion]

    @field_validator("attempts")
    @classmethod
    def _attempts(cls, value: int | None) -> int | None:
        if value is not None and value < 1:
            raise problem("quiz.content.attempts")
        return value

    @field_validator("retry_credit")
    @classmethod
    def _credit(cls, value: float | None) -> float | None:
        if value is not None and not 0 <= value <= 1:
            raise problem("quiz.content.retry_credit")
        return value

    @field_validator("questions")
    @classmethod
    def _questions(cls, items: list[QuizQuestion]) -> list[QuizQuestion]:
        if not items:
            raise problem("quiz.content.no_questions")
        ids = [q.id for q in items]
        for index, question_id in enumerate(ids):
            if question_id in ids[:index]:
                raise problem("quiz.content.duplicate_id", index, "id", id=question_id)
        return items


# -- the builders: plan, meeting, role expectations, handover -----------------------------------


class Step(ContentModel):
    """The wording of one step of a builder."""

    title: str
    help: str
    quote: str | None = None
    placeholder: str | None = None


class BuilderStep(Step):
    """A step whose quote may come from another section of the document."""

    source: FullSource | None = None


class PlanSteps(ContentModel):
    """The six steps of a strategic plan (``widgets._plan_model.STEPS``)."""

    perception: Step
    resources: Step
    goals: Step
    activities: Step
    anchoring: Step
    revisit: Step


class PlanPrompts(ContentModel):
    """StrategicPlanBuilder: the words of its six steps and the limits on goals."""

    title: str
    source: Source | None = None
    intro: str | None = None
    min_goals: int | None = None
    max_goals: int | None = None
    min_years: int | None = None
    steps: PlanSteps


class Head(ContentModel):
    """What every builder's content file starts with."""

    title: str
    source: FullSource | None = None
    intro: str | None = None


class IdLabel(ContentModel):
    id: str
    label: str


class MeetingRole(IdLabel):
    help: str | None = None


class Practicality(IdLabel):
    help: str | None = None
    notice: str | None = None
    source: FullSource | None = None


class MeetingContent(Head):
    """MeetingPlanner: its steps, the meeting's roles and the practicalities to think of."""

    default_length: int | None = None
    steps: dict[str, BuilderStep]
    roles: list[MeetingRole]
    practicalities: list[Practicality]


class PresetTask(ContentModel):
    text: str
    optional: bool | None = None


class Preset(ContentModel):
    id: str
    name: str
    period: str | None = None
    tasks: list[PresetTask | str]
    support: str | None = None


class RoleExpectationsContent(Head):
    """RoleExpectations: its steps and the assignments to start from."""

    steps: dict[str, BuilderStep]
    presets: list[Preset]


class ChecklistItem(IdLabel):
    help: str | None = None
    placeholder: str | None = None
    warning: str | None = None


class HandoverContent(Head):
    """HandoverPlan: its steps, what to hand over and the mentors' roles."""

    min_meetings: int | None = None
    steps: dict[str, BuilderStep]
    checklist: list[ChecklistItem]
    mentor_roles: list[IdLabel]


# -- live tools: speaker statistics, readability, the goal calculator ----------------------------


class Category(IdLabel):
    band: bool | None = None
    apart: bool | None = None


class Band(ContentModel):
    low: Number | None = None
    high: Number | None = None


class SpeakerSettings(ContentModel):
    """SpeakerStats: who is counted, the fair band and how much makes a finished tally."""

    title: str
    source: Source | None = None
    intro: str | None = None
    categories: list[Category]
    band: Band | None = None
    min_contributions: int | None = None
    max_minutes: int | None = None


class ReadabilitySettings(ContentModel):
    """ReadabilityMeter: the LIX to aim for, the words a text needs and an example (all optional)."""

    title: str | None = None
    source: Source | None = None
    intro: str | None = None
    target_lix: Number | None = None
    min_words: int | None = None
    example: str | None = None


class Group(IdLabel):
    section: str | None = None
    left: Number
    sympathise: Number


class GoalSettings(ContentModel):
    """GoalCalculator: the groups, their shares, the year and an example table (CSV beside it)."""

    title: str
    source: Source | None = None
    intro: str | None = None
    target_year: int | None = None
    groups: list[Group]
    conversations_per_sympathiser: Number | None = None
    assumption: str | None = None
    example_table: str | None = None


# -- practice: suppression techniques, voting order, the role finder ----------------------------


class Choice(ContentModel):
    id: str
    name: str
    description: str | None = None


class Weights(ContentModel):
    technique: Number | None = None
    counter: Number | None = None
    confirming: Number | None = None


class Card(ContentModel):
    id: str
    scenario: str
    technique: str
    counters: list[str] | str
    confirming: list[str] | str
    explanation: str


class SuppressionBank(ContentModel):
    """SuppressionTechniques: the techniques, counters and confirming techniques, and the cards."""

    title: str
    source: Source | None = None
    intro: str | None = None
    techniques: list[Choice]
    counters: list[Choice]
    confirming: list[Choice]
    points: Weights | None = None
    cards: list[Card]


class Proposal(ContentModel):
    id: str
    #: One of the kinds of ``widgets._voting_model.PROPOSAL_KINDS`` (its loader names a wrong one).
    kind: Annotated[str, Field(json_schema_extra={"enum": list(PROPOSAL_KINDS)})]
    text: str


class Scenario(ContentModel):
    id: str
    title: str
    matter: str
    situation: str | None = None
    proposals: list[Proposal]
    votes: dict[str, dict[str, int]]
    explanation: str | None = None


class VotingBank(ContentModel):
    """VotingProcedure: scenarios of a meeting's proposals and how the votes went."""

    title: str
    source: Source | None = None
    intro: str | None = None
    scenarios: list[Scenario]


class TimeChoice(IdLabel):
    hours: Number


class FinderRole(ContentModel):
    id: str
    name: str
    description: str
    interests: list[str] | None = None
    skills: list[str] | None = None
    min_time: str


class RoleFinderContent(ContentModel):
    """RoleFinder: interests, skills and time a member has, and the roles they fit."""

    title: str
    source: Source | None = None
    intro: str | None = None
    interests: list[IdLabel]
    skills: list[IdLabel]
    times: list[TimeChoice]
    roles: list[FinderRole]
    suggestions: int | None = None
