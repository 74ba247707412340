"""The models of the exercise kinds' content files: plan prompts, scenarios, banks and settings.

``widgets.models.kinds`` names one per kind (``content_schema``); ``cirkel courses
schema`` writes their JSON Schema to ``docs/schema/``. Each kind's loader reads
its file through its model, so a wrong key or type gets the file, the line and
the field in Swedish (``widgets.models.check``); the loaders add the rules that
need more than one field. The quiz bank's model, which holds every rule of the
bank, is in ``widgets.models.quiz_bank`` beside its loader.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from widgets.models.check import ContentModel, Source  # Source lives there: the quiz bank needs it alone

#: The kinds of proposal a voting scenario may have (as ``widgets.models.voting.PROPOSAL_KINDS``).
PROPOSAL_KINDS = ("huvudforslag", "andringsforslag", "motforslag", "aterremiss", "bordlaggning")

__all__ = [
    "Source",
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


class FullSource(ContentModel):
    """A builder's source: both its part and its section."""

    part: str
    section: str


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
    """The six steps of a strategic plan (``widgets.models.plan.STEPS``)."""

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
    #: One of the kinds of ``widgets.models.voting.PROPOSAL_KINDS`` (its loader names a wrong one).
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
