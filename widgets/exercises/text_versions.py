"""TextVersions: the learner reads a module's text as written, in lättläst Swedish or in another language.

``cirkel run create`` writes ``textversioner.json`` beside the notebook of a module
that has other versions of its text (``grading.course.variants``): for each version its
label, language, the module's description, text and samtalsfrågor as HTML, and its
reflection prompts. The notebook's first cell shows this widget: a labelled choice
(a native ``select``: one tab stop, arrow keys, named by its label) and, when a
version other than the standard one is chosen, that version's text. The page's
stylesheet hides the standard text's cells while another version is shown
(``.cirkel-textversion-other``), and every ``Reflection`` of the module shows its
prompt in the chosen version.

The choice is kept in the answer store under a reserved id
(:data:`widgets.storage.answers.SETTING_IDS`), so it survives a reload, a new kernel and a
preheated kernel's handover, travels with the learner's own data and alone never
makes the module "started". Headless (autograde, tests) the widget builds with no
display; during autograde it shows the standard text and reads no choice.

A few widget models: the box, the choice, the text and the store's status line,
with shared layouts and style.
"""

from __future__ import annotations

import html
import os
import weakref
from collections.abc import Sequence
from typing import Any

from traitlets import List, TraitError, Unicode, observe, validate

from widgets.core.i18n import t
from widgets.kit import controls as ui
from widgets.kit.exercise import Exercise
from widgets.models.text_versions import KIND, STANDARD, TEXT_VERSION_ID, VERSIONS_FILE, TextVersion, load_versions
from widgets.storage.answers import AnswerStore

__all__ = ["STANDARD", "TEXT_VERSION_ID", "VERSIONS_FILE", "TextVersion", "TextVersions", "load_versions", "follow"]

#: The class the widget carries while another version than the standard one is shown.
OTHER_CLASS = "cirkel-textversion-other"

# -- the module's reflections follow the chosen version -------------------------------------------

_followers: weakref.WeakSet[Any] = weakref.WeakSet()
_current: list[weakref.ReferenceType[TextVersions]] = []


def follow(widget: Any) -> None:
    """Let ``widget`` (a ``Reflection``: ``exercise_id`` and ``prompt``) show its prompt in the chosen version.

    Called by the widget when it is built; the text-version widget of the module
    (the last one built in this kernel) then sets its prompt now and at every change.
    """
    _followers.add(widget)
    chooser = _current[0]() if _current else None
    if chooser is not None:
        chooser._set_prompt(widget)


class TextVersions(Exercise):
    """The learner's choice of the version of the module's text, and that version's text.

    Parameters
    ----------
    versions
        The versions, the standard one first (``load_versions``).
    exercise_id
        The answer-store id the choice is kept under (:data:`TEXT_VERSION_ID`).
    store
        Where the choice is kept; by default ``svar/`` in the working directory.
    """

    kind = KIND

    version = Unicode(STANDARD, help="The version shown: ``standard`` or a version id from ``versions``.")
    versions = List(Unicode(), read_only=True, help="The ids of the module's versions, the standard one first.")

    def __init__(
        self,
        versions: Sequence[TextVersion],
        *,
        exercise_id: str = TEXT_VERSION_ID,
        store: AnswerStore | None = None,
        **kwargs: Any,
    ):
        versions = list(versions)
        if not versions or versions[0].id != STANDARD:
            raise ValueError(t("textversion.standard_first"))
        self._versions = {v.id: v for v in versions}
        self.set_trait("versions", [v.id for v in versions])
        super().__init__(exercise_id, store=store, **kwargs)
        self.remove_class("cirkel-exercise")  # a setting of the page, not an exercise
        _current[:] = [weakref.ref(self)]
        for widget in list(_followers):
            self._set_prompt(widget)

    @classmethod
    def from_file(cls, path: str | os.PathLike[str] = VERSIONS_FILE, **kwargs: Any) -> TextVersions:
        """The widget for the versions in ``path`` (``textversioner.json`` beside the notebook)."""
        return cls(load_versions(path), **kwargs)

    def close(self) -> None:
        """Close the widget; it no longer sets the prompts of the module's reflections."""
        if _current and _current[0]() is self:
            _current.clear()
        super().close()

    @validate("version")
    def _valid_version(self, proposal: dict[str, Any]) -> str:
        value = proposal["value"]
        if value not in self._versions:
            raise TraitError(t("textversion.unknown", version=value, known=", ".join(self._versions)))
        return value

    def _build(self) -> None:
        self.choice = ui.Dropdown(
            options=[(v.label, v.id) for v in self._versions.values()],
            value=self.version,
            description=t("textversion.label"),
            style={"description_width": "initial"},
            layout=ui.layout(width="auto", max_width="100%"),
        )
        self.choice.add_class("cirkel-textversion-choice")
        self.choice.observe(self._chosen, "value")
        self.body = ui.HTML()
        self.body.add_class("cirkel-textversion-body")
        self.children = [self.choice, self.body, self._status_box]
        self._show()

    def restore(self) -> None:
        """Show the learner's saved choice; during autograde the standard text, whatever was chosen."""
        if os.environ.get("NBGRADER_EXECUTION"):
            return
        super().restore()

    def answers(self) -> dict[str, Any]:
        return {"version": self.version}

    def set_answers(self, data: dict[str, Any]) -> None:
        chosen = data.get("version")
        self.version = chosen if chosen in self._versions else STANDARD

    # -- internals ---------------------------------------------------------------
    def _chosen(self, change: dict[str, Any]) -> None:
        if change["new"] in self._versions:
            self.version = change["new"]

    @observe("version")
    def _version_changed(self, _change: dict[str, Any]) -> None:
        self._show()
        for widget in list(_followers):
            self._set_prompt(widget)
        self.save()

    def _show(self) -> None:
        version = self._versions[self.version]
        if self.choice.value != version.id:
            self.choice.value = version.id
        if version.id == STANDARD:
            self.body.value = ""
            self.remove_class(OTHER_CLASS)
            return
        self.body.value = (
            f'<div class="jp-RenderedHTMLCommon jp-RenderedMarkdown cirkel-textversion-text" '
            f'lang="{html.escape(version.lang, quote=True)}">{version.html}</div>'
        )
        self.add_class(OTHER_CLASS)

    def _set_prompt(self, widget: Any) -> None:
        exercise_id: Any = getattr(widget, "exercise_id", None)
        version = self._versions[self.version]
        if exercise_id not in version.prompts:
            version = self._versions[STANDARD]
        prompt = version.prompts.get(exercise_id)
        if prompt is None:
            return
        widget.prompt = prompt
        widget.prompt_lang = "" if version.lang == self._versions[STANDARD].lang else version.lang
