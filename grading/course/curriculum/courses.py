"""Where the courses are: every folder with a ``course.yml`` under ``courses/`` (or another folder)."""

from __future__ import annotations

from pathlib import Path

from grading.course.loading import Course, load_course
from widgets.core.resources import courses_folder

#: The repository's courses: ``courses/`` beside the ``grading`` package.
DEFAULT_COURSES = courses_folder()


def discover_courses(root: str | Path = DEFAULT_COURSES) -> list[Path]:
    """The course folders under ``root`` (each folder with a ``course.yml``), by name.

    ``root`` may also be one course's own folder.
    """
    root = Path(root)
    if (root / "course.yml").is_file():
        return [root]
    if not root.is_dir():
        return []
    return sorted(p for p in root.iterdir() if p.is_dir() and (p / "course.yml").is_file())


def load_courses(root: str | Path = DEFAULT_COURSES) -> list[Course]:
    """Every course under ``root``, loaded and checked by ``grading.course.loading.load_course``."""
    return [load_course(path) for path in discover_courses(root)]
