"""Export, erase and a move to PostgreSQL see every live table, in a process that imported none of them.

The live tables register themselves when their modules are imported; a fresh ``cirkel person
erase`` imported none and so erased no group-quiz answer (found 2026-12-04). The probe runs in a
fresh Python, as the command does, and finds the table modules in the source, not from a list.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from grading.personal_data.live_tables import LIVE_TABLE_MODULES

pytestmark = pytest.mark.unit

REPO = Path(__file__).resolve().parents[2]


def _declaring_modules() -> set[str]:
    """Modules of widgets and grading that put a table on ``live_db``'s METADATA."""
    found = set()
    for package in ("widgets", "grading"):
        for path in (REPO / package).rglob("*.py"):
            source = path.read_text(encoding="utf-8")
            if "from widgets.storage.live_db import" in source and "METADATA" in source and "Table(" in source:
                found.add(".".join(path.relative_to(REPO).with_suffix("").parts))
    return found


def test_every_module_declaring_a_live_table_is_loaded_before_export_erase_and_move() -> None:
    declaring = _declaring_modules()
    assert "grading.circles.group_quiz.tables" in declaring  # the probe sees the group quiz's tables
    assert declaring == set(LIVE_TABLE_MODULES)


def test_a_fresh_process_asking_for_a_persons_live_rows_sees_every_live_table() -> None:
    code = (
        "import importlib, json, sys\n"
        "from widgets.storage import live_db\n"
        "from grading.personal_data import places, store_move\n"
        "before = sorted(live_db.METADATA.tables)\n"
        "loaded = sorted(store_move._live_metadata().tables)\n"
        "for name in sys.argv[1:]:\n"
        "    importlib.import_module(name)\n"
        "print(json.dumps([before, loaded, sorted(live_db.METADATA.tables)]))\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code, *sorted(_declaring_modules())], capture_output=True, text=True, timeout=120
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    before, loaded, every = json.loads(proc.stdout.splitlines()[-1])
    assert before == []  # nothing the command imports on its own registers them
    assert {"groupquiz_answers", "livespeaker_tallies", "sharedplan_fields", "livespeaker_consents"} <= set(every), (
        every
    )
    assert loaded == every
