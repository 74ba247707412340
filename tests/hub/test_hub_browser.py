"""A learner's whole path through the real JupyterHub, in Chromium.

The hub runs with a demo-like course run built by ``grading.hub.demo`` (the one
``cirkel serve --hub --demo`` builds): the learners' workspaces are their hub
homes and "Mina moduler" is installed in each. Anna logs in through the Swedish
login page with her one-time password, chooses her own, lands on "Mina moduler",
opens a module, answers a quiz question by clicking, reloads and finds her answer,
and submits, and the run's grading service puts her points on the page; the course
leader, in a browser context of their own, lands on the Swedish start page of their
run, opens formgrader from it, collects with formgrader's own button and finds Anna's
module graded in the completion report.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from grading.hub.accounts import MIN_PASSWORD_LENGTH
from grading.hub.demo import LEADER, build_hub_demo, create_demo_accounts
from grading.hub.password import PAGE as PASSWORD_PAGE
from grading.reports.completion import completion_table
from grading.servers.serve import Learner, report_path
from widgets.core.i18n import t, yaml_data

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "browser"))
from browser_harness import (  # noqa: E402
    axe_violations,
    describe_violations,
    launch_chromium,
    normalise,
    string_pattern,
    wait_until,
)
from hub_process import running_hub  # noqa: E402

pytestmark = [pytest.mark.hub, pytest.mark.browser]

LEARNERS = (Learner("anna", "Anna"), Learner("bilal", "Bilal"))
STUDENT = "anna"
MODULE = "05-moten"
QUIZ = "motesroller"


@dataclass
class DemoHub:
    url: str
    passwords: dict[str, str]
    folder: Path
    course_run: object


@pytest.fixture(scope="module")
def hub(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoHub]:
    folder = tmp_path_factory.mktemp("hubdemo")
    course_run = build_hub_demo(folder, folder / "omgang", LEARNERS)
    passwords = create_demo_accounts(folder, course_run, LEARNERS)
    with running_hub(folder) as url:
        yield DemoHub(url, passwords, folder, course_run)
    print(f"\nhub log: {folder / 'hub.log'}")


def _login(page, hub: DemoHub, name: str, *, check_page: bool = False) -> None:
    """Log in through the Swedish login form with the one-time password, then choose one's own."""
    page.goto(f"{hub.url}/hub/login", wait_until="domcontentloaded")
    page.get_by_label(t("hub.page.username", lang="sv")).fill(name)
    page.get_by_label(t("hub.page.password", lang="sv")).fill(hub.passwords[name])
    page.get_by_role("button", name=t("hub.page.submit", lang="sv")).click()
    page.wait_for_url(f"**/hub/{PASSWORD_PAGE}*")
    heading = page.get_by_role("heading", level=1)
    assert normalise(heading.inner_text()) == t("hub.page.new_password_heading", lang="sv")
    if check_page:
        violations = axe_violations(page)
        assert not violations, describe_violations(violations)
        # a password too short: the Swedish reason, and the form again
        page.get_by_label(t("hub.page.new_password", lang="sv")).fill("kort")
        page.get_by_label(t("hub.page.repeat_password", lang="sv")).fill("kort")
        page.get_by_role("button", name=t("hub.page.save_password", lang="sv")).click()
        alert = page.get_by_role("alert")
        alert.wait_for(state="visible")
        assert normalise(alert.inner_text()) == t("hub.password.too_short", lang="sv", length=MIN_PASSWORD_LENGTH)
    own = f"{name} väljer ett eget lösenord"
    # the keyboard alone: the new-password field has the focus, Tab to the repeat field, Enter saves
    page.get_by_label(t("hub.page.new_password", lang="sv")).focus()
    page.keyboard.type(own)
    page.keyboard.press("Tab")
    page.keyboard.type(own)
    page.keyboard.press("Enter")
    hub.passwords[name] = own


def _bank(hub: DemoHub) -> dict:
    """The keyed bank, from the run's source: the learner's own copy has no answers in it."""
    folder = hub.course_run.source_dir / MODULE
    return yaml_data((folder / f"{QUIZ}.yml").read_text(encoding="utf-8"))


def _question_saved(hub: DemoHub, question_id: str) -> bool:
    import json

    path = hub.course_run.notebook_path(STUDENT, MODULE).parent / "svar" / f"{QUIZ}.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))["data"]
    except (FileNotFoundError, json.JSONDecodeError, KeyError):
        return False
    return bool((data.get("questions") or {}).get(question_id, {}).get("tries"))


def _expect_right(box) -> None:
    feedback = box.locator(".cirkel-quiz-right")
    feedback.wait_for(state="visible")
    assert normalise(feedback.inner_text()) == t("quiz.right", lang="sv")


def _ready(page, selector: str) -> None:
    page.wait_for_selector("body.cirkel-ready", state="attached")
    page.wait_for_selector(selector, state="visible")


def test_learner_logs_in_answers_submits_and_leader_sees_it(hub: DemoHub, playwright, tmp_path: Path) -> None:
    learner = launch_chromium(playwright, tmp_path / "deltagare")
    try:
        page = learner.new_page()
        # -- the Swedish login page, accessible -------------------------------------------------
        page.goto(f"{hub.url}/hub/login", wait_until="domcontentloaded")
        assert t("hub.page.help", lang="sv") in normalise(page.locator("body").inner_text())
        violations = axe_violations(page)
        assert not violations, describe_violations(violations)

        # -- log in, choose one's own password, and land on "Mina moduler" -------------------------
        _login(page, hub, STUDENT, check_page=True)
        page.wait_for_url(f"**/user/{STUDENT}/voila/render/mina-moduler.ipynb*")
        _ready(page, "table.cirkel-home-table")
        main = page.get_by_role("main")
        assert normalise(main.get_by_role("heading", level=1).inner_text()) == t("home.title", lang="sv")
        table = page.get_by_role("table", name=t("home.caption", lang="sv"))
        rows = table.locator("tbody tr")
        assert [rows.nth(i).get_attribute("data-module") for i in range(rows.count())] == sorted(hub.course_run.modules)
        violations = axe_violations(page)
        assert not violations, describe_violations(violations)

        # -- open the module and answer one question with the mouse -------------------------------
        table.locator(f'tr[data-module="{MODULE}"] a.cirkel-home-open').click()
        page.wait_for_url(f"**/user/{STUDENT}/voila/render/**/{MODULE}/{MODULE}.ipynb*")
        _ready(page, ".cirkel-submit-button")
        bank = _bank(hub)
        question = next(q for q in bank["questions"] if q.get("type", "single") == "single")
        position = [q["id"] for q in bank["questions"]].index(question["id"])
        right = next(i for i, option in enumerate(question["options"]) if option.get("correct"))
        box = page.locator(".cirkel-quiz-question").nth(position)
        box.locator("input[type=radio]").nth(right).click()
        box.get_by_role("button", name=t("quiz.answer", lang="sv")).click()
        _expect_right(box)
        wait_until(lambda: _question_saved(hub, question["id"]), "the quiz answer in the learner's home")

        # -- reload: a new kernel behind the lockdown restores the answer and its feedback ----------
        page.reload(wait_until="domcontentloaded")
        _ready(page, ".cirkel-submit-button")
        box = page.locator(".cirkel-quiz-question").nth(position)
        assert box.locator("input[type=radio]").nth(right).is_checked()
        _expect_right(box)

        # -- submit ---------------------------------------------------------------------------
        page.get_by_role("button", name=t("submit.button", lang="sv")).click()
        done = page.locator(".cirkel-submit-ok")
        done.wait_for(state="visible")
        assert string_pattern("submit.done").match(normalise(done.inner_text())), done.inner_text()
        # the run's grading service autogrades the hand-in: her points come without the leader
        graded = page.locator(".cirkel-submit-graded")
        graded.wait_for(state="visible")
        said = normalise(graded.inner_text())  # the sentence, then the link to the feedback
        assert said.startswith(t("submit.graded", lang="sv").split("{")[0]) and " poäng." in said, said
        assert "Traceback" not in page.locator("body").inner_text()

        # -- the boundaries, tried from her browser: no code pages, no one else's work, no run --------
        course = hub.course_run.course_id
        for path in (
            f"user/{STUDENT}/lab",
            f"user/{STUDENT}/tree",
            f"user/{STUDENT}/terminals/1",
            f"user/{STUDENT}/formgrader",
            "user/bilal/voila/render/mina-moduler.ipynb",
            f"services/{course}/formgrader",
            f"services/{course}/voila/render/{report_path()}",
        ):
            response = page.goto(f"{hub.url}/{path}", wait_until="domcontentloaded")
            assert response.status in (403, 404), (path, response.status, page.url)
            text = page.locator("body").inner_text()
            assert (
                "bilal" not in text.lower().replace("/user/bilal", "") and "cirkel-report-table" not in page.content()
            )
    finally:
        learner.close()

    # -- the course leader, in a browser of their own, lands on their Swedish start page ---------------
    course = hub.course_run.course_id
    service = f"{hub.url}/services/{course}"
    leader = launch_chromium(playwright, tmp_path / "kursledare")
    try:
        page = leader.new_page()
        _login(page, hub, LEADER)
        page.wait_for_url("**/hub/home*")
        heading = page.get_by_role("heading", level=1)
        assert normalise(heading.inner_text()) == t("hub.page.runs_heading", lang="sv")

        # -- ... opens formgrader from the start page and collects with its own button -------------
        page.get_by_role("link", name=t("hub.page.run_formgrader", lang="sv"), exact=True).click()
        page.wait_for_url(f"{service}/formgrader**")
        row = page.locator("tr", has=page.locator(f'td.name a:text-is("{MODULE}")'))
        row.locator("td.collect a").click()
        modal = page.locator("#success-modal")
        modal.wait_for(state="visible")
        assert f"Successfully collected submissions of '{MODULE}'" in modal.inner_text()
        modal.get_by_role("button", name="OK").click()

        # -- ... and reads the report: Anna's module graded (on her hand-in), Bilal's not -------------
        page.goto(f"{service}/voila/render/{report_path()}", wait_until="domcontentloaded")
        _ready(page, "table.cirkel-report-table")
        cell = page.locator(f'tr[data-student="{STUDENT}"] td[data-module="{MODULE}"] .cirkel-state')
        assert normalise(cell.inner_text()) == t("completion.state.rattad", lang="sv")
        other = page.locator(f'tr[data-student="bilal"] td[data-module="{MODULE}"] .cirkel-state')
        assert normalise(other.inner_text()) not in (
            t("completion.state.inlamnad", lang="sv"),
            t("completion.state.rattad", lang="sv"),
        )
        violations = axe_violations(page)
        assert not violations, describe_violations(violations)
    finally:
        leader.close()
    # the report shows what nbgrader holds
    table = completion_table(hub.course_run)
    state = dict(zip(zip(table.student_id, table.module), table.state))
    assert state[(STUDENT, MODULE)] == t("completion.state.rattad", lang="sv")
