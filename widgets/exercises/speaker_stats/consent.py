"""The circle's consent to counting by gender: the date, the buttons, and what giving or withdrawing does."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import ipywidgets as ipw
from traitlets import Bool

from widgets.core.i18n import t
from widgets.exercises.speaker_stats.consent_controls import ConsentControls
from widgets.exercises.speaker_stats.markup import CSS
from widgets.kit import controls as ui
from widgets.kit.exercise import Exercise
from widgets.models.speaker_stats import Tally
from widgets.models.speaker_stats_consent import agreed_date, anonymous_tally


class ConsentSteps(Exercise):
    """The circle's consent to counting by gender, in the talarstatistik exercise.

    Until the circle agrees, one anonymous category, "Inlägg" (``widgets.models.speaker_stats_consent``);
    the day it agreed is kept in the answer file; withdrawing sums the gender tallies into the
    anonymous count. :class:`~widgets.exercises.speaker_stats.counter.SpeakerStats` counts on top of it.
    """

    consented = Bool(False, read_only=True, help="True when the circle has agreed to counting by gender.")
    confirming_withdraw = Bool(False, read_only=True, help="True while withdrawing the consent asks to be confirmed.")

    clock: Callable[[], float]
    consent_date: dt.date | None
    tally: Tally
    download: ipw.HTML

    def _count(self, tally: Tally) -> None:
        """Count ``tally`` under the categories the consent allows now (the counter's)."""
        raise NotImplementedError

    def give_consent(self, agreed_on: Any = None) -> None:
        """Record that the circle agreed to counting by gender, on ``agreed_on`` (``consent_date_field`` by default).

        The content's categories appear; what was counted before stays apart,
        without gender. A date that cannot be read, or one to come, is refused
        in plain Swedish and nothing changes.
        """
        value = self.consent_date_field.value if agreed_on is None else agreed_on
        try:
            day = agreed_date(value, self._today())
        except ValueError as exc:
            self._consent.say(str(exc), error=True)
            ui.focus(self.consent_date_field)  # said at once; the keyboard goes to the date to write it again
            return
        self.consent_date = day
        self._count(self.tally)
        self._consent_changed(t("livespeaker.consent.saved", date=day.isoformat()))

    def request_withdraw(self) -> None:
        """Ask before the consent is withdrawn and the counts by gender are deleted."""
        if not self.consented:
            return
        self.set_trait("confirming_withdraw", True)
        self._show_consent()
        if hasattr(self.cancel_withdraw_button, "focus"):
            self.cancel_withdraw_button.focus()

    def cancel_withdraw(self) -> None:
        self.set_trait("confirming_withdraw", False)
        self._show_consent()

    def confirm_withdraw(self) -> None:
        """Withdraw the consent (only after ``request_withdraw``): every count is summed into "Inlägg"."""
        if not self.confirming_withdraw:
            return
        self.set_trait("confirming_withdraw", False)
        self.consent_date = None
        self._count(anonymous_tally(self.tally))
        self._consent_changed(t("livespeaker.consent.withdrawn"))

    def _today(self) -> dt.date:
        return dt.date.fromtimestamp(self.clock())

    def _build_consent(self) -> ipw.VBox:
        """Why the circle counts, why it is asked first, and the buttons to record or withdraw its consent."""
        box = ConsentControls(
            f"{CSS}-consent",
            self._today().isoformat(),
            on_give=self.give_consent,
            on_withdraw=self.request_withdraw,
            on_confirm_withdraw=self.confirm_withdraw,
            on_cancel_withdraw=self.cancel_withdraw,
            heading="h4",
            heading_class=f"{CSS}-subtitle",
        )
        self._consent = box
        # the names a test or a notebook drives (the class docstring of SpeakerStats)
        self.consent_date_field = box.date_field
        self.give_consent_button = box.give_button
        self.withdraw_button = box.withdraw_button
        self.confirm_withdraw_button = box.confirm_withdraw_button
        self.cancel_withdraw_button = box.cancel_withdraw_button
        self._consent_state, self._consent_message, self._withdraw_question = box.status, box.message, box.question
        self._give_row, self._withdraw_row = box.give_row, box.confirm_row
        return box

    def _consent_text(self) -> str:
        if self.consent_date is not None:
            return t("livespeaker.consent.given", date=self.consent_date.isoformat())
        return t("livespeaker.consent.not_given")

    def _show_consent(self) -> None:
        asking = self.confirming_withdraw and self.consented
        self._consent.show(
            self._consent_text(), may_give=not self.consented, may_withdraw=self.consented, asking=asking
        )

    def _consent_changed(self, message: str) -> None:
        """Save the consent and the counts it allows, said once (next to the consent, not in the tap messages)."""
        self._consent.say(message)
        self.download.value = ""  # an old link would download the counts as they were
        self.save()
