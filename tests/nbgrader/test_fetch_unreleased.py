"""`cirkel fetch --learner` while the course is under way: it fetches what is released and names what is not yet."""

from __future__ import annotations

import pytest

from grading.course_runs.roster import import_roster

from run_cache import create_run

pytestmark = pytest.mark.nbgrader


@pytest.fixture
def half_released(course_dir, tmp_path, cirkel):
    """The course run with one learner and only its first module released."""
    run = create_run(course_dir, tmp_path / "omg")
    roster = tmp_path / "deltagare.csv"
    roster.write_text("id,namn\nanna,Anna\n", encoding="utf-8")
    import_roster(run, roster)
    cirkel("release", run.root, run.modules[0], check=True)
    return run


def test_fetch_takes_what_is_released_and_names_the_rest(half_released, cirkel):
    run = half_released
    first, waiting = run.modules[0], run.modules[1:]
    proc = cirkel("fetch", run.root, "--learner", "anna")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert run.notebook_path("anna", first).is_file()
    assert not any(run.notebook_path("anna", m).exists() for m in waiting)
    # one plain Swedish line names every module that waits for its release, and it is no error
    assert f"{len(waiting)} moduler är inte utdelade än: {', '.join(waiting)}." in proc.stdout
    assert proc.stderr == ""
    # only the released module is counted as being fetched
    assert f"Hämtar 1/1: anna / {first}" in proc.stdout
    assert "Hämtar 1/2" not in proc.stdout


def test_fetching_again_after_the_next_release(half_released, cirkel):
    run = half_released
    cirkel("fetch", run.root, "--learner", "anna", check=True)
    cirkel("release", run.root, run.modules[1], check=True)
    proc = cirkel("fetch", run.root, "--learner", "anna", check=True)
    assert run.notebook_path("anna", run.modules[1]).is_file()
    waiting = run.modules[2:]
    if len(waiting) == 1:
        assert f"Modulen {waiting[0]} är inte utdelad än." in proc.stdout
    else:
        assert f"{len(waiting)} moduler är inte utdelade än" in proc.stdout


def test_a_named_module_not_released_is_said_in_the_singular(half_released, cirkel):
    run = half_released
    proc = cirkel("fetch", run.root, run.modules[1], "--learner", "anna")
    assert proc.returncode == 0, proc.stderr
    assert f"Modulen {run.modules[1]} är inte utdelad än." in proc.stdout
