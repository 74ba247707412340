"""Reading course content (YAML beside a module) with errors a course author can act on.

Content is data: question banks, plan prompts and module descriptions are
written by people who do not program. When something is wrong, the message
names the file, the place in it and what is wrong, in the one string table.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml

from widgets.core.errors import CirkelError
from widgets.core.i18n import SAFE_LOADER, t

__all__ = [
    "ContentError",
    "read_text",
    "load_yaml",
    "parse_yaml",
    "require",
    "optional",
    "given",
    "reject_unknown",
    "place",
]


class ContentError(CirkelError, ValueError):
    """A content file that cannot be used; the message says where and why."""

    def __init__(self, path: str | Path, where: str, problem: str, *, line: int | None = None, field: bool = False):
        self.path = Path(path)
        self.where = where
        self.problem = problem
        self.line = line  # the line in the file, when known (a YAML syntax error)
        #: ``where`` is a field (``exercises[2].points``) found by a content model, at ``line``.
        self.field = field and line is not None
        if self.field:
            message = t("content.field_error", path=str(path), line=line, field=where, problem=problem)
        else:
            message = t("content.error", path=str(path), where=where or "–", problem=problem)
        super().__init__(message)


def read_text(path: str | Path) -> str:
    """A content file's text; a missing or non-UTF-8 file becomes a ``ContentError``."""
    path = Path(path)
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ContentError(path, "", t("content.missing_file")) from None
    except UnicodeDecodeError:
        raise ContentError(path, "", t("content.not_utf8")) from None


def load_yaml(path: str | Path) -> Any:
    """Parse a YAML file; syntax errors become a ``ContentError`` with line and column."""
    return parse_yaml(read_text(path), path)


def parse_yaml(text: str, path: str | Path) -> Any:
    """Parse the YAML ``text`` of the file ``path``; syntax errors become a ``ContentError``."""
    try:
        return yaml.load(text, Loader=SAFE_LOADER)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        where = t("content.line", line=mark.line + 1, column=mark.column + 1) if mark else ""
        line = mark.line + 1 if mark else None
        raise ContentError(path, where, t("content.yaml_syntax", detail=exc.problem or str(exc)), line=line) from None
    except yaml.YAMLError as exc:
        raise ContentError(path, "", t("content.yaml_syntax", detail=str(exc))) from None


def place(*parts: str | int) -> str:
    """A readable place in a YAML tree: ``questions[3].options``."""
    out = ""
    for part in parts:
        if isinstance(part, int):
            out += f"[{part + 1}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def require(mapping: Any, key: str, kind: type | tuple[type, ...], path: str | Path, *where: str | int) -> Any:
    """``mapping[key]`` if present and of ``kind``, else a ``ContentError`` naming the place."""
    if not isinstance(mapping, dict):
        raise ContentError(path, place(*where), t("content.not_mapping"))
    if key not in mapping or mapping[key] is None:
        raise ContentError(path, place(*where, key), t("content.missing_key", key=key))
    value = mapping[key]
    kinds = kind if isinstance(kind, tuple) else (kind,)
    # Python counts bool as int, but ``points: yes`` is an author's mistake worth naming.
    if not isinstance(value, kinds) or (isinstance(value, bool) and bool not in kinds):
        raise ContentError(path, place(*where, key), t("content.wrong_type", key=key, expected=_kind_name(kind)))
    return value


def optional(
    mapping: dict[str, Any], key: str, kind: type | tuple[type, ...], default: Any, path: str | Path, *where: str | int
) -> Any:
    """``mapping[key]`` if given (and of ``kind``, as ``require`` checks), else ``default``."""
    if mapping.get(key) is None:
        return default
    return require(mapping, key, kind, path, *where)


def given(mapping: dict[str, Any], key: str, default: Any) -> Any:
    """``mapping[key]``, or ``default`` when it is missing or null (a content model has checked its type)."""
    value = mapping.get(key)
    return default if value is None else value


def reject_unknown(mapping: dict[str, Any], allowed: Iterable[str], path: str | Path, *where: str | int) -> None:
    """Raise a ``ContentError`` for a key the format does not know (usually a typo)."""
    allowed = list(allowed)
    for key in mapping:
        if key not in allowed:
            raise ContentError(
                path, place(*where, str(key)), t("content.unknown_key", key=key, allowed=", ".join(allowed))
            )


def _kind_name(kind: type | tuple[type, ...]) -> str:
    kinds = kind if isinstance(kind, tuple) else (kind,)
    names = {str: "text", int: "number", float: "number", list: "list", dict: "mapping", bool: "yes/no"}
    return " / ".join(t(f"content.kind.{names.get(k, 'text')}") for k in kinds)
