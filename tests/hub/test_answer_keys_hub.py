"""No URL a learner can reach on the real JupyterHub returns an answer key.

Two course runs on one hub, the partiföreningsskola (anna) and the leadership
training (bertil), every module released and fetched into the learner's hub
home by nbgrader, as ``cirkel serve --hub`` does. Each learner, logged in
through the login form with their own server running, walks their whole home
through the contents API and asks for every file through each way their server
offers it: ``/files/…``, ``/api/contents/…?content=1`` and Voilà's
``/voila/files/…``. The answers are compared with the run's keyed source: no
response may carry a key (a ``correct`` flag, a card's right technique or
accepted counter-strategies, a scenario's votes) or an explanation.

That feedback still comes after an answer on the hub is shown by
``test_hub_browser.py`` (a quiz answered by clicking, in Chromium).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import quote

import pytest
import requests

from grading.course_runs.run import CourseRun
from grading.hub.accounts import AccountStore
from grading.hub.config import accounts_file, hub_dir
from grading.servers.serve import Learner, build_demo_run, install_apps
from widgets.core.i18n import yaml_data

from course_paths import COURSES
from hub_process import Hub, kernel_setting, running_hub
from key_support import SECRET, leaks, secrets_of, squash

pytestmark = pytest.mark.hub

#: course -> the learner in its run
LEARNERS = {"partiforeningsskola": "anna", "ledarskap": "bertil"}


@dataclass
class KeysHub:
    hub: Hub
    runs: dict[str, CourseRun]  # learner -> their run


@pytest.fixture(scope="module")
def keys_hub(tmp_path_factory: pytest.TempPathFactory) -> Iterator[KeysHub]:
    folder = tmp_path_factory.mktemp("facit-hub")
    homes = hub_dir(folder) / "hem"
    store = AccountStore(accounts_file(folder))
    runs, passwords = {}, {}
    for course, learner in LEARNERS.items():
        run = build_demo_run(
            folder / f"omgang-{course}",
            course_dir=COURSES / course,
            learners=[Learner(learner, learner.capitalize())],
            workspaces=str(homes / "{student_id}"),
        )
        install_apps(run.root)  # "Mina moduler" into the home
        passwords[learner] = store.create(learner, "deltagare", run.course_id, str(run.root))
        runs[learner] = run
    with running_hub(folder) as url:
        yield KeysHub(Hub(url, passwords, folder), runs)


def _keyed_sources(run: CourseRun) -> dict[str, tuple[str, dict]]:
    """``<module>/<content file>`` -> (widget, parsed keyed source) for every exercise whose content has keys."""
    found = {}
    for module in run.modules:
        spec = yaml_data((run.source_dir / module / "module.yml").read_text(encoding="utf-8"))
        for exercise in spec["exercises"]:
            if exercise["widget"] in SECRET:
                source = run.source_dir / module / exercise["content"]
                found[f"{module}/{exercise['content']}"] = (
                    exercise["widget"],
                    yaml_data(source.read_text(encoding="utf-8")),
                )
    return found


def _walk(session: requests.Session, base: str, path: str = "") -> list[str]:
    """Every file below ``path`` of the learner's server, as its contents API lists them."""
    listing = session.get(f"{base}/api/contents/{quote(path)}", params={"content": "1"})
    assert listing.status_code == 200, (path, listing.status_code)
    files = []
    for item in listing.json()["content"]:
        if item["type"] == "directory":
            files += _walk(session, base, item["path"])
        else:
            files.append(item["path"])
    return files


def _bodies(session: requests.Session, base: str, path: str) -> dict[str, str]:
    """What each way of asking for ``path`` returns: the text a learner would read (empty if refused)."""
    out = {}
    for url in (f"{base}/files/{quote(path)}", f"{base}/voila/files/{quote(path)}"):
        response = session.get(url)
        out[url] = response.content.decode("utf-8", "replace") if response.status_code == 200 else ""
    url = f"{base}/api/contents/{quote(path)}?content=1"
    response = session.get(url)
    if response.status_code == 200:
        model = response.json()
        content = model.get("content")
        out[url] = content if isinstance(content, str) else json.dumps(content, ensure_ascii=False)
    else:
        out[url] = ""
    return out


@pytest.mark.parametrize("learner", sorted(LEARNERS.values()))
def test_no_url_of_the_learners_server_returns_a_key_or_an_explanation(keys_hub: KeysHub, learner: str) -> None:
    run = keys_hub.runs[learner]
    session = keys_hub.hub.server(learner)
    base = f"{keys_hub.hub.url}/user/{learner}"
    files = _walk(session, base)

    # every content file of every module was released into the home, and so is asked for below
    keyed = _keyed_sources(run)
    released = {
        f"{module}/{p.name}"
        for module in run.modules
        for p in (run.source_dir / module).iterdir()
        if p.suffix in (".yml", ".csv")
    }
    assert {f"{run.course_id}/{name}" for name in released} <= set(files)
    assert len(keyed) >= 4 and {widget for widget, _ in keyed.values()} >= {"MeetingRoleQuiz", "VotingProcedure"}

    explanations = {text for widget, raw in keyed.values() for text in secrets_of(widget, raw)}
    found: dict[str, list[str]] = {}  # URL -> what it gives away
    for path in files:
        for url, body in _bodies(session, base, path).items():
            text = squash(body)
            given = [f"explanation {e[:30]!r}" for e in explanations if e in text]
            name = path.removeprefix(f"{run.course_id}/")
            if name in keyed and body:
                given += leaks(keyed[name][0], yaml_data(body))
            if given:
                found[url.removeprefix(keys_hub.hub.url)] = given
    assert len(files) > 3 * len(run.modules)  # the walk saw the modules' notebooks, module.yml, content
    assert found == {}, f"{len(found)} URLs return keys:\n" + "\n".join(
        f"  {url}: {len(given)} keys, e.g. {given[0]}" for url, given in sorted(found.items())
    )


@pytest.mark.parametrize("learner", sorted(LEARNERS.values()))
def test_the_learners_kernels_are_told_where_their_runs_keys_are_outside_their_home(
    keys_hub: KeysHub, learner: str
) -> None:
    """How feedback still works: the spawner tells the learner's server, and so its kernels."""
    run = keys_hub.runs[learner]
    keys_hub.hub.server(learner)
    home = run.workspace(learner).resolve()
    keys = (run.root / "facit").resolve()
    assert not keys.is_relative_to(home) and any(keys.glob("*.yml"))
    # each of her kernels, asked directly through its connection file (as the machine's operator could):
    # a kernel forked by the hub's zygote shows the zygote's environment in /proc, not its own
    told = [kernel_setting(path, "CIRKEL_FACIT") for path in sorted(home.rglob("kernel-*.json"))]
    assert told and set(told) == {str(keys)}, told  # its preheated kernel at least
    # nor do her app server and its kernels keep notebook signatures or IPython history in her home
    assert not [p.name for p in home.rglob("*") if p.name.startswith(("nbsignatures.db", "history.sqlite"))]
