"""Minutes of a circle meeting: the parts ``module.yml`` states, the circle guide's table, the exercise time.

A module states whole minutes per part of its meeting in ``module.yml``
(``minutes``: reading, discussion, exercise, reflection; the loader checks that
they add up to the study hours). The circle guide (``cirkelledare.md``) shows the
same meeting as a table, one row per moment, each row naming its part in the
``Del`` column; the two must agree. And the exercise part must give every
exercise the time it needs: a rule, stated here once, that ``cirkel courses
check`` and the tests apply.

Only YAML and Markdown are read: no nbgrader, no ipywidgets.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from grading.course.loading import MINUTE_PARTS, Module
from widgets.models.content import ContentError, load_yaml
from widgets.models.kinds import KINDS

__all__ = [
    "GUIDE_PARTS",
    "ITEM_MINUTES",
    "OTHER_EXERCISE_MINUTES",
    "UNTIMED_EXERCISES",
    "GuideTiming",
    "ExerciseTime",
    "guide_timing",
    "guide_minutes",
    "exercise_time",
]

#: The words of the circle guide's ``Del`` column, and the part of ``module.yml``'s ``minutes`` each means.
GUIDE_PARTS = {"läsning": "reading", "samtal": "discussion", "övning": "exercise", "reflektion": "reflection"}

#: Exercises made of items, the list in their content file that holds the items, and the minutes each
#: item needs at a meeting: a quiz question is read aloud, thought over, talked over two by two,
#: answered and explained; a härskarteknik situation asks three choices; a voting case asks an order
#: of questions and a result.
ITEM_MINUTES: dict[str, tuple[str, float]] = {
    kind.widget: kind.item_minutes for kind in KINDS.values() if kind.item_minutes
}  # declared by each kind in ``widgets.models.kinds``
#: Minutes every other exercise needs at least (a plan, a calculator, the role finder ...).
OTHER_EXERCISE_MINUTES = 10
#: Exercises that take no time of the exercise part: the reflection has a part of its own, and
#: talarstatistik is kept while the circle talks.
UNTIMED_EXERCISES = tuple(kind.widget for kind in KINDS.values() if not kind.timed)

_ROW = re.compile(r"^\s*\|")


@dataclass(frozen=True)
class GuideTiming:
    """The circle guide's timing table.

    Attributes
    ----------
    rows:
        Each counted row: the moment, the word in its ``Del`` column (lower case, ``""`` when the
        table has no such column) and its whole minutes. A pause, whose minutes stand in
        brackets, is not counted; nor is the ``Summa`` row.
    totals:
        The value(s) of the ``Summa`` row.
    """

    rows: tuple[tuple[str, str, int], ...]
    totals: tuple[int, ...]

    @property
    def minutes(self) -> list[int]:
        return [row[2] for row in self.rows]

    @property
    def unknown(self) -> list[tuple[str, str]]:
        """Counted rows whose ``Del`` is not one of :data:`GUIDE_PARTS`: (moment, word)."""
        return [(moment, part) for moment, part, _ in self.rows if part not in GUIDE_PARTS]

    @property
    def parts(self) -> dict[str, int]:
        """Minutes per part of ``module.yml``'s ``minutes`` (every part, 0 when no row names it)."""
        out = dict.fromkeys(MINUTE_PARTS, 0)
        for _, part, minutes in self.rows:
            if part in GUIDE_PARTS:
                out[GUIDE_PARTS[part]] += minutes
        return out


def guide_timing(guide: str) -> GuideTiming:
    """Read the timing table of a circle guide (``cirkelledare.md``).

    One row per moment: ``| Moment | Del | Minuter |``, the minutes in the last column and
    the part (``läsning``, ``samtal``, ``övning`` or ``reflektion``) in the one before it. A
    pause in brackets (``(15)``) and the ``Summa`` row do not count.
    """
    table = [
        [cell.strip() for cell in line.strip().strip("|").split("|")] for line in guide.splitlines() if _ROW.match(line)
    ]
    rows = tuple(
        (row[0], row[-2].strip("* ").lower() if len(row) >= 3 else "", int(row[-1]))
        for row in table
        if row[-1].isdigit() and "summa" not in row[0].lower()
    )
    totals = tuple(int(re.sub(r"\D", "", row[-1]) or 0) for row in table if "summa" in row[0].lower())
    return GuideTiming(rows, totals)


def guide_minutes(guide: str) -> tuple[list[int], list[int]]:
    """The circle guide's timing table: each part's whole minutes, and the ``Summa`` row's value(s)."""
    timing = guide_timing(guide)
    return timing.minutes, list(timing.totals)


@dataclass(frozen=True)
class ExerciseTime:
    """What a module's exercises need of the exercise part, and why.

    Attributes
    ----------
    needed:
        Minutes, summed over the exercises.
    details:
        One entry per exercise: its id, its item count (``None`` for an exercise without
        items), the minutes per item or for the exercise, and the minutes it needs.
    unreadable:
        Ids of exercises whose content could not be read (the loader or the widget names why).
    """

    needed: float
    details: tuple[tuple[str, int | None, float, float], ...]
    unreadable: tuple[str, ...] = ()


def exercise_time(module: Module) -> ExerciseTime:
    """The minutes ``module``'s exercises need: :data:`ITEM_MINUTES` per item, else :data:`OTHER_EXERCISE_MINUTES`."""
    details: list[tuple[str, int | None, float, float]] = []
    unreadable = []
    for ex in module.exercises:
        if ex.widget in UNTIMED_EXERCISES:
            continue
        if ex.widget in ITEM_MINUTES and ex.content:
            key, per_item = ITEM_MINUTES[ex.widget]
            count = _item_count(Path(module.path) / ex.content, key)
            if count is None:
                unreadable.append(ex.id)
                continue
            details.append((ex.id, count, per_item, count * per_item))
        else:
            details.append((ex.id, None, float(OTHER_EXERCISE_MINUTES), float(OTHER_EXERCISE_MINUTES)))
    return ExerciseTime(sum(d[3] for d in details), tuple(details), tuple(unreadable))


def _item_count(path: Path, key: str) -> int | None:
    try:
        data = load_yaml(path)
    except ContentError:
        return None
    items = data.get(key) if isinstance(data, dict) else None
    return len(items) if isinstance(items, list) else None
