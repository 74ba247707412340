"""The first report checks every answer file quickly, and says of each what the store itself would say.

``widgets.storage.answers.answer_file_readable`` reads with plain ``os`` calls and checks the
record's model alone; ``grading.reports.answer_pool.each`` shares thousands of answer folders
among forked workers. Both are compared here with ``AnswerStore.load``
(what a learner's page and the grader read) on damaged, foreign and hostile files,
in the process and in the workers. Plain folders, no run: about a second.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from grading.reports import answer_pool
from widgets.storage.answers import AnswerStore, UnreadableAnswer, answer_file_readable

pytestmark = pytest.mark.unit

RECORD = {"schema": 1, "exercise_id": "fragor", "kind": "quiz", "saved_at": "2026-11-20T10:00:00+00:00"}


def _files(svar: Path) -> list[str]:
    """Answer files of every sort a learner's folder can hold; returns their names."""
    store = AnswerStore(svar)
    store.save("plan", "plan", {"goals": ["fler medlemmar"]})
    store.save("lang", "reflection", {"text": "å" * 70_000})  # over one 64 KiB read
    written = {
        "fragor": json.dumps({**RECORD, "data": {"answers": {"q1": [1]}}, "extra": 1}).encode(),
        "trasig": b'{"schema": 1, "exercise_id": "tr',
        "bom": b"\xef\xbb\xbf" + json.dumps({**RECORD, "exercise_id": "bom", "data": {}}).encode(),
        "latin": json.dumps({**RECORD, "exercise_id": "latin", "data": {}}).encode().replace(b"10:00", b"\xe5"),
        "tom": b"",
        "fel-id": json.dumps({**RECORD, "data": {}}).encode(),
        "schema2": json.dumps({**RECORD, "schema": 2, "exercise_id": "schema2", "data": {}}).encode(),
        "text-schema": json.dumps({**RECORD, "schema": "1", "exercise_id": "text-schema", "data": {}}).encode(),
        "data-lista": json.dumps({**RECORD, "exercise_id": "data-lista", "data": []}).encode(),
        "lista": b"[]",
        "formel": json.dumps({**RECORD, "exercise_id": "formel", "data": {"text": '=HYPERLINK("x")'}}).encode(),
    }
    for exercise, payload in written.items():
        (svar / f"{exercise}.json").write_bytes(payload)
    (svar / "mapp.json").mkdir()
    return sorted(p.name for p in svar.iterdir()) + ["borta.json"]


def _as_the_store_reads(svar: Path, name: str) -> bool | None:
    try:
        return AnswerStore(svar).load(name[:-5], keep_aside=False) is not None or None
    except UnreadableAnswer:
        return False
    except OSError:  # a folder where a file should be
        return False


def test_each_verdict_is_the_stores_own(tmp_path):
    svar = tmp_path / "svar"
    names = _files(svar)
    verdicts = {name: answer_file_readable(str(svar), name) for name in names}
    assert verdicts == {name: _as_the_store_reads(svar, name) for name in names}
    readable = sorted(name for name, verdict in verdicts.items() if verdict)
    assert readable == ["formel.json", "fragor.json", "lang.json", "plan.json"] and verdicts["borta.json"] is None


def test_the_workers_give_the_same_verdicts_in_the_same_order(tmp_path, monkeypatch):
    svar = tmp_path / "svar"
    paths = [(str(svar), name) for name in _files(svar)] * 7
    check = lambda path: answer_file_readable(*path)  # noqa: E731
    alone = answer_pool.each(paths, check)  # few files: in this process
    monkeypatch.setattr(answer_pool, "PARALLEL_FROM", 1)
    monkeypatch.setattr(answer_pool, "_CHUNK", 5)
    monkeypatch.setattr(answer_pool, "_may_fork", lambda: True)
    assert answer_pool.each(paths, check) == alone
    workers = set(answer_pool.each(paths, lambda path: os.getpid()))
    assert workers and os.getpid() not in workers  # checked in other processes
