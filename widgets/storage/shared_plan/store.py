"""The shared plan of one study circle: read at one version, written one field or item at a time."""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable
from typing import Any

from sqlalchemy import and_, func, insert, select, update
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import IntegrityError

from widgets.core.i18n import t
from widgets.storage.live_db import live_engine
from widgets.storage.shared_plan.records import FieldValue, HistoryEntry, PlanSnapshot, WriteResult
from widgets.storage.shared_plan.rules import (
    COALESCE_SECONDS,
    ITEM_ID,
    ITEM_KINDS,
    MAX_ITEMS,
    SharedPlanError,
    check_kind,
    checked_author,
    clean_value,
    field_spec,
    new_item_id,
)
from widgets.storage.shared_plan.tables import fields, history, items, plans


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
        clean = clean_value(name, spec, value)
        author = checked_author(author)
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
        check_kind(kind)
        author = checked_author(author)
        item_id = item_id or new_item_id(kind)
        if not ITEM_ID.match(item_id):
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
        check_kind(kind)
        author = checked_author(author)
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
        check_kind(kind)
        checked_author(author)
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
