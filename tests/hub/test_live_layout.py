"""The live apps on phones and on the room's big screen, on the real hub, in Chromium.

Cirkel B (cirkelledare Olle, members Pia and Qasim) has a group quiz going
(opened and moved on through the quiz's own store, so the test waits for no
clicks it does not check). Pia's phone, Olle's controls, the talarstatistik
keeper and the shared plan are each loaded once and checked at 320, 390, 768
and 1280 px (``tests/page_layout.py``: nothing cut off or printed over, no
sideways scrolling, 44 px targets) and by axe-core's WCAG 2.1 AA rules. The big
screens are checked at 1920×1080 as a room sees them: after the reveal the
question, the right answer and the explanation are above the fold, and every
piece of text on the screen is at least 28 px.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

from grading.circles import group_quiz as quiz_store
from widgets.core.i18n import t
from widgets.models.quiz_bank import load_bank

from live_hub import LiveHub, close_with_goodbye

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from browser_harness import describe_violations, open_app
from page_layout import describe_problems, layout_problems, problems_at_widths

pytestmark = [pytest.mark.hub, pytest.mark.browser, pytest.mark.pg]  # the live hub's run is on PostgreSQL

CIRCLE, LEADER, MEMBERS = "cirkel-b", "olle", ("pia", "qasim")
MODULE, QUIZ = "05-moten", "motesroller"
GQ, LS, SP = ".cirkel-gq", ".cirkel-livespeaker", ".cirkel-sharedplan"
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
#: the room's screen, and the smallest text readable from its back row
BIG = {"width": 1920, "height": 1080}
BIG_TEXT_PX = 28
#: bounds a hang only: a poll shows a change within a second or two
LIVE_MS = 60_000


@pytest.fixture(scope="module")
def session(hub: LiveHub):
    """Cirkel B's quiz, its first question open for answers; ended afterwards (one open session per circle)."""
    run = hub.run_dir
    session_id = quiz_store.open_session(run, CIRCLE, MODULE, QUIZ, LEADER)
    for person in MEMBERS:
        quiz_store.join(run, session_id, person, person.capitalize(), circles=[CIRCLE])
    quiz_store.next_question(run, session_id)
    try:
        yield session_id
    finally:
        quiz_store.end_session(run, session_id)


def wcag_violations(page: Page) -> list[dict[str, Any]]:
    options = {"runOnly": {"type": "tag", "values": WCAG_21_AA}, "resultTypes": ["violations"]}
    return list(Axe().run(page, options=options).response["violations"])


def assert_reflows(page: Page, what: str) -> None:
    found = problems_at_widths(page)
    assert not any(found.values()), f"{what}:\n{describe_problems(found)}"
    page.set_viewport_size({"width": 320, "height": 740})
    violations = wcag_violations(page)
    assert not violations, f"axe-core on {what} at 320 px:\n{describe_violations(violations)}"


def small_text(page: Page, within: str) -> list[str]:
    """Visible text in ``within`` drawn smaller than ``BIG_TEXT_PX`` (SVG text as scaled by its viewBox)."""
    return page.evaluate(
        """([within, least]) => {
            const small = [];
            const walker = document.createTreeWalker(document.querySelector(within), NodeFilter.SHOW_TEXT);
            for (let node = walker.nextNode(); node; node = walker.nextNode()) {
                const el = node.parentElement;
                if (!node.data.trim() || !el || el.closest('style, script')) continue;
                const box = el.getBoundingClientRect();
                if (box.width <= 1 || box.height <= 1 || getComputedStyle(el).visibility !== 'visible') continue;
                let size = parseFloat(getComputedStyle(el).fontSize);
                const svg = el instanceof SVGElement ? el.ownerSVGElement || el : null;
                if (svg && svg.viewBox.baseVal && svg.viewBox.baseVal.width) {
                    size *= svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;  // drawn size
                }
                if (size < least) small.push(`${node.data.trim().slice(0, 40)} (${Math.round(size)} px)`);
            }
            return small;
        }""",
        [within, BIG_TEXT_PX],
    )


def above_the_fold(page: Page, selector: str) -> bool:
    box = page.locator(selector).first.bounding_box()
    return (
        bool(box)
        and box["y"] >= 0
        and box["y"] + box["height"] <= BIG["height"]
        and box["x"] + box["width"] <= BIG["width"]
    )


def test_the_group_quiz_on_a_phone_and_the_leader_s_controls_reflow(hub: LiveHub, browser, session) -> None:
    first = load_bank(hub.run_dir / "source" / MODULE / f"{QUIZ}.yml").questions[0]
    phone = hub.context(browser, "pia", phone=True)
    laptop = hub.context(browser, LEADER)
    try:
        pia = phone.new_page()
        open_app(pia, hub.app_url("gruppquiz.ipynb", session=session), f"{GQ}-participant input[type=radio]")
        assert pia.locator(f"{GQ}-question").first.inner_text().strip() == first.text
        assert_reflows(pia, "the group quiz on Pia's phone")
        olle = laptop.new_page()
        open_app(olle, hub.app_url("gruppquiz.ipynb"), f"{GQ}-leader {GQ}-code")
        assert_reflows(olle, "the group quiz's controls")
    finally:
        close_with_goodbye(phone)
        close_with_goodbye(laptop)


def test_the_group_quiz_s_big_screen_is_readable_from_the_back_of_the_room(hub: LiveHub, browser, session) -> None:
    run = hub.run_dir
    first = load_bank(run / "source" / MODULE / f"{QUIZ}.yml").questions[0]
    for person, chosen in zip(MEMBERS, (sorted(first.correct)[0], 0)):
        quiz_store.answer(run, session, person, first.id, [chosen])
    quiz_store.show_spread(run, session)
    quiz_store.reveal(run, session)
    room = hub.context(browser, LEADER)
    try:
        screen = room.new_page()
        screen.set_viewport_size(BIG)
        open_app(screen, hub.app_url("gruppquiz-skarm.ipynb", session=session), f"{GQ}-explanation")
        for part in (f"{GQ}-question", f"p{GQ}-right", f"{GQ}-explanation"):
            assert above_the_fold(screen, part), f"{part} is not on the screen at 1920×1080 without scrolling"
        assert small_text(screen, f"{GQ}-screen") == []
        assert layout_problems(screen) == []
        assert not wcag_violations(screen)
    finally:
        close_with_goodbye(room)


def test_the_talarstatistik_keeper_and_the_shared_plan_reflow_and_the_screen_is_big(hub: LiveHub, browser) -> None:
    phone = hub.context(browser, LEADER, phone=True)
    room = hub.context(browser, LEADER)
    try:
        keeper = phone.new_page()
        open_app(keeper, hub.app_url("talarstatistik.ipynb", circle=CIRCLE), f"{LS}-start")
        assert_reflows(keeper, "the talarstatistik keeper")
        plan = phone.new_page()
        open_app(plan, hub.app_url("plan.ipynb", circle=CIRCLE), f"{SP}-perception textarea")
        assert_reflows(plan, "the shared plan")
        screen = room.new_page()
        screen.set_viewport_size(BIG)
        open_app(screen, hub.app_url("talarstatistik-skarm.ipynb", circle=CIRCLE), f"{LS}-notice")
        assert t("livespeaker.waiting", circle="Cirkel B") in screen.locator(f"{LS}-notice").inner_text()
        assert above_the_fold(screen, f"{LS}-notice")
        assert small_text(screen, f"{LS}-screen") == []
        assert layout_problems(screen) == []
    finally:
        close_with_goodbye(phone)
        close_with_goodbye(room)
