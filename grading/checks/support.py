"""What every grading check shares: read saved answers, find content, scale points.

A check must never raise for a learner's missing or damaged answers and never
write to stderr (nbgrader gives 0 for any stderr output), so reading is done
once, here, the same way for every exercise.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from widgets.models.kinds import kind_for, resolve
from widgets.storage.answers import AnswerStore, UnreadableAnswer

__all__ = ["saved_data", "scaled", "content_path"]


def saved_data(exercise_id: str, kind: str, store: AnswerStore | None = None) -> dict[str, Any] | None:
    """The saved ``data`` of one exercise, or ``None`` if missing, unreadable or not what its kind writes.

    The data is checked by the kind's answer model (``widgets.models.kinds``, ``widgets.models.answers``),
    so a check never scores a hand-edited file whose shape its widget could not have written.
    The file is left untouched.
    """
    from pydantic import ValidationError

    store = store if store is not None else AnswerStore()
    try:
        saved = store.load(exercise_id, kind=kind, keep_aside=False)
    except (UnreadableAnswer, OSError, ValueError):
        return None
    if saved is None:
        return None
    entry = kind_for(kind)
    if entry is not None:
        try:
            resolve(entry.answer_model).model_validate(saved.data)
        except ValidationError:
            return None
    return saved.data


def scaled(share: float, points: float) -> float:
    """``share`` (clamped to 0..1) of ``points``, rounded to 2 decimals."""
    share = min(max(share, 0.0), 1.0)
    return round(share * points, 2)


def content_path(exercise_id: str, content: str | Path | None) -> Path:
    """The exercise's content file: as given, or ``<exercise_id>.yml`` beside the notebook."""
    return Path(content) if content is not None else Path(f"{exercise_id}.yml")
