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

One job per module: ``rules`` (the fields' names, kinds and checks), ``tables``, ``records``
(what the store hands out) and ``store`` (:class:`SharedPlanStore`).
"""

from __future__ import annotations

from widgets.storage.shared_plan.records import FieldValue, HistoryEntry, PlanSnapshot, WriteResult
from widgets.storage.shared_plan.rules import (
    COALESCE_SECONDS,
    ITEM_KINDS,
    MAX_ITEMS,
    MAX_TEXT,
    SharedPlanError,
    field_spec,
    item_field,
)
from widgets.storage.shared_plan.store import SharedPlanStore

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
