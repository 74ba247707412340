"""A learner in two course runs whose workspaces are one folder (her home on a one-machine hub).

The second run's fetch left its learner file over the first's, and "Lämna in" in a module of the
first run then said the folder was no module: her work there could not be handed in. Each run
now has its own workspace in the shared folder, and each module is handed in to its own run.
"""

from __future__ import annotations

import pytest

from grading.autograde.pipeline import fetch, release
from grading.course_runs.roster import import_roster
from grading.course_runs.run import LEARNER_FILE
from grading.personal_data.places import workspace_parts
from widgets.storage.submission import find_learner, submit_module

from run_cache import create_run

pytestmark = pytest.mark.nbgrader


def _run(course_dir, folder, course_id, homes):
    run = create_run(course_dir, folder, course_id=course_id, workspaces=str(homes / "{student_id}"))
    roster = folder.parent / f"{course_id}.csv"
    roster.write_text("id,namn\nanna,Anna\n", encoding="utf-8")
    import_roster(run, roster)
    release(run, [run.modules[0]])
    return run


def test_each_run_keeps_its_own_learner_file_and_takes_its_own_hand_ins(course_dir, tmp_path):
    homes = tmp_path / "hem"
    autumn = _run(course_dir, tmp_path / "host", "skola-host", homes)
    spring = _run(course_dir, tmp_path / "var", "skola-var", homes)
    module = autumn.modules[0]

    fetch(autumn, "anna")
    fetch(spring, "anna")

    home = homes / "anna"
    assert autumn.workspace("anna") == home  # the first run fetched keeps her home, as before
    assert spring.workspace("anna") == home / "skola-var"
    for run in (autumn, spring):
        folder = run.notebook_path("anna", module).parent
        assert folder.is_dir()
        assert find_learner(folder).course_id == run.course_id

    submit_module(autumn.notebook_path("anna", module).parent)
    inbound = {run.course_id: run.exchange_root / run.course_id / "inbound" for run in (autumn, spring)}
    assert [p.name.split("+")[:2] for p in inbound["skola-host"].iterdir()] == [["anna", module]]
    assert not inbound["skola-var"].exists() or not any(inbound["skola-var"].iterdir())

    submit_module(spring.notebook_path("anna", module).parent)
    assert [p.name.split("+")[:2] for p in inbound["skola-var"].iterdir()] == [["anna", module]]
    assert len(list(inbound["skola-host"].iterdir())) == 1

    # a fetch again (a later release) finds the same places and replaces nothing
    fetch(autumn, "anna")
    fetch(spring, "anna")
    assert find_learner(home).course_id == "skola-host"
    assert find_learner(home / "skola-var").course_id == "skola-var"

    # what erasing her from one run takes is that run's, and all of it
    assert workspace_parts(spring, "anna") == [home / "skola-var"]
    autumn_parts = workspace_parts(autumn, "anna")
    assert home / "skola-host" in autumn_parts and home / LEARNER_FILE in autumn_parts
    assert not any(part == home / "skola-var" or home / "skola-var" in part.parents for part in autumn_parts)


def test_each_runs_mina_moduler_links_her_other_runs(course_dir, tmp_path):
    from grading.servers.serve import install_apps
    from widgets.pages.home import HomeApp, other_homes

    homes = tmp_path / "hem"
    autumn = _run(course_dir, tmp_path / "host", "skola-host", homes)
    spring = _run(course_dir, tmp_path / "var", "skola-var", homes)
    for run in (autumn, spring):
        fetch(run, "anna")
        install_apps(run.root)  # "Mina moduler" into each of her workspaces
    home = homes / "anna"
    assert (home / "mina-moduler.ipynb").is_file() and (home / "skola-var" / "mina-moduler.ipynb").is_file()

    assert other_homes(home) == [("skola-var/mina-moduler.ipynb", spring.title)]
    assert other_homes(home / "skola-var") == [("../mina-moduler.ipynb", autumn.title)]

    first = HomeApp(home, script_name="/user/anna/voila/render/mina-moduler.ipynb").body.value
    assert 'href="/user/anna/voila/render/skola-var/mina-moduler.ipynb"' in first
    assert f"Mina moduler i {spring.title}" in first and "Dina andra kursomgångar" in first
    second = HomeApp(home / "skola-var", script_name="/user/anna/voila/render/skola-var/mina-moduler.ipynb").body.value
    assert 'href="/user/anna/voila/render/skola-var/../mina-moduler.ipynb"' in second
    assert f"Mina moduler i {autumn.title}" in second
    # each lists its own run's modules, linked below its own folder
    assert 'href="/user/anna/voila/render/skola-var/skola-var/' in second
    assert 'href="/user/anna/voila/render/skola-host/' in first
