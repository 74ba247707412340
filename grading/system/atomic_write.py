"""Files a reader never sees half written: written beside the target, then renamed over it.

An export, a study plan, an attendance list or a printout that fails midway (a
full disk, a folder that went away) must leave the old file or none, never half
a file that a course leader then mails on. Each caller names the error a person
gets, in its own words; the writing and the clean-up are the same everywhere.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from widgets.core.errors import CirkelError

__all__ = ["write_atomically"]


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_atomically(
    path: str | os.PathLike[str],
    content: bytes | Callable[[Path], object],
    failed: Callable[[Path, str], CirkelError],
) -> Path:
    """Write ``content`` (bytes, or a function that writes the file it is given) to ``path``.

    The temporary file is unique in the target's folder (two exports to one name
    never share it) and gets the mode any new file gets there, not ``mkstemp``'s
    owner-only one. An ``OSError`` becomes ``failed(target, reason)``; the
    temporary file never stays behind.
    """
    target = Path(path)
    try:
        fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
        os.close(fd)
        temporary = Path(name)
        try:
            if isinstance(content, bytes):
                temporary.write_bytes(content)
            else:
                content(temporary)
            os.chmod(temporary, 0o666 & ~_umask())
            os.replace(temporary, target)
        finally:
            with contextlib.suppress(FileNotFoundError):
                temporary.unlink()
    except OSError as exc:
        raise failed(target, exc.strerror or str(exc)) from None
    return target
