"""A course run with two study circles, for the live apps' unit tests (the people of ``tests/hub/live_hub.py``)."""

from __future__ import annotations

from pathlib import Path

from grading.circles.store import CircleStore
from grading.course_runs.roster import import_roster

from run_cache import create_run

__all__ = ["PEOPLE", "circle_run", "add_circles"]

#: id -> display name of everyone in the run
PEOPLE = {
    "lena": "Lena",
    "anna": "Anna",
    "bertil": "Bertil",
    "cilla": "Cilla",
    "olle": "Olle",
    "pia": "Pia",
    "qasim": "Qasim",
}


def circle_run(course_dir: Path, folder: Path) -> Path:
    """Create ``folder/omg`` from ``course_dir`` with ``PEOPLE`` and circles ``cirkel-a``
    (lena leading anna, bertil, cilla) and ``cirkel-b`` (olle leading pia, qasim); its path."""
    run = create_run(course_dir, folder / "omg")
    roster = folder / "deltagare.csv"
    roster.write_text("id,namn\n" + "".join(f"{sid},{name}\n" for sid, name in PEOPLE.items()), encoding="utf-8")
    import_roster(run, roster)
    add_circles(run.root)
    return run.root


def add_circles(run_dir: Path) -> None:
    """The circles ``cirkel-a`` and ``cirkel-b`` in the run's circle store (again in a fresh PostgreSQL database)."""
    circles = CircleStore(run_dir)
    circles.create_circle("cirkel-a", "Cirkel A", "lena", ["anna", "bertil", "cilla"])
    circles.create_circle("cirkel-b", "Cirkel B", "olle", ["pia", "qasim"])
