"""Fixtures of the widget gallery's browser tests (``test_widget_gallery*.py``): one server, one page, one reload.

Session-scoped, so that the three files share them; ``tests/conftest.py`` keeps the three files on one
worker (``SHARED_FIXTURE_FILES``), in the order of their names, and the reload comes after every
widget's steps. ``tests/browser/conftest.py`` imports them.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from grading.servers.serve import Server, gallery_path, start_server
from widgets.pages.gallery import DEFAULT_SOURCE, build_widget, load_entry, prepare_workdir
from widgets.storage.answers import AnswerStore

from gallery_harness import GalleryFiles, open_gallery, reload_gallery, snapshot
from gallery_steps import AfterReload


@pytest.fixture(scope="session")
def gallery_files(tmp_path_factory: pytest.TempPathFactory) -> GalleryFiles:
    """A fresh gallery working folder, so no earlier answers and nothing in anyone's home."""
    return GalleryFiles(tmp_path_factory.mktemp("galleri-mapp"))


@pytest.fixture(scope="session")
def gallery_server(gallery_files: GalleryFiles, artifacts_dir: Path, tmp_path_factory) -> Iterator[Server]:
    """The gallery served as ``cirkel serve`` serves it (apps installed in ``appar/``)."""
    root = tmp_path_factory.mktemp("galleri-server")
    with pytest.MonkeyPatch.context() as env:  # the server and its kernels inherit this
        env.setenv("CIRKEL_GALLERY_DIR", str(gallery_files.folder))
        env.delenv("CIRKEL_LANG", raising=False)
        server = start_server(root, log_path=artifacts_dir / "galleri-server.log")
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def gallery_url(gallery_server: Server) -> str:
    return gallery_server.voila_url(gallery_path())


@pytest.fixture(scope="session")
def gallery(browser, gallery_url: str):
    """The gallery page, opened once for the gallery's files (one work unit: ``SHARED_FIXTURE_FILES``)."""
    tab = browser.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda error: errors.append(str(error)))
    tab.script_errors = errors  # type: ignore[attr-defined]
    open_gallery(tab, gallery_url)
    yield tab
    tab.close()


@pytest.fixture(autouse=True)
def _gallery_screenshot_on_failure(request: pytest.FixtureRequest, artifacts_dir: Path) -> Iterator[None]:
    yield
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed and "gallery" in request.fixturenames:
        shot = artifacts_dir / f"{request.node.name}.png"
        try:
            request.getfixturevalue("gallery").screenshot(path=str(shot), full_page=True)
            print(f"\nscreenshot of the failure: {shot}\nserver log: {artifacts_dir / 'galleri-server.log'}")
        except Exception as exc:  # a screenshot is a courtesy; never hide the real failure
            print(f"\nno screenshot ({exc})")


@pytest.fixture(scope="session")
def after_reload() -> AfterReload:
    return AfterReload()


@pytest.fixture(scope="session")
def reloaded(gallery, after_reload: AfterReload) -> AfterReload:
    """The gallery reloaded once, as a person presses F5, after every widget's steps; each snapshot taken just before."""
    for steps, (exercise_id, ignore, _check) in after_reload.expected.items():
        if ignore is not None:
            after_reload.before[steps] = snapshot(gallery, exercise_id, ignore)
    reload_gallery(gallery)
    return after_reload


@pytest.fixture(scope="session")
def headless(tmp_path_factory):
    """``headless(exercise_id)``: the gallery's widget built in Python, to read its labels and content."""
    folder = tmp_path_factory.mktemp("galleri-etiketter")

    def build(exercise_id: str):
        entry = load_entry(DEFAULT_SOURCE / f"{exercise_id}.yml")
        work = prepare_workdir([entry], DEFAULT_SOURCE, folder / exercise_id)
        return build_widget(entry, work, AnswerStore(work / "svar"))

    return build
