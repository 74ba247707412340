"""RoleFinder: tick interests, skills and time, see roles that fit and why, write a note to the board.

The lists and the roles are content (YAML, see ``_role_finder_model``). Every
tick and keystroke is saved; the suggestions are redrawn with their reasons
("för att du kryssat i ”Foto” och ”Skolfrågor”"); the note to the board can be
downloaded as Markdown or Word once it carries no more personal data than a
first name.

Public attributes a test (or a notebook) may drive: ``interest_boxes`` and
``skill_boxes`` (checkboxes by option id), ``time_choice`` (radio buttons),
``first_name`` and ``note`` (text fields), ``markdown_button``,
``docx_button`` and ``download``.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

import ipywidgets as ipw
from traitlets import List, Unicode

from widgets.core.i18n import t
from widgets.kit import controls as ui
from widgets.kit.download import DOCX_MIME, MARKDOWN_MIME, download_link
from widgets.kit.exercise import Exercise
from widgets.models.role_finder import (
    MAX_NAME,
    MAX_NOTE,
    MemberChoices,
    RoleContent,
    Suggestion,
    load_role_content,
    note_docx_bytes,
    note_markdown,
    parse_role_content,
    privacy_problems,
    reason_text,
    suggest_roles,
)
from widgets.storage.answers import AnswerStore

__all__ = ["RoleFinder", "RoleContent", "load_role_content"]

_WIDE = {"description_width": "initial"}


def _heading(text: str, help_text: str = "") -> ipw.HTML:
    # the step's heading names the choices under it (``ui.choice_group``)
    out = f'<h4 class="cirkel-role-finder-step {ui.LEGEND_CLASS}">{html.escape(text)}</h4>'
    if help_text:
        out += f"<p>{html.escape(help_text)}</p>"
    return ui.HTML(out)


class RoleFinder(Exercise):
    """Suggest roles in the branch from a member's interests, skills and time; a note to the board.

    Parameters
    ----------
    content
        A validated ``RoleContent`` or a dict in the content format (validated here).
    exercise_id
        Names the answer file ``svar/<exercise_id>.json``.
    store
        Where answers are kept; by default ``svar/`` in the working directory.
    """

    kind = "role-finder"

    suggested = List(Unicode(), read_only=True, help="Ids of the roles that fit, best first.")
    problems = List(Unicode(), read_only=True, help="Codes of personal data to remove before the note may be exported.")

    def __init__(
        self,
        content: RoleContent | dict[str, Any],
        exercise_id: str,
        *,
        store: AnswerStore | None = None,
        **kwargs: Any,
    ):
        self.content = content if isinstance(content, RoleContent) else parse_role_content(content)
        self.choices = MemberChoices()
        self._syncing = False
        super().__init__(exercise_id, store=store, **kwargs)

    @classmethod
    def from_file(
        cls, path: str | Path, exercise_id: str, *, store: AnswerStore | None = None, **kwargs: Any
    ) -> RoleFinder:
        """A role finder whose lists and roles come from a file, relative to the working directory."""
        return cls(load_role_content(path), exercise_id=exercise_id, store=store, **kwargs)

    # -- public ------------------------------------------------------------------------
    def suggestions(self) -> list[Suggestion]:
        """The roles that fit the current choices, best first (those needing more time last)."""
        return suggest_roles(self.content, self.choices)

    def to_markdown(self) -> str:
        """The note to the board as Markdown; ``ValueError`` while it carries personal data to remove."""
        self._refuse_if_private()
        return note_markdown(self.content, self.choices)

    def docx_bytes(self) -> bytes:
        """The note to the board as a Word document; ``ValueError`` as for ``to_markdown``."""
        self._refuse_if_private()
        return note_docx_bytes(self.content, self.choices)

    # -- Exercise ---------------------------------------------------------------------------
    def _build(self) -> None:
        content = self.content
        header = f'<h3 class="cirkel-role-finder-title">{html.escape(content.title)}</h3>'
        if content.source:
            header += f'<p class="cirkel-source">{html.escape(t("rolefinder.source", source=content.source_text))}</p>'
        if content.intro:
            header += f'<p class="cirkel-role-finder-intro">{html.escape(content.intro)}</p>'

        def boxes(options: Any, key: str) -> dict[str, ipw.Checkbox]:
            out = {}
            for option in options:
                box = ui.Checkbox(value=False, description=option.label, indent=False, layout=ui.layout(width="auto"))
                box.observe(lambda _c, key=key: self._ticked(key), "value")
                out[option.id] = box
            return out

        self.interest_boxes = boxes(content.interests, "interests")
        self.skill_boxes = boxes(content.skills, "skills")
        interests = ui.choice_group(ui.VBox(list(self.interest_boxes.values())))
        interests.add_class("cirkel-role-finder-interests")
        skills = ui.choice_group(ui.VBox(list(self.skill_boxes.values())))
        skills.add_class("cirkel-role-finder-skills")

        self.time_choice = ui.RadioButtons(
            options=[(c.label, c.id) for c in content.times],
            value=None,
            description=t("rolefinder.time_label"),
            style=_WIDE,
            layout=ui.layout(width="auto"),
        )
        self.time_choice.add_class("cirkel-role-finder-time")
        self.time_choice.observe(lambda c: self._edit("time", c["new"] or ""), "value")

        self._suggestions = ui.live(ui.HTML())
        self._suggestions.add_class("cirkel-role-finder-suggestions")

        self.first_name = ui.Text(
            description=t("rolefinder.first_name_label"),
            placeholder=t("rolefinder.first_name_placeholder"),
            continuous_update=True,
            style=_WIDE,
        )
        self.first_name.add_class("cirkel-role-finder-name")
        self.first_name.observe(lambda c: self._edit("first_name", c["new"][:MAX_NAME]), "value")
        self.note = ui.Textarea(
            description=t("rolefinder.note_label"),
            placeholder=t("rolefinder.note_placeholder"),
            continuous_update=True,
            rows=5,
            style=_WIDE,
            layout=ui.layout(width="100%"),
        )
        self.note.add_class("cirkel-role-finder-note")
        self.note.observe(lambda c: self._edit("note", c["new"][:MAX_NOTE]), "value")
        self._privacy = ui.live(ui.HTML())
        self._privacy.add_class("cirkel-role-finder-privacy")

        self.markdown_button = ui.Button(description=t("rolefinder.download_markdown"))
        self.docx_button = ui.Button(description=t("rolefinder.download_docx"))
        self.markdown_button.on_click(lambda _b: self._offer("markdown"))
        self.docx_button.on_click(lambda _b: self._offer("docx"))
        self.download = ui.live(ui.HTML())  # the link or why there is none, said when it changes
        self.download.add_class("cirkel-role-finder-download")

        def section(*children: ipw.Widget) -> ipw.VBox:
            box = ui.VBox(list(children))
            box.add_class("cirkel-role-finder-section")
            return box

        self.children = [
            ui.HTML(header),
            self._status_box,
            section(_heading(t("rolefinder.interests_title"), t("rolefinder.interests_help")), interests),
            section(_heading(t("rolefinder.skills_title"), t("rolefinder.skills_help")), skills),
            section(_heading(t("rolefinder.time_title")), self.time_choice),
            section(_heading(t("rolefinder.suggestions_title")), self._suggestions),
            section(
                _heading(t("rolefinder.note_title"), t("rolefinder.note_help")),
                self.first_name,
                self.note,
                self._privacy,
            ),
            section(
                _heading(t("rolefinder.export_title")),
                ui.HBox([self.markdown_button, self.docx_button]),
                self.download,
            ),
        ]
        self._show_choices()

    def answers(self) -> dict[str, Any]:
        return self.choices.to_json()

    def set_answers(self, data: dict[str, Any]) -> None:
        self.choices = MemberChoices.from_json(self.content, data)
        self._show_choices()

    # -- internals ----------------------------------------------------------------------------
    def _ticked(self, key: str) -> None:
        boxes = self.interest_boxes if key == "interests" else self.skill_boxes
        self._edit(key, [option_id for option_id, box in boxes.items() if box.value])

    def _edit(self, key: str, value: Any) -> None:
        if self._syncing:
            return
        setattr(self.choices, key, value)
        self.save()
        self._refresh()
        self.download.value = ""  # an old link would download an old note

    def _show_choices(self) -> None:
        """Make every control show ``self.choices`` (construction and restore)."""
        self._syncing = True
        try:
            for option_id, box in self.interest_boxes.items():
                box.value = option_id in self.choices.interests
            for option_id, box in self.skill_boxes.items():
                box.value = option_id in self.choices.skills
            self.time_choice.value = self.choices.time or None
            self.first_name.value = self.choices.first_name
            self.note.value = self.choices.note
        finally:
            self._syncing = False
        self._refresh()

    def _refresh(self) -> None:
        found = self.suggestions()
        self.set_trait("suggested", [s.role.id for s in found if s.fits_time])
        self._suggestions.value = self._suggestions_html(found)
        problems = privacy_problems(self.choices)
        self.set_trait("problems", [p.code for p in problems])
        if problems:
            items = "".join(
                f'<li class="cirkel-warning" data-code="{p.code}">{html.escape(p.message)}</li>' for p in problems
            )
            body = f"<ul>{items}</ul>"
        else:
            body = ""
        self._privacy.value = body

    def _suggestions_html(self, found: list[Suggestion]) -> str:
        if not (self.choices.interests or self.choices.skills):
            body = f'<p class="cirkel-role-finder-empty">{html.escape(t("rolefinder.tick_first"))}</p>'
        elif not found:
            body = f'<p class="cirkel-role-finder-empty">{html.escape(t("rolefinder.no_match"))}</p>'
        else:
            fitting = [s for s in found if s.fits_time]
            later = [s for s in found if not s.fits_time]
            body = ""
            if fitting:
                items = "".join(self._suggestion_item(s) for s in fitting)
                body += f'<ol class="cirkel-role-finder-roles">{items}</ol>'
            else:
                body += f'<p class="cirkel-role-finder-empty">{html.escape(t("rolefinder.none_fit_time"))}</p>'
            if later:
                items = "".join(self._suggestion_item(s) for s in later)
                body += f'<p>{html.escape(t("rolefinder.later"))}</p><ul class="cirkel-role-finder-later">{items}</ul>'
            if not self.choices.time:
                body += f'<p class="cirkel-role-finder-note-time">{html.escape(t("rolefinder.choose_time"))}</p>'
        return body

    def _suggestion_item(self, suggestion: Suggestion) -> str:
        role = suggestion.role
        return (
            f'<li class="cirkel-role-finder-role" data-role="{html.escape(role.id)}">'
            f"<strong>{html.escape(role.name)}</strong>: {html.escape(role.description)} "
            f'<span class="cirkel-role-finder-reason">{html.escape(reason_text(self.content, suggestion))}</span></li>'
        )

    def _refuse_if_private(self) -> None:
        problems = privacy_problems(self.choices)
        if problems:
            raise ValueError(t("rolefinder.privacy.blocked", problems=" ".join(p.message for p in problems)))

    def _offer(self, fmt: str) -> None:
        try:
            if fmt == "markdown":
                name, mime, payload = (
                    t("rolefinder.markdown_filename"),
                    MARKDOWN_MIME,
                    self.to_markdown().encode("utf-8"),
                )
            else:
                name, mime, payload = t("rolefinder.docx_filename"), DOCX_MIME, self.docx_bytes()
        except ValueError as problem:
            self.download.value = f'<p class="cirkel-role-finder-blocked">{html.escape(str(problem))}</p>'
            return
        self.download.value = download_link(name, mime, payload, t("rolefinder.download_link", name=name))
