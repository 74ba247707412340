"""How the tests look at one person's data: the person and export commands run in process, and every
trace of a person left in a folder (file names, bytes, SQLite rows), to prove an erasure complete."""

from __future__ import annotations

import sqlite3
from pathlib import Path


# -- the command line, as `cirkel` runs it once the lead has wired the commands in ----------------
def run_command(argv: list[str], monkeypatch, capsys) -> tuple[int, str, str]:
    """``cirkel ARGV`` in this process: the real ``grading.cli.main`` with these commands declared."""
    from grading import cli
    from grading.cli.persons import add_export_commands, add_person_commands

    original = cli.build_parser

    def build_parser():
        parser = original()
        sub = next(a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction")
        if "person" not in sub.choices:
            add_person_commands(sub)
        if "export" not in sub.choices:
            add_export_commands(sub)
        return parser

    monkeypatch.setattr(cli, "build_parser", build_parser)
    monkeypatch.setenv("CIRKEL_LANG", "sv")
    code = cli.main([str(a) for a in argv])
    out = capsys.readouterr()
    return code, out.out, out.err


def _needles(student_id: str, name: str) -> list[bytes]:
    surname = name.split()[-1]
    ascii_part = surname[: next((i for i, c in enumerate(surname) if ord(c) > 127), len(surname))]
    return [student_id.encode(), name.encode("utf-8"), ascii_part.encode()]


def _sqlite_rows(path: Path) -> list[str]:
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        rows = []
        for table in tables:
            for row in db.execute(f'SELECT * FROM "{table}"'):
                rows.append(" ".join(v.decode("utf-8", "replace") if isinstance(v, bytes) else str(v) for v in row))
        return rows
    finally:
        db.close()


def _traces_under(folder: Path, student_id: str, name: str) -> list[str]:
    """Every file (name or content) and SQLite row under ``folder`` that mentions the person."""
    needles = _needles(student_id, name)
    found = []
    for path in sorted(folder.rglob("*")):
        if any(n.decode("utf-8") in str(path.relative_to(folder)) for n in needles):
            found.append(f"path {path}")
        if not path.is_file():
            continue
        data = path.read_bytes()
        if any(n in data for n in needles):
            found.append(f"bytes {path}")
        if data.startswith(b"SQLite format 3"):
            for row in _sqlite_rows(path):
                if any(n.decode("utf-8") in row for n in needles):
                    found.append(f"row {path}: {row[:80]}")
    return found


def _one_file_per_database(traces: list[str]) -> list[str]:
    """The places of the traces: a database and its write-ahead log as one (a checkpoint moves
    bytes between them); a row by its file only (the erased person's name blanked in it is not
    the kept person's data), counted."""
    files = sorted({trace.removesuffix("-wal") for trace in traces if not trace.startswith("row ")})
    rows = sorted(trace.split(": ", 1)[0] for trace in traces if trace.startswith("row "))
    return files + rows
