"""A study circle's shared strategic plan in the course run's live database.

Several devices edit one plan at once, each through its own Voilà kernel, so
the plan is kept as FIELDS (``perception``, ``resources.members``,
``goal:<id>.text`` ...), each with its own value, version, author and time.
Edits to different fields never conflict. Two edits to the same field: the
later write wins and the earlier value is kept in the plan's history, so
nothing anyone wrote is lost. Goals, activities and discussions are rows with
ids made by the device that adds them (two devices adding at once never
collide), an order, and a removed flag (a removed item's text stays in the
database and its removal is in the history).

A plan-wide change counter (``sharedplan_plans.version``) lets a screen poll
cheaply: it reads one number and re-reads the plan only when it moved. Every
write is one transaction that first bumps that counter, which also serialises
writers of one plan (SQLite and PostgreSQL alike). Plain SQLAlchemy Core.

The plan is the circle's shared work: when a person is erased
(``cirkel person erase``), what they wrote stays and their name is blanked
(``info={PERSON: BLANK}`` on every column that names someone).
"""

from __future__ import annotations

import json
import math
import os
import re
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import (
    Boolean,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    and_,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import IntegrityError

from ._plan_model import Plan
from .errors import CirkelError
from .i18n import t
from .live_db import BLANK, METADATA, PERSON, live_engine

__all__ = [
    "ITEM_KINDS",
    "MAX_ITEMS",
    "MAX_TEXT",
    "COALESCE_SECONDS",
    "SharedPlanError",
    "FieldValue",
    "HistoryEntry",
    "PlanSnapshot",
    "WriteResult",
    "SharedPlanStore",
    "field_spec",
    "item_field",
]

#: the item lists of a plan, and the fields each item has
ITEM_KINDS: dict[str, tuple[str, ...]] = {
    "goal": ("text", "years"),
    "activity": ("text", "goal", "hours", "cost"),
    "discussion": ("what", "when"),
}
MAX_ITEMS = 12  # as StrategicPlanBuilder: more rows than any branch plan needs
MAX_TEXT = 5000
#: the same person saving the same field again within this many seconds is still
#: typing one text (saved at each pause): the in-between values are kept, marked as drafts
COALESCE_SECONDS = 60.0

_ITEM_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}$")
_FIELD = re.compile(r"^(?P<kind>goal|activity|discussion):(?P<item>[a-z0-9][a-z0-9-]{0,39})\.(?P<part>[a-z]+)$")

# kind of value of each field: ("text",), ("int", max), ("float", max), ("ref",)
_PLAIN_FIELDS: dict[str, tuple[Any, ...]] = {
    "perception": ("text",),
    "revisit": ("text",),
    "resources.members": ("int", 100_000),
    "resources.hours": ("float", 100_000),
    "resources.money": ("int", 10**9),
}
_ITEM_FIELDS: dict[tuple[str, str], tuple[Any, ...]] = {
    ("goal", "text"): ("text",),
    ("goal", "years"): ("int", 50),
    ("activity", "text"): ("text",),
    ("activity", "goal"): ("ref",),
    ("activity", "hours"): ("float", 10_000),
    ("activity", "cost"): ("int", 10**8),
    ("discussion", "what"): ("text",),
    ("discussion", "when"): ("text",),
}
#: what a field holds before anyone has written it
DEFAULTS: dict[str, Any] = {"text": "", "int": 0, "float": 0.0, "ref": ""}
_ITEM_DEFAULTS: dict[tuple[str, str], Any] = {("goal", "years"): 3}

plans = Table(
    "sharedplan_plans",
    METADATA,
    Column("circle_id", String(40), primary_key=True),
    Column("version", Integer, nullable=False, default=0),
    Column("updated_at", Float, nullable=False),
)
fields = Table(
    "sharedplan_fields",
    METADATA,
    Column("circle_id", String(40), ForeignKey("sharedplan_plans.circle_id"), primary_key=True),
    Column("field", String(120), primary_key=True),
    Column("value", Text, nullable=False),  # JSON
    Column("version", Integer, nullable=False),  # the plan's version when written
    Column("author", String(80), nullable=False, info={PERSON: BLANK}),
    Column("written_at", Float, nullable=False),
)
items = Table(
    "sharedplan_items",
    METADATA,
    Column("circle_id", String(40), ForeignKey("sharedplan_plans.circle_id"), primary_key=True),
    Column("kind", String(20), primary_key=True),
    Column("item_id", String(40), primary_key=True),
    Column("position", Integer, nullable=False),
    Column("removed", Boolean, nullable=False, default=False),
    Column("author", String(80), nullable=False, info={PERSON: BLANK}),
    Column("version", Integer, nullable=False),
)
history = Table(
    "sharedplan_history",
    METADATA,
    Column("entry_id", Integer, primary_key=True, autoincrement=True),
    Column("circle_id", String(40), ForeignKey("sharedplan_plans.circle_id"), nullable=False),
    Column("field", String(120), nullable=False),  # a field, or "<kind>:<id>" for a removed item
    Column("event", String(20), nullable=False),  # "overwritten" or "removed"
    Column("value", Text, nullable=False),  # JSON: the value that was replaced (or the removed item's fields)
    Column("author", String(80), nullable=False, info={PERSON: BLANK}),  # who wrote that value
    Column("written_at", Float, nullable=False),
    Column("replaced_by", String(80), nullable=False, info={PERSON: BLANK}),
    Column("replaced_at", Float, nullable=False),
    Column("conflict", Boolean, nullable=False, default=False),  # replaced by someone who had not seen it
    Column("draft", Boolean, nullable=False, default=False),  # the author's own in-between text, replaced by them
)
Index("sharedplan_history_circle", history.c.circle_id, history.c.entry_id)


class SharedPlanError(CirkelError, ValueError):
    """An edit the shared plan cannot take; the message is plain Swedish."""


@dataclass(frozen=True)
class FieldValue:
    """One field as stored: its value, the plan version it was written at, by whom, when."""

    value: Any
    version: int
    author: str
    written_at: float


@dataclass(frozen=True)
class HistoryEntry:
    """An earlier value that was replaced (or an item that was removed): nothing is lost."""

    field: str
    event: str
    value: Any
    author: str
    written_at: float
    replaced_by: str
    replaced_at: float
    conflict: bool
    draft: bool = False


@dataclass(frozen=True)
class WriteResult:
    """What a field write did.

    ``conflict`` is the other person's value this write replaced when the
    writer had not seen it (they changed the field at the same time); it is
    kept in the history. ``None`` when there was no such clash.
    """

    version: int
    conflict: FieldValue | None = None


@dataclass(frozen=True)
class PlanSnapshot:
    """The whole shared plan at one version: fields by name and the live item ids in order."""

    version: int
    fields: dict[str, FieldValue] = field(default_factory=dict)
    items: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def value(self, name: str) -> Any:
        """A field's value, or its default when nobody has written it."""
        found = self.fields.get(name)
        return found.value if found is not None else field_default(name)

    def field_version(self, name: str) -> int:
        found = self.fields.get(name)
        return found.version if found is not None else 0

    def ids(self, kind: str) -> tuple[str, ...]:
        return self.items.get(kind, ())

    def plan(self) -> Plan:
        """The shared plan as the ordinary ``Plan`` (for the realism check and the exports)."""
        return Plan.from_json(
            {
                "perception": self.value("perception"),
                "revisit": self.value("revisit"),
                "resources": {
                    "members": self.value("resources.members"),
                    "hours": self.value("resources.hours"),
                    "money": self.value("resources.money"),
                },
                "goals": [
                    {
                        "id": i,
                        "text": self.value(item_field("goal", i, "text")),
                        "years": self.value(item_field("goal", i, "years")),
                    }
                    for i in self.ids("goal")
                ],
                "activities": [
                    {part: self.value(item_field("activity", i, part)) for part in ITEM_KINDS["activity"]}
                    for i in self.ids("activity")
                ],
                "anchoring": [
                    {part: self.value(item_field("discussion", i, part)) for part in ITEM_KINDS["discussion"]}
                    for i in self.ids("discussion")
                ],
            }
        )


def item_field(kind: str, item_id: str, part: str) -> str:
    """The field name of one part of an item: ``goal:<id>.text``."""
    return f"{kind}:{item_id}.{part}"


def field_spec(name: str) -> tuple[tuple[Any, ...], tuple[str, str] | None]:
    """The value kind of field ``name`` and, for an item's field, ``(kind, item_id)``.

    Raises ``SharedPlanError`` for a name the plan does not have.
    """
    if name in _PLAIN_FIELDS:
        return _PLAIN_FIELDS[name], None
    match = _FIELD.match(name)
    spec = _ITEM_FIELDS.get((match["kind"], match["part"])) if match else None
    if match is None or spec is None:
        raise SharedPlanError(t("sharedplan.error.unknown_field", field=name))
    return spec, (match["kind"], match["item"])


def field_default(name: str) -> Any:
    spec, owner = field_spec(name)
    if owner is not None:
        part = name.rsplit(".", 1)[1]
        if (owner[0], part) in _ITEM_DEFAULTS:
            return _ITEM_DEFAULTS[(owner[0], part)]
    return DEFAULTS[spec[0]]


def _clean(name: str, spec: tuple[Any, ...], value: Any) -> Any:
    """The value to store, or ``SharedPlanError`` naming what is wrong."""
    kind = spec[0]
    if kind in ("text", "ref"):
        if not isinstance(value, str):
            raise SharedPlanError(t("sharedplan.error.not_text", field=name))
        return value[:MAX_TEXT]
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise SharedPlanError(t("sharedplan.error.not_number", field=name))
    if not 0 <= value <= spec[1]:
        raise SharedPlanError(t("sharedplan.error.out_of_range", field=name, max=spec[1]))
    if kind == "int":
        if value != int(value):
            raise SharedPlanError(t("sharedplan.error.not_whole", field=name))
        return int(value)
    return float(value)


def _new_item_id(kind: str) -> str:
    """An id made on this device: random, so two devices adding at once never collide."""
    return f"{kind[0]}{secrets.token_hex(4)}"


class SharedPlanStore:
    """The shared plan of one study circle.

    Parameters
    ----------
    run_dir
        The course run whose live database holds the plan.
    circle_id
        The study circle whose plan it is.
    clock
        Seconds since the epoch (tests may pass their own).
    """

    def __init__(self, run_dir: str | os.PathLike[str], circle_id: str, *, clock: Callable[[], float] = time.time):
        if not isinstance(circle_id, str) or not circle_id or len(circle_id) > 40:
            raise SharedPlanError(t("sharedplan.error.bad_circle", circle=circle_id))
        self.circle_id = circle_id
        self.engine: Engine = live_engine(run_dir)
        self._clock = clock
        self._ensure_plan()

    # -- reading -------------------------------------------------------------------
    def version(self) -> int:
        """The plan's change counter: moves on every write (cheap to poll)."""
        with self.engine.connect() as db:
            found = db.execute(select(plans.c.version).where(plans.c.circle_id == self.circle_id)).scalar()
        return int(found or 0)

    def snapshot(self) -> PlanSnapshot:
        """The whole plan at one version (read again if a write landed while reading)."""
        for _attempt in range(5):
            found = self._read()
            if found is not None:
                return found
        return self._read(settle=False)  # type: ignore[return-value]  # busy plan: the next poll catches up

    def _read(self, settle: bool = True) -> PlanSnapshot | None:
        with self.engine.connect() as db:
            version = db.execute(select(plans.c.version).where(plans.c.circle_id == self.circle_id)).scalar() or 0
            rows = db.execute(
                select(fields.c.field, fields.c.value, fields.c.version, fields.c.author, fields.c.written_at).where(
                    fields.c.circle_id == self.circle_id
                )
            ).all()
            item_rows = db.execute(
                select(items.c.kind, items.c.item_id)
                .where(and_(items.c.circle_id == self.circle_id, items.c.removed.is_(False)))
                .order_by(items.c.kind, items.c.position, items.c.item_id)
            ).all()
            after = db.execute(select(plans.c.version).where(plans.c.circle_id == self.circle_id)).scalar() or 0
        if settle and after != version:
            return None
        found = {r.field: FieldValue(json.loads(r.value), int(r.version), r.author, float(r.written_at)) for r in rows}
        ordered: dict[str, list[str]] = {kind: [] for kind in ITEM_KINDS}
        for row in item_rows:
            ordered.setdefault(row.kind, []).append(row.item_id)
        return PlanSnapshot(int(version), found, {k: tuple(v) for k, v in ordered.items()})

    def history(self, limit: int = 50, *, include_drafts: bool = False) -> list[HistoryEntry]:
        """The earlier values, newest first; a person's own in-between drafts only when asked."""
        where = history.c.circle_id == self.circle_id
        if not include_drafts:
            where = and_(where, history.c.draft.is_(False))
        with self.engine.connect() as db:
            rows = db.execute(select(history).where(where).order_by(history.c.entry_id.desc()).limit(limit)).all()
        return [
            HistoryEntry(
                field=r.field,
                event=r.event,
                value=json.loads(r.value),
                author=r.author,
                written_at=float(r.written_at),
                replaced_by=r.replaced_by,
                replaced_at=float(r.replaced_at),
                conflict=bool(r.conflict),
                draft=bool(r.draft),
            )
            for r in rows
        ]

    # -- writing -------------------------------------------------------------------
    def set_field(self, name: str, value: Any, author: str, *, base_version: int | None = None) -> WriteResult:
        """Write one field; the later write wins and the value it replaces goes to the history.

        Parameters
        ----------
        name
            The field, e.g. ``perception`` or ``goal:<id>.text``.
        value
            Its new value (checked: text, or a number within the field's range).
        author
            Who writes (hub username).
        base_version
            The field version the writer's screen showed when they began
            editing (0: it was never written). When the field has since been
            written by someone else, the result names their value as the
            ``conflict`` (kept in the history). ``None`` means "no idea".
        """
        spec, owner = field_spec(name)
        clean = _clean(name, spec, value)
        author = _author(author)
        now = self._clock()
        with self.engine.connect() as db:
            current = self._field(db, name)
        if current is not None and current.value == clean:
            return WriteResult(current.version)  # nothing changed: no new version, no history
        with self.engine.begin() as db:
            version = self._bump(db, now)  # the write lock first, then read what is there under it
            current = self._field(db, name)
            if owner is not None:
                self._require_item(db, *owner, revive_by=author, version=version)
            if spec[0] == "ref" and clean:
                self._require_item(db, "goal", clean, version=version, check_only=True)
            conflict: FieldValue | None = None
            if current is not None and current.value == clean:
                pass  # someone wrote the same a moment ago: nothing to replace
            elif current is not None:
                unseen = base_version is not None and base_version != current.version
                if unseen and current.author != author:
                    conflict = current
                draft = current.author == author and not unseen and now - current.written_at < COALESCE_SECONDS
                self._remember(
                    db,
                    name,
                    "overwritten",
                    current.value,
                    current.author,
                    current.written_at,
                    author,
                    now,
                    conflict=conflict is not None,
                    draft=draft,
                )
                db.execute(
                    update(fields)
                    .where(and_(fields.c.circle_id == self.circle_id, fields.c.field == name))
                    .values(value=json.dumps(clean), version=version, author=author, written_at=now)
                )
            else:
                db.execute(
                    insert(fields).values(
                        circle_id=self.circle_id,
                        field=name,
                        value=json.dumps(clean),
                        version=version,
                        author=author,
                        written_at=now,
                    )
                )
        return WriteResult(version, conflict)

    def add_item(self, kind: str, author: str, item_id: str | None = None) -> str:
        """Add a goal, activity or discussion last in the list; returns its id."""
        _check_kind(kind)
        author = _author(author)
        item_id = item_id or _new_item_id(kind)
        if not _ITEM_ID.match(item_id):
            raise SharedPlanError(t("sharedplan.error.bad_item", item=item_id))
        now = self._clock()
        with self.engine.begin() as db:
            version = self._bump(db, now)
            base = and_(items.c.circle_id == self.circle_id, items.c.kind == kind)
            live = db.execute(
                select(func.count()).select_from(items).where(and_(base, items.c.removed.is_(False)))
            ).scalar()
            if int(live or 0) >= MAX_ITEMS:
                raise SharedPlanError(t("sharedplan.error.too_many", max=MAX_ITEMS))
            if db.execute(select(items.c.item_id).where(and_(base, items.c.item_id == item_id))).first():
                raise SharedPlanError(t("sharedplan.error.item_exists", item=item_id))
            last = db.execute(select(func.max(items.c.position)).where(base)).scalar()
            db.execute(
                insert(items).values(
                    circle_id=self.circle_id,
                    kind=kind,
                    item_id=item_id,
                    position=int(last or 0) + 1,
                    removed=False,
                    author=author,
                    version=version,
                )
            )
        return item_id

    def remove_item(self, kind: str, item_id: str, author: str) -> None:
        """Take an item off the plan; its fields stay stored and the removal is in the history."""
        _check_kind(kind)
        author = _author(author)
        now = self._clock()
        with self.engine.begin() as db:
            version = self._bump(db, now)
            row = self._item(db, kind, item_id)
            if row is None:
                raise SharedPlanError(t("sharedplan.error.unknown_item", item=item_id))
            if row.removed:
                return  # someone else removed it first: the same outcome
            prefix = f"{kind}:{item_id}."
            parts = {
                r.field[len(prefix) :]: json.loads(r.value)
                for r in db.execute(
                    select(fields.c.field, fields.c.value).where(
                        and_(fields.c.circle_id == self.circle_id, fields.c.field.startswith(prefix, autoescape=True))
                    )
                )
            }
            self._remember(db, f"{kind}:{item_id}", "removed", parts, row.author, now, author, now)
            db.execute(
                update(items)
                .where(and_(items.c.circle_id == self.circle_id, items.c.kind == kind, items.c.item_id == item_id))
                .values(removed=True, version=version)
            )

    def move_item(self, kind: str, item_id: str, step: int, author: str) -> None:
        """Move an item one place up (``-1``) or down (``+1``) among the live items."""
        _check_kind(kind)
        _author(author)
        if step not in (-1, 1):
            raise SharedPlanError(t("sharedplan.error.bad_move"))
        now = self._clock()
        with self.engine.begin() as db:
            version = self._bump(db, now)
            rows = db.execute(
                select(items.c.item_id, items.c.position)
                .where(and_(items.c.circle_id == self.circle_id, items.c.kind == kind, items.c.removed.is_(False)))
                .order_by(items.c.position, items.c.item_id)
            ).all()
            ids = [r.item_id for r in rows]
            if item_id not in ids:
                raise SharedPlanError(t("sharedplan.error.unknown_item", item=item_id))
            index = ids.index(item_id)
            target = index + step
            if not 0 <= target < len(ids):
                return  # already first or last: moved by someone else, or nothing to do
            mine, theirs = rows[index], rows[target]
            for moved_id, position in ((mine.item_id, theirs.position), (theirs.item_id, mine.position)):
                db.execute(
                    update(items)
                    .where(and_(items.c.circle_id == self.circle_id, items.c.kind == kind, items.c.item_id == moved_id))
                    .values(position=position, version=version)
                )

    # -- internals -------------------------------------------------------------------
    def _ensure_plan(self) -> None:
        with self.engine.begin() as db:
            if db.execute(select(plans.c.circle_id).where(plans.c.circle_id == self.circle_id)).first():
                return
        try:
            with self.engine.begin() as db:
                db.execute(insert(plans).values(circle_id=self.circle_id, version=0, updated_at=self._clock()))
        except IntegrityError:
            pass  # another device made it at the same moment

    def _bump(self, db: Connection, now: float) -> int:
        """Take the plan's write lock by moving its counter first; returns the new version."""
        db.execute(
            update(plans).where(plans.c.circle_id == self.circle_id).values(version=plans.c.version + 1, updated_at=now)
        )
        return int(db.execute(select(plans.c.version).where(plans.c.circle_id == self.circle_id)).scalar_one())

    def _field(self, db: Connection, name: str) -> FieldValue | None:
        row = db.execute(
            select(fields.c.value, fields.c.version, fields.c.author, fields.c.written_at).where(
                and_(fields.c.circle_id == self.circle_id, fields.c.field == name)
            )
        ).first()
        if row is None:
            return None
        return FieldValue(json.loads(row.value), int(row.version), row.author, float(row.written_at))

    def _item(self, db: Connection, kind: str, item_id: str) -> Any:
        return db.execute(
            select(items.c.removed, items.c.author).where(
                and_(items.c.circle_id == self.circle_id, items.c.kind == kind, items.c.item_id == item_id)
            )
        ).first()

    def _require_item(
        self, db: Connection, kind: str, item_id: str, *, version: int, revive_by: str = "", check_only: bool = False
    ) -> None:
        """The item must exist; an edit to a removed item brings it back (the later change wins)."""
        row = self._item(db, kind, item_id)
        if row is None:
            key = "sharedplan.error.unknown_goal" if check_only else "sharedplan.error.unknown_item"
            raise SharedPlanError(t(key, item=item_id))
        if row.removed and not check_only:
            db.execute(
                update(items)
                .where(and_(items.c.circle_id == self.circle_id, items.c.kind == kind, items.c.item_id == item_id))
                .values(removed=False, version=version)
            )

    def _remember(
        self,
        db: Connection,
        name: str,
        event: str,
        value: Any,
        author: str,
        written_at: float,
        replaced_by: str,
        replaced_at: float,
        *,
        conflict: bool = False,
        draft: bool = False,
    ) -> None:
        db.execute(
            insert(history).values(
                circle_id=self.circle_id,
                field=name,
                event=event,
                value=json.dumps(value),
                author=author,
                written_at=written_at,
                replaced_by=replaced_by,
                replaced_at=replaced_at,
                conflict=conflict,
                draft=draft,
            )
        )


def _check_kind(kind: str) -> None:
    if kind not in ITEM_KINDS:
        raise SharedPlanError(t("sharedplan.error.bad_kind", kind=kind))


def _author(author: str) -> str:
    if not isinstance(author, str) or not author.strip() or len(author) > 80:
        raise SharedPlanError(t("sharedplan.error.no_author"))
    return author.strip()
