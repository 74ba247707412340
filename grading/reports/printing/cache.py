"""A course's printed material made once per version, then copied into each new run.

Laying out the Partiföreningsskola's booklet and guide (139 pages) takes WeasyPrint
some twenty seconds, and every ``cirkel run create`` and every start of ``make run``
(a fresh demo run each time) asks for the same two files again. They depend only on
the course's folder, the glossary and print style (``courses/tryck``), Cirkel's own
code and string tables, the WeasyPrint version and the year the guide counts from:
the key below is a hash of all of them, so a change to any makes the files anew.

The copies live in the user's cache (``$XDG_CACHE_HOME/cirkel/material``, else
``~/.cache/cirkel/material``). The cache only ever saves time: a cache that cannot
be read or written is passed by, and the files are made as before.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

from widgets.core.resources import courses_folder, package_folder

__all__ = ["cache_root", "material_key", "copy_cached", "keep"]

#: Cirkel's own code and texts that shape the material (each package's files, read as bytes).
_CODE_DIRS = (package_folder("grading"), package_folder("widgets"), courses_folder() / "tryck")
_CODE_SUFFIXES = {".py", ".yml", ".yaml", ".css", ".md"}


def cache_root() -> Path:
    """Where the copies are kept."""
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "cirkel" / "material"


def _files(folder: Path, suffixes: set[str] | None = None) -> list[Path]:
    return sorted(
        p
        for p in folder.rglob("*")
        if p.is_file()
        and "__pycache__" not in p.parts
        and not any(part.startswith(".") for part in p.relative_to(folder).parts)
        and (suffixes is None or p.suffix in suffixes)
    )


def material_key(course_dir: str | os.PathLike[str], year: int | None = None) -> str:
    """The hash of everything the two PDFs of the course in ``course_dir`` are made from."""
    import weasyprint

    digest = hashlib.sha256()
    digest.update(f"weasyprint {weasyprint.__version__}; year {year or dt.date.today().year}\n".encode())
    folders = [(Path(course_dir).resolve(), None)] + [(folder, _CODE_SUFFIXES) for folder in _CODE_DIRS]
    for folder, suffixes in folders:
        for path in _files(folder, suffixes):
            digest.update(f"{path.relative_to(folder).as_posix()}\n".encode())
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def copy_cached(key: str, names: dict[str, str], out_dir: Path) -> dict[str, Any] | None:
    """Copy the kept files ``names`` (kind -> file name) into ``out_dir``; their record, or ``None``."""
    kept = cache_root() / key
    try:
        record = json.loads((kept / "material.json").read_text(encoding="utf-8"))
        out_dir.mkdir(parents=True, exist_ok=True)
        for name in names.values():
            shutil.copyfile(kept / name, out_dir / name)
    except (OSError, ValueError):
        return None
    return record


def keep(key: str, files: dict[str, Path], record: dict[str, object]) -> None:
    """Keep ``files`` and ``record`` under ``key`` (whole or not at all; never an error)."""
    root = cache_root()
    with contextlib.suppress(OSError):
        root.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".tmp-", dir=root))
        try:
            for path in files.values():
                shutil.copyfile(path, staging / path.name)
            (staging / "material.json").write_text(json.dumps(record), encoding="utf-8")
            staging.rename(root / key)  # another process may have kept the same key first: fine
        finally:
            shutil.rmtree(staging, ignore_errors=True)
