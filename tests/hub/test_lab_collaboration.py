"""Two course leaders edit one notebook together in the course run's JupyterLab (jupyter-collaboration).

A circle that works in JupyterLab works in its course run's service
(``/services/<course id>/lab``, ``grading/hub/run_service_config.py``). Two
*different* leaders of the same run (kim on the big screen, maja on a laptop) open
the same notebook in two Chromium contexts: two people, so each hub identity
reaches the shared document (the service's RBAC lets in both) and each sees the
other's name among the collaborators. What kim types appears at maja's without a
reload; then both type in different cells at the same time (keystrokes interleaved),
and both texts are on both screens; a reload (and the file on disk) proves the notebook kept both. The
document store lies in the run (``<run>/.jupyter/ystore.db``), not in a module
folder nbgrader would release, nor in anyone's home.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import nbformat
import pytest

from grading.hub.accounts import AccountStore

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "browser"))
from browser_harness import CHROMIUM, CHROMIUM_ARGS, CONTEXT_OPTIONS, PAGE_TIMEOUT_MS, normalise, wait_until  # noqa: E402
from hub_process import Hub, running_hub  # noqa: E402

pytestmark = [pytest.mark.hub, pytest.mark.browser]

COURSE = "ht26"
LEADERS = ("kim", "maja")
NOTEBOOK = "cirkelns-plan.ipynb"
KIM_FIRST = "Mål: tjugo nya medlemmar före jul."
KIM_SECOND = "Kim: dörrknackning i Backa varje lördag."
MAJA_SECOND = "Maja: studiecirkel om hyrorna i mars."


@pytest.fixture(scope="module")
def hub(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Hub]:
    folder = tmp_path_factory.mktemp("labsamarbete")
    run = folder / "omgang"
    run.mkdir()
    plan = nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_raw_cell("") for _ in range(3)],
        metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
    )
    nbformat.write(plan, run / NOTEBOOK)
    store = AccountStore(folder / "konton.sqlite")
    passwords = {name: store.create(name, "kursledare", COURSE, str(run)) for name in LEADERS}
    with running_hub(folder) as url:
        yield Hub(url, passwords, folder)
    print(f"\nhub log: {folder / 'hub.log'}")


def _lab_page(hub: Hub, browser, name: str):
    """``name``'s own browser context (the cookies of a real login), with the plan open in the run's JupyterLab."""
    session = hub.logged_in(name)
    context = browser.new_context(**CONTEXT_OPTIONS, viewport={"width": 1280, "height": 800})
    context.set_default_timeout(PAGE_TIMEOUT_MS)
    context.add_cookies(
        [
            {
                "name": cookie.name,
                "value": cookie.value,
                "domain": urlsplit(hub.url).hostname,
                "path": cookie.path or "/",
            }
            for cookie in session.cookies
        ]
    )
    page = context.new_page()
    page.goto(f"{hub.url}/services/{COURSE}/lab/tree/{NOTEBOOK}", wait_until="domcontentloaded")
    _cell(page, 2).wait_for(state="visible")  # every cell: the shared document has arrived
    return page


def _cell(page, index: int):
    return page.locator(".jp-NotebookPanel .jp-Cell").nth(index).locator(".cm-content")


def _wait_for_text(page, index: int, text: str) -> None:
    _cell(page, index).filter(has_text=text).wait_for(state="visible")


def _on_disk(run: Path) -> list[str]:
    try:
        return [cell.source for cell in nbformat.read(run / NOTEBOOK, as_version=4).cells]
    except Exception:  # mid-write: ask again
        return []


def test_two_leaders_edit_one_notebook_together(hub: Hub, playwright) -> None:
    run = hub.folder / "omgang"
    browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
    try:
        screen, laptop = (_lab_page(hub, browser, name) for name in LEADERS)

        # -- each sees the other among the collaborators ------------------------------------
        for page, other in ((screen, "maja"), (laptop, "kim")):
            page.locator('.lm-TabBar-tab[data-id="jp-collaboration-panel"]').click()
            page.locator(".jp-CollaboratorsList").filter(has_text=other).wait_for(state="visible")

        # -- kim types on the big screen; it appears on maja's laptop, no reload -------------
        _cell(screen, 0).click()
        screen.keyboard.type(KIM_FIRST)
        _wait_for_text(laptop, 0, KIM_FIRST)

        # -- both type at once, kim in the second cell, maja in the third: keystrokes interleaved --
        _cell(screen, 1).click()
        _cell(laptop, 2).click()
        for kim_word, maja_word in zip(KIM_SECOND.split(" "), MAJA_SECOND.split(" ")):
            screen.keyboard.type(kim_word + " ")
            laptop.keyboard.type(maja_word + " ")
        for page in (screen, laptop):
            for index, text in enumerate((KIM_FIRST, KIM_SECOND, MAJA_SECOND)):
                _wait_for_text(page, index, text)

        # -- the file kept both (the server saves the shared document), and a reload shows it --
        cells = wait_until(
            lambda: (s := _on_disk(run)) and KIM_SECOND in s[1] and MAJA_SECOND in s[2] and s,
            "both leaders' text in the saved notebook",
        )
        assert [normalise(source) for source in cells] == [KIM_FIRST, KIM_SECOND, MAJA_SECOND]
        laptop.reload(wait_until="domcontentloaded")
        _wait_for_text(laptop, 2, MAJA_SECOND)
        assert [normalise(_cell(laptop, i).inner_text()) for i in range(3)] == [KIM_FIRST, KIM_SECOND, MAJA_SECOND]
    finally:
        browser.close()

    # -- the shared documents' store lives in the course run, out of nbgrader's way -----------
    assert (run / ".jupyter" / "ystore.db").is_file()
    assert (run / ".jupyter" / "file_id_manager.db").is_file()
    assert not list(run.rglob(".jupyter_ystore.db")) and not (hub.folder / ".jupyter_ystore.db").exists()
