"""On Kubernetes two course runs share one gradebook database and one live database, each in a schema of its own.

A real PostgreSQL (Debian's 15, started here on a free port of 127.0.0.1), the
URLs the deployment gives (the leader's pod runs the values' nbgrader
configuration; the hub gives each live service its run's URL), and the stores
that use them: nbgrader's own ``Gradebook`` and Cirkel's live tables.
"""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from traitlets.config import Config

from grading.hub.k8s import configure_kubernetes
from grading.hub.k8s_db import run_schema
from grading.system.ports import free_port

from z2jh_values import values

pytestmark = pytest.mark.hub

PG_BIN = Path("/usr/lib/postgresql/15/bin")


def _as_postgres(command: list[str]) -> list[str]:
    """initdb and postgres refuse to run as root (CI runs as root): run them as the postgres user."""
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


@pytest.fixture(scope="module")
def postgres() -> Iterator[str]:
    """A PostgreSQL server with the two databases of values.yaml's secrets; yields its URL without a database."""
    if not (PG_BIN / "initdb").is_file():
        pytest.skip("PostgreSQL 15 is not installed (Debian's postgresql-15)")
    folder = Path(tempfile.mkdtemp(prefix="cirkel-pg-"))
    if os.geteuid() == 0:
        user = pwd.getpwnam("postgres")
        os.chown(folder, user.pw_uid, user.pw_gid)
    data, port = folder / "data", free_port()
    subprocess.run(
        _as_postgres([str(PG_BIN / "initdb"), "-D", str(data), "-A", "trust", "-U", "cirkel", "--no-sync"]),
        check=True,
        capture_output=True,
    )
    options = f"-h 127.0.0.1 -p {port} -k {folder} -F"
    start = [str(PG_BIN / "pg_ctl"), "-D", str(data), "-o", options, "-l", str(folder / "log"), "-w", "start"]
    subprocess.run(_as_postgres(start), check=True, capture_output=True)
    base = f"postgresql+psycopg://cirkel@127.0.0.1:{port}"
    try:
        engine = sa.create_engine(f"{base}/postgres", isolation_level="AUTOCOMMIT")
        with engine.connect() as connection:
            for database in ("cirkel_gradebook", "cirkel_live"):
                connection.execute(sa.text(f"CREATE DATABASE {database}"))
        engine.dispose()
        yield base
    finally:
        stop = [str(PG_BIN / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"]
        subprocess.run(_as_postgres(stop), check=False, capture_output=True)
        shutil.rmtree(folder, ignore_errors=True)


def _tables(url: str) -> dict[str, set[str]]:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as connection:
            rows = connection.execute(
                sa.text(
                    "SELECT table_schema, table_name FROM information_schema.tables WHERE table_schema NOT IN ('pg_catalog', 'information_schema')"
                )
            )
            found: dict[str, set[str]] = {}
            for schema, table in rows:
                found.setdefault(schema, set()).add(table)
            return found
    finally:
        engine.dispose()


def _schemas(url: str) -> set[str]:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as connection:
            return set(connection.execute(sa.text("SELECT schema_name FROM information_schema.schemata")).scalars())
    finally:
        engine.dispose()


def _leaders_gradebook_url(environment: dict[str, str]) -> str | None:
    """What the values' nbgrader configuration sets in a leader's run server with this environment."""
    source = values()["singleuser"]["extraFiles"]["nbgrader-config"]["stringData"]
    c = Config()
    saved = dict(os.environ)
    os.environ.update(environment)
    try:
        exec(compile(source, "nbgrader_config.py", "exec"), {"get_config": lambda: c})
    finally:
        os.environ.clear()
        os.environ.update(saved)
    return c.CourseDirectory.db_url if "db_url" in c.CourseDirectory else None


def test_two_runs_gradebooks_share_a_database_but_not_their_modules(postgres: str) -> None:
    from nbgrader.api import Gradebook

    secret = f"{postgres}/cirkel_gradebook"
    urls = {
        course: _leaders_gradebook_url({"CIRKEL_GRADEBOOK_URL": secret, "CIRKEL_RUN": f"/srv/cirkel/runs/{course}"})
        for course in ("ht26", "vt27")
    }
    assert urls["ht26"] != urls["vt27"]
    # a learner's pod has no gradebook URL: nbgrader keeps its default, and never reaches the database
    assert _leaders_gradebook_url({"CIRKEL_GRADEBOOK_URL": "", "CIRKEL_RUN": ""}) is None
    for course, learner in (("ht26", "anna"), ("vt27", "bertil")):
        with Gradebook(urls[course], course_id=course) as gradebook:
            gradebook.add_assignment("01-moten")  # the same module in both runs: no clash
            gradebook.add_student(learner)
    with Gradebook(urls["ht26"], course_id="ht26") as gradebook:
        assert [s.id for s in gradebook.students] == ["anna"]
        assert [a.name for a in gradebook.assignments] == ["01-moten"]
    tables = _tables(secret)
    assert {"assignment", "student", "alembic_version"} <= tables[run_schema("ht26")]
    assert tables[run_schema("ht26")] == tables[run_schema("vt27")]
    assert "public" not in tables  # nothing lands outside the runs' schemas


def test_each_live_service_keeps_its_runs_live_state_in_its_own_schema(
    postgres: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import grading.circles.group_quiz  # noqa: F401  (each live store registers its tables, as the apps import them)
    import widgets.storage.live_speaker  # noqa: F401
    import widgets.storage.shared_plan  # noqa: F401
    import widgets.storage.speaker_consent  # noqa: F401
    from grading.hub.accounts import AccountStore
    from widgets.storage import live_db

    secret = f"{postgres}/cirkel_live"
    monkeypatch.setenv("CIRKEL_LIVE_DB", secret)  # the hub pod's, from the secret cirkel-live-db
    monkeypatch.setenv("POD_IP", "10.4.0.17")
    store = AccountStore(tmp_path / "konton.sqlite")
    for course in ("ht26", "vt27"):
        (tmp_path / course).mkdir()
    store.create("kim", "kursledare", "ht26", str(tmp_path / "ht26"))
    store.add_run("kim", "vt27", str(tmp_path / "vt27"))
    c = Config()
    configure_kubernetes(c, str(store.path))
    services = {s["name"]: s for s in c.JupyterHub.services}
    # each run's live service gets its run's URL, and the schema is there before it starts
    assert _schemas(secret) >= {run_schema("ht26"), run_schema("vt27")}
    for course in ("ht26", "vt27"):
        environment = services[f"{course}-samverkan"]["environment"]
        assert "sqlite" not in environment["CIRKEL_LIVE_DB"]
        # what the live apps' kernels of that service do (widgets.storage.live_db reads CIRKEL_LIVE_DB)
        monkeypatch.setenv("CIRKEL_LIVE_DB", environment["CIRKEL_LIVE_DB"])
        live_db.live_engine(tmp_path / course)
    tables = _tables(secret)
    live_tables = {table.name for table in live_db.METADATA.tables.values()}
    assert len(live_tables) >= 8  # the group quiz's, talarstatistik's, the consents' and the shared plan's
    assert tables[run_schema("ht26")] == tables[run_schema("vt27")] == live_tables
    assert "public" not in tables
    assert not list(tmp_path.glob("*/samverkan.sqlite"))  # no SQLite on the shared volume
