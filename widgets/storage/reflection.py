"""A reflection's saved text and its word count: pure, for the widget and for grading.

``grading`` reads reflections (to show them in formgrader) without importing
ipywidgets, so the reading lives here rather than in ``reflection.py``.
"""

from __future__ import annotations

import re

from widgets.storage.answers import AnswerStore, UnreadableAnswer

__all__ = ["KIND", "count_words", "reflection_text"]

KIND = "reflection"
_WORD = re.compile(r"\w+(?:[-'’]\w+)*")


def count_words(text: str) -> int:
    """Words as a reader counts them: ``medlems-möte`` is one word, ``–`` and ``...`` are none."""
    return len(_WORD.findall(text))


def reflection_text(exercise_id: str, store: AnswerStore | None = None) -> str:
    """The learner's saved reflection, or ``""`` if there is none or the file is damaged.

    Reads without side effects: a damaged file is left where it is.
    """
    store = store if store is not None else AnswerStore()
    try:
        saved = store.load(exercise_id, kind=KIND, keep_aside=False)
    except (UnreadableAnswer, OSError):
        return ""
    if saved is None:
        return ""
    text = saved.data.get("text")
    return text if isinstance(text, str) else ""
