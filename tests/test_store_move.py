"""A course run moved from its SQLite files to PostgreSQL by one command, nothing lost.

A run with circles, a meeting's attendance, live state and learners in its
gradebook is moved with ``python -m grading.store_move`` (its ``main``, as the
command runs it) into two databases of the tests' own PostgreSQL server; every
table is counted before and after, the run then reads and writes PostgreSQL,
and no SQLite file of it is left.
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from grading.circles import CircleStore
from grading.run import CourseRun
from grading.store_move import main
from widgets._live_speaker_store import LiveSpeakerStore
from widgets._speaker_consent import CONSENTS
from widgets.i18n import t

from circle_run import circle_run

pytestmark = [pytest.mark.nbgrader, pytest.mark.pg]


def test_a_run_moves_to_postgresql_with_every_row_counted(course_dir, tmp_path, pg_server, pg_url, monkeypatch, capsys):
    monkeypatch.delenv("CIRKEL_LIVE_DB", raising=False)
    run = CourseRun(circle_run(course_dir, tmp_path))
    circles = CircleStore(run)
    meeting = circles.add_meeting("cirkel-a", "2026-12-01", "18:00", "20:15")
    circles.set_attendance(meeting.meeting_id, ["lena", "anna"])
    LiveSpeakerStore(run.root).give_consent("cirkel-a", "kim", "2023-11-01")
    before = (circles.circles(), circles.attendance("cirkel-a"))

    with pg_server.database() as gradebook_url:
        assert main([str(run.root), "--to", pg_url, "--gradebook-to", gradebook_url]) == 0
        out = capsys.readouterr().out
        for line in (
            t("move.line", store="circles", table="circles", before=2, after=2),
            t("move.line", store="circles", table="attendance", before=2, after=2),
            t("move.line", store="gradebook", table="student", before=7, after=7),
            t("move.line", store="live", table=CONSENTS.name, before=1, after=1),
        ):
            assert line in out.splitlines()
        assert not list(run.root.glob("*.sqlite*")) and not (run.root / "gradebook.db").exists()

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
        assert main([str(run.root), "--to", pg_url]) == 1
        assert capsys.readouterr().err.strip() == t("move.already", url=pg_url)
        engine = sa.create_engine(gradebook_url)
        try:
            with engine.connect() as db:
                assert db.execute(sa.text("SELECT count(*) FROM alembic_version")).scalar_one() == 1
        finally:
            engine.dispose()
