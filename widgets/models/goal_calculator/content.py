"""The goals' content (``mal-2030.yml``): the groups and their targets, the assumption, the example table."""

from __future__ import annotations

import csv
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from widgets.core.i18n import t
from widgets.models import exercise_content as shapes
from widgets.models.check import validate
from widgets.models.content import ContentError, given, load_yaml, place

_ID = re.compile(r"^[a-z][a-z0-9_]*$")
MAX_PEOPLE = 10_000_000
MAX_MEMBERS = 100_000
PLACE_COLUMN = "plats"
MEMBERS_COLUMN = "aktiva_medlemmar"
TODAY_SUFFIX = "_idag"


@dataclass(frozen=True)
class Group:
    """A group the document sets a target for, with its two target shares (percent)."""

    id: str
    label: str
    left: float
    sympathise: float
    section: str = ""


@dataclass(frozen=True)
class ExampleTable:
    """The checked example table: its columns in file order and one dict per row.

    ``plats`` is a string, people and members are ``int``, ``<group>_idag`` are
    percent (``float``).
    """

    columns: tuple[str, ...]
    rows: tuple[dict[str, Any], ...]

    @property
    def places(self) -> list[str]:
        return [str(row[PLACE_COLUMN]) for row in self.rows]

    def row(self, place_name: str) -> dict[str, Any] | None:
        """The row of ``place_name``, or None."""
        return next((row for row in self.rows if row[PLACE_COLUMN] == place_name), None)


@dataclass
class Numbers:
    """The municipality's numbers: people per group, percent who sympathise today, active members."""

    populations: dict[str, int]
    today: dict[str, float]
    members: int = 0


@dataclass(frozen=True)
class GoalSettings:
    """The content of a goal calculator: the targets, the assumption and the example table."""

    title: str
    groups: tuple[Group, ...]
    target_year: int = 2030
    conversations_per_sympathiser: float = 10.0
    assumption: str = ""
    intro: str = ""
    source: dict[str, str] = field(default_factory=dict)
    examples: ExampleTable | None = field(default=None, compare=False)

    @property
    def source_text(self) -> str:
        return ", ".join(self.source[k] for k in ("part", "section") if k in self.source)

    @property
    def example_places(self) -> list[str]:
        return [] if self.examples is None else self.examples.places

    def example(self, place_name: str) -> Numbers:
        """The example row for ``place_name`` as numbers to start from."""
        row = None if self.examples is None else self.examples.row(place_name)
        if row is None:
            raise ValueError(t("goal_calculator.unknown_example", place=place_name))
        return Numbers(
            populations={g.id: int(row[g.id]) for g in self.groups},
            today={g.id: float(row.get(f"{g.id}{TODAY_SUFFIX}", 0.0)) for g in self.groups},
            members=int(row[MEMBERS_COLUMN]),
        )


def load_settings(path: str | Path) -> GoalSettings:
    """Read and validate the content file and its example table (a CSV beside it)."""
    path = Path(path)
    return parse_settings(load_yaml(path), path.name, base=path.parent)


def parse_settings(raw: Any, path: str | Path = "<mal-2030>", base: str | Path | None = None) -> GoalSettings:
    """Validate already parsed content; ``example_table`` is read relative to ``base``."""
    # the file's shape by its model (widgets.models.exercise_content); the rules across fields below
    validate(shapes.GoalSettings, raw, path, lines=False)
    title = raw["title"].strip()
    source = given(raw, "source", {})
    source = {k: source[k] for k in ("part", "section") if k in source}
    target_year = given(raw, "target_year", 2030)
    if not 2000 <= target_year <= 2100:
        raise ContentError(path, "target_year", t("goal_calculator.content.year_range"))
    raw_groups = raw["groups"]
    if not 1 <= len(raw_groups) <= 6:
        raise ContentError(path, "groups", t("goal_calculator.content.group_count"))
    groups: list[Group] = []
    for index, item in enumerate(raw_groups):
        if not isinstance(item, dict):
            raise ContentError(path, place("groups", index), t("content.not_mapping"))
        group_id = item["id"]
        if not _ID.match(group_id) or group_id in (PLACE_COLUMN, MEMBERS_COLUMN):
            raise ContentError(path, place("groups", index, "id"), t("goal_calculator.content.bad_id", id=group_id))
        if group_id in {g.id for g in groups}:
            raise ContentError(
                path, place("groups", index, "id"), t("goal_calculator.content.duplicate_id", id=group_id)
            )
        shares = {}
        for key in ("left", "sympathise"):
            value = float(item[key])
            if not 0 < value <= 100:
                raise ContentError(path, place("groups", index, key), t("goal_calculator.content.share_range"))
            shares[key] = value
        if shares["sympathise"] > shares["left"]:
            raise ContentError(
                path, place("groups", index, "sympathise"), t("goal_calculator.content.sympathise_above_left")
            )
        groups.append(
            Group(
                id=group_id,
                label=item["label"].strip(),
                section=given(item, "section", "").strip(),
                **shares,
            )
        )
    per = float(given(raw, "conversations_per_sympathiser", 10))
    if not 1 <= per <= 1000:
        raise ContentError(path, "conversations_per_sympathiser", t("goal_calculator.content.per_range"))
    examples = None
    table = given(raw, "example_table", "").strip()
    if table:
        examples = load_examples(Path(base or ".") / table, tuple(groups))
    return GoalSettings(
        title=title,
        groups=tuple(groups),
        target_year=target_year,
        conversations_per_sympathiser=per,
        assumption=given(raw, "assumption", "").strip(),
        intro=given(raw, "intro", "").strip(),
        source=source,
        examples=examples,
    )


def load_examples(path: str | Path, groups: tuple[Group, ...]) -> ExampleTable:
    """The example table: a CSV with ``plats``, ``aktiva_medlemmar``, one column per group
    (people) and optionally ``<group>_idag`` (percent who sympathise today).

    Every cell is checked; a ``ContentError`` names the file, the row and the column.
    Read with the standard ``csv`` module as pandas' ``read_csv`` read it before (blank
    lines skipped, short rows filled with empty cells, a repeated heading named
    ``<heading>.1``).
    """
    path = Path(path)
    try:
        with open(path, encoding="utf-8-sig", newline="") as fh:
            lines = [line for line in csv.reader(fh) if any(cell.strip() for cell in line)]
    except FileNotFoundError:
        raise ContentError(path, "", t("content.missing_file")) from None
    except UnicodeDecodeError:
        raise ContentError(path, "", t("content.not_utf8")) from None
    except csv.Error as exc:
        raise ContentError(path, "", t("goal_calculator.content.csv_syntax", detail=str(exc).strip())) from None
    if not lines:
        raise ContentError(path, "", t("goal_calculator.content.no_rows"))
    columns: list[str] = []
    for heading in (cell.strip() for cell in lines[0]):
        name, repeat = heading, 0
        while name in columns:
            repeat += 1
            name = f"{heading}.{repeat}"
        columns.append(name)
    body = lines[1:]
    for number, line in enumerate(body, start=2):  # row 1 is the header
        if len(line) > len(columns):
            detail = t("goal_calculator.content.csv_fields", row=number, found=len(line), expected=len(columns))
            raise ContentError(path, "", t("goal_calculator.content.csv_syntax", detail=detail))
    cells = [dict(zip(columns, line + [""] * (len(columns) - len(line)))) for line in body]
    needed = [PLACE_COLUMN, MEMBERS_COLUMN, *(g.id for g in groups)]
    allowed = needed + [f"{g.id}{TODAY_SUFFIX}" for g in groups]
    for column in needed:
        if column not in columns:
            raise ContentError(path, "", t("goal_calculator.content.missing_column", column=column))
    for column in columns:
        if column not in allowed:
            raise ContentError(path, column, t("content.unknown_key", key=column, allowed=", ".join(allowed)))
    if not cells:
        raise ContentError(path, "", t("goal_calculator.content.no_rows"))
    rows: list[dict[str, Any]] = [{PLACE_COLUMN: line[PLACE_COLUMN].strip()} for line in cells]
    for number, row in enumerate(rows, start=2):
        if not row[PLACE_COLUMN]:
            raise ContentError(
                path,
                t("goal_calculator.content.cell", row=number, column=PLACE_COLUMN),
                t("content.missing_key", key=PLACE_COLUMN),
            )
    places = [row[PLACE_COLUMN] for row in rows]
    if len(set(places)) != len(places):
        raise ContentError(path, PLACE_COLUMN, t("goal_calculator.content.duplicate_place"))
    present = [column for column in allowed[1:] if column in columns]
    for column in present:
        percent = column.endswith(TODAY_SUFFIX)
        for number, (record, row) in enumerate(zip(cells, rows), start=2):
            cell = record[column]
            where = t("goal_calculator.content.cell", row=number, column=column)
            try:
                value = float(cell.strip().replace(" ", "").replace(",", "."))
            except ValueError:
                raise ContentError(path, where, t("goal_calculator.content.not_number", value=cell)) from None
            limit = 100 if percent else (MAX_MEMBERS if column == MEMBERS_COLUMN else MAX_PEOPLE)
            if not math.isfinite(value) or value < 0 or value > limit or (not percent and value != int(value)):
                raise ContentError(path, where, t("goal_calculator.content.bad_value", value=cell, max=limit))
            row[column] = value if percent else int(value)
    return ExampleTable(columns=tuple(columns), rows=tuple(rows))
