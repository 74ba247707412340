"""Live talarstatistik on the real hub, in Chromium: two keeper phones and the big screen at once.

Lena (cirkelledare of Cirkel A) first records that the circle agreed to
counting by gender (the consent step the page opens with), then keeps
talarstatistik on her phone, Anna joins
as a second keeper on hers, and the course leader's laptop shows the big
screen. Every tap on one device is checked on the other two screens; pages are
reloaded to show nothing is lost; Pia, from another circle, is refused in one
plain sentence; axe-core finds no violations on the keeper's phone page.
Playwright waits for what a person would wait for (a text appearing), never a
fixed time.
"""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import Page, expect

from widgets.core.i18n import t

from browser_harness import axe_violations, describe_violations, open_app, tab_until
from live_hub import LiveHub, button, close_with_goodbye, no_horizontal_scroll

pytestmark = [pytest.mark.hub, pytest.mark.browser, pytest.mark.pg]  # the live hub's run is on PostgreSQL

KEEPER = "talarstatistik.ipynb"
SCREEN = "talarstatistik-skarm.ipynb"
CSS = ".cirkel-livespeaker"
CONSENT = ".cirkel-livespeaker-consent"
#: bounds a hang only: a poll shows a change within a second or two
LIVE_MS = 60_000


def row_cells(page: Page, category: str) -> list[str]:
    """One category's row of the table: contributions, time, share."""
    return page.locator(f'{CSS}-table tr[data-category="{category}"] td').all_inner_texts()


def no_horizontal_scroll_app(page: Page) -> bool:
    return no_horizontal_scroll(page, ".cirkel-livespeaker-app")


def test_a_live_session_on_two_phones_and_the_big_screen(hub: LiveHub, browser) -> None:
    screen_ctx = hub.context(browser, "kim")
    lena_ctx = hub.context(browser, "lena", phone=True)
    anna_ctx = hub.context(browser, "anna", phone=True)
    pia_ctx = hub.context(browser, "pia", phone=True)
    try:
        screen = screen_ctx.new_page()
        open_app(screen, hub.app_url(SCREEN, circle="cirkel-a"), f"{CSS}-notice")
        expect(screen.locator(f"{CSS}-notice")).to_contain_text(t("livespeaker.waiting", circle="Cirkel A"))

        lena = lena_ctx.new_page()
        open_app(lena, hub.app_url(KEEPER, circle="cirkel-a"), f"{CSS}-start")
        # the consent step comes first: why one counts, why one asks; without consent, no gender
        consent = lena.locator(CONSENT)
        expect(consent).to_contain_text(t("livespeaker.consent.heading"))
        expect(consent).to_contain_text("(Del 2, ”Internfeminism för framtiden”)")
        expect(consent).to_contain_text(t("livespeaker.consent.not_given"))
        start_anonymous = button(lena, t("livespeaker.consent.start_anonymous"))
        expect(start_anonymous).to_be_visible()
        assert consent.bounding_box()["y"] < start_anonymous.bounding_box()["y"]
        assert not button(lena, t("livespeaker.start_session")).count()
        violations = axe_violations(lena)
        assert not violations, describe_violations(violations)
        # Lena, the cirkelledare, records the day the circle agreed
        today = dt.date.today().isoformat()
        date_field = lena.get_by_label(t("livespeaker.consent.date_label"))
        date_field.fill(today)
        button(lena, t("livespeaker.consent.give")).click()
        expect(consent).to_contain_text(t("livespeaker.consent.given", date=today))
        expect(lena.locator(f"{CONSENT}-message[role=status][aria-live=polite]")).to_have_text(
            t("livespeaker.consent.saved", date=today)
        )
        button(lena, t("livespeaker.start_session")).click()
        kvinnor = button(lena, t("livespeaker.begin", label="Kvinnor"))
        expect(kvinnor).to_be_visible()
        expect(lena.locator(f"{CSS}-message[role=status][aria-live=polite]")).to_have_text(
            t("livespeaker.session_started")
        )

        # the phone page: no horizontal scroll at 360 px, thumb-sized buttons, no axe violations
        assert no_horizontal_scroll_app(lena)
        for name in (
            t("livespeaker.begin", label="Kvinnor"),
            t("livespeaker.begin", label="Män"),
            t("livespeaker.stop"),
            t("livespeaker.end_session"),
        ):
            box = button(lena, name).bounding_box()
            assert box and box["height"] >= 44, (name, box)
        violations = axe_violations(lena)
        assert not violations, describe_violations(violations)

        # the screen picks up the new session by itself; Lena's tap reaches it
        expect(screen.locator(f"{CSS}-now")).to_contain_text(t("speaker_stats.none_running"), timeout=LIVE_MS)
        kvinnor.click()
        expect(button(lena, t("livespeaker.end_contribution", label="Kvinnor"))).to_be_visible()
        expect(screen.locator(f"{CSS}-now")).to_contain_text("Pågår: Kvinnor", timeout=LIVE_MS)
        expect(screen.locator(f'{CSS}-table tr[data-category="kvinnor"] td').first).to_have_text("1", timeout=LIVE_MS)

        # Anna opens the keeper page on her phone: the same running contribution, and she can take over
        anna = anna_ctx.new_page()
        open_app(anna, hub.app_url(KEEPER, circle="cirkel-a"), f"{CSS}-category")
        # a member sees that the circle agreed, but only the leader can change it
        expect(anna.locator(CONSENT)).to_contain_text(t("livespeaker.consent.given", date=today))
        expect(anna.locator(CONSENT)).to_contain_text(t("livespeaker.consent.leader_decides"))
        assert not button(anna, t("livespeaker.consent.withdraw")).is_visible()
        expect(button(anna, t("livespeaker.end_contribution", label="Kvinnor"))).to_be_visible()
        violations = axe_violations(anna)  # a contribution running: the amber "Sluta" button
        assert not violations, describe_violations(violations)
        button(anna, t("livespeaker.begin", label="Män")).click()
        expect(anna.locator(f"{CSS}-message[role=status][aria-live=polite]")).to_contain_text(
            "Nytt inlägg startat: Män."
        )
        expect(button(lena, t("livespeaker.end_contribution", label="Män"))).to_be_visible(timeout=LIVE_MS)
        expect(button(lena, t("livespeaker.begin", label="Kvinnor"))).to_be_visible()
        expect(screen.locator(f"{CSS}-now")).to_contain_text("Pågår: Män", timeout=LIVE_MS)

        # Lena ends Män's contribution with the keyboard alone
        stop_man = button(lena, t("livespeaker.end_contribution", label="Män"))
        tab_until(lena, stop_man)
        lena.keyboard.press("Enter")
        expect(button(lena, t("livespeaker.begin", label="Män"))).to_be_visible()
        expect(lena.locator(f"{CSS}-message[role=status][aria-live=polite]")).to_contain_text("Inlägg stoppat: Män")
        expect(screen.locator(f"{CSS}-now")).to_contain_text(t("speaker_stats.none_running"), timeout=LIVE_MS)
        expect(button(anna, t("livespeaker.begin", label="Män"))).to_be_visible(timeout=LIVE_MS)

        # the big screen shows the chart, the table and the band, and a reload loses nothing
        for page in (screen, lena):
            page.reload(wait_until="domcontentloaded")
            page.wait_for_selector("body.cirkel-ready", state="attached")
            page.wait_for_selector(f'{CSS}-table tr[data-category="man"]', state="attached")
        assert row_cells(screen, "kvinnor")[0] == "1" and row_cells(screen, "man")[0] == "1"
        assert row_cells(screen, "icke-binara")[0] == "0"
        assert row_cells(lena, "kvinnor")[0] == "1" and row_cells(lena, "man")[0] == "1"
        expect(lena.locator(CONSENT)).to_contain_text(t("livespeaker.consent.given", date=today))  # kept
        expect(button(lena, t("livespeaker.consent.withdraw"))).to_be_visible()
        expect(screen.locator(f"{CSS}-chart svg[role=img]")).to_have_attribute(
            "aria-label", t("livespeaker.chart_name")
        )
        expect(screen.locator(f"{CSS}-band li")).to_have_count(2)
        expect(button(lena, t("livespeaker.begin", label="Kvinnor"))).to_be_visible()
        assert no_horizontal_scroll_app(lena) and no_horizontal_scroll_app(anna)
        assert not screen.locator("text=Traceback").count()

        # Lena ends the session: the summary is offered; Anna's phone and the screen show it ended
        button(lena, t("livespeaker.end_session")).click()
        button(lena, t("livespeaker.end_confirm")).click()
        expect(lena.locator(f"{CSS}-message[role=status][aria-live=polite]")).to_have_text(t("livespeaker.ended"))
        button(lena, t("speaker_stats.download_markdown")).click()
        link = lena.get_by_role("link", name=t("speaker_stats.download_link", name="talarstatistik.md"))
        expect(link).to_have_attribute("download", "talarstatistik.md")
        violations = axe_violations(lena)
        assert not violations, describe_violations(violations)
        expect(screen.locator(f"{CSS}-notice")).to_contain_text(t("livespeaker.ended_screen"), timeout=LIVE_MS)
        expect(anna.locator(f"{CSS}-keeper")).to_contain_text(t("livespeaker.ended_screen"), timeout=LIVE_MS)
        expect(button(anna, t("livespeaker.start_new_session"))).to_be_visible()
        assert not button(anna, t("livespeaker.begin", label="Kvinnor")).is_visible()

        # Pia is in another circle: one plain sentence, no numbers, and the page still passes axe
        pia = pia_ctx.new_page()
        open_app(pia, hub.app_url(KEEPER, circle="cirkel-a"), f"{CSS}-app-message[role=alert][aria-live=assertive]")
        expect(pia.locator(f"{CSS}-app-message")).to_have_text(t("livespeaker.not_your_circle", id="cirkel-a"))
        assert not pia.locator(f"{CSS}-table").count()
        violations = axe_violations(pia)
        assert not violations, describe_violations(violations)
    finally:
        for context in (screen_ctx, lena_ctx, anna_ctx, pia_ctx):
            close_with_goodbye(context)
