"""Live talarstatistik's pages: who may open which page, a damaged database, the app notebooks
(the devices of ``tests/speaker_live_support.py``, as in ``test_live_speaker_stats.py``).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from voila_apps.live.live_speaker_stats import LiveSpeakerKeeper, LiveSpeakerScreen, keeper_app, screen_app
from widgets.core.i18n import t, yaml_data
from widgets.storage.live_db import live_url

from circle_run import circle_run
from fake_clock import FakeClock
from speaker_live_support import context, device, fresh_live_db, keeper, text_of

pytestmark = pytest.mark.nbgrader


@pytest.fixture(scope="module")
def run_dir(course_dir, tmp_path_factory) -> Path:
    return circle_run(course_dir, tmp_path_factory.mktemp("livespeaker"))


@pytest.fixture
def live_db(run_dir, tmp_path, monkeypatch, store_backend) -> Path:
    return fresh_live_db(run_dir, tmp_path, monkeypatch, store_backend)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


# -- who may open which page ---------------------------------------------------------------------


def test_the_pages_for_a_member_of_the_circle(run_dir, live_db, clock):
    page = keeper_app(context(run_dir, "bertil", circle="cirkel-a"), store=device(run_dir, clock))
    assert isinstance(page.view, LiveSpeakerKeeper) and page.circle_id == "cirkel-a"
    assert "talarstatistik-skarm.ipynb?circle=cirkel-a" in page.view._screen_link.value
    page.view.start_session()
    big = screen_app(context(run_dir, "cilla", circle="cirkel-a"), store=device(run_dir, clock))
    assert isinstance(big.view, LiveSpeakerScreen) and big.view.session_id == page.view.session_id
    by_session = screen_app(context(run_dir, "lena", session=str(page.view.session_id)), store=device(run_dir, clock))
    assert by_session.view.session_id == page.view.session_id
    # with no parameter, someone in one circle gets that circle
    assert keeper_app(context(run_dir, "anna"), store=device(run_dir, clock)).circle_id == "cirkel-a"


@pytest.mark.parametrize(
    ("viewer", "query", "key"),
    [
        ("gast-4711", {"circle": "cirkel-a"}, "livespeaker.guest"),
        ("pia", {"circle": "cirkel-a"}, "livespeaker.not_your_circle"),
        ("anna", {"circle": "finns-inte"}, "livespeaker.not_your_circle"),
        ("okand", {}, "livespeaker.no_circles"),
    ],
)
def test_people_without_a_role_get_one_plain_sentence(run_dir, live_db, clock, viewer, query, key):
    for make in (keeper_app, screen_app):
        page = make(context(run_dir, viewer, **query), store=device(run_dir, clock))
        assert page.view is None and page.children == (page.message,)
        assert {"cirkel-live", "cirkel-live-alert"} <= set(page.message._dom_classes) and "-error" in page.message.value
        expected = t(key, id=query.get("circle", ""))
        assert text_of(page.message.value) == expected
        assert "Traceback" not in page.message.value


def test_a_screen_for_another_circle_s_session_or_an_unknown_one_is_refused(run_dir, live_db, clock):
    lena = keeper(run_dir, clock)
    lena.start_session()
    page = screen_app(context(run_dir, "pia", session=str(lena.session_id)), store=device(run_dir, clock))
    assert page.view is None and text_of(page.message.value) == t("livespeaker.not_your_session")
    page = screen_app(context(run_dir, "anna", session="999"), store=device(run_dir, clock))
    assert text_of(page.message.value) == t("livespeaker.unknown_session", id="999")
    page = screen_app(context(run_dir, "anna", session="x; drop"), store=device(run_dir, clock))
    assert text_of(page.message.value) == t("livespeaker.unknown_session", id="x; drop")


def test_a_course_leader_chooses_among_all_circles(run_dir, live_db, clock):
    page = keeper_app(context(run_dir, "kim"), store=device(run_dir, clock))
    assert page.view is None and [v for _l, v in page.picker.options] == ["cirkel-a", "cirkel-b"]
    page.picker.value = "cirkel-b"
    page.open_button.click()
    assert isinstance(page.view, LiveSpeakerKeeper) and page.circle_id == "cirkel-b"
    page.view.start_button.click()
    assert device(run_dir, clock).open_for("cirkel-b").keeper == "kim"


def test_a_damaged_live_database_gives_a_sentence_not_a_traceback(run_dir, tmp_path, monkeypatch, clock):
    broken = tmp_path / "trasig.sqlite"
    broken.write_bytes(b"this is not a database" * 100)
    monkeypatch.setenv("CIRKEL_LIVE_DB", f"sqlite:///{broken}")
    page = keeper_app(context(run_dir, "anna", circle="cirkel-a"))
    assert page.view is None and text_of(page.message.value) == t("livespeaker.failed")


def test_the_live_database_is_the_run_s_own_by_default(run_dir, monkeypatch):
    monkeypatch.delenv("CIRKEL_LIVE_DB", raising=False)
    assert live_url(run_dir) == f"sqlite:///{(run_dir / 'samverkan.sqlite').resolve()}"


def test_the_app_notebooks_carry_no_outputs_and_call_the_apps():
    root = Path(__file__).resolve().parents[2] / "voila_apps" / "samverkan"
    for name, call in (
        ("talarstatistik.ipynb", "keeper_app(current_context())"),
        ("talarstatistik-skarm.ipynb", "screen_app(current_context())"),
    ):
        notebook = yaml_data((root / name).read_text(encoding="utf-8"))  # JSON is YAML
        code = [c for c in notebook["cells"] if c["cell_type"] == "code"]
        assert len(code) == 1 and call in "".join(code[0]["source"])
        assert all(not c.get("outputs") for c in code) and "widgets" not in notebook["metadata"]
        assert notebook["cells"][0]["cell_type"] == "markdown" and "".join(notebook["cells"][0]["source"]).startswith(
            "# "
        )
