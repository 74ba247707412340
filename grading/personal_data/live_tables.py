"""Every table of a run's live state, loaded: what export, erase and a move to PostgreSQL must all see.

The live tables (the group quiz, talarstatistik, the speaking consents, the shared plan) register
themselves in :data:`widgets.storage.live_db.METADATA` when their modules are imported. A
``cirkel person export``, ``cirkel person erase`` or ``cirkel run move-store`` process imports none
of them on its own, and then saw no live table at all: a person's group-quiz answers were neither
exported nor erased, and a moved run left its live state behind. Asking here first loads them all.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import sqlalchemy as sa

__all__ = ["LIVE_TABLE_MODULES", "live_metadata"]

#: the modules that declare live tables (``tests/unit/test_live_tables.py`` finds every one in the source)
LIVE_TABLE_MODULES = (
    "grading.circles.group_quiz.tables",
    "widgets.storage.live_speaker.tables",
    "widgets.storage.shared_plan.tables",
    "widgets.storage.speaker_consent",
)


def live_metadata() -> sa.MetaData:
    """``live_db.METADATA`` with every live table registered."""
    import grading.circles.group_quiz.tables  # noqa: F401  (each registers its tables on import)
    import widgets.storage.live_speaker.tables  # noqa: F401
    import widgets.storage.shared_plan.tables  # noqa: F401
    import widgets.storage.speaker_consent  # noqa: F401
    from widgets.storage import live_db

    return live_db.METADATA
