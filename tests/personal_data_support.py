"""A course run with two learners who have left data everywhere, for the export and erase tests.

Made through the real flow: ``cirkel run create``, ``learners import --accounts``
(hub accounts), ``release``, ``fetch``; the learners answer the plan module of the
leadership training by driving its real widgets and submit with nbgrader's
exchange; ``collect`` and ``autograde``; feedback is generated and released with
nbgrader's API and fetched into each workspace with nbgrader's exchange; both are
in a study circle with meetings and attendance; JupyterHub's own database has
both users (made with JupyterHub's ORM).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import shutil
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from grading.course_runs import access_log
from grading.course_runs.run import CourseRun

COURSE_ID = "planomgang"
MODULE = "02-strategiska-planer"
COURSE_TITLE = "Ledarskap för föreningar"
#: ids and names that occur nowhere in the course text, so a search for them finds only their data
ERASED = ("del-anna7", "Anna Qvarnström")
KEPT = ("del-bo3", "Bo Zetterlund")
LEADER_REFLECTION = "Vi ska börja med dörrknackning i Qvarnströms kvarter."


def plan_course(courses_dir: Path, folder: Path) -> Path:
    """A one-module course: the leadership training's strategic plans."""
    course = folder / COURSE_ID
    course.mkdir(parents=True)
    shutil.copytree(courses_dir / "ledarskap" / MODULE, course / MODULE)
    shutil.copy(courses_dir / "kalla" / "commitments.yml", course / "commitments.yml")
    (course / "course.yml").write_text(
        f"id: {COURSE_ID}\ntitle: {COURSE_TITLE}\ndescription: En modul om planer.\nlanguage: sv\n"
        f"modules:\n  - {MODULE}\n",
        encoding="utf-8",
    )
    return course


def _fetch_feedback(run: CourseRun, student_id: str) -> None:
    from nbgrader.auth import Authenticator
    from nbgrader.coursedir import CourseDirectory
    from nbgrader.exchange.default import ExchangeFetchFeedback

    cfg = run.config()
    workspace = run.workspace(student_id)
    cfg.Exchange.cache = str(workspace / ".nbgrader-cache")
    coursedir = CourseDirectory(config=cfg, root=str(run.root), assignment_id=MODULE, student_id=student_id)
    fetcher = ExchangeFetchFeedback(coursedir=coursedir, authenticator=Authenticator(config=cfg), config=cfg)
    fetcher.assignment_dir = str(workspace)
    fetcher.start()


def _hub_database(path: Path | str, names: list[str]) -> None:
    """JupyterHub's own database (an SQLite file, or a URL) with a user, a server, a spawner and an OAuth
    client per name."""
    from jupyterhub import orm

    session = orm.new_session_factory(str(path) if "://" in str(path) else f"sqlite:///{path}")()
    try:
        for name in names:
            user = orm.User(name=name)
            session.add(user)
            client = orm.OAuthClient(
                identifier=f"jupyterhub-user-{name}",
                description=f"Server at /user/{name}/",
                redirect_uri=f"/user/{name}/oauth_callback",
            )
            server = orm.Server(base_url=f"/user/{name}/")
            session.add_all([client, server])
            session.flush()
            session.add(orm.Spawner(user=user, name="", server=server, oauth_client_id=client.identifier))
        session.commit()
    finally:
        session.close()


def _live_and_collaboration(run: CourseRun) -> None:
    """The circle's shared plan written by both, and the leader's JupyterLab having opened both notebooks."""
    from widgets.storage.shared_plan import SharedPlanStore

    plan = SharedPlanStore(run.root, "cirkel1")
    plan.set_field("perception", "Ett parti som syns i vardagen.", ERASED[0])
    plan.set_field("revisit", "Varje vår.", KEPT[0])
    plan.set_field("perception", "Ett parti som syns och lyssnar.", KEPT[0])  # the earlier text goes to history
    state = run.root / ".jupyter"
    state.mkdir()
    files = {f"id-{sid}": f"autograded/{sid}/{MODULE}/{MODULE}.ipynb" for sid, _ in (ERASED, KEPT)}
    with sqlite3.connect(state / "file_id_manager.db") as db:  # jupyter_server_fileid's table
        db.execute("CREATE TABLE Files(id TEXT PRIMARY KEY NOT NULL, path TEXT NOT NULL UNIQUE)")
        db.executemany("INSERT INTO Files VALUES (?, ?)", files.items())
    with sqlite3.connect(state / "ystore.db") as db:  # pycrdt's store: a room per document
        db.execute("CREATE TABLE yupdates (path TEXT NOT NULL, yupdate BLOB, metadata BLOB, timestamp REAL NOT NULL)")
        db.execute(
            "CREATE TABLE ycheckpoints (path TEXT NOT NULL, checkpoint BLOB NOT NULL, timestamp REAL NOT NULL, "
            "PRIMARY KEY(path))"
        )
        for file_id, (_sid, name) in zip(files, (ERASED, KEPT)):
            db.execute(
                "INSERT INTO yupdates VALUES (?, ?, NULL, 0)", (f"json:notebook:{file_id}", f"{name}s svar".encode())
            )
    for db_file in (state / "file_id_manager.db", state / "ystore.db"):
        sqlite3.connect(db_file).close()


@contextlib.contextmanager
def learners_run(base: Path, courses_dir: Path, cirkel: Callable, answer: Callable) -> Iterator[dict[str, Any]]:
    """Build the run; ``CIRKEL_HUB_DIR`` points at ``base/hub`` while it is in use."""
    from grading.circles.store import CircleStore
    from widgets.pages.submit import submit_module

    hub = base / "hub"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("CIRKEL_HUB_DIR", str(hub))
        mp.setenv("CIRKEL_VIEWER", "ledaren")
        mp.delenv("JUPYTERHUB_USER", raising=False)
        course = plan_course(courses_dir, base / "kurs")
        run_dir = base / "omgang"
        cirkel("run", "create", course, "--dir", run_dir, check=True)
        roster = base / "deltagare.csv"
        roster.write_text(f"id;namn\n{ERASED[0]};{ERASED[1]}\n{KEPT[0]};{KEPT[1]}\n", encoding="utf-8")
        cirkel("learners", "import", run_dir, roster, "--accounts", check=True)
        # a copy of the roster kept in the run folder, as a course leader might
        shutil.copy(roster, run_dir / "deltagare.csv")
        cirkel("release", run_dir, check=True)
        for student_id, _name in (ERASED, KEPT):
            cirkel("fetch", run_dir, "--learner", student_id, check=True)
        run = CourseRun(run_dir)
        answer(run.notebook_path(ERASED[0], MODULE).parent, "full", reflection=LEADER_REFLECTION)
        answer(run.notebook_path(KEPT[0], MODULE).parent, "partial")
        for student_id, _name in (ERASED, KEPT):
            submit_module(run.notebook_path(student_id, MODULE).parent)
        cirkel("collect", run_dir, check=True)
        cirkel("autograde", run_dir, check=True)
        api = run.api()
        for student_id, _name in (ERASED, KEPT):
            assert api.generate_feedback(MODULE, student_id)["success"]
            assert api.release_feedback(MODULE, student_id)["success"]
            _fetch_feedback(run, student_id)
        # a hub home per learner, as the spawner makes them
        for student_id, name in (ERASED, KEPT):
            home = hub / "hem" / student_id
            home.mkdir(parents=True)
            (home / "anteckning.txt").write_text(f"{name} var här.\n", encoding="utf-8")
        _hub_database(hub / "jupyterhub.sqlite", [ERASED[0], KEPT[0]])
        store = CircleStore(run)
        store.create_circle("cirkel1", "Planerarna", KEPT[0], [ERASED[0]])
        today = dt.date.today()
        meetings = [
            store.add_meeting("cirkel1", today - dt.timedelta(days=7 * n), "18:00", "20:15", 15) for n in (3, 2, 1)
        ]
        for meeting in meetings:
            store.set_attendance(meeting.meeting_id, [ERASED[0], KEPT[0]])
        access_log.record(run, "visa", ERASED[0])
        access_log.record(run, "visa", KEPT[0])
        _live_and_collaboration(run)
        yield {"run": run, "hub": hub, "base": base, "roster": roster, "store": store, "meetings": meetings}
