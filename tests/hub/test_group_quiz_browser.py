"""The group quiz on the real hub, in Chromium: the cirkelledare, the big screen and three phones at once.

Lena (cirkelledare of Cirkel A) starts a quiz on her laptop and opens the big
screen from its link; Anna waits on her phone before it starts and is taken in
by herself, Bertil types the code on the hub's code page, Cilla opens the
session's link. Every step is checked on every screen: who has answered (not
what), the spread, the explanation, the next question. Anna's page is reloaded
to show her answer is kept; Cilla answers with the keyboard alone; Pia, from
another circle, is refused in one plain sentence; after the end the code is
refused plainly to a newcomer. axe-core finds no violations on the phone views.
Playwright waits for what a person would wait for, never a fixed time.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from widgets.core.i18n import t, yaml_data
from widgets.models.quiz_bank import load_bank
from widgets.storage.answers import AnswerStore

from browser_harness import CONTEXT_OPTIONS, axe_violations, describe_violations, open_app, tab_until
from live_hub import LiveHub, button, close_with_goodbye, no_horizontal_scroll

pytestmark = [pytest.mark.hub, pytest.mark.browser, pytest.mark.pg]  # the live hub's run is on PostgreSQL

APP = "gruppquiz.ipynb"
CSS = ".cirkel-gq"
MODULE = "05-moten"
QUIZ = "motesroller"
#: bounds a hang only: a poll shows a change within a second or two
LIVE_MS = 60_000


def status(page: Page):
    return page.locator(f"{CSS}-participant {CSS}-status")


def spread_counts(page: Page) -> list[str]:
    return page.locator(f"{CSS}-spread tbody td").all_inner_texts()


def assert_accessible(page: Page) -> None:
    violations = axe_violations(page)
    assert not violations, describe_violations(violations)


def test_a_full_quiz_round_on_the_leader_s_laptop_the_big_screen_and_three_phones(hub: LiveHub, browser) -> None:
    bank = load_bank(hub.run_dir / "source" / MODULE / f"{QUIZ}.yml")
    first, second = bank.questions[0], bank.questions[1]
    right = sorted(first.correct)[0]
    wrong = next(i for i in range(len(first.options)) if i not in first.correct)
    letter = "ABCDEFGH"
    label = [f"{letter[i]}. {option.text}" for i, option in enumerate(first.options)]

    lena_ctx = hub.context(browser, "lena")
    phones = {name: hub.context(browser, name, phone=True) for name in ("anna", "bertil", "cilla", "pia")}
    newcomer_ctx = browser.new_context(**CONTEXT_OPTIONS, viewport={"width": 360, "height": 740})
    try:
        # Anna is early: her phone waits for her circle's quiz
        anna = phones["anna"].new_page()
        open_app(anna, hub.app_url(APP), f"{CSS}-participant")
        expect(anna.locator(f"{CSS}-participant")).to_contain_text(t("groupquiz.none_open"))
        assert_accessible(anna)

        # Lena starts the module's quiz for Cirkel A
        lena = lena_ctx.new_page()
        open_app(lena, hub.app_url(APP), f"{CSS}-leader")
        module_title = yaml_data((hub.run_dir / "source" / MODULE / "module.yml").read_text(encoding="utf-8"))["title"]
        lena.get_by_label(t("groupquiz.quiz")).select_option(label=f"{module_title}: {bank.title}")
        button(lena, t("groupquiz.start")).click()
        code_box = lena.locator(f"{CSS}-leader {CSS}-code")
        expect(code_box).to_have_text(re.compile(r"^[A-Z2-9]{6}$"))
        code = code_box.inner_text().strip()
        with lena_ctx.expect_page() as opened:
            lena.get_by_role("link", name=t("groupquiz.screen_link")).click()
        screen = opened.value
        screen.wait_for_selector("body.cirkel-ready", state="attached")
        screen.wait_for_selector(f"{CSS}-screen", state="visible")
        session = re.search(r"session=(\d+)", screen.url).group(1)
        expect(screen.locator(f"{CSS}-join")).to_contain_text(
            t("groupquiz.join_how", address=f"{hub.url}/hub/kod", code=code)
        )

        # Anna is taken in by herself; Bertil types the code on the hub's page; Cilla follows the link
        expect(anna.locator(f"{CSS}-participant")).to_contain_text(t("groupquiz.wait_first"), timeout=LIVE_MS)
        bertil = phones["bertil"].new_page()
        bertil.goto(f"{hub.url}/hub/kod")
        bertil.get_by_label(re.compile("Kod", re.I)).first.fill(code.lower())
        bertil.locator("#code_submit").click()
        bertil.wait_for_selector("body.cirkel-ready", state="attached")
        bertil.wait_for_selector(f"{CSS}-participant", state="visible")
        assert f"session={session}" in bertil.url
        cilla = phones["cilla"].new_page()
        open_app(cilla, hub.app_url(APP, session=session), f"{CSS}-participant")
        for page in (bertil, cilla):
            expect(page.locator(f"{CSS}-participant")).to_contain_text(t("groupquiz.wait_first"))
        for name in ("Anna", "Bertil", "Cilla"):
            expect(screen.locator(f"{CSS}-joined")).to_contain_text(name, timeout=LIVE_MS)

        # the first question on every screen
        button(lena, t("groupquiz.first")).click()
        for page in (anna, bertil, cilla, screen):
            expect(page.locator(f"{CSS}-question").first).to_have_text(first.text, timeout=LIVE_MS)
        expect(screen.locator(f"{CSS}-answered-count")).to_have_text(t("groupquiz.answered_count", answered=0, total=3))
        assert first.explanation not in anna.locator(f"{CSS}-participant").inner_text()

        # Anna answers; the screen shows that she has, not what
        anna.get_by_role("radio", name=label[right]).check()
        button(anna, t("groupquiz.answer")).click()
        expect(status(anna)).to_have_text(t("groupquiz.saved", answer=label[right]))
        expect(screen.locator(f"{CSS}-answered")).to_have_text("Anna", timeout=LIVE_MS)
        expect(screen.locator(f"{CSS}-answered-count")).to_have_text(t("groupquiz.answered_count", answered=1, total=3))
        assert not screen.locator(f"{CSS}-spread").count()

        # the phone view: 360 px without sideways scrolling, thumb-sized controls, axe finds nothing
        assert no_horizontal_scroll(anna)
        box = button(anna, t("groupquiz.answer")).bounding_box()
        assert box and box["height"] >= 44, box
        radio_box = anna.locator(f"{CSS}-participant .widget-radio-box label").first.bounding_box()
        assert radio_box and radio_box["height"] >= 44, radio_box
        assert_accessible(anna)

        # Anna's phone loses the page and comes back: her answer is still hers
        anna.reload(wait_until="domcontentloaded")
        anna.wait_for_selector("body.cirkel-ready", state="attached")
        anna.wait_for_selector(f"{CSS}-participant", state="visible")
        expect(anna.get_by_role("radio", name=label[right])).to_be_checked()
        expect(status(anna)).to_have_text(t("groupquiz.saved", answer=label[right]))

        # Bertil answers wrong; Cilla answers with the keyboard alone
        bertil.get_by_role("radio", name=label[wrong]).check()
        button(bertil, t("groupquiz.answer")).click()
        expect(status(bertil)).to_have_text(t("groupquiz.saved", answer=label[wrong]))
        tab_until(cilla, cilla.get_by_role("radio", name=label[0]))
        target = cilla.get_by_role("radio", name=label[right])
        for _ in range(right):
            cilla.keyboard.press("ArrowDown")
        cilla.keyboard.press("Space")
        expect(target).to_be_checked()
        tab_until(cilla, button(cilla, t("groupquiz.answer")))
        cilla.keyboard.press("Enter")
        expect(status(cilla)).to_have_text(t("groupquiz.saved", answer=label[right]))
        expect(screen.locator(f"{CSS}-answered-count")).to_have_text(
            t("groupquiz.answered_count", answered=3, total=3), timeout=LIVE_MS
        )
        expect(lena.locator(f"{CSS}-phase")).to_contain_text(
            t("groupquiz.phase.answering", number=1, total=len(bank.questions), answered=3, count=3), timeout=LIVE_MS
        )

        # the spread on every screen; the explanation only when Lena reveals it
        button(lena, t("groupquiz.show_spread")).click()
        expected = ["0"] * len(first.options)
        expected[right], expected[wrong] = "2", "1"
        for page in (screen, anna, bertil, cilla):
            expect(page.locator(f"{CSS}-spread tbody td").first).to_be_visible(timeout=LIVE_MS)
            assert spread_counts(page) == expected
            assert first.explanation not in page.locator("main").inner_text()
        expect(status(bertil)).to_contain_text(t("groupquiz.your_answer", answer=label[wrong]))
        expect(bertil.get_by_role("radio", name=label[wrong])).to_be_disabled()
        assert not button(bertil, t("groupquiz.answer")).is_visible()
        expect(screen.locator(f"{CSS}-chart")).to_have_attribute("role", "img")
        assert_accessible(bertil)

        button(lena, t("groupquiz.reveal")).click()
        for page in (screen, anna, bertil, cilla):
            expect(page.locator(f"{CSS}-explanation")).to_contain_text(first.explanation[:40], timeout=LIVE_MS)
            expect(page.locator(f"p{CSS}-right")).to_have_text(t("groupquiz.right_answer", answer=label[right]))
        assert_accessible(cilla)

        # the next question; a late reload still shows the current one
        button(lena, t("groupquiz.next")).click()
        for page in (screen, anna, bertil, cilla):
            expect(page.locator(f"{CSS}-question").first).to_have_text(second.text, timeout=LIVE_MS)
        cilla.reload(wait_until="domcontentloaded")
        cilla.wait_for_selector("body.cirkel-ready", state="attached")
        expect(cilla.locator(f"{CSS}-question").first).to_have_text(second.text)

        # Pia is in another circle: one plain sentence
        pia = phones["pia"].new_page()
        open_app(pia, hub.app_url(APP, session=session), f"{CSS}-message")
        expect(pia.locator(f"{CSS}-message")).to_have_text(t("groupquiz.refused.not_in_circle"))
        assert_accessible(pia)

        # Lena ends it: every screen says so, the code is gone, the circle keeps the result
        button(lena, t("groupquiz.end")).click()
        expect(screen.locator(f"{CSS}-screen")).to_contain_text(t("groupquiz.ended_screen"), timeout=LIVE_MS)
        assert code not in screen.locator(f"{CSS}-screen").inner_text()
        for page in (anna, bertil, cilla):
            expect(page.locator(f"{CSS}-participant")).to_contain_text(
                t("groupquiz.ended_participant"), timeout=LIVE_MS
            )
        expect(lena.locator(f"{CSS}-results")).to_contain_text(bank.title)
        for page in (lena, screen, anna, bertil, cilla):
            assert not page.locator("text=Traceback").count()
        # the answers counted in each learner's own quiz (their hub home), as their first try
        for person, chosen in (("anna", right), ("bertil", wrong), ("cilla", right)):
            saved = AnswerStore(hub.course_run.notebook_path(person, MODULE).parent / "svar").load(QUIZ, "quiz")
            assert saved is not None and saved.data["questions"][first.id]["tries"] == [[chosen]], person
            assert second.id not in saved.data["questions"]  # shown, never answered
        # the round was played on PostgreSQL: each phone's answer is a row there, no SQLite file in the run
        from grading.personal_data.live_tables import live_metadata
        from widgets.storage.live_db import live_url, person_rows

        live_metadata()  # as an export does: every live table known, whatever this process imported before
        assert live_url(hub.run_dir).startswith("postgresql")
        for person in ("anna", "bertil", "cilla"):
            assert any(person_rows(hub.run_dir, person).values()), person
        assert not list(hub.run_dir.glob("*.sqlite")), list(hub.run_dir.glob("*.sqlite"))

        # a newcomer with the expired code is refused plainly on the hub's code page
        newcomer = newcomer_ctx.new_page()
        newcomer.goto(f"{hub.url}/hub/kod")
        newcomer.locator("#code_input").fill(code)
        newcomer.locator("#name_input").fill("Eva")
        newcomer.locator("#code_submit").click()
        expect(newcomer.get_by_role("alert")).to_have_text(t("groupquiz.error.code_expired", code=code))
    finally:
        for context in (lena_ctx, newcomer_ctx, *phones.values()):
            close_with_goodbye(context)
