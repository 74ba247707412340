"""Gallery files for the gallery tests (``tests/unit/test_gallery*.py``): a reflection's and a quiz's
entry with any field changed, written as YAML into a gallery folder."""

from __future__ import annotations

from pathlib import Path

import yaml

BANK = {
    "title": "Mötesroller",
    "attempts": 2,
    "retry_credit": 0.5,
    "questions": [
        {
            "id": "ordforande",
            "type": "single",
            "text": "Vem leder mötet?",
            "options": [{"text": "Mötesordföranden", "correct": True}, {"text": "Sekreteraren"}],
            "explanation": "Mötesordföranden leder mötet efter dagordningen.",
        }
    ],
}


def write(folder: Path, name: str, data: object) -> Path:
    path = folder / name
    path.write_text(data if isinstance(data, str) else yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def reflection_file(**changes: object) -> dict:
    entry = {
        "widget": "Reflection",
        "title": "Reflektion",
        "intro": "En fråga och en textruta.",
        "exercise_id": "reflektion",
        "options": {"prompt": "Vad tar du med dig?", "min_words": 5},
    }
    entry.update(changes)
    return {k: v for k, v in entry.items() if v is not None}


def quiz_file(**changes: object) -> dict:
    entry = {
        "widget": "MeetingRoleQuiz",
        "title": "Quiz",
        "intro": "Ett quiz.",
        "exercise_id": "quiz",
        "content": BANK,
    }
    entry.update(changes)
    return {k: v for k, v in entry.items() if v is not None}


def gallery_source(folder: Path) -> Path:
    """A gallery folder with two good files: a reflection and a quiz."""
    folder.mkdir()
    write(folder, "reflektion.yml", reflection_file())
    write(folder, "quiz.yml", quiz_file())
    return folder
