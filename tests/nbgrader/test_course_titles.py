"""A person reads the course's title, not its id, and times in Stockholm's time, on every page and export."""

from __future__ import annotations

import csv
import re
from zoneinfo import ZoneInfo

import pytest

from grading.reports.exports import completion_csv
from grading.servers.serve import Learner, build_demo_run
from widgets.pages.home import HomeApp
from widgets.pages.submit import find_learner, submit_module

from mini_module import QUIZ_YML, module_yml

pytestmark = pytest.mark.nbgrader

STOCKHOLM = ZoneInfo("Europe/Stockholm")


@pytest.fixture(scope="module")
def small_run(tmp_path_factory):
    """A one-module course whose id (``minikurs``) and title (``Minikurs``) differ, one learner; made once."""
    folder = tmp_path_factory.mktemp("titlar")
    course = folder / "minikurs"
    module = course / "01-prov"
    module.mkdir(parents=True)
    (course / "course.yml").write_text(
        "id: minikurs\ntitle: Minikurs\ndescription: En liten kurs.\nlanguage: sv\nmodules:\n  - 01-prov\n",
        encoding="utf-8",
    )
    (course / "commitments.yml").write_text(
        '- id: moten-1\n  part: Del 2\n  section: Möten\n  text: "göra varje möte till ett genomtänkt möte"\n',
        encoding="utf-8",
    )
    (module / "module.yml").write_text(module_yml(), encoding="utf-8")
    (module / "text.md").write_text("Ett möte ska ha ett syfte.\n", encoding="utf-8")
    (module / "fragor.yml").write_text(QUIZ_YML, encoding="utf-8")
    return build_demo_run(folder / "run", course_dir=course, learners=[Learner("dana", "Dana")])


@pytest.fixture(autouse=True)
def _swedish(monkeypatch):
    monkeypatch.setenv("CIRKEL_LANG", "sv")


def test_the_learners_home_names_the_course_by_its_title(small_run):
    assert find_learner(small_run.workspace("dana")).course_title == "Minikurs"
    app = HomeApp(small_run.workspace("dana"), script_name="/user/dana/voila/render/mina-moduler.ipynb")
    intro = re.search(r"<p>(.*?)</p>", app.body.value).group(1)
    assert intro == "Här är dina moduler i kursen Minikurs. Klicka på en modul för att öppna den."


def test_the_dashboard_names_the_course_by_its_title(small_run, monkeypatch):
    from voila_apps.views.dashboard_view import Dashboard

    monkeypatch.setenv("CIRKEL_VIEWER", "kursledaren")
    app = Dashboard(str(small_run.root))
    assert "i kursomgången Minikurs," in app.intro.value
    assert "minikurs" not in app.intro.value


def test_submission_times_are_stockholms_on_the_home_and_in_the_export(small_run, tmp_path):
    module_dir = small_run.notebook_path("dana", "01-prov").parent
    result = submit_module(module_dir)
    local = result.submitted_at.astimezone(STOCKHOLM).strftime("%Y-%m-%d %H:%M")
    app = HomeApp(small_run.workspace("dana"), script_name="/user/dana/voila/render/mina-moduler.ipynb")
    assert f"(inlämnad {local})" in app.body.value
    target = completion_csv(small_run, tmp_path / "rapport.csv")
    with open(target, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh, delimiter=";"))
    assert any(local in row for row in rows[1:]), rows
