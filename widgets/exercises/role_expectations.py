"""RoleExpectations: what an assignment asks, set against the time a person has.

Strategidokumentet, Del 2, "Det hållbara engagemanget" (the förväntningsmall):
the nominating committee needs a written template of what an assignment
expects, with what may be dropped; the widget shows the balance against the
person's own hours a month and warns when the assignment needs more. The
presets and wording are content (see ``_role_expectations_model``).

Public attributes a test or a notebook may drive: ``preset``,
``use_preset_button``, ``assignment``, ``period``, ``task_rows`` (each with
``text``, ``hours``, ``optional``, ``remove``), ``add_task_button``,
``support``, ``available``, ``markdown_button``, ``docx_button``,
``download``; and the methods ``apply_preset``, ``add_task``, ``remove_task``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import ipywidgets as ipw
from traitlets import Float

from widgets.core.i18n import t
from widgets.kit import controls as ui
from widgets.kit.builder_view import WIDE, BuilderExercise, full_width, step_header
from widgets.models.builder import Block, BuilderWarning
from widgets.models.role_expectations import (
    MAX_HOURS,
    Expectations,
    RoleContent,
    Task,
    balance,
    load_role_content,
    parse_role_content,
    role_blocks,
    role_summary,
    role_title,
    role_warnings,
)
from widgets.storage.answers import AnswerStore

__all__ = ["RoleExpectations", "Expectations", "RoleContent", "load_role_content"]

_CSS = "cirkel-role-expectations"


class _TaskRow:
    def __init__(self, builder: RoleExpectations, index: int, task: Task):
        number = index + 1
        self.text = ui.Text(
            value=task.text,
            description=t("roleexp.task_label", number=number),
            placeholder=builder.content.steps["tasks"].placeholder,
            style=WIDE,
            layout=full_width(),
        )
        self.hours = ui.BoundedFloatText(
            value=task.hours,
            min=0,
            max=MAX_HOURS,
            step=0.5,
            description=t("roleexp.task_hours"),
            style=WIDE,
            layout=ui.layout(width="18em"),
        )
        self.optional = ui.Checkbox(
            value=task.optional, description=t("roleexp.task_optional", number=number), indent=False
        )
        self.remove = ui.Button(
            description=t("roleexp.remove_task"), tooltip=t("roleexp.remove_task_tip", number=number)
        )
        self.remove.on_click(lambda _b: builder.remove_task(index))
        self.text.observe(lambda c: builder._edit(lambda: setattr(task, "text", c["new"])), "value")
        self.hours.observe(lambda c: builder._edit(lambda: setattr(task, "hours", float(c["new"]))), "value")
        self.optional.observe(lambda c: builder._edit(lambda: setattr(task, "optional", bool(c["new"]))), "value")
        self.box = ui.VBox([self.text, ui.HBox([self.hours, self.optional, self.remove])])
        self.box.add_class(f"{_CSS}-task")


class RoleExpectations(BuilderExercise):
    """Describe an assignment's tasks, hours, period, support and what may be dropped.

    Parameters
    ----------
    content
        Wording and assignment presets: a ``RoleContent`` or a dict in the
        content file's format (validated here).
    exercise_id
        Names the answer file ``svar/<exercise_id>.json``.
    store
        Where answers are kept; by default ``svar/`` in the working directory.
    """

    kind = "role-expectations"
    css = _CSS
    max_rows = 20

    needed_hours = Float(0.0, read_only=True, help="Hours a month the assignment's tasks add up to.")
    hours_left = Float(0.0, read_only=True, help="The person's hours minus the assignment's; negative when short.")

    def __init__(
        self,
        content: RoleContent | dict[str, Any],
        exercise_id: str,
        *,
        store: AnswerStore | None = None,
        **kwargs: Any,
    ):
        self.content = content if isinstance(content, RoleContent) else parse_role_content(content)
        self.answers_data = Expectations()
        self.task_rows: list[_TaskRow] = []
        self._syncing = False
        super().__init__(exercise_id, store=store, **kwargs)

    @classmethod
    def from_file(
        cls, path: str | Path, exercise_id: str, *, store: AnswerStore | None = None, **kwargs: Any
    ) -> RoleExpectations:
        """A template builder whose content comes from a file, relative to the working directory."""
        return cls(load_role_content(path), exercise_id=exercise_id, store=store, **kwargs)

    # -- edits the buttons call ----------------------------------------------------------------------
    def apply_preset(self, preset_id: str) -> None:
        """Fill in a preset's name, period, example tasks and support (tasks replace the current ones)."""
        preset = self.content.preset(preset_id)
        if preset is None:
            raise ValueError(t("roleexp.choose_preset"))
        data = self.answers_data
        old_hours = {task.text.strip(): task.hours for task in data.tasks}
        data.preset = preset.id
        data.assignment = preset.name
        data.period = preset.period or data.period
        data.support = preset.support if (preset.support and not data.support.strip()) else data.support
        data.tasks = [Task(text=p.text, hours=old_hours.get(p.text, 0.0), optional=p.optional) for p in preset.tasks]
        self._show()
        self._changed()
        self._notice(t("roleexp.preset_applied", name=preset.name))

    def add_task(self, text: str = "", hours: float = 0.0, optional: bool = False) -> None:
        """Add a task last."""
        self._check_room(self.answers_data.tasks)
        self.answers_data.tasks.append(
            Task(text=text, hours=max(0.0, min(float(hours), MAX_HOURS)), optional=bool(optional))
        )
        self._rebuild()
        self._focus_last(self.task_rows, "text")

    def remove_task(self, index: int) -> None:
        self.answers_data.tasks.pop(index)
        self._rebuild()

    # -- BuilderExercise hooks --------------------------------------------------------------------------
    def check_warnings(self) -> list[BuilderWarning]:
        return role_warnings(self.answers_data, self.content)

    def summary(self) -> str:
        return role_summary(self.answers_data)

    def export_title(self) -> str:
        return role_title(self.answers_data)

    def export_blocks(self) -> list[Block]:
        return role_blocks(self.answers_data, self.content)

    def export_filename(self) -> str:
        return t("roleexp.filename")

    # -- Exercise ---------------------------------------------------------------------------------------
    def _build(self) -> None:
        content, steps = self.content, self.content.steps
        source = content.head.source
        self._make_shared_controls()

        self.preset = ui.Dropdown(
            options=[(t("roleexp.no_preset"), "")] + [(p.name, p.id) for p in content.presets],
            value="",
            description=t("roleexp.preset"),
            style=WIDE,
        )
        self.preset.add_class(f"{_CSS}-preset")
        self.use_preset_button = ui.Button(description=t("roleexp.use_preset"))
        self.use_preset_button.add_class(f"{_CSS}-use-preset")
        self.use_preset_button.on_click(lambda _b: self._guarded(lambda: self.apply_preset(self.preset.value)))
        self.assignment = ui.Text(
            description=t("roleexp.assignment"),
            placeholder=steps["assignment"].placeholder,
            style=WIDE,
            layout=full_width(),
        )
        self.period = ui.Text(
            description=t("roleexp.period"),
            placeholder=t("roleexp.period_placeholder"),
            style=WIDE,
            layout=full_width(),
        )
        self.assignment.observe(
            lambda c: self._edit(lambda: setattr(self.answers_data, "assignment", c["new"])), "value"
        )
        self.period.observe(lambda c: self._edit(lambda: setattr(self.answers_data, "period", c["new"])), "value")

        self._task_box = ui.VBox()
        self._task_box.add_class(f"{_CSS}-tasks")
        self.add_task_button = ui.Button(description=t("roleexp.add_task"))
        self.add_task_button.add_class(f"{_CSS}-add-task")
        self.add_task_button.on_click(lambda _b: self._guarded(self.add_task))

        self.support = ui.Textarea(
            description=t("roleexp.support"),
            placeholder=steps["support"].placeholder,
            rows=3,
            style=WIDE,
            layout=full_width(),
        )
        self.support.observe(lambda c: self._edit(lambda: setattr(self.answers_data, "support", c["new"])), "value")
        self.available = ui.BoundedFloatText(
            min=0,
            max=MAX_HOURS,
            step=0.5,
            description=t("roleexp.available"),
            style=WIDE,
            layout=ui.layout(width="24em"),
        )
        self.available.add_class(f"{_CSS}-available")
        self.available.observe(
            lambda c: self._edit(lambda: setattr(self.answers_data, "available", float(c["new"]))), "value"
        )

        def head(step_id: str) -> ipw.HTML:
            return step_header(steps[step_id], source, _CSS)

        self.children = [
            self._header(content.title, source, content.head.intro),
            self._status_box,
            self._section(
                head("assignment"),
                ui.HBox([self.preset, self.use_preset_button]),
                self.assignment,
                self.period,
                name="assignment",
            ),
            self._section(head("tasks"), self._task_box, self.add_task_button, name="tasks-section"),
            self._section(head("support"), self.support, name="support"),
            self._section(head("time"), self.available, name="time"),
            self._check_section("roleexp.check_title"),
            self._export_section("roleexp.export_heading"),
        ]
        self._show()

    def answers(self) -> dict[str, Any]:
        return self.answers_data.to_json()

    def set_answers(self, data: dict[str, Any]) -> None:
        self.answers_data = Expectations.from_json(data, self.content)
        self._show()

    # -- internals ----------------------------------------------------------------------------------------
    def _refresh_check(self) -> None:
        b = balance(self.answers_data)
        self.set_trait("needed_hours", b.needed)
        self.set_trait("hours_left", round(b.left, 2))
        super()._refresh_check()

    def _show(self) -> None:
        data = self.answers_data

        def fill() -> None:
            self.preset.value = data.preset if self.content.preset(data.preset) else ""
            self.assignment.value = data.assignment
            self.period.value = data.period
            self.support.value = data.support
            self.available.value = data.available

        self._sync(fill)
        self._rebuild_rows()
        self._refresh_check()

    def _rebuild(self) -> None:
        self._rebuild_rows()
        self._changed()

    def _rebuild_rows(self) -> None:
        def rows() -> None:
            old = self.task_rows
            self.task_rows = [_TaskRow(self, i, task) for i, task in enumerate(self.answers_data.tasks)]
            self._task_box.children = [row.box for row in self.task_rows]
            for row in old:
                row.box.close()

        self._sync(rows)
