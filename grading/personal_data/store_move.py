"""Move a course run from its SQLite files to PostgreSQL, nothing lost: counted before and after.

A run outgrowing one machine keeps its circles, group work and live state in
``cirklar.sqlite`` and ``samverkan.sqlite``, its access log in
``atkomstlogg.sqlite`` (an older run's ``atkomstlogg.jsonl`` is imported into it
first), and nbgrader's gradebook in
``gradebook.db``. :func:`move_run` copies every row into PostgreSQL databases
(empty ones: a database that already holds the run's tables is refused), checks
that each table has as many rows after as before, then points the run at them
(``live_db`` and ``gradebook_db`` in ``cirkel-run.yml``, ``CourseDirectory.db_url``
in ``nbgrader_config.py``) and removes the SQLite files, so that no copy of
anyone's data is left behind for an erasure to miss.

    cirkel run move-store RUN --to postgresql+psycopg://.../run [--gradebook-to postgresql+psycopg://.../gradebook]

(``python -m grading.personal_data.store_move RUN ...`` is the same.)

The gradebook needs a database of its own: nbgrader takes a database with any
table in it for an existing gradebook (see README, "PostgreSQL, as tested here").
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
import yaml

from grading.circles.tables import DB_NAME as CIRCLES_DB
from grading.circles.tables import METADATA as CIRCLES
from grading.course_runs import access_log
from grading.course_runs.run import RUN_FILE, CourseRun, RunError
from widgets.core.i18n import t, yaml_data
from widgets.storage import database as storage

__all__ = ["Moved", "move_run", "move_command", "main"]


@dataclass(frozen=True)
class Moved:
    """One table moved: its rows before (SQLite) and after (PostgreSQL)."""

    store: str
    table: str
    before: int
    after: int


def _live_metadata() -> sa.MetaData:
    """Every live table (they register themselves when their modules are imported: all are, here)."""
    from grading.personal_data.live_tables import live_metadata

    return live_metadata()


def _count(db: sa.Connection, table: sa.Table) -> int:
    return db.execute(sa.select(sa.func.count()).select_from(table)).scalar_one()


def _copy(store: str, source_url: str, target_url: str, metadata: sa.MetaData, skip: set[str]) -> list[Moved]:
    """Copy every table of ``metadata`` that the source has; refused if the target already holds rows."""
    source = sa.create_engine(source_url)
    target = storage.engine(target_url)
    metadata.create_all(target)
    moved: list[Moved] = []
    try:
        present = set(sa.inspect(source).get_table_names())
        with source.connect() as src, target.begin() as dst:
            for table in metadata.sorted_tables:
                if table.name in skip:
                    continue
                if _count(dst, table):
                    raise RunError(t("move.not_empty", table=table.name, url=target.url.render_as_string()))
                rows = [dict(r._mapping) for r in src.execute(table.select())] if table.name in present else []
                if rows:
                    dst.execute(table.insert(), rows)
                moved.append(Moved(store, table.name, len(rows), _count(dst, table)))
            for table in metadata.sorted_tables:  # numbers given from now on follow the copied ones
                for column in table.primary_key.columns:
                    if column.autoincrement is True or (column.autoincrement == "auto" and _serial(table, column)):
                        dst.execute(
                            sa.text(
                                f"SELECT setval(pg_get_serial_sequence('{table.name}', '{column.name}'),"
                                f" COALESCE((SELECT max({column.name}) FROM {table.name}), 0) + 1, false)"
                            )
                        )
    finally:
        source.dispose()
    return moved


def _refuse_filled(url: str, metadata: sa.MetaData | None) -> None:
    """Refuse a target that already holds rows of ``metadata``'s tables (any table at all: ``None``),
    before anything is copied, so a refused move has written nothing anywhere."""
    engine = storage.engine(url)
    present = set(sa.inspect(engine).get_table_names())
    with engine.connect() as db:
        for name in sorted(present):
            if metadata is None or (name in metadata.tables and _count(db, metadata.tables[name])):
                raise RunError(t("move.not_empty", table=name, url=engine.url.render_as_string()))


def _serial(table: sa.Table, column: sa.Column) -> bool:
    """Whether PostgreSQL made ``column`` a SERIAL (a lone integer primary key)."""
    return len(table.primary_key.columns) == 1 and isinstance(column.type, sa.Integer)


def move_run(run: CourseRun, to: str, gradebook_to: str | None = None) -> list[Moved]:
    """Copy the run's circles and live state (and gradebook) into PostgreSQL, then use it; the counts."""
    if not to.startswith("postgresql") or (gradebook_to and not gradebook_to.startswith("postgresql")):
        raise RunError(t("move.not_postgres"))
    to = storage.with_driver(to)
    gradebook_to = storage.with_driver(gradebook_to) if gradebook_to else None
    if storage.run_url(run.root, CIRCLES_DB).startswith("postgresql"):
        raise RunError(t("move.already", url=storage.run_url(run.root, CIRCLES_DB)))
    stores = {"circles": CIRCLES, "live": _live_metadata(), "access_log": access_log.METADATA}
    for metadata in stores.values():
        _refuse_filled(to, metadata)
    if gradebook_to:
        _refuse_filled(gradebook_to, None)  # nbgrader takes any table for an existing gradebook
    access_log.import_legacy(run.root)  # an older run's JSON lines: into its SQLite file, then moved
    files = [run.root / CIRCLES_DB, run.root / "samverkan.sqlite", run.root / access_log.DB_NAME]
    moved: list[Moved] = []
    for (store, metadata), path in zip(stores.items(), files, strict=True):
        moved += _copy(store, storage.sqlite_url(path), to, metadata, set())
    if gradebook_to:
        from nbgrader.api import Base, Gradebook

        Gradebook(gradebook_to, run.course_id).close()  # nbgrader's schema and alembic version, as it makes them
        with storage.engine(gradebook_to).begin() as db:
            db.execute(sa.text("DELETE FROM course"))  # the one row nbgrader added; the run's comes next
        moved += _copy("gradebook", run.db_url, gradebook_to, Base.metadata, {"alembic_version"})
        files.append(run.root / "gradebook.db")
    lost = [m for m in moved if m.before != m.after]
    if lost:
        raise RunError(t("move.lost", tables=", ".join(m.table for m in lost)))
    _point_run_at(run, to, gradebook_to)
    for path in files:  # no copy of anyone's data left where an erasure would not look
        for part in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
            part.unlink(missing_ok=True)
        storage.dispose(storage.sqlite_url(path))
    return moved


def _point_run_at(run: CourseRun, to: str, gradebook_to: str | None) -> None:
    info = yaml_data((run.root / RUN_FILE).read_text(encoding="utf-8")) or {}
    info["live_db"] = to
    if gradebook_to:
        info["gradebook_db"] = gradebook_to
    header = "# " + t("run.file_header") + "\n"
    text = header + yaml.safe_dump(info, allow_unicode=True, sort_keys=False)
    (run.root / RUN_FILE).write_text(text, encoding="utf-8")
    if gradebook_to:
        with open(run.root / "nbgrader_config.py", "a", encoding="utf-8") as fh:
            fh.write(
                f"\n# moved to PostgreSQL by grading.personal_data.store_move\nc.CourseDirectory.db_url = {gradebook_to!r}\n"
            )


def move_command(args: argparse.Namespace) -> int:
    """Move, then print each table's rows before and after; a failure is a Swedish ``RunError``."""
    try:
        moved = move_run(CourseRun(Path(args.run)), args.to, args.gradebook_to)
    except sa.exc.SQLAlchemyError as exc:  # no server, a wrong password, a database that does not exist
        raise RunError(t("move.failed", reason=type(exc).__name__)) from exc
    for m in moved:
        print(t("move.line", store=m.store, table=m.table, before=m.before, after=m.after))
    print(t("move.done", count=sum(m.after for m in moved)))
    return 0


def main(argv: list[str] | None = None) -> int:
    """``python -m grading.personal_data.store_move RUN --to URL [--gradebook-to URL]``: as ``cirkel run move-store``."""
    parser = argparse.ArgumentParser(prog="python -m grading.personal_data.store_move", description=t("move.cli.help"))
    parser.add_argument("run", metavar="OMGÅNG", help=t("cli.arg.run"))
    parser.add_argument("--to", required=True, metavar="URL", help=t("move.cli.arg_to"))
    parser.add_argument("--gradebook-to", metavar="URL", help=t("move.cli.arg_gradebook_to"))
    args = parser.parse_args(argv)
    try:
        return move_command(args)
    except RunError as exc:
        print(str(exc), file=sys.stderr)
        return 1


if __name__ == "__main__":
    raise SystemExit(main())
