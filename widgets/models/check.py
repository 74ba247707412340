"""Content checked by pydantic models, with Swedish messages that name the file, the line and the field.

A course author reads "Fel i courses/x/05/module.yml, rad 12, fält `minutes`:
ska vara ett heltal", never pydantic's English: each error type is a key of
the string table (``content.model.<type>``), and a model's own rule raises
:func:`problem` with a key of its own. The line comes from the YAML composer's
marks, so the message points where the author must look.
"""

from __future__ import annotations

import types
import typing
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError
from pydantic_core import PydanticCustomError

from widgets.core.i18n import SAFE_LOADER, strings_for, t
from widgets.models.content import ContentError, place

__all__ = ["ContentModel", "OpenModel", "Source", "problem", "validate", "model_error", "line_at"]

M = TypeVar("M", bound=BaseModel)


class ContentModel(BaseModel):
    """A part of a content file: strict (``yes`` is not a number) and refusing unknown keys (typos)."""

    model_config = ConfigDict(strict=True, extra="forbid", frozen=True, defer_build=True)


class OpenModel(BaseModel):
    """A part whose other keys are read elsewhere (``module.yml``'s text versions), so are let through."""

    model_config = ConfigDict(strict=True, extra="allow", frozen=True, defer_build=True)


class Source(ContentModel):
    """Where in the strategy document the content comes from.

    Here rather than in ``widgets.models.exercise_content`` (which names it too), so that
    the quiz bank, the only model most modules load, does not build every kind's models.
    """

    part: str = ""
    section: str = ""


def problem(message: str, /, *at: str | int, **values: Any) -> PydanticCustomError:
    """A model's own rule broken: ``message`` (a key of the string table), at the place ``at`` below the model."""
    return PydanticCustomError("cirkel", "{message}", {"message": message, "at": at, **values})


def validate(
    model: type[M],
    raw: Any,
    path: str | Path,
    *,
    context: dict[str, Any] | None = None,
    at: tuple[str | int, ...] = (),
    lines: bool = True,
) -> M:
    """``raw`` (read from the YAML file ``path``, at the place ``at`` in it) as ``model``.

    Raises a ``ContentError`` naming the line and the field. ``lines=False`` when ``raw``
    is not that file's text as it stands (a learner copy read through its keyed original):
    the caller then finds the line (``grading.course.content_check``).
    """
    try:
        return model.model_validate(raw, context=context)
    except ValidationError as exc:
        raise model_error(exc, model, path, at=at, lines=lines) from None


def model_error(
    exc: ValidationError,
    model: type[BaseModel],
    path: str | Path,
    *,
    at: tuple[str | int, ...] = (),
    lines: bool = True,
) -> ContentError:
    """The first of pydantic's errors as a Swedish ``ContentError`` with the file's line when it can be found."""
    errors = exc.errors(include_url=False)
    # an unknown key first, as a typo ("typ:") also makes its right key ("type") missing
    error = next((e for e in errors if e["type"] == "extra_forbidden"), errors[0])
    ctx = dict(error.get("ctx") or {})
    tags = _model_names(model)
    loc = tuple(part for part in error["loc"] if not _union_tag(part, tags))
    kind = error["type"]
    if kind == "cirkel":
        loc += tuple(ctx.pop("at", ()))
        message = t(ctx.pop("message"), **ctx)
    elif kind == "extra_forbidden":
        message = t("content.unknown_key", key=loc[-1], allowed=", ".join(_allowed(model, loc[:-1])))
    elif kind == "missing":
        message = t("content.missing_key", key=loc[-1] if loc else "")
    elif kind == "literal_error":
        message = t("content.model.literal_error", expected=ctx.get("expected", ""))
    else:
        key = f"content.model.{kind}"
        message = t(key, **ctx) if _known(key) else t("content.model.other")
    where = place(*at, *loc)
    line = line_at(path, (*at, *loc)) if lines else None
    return ContentError(path, where, message, line=line, field=line is not None)


def _union_tag(part: Any, models: set[str]) -> bool:
    """A part of pydantic's place that names a member of a union (``str``, ``PresetTask``), not a key."""
    if not isinstance(part, str):
        return False
    return part in models or part in ("str", "int", "float", "bool", "list", "dict", "none") or "[" in part


def _model_names(model: Any, seen: set[str] | None = None) -> set[str]:
    """The names of ``model`` and of every model its fields hold (pydantic's tags for union members)."""
    seen = set() if seen is None else seen
    stack = [model]
    while stack:
        node = stack.pop()
        if isinstance(node, type) and issubclass(node, BaseModel):
            if node.__name__ in seen:
                continue
            seen.add(node.__name__)
            stack += [field.annotation for field in node.model_fields.values()]
        else:
            stack += list(typing.get_args(node))
    return seen


def _known(key: str) -> bool:
    """Whether the string table has ``key`` (Swedish is complete; ``t`` raises for an unknown key)."""
    return key in strings_for("sv")


def _allowed(model: Any, loc: tuple[Any, ...]) -> list[str]:
    """The keys the model allows at ``loc`` (for "is not a known key here")."""
    node = model
    for part in loc:
        node = _inner(node)
        if isinstance(node, type) and issubclass(node, BaseModel) and isinstance(part, str):
            field = node.model_fields.get(part)
            node = field.annotation if field else None
        elif typing.get_origin(node) in (list, tuple) and isinstance(part, int):
            node = typing.get_args(node)[0]
        elif typing.get_origin(node) is dict:
            node = typing.get_args(node)[1]
    node = _inner(node)
    if isinstance(node, type) and issubclass(node, BaseModel):
        return [field.alias or name for name, field in node.model_fields.items()]
    return []


def _inner(node: Any) -> Any:
    """``X`` of ``X | None`` and of ``Annotated[X, ...]``."""
    while True:
        origin = typing.get_origin(node)
        if origin is typing.Annotated:
            node = typing.get_args(node)[0]
        elif origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(node) if a is not type(None)]
            node = args[0] if len(args) == 1 else node
            if len(args) != 1:
                return node
        else:
            return node


def line_at(path: str | Path, loc: tuple[Any, ...]) -> int | None:
    """The line (from 1) of the place ``loc`` (``("exercises", 2, "points")``) in the YAML file ``path``.

    The deepest part that exists is used (a missing key: the line of the mapping
    that lacks it). ``None`` when the file cannot be read or parsed.
    """
    try:
        node = yaml.compose(Path(path).read_text(encoding="utf-8"), Loader=SAFE_LOADER)
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return None
    if node is None:
        return None
    line = node.start_mark.line + 1
    for part in loc:
        if isinstance(part, int) and isinstance(node, yaml.SequenceNode) and 0 <= part < len(node.value):
            node = node.value[part]
            line = node.start_mark.line + 1
        elif isinstance(node, yaml.MappingNode):
            pair = next(((k, v) for k, v in node.value if k.value == str(part)), None)
            if pair is None:
                break
            node, line = pair[1], pair[0].start_mark.line + 1  # the key's line
        else:
            break
    return line
