"""``cirkel courses schema``: JSON Schema for course authors, generated from the content models.

An author's editor (VS Code with the YAML extension, say) can check
``course.yml``, ``module.yml`` and every bank, plan and scenario file as it is
typed, from the same models the course loader uses (``widgets.models.course``,
``widgets.models.exercise_content``, ``widgets.models.answers``). The files are
committed in ``docs/schema/``; a test keeps them equal to what this module makes.
Their titles are in Swedish from the string table; pydantic's English titles and
the models' docstrings are left out, since an author reads them.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from widgets.core.i18n import t
from widgets.models.kinds import KINDS, resolve

__all__ = ["DEFAULT_OUT", "schemas", "write_schemas", "add_schema_command"]

#: Where the schemas are committed, relative to the repository (the command's working folder).
DEFAULT_OUT = Path("docs") / "schema"
_SUBSCHEMAS = ("properties", "$defs", "patternProperties")
_SCHEMA_LISTS = ("anyOf", "allOf", "oneOf", "prefixItems")


def _models() -> dict[str, tuple[Any, str]]:
    """File name -> (model, its Swedish title)."""
    from widgets.models.answers import AnswerRecord
    from widgets.models.course import CourseFile, ModuleFile

    found: dict[str, tuple[Any, str]] = {
        "course.json": (CourseFile, t("schema.course")),
        "module.json": (ModuleFile, t("schema.module")),
        "answer-record.json": (AnswerRecord, t("schema.answer_record")),
    }
    for kind in KINDS.values():
        if kind.content_schema:
            found[f"content.{kind.answer_kind}.json"] = (
                resolve(kind.content_schema),
                t("schema.content", widget=kind.widget),
            )
        found[f"answer.{kind.answer_kind}.json"] = (resolve(kind.answer_model), t("schema.answer", widget=kind.widget))
    return found


def _clean(node: Any) -> Any:
    """A schema without pydantic's English ``title`` and ``description`` (the models' docstrings)."""
    if isinstance(node, list):
        return [_clean(item) for item in node]
    if not isinstance(node, dict):
        return node
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key in ("title", "description"):
            continue
        if key in _SUBSCHEMAS and isinstance(value, dict):
            out[key] = {name: _clean(sub) for name, sub in value.items()}
        elif key in _SCHEMA_LISTS or isinstance(value, dict):
            out[key] = _clean(value)
        else:
            out[key] = value
    return out


def schemas() -> dict[str, str]:
    """Every schema file's name and text (JSON, keys in the models' order, a newline at the end)."""
    out: dict[str, str] = {}
    for name, (model, title) in _models().items():
        schema = {
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "title": title,
            **_clean(model.model_json_schema(by_alias=True)),
        }
        out[name] = json.dumps(schema, ensure_ascii=False, indent=2) + "\n"
    return out


def write_schemas(out: str | Path = DEFAULT_OUT) -> list[Path]:
    """Write every schema into ``out`` (made if missing); returns the files written."""
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in schemas().items():
        path = folder / name
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


def add_schema_command(courses_subparsers: Any) -> None:
    """``cirkel courses schema [--out MAPP]``."""
    p = courses_subparsers.add_parser("schema", help=t("schema.cli.help"), description=t("schema.cli.help"))
    p.add_argument("--out", metavar="MAPP", default=str(DEFAULT_OUT), help=t("schema.cli.arg_out"))
    p.set_defaults(handler=command_schema)


def command_schema(args: argparse.Namespace) -> int:
    """Write the schemas; a folder that cannot be written is said in Swedish (``ContentError``)."""
    from widgets.models.content import ContentError

    try:
        written = write_schemas(args.out)
    except OSError as exc:
        raise ContentError(args.out, "", t("schema.cli.write_failed", reason=exc.strerror or str(exc))) from None
    print(t("schema.cli.done", count=len(written), path=str(args.out)), flush=True)
    return 0
