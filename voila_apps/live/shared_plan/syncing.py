"""The shared plan's fields kept in step with the store: saved when they change, others' changes shown.

:class:`SyncedPlan` is the half of the shared plan's screen that talks to the store
(``widgets.storage.shared_plan``): each control is bound to one stored field, a text is
saved after a pause in typing, a choice or a number at once; every tick it asks whether
the plan moved and shows what others changed, never replacing a text under someone's
fingers. The plan's own layout (the six steps, the realism check, the exports) is
:class:`~voila_apps.live.shared_plan.builder.SharedPlanBuilder` on top of it.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from typing import Any

import ipywidgets as ipw
from sqlalchemy.exc import SQLAlchemyError
from traitlets import Float, Int, Unicode, validate

from voila_apps.live.shared_plan.history import field_label
from voila_apps.live.shared_plan.markup import CSS, NO_GOAL
from voila_apps.live.shared_plan.rows import Binding, Row, label_rows
from widgets.core.i18n import t
from widgets.core.safe_text import text_html
from widgets.kit import controls as ui
from widgets.storage.shared_plan import (
    ITEM_KINDS,
    FieldValue,
    PlanSnapshot,
    SharedPlanError,
    SharedPlanStore,
    item_field,
)


class SyncedPlan(ui.VBox):
    """Controls bound to a circle's plan in the store; the screen on top draws them (see the hooks)."""

    circle_id = Unicode(read_only=True, help="The study circle whose plan this is.")
    author = Unicode(read_only=True, help="The person editing on this device (hub username).")
    version = Int(0, read_only=True, help="The plan version this screen last showed from the store.")
    status = Unicode("", help="The last plain message to this person (shown in a status region).")
    pause = Float(1.0, help="Seconds without typing after which a text is saved.")

    #: one box of rows per item kind, made by the screen's ``_build``
    _boxes: dict[str, ipw.VBox]

    @validate("pause")
    def _valid_pause(self, proposal: dict[str, Any]) -> float:
        value = float(proposal["value"])
        if not 0 <= value <= 30:
            raise ValueError("pause must be between 0 and 30 seconds")
        return value

    def __init__(
        self,
        store: SharedPlanStore,
        author: str,
        *,
        names: Mapping[str, str] | None = None,
        clock: Callable[[], float] = time.monotonic,
        **kwargs: Any,
    ):
        super().__init__(**kwargs)
        self.store = store
        self.set_trait("circle_id", store.circle_id)
        self.set_trait("author", author)
        self._names = dict(names or {})
        self._clock = clock
        self._syncing = False
        self._bindings: dict[str, Binding] = {}
        self._rows: dict[str, dict[str, Row]] = {kind: {} for kind in ITEM_KINDS}
        self._order: dict[str, tuple[str, ...]] = {kind: () for kind in ITEM_KINDS}
        self._failed = False

    # -- the hooks of the screen on top ----------------------------------------------------
    def _make_row(self, kind: str, item_id: str) -> Row:
        """A new item's controls (bound to the store by this class)."""
        raise NotImplementedError

    def _changed(self) -> None:
        """A control changed on this screen (saved or about to be)."""

    def _redraw(self) -> None:
        """What follows from a snapshot shown: the goals' names, the check, the history."""

    def _refresh_goal_options(self) -> None:
        """A goal's text was saved: the activities' choice of goal names it anew."""

    # -- saving ------------------------------------------------------------------------------
    def flush(self) -> None:
        """Save every text with unsaved typing now (before an export, or when a test asks)."""
        for binding in list(self._bindings.values()):
            if binding.edited_at is not None:
                self._settle(binding)

    def refresh(self) -> None:
        """The timer's tick: save texts whose typing paused, then show what others changed."""
        now = self._clock()
        for binding in list(self._bindings.values()):
            if binding.edited_at is not None and now - binding.edited_at >= self.pause:
                self._settle(binding)
        try:
            moved = self.store.version() != self.version
            if moved:
                self._apply(self.store.snapshot())
        except SQLAlchemyError:
            if not self._failed:
                self._failed = True
                self._refuse(t("sharedplan.read_failed"), focus=False)  # polled: the keyboard stays
            return
        if self._failed:
            self._failed = False
            self.status = ""

    def _bind(self, name: str, control: ipw.ValueWidget, *, text: bool = False) -> Any:
        binding = Binding(name, control, text, control.value, 0)
        self._bindings[name] = binding
        control.observe(lambda change: self._on_value(binding), "value")
        return control

    def _on_value(self, binding: Binding) -> None:
        if self._syncing:
            return
        if binding.text:
            binding.edited_at = self._clock()  # saved when the typing pauses (see refresh)
        else:
            self._settle(binding)
        self._changed()

    def _settle(self, binding: Binding) -> None:
        """Save the control's value if it differs from what this screen last saved or showed."""
        if not binding.dirty:
            binding.edited_at = None
            if binding.remote is not None:  # typed back to the old text: show the newer one after all
                self._show_remote(binding, binding.remote)
            return
        value = binding.control.value
        try:
            result = self.store.set_field(binding.name, value, self.author, base_version=binding.version)
        except SharedPlanError as problem:
            binding.edited_at = None
            self._refuse(str(problem), focus=False)  # typing goes on in the field
            return
        except SQLAlchemyError:
            self._refuse(t("sharedplan.save_failed"), focus=False)  # the value stays on screen, tried again
            binding.edited_at = self._clock()
            return
        binding.saved, binding.version, binding.edited_at, binding.remote = value, result.version, None, None
        if self.status == t("sharedplan.save_failed"):
            self.status = ""  # saved after all: the warning no longer holds
        if result.conflict is not None:
            self.status = t(
                "sharedplan.conflict",
                who=self._name(result.conflict.author),
                field=field_label(binding.name, self._order),
                history=t("sharedplan.history_title"),
            )
        if binding.name.startswith("goal:") and binding.name.endswith(".text"):
            self._refresh_goal_options()

    def _flush_item(self, kind: str, item_id: str) -> None:
        prefix = f"{kind}:{item_id}."
        for name, binding in list(self._bindings.items()):
            if name.startswith(prefix) and binding.edited_at is not None:
                self._settle(binding)

    def _guard(self, action: Callable[[], Any]) -> bool:
        """Run a store action; a refusal or a fault becomes a plain message (``False``)."""
        try:
            action()
        except SharedPlanError as problem:
            self._refuse(str(problem))
            return False
        except SQLAlchemyError:
            self._refuse(t("sharedplan.save_failed"))
            return False
        return True

    # -- showing the store ----------------------------------------------------------------
    def _apply(self, snapshot: PlanSnapshot) -> None:
        """Show a snapshot: rows added, removed or moved, fields others changed, the history."""
        if any(self._order[kind] != snapshot.ids(kind) for kind in ITEM_KINDS):
            pending = False
            for kind in ITEM_KINDS:
                for item_id in set(self._order[kind]) - set(snapshot.ids(kind)):
                    before = self.store.version()
                    self._flush_item(kind, item_id)  # typing in a removed item brings it back: nothing lost
                    pending = pending or self.store.version() != before
            if pending:
                snapshot = self.store.snapshot()
            self._show_rows(snapshot)
        for name, binding in self._bindings.items():
            stored = snapshot.fields.get(name)
            stored_version = stored.version if stored is not None else 0
            if stored_version == binding.version:
                continue
            if binding.edited_at is not None and binding.dirty:
                binding.remote = stored  # this person is typing here: their text stays for now
                continue
            self._show_remote(binding, stored, snapshot.value(name))
        self._redraw()
        self.set_trait("version", snapshot.version)

    def _show_remote(self, binding: Binding, stored: FieldValue | None, default: Any = None) -> None:
        value = stored.value if stored is not None else default
        self._sync(lambda: self._set_control(binding, value))
        binding.saved = binding.control.value
        binding.version = stored.version if stored is not None else 0
        binding.remote = None

    def _set_control(self, binding: Binding, value: Any) -> None:
        control = binding.control
        if isinstance(control, ipw.Dropdown):
            values = [v for _label, v in control.options]
            value = value if value in values else NO_GOAL
        if value is not None:
            control.value = value

    def _show_rows(self, snapshot: PlanSnapshot) -> None:
        for kind in ITEM_KINDS:
            wanted = snapshot.ids(kind)
            rows = self._rows[kind]
            for item_id in set(rows) - set(wanted):
                row = rows.pop(item_id)
                for part in row.controls:
                    self._bindings.pop(item_field(kind, item_id, part), None)
                row.close()
            for item_id in wanted:
                if item_id not in rows:
                    row = rows[item_id] = self._make_row(kind, item_id)
                    for part, control in row.controls.items():
                        self._bind(item_field(kind, item_id, part), control, text=isinstance(control, ipw.Text))
            self._order[kind] = wanted
            self._boxes[kind].children = [rows[i].box for i in wanted]
            label_rows(kind, [rows[i] for i in wanted])

    def _sync(self, action: Callable[[], None]) -> None:
        """Set controls from the store without saving them back."""
        self._syncing = True
        try:
            action()
        finally:
            self._syncing = False

    # -- telling the person ------------------------------------------------------------------
    def _status_regions(self) -> list[ipw.HTML]:
        """The two status regions: notices wait their turn, refusals and faults interrupt."""
        self._status_box = ui.live(ui.HTML())  # one region, there before its text changes
        self._status_box.add_class(f"{CSS}-status")
        # and one for refusals and faults, which interrupt (a conflict or a notice waits its turn)
        self._status_alert = ui.live(ui.HTML(), alert=True)
        self._status_alert.add_class(f"{CSS}-status-alert")
        self._status_is_error = False
        ui.report_refusals_to(self)  # a text too long for its field: said in the status
        self.observe(lambda _c: self._show_status(), "status")
        self._show_status()
        return [self._status_box, self._status_alert]

    def _refuse(self, text: str, *, focus: bool = True) -> None:
        """Set ``status`` to a refusal or a fault: said at once (an alert), the keyboard taken there."""
        self._status_is_error = True
        try:
            if self.status == text:  # the same refusal again is said again
                self.status = ""
            self.status = text
        finally:
            self._status_is_error = False
        if focus:
            ui.focus(self._status_alert)

    def _show_status(self) -> None:
        text = text_html(self.status)
        inner = f'<p class="{CSS}-notice">{text}</p>' if text else ""
        error = self._status_is_error and bool(text)
        self._status_box.value = "" if error else inner
        self._status_alert.value = inner if error else ""

    def _name(self, person: str) -> str:
        if not person:  # erased from the run: their words stay, their name does not
            return t("sharedplan.erased_person")
        return self._names.get(person) or person
