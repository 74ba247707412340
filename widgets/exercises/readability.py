"""ReadabilityMeter: paste a text and see its LIX, its long words and its longest sentences.

Strategidokumentet, Del 2, "En organisation för digitala aktivister", asks for
routines to measure how easy to read our texts are. The learner pastes a text
(a post, a leaflet, a letter to members) and sees at once its LIX and band, the
number of sentences and words, the long words marked in the text, and the three
longest sentences: the places to shorten first. The text is saved on every
change; the measurement is always recomputed from it with ``widgets.core.lix``.

Public attributes a test (or a notebook) may drive: ``textarea``,
``example_button``, ``clear_button`` and the ``text`` trait; the results are in
the read-only traits ``lix``, ``words``, ``sentences``, ``long_words``.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

from traitlets import Bool, Float, Int, Unicode, validate

from widgets.core.i18n import t
from widgets.core.lix import band
from widgets.core.numbers import format_number
from widgets.kit import controls as ui
from widgets.kit.exercise import Exercise
from widgets.models.readability import (
    MAX_CHARS,
    ReadabilitySettings,
    highlight_long_words,
    load_settings,
    longest_sentences,
    measure,
    parse_settings,
)
from widgets.storage.answers import AnswerStore

__all__ = ["ReadabilityMeter", "ReadabilitySettings", "load_settings"]

_CSS = "cirkel-readability"


class ReadabilityMeter(Exercise):
    """Measure the readability (LIX) of a pasted text, with long words and long sentences shown.

    Parameters
    ----------
    exercise_id
        Names the answer file ``svar/<exercise_id>.json``.
    settings
        Target LIX, words asked for and an example text: a
        ``ReadabilitySettings``, a dict in the content format, or ``None`` for
        the defaults (target 40, at least 50 words, no example).
    store
        Where answers are kept; by default ``svar/`` in the working directory.
    """

    kind = "readability"

    text = Unicode("", help="The learner's text; saved on every change.")
    lix = Float(0.0, read_only=True, help="LIX of ``text``.")
    words = Int(0, read_only=True, help="Words in ``text``, as LIX counts them.")
    sentences = Int(0, read_only=True, help="Sentences in ``text``, as LIX counts them.")
    long_words = Int(0, read_only=True, help="Words of more than six letters in ``text``.")
    meets_target = Bool(False, read_only=True, help="Enough words and LIX at most the target.")

    def __init__(
        self,
        exercise_id: str,
        settings: ReadabilitySettings | dict[str, Any] | None = None,
        *,
        store: AnswerStore | None = None,
        **kwargs: Any,
    ):
        if settings is None:
            settings = ReadabilitySettings()
        self.settings = settings if isinstance(settings, ReadabilitySettings) else parse_settings(settings)
        super().__init__(exercise_id, store=store, **kwargs)

    @classmethod
    def from_file(
        cls, path: str | Path, exercise_id: str, *, store: AnswerStore | None = None, **kwargs: Any
    ) -> ReadabilityMeter:
        """A meter whose target and example come from a file, relative to the working directory."""
        return cls(exercise_id, load_settings(path), store=store, **kwargs)

    @validate("text")
    def _valid_text(self, proposal: dict[str, Any]) -> str:
        value = proposal["value"]
        if len(value) > MAX_CHARS:
            self.status = t("readability.too_long", max=format_number(MAX_CHARS, 0))
        return value[:MAX_CHARS]

    # -- public actions -----------------------------------------------------------
    def use_example(self) -> None:
        """Put the content's example text in the box, to try the meter on."""
        if self.settings.example:
            self.text = self.settings.example

    def clear(self) -> None:
        """Empty the box."""
        self.text = ""

    # -- Exercise --------------------------------------------------------------------
    def _build(self) -> None:
        settings = self.settings
        title = settings.title or t("readability.title")
        header = f'<h3 class="{_CSS}-title">{html.escape(title)}</h3>'
        if settings.source:
            header += (
                f'<p class="cirkel-source">{html.escape(t("readability.source", source=settings.source_text))}</p>'
            )
        if settings.intro:
            header += f"<p>{html.escape(settings.intro)}</p>"
        goal = t("readability.goal", words=settings.min_words, target=format_number(settings.target_lix, 0))
        header += f'<p class="{_CSS}-goal">{html.escape(goal)}</p>'
        self.textarea = ui.Textarea(
            description=t("readability.label"),
            placeholder=t("readability.placeholder"),
            continuous_update=True,
            rows=10,
            style={"description_width": "initial"},
            layout=ui.layout(width="100%"),
        )
        self.textarea.add_class(f"{_CSS}-input")
        self.textarea.observe(lambda c: setattr(self, "text", c["new"]), "value")
        self.example_button = ui.Button(description=t("readability.use_example"))
        self.example_button.add_class(f"{_CSS}-example")
        self.example_button.on_click(lambda _b: self.use_example())
        ui.show(self.example_button, bool(settings.example))
        self.clear_button = ui.Button(description=t("readability.clear"))
        self.clear_button.add_class(f"{_CSS}-clear")
        self.clear_button.on_click(lambda _b: self.clear())
        self._result = ui.live(ui.HTML())
        self._result.add_class(f"{_CSS}-result")
        self._details = ui.HTML()
        self._details.add_class(f"{_CSS}-details")
        self._marked = ui.HTML()
        self._marked.add_class(f"{_CSS}-marked")
        self.observe(self._text_changed, "text")
        self.children = [
            ui.HTML(header),
            self._status_box,
            self.textarea,
            ui.HBox([self.example_button, self.clear_button]),
            self._result,
            self._details,
            self._marked,
        ]
        self._measure()

    def answers(self) -> dict[str, Any]:
        return {"text": self.text}

    def set_answers(self, data: dict[str, Any]) -> None:
        text = data.get("text")
        self.text = text if isinstance(text, str) else ""

    # -- internals -------------------------------------------------------------------------
    def _text_changed(self, change: dict[str, Any]) -> None:
        if self.textarea.value != change["new"]:
            self.textarea.value = change["new"]
        self._measure()
        self.save()

    def _measure(self) -> None:
        settings = self.settings
        result = measure(self.text)
        self.set_trait("lix", result.lix)
        self.set_trait("words", result.words)
        self.set_trait("sentences", result.sentences)
        self.set_trait("long_words", result.long_words)
        meets = result.words >= settings.min_words and result.lix <= settings.target_lix
        self.set_trait("meets_target", meets)
        target = format_number(settings.target_lix, 0)
        if not result.words:
            lines = [("", t("readability.empty"))]
        else:
            lines = [("", t("readability.lix", lix=format_number(result.lix, 1), band=band(result.lix)))]
            if result.lix <= settings.target_lix:
                lines.append((f"{_CSS}-ok", t("readability.under_target", target=target)))
            else:
                lines.append((f"{_CSS}-over", t("readability.over_target", target=target)))
            if result.words < settings.min_words:
                lines.append(
                    (f"{_CSS}-short", t("readability.too_few_words", words=result.words, min=settings.min_words))
                )
        body = "".join(
            f'<p class="{cls}">{html.escape(text)}</p>' if cls else f"<p><strong>{html.escape(text)}</strong></p>"
            for cls, text in lines
        )
        self._result.value = body
        if not result.words:
            self._details.value = ""
            self._marked.value = ""
            return
        counts = t("readability.counts", words=result.words, count=result.sentences, long_words=result.long_words)
        items = "".join(
            f'<li>{html.escape(sentence)} <span class="{_CSS}-sentence-words">'
            f"({html.escape(t('readability.words_in_sentence', words=words))})</span></li>"
            for sentence, words in longest_sentences(result)
        )
        self._details.value = (
            f'<p class="{_CSS}-counts">{html.escape(counts)}</p>'
            f'<h4 class="{_CSS}-subtitle">{html.escape(t("readability.longest_title"))}</h4>'
            f'<ol class="{_CSS}-longest">{items}</ol>'
        )
        self._marked.value = (
            f'<h4 class="{_CSS}-subtitle">{html.escape(t("readability.marked_title"))}</h4>'
            f'<p class="{_CSS}-marked-help">{html.escape(t("readability.marked_help"))}</p>'
            f'<div class="{_CSS}-text">{highlight_long_words(self.text, result)}</div>'
        )
