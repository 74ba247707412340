"""The completion dashboard's data on a run seeded through the real nbgrader flow.

A small course of two modules (a quiz and a reflection each). Four learners:
anna answers the first module fully with a reflection, submits, is collected,
autograded, gets a comment in the gradebook and generated feedback, and
starts the second; cecilia submits the first blank (autograded, 0 points);
bo submits the first after the collect (in the exchange's inbound); dana only
chooses the lättläst text of the second module, which is a setting, not a start. The dashboard's table must equal ``completion_table`` row for row.
"""

from __future__ import annotations

import datetime as dt
import textwrap
from pathlib import Path

import pandas as pd
import pytest

from grading.autograde.pipeline import autograde, collect, fetch, release
from grading.circles.store import CircleStore
from grading.course_runs.roster import import_roster
from grading.course_runs.run import CourseRun, RunError
from grading.reports import dashboard as dash
from grading.reports.completion import state_label
from widgets.exercises.text_versions import TEXT_VERSION_ID
from widgets.pages.submit import submit_module
from widgets.storage.answers import AnswerStore

from focus_requests import focus_requests
from mini_module import QUIZ_YML, module_yml
from run_cache import create_run

pytestmark = [pytest.mark.nbgrader, pytest.mark.filterwarnings("ignore:.*not in session")]

FIRST, SECOND = "01-moten", "02-roller"
ANNA_TEXT = "Jag ska låta alla tala till punkt.\nOch fråga de tysta först."
COMMENT = "Bra tanke! Pröva det på nästa möte."


# the shared one-question bank and a second question
_QUIZ = QUIZ_YML + textwrap.indent(
    textwrap.dedent("""\
    - id: tid
      type: single
      text: Ska ett möte ha en sluttid?
      options:
        - text: Ja
          correct: true
        - text: Nej
      explanation: Ett möte ska sluta i tid.
    """),
    "  ",
)


def _course(root: Path) -> Path:
    root.mkdir(parents=True)
    (root / "course.yml").write_text(
        f"id: panelkurs\ntitle: Panelkurs\ndescription: Två små moduler.\nlanguage: sv\n"
        f"modules:\n  - {FIRST}\n  - {SECOND}\n",
        encoding="utf-8",
    )
    (root / "commitments.yml").write_text(
        '- id: moten-1\n  part: Del 2\n  section: Möten\n  text: "göra varje möte till ett genomtänkt möte"\n',
        encoding="utf-8",
    )
    for name, title, prompt in ((FIRST, "Möten", "Vad tar du med dig?"), (SECOND, "Roller", "Vilken roll vill du ha?")):
        (root / name).mkdir()
        (root / name / "module.yml").write_text(module_yml(title, prompt), encoding="utf-8")
        (root / name / "text.md").write_text("Ett möte ska ha ett syfte.\n", encoding="utf-8")
        (root / name / "fragor.yml").write_text(_QUIZ, encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def seeded(tmp_path_factory, answer):
    """The seeded run, with the moment of release and a moment 15 days later."""
    base = tmp_path_factory.mktemp("dashboard")
    run = create_run(_course(base / "panelkurs"), base / "run")
    roster = base / "deltagare.csv"
    roster.write_text("id;namn\nanna;Anna\nbo;Bo\ncecilia;Cecilia\ndana;Dana\n", encoding="utf-8")
    import_roster(run, roster)
    release(run)
    for learner in ("anna", "bo", "cecilia", "dana"):
        fetch(run, learner)
    answer(run.notebook_path("anna", FIRST).parent, "full", reflection=ANNA_TEXT)
    answer(run.notebook_path("anna", SECOND).parent, "partial")
    submit_module(run.notebook_path("anna", FIRST).parent)
    submit_module(run.notebook_path("cecilia", FIRST).parent)
    # dana only chooses the lättläst text of the second module: a setting, so still "ej påbörjad"
    AnswerStore(run.notebook_path("dana", SECOND).parent / "svar").save(
        TEXT_VERSION_ID, "textversion", {"version": "lattlast"}
    )
    collect(run)
    autograde(run)
    # bo submits after the collect: his submission waits in the exchange's inbound
    answer(run.notebook_path("bo", FIRST).parent, "partial")
    bo_submit = submit_module(run.notebook_path("bo", FIRST).parent)
    # the course leader comments anna's reflection in formgrader and generates her feedback
    with run.gradebook() as gb:
        comment = gb.find_comment("reflektion-svar", FIRST, FIRST, "anna")
        comment.manual_comment = COMMENT
        gb.db.commit()
    store = CircleStore(run)
    store.create_circle("norr", "Norra cirkeln", "anna", ["bo"])
    store.create_circle("soder", "Södra cirkeln", "cecilia", ["bo"])
    outcome = run.api().generate_feedback(FIRST, "anna")
    assert outcome["success"], outcome
    released = min(dash.released_at(run).values())
    return {"run": run, "released": released, "later": released + dt.timedelta(days=15), "bo_submit": bo_submit}


def test_table_shows_each_learners_state_points_and_submission_time(seeded):
    """The dashboard's table is the one completion table (``tests/nbgrader/test_one_completion.py``) with its own columns."""
    run = seeded["run"]
    fast = dash.dashboard_table(run)
    assert list(fast.columns) == dash.DASHBOARD_COLUMNS
    assert len(fast) == 4 * 2
    states = {(r.student_id, r.module): r.state for r in fast.itertuples()}
    assert states == {
        ("anna", FIRST): "rättad",
        ("anna", SECOND): "påbörjad",
        ("bo", FIRST): "inlämnad",
        ("bo", SECOND): "ej påbörjad",
        ("cecilia", FIRST): "rättad",
        ("cecilia", SECOND): "ej påbörjad",
        ("dana", FIRST): "ej påbörjad",
        ("dana", SECOND): "ej påbörjad",
    }
    anna = fast[(fast.student_id == "anna") & (fast.module == FIRST)].iloc[0]
    assert anna.points == 2 and anna.max_points == 3 and bool(anna.needs_manual_grade)
    bo = fast[(fast.student_id == "bo") & (fast.module == FIRST)].iloc[0]
    assert bo.submitted_at == seeded["bo_submit"].submitted_at


def test_nobody_is_behind_before_the_deadline(seeded):
    table = dash.dashboard_table(seeded["run"], now=seeded["released"] + dt.timedelta(days=13))
    assert table["behind_since"].isna().all()
    assert dash.behind_list(table).empty


def test_behind_list_names_who_which_module_and_since_when(seeded):
    run, later = seeded["run"], seeded["later"]
    table = dash.dashboard_table(run, now=later, behind_days=14)
    behind = dash.behind_list(table)
    assert sorted(zip(behind.student_id, behind.module)) == [
        ("anna", SECOND),
        ("bo", SECOND),
        ("cecilia", SECOND),
        ("dana", FIRST),
        ("dana", SECOND),
    ]
    overdue = dash.released_at(run)
    for row in behind.itertuples():
        assert row.behind_since == pd.Timestamp(overdue[row.module] + dt.timedelta(days=14))
    # a shorter rule from cirkel-run.yml applies when the caller names none
    run_file = run.root / "cirkel-run.yml"
    text = run_file.read_text(encoding="utf-8")
    try:
        run_file.write_text(text + "behind_days: 3\n", encoding="utf-8")
        short = dash.dashboard_table(CourseRun(run.root), now=seeded["released"] + dt.timedelta(days=4))
        assert short["behind_since"].notna().sum() == 5
    finally:
        run_file.write_text(text, encoding="utf-8")


def test_filters_by_module_and_circle(seeded):
    table = dash.dashboard_table(seeded["run"])
    first = dash.filter_table(table, module=FIRST)
    assert set(first.module) == {FIRST} and sorted(first.student_id) == ["anna", "bo", "cecilia", "dana"]
    assert len(dash.filter_table(table)) == len(table)
    circles = dict(zip(table.student_id, table.circle))
    assert circles == {"anna": "norr", "bo": "norr, soder", "cecilia": "soder", "dana": ""}
    assert sorted(set(dash.filter_table(table, circle="soder").student_id)) == ["bo", "cecilia"]
    both = dash.filter_table(table, circle="norr", module=SECOND)
    assert sorted(both.student_id) == ["anna", "bo"] and set(both.module) == {SECOND}


def test_summaries_over_time_points_and_circles(seeded):
    table = dash.dashboard_table(seeded["run"], now=seeded["later"])
    over_time = dash.completion_over_time(table)
    assert over_time["cumulative"].iloc[-1] == 3  # anna and cecilia graded, bo submitted
    assert over_time["submissions"].sum() == 3
    spread = dash.points_spread(table)
    assert list(spread.module) == [FIRST]
    first = spread.iloc[0]
    assert (first["count"], first["min"], first["max"], first["max_points"]) == (2, 0.0, 2.0, 3.0)
    names = dash.circle_names(seeded["run"])
    assert names == {"norr": "Norra cirkeln", "soder": "Södra cirkeln"}
    summary = dash.circle_summary(table, names).set_index("circle_id")
    assert summary.loc["norr", "name"] == "Norra cirkeln"
    # norr: anna (graded, behind on the second) and bo (submitted, behind on the second)
    assert summary.loc["norr", ["members", "done", "total", "behind"]].tolist() == [2, 2, 4, 2]
    # soder: bo and cecilia (graded, behind on the second)
    assert summary.loc["soder", ["members", "done", "total", "behind"]].tolist() == [2, 2, 4, 2]
    # dana is in no circle: nothing done, behind on both
    assert summary.loc["", ["members", "done", "behind"]].tolist() == [1, 0, 2]
    assert list(summary.index) == ["norr", "soder", ""]


def test_learner_page_has_modules_reflection_and_feedback(seeded):
    run = seeded["run"]
    page = dash.learner_page(run, "anna")
    assert page.name == "Anna" and page.circles == ("Norra cirkeln",)
    assert [(m.module, m.state) for m in page.modules] == [(FIRST, "rättad"), (SECOND, "påbörjad")]
    assert page.modules[0].points == 2 and page.modules[0].feedback_html
    assert not page.modules[1].feedback_html
    assert [(r.module, r.text, r.source) for r in page.reflections] == [(FIRST, ANNA_TEXT, "inlamnad")]
    assert page.reflections[0].prompt == "Vad tar du med dig?"
    assert [(c.module, c.comment) for c in page.feedback] == [(FIRST, COMMENT)]
    dana = dash.learner_page(run, "dana")
    assert dana.reflections == () and dana.feedback == ()
    assert {m.state for m in dana.modules} == {state_label("ej_paborjad")}


def test_unknown_learner_gets_a_plain_message(seeded):
    with pytest.raises(RunError, match="nisse"):
        dash.learner_page(seeded["run"], "nisse")


def test_run_without_learners_gives_an_empty_table(tmp_path, mini_course):
    run = create_run(mini_course, tmp_path / "tom")
    table = dash.dashboard_table(run)
    assert table.empty and list(table.columns) == dash.DASHBOARD_COLUMNS
    assert dash.behind_list(table).empty and dash.completion_over_time(table).empty


# -- the app's view, driven through its controls without a browser -------------------------


def test_view_filters_shows_a_learner_and_logs_it(seeded, monkeypatch):
    import base64
    import io
    import re

    from grading.course_runs import access_log
    from voila_apps.views.dashboard_view import Dashboard

    run = seeded["run"]
    monkeypatch.setenv("CIRKEL_VIEWER", "kursledaren")
    before = len(access_log.entries(run))
    app = Dashboard(str(run.root))
    updated = app.updated  # "Uppdaterad kl. ...": a live region from the start, only its text changes
    assert "cirkel-live" in updated._dom_classes and "role=" not in updated.value
    app.refresh_button.click()
    assert app.updated is updated and "cirkel-report-updated" in updated.value and "role=" not in updated.value
    assert "<caption>Deltagarnas moduler: läge och poäng</caption>" in app.table.value
    assert app.table.value.count('<th scope="row">') == 4
    assert [v for _, v in app.circle_filter.options] == ["", "norr", "soder"]
    app.module_filter.value = SECOND
    assert app.module == SECOND
    assert f'<th scope="col">{FIRST}</th>' not in app.table.value
    assert f'<th scope="col">{SECOND}</th>' in app.table.value
    app.circle_filter.value = "soder"
    assert re.findall(r'data-student="([a-z]+)"', app.table.value) == ["bo", "cecilia"]
    assert 'data-circle="soder"' in app.circles.value and 'data-circle="norr"' not in app.circles.value
    # the page of a learner: the visit is logged before anything is shown
    app.learner_picker.value = "anna"
    app.learner_button.click()
    assert "Jag ska låta alla tala till punkt." in app.learner.value
    assert COMMENT in app.learner.value
    app.csv_button.click()
    data = re.search(r'href="data:text/csv;charset=utf-8;base64,([^"]+)"', app.csv_link.value).group(1)
    csv = pd.read_csv(io.BytesIO(base64.b64decode(data)), sep=";", decimal=",", encoding="utf-8-sig")
    assert sorted(set(csv.student_id)) == ["bo", "cecilia"] and set(csv.module) == {SECOND}
    logged = [(e["viewer"], e["action"], e["subject"]) for e in access_log.entries(run)[before:]]
    assert logged == [("kursledaren", "visa", "anna"), ("kursledaren", "exportera", "alla")]
    # an unknown filter value is refused by the trait's rule
    app.module = "finns-inte"
    assert app.module == ""


def test_view_moves_the_focus_to_a_learners_page_and_back_and_refuses_as_an_alert(seeded):
    from voila_apps.views.dashboard_view import Dashboard
    from widgets.core.i18n import t
    from widgets.kit import controls as ui

    app = Dashboard(str(seeded["run"].root))
    app.learner_button.click()  # nobody chosen
    assert t("dashboard.learner.pick_first") in app.learner_message.alert.value
    assert "cirkel-live-alert" in app.learner_message.alert._dom_classes and app.learner_message.status.value == ""
    assert focus_requests(app.learner_picker) and not ui.shown(app.back_button)
    app.learner_picker.value = "anna"
    app.learner_button.click()
    assert app.learner_message.value == "" and "Anna" in app.learner_name.value and focus_requests(app.learner_name)
    assert "cirkel-dashboard-learner-name" not in app.learner.value, "the name is drawn once, as the heading"
    assert ui.shown(app.back_button) and not focus_requests(app.table)
    app.back_button.click()
    assert focus_requests(app.table)


def test_view_without_a_run_says_so_plainly():
    from voila_apps.views.dashboard_view import Dashboard

    app = Dashboard(None)
    assert 'role="alert"' in app.table.value and "cirkel serve" in app.table.value
    broken = Dashboard("/finns/inte")
    assert 'role="alert"' in broken.table.value and "Traceback" not in broken.table.value
