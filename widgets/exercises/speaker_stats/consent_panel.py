"""The consent step of live talarstatistik: why one counts, why one asks first, and the leader's record of it.

Shown on the keeper's page before anything is counted. The cirkelledare (or a
course leader) records the day the circle agreed to talarstatistik by gender,
or withdraws it, which deletes the gender tallies (``LiveSpeakerStore``);
everyone else reads where the circle stands. Public attributes a test may
drive: ``date_field``, ``give_button``, ``withdraw_button``,
``confirm_withdraw_button``, ``cancel_withdraw_button``, ``status``.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from traitlets import Bool

from widgets.core.i18n import t
from widgets.core.safe_text import text_html as _e
from widgets.kit import controls as ui
from widgets.kit.messages import Messages
from widgets.storage.live_speaker import LiveSpeakerError, LiveSpeakerStore

if TYPE_CHECKING:  # pragma: no cover
    import ipywidgets as ipw

__all__ = ["ConsentPanel"]

_log = logging.getLogger(__name__)
_CSS = "cirkel-livespeaker-consent"


def _button(description: str, css: str, *, style: str = "") -> ipw.Button:
    button = ui.Button(
        description=description,
        button_style=style,
        layout=ui.layout(height="auto", min_height="48px", width="auto", margin="0.25em"),
    )
    button.add_class(f"{_CSS}-{css}")
    return button


def why_html() -> str:
    """Why the circle counts, and why it is asked first (the strategy document and personal data)."""
    paragraphs = "".join(
        f"<p>{_e(t(key))}</p>"
        for key in ("livespeaker.consent.why_count", "livespeaker.consent.why_ask", "livespeaker.consent.why_withdraw")
    )
    return f"<h3>{_e(t('livespeaker.consent.heading'))}</h3>{paragraphs}"


class ConsentPanel(ui.VBox):
    """Where the circle stands on talarstatistik by gender, and (for its leader) the buttons to change it.

    Parameters
    ----------
    store
        The run's live talarstatistik.
    circle_id
        The circle.
    person
        Who is looking (recorded with a consent they give).
    can_decide
        The cirkelledare or a course leader: may record or withdraw the consent.
    on_change
        Called after the consent was given or withdrawn (the keeper redraws).
    """

    consented = Bool(False, read_only=True, help="True when the circle has agreed to counting by gender.")
    confirming_withdraw = Bool(False, read_only=True, help="True while withdrawing asks to be confirmed.")

    def __init__(
        self,
        store: LiveSpeakerStore,
        circle_id: str,
        person: str,
        *,
        can_decide: bool = True,
        on_change: Callable[[], None] | None = None,
        **kwargs: Any,
    ):
        super().__init__(**kwargs)
        self.add_class(_CSS)
        self.store = store
        self.circle_id = circle_id
        self.person = person
        self.can_decide = can_decide
        self._on_change = on_change
        self.status = ui.HTML()
        self.status.add_class(f"{_CSS}-status")
        # a polite and an alert region, there before their text changes: a refusal interrupts
        self.message = Messages(f"{_CSS}-message")
        today = dt.date.fromtimestamp(store.clock()).isoformat()
        self.date_field = ui.Text(
            value=today,
            continuous_update=False,  # read by the button: see widgets/kit/controls.py on Text
            description=t("livespeaker.consent.date_label"),
            placeholder="ÅÅÅÅ-MM-DD",
            style={"description_width": "initial"},
            layout=ui.layout(width="auto", max_width="100%"),
        )
        self.date_field.add_class(f"{_CSS}-date")
        self.give_button = _button(t("livespeaker.consent.give"), "give", style="primary")
        self.give_button.on_click(lambda _b: self.give())
        self.withdraw_button = _button(t("livespeaker.consent.withdraw"), "withdraw")
        self.withdraw_button.on_click(lambda _b: self.request_withdraw())
        self.confirm_withdraw_button = _button(
            t("livespeaker.consent.withdraw_confirm"), "withdraw-confirm", style="danger"
        )
        self.confirm_withdraw_button.on_click(lambda _b: self.confirm_withdraw() if self.confirming_withdraw else None)
        self.cancel_withdraw_button = _button(t("livespeaker.end_cancel"), "withdraw-cancel")
        self.cancel_withdraw_button.on_click(lambda _b: self.cancel_withdraw())
        self._question = ui.live(ui.HTML())
        self._give_row = ui.VBox([self.date_field, self.give_button])
        self._confirm_row = ui.VBox(
            [
                self._question,
                ui.Box(
                    [self.confirm_withdraw_button, self.cancel_withdraw_button],
                    layout=ui.layout(display="flex", flex_flow="row wrap"),
                ),
            ]
        )
        self.children = [
            ui.HTML(why_html()),
            self.status,
            self._give_row,
            self.withdraw_button,
            self._confirm_row,
            self.message,
        ]
        self.refresh()

    def refresh(self) -> None:
        """Read the circle's consent and draw what it means."""
        consent = self.store.consent(self.circle_id)
        self.set_trait("consented", consent is not None)
        if consent is not None:
            text = t("livespeaker.consent.given", date=consent.agreed_on.isoformat())
        else:
            text = t("livespeaker.consent.not_given")
        if not self.can_decide:
            text += " " + t("livespeaker.consent.leader_decides")
        self.status.value = f'<p class="{_CSS}-state"><strong>{_e(text)}</strong></p>'
        asking = self.confirming_withdraw and consent is not None
        ui.show(self._give_row, self.can_decide and consent is None)
        ui.show(self.withdraw_button, self.can_decide and consent is not None and not asking)
        ui.show(self._confirm_row, self.can_decide and asking)
        self._question.value = f"<p>{_e(t('livespeaker.consent.withdraw_question'))}</p>" if asking else ""

    def give(self) -> None:
        """Record that the circle agreed, on the day in ``date_field``."""
        if not self.can_decide:
            self._say(t("livespeaker.consent.leader_decides"), error=True)
            return
        try:
            consent = self.store.give_consent(self.circle_id, self.person, self.date_field.value)
        except LiveSpeakerError as exc:  # a date that cannot be read, or one to come
            self._say(str(exc), error=True)
            ui.focus(self.date_field)  # said at once; the keyboard goes to the date to write it again
            return
        except Exception:  # a person gets a sentence, never a traceback
            _log.exception("live talarstatistik: the consent could not be saved")
            self._say(t("livespeaker.save_failed"), error=True)
            return
        self.refresh()
        self._say(t("livespeaker.consent.saved", date=consent.agreed_on.isoformat()))
        self._changed()

    def request_withdraw(self) -> None:
        """Ask before the consent is withdrawn and the gender tallies are deleted."""
        self.set_trait("confirming_withdraw", True)
        self.refresh()
        if hasattr(self.cancel_withdraw_button, "focus"):
            self.cancel_withdraw_button.focus()

    def cancel_withdraw(self) -> None:
        self.set_trait("confirming_withdraw", False)
        self.refresh()

    def confirm_withdraw(self) -> None:
        """Withdraw the consent (only after ``request_withdraw``): the gender tallies are deleted."""
        if not self.confirming_withdraw or not self.can_decide:
            return
        self.set_trait("confirming_withdraw", False)
        try:
            self.store.withdraw_consent(self.circle_id)
        except Exception:
            _log.exception("live talarstatistik: the consent could not be withdrawn")
            self._say(t("livespeaker.save_failed"), error=True)
            self.refresh()
            return
        self.refresh()
        self._say(t("livespeaker.consent.withdrawn"))
        self._changed()

    def _changed(self) -> None:
        if self._on_change is not None:
            self._on_change()

    def _say(self, text: str, *, error: bool = False) -> None:
        kind = "error" if error else "info"
        shown = f'<p class="{_CSS}-{kind}">{_e(text)}</p>'
        if error:
            self.message.error(shown)
        else:
            self.message.say(shown)
