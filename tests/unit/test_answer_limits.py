"""Every answer field and answer file has a most size, refused in Swedish with the old answer kept.

One planner text once made a 24 MB answer file: ipywidgets' text fields take anything a
browser sends. The fields now refuse a value above their limit and give the browser the
old value back; the answer store refuses a file above its limit before writing anything.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import comm
import ipywidgets as ipw
import pytest
from comm.base_comm import BaseComm

from widgets.core.i18n import t
from widgets.core.numbers import format_number
from widgets.exercises.meeting_planner import MeetingPlanner
from widgets.exercises.reflection import Reflection
from widgets.kit import controls as ui
from widgets.pages.gallery import DEFAULT_SOURCE, build_widget, discover, load_entry, prepare_workdir
from widgets.storage.answers import MAX_ANSWER_BYTES, AnswerStore, AnswerTooLarge

from builders_support import walk, write_content

pytestmark = pytest.mark.unit

TWENTY_FOUR_MB = "x" * 24_000_000


@pytest.fixture(autouse=True)
def _workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("CIRKEL_SVAR_DIR", raising=False)
    monkeypatch.delenv("CIRKEL_LANG", raising=False)


def _file(name: str) -> bytes:
    return (Path("svar") / f"{name}.json").read_bytes()


def test_a_24_mb_planner_text_is_refused_and_the_old_answer_kept() -> None:
    write_content("motesplanering")
    planner = MeetingPlanner.from_file("motesplanering.yml", exercise_id="motesplanering")
    planner.political.value = "Att vi enas om skolan"
    saved = _file("motesplanering")

    planner.political.value = TWENTY_FOUR_MB

    assert _file("motesplanering") == saved  # nothing of it written
    assert len(saved) < 10_000
    assert planner.political.value == "Att vi enas om skolan"  # the field keeps the old text
    assert planner.status == t("store.text_too_long", max=format_number(20_000, 0))
    assert "för lång" in planner.status and "finns kvar" in planner.status  # Swedish, says nothing is lost
    assert "cirkel-max-20000" in planner.political._dom_classes  # the browser's field is told its limit

    planner.political.value = "Att vi enas om skolan och om bussen"
    assert json.loads(_file("motesplanering"))["data"]["political"] == "Att vi enas om skolan och om bussen"
    assert planner.status == ""  # the message goes once a text fits again


def test_the_store_refuses_a_file_above_its_limit_and_keeps_the_old() -> None:
    store = AnswerStore()
    store.save("reflektion", "reflection", {"text": "Första tanken."})
    before = _file("reflektion")
    with pytest.raises(AnswerTooLarge) as refused:
        store.save("reflektion", "reflection", {"text": "å" * MAX_ANSWER_BYTES})
    assert _file("reflektion") == before
    assert sorted(p.name for p in Path("svar").iterdir()) == ["reflektion.json"]  # no temporary left
    assert str(refused.value) == t("store.too_large", exercise_id="reflektion", max=format_number(1024, 0) + "\u00a0kB")
    assert "för stora" in str(refused.value) and "finns kvar" in str(refused.value)


def test_an_exercise_shows_the_stores_refusal_and_saves_again_when_it_fits() -> None:
    reflection = Reflection("reflektion", store=AnswerStore(max_bytes=2_000))
    reflection.textarea.value = "Jag tar med mig att fråga alla."
    before = _file("reflektion")

    reflection.textarea.value = "Ett långt svar. " * 200  # within the field, above this store's limit

    assert _file("reflektion") == before
    assert reflection.status == t("store.too_large", exercise_id="reflektion", max="1\u00a0kB")
    reflection.textarea.value = "Kortare."
    assert json.loads(_file("reflektion"))["data"]["text"] == "Kortare."
    assert reflection.status == ""


class _Browser(BaseComm):
    """The browser's end of a widget's comm, as ipykernel's comm would carry it: records what is sent."""

    def __init__(self, **kwargs: Any) -> None:
        self.sent: list[dict[str, Any]] = []
        super().__init__(**kwargs)

    def publish_msg(self, msg_type: str, data: Any = None, metadata: Any = None, buffers: Any = None, **keys: Any):
        self.sent.append(data or {})


def test_a_value_above_the_limit_from_the_browser_is_answered_with_the_kept_value(monkeypatch) -> None:
    monkeypatch.setattr(comm, "create_comm", lambda **kwargs: _Browser(**kwargs))
    field = ui.Textarea(value="kvar", max_length=10)
    browser = field.comm
    browser.sent.clear()

    browser.handle_msg(
        {"content": {"data": {"method": "update", "state": {"value": "y" * 11}, "buffer_paths": []}}, "buffers": []}
    )

    assert field.value == "kvar"
    updates = [m["state"]["value"] for m in browser.sent if m.get("method") == "update" and "value" in m["state"]]
    assert updates == ["kvar"]  # the browser's field is set back to the kept text


def test_a_learner_who_pastes_too_much_in_the_browser_keeps_the_text_and_is_told(monkeypatch) -> None:
    monkeypatch.setattr(comm, "create_comm", lambda **kwargs: _Browser(**kwargs))
    reflection = Reflection("reflektion")
    reflection.textarea.value = "Jag tar med mig att fråga alla."
    browser = reflection.textarea.comm

    browser.handle_msg({"content": {"data": {"method": "update", "state": {"value": "å" * 20_001}}}, "buffers": []})

    assert reflection.text == "Jag tar med mig att fråga alla."
    assert json.loads(_file("reflektion"))["data"]["text"] == "Jag tar med mig att fråga alla."
    assert reflection.status == t("store.text_too_long", max=format_number(20_000, 0))
    assert t("store.text_too_long", max=format_number(20_000, 0)) in reflection._status_box.value.replace("&quot;", '"')


def test_every_text_field_of_every_exercise_has_a_limit(tmp_path: Path) -> None:
    entries = [load_entry(path) for path in discover(DEFAULT_SOURCE)]
    work = tmp_path / "galleri"
    prepare_workdir(entries, DEFAULT_SOURCE, work)
    unlimited: list[str] = []
    fields = 0
    for entry in entries:
        exercise = build_widget(entry, work, AnswerStore(work / "svar"))
        for widget in walk(exercise):
            if isinstance(widget, (ipw.Text, ipw.Textarea)):
                fields += 1
                if not 0 < getattr(widget, "max_length", 0) <= ui.MAX_TEXTAREA_LENGTH:
                    unlimited.append(f"{entry.widget}: {widget.description or widget.placeholder}")
    assert fields > 20
    assert unlimited == []
