"""The run's live service on the real hub: who reaches it, what it allows, and the code page.

Everyone in the run (learners, the course leader) reaches the live apps; the
service is locked down like a learner's server (no kernels of one's own, no code);
its folder holds only the live apps, not the leader's report. ``/hub/kod`` is the
Swedish page where a person types the code on the big screen.
"""

from __future__ import annotations

import re

import pytest
import requests

from grading.hub.runs import live_service_name
from widgets.core.i18n import t

from live_hub import LiveHub

pytestmark = [pytest.mark.hub, pytest.mark.pg]  # the live hub's run is on PostgreSQL


@pytest.fixture(scope="module")
def hub(live: LiveHub) -> LiveHub:
    return live


def _service(hub: LiveHub, name: str, path: str) -> requests.Response:
    """``path`` of the live service as ``name``, after the OAuth dance a visit to its front page starts."""
    base = f"{hub.url}/services/{live_service_name(hub.course_id)}"
    hub._sessions[name].get(f"{base}/", allow_redirects=True)
    return hub._sessions[name].get(f"{base}/{path}")


def test_everyone_in_the_run_reaches_the_live_apps_and_nothing_else(hub: LiveHub) -> None:
    for name in ("anna", "lena", "kim"):
        listing = _service(hub, name, "api/contents")
        assert listing.status_code == 200, (name, listing.status_code)
        names = {item["name"] for item in listing.json()["content"]}
        assert "gruppquiz.ipynb" in names and "rapport.ipynb" not in names
    # no kernels of one's own, no terminals, no writing files: the learners' lockdown
    anna = hub._sessions["anna"]
    base = f"{hub.url}/services/{live_service_name(hub.course_id)}"
    xsrf = next(
        (c.value for c in anna.cookies if c.name == "_xsrf" and c.path.startswith(base.removeprefix(hub.url))), ""
    )
    assert anna.post(f"{base}/api/kernels", json={}, headers={"X-XSRFToken": xsrf}).status_code == 403
    assert anna.put(
        f"{base}/api/contents/mine.ipynb", json={"type": "notebook"}, headers={"X-XSRFToken": xsrf}
    ).status_code in (403, 404)
    assert anna.get(f"{base}/lab").status_code == 404
    # the leader's own run service stays the leaders'
    assert anna.get(f"{hub.url}/services/{hub.course_id}/api/contents").status_code == 403


def test_the_code_page_is_swedish_and_refuses_a_code_that_does_not_exist(hub: LiveHub) -> None:
    stranger = requests.Session()
    page = stranger.get(f"{hub.url}/hub/kod")
    text = page.content.decode("utf-8")
    assert page.status_code == 200 and t("hub.page.code_heading") in text
    assert t("hub.page.code_name_label") in text  # a newcomer is asked for a name to be shown with
    xsrf = re.search(r'name="_xsrf" value="([^"]+)"', text).group(1)
    refused = stranger.post(f"{hub.url}/hub/kod", data={"kod": "zzzzzz", "namn": "Gäst", "_xsrf": xsrf})
    assert refused.status_code == 400
    assert t("groupquiz.error.code_unknown", code="ZZZZZZ") in refused.content.decode("utf-8")
    # no guest was made, and the stranger reaches no live app
    assert stranger.get(
        f"{hub.url}/services/{live_service_name(hub.course_id)}/api/contents", allow_redirects=False
    ).status_code in (302, 403)


def test_a_leaders_list_links_the_live_apps_of_the_run_not_the_service_as_a_run(hub: LiveHub) -> None:
    home = hub._sessions["kim"].get(f"{hub.url}/hub/home").content.decode("utf-8")
    live = f"/services/{live_service_name(hub.course_id)}/voila/render/gruppquiz.ipynb"
    assert live in home
    assert f'href="/services/{live_service_name(hub.course_id)}/lab"' not in home
