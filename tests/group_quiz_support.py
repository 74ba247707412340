"""The group quiz's devices for its tests (``tests/nbgrader/test_group_quiz*.py``): a leader, a phone
or the big screen built headless on a run with two study circles, and a live database of each test's own."""

from __future__ import annotations

import html
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

from grading.circles.store import CircleStore
from voila_apps.live.group_quiz import GroupQuizLeader, GroupQuizParticipant
from voila_apps.live.live_context import LiveContext
from widgets.models.quiz_bank import load_bank

from circle_run import PEOPLE, add_circles

MODULE = "05-moten"
QUIZ = "motesroller"


def context(run_dir: Path, viewer: str, **query: str) -> LiveContext:
    return LiveContext(run_dir=run_dir, viewer=viewer, leaders=frozenset({"kim"}), query=query)


def text_of(markup: str) -> str:
    """What a reader sees of some HTML: tags and the style sheet gone, whitespace folded."""
    markup = re.sub(r"<style>.*?</style>", " ", markup, flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", markup)).split())


def shown(widget) -> str:
    """The visible text of a view: every HTML part of it, in order, hidden parts left out."""
    parts: list[str] = []

    def walk(w) -> None:
        if getattr(w.layout, "display", None) == "none":
            return
        if hasattr(w, "value") and isinstance(w.value, str) and w.__class__.__name__ == "HTML":
            parts.append(text_of(w.value))
        for child in getattr(w, "children", ()):
            walk(child)

    walk(widget)
    return " ".join(p for p in parts if p)


def phone(run_dir: Path, person: str, **kwargs) -> GroupQuizParticipant:
    circles = [c for c in ("cirkel-a", "cirkel-b") if person in CircleStore(run_dir).circle(c).members]
    return GroupQuizParticipant(run_dir, person, PEOPLE.get(person, person), circles=circles, **kwargs)


def leader(run_dir: Path, who: str = "lena") -> GroupQuizLeader:
    ctx = context(run_dir, who)
    return GroupQuizLeader(run_dir, who, ctx.led_circles())


def start(lead: GroupQuizLeader, counts: bool = True) -> int:
    lead.quiz_picker.value = f"{MODULE}/{QUIZ}"
    lead.counts_box.value = counts
    lead.start_button.click()
    assert lead.session_id is not None, lead.message
    return lead.session_id


def bank():
    return load_bank(Path(__file__).resolve().parents[1] / "courses/partiforeningsskola" / MODULE / f"{QUIZ}.yml")


def own_live_db(run_dir: Path, tmp_path: Path, monkeypatch, store_backend: str) -> Iterator[Path]:
    """A live database of the test's own (SQLite, then PostgreSQL); no learner folders left from another test.

    The body of each group quiz file's autouse ``live_db`` fixture."""
    db = tmp_path / "samverkan.sqlite"
    if store_backend == "sqlite":
        monkeypatch.setenv("CIRKEL_LIVE_DB", f"sqlite:///{db}")
    else:  # the server's database holds the circles too
        add_circles(run_dir)
    shutil.rmtree(run_dir / "deltagare", ignore_errors=True)
    yield db
    shutil.rmtree(run_dir / "deltagare", ignore_errors=True)
