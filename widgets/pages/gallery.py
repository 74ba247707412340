"""The widget gallery: every exercise widget on one page, with sample content, for course authors.

A course author who wants to know what a widget does, and what its content
file looks like, opens the gallery app (``voila_apps/galleri.ipynb``) and tries
each widget. Each widget has one gallery file, ``voila_apps/galleri/<exercise_id>.yml``::

    widget: MeetingRoleQuiz          # a class exported by the ``widgets`` package
    title: Mötesroller               # the section's heading (h2)
    intro: En eller två meningar om vad övningen är till för och var i dokumentet den kommer från.
    exercise_id: motesroller         # must equal the file name; names the answer file
    content: {...}                   # the widget's content, as in a module's content file, or
    content_file: ../../courses/...  # a content file elsewhere (relative to this file), or
    options: {prompt: ...}           # keyword arguments for a widget without a content file

The gallery works like a module folder: it prepares a working folder (by
default ``~/.cirkel/galleri``, or the ``gallery_dir`` setting), writes each inline
``content`` there as ``<exercise_id>.yml`` (or ``.md`` for text), copies the
other files beside the gallery files (a CSV a content refers to, say) and
keeps the answers in its ``svar/``, so a page reload finds them again. Widgets
are built with that folder as the working directory, exactly as a module
notebook builds them. A gallery file that is wrong shows a plain message where
its widget would be; the other widgets are still shown.
"""

from __future__ import annotations

import contextlib
import html
import importlib
import os
import shutil
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import ipywidgets as ipw
import yaml
from traitlets import Dict, Int, List, Unicode

from widgets.core.i18n import t
from widgets.core.resources import package_folder
from widgets.kit import controls as ui
from widgets.kit.exercise import Exercise
from widgets.models.content import ContentError, load_yaml, optional, place, reject_unknown, require
from widgets.models.kinds import KINDS
from widgets.storage.answers import AnswerStore, validate_exercise_id

__all__ = [
    "DEFAULT_SOURCE",
    "GalleryEntry",
    "Gallery",
    "gallery_dir",
    "discover",
    "exercise_classes",
    "load_entry",
    "prepare_workdir",
    "build_widget",
]

#: The gallery files: package data of the apps (found, never imported: widgets is the lower layer).
DEFAULT_SOURCE = package_folder("voila_apps") / "galleri"
ANSWERS_DIRNAME = "svar"
_ENTRY_KEYS = ("widget", "title", "intro", "exercise_id", "content", "content_file", "options")
_RESERVED_OPTIONS = ("exercise_id", "store")
# Links inside a widget's HTML get no link styling from the page; a sighted reader must see them as links.
_LINK_STYLE = "color: var(--cirkel-accent, #a3001b); text-decoration: underline"


def gallery_dir() -> Path:
    """The gallery's working folder: the ``gallery_dir`` setting or ``~/.cirkel/galleri``.

    Never inside the repository, so trying the gallery leaves no answers in git;
    stable, so answers survive a page reload and a new kernel.
    """
    from widgets.core.settings import cirkel_settings

    env = cirkel_settings().gallery_dir
    return Path(env).expanduser() if env else Path.home() / ".cirkel" / "galleri"


@dataclass(frozen=True)
class GalleryEntry:
    """One validated gallery file."""

    path: Path
    widget: str
    title: str
    intro: str
    exercise_id: str
    content: Any = None
    content_file: Path | None = None
    options: dict[str, Any] = field(default_factory=dict)

    @property
    def anchor(self) -> str:
        """The id of the section's heading, for the table of contents."""
        return f"galleri-{self.exercise_id}"

    @property
    def content_name(self) -> str | None:
        """The file name inline ``content`` gets in the working folder; ``None`` without it."""
        if self.content is None:
            return None
        return f"{self.exercise_id}.md" if isinstance(self.content, str) else f"{self.exercise_id}.yml"


def discover(source: str | os.PathLike[str] = DEFAULT_SOURCE) -> list[Path]:
    """The gallery files (``*.yml`` directly in ``source``), in file-name order."""
    folder = Path(source)
    if not folder.is_dir():
        return []
    return sorted((p for p in folder.glob("*.yml") if p.is_file()), key=lambda p: p.name)


def exercise_classes() -> dict[str, type[Exercise]]:
    """The exercise widgets of the registry (``widgets.models.kinds``), by class name.

    A module that cannot be imported right now is left out rather than
    taking the whole gallery down; ``load_entry`` names it if it is asked for.
    """
    found: dict[str, type[Exercise]] = {}
    for name in KINDS:
        try:
            found[name] = _kind_class(name)
        except Exception:  # noqa: BLE001 - one broken module must not hide the others
            continue
    return found


def _kind_class(name: str) -> type[Exercise]:
    obj = getattr(importlib.import_module(KINDS[name].module), name)
    if not (isinstance(obj, type) and issubclass(obj, Exercise)):
        raise TypeError(name)
    return obj


def _widget_class(name: str, path: Path) -> type[Exercise]:
    if name in KINDS:
        try:
            return _kind_class(name)
        except Exception as exc:  # noqa: BLE001 - reported to the author, never a traceback
            raise ContentError(
                path, "widget", t("gallery.widget_import_failed", widget=name, reason=_reason(exc))
            ) from None
    known = ", ".join(sorted(exercise_classes()))
    raise ContentError(path, "widget", t("gallery.unknown_widget", widget=name, known=known))


def load_entry(path: str | os.PathLike[str]) -> GalleryEntry:
    """Read and check one gallery file; a ``ContentError`` names the file, the place and the problem."""
    path = Path(path)
    data = load_yaml(path)
    if not isinstance(data, dict):
        raise ContentError(path, "", t("content.not_mapping"))
    reject_unknown(data, _ENTRY_KEYS, path)
    widget = require(data, "widget", str, path).strip()
    title = require(data, "title", str, path).strip()
    intro = require(data, "intro", str, path).strip()
    exercise_id = require(data, "exercise_id", str, path).strip()
    for key, value in (("widget", widget), ("title", title), ("intro", intro)):
        if not value:
            raise ContentError(path, key, t("content.missing_key", key=key))
    try:
        validate_exercise_id(exercise_id)
    except ValueError as problem:
        raise ContentError(path, "exercise_id", str(problem)) from None
    if exercise_id != path.stem:
        raise ContentError(path, "exercise_id", t("gallery.id_not_file_name", exercise_id=exercise_id, stem=path.stem))
    cls = _widget_class(widget, path)

    content = data.get("content")
    content_file = optional(data, "content_file", str, None, path)
    options = optional(data, "options", dict, {}, path)
    if content is not None and content_file is not None:
        raise ContentError(path, "content_file", t("gallery.content_twice"))
    if content is not None and not isinstance(content, (dict, list, str)):
        raise ContentError(path, "content", t("gallery.bad_content"))
    for key in options:
        if not isinstance(key, str) or not key.isidentifier() or key.startswith("_"):
            raise ContentError(path, place("options", str(key)), t("gallery.bad_option", key=key))
        if key in _RESERVED_OPTIONS:
            raise ContentError(path, place("options", key), t("gallery.reserved_option", key=key))
    has_content = content is not None or content_file is not None
    if has_content and not hasattr(cls, "from_file"):
        raise ContentError(path, "content", t("gallery.no_content_file", widget=widget))
    resolved: Path | None = None
    if content_file is not None:
        resolved = (path.parent / content_file).resolve()
        if not resolved.is_file():
            raise ContentError(path, "content_file", t("gallery.content_file_missing", file=content_file))
    return GalleryEntry(
        path=path,
        widget=widget,
        title=title,
        intro=intro,
        exercise_id=exercise_id,
        content=content,
        content_file=resolved,
        options=dict(options),
    )


def prepare_workdir(
    entries: Sequence[GalleryEntry], source: str | os.PathLike[str], workdir: str | os.PathLike[str]
) -> Path:
    """Make ``workdir`` a module-like folder: content files, their sibling files and ``svar/``.

    Content is written fresh from the gallery files each time (so an edited
    sample shows at the next load); answers in ``svar/`` are never touched.
    Files are replaced atomically, so two gallery pages opening at once never
    read half a file.
    """
    source, workdir = Path(source), Path(workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    (workdir / ANSWERS_DIRNAME).mkdir(exist_ok=True)
    gallery_files = set(discover(source))
    if source.is_dir():
        for item in sorted(source.iterdir()):
            if item in gallery_files or item.name.startswith("."):
                continue
            if item.is_dir():
                shutil.copytree(item, workdir / item.name, dirs_exist_ok=True)
            elif item.is_file():
                _write_if_changed(workdir / item.name, item.read_bytes())
    for entry in entries:
        if entry.content_name is None:
            continue
        if isinstance(entry.content, str):
            text = entry.content
        else:
            text = yaml.safe_dump(entry.content, allow_unicode=True, sort_keys=False)
        _write_if_changed(workdir / entry.content_name, text.encode("utf-8"))
    return workdir


def _write_if_changed(path: Path, payload: bytes) -> None:
    try:
        if path.read_bytes() == payload:
            return
    except OSError:
        pass
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(payload)
        os.replace(tmp_name, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp_name)
        raise


def build_widget(entry: GalleryEntry, workdir: str | os.PathLike[str], store: AnswerStore) -> Exercise:
    """Build the entry's widget with ``workdir`` as the working directory, as a module notebook would."""
    cls = _widget_class(entry.widget, entry.path)
    with contextlib.chdir(workdir):
        if entry.content_file is not None:
            return cls.from_file(entry.content_file, exercise_id=entry.exercise_id, store=store, **entry.options)
        if entry.content_name is None:
            return cls(exercise_id=entry.exercise_id, store=store, **entry.options)
        try:
            return cls.from_file(entry.content_name, exercise_id=entry.exercise_id, store=store, **entry.options)
        except ContentError as problem:
            if problem.path.name != entry.content_name:
                raise
            # The author wrote this content in the gallery file: point there, not at the working copy.
            where = place("content", *problem.where.split(".")) if problem.where else "content"
            raise ContentError(entry.path, where, problem.problem) from None


def _reason(exc: BaseException) -> str:
    return getattr(exc, "strerror", None) or str(exc) or type(exc).__name__


class Gallery(ui.VBox):
    """The gallery page: a heading, a table of contents and one section per widget.

    Parameters
    ----------
    source
        The folder of gallery files; the apps' ``voila_apps/galleri`` (package data) by default.
    workdir
        The working folder for content and answers; ``gallery_dir()`` by default.
    """

    source = Unicode(help="The folder of gallery files.")
    workdir = Unicode(help="The working folder: content files and the answers in svar/.")
    shown = List(Unicode(), read_only=True, help="Exercise ids of the widgets shown, in page order.")
    problems = Dict(read_only=True, help="Gallery file name -> the message shown instead of its widget.")
    count = Int(0, read_only=True, help="Gallery files found.")

    def __init__(
        self,
        source: str | os.PathLike[str] | None = None,
        workdir: str | os.PathLike[str] | None = None,
        **kwargs: Any,
    ):
        super().__init__(**kwargs)
        self.source = str(Path(source) if source is not None else DEFAULT_SOURCE)
        self.workdir = str(Path(workdir) if workdir is not None else gallery_dir())
        self.exercises: dict[str, Exercise] = {}
        self.add_class("cirkel-gallery")
        self._build()

    def _build(self) -> None:
        header = (
            f'<h1 class="cirkel-gallery-title">{html.escape(t("gallery.title"))}</h1>'
            f'<p class="cirkel-gallery-intro">{html.escape(t("gallery.intro"))}</p>'
        )
        paths = discover(self.source)
        self.set_trait("count", len(paths))
        if not paths:
            self.children = [_html(header + _alert(t("gallery.none_found", folder=self.source)))]
            return
        entries: list[GalleryEntry] = []
        problems: dict[str, str] = {}
        for path in paths:
            try:
                entries.append(load_entry(path))
            except ContentError as problem:
                problems[path.name] = str(problem)
        try:
            workdir = prepare_workdir(entries, self.source, self.workdir)
        except OSError as exc:
            self.set_trait("problems", problems)
            message = t("gallery.workdir_failed", folder=self.workdir, reason=_reason(exc))
            self.children = [_html(header + _alert(message))]
            return
        store = AnswerStore(workdir / ANSWERS_DIRNAME)

        sections: list[ipw.Widget] = []
        toc: list[tuple[str, str]] = []
        by_name = {entry.path.name: entry for entry in entries}
        shown: list[str] = []
        for path in paths:
            entry = by_name.get(path.name)
            if entry is None:
                anchor = f"galleri-fil-{path.stem}"
                toc.append((anchor, path.name))
                sections.append(_section(_heading(anchor, path.name) + _alert(problems[path.name])))
                continue
            toc.append((entry.anchor, entry.title))
            head = (
                _heading(entry.anchor, entry.title)
                + f'<p class="cirkel-gallery-entry-intro">{html.escape(entry.intro)}</p>'
            )
            head += f'<p class="cirkel-gallery-usage">{html.escape(t("gallery.usage", widget=entry.widget))}</p>'
            try:
                widget = build_widget(entry, workdir, store)
            except ContentError as problem:
                problems[path.name] = str(problem)
                sections.append(_section(head + _alert(str(problem))))
                continue
            except Exception as exc:  # noqa: BLE001 - a broken widget is one message, never a traceback
                problems[path.name] = t("gallery.widget_failed", widget=entry.widget, reason=_reason(exc))
                sections.append(_section(head + _alert(problems[path.name])))
                continue
            self.exercises[entry.exercise_id] = widget
            shown.append(entry.exercise_id)
            sections.append(_section(head, widget, exercise_id=entry.exercise_id))
        self.set_trait("problems", problems)
        self.set_trait("shown", shown)
        items = "".join(
            f'<li><a href="#{html.escape(a)}" style="{_LINK_STYLE}">{html.escape(title)}</a></li>' for a, title in toc
        )
        label = html.escape(t("gallery.toc"))
        nav = (
            f'<nav class="cirkel-gallery-toc" aria-labelledby="galleri-innehall">'
            f'<h2 id="galleri-innehall">{label}</h2><ul>{items}</ul></nav>'
        )
        self.children = [_html(header + nav), *sections]


def _html(value: str) -> ipw.HTML:
    return ui.HTML(value)


def _heading(anchor: str, text: str) -> str:
    # tabindex=-1: following a table-of-contents link moves the keyboard focus there too.
    return f'<h2 id="{html.escape(anchor)}" class="cirkel-gallery-heading" tabindex="-1">{html.escape(text)}</h2>'


def _alert(message: str) -> str:
    return f'<p role="alert" class="cirkel-gallery-problem">{html.escape(message)}</p>'


def _section(head: str, widget: ipw.Widget | None = None, *, exercise_id: str = "") -> ipw.VBox:
    box = ui.VBox([_html(head), *([widget] if widget is not None else [])])
    box.add_class("cirkel-gallery-section")
    if exercise_id:
        box.add_class(f"cirkel-gallery-id-{exercise_id}")
    return box
