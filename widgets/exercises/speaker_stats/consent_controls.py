"""The consent step both talarstatistik pages show: why, where the circle stands, the date, the buttons.

The exercise (``consent``) keeps the circle's consent in its answer file, live talarstatistik
(``consent_panel``) in the run's live store; what a press does is theirs, the controls are these.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import ipywidgets as ipw

from widgets.core.i18n import t
from widgets.core.safe_text import text_html as _e
from widgets.kit import controls as ui
from widgets.kit.messages import Messages

__all__ = ["ConsentControls", "why_html"]

_WHY = ("livespeaker.consent.why_count", "livespeaker.consent.why_ask", "livespeaker.consent.why_withdraw")


def why_html(heading: str = "h3", heading_class: str = "") -> str:
    """Why the circle counts, and why it is asked first (the strategy document and personal data)."""
    css = f' class="{_e(heading_class)}"' if heading_class else ""
    paragraphs = "".join(f"<p>{_e(t(key))}</p>" for key in _WHY)
    return f"<{heading}{css}>{_e(t('livespeaker.consent.heading'))}</{heading}>{paragraphs}"


class ConsentControls(ui.VBox):
    """The consent step's controls, with the class names ``css``-``date``, ``css``-``give``, ...

    Parameters
    ----------
    css
        The prefix of every class name (the box itself takes it).
    today
        The date field's first value (``ÅÅÅÅ-MM-DD``).
    on_give, on_withdraw, on_confirm_withdraw, on_cancel_withdraw
        What the four buttons do.
    heading, heading_class
        The heading's tag and class where the step sits on its page.
    big_buttons
        Buttons at least 48 px high (the keeper's phone).
    """

    def __init__(
        self,
        css: str,
        today: str,
        *,
        on_give: Callable[[], Any],
        on_withdraw: Callable[[], Any],
        on_confirm_withdraw: Callable[[], Any],
        on_cancel_withdraw: Callable[[], Any],
        heading: str = "h3",
        heading_class: str = "",
        big_buttons: bool = False,
        **kwargs: Any,
    ):
        super().__init__(**kwargs)
        self.css = css
        self.add_class(css)
        self.status = ui.HTML()
        self.status.add_class(f"{css}-status")
        # a polite and an alert region, there before their text changes: a refused date interrupts
        self.message = Messages(f"{css}-message")
        self.date_field = ui.Text(
            value=today,
            continuous_update=False,  # read by the button: see widgets/kit/controls.py on Text
            description=t("livespeaker.consent.date_label"),
            placeholder="ÅÅÅÅ-MM-DD",
            style={"description_width": "initial"},
            layout=ui.layout(width="auto", max_width="100%"),
        )
        self.date_field.add_class(f"{css}-date")
        self.give_button = self._button(t("livespeaker.consent.give"), "give", on_give, big_buttons, "primary")
        self.withdraw_button = self._button(t("livespeaker.consent.withdraw"), "withdraw", on_withdraw, big_buttons)
        self.confirm_withdraw_button = self._button(
            t("livespeaker.consent.withdraw_confirm"), "withdraw-confirm", on_confirm_withdraw, big_buttons, "danger"
        )
        self.cancel_withdraw_button = self._button(
            t("livespeaker.end_cancel"), "withdraw-cancel", on_cancel_withdraw, big_buttons
        )
        self.question = ui.live(ui.HTML())
        self.give_row = ui.VBox([self.date_field, self.give_button])
        self.confirm_row = ui.VBox(
            [
                self.question,
                ui.Box(
                    [self.confirm_withdraw_button, self.cancel_withdraw_button],
                    layout=ui.layout(display="flex", flex_flow="row wrap"),
                ),
            ]
        )
        self.children = [
            ui.HTML(why_html(heading, heading_class)),
            self.status,
            self.give_row,
            self.withdraw_button,
            self.confirm_row,
            self.message,
        ]

    def _button(self, description: str, name: str, press: Callable[[], Any], big: bool, style: str = "") -> ipw.Button:
        layout = ui.layout(height="auto", min_height="48px", width="auto", margin="0.25em") if big else None
        button = ui.Button(description=description, button_style=style, **({"layout": layout} if big else {}))
        button.add_class(f"{self.css}-{name}")
        button.on_click(lambda _b: press())
        return button

    def show(self, text: str, *, may_give: bool, may_withdraw: bool, asking: bool) -> None:
        """Say where the circle stands (``text``) and show the buttons that apply now."""
        self.status.value = f'<p class="{self.css}-state"><strong>{_e(text)}</strong></p>'
        ui.show(self.give_row, may_give)
        ui.show(self.withdraw_button, may_withdraw and not asking)
        ui.show(self.confirm_row, asking)
        self.question.value = f"<p>{_e(t('livespeaker.consent.withdraw_question'))}</p>" if asking else ""

    def say(self, text: str, *, error: bool = False) -> None:
        """``text`` in the polite region, or (``error``) in the alert region, which interrupts."""
        shown = f'<p class="{self.css}-{"error" if error else "info"}">{_e(text)}</p>'
        if error:
            self.message.error(shown)
        else:
            self.message.say(shown)
