"""The group quiz on every screen of the room: the leader's controls, the big screen, each phone.

Three views of one session in the course run's live store
(``grading.group_quiz_store``): :class:`GroupQuizLeader` (the cirkelledare
opens a session and steps through it), :class:`GroupQuizScreen` (what the room
sees: the code, the question, who has answered, the spread, the explanation)
and :class:`GroupQuizParticipant` (a phone: the question, big options,
"Svara"). Each runs in its own kernel and learns what the others did by
polling the store (``refresh``); tests build several of them against one
store and call ``refresh`` themselves.

The app functions :func:`group_quiz_app` and :func:`group_quiz_screen_app`
decide from the viewer's role and the page's ``session`` parameter which view
to build, and give a plain Swedish message instead when the viewer has no
part in it.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import ipywidgets as ipw
from sqlalchemy.exc import SQLAlchemyError
from traitlets import Int, Unicode, validate

from grading.group_quiz_store import (
    GroupQuizError,
    SessionResult,
    Snapshot,
    answer,
    circle_results,
    end_session,
    guest_sessions,
    join,
    join_by_code,
    next_question,
    open_session,
    open_sessions,
    quiz_exercises,
    reveal,
    session_info,
    session_state,
    show_spread,
    snapshot,
)
from voila_apps.live.live_context import LiveContext, current_context
from widgets import _ui as ui
from widgets._live_poll import Poller, start_polling
from widgets._svg_chart import Bar, bar_chart_svg
from widgets.i18n import t
from widgets.safe_text import text_html as _e

__all__ = [
    "GroupQuizLeader",
    "GroupQuizScreen",
    "GroupQuizParticipant",
    "group_quiz_app",
    "group_quiz_screen_app",
    "message_widget",
    "spread_html",
    "screen_html",
    "join_address",
    "SCREEN_NOTEBOOK",
    "JOIN_PATH",
]

SCREEN_NOTEBOOK = "gruppquiz-skarm.ipynb"
#: the hub's page where a code is typed (the lead's hub page)
JOIN_PATH = "/hub/kod"
_CSS = "cirkel-gq"
_RIGHT_COLOUR = "#1e6b30"
_OTHER_COLOUR = "#4d4d4d"
_BUTTON = {"min_height": "44px"}
_STYLE = f"""<style>
.{_CSS} {{ max-width: 48rem; }}
.{_CSS} .widget-html-content {{ white-space: normal; }}
.{_CSS} .jupyter-button {{ min-height: 44px; font-size: 1.1rem; }}
.{_CSS} .widget-radio-box label, .{_CSS} .widget-checkbox label {{
  min-height: 44px; height: auto; display: flex; align-items: center; gap: 0.6rem; font-size: 1.15rem;
  white-space: normal; line-height: 1.3; margin: 0.2rem 0; cursor: pointer; }}
.{_CSS} .widget-radio-box label {{ flex-direction: row-reverse; justify-content: flex-end; }}
.{_CSS} .widget-radio-box input, .{_CSS} .widget-checkbox input {{ width: 1.4rem; height: 1.4rem; flex: none; }}
.{_CSS} .widget-radio, .{_CSS} .widget-checkbox {{ width: 100%; height: auto; }}
.{_CSS} .widget-radio-box {{ width: 100%; }}
.{_CSS} .{_CSS}-row {{ flex-wrap: wrap; gap: 0.5rem; }}
.{_CSS} .{_CSS}-question {{ font-size: 1.3rem; font-weight: 600; }}
.{_CSS} .{_CSS}-right {{ color: {_RIGHT_COLOUR}; font-weight: 700; }}
.{_CSS} table {{ border-collapse: collapse; margin: 0.5rem 0; }}
.{_CSS} th, .{_CSS} td {{ border: 1px solid #8a8a8a; padding: 0.3rem 0.5rem; text-align: left; }}
.{_CSS} .widget-text input {{ font-size: 1.2rem; letter-spacing: 0.15em; text-transform: uppercase; }}
.{_CSS} .widget-dropdown select {{ min-height: 44px; }}
.{_CSS}-screen {{ max-width: none; font-size: 1.7rem; color: #000; background: #fff; }}
body:has(.{_CSS}-screen) #rendered_cells > div {{ max-width: none; }}
.{_CSS}-screen h2 {{ font-size: 2.6rem; margin: 0.4rem 0; line-height: 1.2; }}
.{_CSS}-screen .{_CSS}-question {{ font-size: 2.4rem; line-height: 1.25; }}
.{_CSS}-screen .{_CSS}-code {{ font-size: 4.5rem; font-weight: 800; letter-spacing: 0.2em; font-family: monospace; }}
.{_CSS}-screen .{_CSS}-join {{ border: 4px solid #000; padding: 0.6rem 1.2rem; display: inline-block; }}
.{_CSS} .{_CSS}-option-list {{ list-style: none; padding-left: 0; }}
.{_CSS}-screen .{_CSS}-option-list li {{ margin: 0.3rem 0; }}
.{_CSS}-screen svg {{ font-size: 13px; }}
.{_CSS}-screen .{_CSS}-names li {{ display: inline-block; margin: 0.2rem 0.8rem 0.2rem 0; }}
</style>"""
_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def _option_label(index: int, text: str) -> str:
    return f"{_LETTERS[index % len(_LETTERS)]}. {text}"


def message_widget(text: str) -> ipw.HTML:
    """A plain message in place of an app (no role here, an ended session, a code that does not hold)."""
    box = ui.live(ui.HTML(f'{_STYLE}<div class="{_CSS}-message"><p>{_e(text)}</p></div>'))
    box.add_class(_CSS)
    return box


def _status_html(text: str, *, error: bool = False) -> str:
    # shown in a live region (``ui.live``) that is in the page before it changes; an error in the alert one
    return f'<div class="{_CSS}-{"refusal" if error else "status"}">{f"<p>{_e(text)}</p>" if text else ""}</div>'


def join_address(page_url: str | None) -> str:
    """The hub's code page as seen from this page's address: ``http://host/hub/kod``.

    Under the hub an app lives at ``<hub>/services/<service>/voila/render/...``;
    what comes before ``/services/`` is the hub's own address.
    """
    if not page_url:
        return ""
    parts = urlsplit(page_url)
    if not parts.scheme or not parts.netloc:
        return ""
    prefix = parts.path.split("/services/", 1)[0] if "/services/" in parts.path else ""
    return f"{parts.scheme}://{parts.netloc}{prefix.rstrip('/')}{JOIN_PATH}"


def _screen_link(session_id: int) -> str:
    """The big screen's address relative to an app page beside it."""
    return f"{SCREEN_NOTEBOOK}?session={int(session_id)}"


# -- shared pieces of HTML -----------------------------------------------------------------


def spread_html(options: Sequence[str], counts: Sequence[int], correct: Sequence[int] | None = None) -> str:
    """The spread of answers as a bar chart (a picture) and the same numbers as a table (its text).

    With ``correct`` the right options' bars are green and marked in the table.
    """
    right = set(correct or ())
    bars = [
        Bar(
            label=_LETTERS[i % len(_LETTERS)],
            value=float(n),
            shown=t("groupquiz.count", count=n),
            colour=(_RIGHT_COLOUR if i in right else _OTHER_COLOUR) if correct is not None else "",
        )
        for i, n in enumerate(counts)
    ]
    total = sum(counts)
    chart = bar_chart_svg(
        bars, name=t("groupquiz.chart_name", total=total), scale_max=max([*counts, 1]), css_class=f"{_CSS}-chart"
    )
    rows = []
    for i, (text, n) in enumerate(zip(options, counts)):
        mark = f' <span class="{_CSS}-right">({_e(t("groupquiz.right_mark"))})</span>' if i in right else ""
        rows.append(f'<tr><th scope="row">{_e(_option_label(i, text))}{mark}</th><td>{n}</td></tr>')
    table = (
        f'<table class="{_CSS}-spread"><caption>{_e(t("groupquiz.spread_caption"))}</caption>'
        f'<thead><tr><th scope="col">{_e(t("groupquiz.col_option"))}</th>'
        f'<th scope="col">{_e(t("groupquiz.col_count"))}</th></tr></thead><tbody>{"".join(rows)}</tbody></table>'
    )
    return f'<div class="{_CSS}-spread-box">{chart}{table}</div>'


def _explanation_html(snap: Snapshot) -> str:
    if snap.correct is None or snap.question is None:
        return ""
    right = "; ".join(_option_label(i, snap.question.options[i]) for i in snap.correct)
    return (
        f'<p class="{_CSS}-right">{_e(t("groupquiz.right_answer", answer=right))}</p>'
        f'<p class="{_CSS}-explanation">{_e(t("groupquiz.explanation", text=snap.explanation or ""))}</p>'
    )


def _question_html(snap: Snapshot, *, with_options: bool) -> str:
    assert snap.question is not None
    number = t("groupquiz.question_number", number=snap.index + 1, total=snap.total)
    parts = [
        f'<p class="{_CSS}-number">{_e(number)}</p>',
        f'<p class="{_CSS}-question {ui.LEGEND_CLASS}">{_e(snap.question.text)}</p>',
    ]
    if with_options:
        items = "".join(f"<li>{_e(_option_label(i, text))}</li>" for i, text in enumerate(snap.question.options))
        parts.append(f'<ul class="{_CSS}-option-list">{items}</ul>')
    return "".join(parts)


def _names_html(names: Sequence[str], css: str) -> str:
    if not names:
        return ""
    return f'<ul class="{_CSS}-names {css}">' + "".join(f"<li>{_e(n)}</li>" for n in names) + "</ul>"


def screen_html(snap: Snapshot, address: str = "") -> str:
    """What the big screen shows now: only what the room should see."""
    info = snap.session
    parts = [f"<h2>{_e(t('groupquiz.screen_title', title=info.title))}</h2>"]
    if info.code_open() and snap.phase != "ended":
        how = (
            t("groupquiz.join_how", address=address, code=info.code)
            if address
            else t("groupquiz.join_how_no_address", code=info.code)
        )
        parts.append(
            f'<div class="{_CSS}-join"><p>{_e(how)}</p>'
            f'<p class="{_CSS}-code" aria-label="{_e(t("groupquiz.code_label", code=" ".join(info.code)))}">'
            f"{_e(info.code)}</p></div>"
        )
    names = [p.display_name for p in snap.participants]
    if snap.phase == "waiting":
        parts.append(f"<p>{_e(t('groupquiz.joined_count', count=len(names)))}</p>")
        parts.append(_names_html(names, f"{_CSS}-joined"))
        parts.append(f"<p>{_e(t('groupquiz.screen_waiting'))}</p>")
    elif snap.phase == "ended":
        parts.append(f"<p>{_e(t('groupquiz.ended_screen'))}</p>")
    elif snap.question is not None:
        parts.append(_question_html(snap, with_options=True))
        if snap.phase == "answering":
            answered = [p.display_name for p in snap.participants if p.answered]
            waiting = [p.display_name for p in snap.participants if not p.answered]
            parts.append(
                f'<p class="{_CSS}-answered-count">'
                f"{_e(t('groupquiz.answered_count', answered=len(answered), total=len(names)))}</p>"
            )
            if answered:
                parts.append(f"<h3>{_e(t('groupquiz.has_answered'))}</h3>" + _names_html(answered, f"{_CSS}-answered"))
            if waiting:
                parts.append(f"<h3>{_e(t('groupquiz.waiting_for'))}</h3>" + _names_html(waiting, f"{_CSS}-waiting"))
        else:
            # the right answer and its explanation before the spread: above the fold on the room's screen
            parts.append(_explanation_html(snap))
            parts.append(spread_html(snap.question.options, snap.spread or (), snap.correct))
    return "".join(parts)


def results_html(results: Sequence[SessionResult]) -> str:
    """The circle's earlier sessions: per question, how many chose each option (never who)."""
    if not results:
        return f"<p>{_e(t('groupquiz.results_none'))}</p>"
    blocks = [f"<h3>{_e(t('groupquiz.results_title'))}</h3>"]
    for result in results:
        info = result.session
        summary = t(
            "groupquiz.results_session",
            date=f"{info.created_at:%Y-%m-%d}",
            title=info.title,
            people=result.participants,
            questions=len(result.questions),
        )
        inner = []
        for q in result.questions:
            cells = "".join(
                f'<tr><th scope="row">{_e(_option_label(i, text))}'
                f"{' (' + _e(t('groupquiz.right_mark')) + ')' if i in q.correct else ''}</th><td>{n}</td></tr>"
                for i, (text, n) in enumerate(zip(q.options, q.counts))
            )
            inner.append(
                f"<table><caption>{_e(t('groupquiz.question_number', number=q.position + 1, total=len(result.questions)))}: "
                f'{_e(q.text)}</caption><thead><tr><th scope="col">{_e(t("groupquiz.col_option"))}</th>'
                f'<th scope="col">{_e(t("groupquiz.col_count"))}</th></tr></thead><tbody>{cells}</tbody></table>'
            )
        blocks.append(f"<details><summary>{_e(summary)}</summary>{''.join(inner)}</details>")
    return f'<div class="{_CSS}-results">{"".join(blocks)}</div>'


def _button(key: str, style: str = "") -> ipw.Button:
    button = ui.Button(description=t(key), button_style=style, layout=ui.layout(**_BUTTON, width="auto"))
    return button


class _LiveView(ui.VBox):
    """Polling shared by the three views; ``refresh`` is what the timer calls."""

    def _start(self, interval: float, poll: bool) -> None:
        self._poller: Poller = start_polling(self._safe_refresh, interval) if poll else Poller(None)

    def _safe_refresh(self) -> None:
        try:
            self.refresh()
        except (GroupQuizError, SQLAlchemyError, OSError):
            pass  # a busy or unreachable store: the next beat tries again

    def refresh(self) -> None:  # pragma: no cover - each view has its own
        raise NotImplementedError

    def close(self) -> None:
        self._poller.stop()
        super().close()


# -- the big screen -------------------------------------------------------------------------------


class GroupQuizScreen(_LiveView):
    """The big screen: the code to join, the question, who has answered, the spread, the explanation.

    Parameters
    ----------
    run_dir
        The course run, whose live store holds the session.
    session_id
        The session shown.
    address
        The join page's address to print with the code (``join_address(page_url)``).
    """

    session_id = Int(help="The session shown.")
    version = Int(0, help="The session's change counter as last drawn; refresh redraws when it moves.")

    def __init__(
        self,
        run_dir: str | os.PathLike[str],
        session_id: int,
        *,
        address: str = "",
        poll: bool = True,
        poll_interval: float = 0.5,
        **kwargs: Any,
    ):
        super().__init__(**kwargs)
        self.run_dir = Path(run_dir)
        self.session_id = int(session_id)
        self.address = address
        self.board = ui.HTML()
        self.add_class(_CSS)
        self.add_class(f"{_CSS}-screen")
        self.children = [ui.HTML(_STYLE), self.board]
        self.draw(snapshot(self.run_dir, self.session_id))
        self._start(poll_interval, poll)

    def draw(self, snap: Snapshot) -> None:
        self.board.value = screen_html(snap, self.address)
        self.version = snap.version

    def refresh(self) -> None:
        version, _phase, _index = session_state(self.run_dir, self.session_id)
        if version != self.version:
            self.draw(snapshot(self.run_dir, self.session_id))


# -- a participant's phone ------------------------------------------------------------------------------


class GroupQuizParticipant(_LiveView):
    """A participant's phone: the current question, big options, "Svara"; then the spread and the explanation.

    Parameters
    ----------
    run_dir
        The course run.
    person
        The viewer (hub username): a learner, or a guest ``gast-...``.
    display_name
        The name the others see on the big screen.
    circles
        The circles the person belongs to: their open session is joined by itself.
    session_id
        A session to join at once (a guest's, or one named by the page).
    """

    session_id = Int(None, allow_none=True, help="The session this device is in; None while there is none.")
    phase = Unicode("", help="The session's phase as last shown on this device.")
    question_index = Int(-1, help="The question shown (0-based); -1 before the first.")
    status = Unicode("", help="A message to the participant, announced to screen readers.")

    def __init__(
        self,
        run_dir: str | os.PathLike[str],
        person: str,
        display_name: str,
        *,
        circles: Sequence[str] = (),
        session_id: int | None = None,
        poll: bool = True,
        poll_interval: float = 1.0,
        **kwargs: Any,
    ):
        super().__init__(**kwargs)
        self.run_dir = Path(run_dir)
        self.person = person
        self.display_name = display_name
        self.circles = tuple(circles)
        self.add_class(_CSS)
        self.add_class(f"{_CSS}-participant")
        self.heading = ui.HTML()
        self.question = ui.HTML()
        self.choices = ui.VBox(layout=ui.layout(width="100%"))
        self.choices.add_class(f"{_CSS}-options")
        self.radio: ipw.RadioButtons | None = None
        self.boxes: list[ipw.Checkbox] = []
        self.answer_button = _button("groupquiz.answer", "primary")
        self.answer_button.on_click(lambda _b: self.submit())
        self.result = ui.live(ui.HTML())
        self.status_box = ui.live(ui.HTML(_status_html("")))
        self.status_alert = ui.live(ui.HTML(_status_html("", error=True)), alert=True)  # a refusal interrupts
        # joining: a picker among several open sessions, or a code
        self.session_picker = ui.Dropdown(
            description=t("groupquiz.pick_session"),
            options=[],
            style={"description_width": "initial"},
            layout=ui.layout(width="100%", max_width="26rem"),
        )
        self.pick_button = _button("groupquiz.join")
        self.pick_button.on_click(lambda _b: self.join_session(self.session_picker.value))
        self.code = ui.Text(
            description=t("groupquiz.code_field"),
            placeholder="ABC123",
            style={"description_width": "initial"},
            layout=ui.layout(width="100%", max_width="20rem"),
        )
        self.code_button = _button("groupquiz.join_code")
        self.code_button.on_click(lambda _b: self.join_code(self.code.value))
        self.picker_row = ui.HBox([self.session_picker, self.pick_button])
        self.code_row = ui.HBox([self.code, self.code_button])
        for row in (self.picker_row, self.code_row):
            row.add_class(f"{_CSS}-row")
        self.children = [
            ui.HTML(_STYLE),
            self.heading,
            self.question,
            self.choices,
            self.answer_button,
            self.status_box,
            self.status_alert,
            self.result,
            self.picker_row,
            self.code_row,
        ]
        if session_id is not None:
            self.join_session(session_id)
        else:
            self._look_for_session()
        self._start(poll_interval, poll)

    @validate("status")
    def _one_line(self, proposal: dict[str, Any]) -> str:
        return " ".join(str(proposal["value"]).split())

    def _on_status(self, error: bool = False) -> None:
        self.status_box.value = _status_html("" if error else self.status)
        self.status_alert.value = _status_html(self.status if error else "", error=True)

    # -- joining -------------------------------------------------------------------------
    def _look_for_session(self) -> None:
        found = open_sessions(self.run_dir, self.circles, person=self.person)
        if len(found) == 1:
            self.join_session(found[0].session_id)
            return
        self._show_lobby(found)

    def _show_lobby(self, found: Sequence[Any]) -> None:
        self.phase = ""
        self.heading.value = f"<h2>{_e(t('groupquiz.participant_title'))}</h2>"
        self.question.value = f"<p>{_e(t('groupquiz.none_open' if not found else 'groupquiz.several_open'))}</p>"
        self.session_picker.options = [(f"{s.title} ({s.circle_id})", s.session_id) for s in found]
        self._display(self.picker_row, bool(found))
        self._display(self.code_row, True)
        self._display(self.answer_button, False)
        self._set_choices(None)
        self.result.value = ""

    def join_session(self, session_id: int | None) -> bool:
        """Join a session (of the person's circle, or the guest's own) and show it."""
        if session_id is None:
            self._set_status(t("groupquiz.error.pick"), error=True)
            return False
        try:
            join(self.run_dir, int(session_id), self.person, self.display_name, circles=self.circles)
        except GroupQuizError as problem:
            self._set_status(str(problem), error=True)
            return False
        self.session_id = int(session_id)
        self._display(self.picker_row, False)
        self._display(self.code_row, False)
        self._show(snapshot(self.run_dir, self.session_id, self.person))
        return True

    def join_code(self, code: str) -> bool:
        """Join by the code on the big screen; a wrong, expired or other circle's code is refused plainly."""
        try:
            info = join_by_code(self.run_dir, code, self.person, self.circles, self.display_name)
        except GroupQuizError as problem:
            self._set_status(str(problem), error=True)
            return False
        self.code.value = ""
        return self.join_session(info.session_id)

    # -- answering ---------------------------------------------------------------------------
    def chosen(self) -> list[int]:
        """The option indices selected on this device now."""
        if self.radio is not None:
            return [] if self.radio.value is None else [int(self.radio.value)]
        return [i for i, box in enumerate(self.boxes) if box.value]

    def choose(self, indices: Sequence[int]) -> None:
        """Select options as a tap would (tests and the keyboard use the same path)."""
        if self.radio is not None:
            self.radio.value = int(indices[0]) if indices else None
        for i, box in enumerate(self.boxes):
            box.value = i in set(indices)

    def submit(self) -> bool:
        """Save the selection as this person's answer ("Svara"); a refusal is said plainly."""
        if self.session_id is None or self.snap is None or self.snap.question is None:
            return False
        picked = self.chosen()
        if not picked:
            self._set_status(t("groupquiz.error.choose"), error=True)
            return False
        try:
            saved = answer(self.run_dir, self.session_id, self.person, self.snap.question.question_id, picked)
        except GroupQuizError as problem:
            self._set_status(str(problem), error=True)
            self.refresh()
            return False
        self._set_status(self._saved_text(saved))
        return True

    def _saved_text(self, chosen: Sequence[int]) -> str:
        assert self.snap is not None and self.snap.question is not None
        text = "; ".join(_option_label(i, self.snap.question.options[i]) for i in chosen)
        return t("groupquiz.saved", answer=text)

    # -- showing ---------------------------------------------------------------------------------
    snap: Snapshot | None = None

    def refresh(self) -> None:
        """Redraw when the leader moved the session on (others' answers do not disturb a choice in progress)."""
        if self.session_id is None:
            found = open_sessions(self.run_dir, self.circles, person=self.person)
            if len(found) == 1:
                self.join_session(found[0].session_id)
            elif [s.session_id for s in found] != [v for _l, v in self.session_picker.options]:
                self._show_lobby(found)
            return
        _version, phase, index = session_state(self.run_dir, self.session_id)
        if (phase, index) != (self.phase, self.question_index):
            self._show(snapshot(self.run_dir, self.session_id, self.person))

    def _show(self, snap: Snapshot) -> None:
        shown_before = self.snap.question.question_id if self.snap is not None and self.snap.question else None
        new_question = snap.question is not None and snap.question.question_id != shown_before
        self.snap = snap
        self.phase = snap.phase
        self.question_index = snap.index if snap.phase not in ("waiting",) else -1
        you = t("groupquiz.you_are", name=self.display_name)
        self.heading.value = f"<h2>{_e(t('groupquiz.screen_title', title=snap.session.title))}</h2><p>{_e(you)}</p>"
        self.result.value = ""
        if snap.phase == "waiting":
            self.question.value = f"<p>{_e(t('groupquiz.wait_first'))}</p>"
            self._set_choices(None)
            self._display(self.answer_button, False)
            self._set_status("")
            return
        if snap.phase == "ended" or snap.question is None:
            self.question.value = f"<p>{_e(t('groupquiz.ended_participant'))}</p>"
            self._set_choices(None)
            self._display(self.answer_button, False)
            self._set_status("")
            return
        self.question.value = _question_html(snap, with_options=False)
        if new_question or (self.radio is None and not self.boxes):
            self._set_choices(snap)
        if snap.mine is not None:
            self.choose(snap.mine)
        answering = snap.phase == "answering"
        self._enable_choices(answering)
        self._display(self.answer_button, answering)
        if answering:
            self._set_status(self._saved_text(snap.mine) if snap.mine else "")
            return
        mine = (
            t("groupquiz.your_answer", answer="; ".join(_option_label(i, snap.question.options[i]) for i in snap.mine))
            if snap.mine
            else t("groupquiz.no_answer")
        )
        self._set_status(t("groupquiz.closed", mine=mine))
        self.result.value = spread_html(snap.question.options, snap.spread or (), snap.correct) + _explanation_html(
            snap
        )

    def _set_choices(self, snap: Snapshot | None) -> None:
        self.radio = None
        self.boxes = []
        if snap is None or snap.question is None:
            self.choices.children = []
            return
        options = snap.question.options
        if snap.question.type == "single":
            self.radio = ui.RadioButtons(
                options=[(_option_label(i, text), i) for i, text in enumerate(options)],
                value=None,
                layout=ui.layout(width="100%"),
            )
            hint = t("groupquiz.choose_one")
            controls: list[ipw.Widget] = [self.radio]
        else:
            self.boxes = [
                ui.Checkbox(
                    value=False, description=_option_label(i, text), indent=False, layout=ui.layout(width="100%")
                )
                for i, text in enumerate(options)
            ]
            hint = t("groupquiz.choose_many")
            controls = list(self.boxes)
        # several answers: the box is a group named by the question; one: the radios are the group
        if snap.question.type == "single":
            self.choices.remove_class("cirkel-choice-group")
        else:
            ui.choice_group(self.choices)
        self.choices.children = [ui.HTML(f'<p class="{_CSS}-hint">{_e(hint)}</p>'), *controls]

    def _enable_choices(self, enabled: bool) -> None:
        if self.radio is not None:
            self.radio.disabled = not enabled
        for box in self.boxes:
            box.disabled = not enabled

    def _set_status(self, text: str, *, error: bool = False) -> None:
        """Say ``text`` politely, or (``error``) as an alert that interrupts; ``status`` holds it either way."""
        self.status = text
        self._on_status(error)

    @staticmethod
    def _display(widget: ipw.Widget, shown: bool) -> None:
        ui.show(widget, shown)


# -- the cirkelledare's controls -----------------------------------------------------------------------


class GroupQuizLeader(_LiveView):
    """The cirkelledare's controls: choose circle and quiz, start, step through, end; the circle's results.

    Parameters
    ----------
    run_dir
        The course run.
    viewer
        The leader (hub username), recorded as the session's opener.
    circles
        The circles this person may lead a session in (``context.led_circles()``).
    session_id
        A session to take up at once (the page's ``session`` parameter).
    """

    session_id = Int(None, allow_none=True, help="The session being led; None before one is started.")
    version = Int(0, help="The session's change counter as last drawn.")
    message = Unicode("", help="The latest message to the leader (a refused step, a started session).")

    def __init__(
        self,
        run_dir: str | os.PathLike[str],
        viewer: str,
        circles: Sequence[Any],
        *,
        session_id: int | None = None,
        poll: bool = True,
        poll_interval: float = 1.0,
        **kwargs: Any,
    ):
        super().__init__(**kwargs)
        self.run_dir = Path(run_dir)
        self.viewer = viewer
        self.add_class(_CSS)
        self.add_class(f"{_CSS}-leader")
        self.circle_picker = ui.Dropdown(
            description=t("groupquiz.circle"),
            options=[(c.name, c.circle_id) for c in circles],
            value=circles[0].circle_id if circles else None,
            style={"description_width": "initial"},
            layout=ui.layout(width="100%", max_width="30rem"),
        )
        self.quizzes = quiz_exercises(self.run_dir)
        self.quiz_picker = ui.Dropdown(
            description=t("groupquiz.quiz"),
            options=[(f"{q.module_title}: {q.title}", f"{q.module}/{q.exercise_id}") for q in self.quizzes],
            style={"description_width": "initial"},
            layout=ui.layout(width="100%", max_width="40rem"),
        )
        self.counts_box = ui.Checkbox(
            value=True, description=t("groupquiz.counts"), indent=False, layout=ui.layout(width="auto")
        )
        self.start_button = _button("groupquiz.start", "primary")
        self.start_button.on_click(lambda _b: self.start())
        self.setup = ui.VBox([self.circle_picker, self.quiz_picker, self.counts_box, self.start_button])
        self.board = ui.HTML()
        self.spread_button = _button("groupquiz.show_spread")
        self.spread_button.on_click(lambda _b: self._step(show_spread))
        self.reveal_button = _button("groupquiz.reveal")
        self.reveal_button.on_click(lambda _b: self._step(reveal))
        self.next_button = _button("groupquiz.next", "primary")
        self.next_button.on_click(lambda _b: self._step(self._next))
        self.end_button = _button("groupquiz.end", "danger")
        self.end_button.on_click(lambda _b: self._step(end_session))
        self.steps = ui.HBox([self.spread_button, self.reveal_button, self.next_button, self.end_button])
        self.steps.add_class(f"{_CSS}-row")
        self.message_box = ui.live(ui.HTML(_status_html("")))
        self.message_alert = ui.live(ui.HTML(_status_html("", error=True)), alert=True)  # a refusal interrupts
        self.results = ui.HTML()
        self.children = [
            ui.HTML(_STYLE),
            ui.HTML(f"<h2>{_e(t('groupquiz.leader_title'))}</h2>"),
            self.setup,
            self.board,
            self.steps,
            self.message_box,
            self.message_alert,
            self.results,
        ]
        self.circle_picker.observe(lambda _c: self._circle_chosen(), "value")
        if session_id is not None:
            info = session_info(self.run_dir, session_id)
            if info.circle_id in [c.circle_id for c in circles]:
                self.circle_picker.value = info.circle_id
            self._take_up(info.session_id if info.phase != "ended" else None)
        else:
            self._circle_chosen()
        self._start(poll_interval, poll)

    # -- state ------------------------------------------------------------------------------
    def _circle_chosen(self) -> None:
        circle = self.circle_picker.value
        found = open_sessions(self.run_dir, [circle], person=self.viewer) if circle else []
        self._take_up(found[0].session_id if found else None)

    def _take_up(self, session_id: int | None) -> None:
        self.session_id = session_id
        self.version = 0
        if session_id is None:
            self._draw(None)
        else:
            self._draw(snapshot(self.run_dir, session_id))

    def _draw(self, snap: Snapshot | None) -> None:
        circle = self.circle_picker.value
        self.results.value = results_html(circle_results(self.run_dir, circle)) if circle else ""
        if snap is None or snap.phase == "ended":
            self.session_id = None
            self.board.value = ""
            ui.show(self.setup)
            ui.show(self.steps, False)
            self.start_button.disabled = not (circle and self.quiz_picker.value)
            return
        self.version = snap.version
        ui.show(self.setup, False)
        ui.show(self.steps)
        info = snap.session
        link = _screen_link(info.session_id)
        parts = [f"<p>{_e(t('groupquiz.leader_session', title=info.title))}</p>"]
        if info.code_open():
            parts.append(
                f'<p>{_e(t("groupquiz.leader_code"))} <strong class="{_CSS}-code">{_e(info.code)}</strong></p>'
            )
        parts.append(
            f'<p class="{_CSS}-screen-link"><a href="{_e(link)}" target="_blank" rel="noopener">'
            f"{_e(t('groupquiz.screen_link'))}</a></p>"
        )
        phase_text = (
            t("groupquiz.phase.waiting", count=len(snap.participants))
            if snap.phase == "waiting"
            else t(
                f"groupquiz.phase.{snap.phase}",
                number=snap.index + 1,
                total=snap.total,
                answered=snap.answered_count,
                count=len(snap.participants),
            )
        )
        parts.append(f'<p class="{_CSS}-phase">{_e(phase_text)}</p>')
        if snap.question is not None:
            parts.append(_question_html(snap, with_options=True))
        if snap.phase == "answering":
            answered = [p.display_name for p in snap.participants if p.answered]
            if answered:
                parts.append(f"<p>{_e(t('groupquiz.has_answered'))}</p>" + _names_html(answered, f"{_CSS}-answered"))
        elif snap.spread is not None and snap.question is not None:
            parts.append(spread_html(snap.question.options, snap.spread, snap.correct) + _explanation_html(snap))
        self.board.value = "".join(parts)
        phase = snap.phase
        self.spread_button.disabled = phase != "answering"
        self.reveal_button.disabled = phase not in ("answering", "spread")
        self.next_button.disabled = phase == "ended" or (phase != "waiting" and snap.is_last)
        self.next_button.description = t("groupquiz.first" if phase == "waiting" else "groupquiz.next")
        self._snap = snap

    _snap: Snapshot | None = None

    def refresh(self) -> None:
        if self.session_id is None:
            circle = self.circle_picker.value
            found = open_sessions(self.run_dir, [circle], person=self.viewer) if circle else []
            if found:
                self._take_up(found[0].session_id)
            return
        version, _phase, _index = session_state(self.run_dir, self.session_id)
        if version != self.version:
            self._draw(snapshot(self.run_dir, self.session_id))

    # -- the leader's steps -------------------------------------------------------------------
    def _say(self, text: str) -> None:
        self.message = text
        self.message_box.value = _status_html(text)
        self.message_alert.value = _status_html("", error=True)

    def _refuse(self, text: str) -> None:
        """Say ``text`` at once (an alert) and move the keyboard to it."""
        self.message = text
        self.message_box.value = _status_html("")
        self.message_alert.value = _status_html(text, error=True)
        ui.focus(self.message_alert)

    def _focus_next_step(self) -> None:
        """Focus the step the leader takes next (the first one enabled), or the message when none is."""
        steps = [self.spread_button, self.reveal_button, self.next_button, self.end_button]
        target = next((b for b in steps if not b.disabled), None) if ui.shown(self.steps) else None
        ui.focus(target if target is not None else self.message_box)

    def start(self) -> int | None:
        """Open a session of the chosen quiz for the chosen circle ("Starta")."""
        if not self.circle_picker.value or not self.quiz_picker.value:
            self._refuse(t("groupquiz.error.pick_quiz"))
            return None
        module, exercise_id = str(self.quiz_picker.value).split("/", 1)
        try:
            session_id = open_session(
                self.run_dir,
                self.circle_picker.value,
                module,
                exercise_id,
                self.viewer,
                counts=bool(self.counts_box.value),
            )
        except GroupQuizError as problem:
            self._refuse(str(problem))
            self._circle_chosen()
            return None
        self._take_up(session_id)
        self._say(t("groupquiz.started"))
        self._focus_next_step()  # the setup is hidden: "Första frågan"
        return session_id

    def _next(self, run_dir: Path, session_id: int) -> Any:
        expected = self._snap.index if self._snap is not None and self._snap.phase != "waiting" else None
        return next_question(run_dir, session_id, expected_index=expected)

    def _step(self, action: Any) -> bool:
        if self.session_id is None:
            return False
        try:
            action(self.run_dir, self.session_id)
        except GroupQuizError as problem:
            self._refuse(str(problem))
            return False
        snap = snapshot(self.run_dir, self.session_id)
        self._say(t("groupquiz.ended_leader") if snap.phase == "ended" else "")
        self._draw(snap)
        self._focus_next_step()  # the clicked step is often disabled now; after "Avsluta", the message
        return True

    def show_spread(self) -> bool:
        """ "Visa svaren": close the question and show the spread on every screen."""
        return self._step(show_spread)

    def reveal(self) -> bool:
        """ "Visa förklaringen": the right answer and the explanation on every screen."""
        return self._step(reveal)

    def next(self) -> bool:
        """ "Nästa fråga" (or the first one)."""
        return self._step(self._next)

    def end(self) -> bool:
        """ "Avsluta": the session ends and its code expires."""
        return self._step(end_session)


# -- the apps --------------------------------------------------------------------------------------------


def _page_url(page_url: str | None) -> str:
    return page_url if page_url is not None else os.environ.get("VOILA_REQUEST_URL", "")


def _build(make: Any) -> ipw.Widget:
    """Build a view; a store or run that cannot be used becomes a plain message, never a traceback."""
    from grading.run import RunError

    try:
        return make()
    except GroupQuizError as problem:
        return message_widget(str(problem))
    except RunError as problem:
        return message_widget(str(problem))
    except (SQLAlchemyError, OSError):
        return message_widget(t("groupquiz.error.store"))


def group_quiz_app(context: LiveContext | None = None, *, page_url: str | None = None, poll: bool = True) -> ipw.Widget:
    """The page ``gruppquiz.ipynb``: the leader's controls or a participant's phone, by the viewer's role.

    - a guest sees the one session their code admitted them to;
    - with ``?session=<id>``: its circle's leader (or a course leader) leads it,
      a member of the circle takes part, anyone else is refused plainly;
    - without: a person who leads a circle gets the controls, a member the
      phone view (joining their circle's open session by itself, or by code).
    """
    ctx = context or current_context()
    wanted = ctx.query.get("session")

    def make() -> ipw.Widget:
        if ctx.is_guest:
            mine = guest_sessions(ctx.run_dir, ctx.viewer)
            if not mine or (wanted and _as_int(wanted) not in mine):
                return message_widget(t("groupquiz.refused.guest"))
            snap = snapshot(ctx.run_dir, mine[0])
            name = next((p.display_name for p in snap.participants if p.person == ctx.viewer), ctx.viewer)
            return GroupQuizParticipant(ctx.run_dir, ctx.viewer, name, session_id=mine[0], poll=poll)
        led = ctx.led_circles()
        mine_ids = [c.circle_id for c in ctx.circles()]
        if wanted:
            info = session_info(ctx.run_dir, _as_int(wanted))
            if info.circle_id in [c.circle_id for c in led]:
                return GroupQuizLeader(ctx.run_dir, ctx.viewer, led, session_id=info.session_id, poll=poll)
            if info.circle_id in mine_ids:
                return GroupQuizParticipant(
                    ctx.run_dir,
                    ctx.viewer,
                    ctx.display_name(ctx.viewer),
                    circles=mine_ids,
                    session_id=info.session_id,
                    poll=poll,
                )
            return message_widget(t("groupquiz.refused.not_in_circle"))
        if led:
            return GroupQuizLeader(ctx.run_dir, ctx.viewer, led, poll=poll)
        if mine_ids:
            return GroupQuizParticipant(
                ctx.run_dir, ctx.viewer, ctx.display_name(ctx.viewer), circles=mine_ids, poll=poll
            )
        return message_widget(t("groupquiz.refused.no_circle"))

    return _build(make)


def group_quiz_screen_app(
    context: LiveContext | None = None, *, page_url: str | None = None, poll: bool = True
) -> ipw.Widget:
    """The page ``gruppquiz-skarm.ipynb?session=<id>``: the big screen, for the circle's leader and members."""
    ctx = context or current_context()
    address = join_address(_page_url(page_url))

    def make() -> ipw.Widget:
        if ctx.is_guest:
            return message_widget(t("groupquiz.refused.screen_guest"))
        allowed = {c.circle_id for c in ctx.led_circles()} | {c.circle_id for c in ctx.circles()}
        wanted = ctx.query.get("session")
        if wanted:
            info = session_info(ctx.run_dir, _as_int(wanted))
        else:
            found = open_sessions(ctx.run_dir, [c.circle_id for c in ctx.led_circles()])
            if len(found) != 1:
                return message_widget(t("groupquiz.refused.screen_which"))
            info = found[0]
        if info.circle_id not in allowed:
            return message_widget(t("groupquiz.refused.not_in_circle"))
        return GroupQuizScreen(ctx.run_dir, info.session_id, address=address, poll=poll)

    return _build(make)


def _as_int(value: str) -> int:
    try:
        return int(str(value).strip())
    except ValueError:
        raise GroupQuizError(t("groupquiz.error.no_session", session=value)) from None
