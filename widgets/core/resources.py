"""Where Cirkel's own files are, from a repository checkout and from a normal install alike.

``pip install .`` puts the packages and their data (the app notebooks, the Voilà
template, the string tables, the hub's pages) in site-packages, and the course
content in the data package ``cirkel_courses`` (``courses/`` in git, see setup.py).
No path here is computed by walking up from a module's file into the repository:
a package's folder comes from the import system, which finds it without running it.

A checkout (``pyproject.toml`` beside the packages, as with ``pip install -e``)
keeps using its own ``courses/`` and its ``.cirkel/`` working folder, so that
every worktree reads its own course content.
"""

from __future__ import annotations

import functools
import importlib.util
import os
from pathlib import Path

__all__ = ["COURSES_PACKAGE", "checkout", "courses_folder", "data_folder", "package_folder"]

#: the data package holding the course content in an installed Cirkel
COURSES_PACKAGE = "cirkel_courses"


@functools.cache
def package_folder(name: str) -> Path:
    """The folder of the installed package ``name``, found without importing it."""
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError(name)
    return Path(next(iter(spec.submodule_search_locations))).resolve()


@functools.cache
def checkout() -> Path | None:
    """The repository this Cirkel runs from (an editable install or ``PYTHONPATH``), else ``None``."""
    root = package_folder("widgets").parent
    return root if (root / "pyproject.toml").is_file() and (root / "courses").is_dir() else None


def courses_folder() -> Path:
    """The folder of courses: the checkout's ``courses/``, or the installed ``cirkel_courses``."""
    root = checkout()
    return root / "courses" if root is not None else package_folder(COURSES_PACKAGE)


def data_folder() -> Path:
    """Where Cirkel keeps what it makes (the demo runs, the hub's folder).

    The checkout's ``.cirkel/``; installed, ``$XDG_DATA_HOME/cirkel`` (``~/.local/share/cirkel``),
    never site-packages.
    """
    root = checkout()
    if root is not None:
        return root / ".cirkel"
    return Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share") / "cirkel"
