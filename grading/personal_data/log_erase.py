"""An erased person's id and name masked in log files, in place, while their writers may still append.

The hub's log holds the output of the hub, its proxy, its services and every
learner's server and kernels; nbgrader and ``cirkel serve`` keep logs in the run.
No single logging filter reaches all of those writers, so an erasure rewrites the
files instead: each mention is overwritten by as many ``*`` as it had bytes, so
a line still says what happened, no longer to whom. Only those bytes are written,
where they are, and nothing is truncated or renamed: a running hub keeps
appending to the file it opened (past the end the erasure read), and none of its
lines is lost or cut, as a truncation racing an append would do; a renamed-away
copy would keep the old lines on disk for as long as a writer held it.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

__all__ = ["LOG_PATTERNS", "log_files", "mask_in_logs"]

#: the log files an erasure rewrites, by name, anywhere below the folders it is given
LOG_PATTERNS = ("*.log", "*.log.[0-9]")


def log_files(folders: Iterable[str | os.PathLike[str]]) -> list[Path]:
    """The log files below ``folders`` (each once)."""
    found: dict[Path, None] = {}
    for folder in folders:
        root = Path(folder)
        if not root.is_dir():
            continue
        for pattern in LOG_PATTERNS:
            for path in sorted(root.rglob(pattern)):
                if path.is_file() and not path.is_symlink():
                    found.setdefault(path.resolve())
    return list(found)


def _needles(words: Iterable[str]) -> list[bytes]:
    """Each word as UTF-8 and as JSON writes it (``\\u00f6``), longest first so a name goes before its parts."""
    import json

    found = set()
    for word in words:
        if word:
            found.add(word.encode("utf-8"))
            found.add(json.dumps(word)[1:-1].encode("ascii"))
    return sorted(found, key=len, reverse=True)


def mask_in_logs(paths: Iterable[Path], words: Iterable[str]) -> list[Path]:
    """Overwrite every mention of ``words`` (an id, a display name) with ``*``; the files changed."""
    needles = _needles(words)
    if not needles:
        return []
    changed = []
    for path in paths:
        try:
            if _mask(path, needles):
                changed.append(path)
        except OSError:
            continue  # a log that cannot be opened is left; the erasure's report does not claim it
    return changed


def _spans(data: bytes, needles: list[bytes]) -> list[tuple[int, int]]:
    """The byte ranges of every mention, overlapping ones merged."""
    spans = []
    for needle in needles:
        start = data.find(needle)
        while start != -1:
            spans.append((start, start + len(needle)))
            start = data.find(needle, start + 1)
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _mask(path: Path, needles: list[bytes]) -> bool:
    fd = os.open(path, os.O_RDWR)  # not O_APPEND: each mention is overwritten where it is
    try:
        with os.fdopen(os.dup(fd), "rb") as reader:
            data = reader.read()
        spans = _spans(data, needles)
        for start, end in spans:
            os.pwrite(fd, b"*" * (end - start), start)
        if spans:
            os.fsync(fd)
    finally:
        os.close(fd)
    return bool(spans)
