"""The group quiz's HTML: the style sheet, the big screen's board, the spread, past results."""

from __future__ import annotations

from collections.abc import Sequence
from urllib.parse import urlsplit

from grading.circles.group_quiz import (
    SessionResult,
    Snapshot,
)
from widgets.core.i18n import t
from widgets.core.safe_text import text_html as _e
from widgets.kit import controls as ui
from widgets.kit.svg_chart import Bar, bar_chart_svg

SCREEN_NOTEBOOK = "gruppquiz-skarm.ipynb"
#: the hub's page where a code is typed (the lead's hub page)
JOIN_PATH = "/hub/kod"
CSS = "cirkel-gq"
_RIGHT_COLOUR = "#1e6b30"
_OTHER_COLOUR = "#4d4d4d"
BUTTON = {"min_height": "44px"}
STYLE = f"""<style>
.{CSS} {{ max-width: 48rem; }}
.{CSS} .widget-html-content {{ white-space: normal; }}
.{CSS} .jupyter-button {{ min-height: 44px; font-size: 1.1rem; }}
.{CSS} .widget-radio-box label, .{CSS} .widget-checkbox label {{
  min-height: 44px; height: auto; display: flex; align-items: center; gap: 0.6rem; font-size: 1.15rem;
  white-space: normal; line-height: 1.3; margin: 0.2rem 0; cursor: pointer; }}
.{CSS} .widget-radio-box label {{ flex-direction: row-reverse; justify-content: flex-end; }}
.{CSS} .widget-radio-box input, .{CSS} .widget-checkbox input {{ width: 1.4rem; height: 1.4rem; flex: none; }}
.{CSS} .widget-radio, .{CSS} .widget-checkbox {{ width: 100%; height: auto; }}
.{CSS} .widget-radio-box {{ width: 100%; }}
.{CSS} .{CSS}-row {{ flex-wrap: wrap; gap: 0.5rem; }}
.{CSS} .{CSS}-question {{ font-size: 1.3rem; font-weight: 600; }}
.{CSS} .{CSS}-right {{ color: {_RIGHT_COLOUR}; font-weight: 700; }}
.{CSS} table {{ border-collapse: collapse; margin: 0.5rem 0; }}
.{CSS} th, .{CSS} td {{ border: 1px solid #8a8a8a; padding: 0.3rem 0.5rem; text-align: left; }}
.{CSS} .widget-text input {{ font-size: 1.2rem; letter-spacing: 0.15em; text-transform: uppercase; }}
.{CSS} .widget-dropdown select {{ min-height: 44px; }}
.{CSS}-screen {{ max-width: none; font-size: 1.7rem; color: #000; background: #fff; }}
body:has(.{CSS}-screen) #rendered_cells > div {{ max-width: none; }}
.{CSS}-screen h2 {{ font-size: 2.6rem; margin: 0.4rem 0; line-height: 1.2; }}
.{CSS}-screen .{CSS}-question {{ font-size: 2.4rem; line-height: 1.25; }}
.{CSS}-screen .{CSS}-code {{ font-size: 4.5rem; font-weight: 800; letter-spacing: 0.2em; font-family: monospace; }}
.{CSS}-screen .{CSS}-join {{ border: 4px solid #000; padding: 0.6rem 1.2rem; display: inline-block; }}
.{CSS} .{CSS}-option-list {{ list-style: none; padding-left: 0; }}
.{CSS}-screen .{CSS}-option-list li {{ margin: 0.3rem 0; }}
.{CSS}-screen svg {{ font-size: 13px; }}
.{CSS}-screen .{CSS}-names li {{ display: inline-block; margin: 0.2rem 0.8rem 0.2rem 0; }}
</style>"""
_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def option_label(index: int, text: str) -> str:
    return f"{_LETTERS[index % len(_LETTERS)]}. {text}"


def status_html(text: str, *, error: bool = False) -> str:
    # shown in a live region (``ui.live``) that is in the page before it changes; an error in the alert one
    return f'<div class="{CSS}-{"refusal" if error else "status"}">{f"<p>{_e(text)}</p>" if text else ""}</div>'


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


def screen_link(session_id: int) -> str:
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
        bars, name=t("groupquiz.chart_name", total=total), scale_max=max([*counts, 1]), css_class=f"{CSS}-chart"
    )
    rows = []
    for i, (text, n) in enumerate(zip(options, counts)):
        mark = f' <span class="{CSS}-right">({_e(t("groupquiz.right_mark"))})</span>' if i in right else ""
        rows.append(f'<tr><th scope="row">{_e(option_label(i, text))}{mark}</th><td>{n}</td></tr>')
    table = (
        f'<table class="{CSS}-spread"><caption>{_e(t("groupquiz.spread_caption"))}</caption>'
        f'<thead><tr><th scope="col">{_e(t("groupquiz.col_option"))}</th>'
        f'<th scope="col">{_e(t("groupquiz.col_count"))}</th></tr></thead><tbody>{"".join(rows)}</tbody></table>'
    )
    return f'<div class="{CSS}-spread-box">{chart}{table}</div>'


def explanation_html(snap: Snapshot) -> str:
    if snap.correct is None or snap.question is None:
        return ""
    right = "; ".join(option_label(i, snap.question.options[i]) for i in snap.correct)
    return (
        f'<p class="{CSS}-right">{_e(t("groupquiz.right_answer", answer=right))}</p>'
        f'<p class="{CSS}-explanation">{_e(t("groupquiz.explanation", text=snap.explanation or ""))}</p>'
    )


def question_html(snap: Snapshot, *, with_options: bool) -> str:
    assert snap.question is not None
    number = t("groupquiz.question_number", number=snap.index + 1, total=snap.total)
    parts = [
        f'<p class="{CSS}-number">{_e(number)}</p>',
        f'<p class="{CSS}-question {ui.LEGEND_CLASS}">{_e(snap.question.text)}</p>',
    ]
    if with_options:
        items = "".join(f"<li>{_e(option_label(i, text))}</li>" for i, text in enumerate(snap.question.options))
        parts.append(f'<ul class="{CSS}-option-list">{items}</ul>')
    return "".join(parts)


def names_html(names: Sequence[str], css: str) -> str:
    if not names:
        return ""
    return f'<ul class="{CSS}-names {css}">' + "".join(f"<li>{_e(n)}</li>" for n in names) + "</ul>"


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
            f'<div class="{CSS}-join"><p>{_e(how)}</p>'
            f'<p class="{CSS}-code" aria-label="{_e(t("groupquiz.code_label", code=" ".join(info.code)))}">'
            f"{_e(info.code)}</p></div>"
        )
    names = [p.display_name for p in snap.participants]
    if snap.phase == "waiting":
        parts.append(f"<p>{_e(t('groupquiz.joined_count', count=len(names)))}</p>")
        parts.append(names_html(names, f"{CSS}-joined"))
        parts.append(f"<p>{_e(t('groupquiz.screen_waiting'))}</p>")
    elif snap.phase == "ended":
        parts.append(f"<p>{_e(t('groupquiz.ended_screen'))}</p>")
    elif snap.question is not None:
        parts.append(question_html(snap, with_options=True))
        if snap.phase == "answering":
            answered = [p.display_name for p in snap.participants if p.answered]
            waiting = [p.display_name for p in snap.participants if not p.answered]
            parts.append(
                f'<p class="{CSS}-answered-count">'
                f"{_e(t('groupquiz.answered_count', answered=len(answered), total=len(names)))}</p>"
            )
            if answered:
                parts.append(f"<h3>{_e(t('groupquiz.has_answered'))}</h3>" + names_html(answered, f"{CSS}-answered"))
            if waiting:
                parts.append(f"<h3>{_e(t('groupquiz.waiting_for'))}</h3>" + names_html(waiting, f"{CSS}-waiting"))
        else:
            # the right answer and its explanation before the spread: above the fold on the room's screen
            parts.append(explanation_html(snap))
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
                f'<tr><th scope="row">{_e(option_label(i, text))}'
                f"{' (' + _e(t('groupquiz.right_mark')) + ')' if i in q.correct else ''}</th><td>{n}</td></tr>"
                for i, (text, n) in enumerate(zip(q.options, q.counts))
            )
            inner.append(
                f"<table><caption>{_e(t('groupquiz.question_number', number=q.position + 1, total=len(result.questions)))}: "
                f'{_e(q.text)}</caption><thead><tr><th scope="col">{_e(t("groupquiz.col_option"))}</th>'
                f'<th scope="col">{_e(t("groupquiz.col_count"))}</th></tr></thead><tbody>{cells}</tbody></table>'
            )
        blocks.append(f"<details><summary>{_e(summary)}</summary>{''.join(inner)}</details>")
    return f'<div class="{CSS}-results">{"".join(blocks)}</div>'
