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
from typing import Any

from traitlets import Bool

from widgets.core.i18n import t
from widgets.exercises.speaker_stats.consent_controls import ConsentControls
from widgets.kit import controls as ui
from widgets.storage.live_speaker import LiveSpeakerError, LiveSpeakerStore

__all__ = ["ConsentPanel"]

_log = logging.getLogger(__name__)
_CSS = "cirkel-livespeaker-consent"


class ConsentPanel(ConsentControls):
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
        super().__init__(
            _CSS,
            dt.date.fromtimestamp(store.clock()).isoformat(),
            on_give=self.give,
            on_withdraw=self.request_withdraw,
            on_confirm_withdraw=self.confirm_withdraw,
            on_cancel_withdraw=self.cancel_withdraw,
            big_buttons=True,
            **kwargs,
        )
        self.store = store
        self.circle_id = circle_id
        self.person = person
        self.can_decide = can_decide
        self._on_change = on_change
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
        asking = self.confirming_withdraw and consent is not None
        self.show(
            text,
            may_give=self.can_decide and consent is None,
            may_withdraw=self.can_decide and consent is not None,
            asking=self.can_decide and asking,
        )

    def give(self) -> None:
        """Record that the circle agreed, on the day in ``date_field``."""
        if not self.can_decide:
            self.say(t("livespeaker.consent.leader_decides"), error=True)
            return
        try:
            consent = self.store.give_consent(self.circle_id, self.person, self.date_field.value)
        except LiveSpeakerError as exc:  # a date that cannot be read, or one to come
            self.say(str(exc), error=True)
            ui.focus(self.date_field)  # said at once; the keyboard goes to the date to write it again
            return
        except Exception:  # a person gets a sentence, never a traceback
            _log.exception("live talarstatistik: the consent could not be saved")
            self.say(t("livespeaker.save_failed"), error=True)
            return
        self.refresh()
        self.say(t("livespeaker.consent.saved", date=consent.agreed_on.isoformat()))
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
            self.say(t("livespeaker.save_failed"), error=True)
            self.refresh()
            return
        self.refresh()
        self.say(t("livespeaker.consent.withdrawn"))
        self._changed()

    def _changed(self) -> None:
        if self._on_change is not None:
            self._on_change()
