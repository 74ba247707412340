"""The shared plan's tables in the run's live database (names blanked on an erasure, never the text)."""

from __future__ import annotations

from sqlalchemy import Boolean, Column, Float, ForeignKey, Index, Integer, String, Table, Text

from widgets.storage.live_db import BLANK, METADATA, PERSON

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
