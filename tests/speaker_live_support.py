"""Live talarstatistik's devices for its tests (``tests/nbgrader/test_live_speaker*.py``): a keeper or
the big screen as one device's own store on the run's shared live database, and the table as a reader sees it."""

from __future__ import annotations

import re
from pathlib import Path

from voila_apps.live.live_context import LiveContext
from voila_apps.live.live_speaker_stats import LiveSpeakerKeeper, LiveSpeakerScreen
from widgets.storage.live_speaker import LiveSpeakerStore

from circle_run import add_circles
from fake_clock import FakeClock


def device(run_dir: Path, clock: FakeClock) -> LiveSpeakerStore:
    """One device's own store object on the run's shared database."""
    return LiveSpeakerStore(run_dir, clock=clock)


def keeper(run_dir: Path, clock: FakeClock, who: str = "lena", circle: str = "cirkel-a") -> LiveSpeakerKeeper:
    return LiveSpeakerKeeper(device(run_dir, clock), circle, who, circle_name="Cirkel A")


def screen(run_dir: Path, clock: FakeClock, circle: str = "cirkel-a") -> LiveSpeakerScreen:
    return LiveSpeakerScreen(device(run_dir, clock), circle, circle_name="Cirkel A")


def text_of(html_text: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html_text).split())


def table_rows(html_text: str) -> dict[str, list[str]]:
    """The table as a reader sees it: category label -> [contributions, time, share]."""
    rows = {}
    for row in re.findall(r"<tr data-category=[^>]*>(.*?)</tr>", html_text):
        cells = [text_of(c) for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row)]
        rows[cells[0]] = cells[1:]
    return rows


def context(run_dir: Path, viewer: str, **query: str) -> LiveContext:
    return LiveContext(run_dir=run_dir, viewer=viewer, leaders=frozenset({"kim"}), query=query)


def fresh_live_db(run_dir: Path, tmp_path: Path, monkeypatch, store_backend: str) -> Path:
    """The body of the ``live_db`` fixture: a fresh live database for each test, SQLite then PostgreSQL
    (the run is shared by a test file)."""
    path = tmp_path / "samverkan.sqlite"
    if store_backend == "sqlite":
        monkeypatch.setenv("CIRKEL_LIVE_DB", f"sqlite:///{path}")
    else:  # the server's database holds the circles too
        add_circles(run_dir)
    monkeypatch.delenv("CIRKEL_LANG", raising=False)
    # circle A has agreed to counting by gender (recorded by the course leader); circle B has not
    LiveSpeakerStore(run_dir).give_consent("cirkel-a", "kim", "2023-11-01")
    return path
