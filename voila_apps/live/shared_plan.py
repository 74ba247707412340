"""One shared strategic plan for a study circle, edited from several devices at once.

``SharedPlanBuilder`` has the six steps and the controls of
``StrategicPlanBuilder`` (``widgets.plan``), but the plan lives in the course
run's live database (``_shared_plan_store``), one field per control. Each
device saves a field when it changes (a text after a short pause in typing)
and asks the store every second whether the plan moved; what others changed
appears within a couple of seconds. A text this person is typing is never
replaced under their fingers: when they save, theirs wins, the other text is
kept in the plan's history, and the page says so and where to find it.

``shared_plan_app`` is the Voilà app: it finds the circle (``?circle=<id>`` or a
choice among the viewer's circles), checks that the viewer may edit its plan,
and shows the builder, or a plain message.
"""

from __future__ import annotations

import datetime as dt
import html
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import ipywidgets as ipw
import yaml
from sqlalchemy.exc import SQLAlchemyError
from traitlets import Float, Int, List, Unicode, validate

from voila_apps.live.live_context import LiveContext, current_context
from widgets import _ui as ui
from widgets._download import DOCX_MIME, MARKDOWN_MIME, download_link
from widgets._live_poll import Poller, start_polling
from widgets._plan_model import Plan, PlanPrompts, load_prompts, plan_markdown, realism_warnings
from widgets._shared_plan_store import (
    ITEM_KINDS,
    FieldValue,
    HistoryEntry,
    PlanSnapshot,
    SharedPlanError,
    SharedPlanStore,
    item_field,
)
from widgets.content import ContentError
from widgets.formats import format_datetime, format_day, format_time
from widgets.i18n import t, yaml_data
from widgets.plan import realism_check_html
from widgets.resources import courses_folder
from widgets.safe_text import text_html

__all__ = ["SharedPlanBuilder", "shared_plan_app", "find_prompts", "may_edit"]

_WIDE = {"description_width": "initial"}
_CSS = "cirkel-sharedplan"
_NO_GOAL = ""
_HISTORY_SHOWN = 30
_REPO_COURSES = courses_folder()

# Phones: 44 px tap targets, nothing wider than the screen, labels above long boxes.
_STYLE = f"""<style>
.{_CSS} .jupyter-button.widget-button {{ min-height: 2.75rem; }}
.{_CSS} .widget-inline-hbox, .{_CSS} .widget-text {{ max-width: 100%; box-sizing: border-box; }}
.{_CSS} .widget-text input[type="number"] {{ min-width: 6rem; }}
.{_CSS} .{_CSS}-row {{ border-left: 3px solid #ddd; padding-left: 0.5rem; margin: 0.5rem 0; }}
.{_CSS} .{_CSS}-notice {{ border-left: 4px solid #b35c00; background: #fff4e5; padding: 0.6rem 0.9rem; }}
.{_CSS} .{_CSS}-history li {{ margin-bottom: 0.4rem; }}
.{_CSS} .{_CSS}-history q {{ font-style: italic; }}
</style>"""


# -- where the plan's wording comes from -------------------------------------------------


def _prompts_in(folder: Path, pattern: str) -> PlanPrompts | None:
    for module_yml in sorted(folder.glob(pattern)):
        try:
            spec = yaml_data(module_yml.read_text(encoding="utf-8")) or {}
        except (OSError, yaml.YAMLError):
            continue
        for exercise in spec.get("exercises") or [] if isinstance(spec, dict) else []:
            if (
                isinstance(exercise, dict)
                and exercise.get("widget") == "StrategicPlanBuilder"
                and exercise.get("content")
            ):
                return load_prompts(module_yml.parent / str(exercise["content"]))
    return None


def find_prompts(run_dir: str | Path) -> PlanPrompts:
    """The plan's wording: the run's own plan module, else the course with a plan in the repository.

    Raises ``ContentError`` when there is none (or it cannot be read).
    """
    found = _prompts_in(Path(run_dir) / "source", "*/module.yml")
    if found is None and _REPO_COURSES.is_dir():
        found = _prompts_in(_REPO_COURSES, "*/*/module.yml")
    if found is None:
        raise ContentError(Path(run_dir) / "source", "", t("sharedplan.no_prompts"))
    return found


# -- one control bound to one stored field -----------------------------------------------


@dataclass
class _Binding:
    """A control and the stored field it edits.

    ``saved``/``version`` are what this screen last saved or showed from the
    store; ``edited_at`` is set while a text has unsaved typing; ``remote``
    is someone else's newer value that arrived while this person was typing.
    """

    name: str
    control: ipw.ValueWidget
    text: bool
    saved: Any
    version: int
    edited_at: float | None = None
    remote: FieldValue | None = None

    @property
    def dirty(self) -> bool:
        return self.control.value != self.saved


class _Row:
    """The controls of one goal, activity or discussion (kept while the item lives)."""

    def __init__(
        self,
        kind: str,
        item_id: str,
        controls: dict[str, ipw.ValueWidget],
        buttons: dict[str, ipw.Button],
        box: ipw.Box,
    ):
        self.kind = kind
        self.item_id = item_id
        self.controls = controls
        self.buttons = buttons
        self.box = box

    def close(self) -> None:
        for widget in [*self.controls.values(), *self.buttons.values()]:
            widget.close()
        self.box.close()


def _row_layout() -> ipw.Layout:
    return ui.layout(display="flex", flex_flow="row wrap", align_items="center", width="100%")


def _number_layout() -> ipw.Layout:
    return ui.layout(width="auto", max_width="100%")


class SharedPlanBuilder(ui.VBox):
    """A circle's strategic plan that several devices edit at once.

    Parameters
    ----------
    store
        The circle's plan in the run's live database.
    prompts
        The wording of the six steps and the limits (as ``StrategicPlanBuilder``).
    author
        Who is editing on this device (hub username); written with every change.
    names
        Display names by username, for the history and the notices.
    title
        A heading above the plan (the circle's name); empty for none.
    poll_interval
        Seconds between looks at the store; ``None`` never starts the timer
        (tests call :meth:`refresh` themselves). Headless nothing starts anyway.
    clock
        Monotonic seconds, for the pause before a text is saved.
    """

    circle_id = Unicode(read_only=True, help="The study circle whose plan this is.")
    author = Unicode(read_only=True, help="The person editing on this device (hub username).")
    version = Int(0, read_only=True, help="The plan version this screen last showed from the store.")
    warnings = List(Unicode(), read_only=True, help="Codes of the realism check's current warnings.")
    status = Unicode("", help="The last plain message to this person (shown in a status region).")
    pause = Float(1.0, help="Seconds without typing after which a text is saved.")

    @validate("pause")
    def _valid_pause(self, proposal: dict[str, Any]) -> float:
        value = float(proposal["value"])
        if not 0 <= value <= 30:
            raise ValueError("pause must be between 0 and 30 seconds")
        return value

    def __init__(
        self,
        store: SharedPlanStore,
        prompts: PlanPrompts,
        author: str,
        *,
        names: Mapping[str, str] | None = None,
        title: str = "",
        poll_interval: float | None = 1.0,
        clock: Callable[[], float] = time.monotonic,
        **kwargs: Any,
    ):
        super().__init__(**kwargs)
        self.store = store
        self.prompts = prompts
        self.set_trait("circle_id", store.circle_id)
        self.set_trait("author", author)
        self._names = dict(names or {})
        self._clock = clock
        self._syncing = False
        self._bindings: dict[str, _Binding] = {}
        self._rows: dict[str, dict[str, _Row]] = {kind: {} for kind in ITEM_KINDS}
        self._order: dict[str, tuple[str, ...]] = {kind: () for kind in ITEM_KINDS}
        self._failed = False
        self.add_class(_CSS)
        self._build(title)
        self._apply(self.store.snapshot())
        self._poller: Poller = start_polling(self.refresh, poll_interval) if poll_interval else Poller(None)

    # -- public actions (buttons call these) ------------------------------------------
    def add_item(self, kind: str) -> str | None:
        """Add a goal, activity or discussion to the shared plan; returns its id (``None`` if refused)."""
        try:
            item_id = self.store.add_item(kind, self.author)
        except SharedPlanError as problem:
            self._refuse(str(problem))
            return None
        except SQLAlchemyError:
            self._refuse(t("sharedplan.save_failed"))
            return None
        self.refresh()
        row = self._rows[kind].get(item_id)
        first = row.controls.get("text") or row.controls.get("what") if row else None
        if first is not None:
            ui.focus(first)
        return item_id

    def remove_item(self, kind: str, item_id: str) -> None:
        """Take an item off the plan (its text stays in the history)."""
        self._flush_item(kind, item_id)
        place = self._order[kind].index(item_id) if item_id in self._order[kind] else 0
        removed = self._guard(lambda: self.store.remove_item(kind, item_id, self.author))
        if removed:
            self.status = t("sharedplan.removed_notice")
        self.refresh()
        if removed:
            self._focus_after_removal(kind, place)

    def _focus_after_removal(self, kind: str, place: int) -> None:
        """Focus the item that took the removed one's place, else the one before, else its add button."""
        ids = self._order[kind]
        if ids:
            row = self._rows[kind][ids[min(place, len(ids) - 1)]]
            ui.focus(row.controls.get("text") or row.controls["what"])
        else:
            ui.focus(self._add_buttons[kind])

    def move_item(self, kind: str, item_id: str, step: int) -> None:
        """Move an item up (``-1``) or down (``+1``) in the plan's order."""
        self._guard(lambda: self.store.move_item(kind, item_id, step, self.author))
        self.refresh()
        row = self._rows[kind].get(item_id)
        if row is not None:  # the moved item's same button, or the other one at the top or bottom
            same, other = (
                (row.buttons["up"], row.buttons["down"]) if step < 0 else (row.buttons["down"], row.buttons["up"])
            )
            ui.focus(same if ui.shown(same) else other)

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

    def close(self) -> None:
        self._poller.stop()
        super().close()

    @property
    def plan(self) -> Plan:
        """The plan as this screen shows it (the realism check uses it)."""
        return Plan.from_json(
            {
                "perception": self.perception.value,
                "revisit": self.revisit.value,
                "resources": {"members": self.members.value, "hours": self.hours.value, "money": self.money.value},
                "goals": [
                    {
                        "id": i,
                        "text": self._rows["goal"][i].controls["text"].value,
                        "years": self._rows["goal"][i].controls["years"].value,
                    }
                    for i in self._order["goal"]
                ],
                "activities": [
                    {part: self._rows["activity"][i].controls[part].value for part in ITEM_KINDS["activity"]}
                    for i in self._order["activity"]
                ],
                "anchoring": [
                    {part: self._rows["discussion"][i].controls[part].value for part in ITEM_KINDS["discussion"]}
                    for i in self._order["discussion"]
                ],
            }
        )

    def shared_plan(self) -> Plan:
        """The plan as stored for the whole circle, this screen's typing saved first."""
        self.flush()
        return self.store.snapshot().plan()

    def to_markdown(self) -> str:
        """The shared plan as Markdown for the board meeting."""
        return plan_markdown(self.shared_plan(), self.prompts)

    def docx_bytes(self) -> bytes:
        """The shared plan as a Word document."""
        from widgets._docx import plan_docx_bytes

        return plan_docx_bytes(self.shared_plan(), self.prompts)

    def history(self) -> list[HistoryEntry]:
        """The plan's earlier values, newest first."""
        return self.store.history(_HISTORY_SHOWN)

    def goal_rows(self) -> list[_Row]:
        return [self._rows["goal"][i] for i in self._order["goal"]]

    def activity_rows(self) -> list[_Row]:
        return [self._rows["activity"][i] for i in self._order["activity"]]

    def discussion_rows(self) -> list[_Row]:
        return [self._rows["discussion"][i] for i in self._order["discussion"]]

    # -- building the view ---------------------------------------------------------------
    def _build(self, title: str) -> None:
        prompts, steps = self.prompts, self.prompts.steps
        source = prompts.source_text
        header = f'<h2 class="{_CSS}-title">{html.escape(title)}</h2>' if title else ""
        header += f'<h3 class="{_CSS}-plan-title">{html.escape(prompts.title)}</h3>'
        header += f"<p>{html.escape(t('sharedplan.intro'))}</p>"
        if source:
            header += f'<p class="cirkel-source">{html.escape(t("plan.source", source=source))}</p>'
        if prompts.intro:
            header += f"<p>{html.escape(prompts.intro)}</p>"

        def head(step_id: str) -> ipw.HTML:
            step = steps[step_id]
            parts = [f"<h4>{html.escape(step.title)}</h4>", f"<p>{html.escape(step.help)}</p>"]
            if step.quote:
                parts.append(
                    f'<blockquote class="cirkel-quote"><p>{html.escape(step.quote)}</p>'
                    f"<footer>{html.escape(t('plan.quote_source', source=source))}</footer></blockquote>"
                )
            return ui.HTML("".join(parts))

        self.perception = self._bind(
            "perception",
            ui.Textarea(
                description=t("plan.perception_label"),
                placeholder=steps["perception"].placeholder,
                rows=4,
                continuous_update=True,
                style=_WIDE,
                layout=ui.layout(width="100%"),
            ),
            text=True,
        )
        self.revisit = self._bind(
            "revisit",
            ui.Textarea(
                description=t("plan.revisit_label"),
                placeholder=steps["revisit"].placeholder,
                rows=2,
                continuous_update=True,
                style=_WIDE,
                layout=ui.layout(width="100%"),
            ),
            text=True,
        )
        self.members = self._bind(
            "resources.members",
            ui.BoundedIntText(min=0, max=100000, description=t("plan.members"), style=_WIDE, layout=_number_layout()),
        )
        self.hours = self._bind(
            "resources.hours",
            ui.BoundedFloatText(
                min=0, max=100000, step=1, description=t("plan.hours"), style=_WIDE, layout=_number_layout()
            ),
        )
        self.money = self._bind(
            "resources.money",
            ui.BoundedIntText(
                min=0, max=10**9, step=500, description=t("plan.money"), style=_WIDE, layout=_number_layout()
            ),
        )
        self._boxes = {kind: ui.VBox() for kind in ITEM_KINDS}
        self.add_goal_button = ui.Button(description=t("plan.add_goal"))
        self.add_activity_button = ui.Button(description=t("plan.add_activity"))
        self.add_discussion_button = ui.Button(description=t("plan.add_discussion"))
        self.add_goal_button.on_click(lambda _b: self.add_item("goal"))
        self.add_activity_button.on_click(lambda _b: self.add_item("activity"))
        self.add_discussion_button.on_click(lambda _b: self.add_item("discussion"))
        self._add_buttons = {
            "goal": self.add_goal_button,
            "activity": self.add_activity_button,
            "discussion": self.add_discussion_button,
        }

        self._status_box = ui.live(ui.HTML())  # one region, there before its text changes
        self._status_box.add_class(f"{_CSS}-status")
        # and one for refusals and faults, which interrupt (a conflict or a notice waits its turn)
        self._status_alert = ui.live(ui.HTML(), alert=True)
        self._status_alert.add_class(f"{_CSS}-status-alert")
        self._status_is_error = False
        ui.report_refusals_to(self)  # a text too long for its field: said in the status
        self.observe(lambda _c: self._show_status(), "status")
        self._show_status()
        self._check = ui.HTML()
        self._check.add_class("cirkel-plan-check")
        self._history = ui.HTML()
        self._history.add_class(f"{_CSS}-history")

        self.markdown_button = ui.Button(description=t("plan.download_markdown"))
        self.docx_button = ui.Button(description=t("plan.download_docx"))
        self.download = ui.HTML()
        self.markdown_button.on_click(lambda _b: self._offer("md"))
        self.docx_button.on_click(lambda _b: self._offer("docx"))

        def section(*children: ipw.Widget, name: str = "") -> ipw.VBox:
            box = ui.VBox(list(children))
            box.add_class(f"{_CSS}-section")
            if name:
                box.add_class(f"{_CSS}-{name}")
            return box

        def heading(key: str) -> ipw.HTML:
            return ui.HTML(f"<h4>{html.escape(t(key))}</h4>")

        buttons = ui.Box([self.markdown_button, self.docx_button], layout=_row_layout())
        self.children = [
            ui.HTML(_STYLE + header),
            self._status_box,
            self._status_alert,
            section(head("perception"), self.perception, name="perception"),
            section(head("goals"), self._boxes["goal"], self.add_goal_button, name="goals"),
            section(head("resources"), self.members, self.hours, self.money, name="resources"),
            section(head("activities"), self._boxes["activity"], self.add_activity_button, name="activities"),
            section(head("anchoring"), self._boxes["discussion"], self.add_discussion_button, name="anchoring"),
            section(head("revisit"), self.revisit, name="revisit"),
            section(heading("plan.check_title"), self._check, name="check"),
            section(heading("sharedplan.history_title"), self._history, name="history-section"),
            section(heading("plan.export_title"), buttons, self.download, name="export"),
        ]

    def _bind(self, name: str, control: ipw.ValueWidget, *, text: bool = False) -> Any:
        binding = _Binding(name, control, text, control.value, 0)
        self._bindings[name] = binding
        control.observe(lambda change: self._on_value(binding), "value")
        return control

    def _make_row(self, kind: str, item_id: str) -> _Row:
        controls: dict[str, ipw.ValueWidget] = {}
        buttons: dict[str, ipw.Button] = {}
        if kind == "goal":
            controls["text"] = ui.Text(
                placeholder=self.prompts.steps["goals"].placeholder,
                continuous_update=True,
                style=_WIDE,
                layout=ui.layout(width="100%"),
            )
            controls["years"] = ui.BoundedIntText(
                value=3, min=1, max=50, description=t("plan.goal_years"), style=_WIDE, layout=_number_layout()
            )
            buttons["up"] = ui.Button(description=t("plan.move_up"))
            buttons["down"] = ui.Button(description=t("plan.move_down"))
            buttons["remove"] = ui.Button(description=t("plan.remove_goal"))
            buttons["up"].on_click(lambda _b: self.move_item(kind, item_id, -1))
            buttons["down"].on_click(lambda _b: self.move_item(kind, item_id, +1))
            lines = [
                controls["text"],
                ui.Box([controls["years"], buttons["up"], buttons["down"], buttons["remove"]], layout=_row_layout()),
            ]
        elif kind == "activity":
            controls["text"] = ui.Text(
                placeholder=self.prompts.steps["activities"].placeholder,
                continuous_update=True,
                style=_WIDE,
                layout=ui.layout(width="100%"),
            )
            controls["goal"] = ui.Dropdown(
                options=self._goal_options(),
                value=_NO_GOAL,
                description=t("plan.activity_goal"),
                style=_WIDE,
                layout=_number_layout(),
            )
            controls["hours"] = ui.BoundedFloatText(
                min=0, max=10000, step=0.5, description=t("plan.activity_hours"), style=_WIDE, layout=_number_layout()
            )
            controls["cost"] = ui.BoundedIntText(
                min=0, max=10**8, step=100, description=t("plan.activity_cost"), style=_WIDE, layout=_number_layout()
            )
            buttons["remove"] = ui.Button(description=t("plan.remove_activity"))
            lines = [
                controls["text"],
                controls["goal"],
                ui.Box([controls["hours"], controls["cost"], buttons["remove"]], layout=_row_layout()),
            ]
        else:
            controls["what"] = ui.Text(
                placeholder=self.prompts.steps["anchoring"].placeholder,
                continuous_update=True,
                style=_WIDE,
                layout=ui.layout(width="100%"),
            )
            controls["when"] = ui.Text(
                placeholder=t("plan.discussion_when_placeholder"),
                continuous_update=True,
                description=t("plan.discussion_when"),
                style=_WIDE,
                layout=_number_layout(),
            )
            buttons["remove"] = ui.Button(description=t("plan.remove_discussion"))
            lines = [controls["what"], ui.Box([controls["when"], buttons["remove"]], layout=_row_layout())]
        buttons["remove"].on_click(lambda _b: self.remove_item(kind, item_id))
        for part, control in controls.items():
            self._bind(item_field(kind, item_id, part), control, text=isinstance(control, ipw.Text))
        box = ui.VBox(lines)
        box.add_class(f"{_CSS}-row")
        box.add_class(f"{_CSS}-{kind}")
        return _Row(kind, item_id, controls, buttons, box)

    # -- saving --------------------------------------------------------------------------
    def _on_value(self, binding: _Binding) -> None:
        if self._syncing:
            return
        if binding.text:
            binding.edited_at = self._clock()  # saved when the typing pauses (see refresh)
        else:
            self._settle(binding)
        self._refresh_check()
        self.download.value = ""  # an old link would download an old plan

    def _settle(self, binding: _Binding) -> None:
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
                field=self._field_label(binding.name),
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
        self._refresh_goal_options()
        self._refresh_check()
        self._refresh_history()
        self.set_trait("version", snapshot.version)

    def _show_remote(self, binding: _Binding, stored: FieldValue | None, default: Any = None) -> None:
        value = stored.value if stored is not None else default
        self._sync(lambda: self._set_control(binding, value))
        binding.saved = binding.control.value
        binding.version = stored.version if stored is not None else 0
        binding.remote = None

    def _set_control(self, binding: _Binding, value: Any) -> None:
        control = binding.control
        if isinstance(control, ipw.Dropdown):
            values = [v for _label, v in control.options]
            value = value if value in values else _NO_GOAL
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
                    rows[item_id] = self._make_row(kind, item_id)
            self._order[kind] = wanted
            self._boxes[kind].children = [rows[i].box for i in wanted]
            self._label_rows(kind)

    def _label_rows(self, kind: str) -> None:
        ids = self._order[kind]
        for number, item_id in enumerate(ids, start=1):
            row = self._rows[kind][item_id]
            if kind == "goal":
                row.controls["text"].description = t("plan.goal_label", number=number)
                row.buttons["up"].tooltip = t("plan.move_up_tip", number=number)
                row.buttons["down"].tooltip = t("plan.move_down_tip", number=number)
                row.buttons["remove"].tooltip = t("plan.remove_goal_tip", number=number)
                ui.show(row.buttons["up"], number != 1)
                ui.show(row.buttons["down"], number != len(ids))
            elif kind == "activity":
                row.controls["text"].description = t("plan.activity_label", number=number)
                row.buttons["remove"].tooltip = t("plan.remove_activity_tip", number=number)
            else:
                row.controls["what"].description = t("plan.discussion_label", number=number)
                row.buttons["remove"].tooltip = t("plan.remove_discussion_tip", number=number)

    def _goal_options(self) -> list[tuple[str, str]]:
        options = [(t("plan.no_goal"), _NO_GOAL)]
        for number, goal_id in enumerate(self._order["goal"], start=1):
            row = self._rows["goal"].get(goal_id)
            text = " ".join(row.controls["text"].value.split()) if row else ""
            text = text if len(text) <= 40 else text[:39] + "…"
            options.append((t("plan.goal_option", number=number, text=text or t("plan.unnamed_goal")), goal_id))
        return options

    def _refresh_goal_options(self) -> None:
        options = self._goal_options()

        def relabel() -> None:
            for item_id in self._order["activity"]:
                control = self._rows["activity"][item_id].controls["goal"]
                binding = self._bindings[item_field("activity", item_id, "goal")]
                if list(control.options) != options:
                    wanted = control.value if binding.dirty else binding.saved
                    control.options = options
                    control.value = wanted if wanted in [v for _l, v in options] else _NO_GOAL

        self._sync(relabel)

    def _sync(self, action: Callable[[], None]) -> None:
        self._syncing = True
        try:
            action()
        finally:
            self._syncing = False

    def _refresh_check(self) -> None:
        found = realism_warnings(self.plan, self.prompts)
        self.set_trait("warnings", [w.code for w in found])
        self._check.value = realism_check_html(found)

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
        inner = f'<p class="{_CSS}-notice">{text}</p>' if text else ""
        error = self._status_is_error and bool(text)
        self._status_box.value = "" if error else inner
        self._status_alert.value = inner if error else ""

    # -- history ----------------------------------------------------------------------------
    def _refresh_history(self) -> None:
        entries = self.history()
        if not entries:
            self._history.value = f"<p>{html.escape(t('sharedplan.history_empty'))}</p>"
            return
        lines = "".join(f"<li>{self._history_line(entry)}</li>" for entry in entries)
        self._history.value = f"<p>{html.escape(t('sharedplan.history_intro'))}</p><ul>{lines}</ul>"

    def _history_line(self, entry: HistoryEntry) -> str:
        when = html.escape(_when(entry.replaced_at))
        who = text_html(self._name(entry.replaced_by))
        if entry.event == "removed":
            kind = entry.field.split(":", 1)[0]
            text = entry.value.get("text") or entry.value.get("what") or "" if isinstance(entry.value, dict) else ""
            return text_html(
                t(
                    f"sharedplan.history_removed_{kind}",
                    who=self._name(entry.replaced_by),
                    text=" ".join(str(text).split()) or t("plan.unnamed_goal"),
                    when=_when(entry.replaced_at),
                )
            )
        key = "sharedplan.history_conflict" if entry.conflict else "sharedplan.history_changed"
        line = t(
            key,
            who="\x00who\x00",
            field=self._field_label(entry.field),
            when="\x00when\x00",
            author=self._name(entry.author),
            written=_when(entry.written_at),
        )
        line = text_html(line).replace("\x00who\x00", f"<strong>{who}</strong>").replace("\x00when\x00", when)
        value = entry.value
        shown = (" ".join(value.split()) if isinstance(value, str) else str(value)) or t("sharedplan.history_blank")
        return f"{line} <q>{text_html(shown)}</q>"

    def _field_label(self, name: str) -> str:
        """How a person names a field: ``Mål 2``, ``Aktivitet 1: timmar i månaden``."""
        plain = {
            "perception": "plan.perception_label",
            "revisit": "plan.revisit_label",
            "resources.members": "plan.members",
            "resources.hours": "plan.hours",
            "resources.money": "plan.money",
        }
        if name in plain:
            return t(plain[name])
        kind, rest = name.split(":", 1)
        item_id, _, part = rest.partition(".")
        ids = self._order.get(kind, ())
        if item_id in ids:
            thing = t(f"sharedplan.item_{kind}", number=ids.index(item_id) + 1)
        else:
            thing = t(f"sharedplan.item_{kind}_removed")
        part_key = {
            "years": "plan.goal_years",
            "goal": "plan.activity_goal",
            "hours": "plan.activity_hours",
            "cost": "plan.activity_cost",
            "when": "plan.discussion_when",
        }.get(part)
        return t("sharedplan.field_part", item=thing, part=t(part_key)) if part_key else thing

    def _name(self, person: str) -> str:
        if not person:  # erased from the run: their words stay, their name does not
            return t("sharedplan.erased_person")
        return self._names.get(person) or person

    # -- exports ---------------------------------------------------------------------------
    def _offer(self, kind: str) -> None:
        try:
            if kind == "md":
                payload, name, mime = self.to_markdown().encode("utf-8"), t("plan.markdown_filename"), MARKDOWN_MIME
            else:
                payload, name, mime = self.docx_bytes(), t("plan.docx_filename"), DOCX_MIME
        except SQLAlchemyError:
            self._refuse(t("sharedplan.read_failed"))
            return
        self.download.value = download_link(name, mime, payload, t("plan.download_link", name=name))
        ui.focus(self.download)  # the link just made


def _when(seconds: float) -> str:
    """When a row was changed, in Stockholm's time: the time of day if today, else the day too."""
    moment = dt.datetime.fromtimestamp(seconds, dt.UTC)
    if format_day(moment) == format_day(dt.datetime.now(dt.UTC)):
        return format_time(moment)
    return format_datetime(moment)


# -- the app --------------------------------------------------------------------------------


def may_edit(context: LiveContext, leader_id: str, members: tuple[str, ...]) -> bool:
    """Members and the cirkelledare of the circle, and the run's course leaders; never a guest."""
    if context.is_guest:
        return False
    return context.is_run_leader or context.viewer == leader_id or context.viewer in members


def _message(text: str) -> ipw.HTML:
    box = ui.live(ui.HTML(f"<p>{html.escape(text)}</p>"))
    box.add_class(f"{_CSS}-message")
    return box


def shared_plan_app(
    context: LiveContext | None = None, *, prompts: PlanPrompts | None = None, poll_interval: float | None = 1.0
) -> ipw.Widget:
    """The circle's shared plan for the person who opened the page, or a plain message why not.

    ``?circle=<id>`` names the circle; without it, a person in one circle gets
    that circle's plan and a person in several chooses.
    """
    from grading.circles import CircleError, CircleStore

    ctx = context or current_context()
    app = ui.VBox()
    app.add_class(f"{_CSS}-app")
    if ctx.is_guest:
        app.children = [_message(t("sharedplan.refused_guest"))]
        return app
    try:
        circles = CircleStore(ctx.run_dir).circles()
    except (CircleError, OSError, ValueError):
        app.children = [_message(t("sharedplan.no_run"))]
        return app
    mine = [c for c in circles if may_edit(ctx, c.leader_id, c.members)]

    def open_circle(circle_id: str) -> None:
        circle = next((c for c in circles if c.circle_id == circle_id), None)
        if circle is None:
            app.children = [_message(t("sharedplan.unknown_circle", circle=circle_id))]
            return
        if circle not in mine:
            app.children = [_message(t("sharedplan.refused", circle=circle.name))]
            return
        try:
            wording = prompts or find_prompts(ctx.run_dir)
        except ContentError as problem:
            app.children = [_message(t("sharedplan.bad_prompts", problem=str(problem)))]
            return
        try:
            names = CircleStore(ctx.run_dir).display_names([*circle.members, *ctx.leaders])
        except Exception:  # names are a courtesy: ids will do
            names = {}
        try:
            store = SharedPlanStore(ctx.run_dir, circle.circle_id)
            builder = SharedPlanBuilder(
                store,
                wording,
                ctx.viewer,
                names=names,
                title=t("sharedplan.title", circle=circle.name),
                poll_interval=poll_interval,
            )
        except SQLAlchemyError:
            app.children = [_message(t("sharedplan.read_failed"))]
            return
        app.children = [builder]

    wanted = ctx.query.get("circle", "").strip()
    if wanted:
        open_circle(wanted)
    elif not mine:
        app.children = [_message(t("sharedplan.no_circles"))]
    elif len(mine) == 1:
        open_circle(mine[0].circle_id)
    else:
        choice = ui.Dropdown(
            options=[(c.name, c.circle_id) for c in mine],
            description=t("sharedplan.choose_circle"),
            style=_WIDE,
            layout=_number_layout(),
        )
        go = ui.Button(description=t("sharedplan.open"), button_style="primary")
        go.on_click(lambda _b: open_circle(choice.value))
        app.children = [ui.HTML(_STYLE + f"<h2>{html.escape(t('sharedplan.choose_title'))}</h2>"), choice, go]
        app.add_class(_CSS)
    return app
