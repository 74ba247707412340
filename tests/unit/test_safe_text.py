"""Learner text through every renderer that shows it: nothing in the corpus may run or load.

Each renderer is tried with the payload corpus of ``hostile_text``: the
sanitised markdown (:func:`widgets.core.safe_text.markdown_html`), the form a
notebook cell carries read again by formgrader's renderer (nbconvert's mistune)
and by a CommonMark renderer that passes raw HTML (as JupyterLab's marked
does before its own sanitiser), Markdown exports read by both, and the pages
that show names and answers (dashboard, big screen, attendance, shared plan,
"Mina moduler", the report app).
"""

from __future__ import annotations

import datetime as dt
from html.parser import HTMLParser
from pathlib import Path

import pytest

from widgets.core.safe_text import LINK_REL, markdown_cell, markdown_html, markdown_literal, text_html

from hostile_text import HOSTILE_NAME, PAYLOADS, REFLECTION, links, problems

pytestmark = pytest.mark.unit


def _text(markup: str) -> str:
    """What a reader sees of ``markup``: its text, entities decoded."""
    parts: list[str] = []
    parser = HTMLParser(convert_charrefs=True)
    parser.handle_data = parts.append  # type: ignore[method-assign]
    parser.feed(markup)
    parser.close()
    return "".join(parts)


def _mistune(source: str) -> str:
    """Formgrader's renderer: nbconvert's markdown filter, as its HTML exporter applies it to a cell."""
    from nbconvert.filters.markdown_mistune import markdown2html_mistune

    return markdown2html_mistune(source)


def _commonmark_with_html(source: str) -> str:
    """A CommonMark renderer that passes raw HTML through (JupyterLab's marked before sanitising)."""
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": True}).render(source)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_markdown_html_is_inert_and_keeps_the_words(payload):
    shown = markdown_html(payload)
    assert problems(shown) == [], shown
    assert "<a" not in shown  # none of the corpus is an allowed link
    # the leader still reads what was written (a link's text, a tag as text)
    if payload.startswith("<img"):
        assert "<img src=x onerror=alert(1)>" in _text(shown)


def test_markdown_html_keeps_honest_links_with_rel_and_nothing_else():
    shown = markdown_html("Se [partiet](https://www.vansterpartiet.se/) och <mailto:info@example.se>, **fetstil**.")
    assert (
        f'<a href="https://www.vansterpartiet.se/" rel="{LINK_REL}">partiet</a>' in shown
        and f'<a href="mailto:info@example.se" rel="{LINK_REL}">' in shown
        and "<strong>fetstil</strong>" in shown
    )
    assert markdown_html("[rel](/hub/logout) [ftp](ftp://example.se/x)").count("<a") == 0
    assert markdown_html("# rubrik") == "<p># rubrik</p>"  # no heading in the leader's page
    assert markdown_html("rad ett\nrad två") == "<p>rad ett<br>\nrad två</p>"


@pytest.mark.parametrize("render", [_mistune, _commonmark_with_html], ids=["nbconvert-mistune", "commonmark-html"])
def test_a_markdown_cell_read_again_is_still_inert(render):
    cell = "**Reflektion**: Vad tar du med dig?\n\n" + markdown_cell(REFLECTION)
    shown = render(cell)
    assert problems(shown) == [], shown
    assert links(shown) == ["https://www.vansterpartiet.se/"]
    seen = _text(shown)
    for words in ("klicka här", "javascript:alert(document.domain)", "<img src=x onerror=alert(1)>", "![bild]"):
        assert words in seen, words


def test_a_markdown_cell_is_one_raw_html_line():
    cell = markdown_cell("a\n\n```\nb\n\n    c\n```\n\n- d")
    assert "\n" not in cell and cell.startswith("<div ")


@pytest.mark.parametrize("payload", PAYLOADS)
def test_text_html_is_text_in_elements_and_attributes(payload):
    shown = f"<p title=\"{text_html(payload)}\" data-x='{text_html(payload)}'>{text_html(payload)}</p>"
    assert problems(shown) == []
    assert _text(shown) == payload


@pytest.mark.parametrize("render", [_mistune, _commonmark_with_html], ids=["nbconvert-mistune", "commonmark-html"])
def test_markdown_exports_keep_learner_words_as_text(render):
    from widgets.models.builder import Block, blocks_markdown
    from widgets.models.plan import Plan, load_prompts, plan_markdown

    prompts = load_prompts(_plan_prompts())
    plan = Plan.from_json(
        {"perception": REFLECTION, "revisit": PAYLOADS[11], "goals": [{"id": "m1", "text": PAYLOADS[0], "years": 2}]}
    )
    for markdown in (
        plan_markdown(plan, prompts),
        blocks_markdown(HOSTILE_NAME, [Block("para", text=p) for p in PAYLOADS] + [Block("bullets", items=PAYLOADS)]),
    ):
        shown = render(markdown)
        assert problems(shown) == [], shown
        assert "javascript:alert(document.domain)" in _text(shown)
    assert markdown_literal("[a](b) <c> &amp; \\") == "\\[a\\](b) \\<c\\> \\&amp; \\\\"


def _plan_prompts() -> Path:
    from course_paths import COURSES

    return COURSES / "ledarskap" / "02-strategiska-planer" / "strategisk-plan.yml"


# -- pages that show names and answers -------------------------------------------------------------------


def test_dashboard_shows_names_as_text_and_a_reflection_as_sanitised_markdown():
    import pandas as pd

    from grading.reports.dashboard import LearnerModule, LearnerPage, Reflection
    from voila_apps.views import dashboard_view as view

    row = {
        "student_id": "x1",
        "namn": HOSTILE_NAME,
        "module": "01-m",
        "state": "rättad",
        "points": 1.0,
        "max_points": 2.0,
        "needs_manual_grade": False,
        "behind_since": pd.Timestamp("2025-01-01", tz="UTC"),
        "circle": "c1",
    }
    frame = pd.DataFrame([row])
    summary = pd.DataFrame(
        [
            {
                "circle_id": "c1",
                "name": HOSTILE_NAME,
                "members": 1,
                "done": 1,
                "total": 1,
                "share_done": 1.0,
                "mean_points": 1.0,
                "behind": 0,
            }
        ]
    )
    page = LearnerPage(
        student_id="x1",
        name=HOSTILE_NAME,
        circles=(HOSTILE_NAME,),
        modules=(LearnerModule("01-m", "rättad", 1.0, 2.0, False, None, None, False),),
        reflections=(Reflection("01-m", "r1", "Vad?", REFLECTION, "inlamnad"),),
    )
    learner = view.learner_html(page)
    for shown in (
        view.table_html(frame, ["01-m"]),
        view.behind_html(frame, {"c1": HOSTILE_NAME}),
        view.circles_html(summary),
        learner,
    ):
        assert problems(shown) == [], shown
        assert HOSTILE_NAME in _text(shown)
    # the reflection: markdown, cleaned; its one honest link kept, every payload shown as words
    assert links(learner) == ["https://www.vansterpartiet.se/"]
    assert "[klicka här](javascript:alert(document.domain))" in _text(learner)


def test_big_screen_and_attendance_show_names_as_text():
    from grading.circles.store import Circle, Meeting
    from grading.circles.study_rules import check_circle
    from voila_apps.live import group_quiz
    from voila_apps.views import attendance

    names = [HOSTILE_NAME, *PAYLOADS]
    for shown in (group_quiz._names_html(names, "x"), group_quiz.spread_html(names, [1] * len(names), [0])):
        assert problems(shown) == [], shown
        assert HOSTILE_NAME in _text(shown)
    circle = Circle("c1", HOSTILE_NAME, "x1", ("x1", "x2"))
    meeting = Meeting(1, "c1", dt.date(2025, 3, 4), dt.time(18), dt.time(20, 15), 15)
    status = check_circle(circle, [meeting], {1: {"x1", "x2"}})
    shown = attendance.status_html(status, {"x1": HOSTILE_NAME, "x2": PAYLOADS[0]})
    assert problems(shown) == [] and HOSTILE_NAME in _text(shown)
