"""Every export, plan, attendance list and printout is written whole or not at all (``grading.system.atomic_write``)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from grading.system.atomic_write import write_atomically
from widgets.core.errors import CirkelError

pytestmark = pytest.mark.unit


class Failed(CirkelError):
    pass


def _failed(where: Path, reason: str) -> Failed:
    return Failed(f"Kunde inte skriva {where.name}: {reason}")


def test_a_write_that_fails_midway_leaves_the_old_file_and_no_temporary_file(tmp_path):
    target = tmp_path / "klar.csv"
    target.write_text("gammal lista", encoding="utf-8")

    def half_then_full_disk(tmp: Path) -> None:
        tmp.write_text("halv", encoding="utf-8")
        raise OSError(28, "No space left on device")

    with pytest.raises(Failed, match="klar.csv: No space left on device"):
        write_atomically(target, half_then_full_disk, _failed)
    assert target.read_text(encoding="utf-8") == "gammal lista"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["klar.csv"]


def test_the_file_gets_the_mode_of_any_new_file_there_and_replaces_the_old(tmp_path):
    target = tmp_path / "plan.xlsx"
    target.write_bytes(b"old")
    old_mask = os.umask(0o027)
    try:
        assert write_atomically(target, b"new", _failed) == target
    finally:
        os.umask(old_mask)
    assert target.read_bytes() == b"new"
    assert target.stat().st_mode & 0o777 == 0o640  # not mkstemp's 0600, not wider than the umask allows
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.xlsx"]


def test_a_missing_folder_is_the_callers_error_not_a_traceback(tmp_path):
    with pytest.raises(Failed, match="lista.csv"):
        write_atomically(tmp_path / "finns-inte" / "lista.csv", b"x", _failed)
