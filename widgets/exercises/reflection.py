"""Reflection: a question to think about and a text box that saves itself.

Reflections are graded by a person (the course leader in formgrader), so the
widget only has to keep the learner's words safe: every keystroke is saved to
the answer store, and a live word count helps them write enough.
"""

from __future__ import annotations

import html
from typing import Any

from traitlets import Int, Unicode, validate

from widgets.core.i18n import t
from widgets.exercises import text_versions
from widgets.kit import controls as ui
from widgets.kit.exercise import Exercise
from widgets.storage.answers import AnswerStore
from widgets.storage.reflection import KIND, count_words, reflection_text

__all__ = ["Reflection", "reflection_text", "count_words"]

MAX_CHARS = 20000


class Reflection(Exercise):
    """A reflection question with an autosaving, labelled text box and a word count.

    Parameters
    ----------
    exercise_id
        Names the answer file ``svar/<exercise_id>.json``.
    prompt
        The reflection question, shown above the text box.
    min_words
        Words asked for; 0 for no minimum. The count says how many are left.
    store
        Where answers are kept; by default ``svar/`` in the working directory.
    """

    kind = KIND

    prompt = Unicode("", help="The reflection question shown to the learner.")
    prompt_lang = Unicode("", help="The language of ``prompt`` when it is not the page's (a text version's).")
    min_words = Int(0, help="Words the learner is asked to write (0: no minimum).")
    text = Unicode("", help="The learner's text; saved on every change.")
    words = Int(0, read_only=True, help="Words in ``text``.")

    def __init__(
        self,
        exercise_id: str,
        prompt: str = "",
        min_words: int = 0,
        *,
        store: AnswerStore | None = None,
        **kwargs: Any,
    ):
        self._initial: dict[str, Any] = {"prompt": prompt, "min_words": min_words}
        super().__init__(exercise_id, store=store, **kwargs)

    @validate("min_words")
    def _valid_min_words(self, proposal: dict[str, Any]) -> int:
        value = proposal["value"]
        if value < 0:
            raise ValueError(t("reflection.bad_min_words", value=value))
        return value

    @validate("text")
    def _valid_text(self, proposal: dict[str, Any]) -> str:
        return proposal["value"][:MAX_CHARS]

    def _build(self) -> None:
        self.prompt = self._initial["prompt"]
        self.min_words = self._initial["min_words"]
        self._prompt_box = ui.HTML()
        self._prompt_box.add_class("cirkel-reflection-prompt")
        self.textarea = ui.Textarea(
            description=t("reflection.label"),
            placeholder=t("reflection.placeholder"),
            continuous_update=True,
            rows=8,
            style={"description_width": "initial"},
            layout=ui.layout(width="100%"),
        )
        self._count = ui.live(ui.HTML())
        self._count.add_class("cirkel-reflection-count")
        self.textarea.observe(self._typed, "value")
        self.observe(self._text_changed, "text")
        self.observe(self._show_prompt, ["prompt", "prompt_lang"])
        self.observe(lambda _c: self._show_count(), "min_words")
        self.children = [self._prompt_box, self.textarea, self._count, self._status_box]
        self._show_prompt()
        self._show_count()
        text_versions.follow(self)  # the prompt in the text version the learner reads

    def answers(self) -> dict[str, Any]:
        return {"text": self.text}

    def set_answers(self, data: dict[str, Any]) -> None:
        text = data.get("text")
        self.text = text if isinstance(text, str) else ""

    # -- internals ---------------------------------------------------------------
    def _typed(self, change: dict[str, Any]) -> None:
        self.text = change["new"]

    def _text_changed(self, change: dict[str, Any]) -> None:
        if self.textarea.value != change["new"]:
            self.textarea.value = change["new"]
        self.set_trait("words", count_words(change["new"]))
        self._show_count()
        self.save()

    def _show_prompt(self, _change: Any = None) -> None:
        lang = f' lang="{html.escape(self.prompt_lang, quote=True)}"' if self.prompt_lang else ""
        self._prompt_box.value = (
            f'<p class="cirkel-reflection-question"{lang}>{html.escape(self.prompt)}</p>' if self.prompt else ""
        )

    def _show_count(self) -> None:
        text = t("reflection.words", count=self.words)
        left = self.min_words - self.words
        if self.min_words and left > 0:
            text += " " + t("reflection.words_left", left=left, min=self.min_words)
        elif self.min_words:
            text += " " + t("reflection.words_enough", min=self.min_words)
        self._count.value = f"<p>{html.escape(text)}</p>"
