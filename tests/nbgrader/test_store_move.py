"""A course run moved from its SQLite files to PostgreSQL by one command, nothing lost.

A run with circles, a meeting's attendance, live state, an access log kept the
old way (``atkomstlogg.jsonl``) and learners in its gradebook is moved with
``cirkel run move-store`` (``grading.cli.main``, in this process) into two
databases of the tests' own PostgreSQL server; every table is counted before
and after, the run then reads and writes PostgreSQL, and no SQLite file of it
is left. A target that already holds rows is refused before anything is written.
"""

from __future__ import annotations

import json

import pytest
import sqlalchemy as sa

from grading.circles.store import CircleStore
from grading.course_runs import access_log
from grading.course_runs.run import CourseRun
from widgets.core.i18n import t
from widgets.storage import database as storage
from widgets.storage.live_speaker import LiveSpeakerStore
from widgets.storage.speaker_consent import CONSENTS

from circle_run import circle_run

pytestmark = [pytest.mark.nbgrader, pytest.mark.pg]


OLD_LOG = [
    {"time": "2026-11-02T18:05:00+00:00", "viewer": "lena", "action": "visa", "subject": "anna"},
    {"time": "2026-11-03T09:00:00+00:00", "viewer": "lena", "action": "exportera", "subject": "alla"},
]


def _rows(url: str, table: str) -> int:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as db:
            return db.execute(sa.text(f"SELECT count(*) FROM {table}")).scalar_one()
    finally:
        engine.dispose()


def test_a_run_moves_to_postgresql_with_every_row_counted(course_dir, tmp_path, pg_server, pg_url, monkeypatch, cirkel):
    monkeypatch.delenv("CIRKEL_LIVE_DB", raising=False)
    run = CourseRun(circle_run(course_dir, tmp_path))
    circles = CircleStore(run)
    meeting = circles.add_meeting("cirkel-a", "2026-12-01", "18:00", "20:15")
    circles.set_attendance(meeting.meeting_id, ["lena", "anna"])
    LiveSpeakerStore(run.root).give_consent("cirkel-a", "kim", "2023-11-01")
    (run.root / access_log.LOG_FILE).write_text("".join(json.dumps(e) + "\n" for e in OLD_LOG), encoding="utf-8")
    before = (circles.circles(), circles.attendance("cirkel-a"))

    # a target that already holds the log's rows: refused in Swedish, nothing written anywhere
    with pg_server.database() as filled:
        access_log.METADATA.create_all(storage.engine(filled))
        with storage.engine(filled).begin() as db:
            db.execute(access_log.ACCESS_LOG.insert(), {**OLD_LOG[0], "subject": "någon"})
        plain = filled.replace("postgresql+psycopg://", "postgresql://")  # as a provider gives it
        refused = cirkel("run", "move-store", run.root, "--to", plain)
        assert refused.returncode == 1
        url = sa.make_url(filled).render_as_string()
        assert refused.stderr.strip() == t("cli.error", message=t("move.not_empty", table="access_log", url=url))
        assert "Traceback" not in refused.stderr and refused.stdout == ""
        assert _rows(filled, "access_log") == 1 and not sa.inspect(storage.engine(filled)).has_table("circles")
    assert (run.root / "cirklar.sqlite").exists() and (run.root / access_log.LOG_FILE).exists()
    assert CircleStore(run).engine.dialect.name == "sqlite"

    with pg_server.database() as gradebook_url:
        done = cirkel("run", "move-store", run.root, "--to", pg_url, "--gradebook-to", gradebook_url)
        assert done.returncode == 0, done.stderr
        for line in (
            t("move.line", store="circles", table="circles", before=2, after=2),
            t("move.line", store="circles", table="attendance", before=2, after=2),
            t("move.line", store="gradebook", table="student", before=7, after=7),
            t("move.line", store="live", table=CONSENTS.name, before=1, after=1),
            t("move.line", store="access_log", table="access_log", before=2, after=2),
        ):
            assert line in done.stdout.splitlines()
        assert done.stdout.splitlines()[-1].startswith(t("move.done", count=0).split("0")[0])
        assert not list(run.root.glob("*.sqlite*")) and not (run.root / "gradebook.db").exists()
        assert not (run.root / access_log.LOG_FILE).exists()
        # the old log is in PostgreSQL, in order, and new entries follow it there
        assert access_log.entries(run.root) == OLD_LOG
        access_log.record(run.root, "visa", "bertil", viewer="lena")
        assert _rows(pg_url, "access_log") == 3 and not (run.root / access_log.DB_NAME).exists()

        moved = CourseRun(run.root)
        assert moved.db_url == gradebook_url
        store = CircleStore(moved)
        assert store.engine.dialect.name == "postgresql"
        assert (store.circles(), store.attendance("cirkel-a")) == before
        later = store.add_meeting("cirkel-a", "2026-12-08", "18:00", "20:15")  # numbers go on after the copied
        assert later.meeting_id > meeting.meeting_id
        with moved.gradebook() as gb:
            assert len(gb.students) == 7

        # again: refused plainly, nothing changed
        again = cirkel("run", "move-store", run.root, "--to", pg_url)
        assert again.returncode == 1
        assert again.stderr.strip() == t("cli.error", message=t("move.already", url=pg_url))
        engine = sa.create_engine(gradebook_url)
        try:
            with engine.connect() as db:
                assert db.execute(sa.text("SELECT count(*) FROM alembic_version")).scalar_one() == 1
        finally:
            engine.dispose()
