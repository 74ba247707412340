"""Where the hub keeps its files: one small module, so the access log and erasure find the
hub's folder without importing the hub's whole configuration."""

from __future__ import annotations

import os
from pathlib import Path

from widgets.core.resources import data_folder

__all__ = ["hub_dir", "accounts_file"]


def hub_dir(path: str | os.PathLike[str] | None = None) -> Path:
    """The hub's data folder: ``path``, else the ``hub_dir`` setting, else ``hub`` in Cirkel's data folder.

    The data folder is the checkout's ``.cirkel/``, or ``~/.local/share/cirkel`` when installed.
    """
    from widgets.core.settings import hub_settings  # the cirkel command's --help loads no traitlets

    return Path(path or hub_settings().hub_dir or data_folder() / "hub").resolve()


def accounts_file(folder: str | os.PathLike[str] | None = None) -> Path:
    """The accounts SQLite file inside the hub folder."""
    return hub_dir(folder) / "konton.sqlite"
