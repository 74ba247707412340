"""The learner's home, "Mina moduler", over a course run made with the real nbgrader pipeline.

A learner's states move as they would for a person: nothing done, answers
saved, submitted through nbgrader's exchange, and graded once the course leader
has autograded, generated and released feedback (which the home fetches).
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import quote

import pytest

from grading.autograde.pipeline import autograde, collect
from grading.servers.serve import Learner, build_demo_run, home_path, install_apps
from widgets.core.i18n import t
from widgets.pages.home import FEEDBACK_ALLOWLIST, HomeApp, app_links, module_states
from widgets.pages.submit import find_learner, submit_module

pytestmark = pytest.mark.nbgrader


@pytest.fixture
def small_run(mini_course: Path, tmp_path: Path):
    return build_demo_run(
        tmp_path / "run", course_dir=mini_course, learners=[Learner("dana", "Dana"), Learner("erik", "Erik")]
    )


def _states(app: HomeApp) -> dict[str, str]:
    return dict(re.findall(r'data-module="([^"]+)" data-state="([^"]+)"', app.body.value))


def test_states_follow_the_learner_from_fetch_to_feedback(small_run, answer) -> None:
    workspace = small_run.workspace("dana")
    module_dir = small_run.notebook_path("dana", "01-prov").parent
    app = HomeApp(workspace, script_name="/user/dana/voila/render/mina-moduler.ipynb")

    assert "<h1>Mina moduler</h1>" in app.heading.value
    assert _states(app) == {"01-prov": "ej_paborjad"}
    assert "<caption>" in app.body.value and 'scope="col"' in app.body.value and 'scope="row"' in app.body.value
    assert 'href="/user/dana/voila/render/minikurs/01-prov/01-prov.ipynb"' in app.body.value
    assert t("completion.state.ej_paborjad") in app.body.value

    updated = app.updated  # "Uppdaterad ...": one live region, there before "Uppdatera" is pressed
    assert "cirkel-live" in updated._dom_classes and "Uppdaterad" in updated.value
    answer(module_dir, how="partial")
    app.refresh_button.click()
    assert _states(app) == {"01-prov": "paborjad"}
    assert app.updated is updated and "Uppdaterad" in updated.value and "role=" not in updated.value

    submit_module(module_dir)
    statuses = app.refresh()
    assert _states(app) == {"01-prov": "inlamnad"}
    assert statuses[0].submitted_at is not None and not statuses[0].feedback

    # The other learner is untouched by Dana's work.
    assert [s.state for s in module_states(find_learner(small_run.workspace("erik")))] == ["ej_paborjad"]

    collect(small_run)
    autograde(small_run)
    api = small_run.api()
    assert api.generate_feedback("01-prov", "dana")["success"]
    assert api.release_feedback("01-prov", "dana")["success"]
    statuses = app.refresh()
    assert _states(app) == {"01-prov": "rattad"}
    feedback = statuses[0].feedback
    assert feedback and (workspace / feedback[0]).is_file()
    assert re.fullmatch(FEEDBACK_ALLOWLIST, f"deltagare/dana/{feedback[0]}")
    assert f'href="/user/dana/voila/files/{quote(feedback[0])}"' in app.body.value
    assert t("home.read_feedback", module=statuses[0].title) in app.body.value


def test_no_learner_file_gives_a_plain_message(tmp_path: Path) -> None:
    app = HomeApp(tmp_path)
    assert 'role="alert"' in app.body.value and t("submit.no_learner") in app.body.value
    assert "Traceback" not in app.body.value


def test_links_follow_the_server_base_url() -> None:
    assert app_links("/voila/render/deltagare/anna/mina-moduler.ipynb", "mina-moduler.ipynb") == (
        "/voila/render/deltagare/anna/",
        "/voila/files/deltagare/anna/",
    )
    assert app_links("/user/anna/voila/render/mina-moduler.ipynb", "mina-moduler.ipynb") == (
        "/user/anna/voila/render/",
        "/user/anna/voila/files/",
    )
    assert app_links(None, "mina-moduler.ipynb") == ("", "")


def test_serve_puts_a_home_in_each_learner_workspace(small_run) -> None:
    install_apps(small_run.root)
    for student_id in ("dana", "erik"):
        home = home_path(small_run, student_id)
        assert home.is_file()
        assert find_learner(home.parent).student_id == student_id


def test_serve_prints_each_learners_home(small_run, capsys) -> None:
    from grading.servers import serve
    from grading.servers.serve.run_command import print_addresses

    install_apps(small_run.root)
    server = serve.Server(
        process=None,
        base_url="http://127.0.0.1:9/",
        token="abc",  # type: ignore[arg-type]
        root=small_run.root,
    )
    print_addresses(server, small_run)
    printed = capsys.readouterr().out.splitlines()
    assert (
        t(
            "serve.learner_home",
            name="Dana",
            student_id="dana",
            url="http://127.0.0.1:9/voila/render/deltagare/dana/mina-moduler.ipynb?token=abc",
        )
        in printed
    )


def test_on_the_hub_the_home_links_the_circles_live_apps_and_the_code_page() -> None:
    from widgets.pages.home import circle_links_html

    assert circle_links_html("ht26", None) == ""  # without the hub there is no live service
    links = circle_links_html("ht26", "/")
    assert 'href="/services/ht26-samverkan/voila/render/gruppquiz.ipynb"' in links
    assert 'href="/services/ht26-samverkan/voila/render/plan.ipynb"' in links
    assert 'href="/hub/kod"' in links and t("home.live.heading") in links
