"""One shared plan on the real hub, in Chromium: four devices of Cirkel A edit it at once.

Lena (cirkelledare) has the plan on the big screen from her laptop; Anna,
Bertil and Cilla edit it on their phones. Different fields at once all merge;
the same field at once: the later text wins on every screen, the earlier one is
in the history on every screen, and the person whose text won is told plainly.
A reload loses nothing; Pia, from another circle, gets one plain sentence;
axe-core finds no violations on a phone page, which needs no sideways scroll.
Playwright waits for what a person would wait for (a text appearing), never a
fixed time.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from widgets.core.i18n import t

from browser_harness import axe_violations, describe_violations, open_app, tab_until
from live_hub import LiveHub, close_with_goodbye, no_horizontal_scroll

pytestmark = [pytest.mark.hub, pytest.mark.browser, pytest.mark.pg]  # the live hub's run is on PostgreSQL

APP = "plan.ipynb"
CSS = ".cirkel-sharedplan"
READY = f"{CSS}-perception textarea"
#: bounds a hang only: a text is saved after a pause of a second and polled every second
LIVE_MS = 60_000


def open_plan(page: Page, url: str, ready: str = READY) -> None:
    open_app(page, url, ready)


def field(page: Page, label: str):
    return page.get_by_label(label, exact=True)


def test_four_devices_edit_one_plan(hub: LiveHub, browser) -> None:
    people = {"lena": False, "anna": True, "bertil": True, "cilla": True}
    contexts = {name: hub.context(browser, name, phone=phone) for name, phone in people.items()}
    try:
        pages: dict[str, Page] = {}
        for name, context in contexts.items():
            pages[name] = context.new_page()
            open_plan(pages[name], hub.app_url(APP, circle="cirkel-a"))
        lena, anna, bertil, cilla = (pages[n] for n in ("lena", "anna", "bertil", "cilla"))
        expect(lena.locator(f"{CSS}-title")).to_have_text(t("sharedplan.title", circle="Cirkel A"))

        # different fields at once, from three phones
        anna_goal_button = anna.get_by_role("button", name=t("plan.add_goal"), exact=True)
        anna_goal_button.click()
        field(anna, t("plan.goal_label", number=1)).fill("Fler aktiva medlemmar")
        field(bertil, t("plan.perception_label")).fill("Partiet som finns där folk bor")
        members = field(cilla, t("plan.members"))
        members.fill("12")
        members.press("Tab")  # a number box sends its value when one leaves it
        for page in pages.values():
            expect(field(page, t("plan.goal_label", number=1))).to_have_value("Fler aktiva medlemmar", timeout=LIVE_MS)
            expect(field(page, t("plan.perception_label"))).to_have_value(
                "Partiet som finns där folk bor", timeout=LIVE_MS
            )
            expect(field(page, t("plan.members"))).to_have_value("12", timeout=LIVE_MS)

        # the same field at once: both are typing before either text is saved
        revisit = t("plan.revisit_label")
        texts = {"anna": "Varje januari på medlemsmötet", "bertil": "Efter valet, i oktober"}
        field(anna, revisit).fill(texts["anna"])
        field(bertil, revisit).fill(texts["bertil"])
        # the earlier saved text lands in the history (only the replaced one is ever there): it lost
        history = f"{CSS}-history"
        either = re.compile("|".join(re.escape(text) for text in texts.values()))
        expect(lena.locator(history)).to_contain_text(either, timeout=LIVE_MS)
        shown = lena.locator(history).inner_text()
        [loser] = [name for name, text in texts.items() if text in shown]
        winner = "bertil" if loser == "anna" else "anna"
        winner_text = texts[winner]
        for page in pages.values():
            expect(field(page, revisit)).to_have_value(winner_text, timeout=LIVE_MS)
        for page in pages.values():
            expect(page.locator(history)).to_contain_text(texts[loser], timeout=LIVE_MS)
        expect(pages[winner].locator(f"{CSS}-status")).to_contain_text(
            t("sharedplan.conflict", who=loser.capitalize(), field=revisit, history=t("sharedplan.history_title")),
            timeout=LIVE_MS,
        )
        # the status is the one live region made when the page was drawn, with no second one inside
        expect(pages[winner].locator(f'{CSS}-status[role="status"][aria-live="polite"]')).to_have_count(1)
        expect(pages[winner].locator(f"{CSS}-status [role], {CSS}-status [aria-live]")).to_have_count(0)

        # keyboard alone, on a phone: add a discussion and name it
        cilla_add = cilla.get_by_role("button", name=t("plan.add_discussion"), exact=True)
        tab_until(cilla, cilla_add)
        cilla.keyboard.press("Enter")
        discussion = field(cilla, t("plan.discussion_label", number=1))
        expect(discussion).to_be_visible(timeout=LIVE_MS)
        discussion.focus()
        cilla.keyboard.type("Medlemsmöte om planen")
        expect(field(lena, t("plan.discussion_label", number=1))).to_have_value(
            "Medlemsmöte om planen", timeout=LIVE_MS
        )

        # a reload loses nothing
        bertil.reload(wait_until="domcontentloaded")
        bertil.wait_for_selector("body.cirkel-ready", state="attached")
        bertil.wait_for_selector(READY, state="visible")
        expect(field(bertil, t("plan.perception_label"))).to_have_value("Partiet som finns där folk bor")
        expect(field(bertil, t("plan.goal_label", number=1))).to_have_value("Fler aktiva medlemmar")
        expect(field(bertil, t("plan.members"))).to_have_value("12")
        expect(field(bertil, revisit)).to_have_value(winner_text)
        expect(field(bertil, t("plan.discussion_label", number=1))).to_have_value("Medlemsmöte om planen")
        expect(bertil.locator(history)).to_contain_text(texts[loser])

        # the realism check follows the shared plan, and the export carries it
        expect(lena.locator(".cirkel-plan-check")).to_contain_text(t("plan.warn.too_few_goals", count=1, min=2))
        lena.get_by_role("button", name=t("plan.download_markdown"), exact=True).click()
        link = lena.get_by_role("link", name=t("plan.download_link", name=t("plan.markdown_filename")))
        expect(link).to_be_visible(timeout=LIVE_MS)

        # a phone page: no sideways scroll, big tap targets, no axe violations
        assert no_horizontal_scroll(anna)
        heights = anna.locator(f"{CSS} button").evaluate_all("els => els.map(e => e.getBoundingClientRect().height)")
        assert heights and min(h for h in heights if h > 0) >= 44
        violations = axe_violations(anna)
        assert violations == [], describe_violations(violations)
    finally:
        for context in contexts.values():
            close_with_goodbye(context)


def test_someone_from_another_circle_is_refused_plainly(hub: LiveHub, browser) -> None:
    context = hub.context(browser, "pia", phone=True)
    try:
        page = context.new_page()
        open_plan(page, hub.app_url(APP, circle="cirkel-a"), ready=f"{CSS}-message")
        expect(page.locator(f"{CSS}-message")).to_contain_text(t("sharedplan.refused", circle="Cirkel A"))
        assert page.locator("textarea").count() == 0
        assert "Traceback" not in page.content()
        violations = axe_violations(page)
        assert violations == [], describe_violations(violations)
    finally:
        close_with_goodbye(context)
