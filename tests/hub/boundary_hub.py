"""The hub of the boundary tests (``test_hub.py``, ``test_hub_kernels.py``): two learners, a course leader,
a leader of two runs and an expired invitation, on the real JupyterHub on 127.0.0.1.

Session-scoped, so that the two files share one hub: ``tests/conftest.py`` keeps them on one worker
(``SHARED_FIXTURE_FILES['boundary-hub']``), and ``tests/hub/conftest.py`` imports the fixture.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
import requests

from grading.hub.accounts import AccountStore

from hub_process import Hub, running_hub

COURSE = "demo"
OTHER = "annan"
THIRD = "vt27"


@pytest.fixture(scope="session")
def boundary_hub(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Hub]:
    folder = tmp_path_factory.mktemp("hub")
    runs = {}
    for course in (COURSE, OTHER, THIRD):
        runs[course] = folder / f"omgang-{course}"
        runs[course].mkdir()
        (runs[course] / "README.md").write_text(f"kursomgång {course}\n", encoding="utf-8")
    store = AccountStore(folder / "konton.sqlite")
    passwords = {
        "anna": store.create("anna", "deltagare", COURSE),
        "bertil": store.create("bertil", "deltagare", COURSE),
        "cilla": store.create("cilla", "deltagare", OTHER),
        "kim": store.create("kim", "kursledare", COURSE, str(runs[COURSE])),
        # lisa leads two runs: the second is added without a new password
        "lisa": store.create("lisa", "kursledare", OTHER, str(runs[OTHER])),
        "gammal": store.create("gammal", "deltagare", COURSE, valid_for=timedelta(seconds=-1)),
        "ny": store.create("ny", "deltagare", COURSE),
    }
    store.add_run("lisa", THIRD, str(runs[THIRD]))
    with running_hub(folder) as url:
        yield Hub(url, passwords, folder)


def xsrf(session: requests.Session, name: str) -> dict[str, str]:
    token = session.cookies.get("_xsrf", path=f"/user/{name}/")
    assert token, f"no _xsrf cookie for /user/{name}/"
    return {"X-XSRFToken": token}
