"""The answer store: round trips, atomic writes, damaged files kept aside, and crashes mid-save."""

from __future__ import annotations

import html
import json
import os
import random
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from widgets.core.i18n import t
from widgets.storage.answers import SCHEMA_VERSION, AnswerStore, UnreadableAnswer, validate_exercise_id

pytestmark = pytest.mark.unit


@pytest.fixture(autouse=True)
def _workdir(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("CIRKEL_SVAR_DIR", raising=False)
    monkeypatch.delenv("CIRKEL_LANG", raising=False)


def test_round_trip_keeps_data_and_schema(tmp_path):
    store = AnswerStore()
    data = {"text": "Mötet började i tid – åäö", "n": [1, 2, 3]}
    store.save("reflektion", "reflection", data)

    record = json.loads((tmp_path / "svar" / "reflektion.json").read_text(encoding="utf-8"))
    assert record["schema"] == SCHEMA_VERSION
    assert record["exercise_id"] == "reflektion"
    assert record["kind"] == "reflection"
    assert record["saved_at"]
    loaded = AnswerStore().load("reflektion", kind="reflection")
    assert loaded.data == data
    assert AnswerStore().saved_ids() == ["reflektion"]


def test_missing_answers_are_none():
    assert AnswerStore().load("motesroller") is None


def test_failed_write_leaves_old_file_and_no_temporary(tmp_path, monkeypatch):
    store = AnswerStore()
    store.save("plan", "plan", {"version": 1})
    before = (tmp_path / "svar" / "plan.json").read_bytes()

    def broken_fsync(fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", broken_fsync)
    with pytest.raises(OSError):
        store.save("plan", "plan", {"version": 2, "pad": "x" * 100_000})
    monkeypatch.undo()

    assert (tmp_path / "svar" / "plan.json").read_bytes() == before
    assert sorted(p.name for p in (tmp_path / "svar").iterdir()) == ["plan.json"]


def test_widget_tells_learner_when_saving_fails_and_when_it_works_again(monkeypatch):
    from widgets.exercises.reflection import Reflection

    widget = Reflection("reflektion", prompt="Vad tar du med dig?")
    real_fsync = os.fsync

    def broken_fsync(fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", broken_fsync)
    widget.textarea.value = "Första"
    assert widget.status == t("store.save_failed", reason="No space left on device")
    # said at once, in the exercise's alert region, which is in the page before the message (cirkel-a11y.js)
    assert "cirkel-live-alert" in widget._status_box.alert._dom_classes
    assert "cirkel-status-text" in widget._status_box.alert.value and widget._status_box.status.value == ""

    monkeypatch.setattr(os, "fsync", real_fsync)
    widget.textarea.value = "Första meningen"
    assert widget.status == t("store.saved_again")
    # good news waits its turn: said politely, and the alert is gone
    assert t("store.saved_again") in widget._status_box.status.value
    assert widget._status_box.alert.value == ""
    assert AnswerStore().load("reflektion").data == {"text": "Första meningen"}


def _record(exercise_id="reflektion", kind="reflection", schema=1, data=None):
    return json.dumps(
        {"schema": schema, "exercise_id": exercise_id, "kind": kind, "saved_at": "x", "data": data or {"text": "a"}}
    ).encode()


DAMAGED = {
    "bad_json": b'{"schema": 1, "exercise_id": "reflektion", "da',
    "not_an_object": b"[1, 2, 3]",
    "wrong_schema": _record(schema=99),
    "wrong_exercise_id": _record(exercise_id="annan"),
    "wrong_kind": _record(kind="quiz"),
    "data_not_object": json.dumps(
        {"schema": 1, "exercise_id": "reflektion", "kind": "reflection", "data": "x"}
    ).encode(),
    "not_utf8": b'{"schema": 1, "exercise_id": "reflektion", "kind": "reflection", "data": {"text": "\xe5\xe4\xf6"}}',
    # an attack on whoever reads it (json.loads recurses per level): a few hundred kB, 100,000 levels deep
    "nested_100000_deep": _record(data={"text": "a"})[:-2] + b', "x": ' + b"[" * 100_000 + b"]" * 100_000 + b"}}",
    "integer_of_5000_digits": _record(data={"text": "a"})[:-2] + b', "x": ' + b"1" * 5_000 + b"}}",
}


@pytest.mark.parametrize("damage", sorted(DAMAGED))
def test_damaged_file_is_kept_aside_and_learner_told(damage, tmp_path):
    from widgets.exercises.reflection import Reflection

    folder = tmp_path / "svar"
    folder.mkdir()
    original = DAMAGED[damage]
    (folder / "reflektion.json").write_bytes(original)

    widget = Reflection("reflektion", prompt="Vad tar du med dig?")

    kept = list(folder.glob("reflektion.olasbar-*.json.bak"))
    assert len(kept) == 1
    assert kept[0].read_bytes() == original
    assert not (folder / "reflektion.json").exists()
    assert widget.status == t("store.unreadable", exercise_id="reflektion", kept_as=kept[0].name)
    assert html.escape(widget.status, quote=False) in widget._status_box.value
    assert widget.text == ""

    widget.textarea.value = "En ny början"
    assert AnswerStore().load("reflektion", kind="reflection").data == {"text": "En ny början"}
    assert kept[0].read_bytes() == original


def test_load_without_keeping_aside_leaves_file(tmp_path):
    folder = tmp_path / "svar"
    folder.mkdir()
    (folder / "quiz.json").write_bytes(b"{broken")
    with pytest.raises(UnreadableAnswer):
        AnswerStore().load("quiz", keep_aside=False)
    assert (folder / "quiz.json").read_bytes() == b"{broken"


@pytest.mark.parametrize("bad", ["../x", "A", "", "svar/x", "x.json", "-x", "å"])
def test_bad_exercise_ids_refused(bad):
    with pytest.raises(ValueError) as caught:
        validate_exercise_id(bad)
    assert "går inte att använda" in str(caught.value)
    with pytest.raises(ValueError):
        AnswerStore().save(bad, "quiz", {})


def test_widget_refuses_bad_exercise_id():
    from widgets.exercises.reflection import Reflection

    with pytest.raises(ValueError):
        Reflection("../utanfor", prompt="?")
    assert not Path("utanfor.json").exists()


CHILD = r"""
import sys
from widgets.storage.answers import AnswerStore
store = AnswerStore(sys.argv[1])
base = int(sys.argv[2])
i = 0
while True:
    i += 1
    counter = base + i
    store.save("kill", "test", {"counter": counter, "pad": "x" * min(i * 4096, 3_000_000)})
    sys.stdout.write(f"{counter}\n")
    sys.stdout.flush()
"""


def test_sigkill_during_saves_never_leaves_a_broken_or_older_file(tmp_path):
    """Kill a process that saves in a tight loop, many times over, at random moments.

    After every kill the file must parse, have the schema, and hold the last
    save the child reported complete (or the one it was writing).
    """
    folder = tmp_path / "svar"
    rng = random.Random(43)
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    previous = 0
    for round_number in range(1, 41):
        base = round_number * 1_000_000
        child = subprocess.Popen(
            [sys.executable, "-c", CHILD, str(folder), str(base)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
        )
        seen = child.stdout.readline()  # the child has completed at least one save
        assert seen.endswith(b"\n"), child.stderr.read().decode()
        # kill at a random moment: sometimes at once, sometimes after many saves
        for _ in range(rng.randrange(0, 30)):
            seen += child.stdout.readline()
        os.kill(child.pid, signal.SIGKILL)
        seen += child.stdout.read()
        child.wait()
        child.stdout.close()
        child.stderr.close()
        assert child.returncode == -signal.SIGKILL

        reported = [int(line) for line in seen.split(b"\n")[:-1]]  # a cut-off last line is not complete
        last = max(reported)
        assert last > previous
        saved = AnswerStore(folder).load("kill", kind="test")
        assert saved is not None and saved.schema == SCHEMA_VERSION
        counter = saved.data["counter"]
        assert last <= counter <= last + 1, (round_number, last, counter)
        assert saved.data["pad"] == "x" * min((counter - base) * 4096, 3_000_000)
        previous = counter
    assert not list(folder.glob("*.bak"))


def test_temporaries_left_by_a_crash_are_cleared_but_fresh_ones_kept(tmp_path):
    import os
    import time

    store = AnswerStore(tmp_path / "svar")
    store.save("plan", "plan", {"n": 1})
    old = tmp_path / "svar" / ".plan.json.abc123.tmp"
    fresh = tmp_path / "svar" / ".plan.json.def456.tmp"
    old.write_bytes(b"half a rec")
    fresh.write_bytes(b"in progress")
    an_hour_ago = time.time() - 3600
    os.utime(old, (an_hour_ago, an_hour_ago))

    store.save("plan", "plan", {"n": 2})

    assert not old.exists()
    assert fresh.exists()
    assert store.load("plan").data == {"n": 2}
