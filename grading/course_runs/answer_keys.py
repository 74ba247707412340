"""Release each module to learners without its answer keys; keep the keys in the course run.

nbgrader's ``generate_assignment`` copies every content file of
``source/<module>/`` into ``release/<module>/``; the exchange hands that folder
to the learners, and a learner's own server serves every file in it. So
between generating and releasing, :func:`keep_keys_apart` replaces each content
file that holds answer keys (which options are right, explanations, what counts
as right on a card: the ``KEY_PLACES`` of its exercise's content model) by its
learner copy, and keeps the keyed original as ``<run>/facit/<digest>.yml``,
where the learner's kernel finds it for immediate feedback
(``widgets.models.answer_keys``). Grading does not change: autograde copies the
source's keyed files over a submission before it runs the notebook.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from widgets.models.answer_keys import KEYS_DIRNAME, KEYS_ENV, key_places, learner_copy_text
from widgets.models.content import ContentError, load_yaml

if TYPE_CHECKING:  # pragma: no cover
    from grading.course_runs.run import CourseRun

__all__ = ["KEYS_DIRNAME", "KEYS_ENV", "keys_dir", "keys_env", "keep_keys_apart", "keep_fetched_keys_apart"]


def keys_dir(run: CourseRun) -> Path:
    """The run's folder of keyed originals, named by digest: ``<run>/facit``."""
    return run.root / KEYS_DIRNAME


def keys_env(run_dirs: Iterable[str | os.PathLike[str]]) -> dict[str, str]:
    """The ``answer_key_dirs`` setting, as an environment, for a server whose learner is in the runs ``run_dirs``: where their kernels read keys."""
    return {KEYS_ENV: os.pathsep.join(str(Path(run_dir) / KEYS_DIRNAME) for run_dir in run_dirs if run_dir)}


def keep_keys_apart(folder: str | os.PathLike[str], keys: str | os.PathLike[str]) -> list[Path]:
    """Replace each keyed content file in a module folder by its learner copy; the files replaced.

    ``folder`` holds ``module.yml`` (a released or fetched module); the keyed
    originals go to ``keys``. A file already a learner copy, or one without
    keys, is left as it is, so running this again changes nothing.
    """
    folder, keys = Path(folder), Path(keys)
    spec = load_yaml(folder / "module.yml")
    exercises = spec.get("exercises") if isinstance(spec, dict) else None
    replaced: list[Path] = []
    for exercise in exercises if isinstance(exercises, list) else []:
        if not isinstance(exercise, dict):
            continue
        content, places = exercise.get("content"), key_places(str(exercise.get("widget")))
        if not places or not isinstance(content, str) or Path(content).name != content:
            continue
        path = folder / content
        if not path.is_file():
            continue
        data = path.read_bytes()
        try:
            made = learner_copy_text(data, places)
        except (ValueError, UnicodeDecodeError) as exc:  # YAML errors are ValueErrors too
            raise ContentError(path, "", str(exc)) from None
        if made is None:
            continue
        text, digest = made
        # as readable as the content file was: a learner's kernel (on Kubernetes, another uid) reads the key
        mode = path.stat().st_mode & 0o777
        keys.mkdir(parents=True, exist_ok=True)
        original = keys / (digest.removeprefix("sha256:") + ".yml")
        if not original.is_file() or original.read_bytes() != data:
            _write(original, data, mode)
        _write(path, text.encode("utf-8"), mode)
        replaced.append(path)
    return replaced


def keep_fetched_keys_apart(run: CourseRun, module: str) -> list[Path]:
    """:func:`keep_keys_apart` in every learner's fetched copy of ``module`` (fetched before keys were kept apart)."""
    with run.gradebook() as gb:
        student_ids = [student.id for student in gb.students]
    replaced: list[Path] = []
    for student_id in student_ids:
        folder = run.notebook_path(student_id, module).parent
        if (folder / "module.yml").is_file():
            replaced += keep_keys_apart(folder, keys_dir(run))
    return replaced


def _write(path: Path, data: bytes, mode: int) -> None:
    """Whole or not at all: a temporary file beside ``path``, then a rename."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.fchmod(fd, mode)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
