"""The versions of a module's text as the learner's page reads them (``textversioner.json``): pure data.

``grading.course.build`` writes the file and ``widgets.exercises.text_versions`` reads it; neither
needs the other's imports (the build no ipywidgets, the widget no grading).
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from widgets.core.i18n import t
from widgets.models.content import ContentError

__all__ = [
    "KIND",
    "SCHEMA",
    "STANDARD",
    "TEXT_VERSION_ID",
    "SETTING_IDS",
    "VERSIONS_FILE",
    "TextVersion",
    "load_versions",
    "dump_versions",
]

#: The answer record's kind.
KIND = "textversion"
#: The module's own text (``text.md``, ``module.yml``).
STANDARD = "standard"
#: The reserved answer-store id the choice is kept under.
TEXT_VERSION_ID = "textversion"

#: Ids of answer files that keep a learner's setting in the module, not an answer: the text
#: version they read (``widgets.exercises.text_versions``). No exercise may take them, and they alone do
#: not make a module started.
SETTING_IDS = frozenset({TEXT_VERSION_ID})
#: The file ``cirkel run create`` writes beside the notebook.
VERSIONS_FILE = "textversioner.json"
SCHEMA = 1


@dataclass(frozen=True)
class TextVersion:
    """One version of a module's text, as ``textversioner.json`` has it.

    Attributes
    ----------
    id:
        ``standard`` or the version's id (``lattlast``, ``en``).
    label:
        What the learner chooses it by.
    lang:
        The language of its text (``sv``, ``en``).
    html:
        The module's description, text and samtalsfrågor in this version, as HTML
        (empty for the standard version: the notebook's own cells show it).
    prompts:
        The reflection prompts in this version, by exercise id.
    """

    id: str
    label: str
    lang: str
    html: str = ""
    prompts: dict[str, str] = field(default_factory=dict)


def load_versions(path: str | os.PathLike[str] = VERSIONS_FILE) -> list[TextVersion]:
    """The versions in ``textversioner.json``; a ``ContentError`` naming the file and place if it is unusable."""
    path = Path(path)
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ContentError(path, "", t("content.missing_file")) from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ContentError(path, "", t("textversion.unreadable", reason=str(exc))) from None
    items = record.get("versions") if isinstance(record, dict) else None
    if not isinstance(items, list) or not items:
        raise ContentError(path, "versions", t("content.missing_key", key="versions"))
    versions: list[Any] = []
    for i, item in enumerate(items, start=1):
        where = f"versions[{i}]"
        try:
            version = TextVersion(
                id=_text(item["id"]),
                label=_text(item["label"]),
                lang=_text(item["lang"]),
                html=str(item.get("html") or ""),
                prompts={str(k): str(v) for k, v in (item.get("prompts") or {}).items()},
            )
        except (KeyError, TypeError, ValueError, AttributeError):
            raise ContentError(path, where, t("textversion.bad_version")) from None
        if version.id in [v.id for v in versions]:
            raise ContentError(path, where, t("course.duplicate", id=version.id))
        versions.append(version)
    if versions[0].id != STANDARD:
        raise ContentError(path, "versions[1]", t("textversion.standard_first"))
    return versions


def _text(value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError(value)
    return value.strip()


def dump_versions(module: str, versions: Sequence[TextVersion]) -> str:
    """``textversioner.json`` for ``module``'s versions (the standard one first), as ``load_versions`` reads it."""
    record = {"schema": SCHEMA, "module": module, "versions": [asdict(v) for v in versions]}
    return json.dumps(record, ensure_ascii=False, indent=1) + "\n"
