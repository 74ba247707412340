"""A learner's whole path through the real JupyterHub, in Chromium.

The hub runs with a demo-like course run built by ``grading.hub.demo`` (the one
``cirkel serve --hub --demo`` builds): the learners' workspaces are their hub
homes and "Mina moduler" is installed in each. Anna logs in through the Swedish
login page, lands on "Mina moduler", opens a module, answers a quiz question by
clicking, reloads and finds her answer, and submits; the course leader, in a
browser context of their own, lands in JupyterLab, collects with the pipeline
API and finds Anna's submission in the completion report.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from grading.completion import completion_table
from grading.hub.demo import LEADER, build_hub_demo, create_demo_accounts
from grading.pipeline import collect
from grading.serve import Learner
from widgets.i18n import t

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "browser"))
from browser_harness import (  # noqa: E402
    axe_violations, describe_violations, launch_chromium, normalise, string_pattern, wait_until)
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


def _login(page, hub: DemoHub, name: str) -> None:
    """Log in through the Swedish login form, as a person would."""
    page.goto(f"{hub.url}/hub/login", wait_until="domcontentloaded")
    page.get_by_label(t("hub.page.username", lang="sv")).fill(name)
    page.get_by_label(t("hub.page.password", lang="sv")).fill(hub.passwords[name])
    page.get_by_role("button", name=t("hub.page.submit", lang="sv")).click()


def _bank(hub: DemoHub) -> dict:
    folder = hub.course_run.notebook_path(STUDENT, MODULE).parent
    return yaml.safe_load((folder / f"{QUIZ}.yml").read_text(encoding="utf-8"))


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

        # -- log in and land on "Mina moduler" --------------------------------------------------
        _login(page, hub, STUDENT)
        page.wait_for_url(f"**/user/{STUDENT}/voila/render/mina-moduler.ipynb*")
        _ready(page, "table.cirkel-home-table")
        main = page.get_by_role("main")
        assert normalise(main.get_by_role("heading", level=1).inner_text()) == t("home.title", lang="sv")
        table = page.get_by_role("table", name=t("home.caption", lang="sv"))
        rows = table.locator("tbody tr")
        assert [rows.nth(i).get_attribute("data-module") for i in range(rows.count())] == \
            sorted(hub.course_run.modules)
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
        assert "Traceback" not in page.locator("body").inner_text()
    finally:
        learner.close()

    # -- the course leader, in a browser of their own, lands in JupyterLab --------------------------
    leader = launch_chromium(playwright, tmp_path / "kursledare")
    try:
        page = leader.new_page()
        _login(page, hub, LEADER)
        page.wait_for_url(f"**/user/{LEADER}/lab*")
    finally:
        leader.close()

    # -- ... collects with the pipeline and finds Anna's submission in the report -------------------
    collect(hub.course_run, [MODULE])
    table = completion_table(hub.course_run)
    state = dict(zip(zip(table.student_id, table.module), table.state))
    assert state[(STUDENT, MODULE)] == t("completion.state.inlamnad", lang="sv")
    assert state[("bilal", MODULE)] != t("completion.state.inlamnad", lang="sv")
