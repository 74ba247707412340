"""Answer keys kept apart from the learner's copy of a module. No ipywidgets.

A content file can hold what only grading and feedback may read: which quiz
options are right, the right technique of a härskarteknik card, the
explanation shown after an answer. The learner's server serves every file of
the learner's folder (``/files/...``, ``/api/contents/...``), so such a file is
released as a *learner copy*: the same content without its keys, with one more
top-level entry, ``facit: sha256:<digest>``, naming its keyed original by the
digest of its bytes. The keyed original stays in the course run
(``source/<module>/`` and ``<run>/facit/<digest>.yml``), outside every learner's
server root.

A loader (``load_keyed``) reads a learner copy's keyed original from the first
of these folders that holds it:

1. each folder of the ``answer_key_dirs`` setting (:mod:`widgets.core.settings`), told by
   whoever starts the learner's server in its environment: ``cirkel serve``, the hub's spawner, a
   Kubernetes pod's read-only mount;
2. ``facit/`` of the course run the file lies in, if it lies in one (released
   copies, submissions, the workspaces ``cirkel serve`` keeps inside the run).

A keyed file (the source, the autograded copy, the gallery) is read as it is.
"""

from __future__ import annotations

import copy
import hashlib
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import yaml

from widgets.core.i18n import t, yaml_data
from widgets.core.setting_env import FACIT_ENV
from widgets.models.content import ContentError, parse_yaml, read_text
from widgets.models.kinds import KINDS, resolve

__all__ = [
    "KEYS_ENV",
    "KEYS_DIRNAME",
    "MARKER",
    "KeysUnavailable",
    "key_places",
    "has_keys",
    "digest_of",
    "learner_copy",
    "learner_copy_text",
    "marker_digest",
    "key_dirs",
    "load_keyed",
]

#: The environment variable naming the folders that hold keyed originals (``CirkelSettings.answer_key_dirs``).
KEYS_ENV = FACIT_ENV
#: The folder of a course run that holds the keyed originals, named by digest.
KEYS_DIRNAME = "facit"
#: The top-level entry of a learner copy that names its keyed original.
MARKER = "facit"
#: The file that makes a folder a course run (``grading.course_runs.run.RUN_FILE``).
RUN_FILE = "cirkel-run.yml"
_DIGEST = re.compile(r"^sha256:([0-9a-f]{64})$")
#: The marker as :func:`learner_copy_text` writes it: a top-level line, so a copy is known unparsed.
_MARKER_LINE = re.compile(rf"^{MARKER}: (sha256:[0-9a-f]{{64}})$", re.MULTILINE)

#: Exercise widget -> where its content file holds its keys (``module:KEY_PLACES``), from ``widgets.models.kinds``.
_KEYED_MODELS = {kind.widget: kind.key_places for kind in KINDS.values() if kind.key_places}

Place = tuple[str, ...]


class KeysUnavailable(ContentError):
    """A learner copy whose keyed original is in none of the folders this process was told about."""

    def __init__(self, path: str | Path):
        super().__init__(path, MARKER, t("keys.unavailable"))


def key_places(widget: str) -> tuple[Place, ...]:
    """Where the keys are in the content of ``widget`` (``"*"``: every item of a list); none for most."""
    target = _KEYED_MODELS.get(widget)
    if target is None:
        return ()
    return tuple(resolve(target))


def _found(node: Any, place: Place) -> Iterator[tuple[dict[str, Any], str]]:
    """Every (mapping, key) that ``place`` names in ``node`` and that holds a value."""
    head, rest = place[0], place[1:]
    if head == "*":
        if isinstance(node, list):
            for item in node:
                yield from _found(item, rest)
        return
    if not isinstance(node, dict) or node.get(head) is None:
        return
    if rest:
        yield from _found(node[head], rest)
    else:
        yield node, head


def has_keys(raw: Any, places: Iterable[Place]) -> bool:
    """Whether parsed content holds a value at any of ``places``."""
    return any(next(_found(raw, place), None) is not None for place in places)


def digest_of(data: bytes) -> str:
    """The name a keyed original goes by: ``sha256:<hex>`` of its bytes."""
    return f"sha256:{hashlib.sha256(data).hexdigest()}"


def learner_copy(raw: dict[str, Any], places: Iterable[Place], digest: str) -> dict[str, Any]:
    """``raw`` without anything at ``places``, led by the marker naming its keyed original."""
    out = copy.deepcopy(raw)
    for place in places:
        for mapping, key in list(_found(out, place)):
            del mapping[key]
    return {MARKER: digest, **out}


def learner_copy_text(data: bytes, places: Iterable[Place]) -> tuple[str, str] | None:
    """(the learner copy as YAML text, the digest) of a keyed file's bytes; ``None`` if it holds no keys.

    The file was checked when the run was made; comments are not carried over
    (an author's comment may say what is right).
    """
    raw = yaml_data(data.decode("utf-8"))
    places = tuple(places)
    if not isinstance(raw, dict) or marker_digest(raw) or not has_keys(raw, places):
        return None
    digest = digest_of(data)
    body = yaml.safe_dump(learner_copy(raw, places, digest), allow_unicode=True, sort_keys=False, width=100)
    return f"# {t('keys.learner_copy_header')}\n{body}", digest


def marker_digest(raw: Any) -> str | None:
    """The digest a learner copy names, or ``None`` for any other content."""
    value = raw.get(MARKER) if isinstance(raw, dict) else None
    return value if isinstance(value, str) and _DIGEST.match(value) else None


def key_dirs(path: str | Path) -> list[Path]:
    """The folders to look for ``path``'s keyed original in, in order (see the module's docstring)."""
    from widgets.core.settings import cirkel_settings

    dirs = [Path(p) for p in cirkel_settings().answer_key_dirs]
    start = Path(path).resolve().parent
    for folder in (start, *start.parents):
        if (folder / RUN_FILE).is_file():
            dirs.append(folder / KEYS_DIRNAME)
            break
    return dirs


def load_keyed(path: str | Path) -> Any:
    """Parsed content of ``path``; for a learner copy, of its keyed original.

    Raises ``KeysUnavailable`` (a ``ContentError``) when the keyed original is in
    none of :func:`key_dirs`, and ``ContentError`` for a broken file. A learner
    copy is known by its marker line, so only the keyed original is parsed.
    """
    text = read_text(path)
    marked = _MARKER_LINE.search(text)
    if marked is None:
        raw = parse_yaml(text, path)
        digest = marker_digest(raw)  # a copy written some other way than learner_copy_text
        if digest is None:
            return raw
    else:
        digest = marked.group(1)
    name = digest.removeprefix("sha256:") + ".yml"
    for folder in key_dirs(path):
        candidate = folder / name
        try:
            data = candidate.read_bytes()
        except OSError:
            continue
        if digest_of(data) == digest:  # a file changed since release is not this copy's key
            return parse_yaml(data.decode("utf-8"), candidate)
    raise KeysUnavailable(path)
