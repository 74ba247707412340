"""The models of ``course.yml`` and ``module.yml``: what a course author may write, checked in one place.

``grading.course.loading`` reads a course through these models, and ``cirkel courses
schema`` writes their JSON Schema to ``docs/schema/`` for authors and their
editors. Every rule a model enforces answers with a key of the string table,
so the author reads Swedish (see ``widgets.models.check``). The models of each
exercise kind's own content file are in ``widgets.models.exercise_content``.
"""

from __future__ import annotations

import re
from typing import Annotated, Any

from pydantic import Field, ValidationInfo, WithJsonSchema, field_validator, model_validator

from widgets.core.i18n import t
from widgets.models.check import ContentModel, OpenModel, problem
from widgets.models.kinds import CHECK_MODULES, KINDS
from widgets.models.text_versions import SETTING_IDS

__all__ = ["CourseFile", "ModuleFile", "ExerciseEntry", "Samtalsfraga", "Variant", "MINUTE_PARTS", "NAME"]

#: A module's folder name and an exercise's id: a folder, an nbgrader assignment and an answer file.
NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
#: The parts of a circle meeting ``minutes`` names (reading, discussion, exercises, reflection).
MINUTE_PARTS = ("reading", "discussion", "exercise", "reflection")
#: A study hour (studietimme), in minutes.
STUDY_HOUR_MINUTES = 45

Text = Annotated[str, Field(min_length=1, pattern=r"\S")]


class Variant(ContentModel):
    """One version of the modules' texts a course offers (``variants`` in ``course.yml``)."""

    id: str
    label: str
    language: str | None = None


class CourseFile(OpenModel):
    """``course.yml``: the course's id (its folder's name), title and modules in teaching order."""

    id: str
    title: str
    description: str | None = None
    language: str | None = None
    variants: list[Variant] | None = None
    modules: Annotated[list[str], Field(json_schema_extra={"items": {"type": "string", "pattern": NAME.pattern}})]

    @field_validator("id")
    @classmethod
    def _id_is_folder(cls, value: str, info: ValidationInfo) -> str:
        folder = (info.context or {}).get("folder")
        if folder is not None and value != folder:
            raise problem("course.id_mismatch", id=value, folder=folder)
        return value

    @field_validator("modules")
    @classmethod
    def _modules(cls, names: list[str]) -> list[str]:
        if not names:
            raise problem("course.no_modules")
        for i, name in enumerate(names):
            if not NAME.match(name):
                raise problem("course.bad_module_name", i, module=name)
            if name in names[:i]:
                raise problem("course.duplicate", i, id=name)
        return names


class Samtalsfraga(ContentModel):
    """A samtalsfråga: its text, and the commitments it works with (a plain text has none)."""

    text: Text
    commitments: list[Text] = []

    @model_validator(mode="before")
    @classmethod
    def _plain_text(cls, value: Any) -> Any:
        if isinstance(value, str):
            return {"text": value}
        if not isinstance(value, dict):
            raise problem("course.empty_text")
        return value


#: A samtalsfråga in the JSON Schema: a text, or a text with the commitments it works with.
_SAMTALSFRAGA_SCHEMA = {
    "anyOf": [
        {"type": "string", "minLength": 1},
        {
            "type": "object",
            "properties": {
                "text": {"type": "string", "minLength": 1},
                "commitments": {"type": "array", "items": {"type": "string", "minLength": 1}},
            },
            "required": ["text"],
            "additionalProperties": False,
        },
    ]
}


class ExerciseEntry(OpenModel):
    """One exercise of ``module.yml``: its id, widget (an exercise kind), points, content and check."""

    id: Annotated[str, Field(json_schema_extra={"pattern": NAME.pattern})]
    widget: Annotated[str, Field(json_schema_extra={"enum": list(KINDS)})]
    points: Annotated[float, Field(gt=0)]
    content: str | None = None
    check: Annotated[str | None, Field(json_schema_extra={"enum": [*CHECK_MODULES, None]})] = None
    prompt: str | None = None
    commitments: list[Text] = []
    grupp: bool = False

    @field_validator("points", mode="before")
    @classmethod
    def _number(cls, value: Any) -> Any:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise problem("content.wrong_type", key="points", expected=t("content.kind.number"))
        if value <= 0:
            raise problem("course.bad_points")
        return float(value)

    @field_validator("id")
    @classmethod
    def _id(cls, value: str) -> str:
        if not NAME.match(value):
            raise problem("store.bad_id", exercise_id=value)
        if value in SETTING_IDS:
            raise problem("course.reserved_id", id=value)
        return value

    @field_validator("widget")
    @classmethod
    def _widget(cls, value: str) -> str:
        if value not in KINDS:
            raise problem("course.unknown_widget", widget=value, known=", ".join(KINDS))
        return value

    @field_validator("content")
    @classmethod
    def _content(cls, value: str | None) -> str | None:
        if value is not None and ("/" in value or "\\" in value or value.startswith(".")):
            raise problem("course.bad_content_name", name=value)
        return value

    @field_validator("check")
    @classmethod
    def _check(cls, value: str | None) -> str | None:
        if value is not None and value not in CHECK_MODULES:
            raise problem("course.bad_check", check=value, known=", ".join(CHECK_MODULES))
        return value

    @field_validator("grupp", mode="before")
    @classmethod
    def _group(cls, value: Any) -> Any:
        if not isinstance(value, bool):  # ``grupp:`` left empty too, as before
            raise problem("course.bad_group", value=value)
        return value

    @model_validator(mode="after")
    def _kind_rules(self) -> ExerciseEntry:
        if self.widget == "Reflection":
            if not self.prompt:
                raise problem("content.missing_key", "prompt", key="prompt")
            if self.check:
                raise problem("course.reflection_check", "check")
        elif self.content is None:
            raise problem("content.missing_key", "content", key="content")
        if self.grupp and not self.check:
            raise problem("course.group_needs_check", "grupp")
        return self


class Minutes(ContentModel):
    """Whole minutes per part of a meeting; together they fill the module's study hours."""

    reading: int
    discussion: int
    exercise: int
    reflection: int

    @model_validator(mode="before")
    @classmethod
    def _parts(cls, value: Any) -> Any:
        if not isinstance(value, dict):
            return value
        parts = ", ".join(MINUTE_PARTS)
        for key in value:
            if key not in MINUTE_PARTS:
                raise problem("course.minutes_unknown_part", str(key), part=key, parts=parts)
        for part in MINUTE_PARTS:
            if value.get(part) is None:
                raise problem("course.minutes_missing_part", part, part=part, parts=parts)
            number = value[part]
            if isinstance(number, bool) or not isinstance(number, int) or number < 0:
                raise problem("course.minutes_not_whole", part, part=part)
        return value


class ModuleFile(OpenModel):
    """``module.yml``: one circle meeting's title, hours, minutes, goals, samtalsfrågor and exercises."""

    title: str
    study_hours: int
    minutes: Minutes
    goals: list[Text]
    samtalsfragor: list[Annotated[Samtalsfraga, WithJsonSchema(_SAMTALSFRAGA_SCHEMA)]]
    commitments: list[str | int] | None = None
    source: list[Any] | None = None
    exercises: list[ExerciseEntry]

    @field_validator("study_hours")
    @classmethod
    def _hours(cls, hours: int) -> int:
        if not 1 <= hours <= 4:
            raise problem("course.bad_hours", hours=hours)
        return hours

    @field_validator("samtalsfragor")
    @classmethod
    def _enough_questions(cls, items: list[Samtalsfraga]) -> list[Samtalsfraga]:
        if len(items) < 3:
            raise problem("course.too_few_questions", count=len(items))
        return items

    @field_validator("exercises")
    @classmethod
    def _exercises(cls, items: list[ExerciseEntry]) -> list[ExerciseEntry]:
        if not any(ex.check for ex in items):
            raise problem("course.no_graded_exercise")
        ids = [ex.id for ex in items]
        for i, ex_id in enumerate(ids):
            if ex_id in ids[:i]:
                raise problem("course.duplicate", i, "id", id=ex_id)
        return items

    @model_validator(mode="after")
    def _minutes_fill_the_hours(self) -> ModuleFile:
        minutes = [getattr(self.minutes, part) for part in MINUTE_PARTS]
        expected = self.study_hours * STUDY_HOUR_MINUTES
        if sum(minutes) != expected:
            summed = " + ".join(str(m) for m in minutes)
            raise problem(
                "course.minutes_sum",
                "minutes",
                sum=summed,
                total=sum(minutes),
                count=self.study_hours,
                expected=expected,
            )
        return self
