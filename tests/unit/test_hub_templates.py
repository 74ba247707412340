"""Every page JupyterHub renders, through Cirkel's templates as JupyterHub loads them: Swedish.

The hub tests open the pages a test can reach on a live hub; some only show for a
moment or when something fails (a server starting, stopping, a failed start, a
server error, the logout page). Here each template is rendered with JupyterHub's
own loader (Cirkel's folder first, JupyterHub's behind it, as
``JupyterHub.init_tornado_settings`` builds it) and the variables JupyterHub passes,
and read as text: ``lang="sv"``, a Swedish title, no English word of JupyterHub's.
"""

from __future__ import annotations

import re
import sys
from html import unescape
from pathlib import Path
from types import SimpleNamespace

import jupyterhub
import pytest
from jinja2 import ChoiceLoader, Environment, FileSystemLoader, PrefixLoader
from tornado import web

from grading.hub.config import TEMPLATES, page_vars
from widgets.core.i18n import t

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "browser"))
from page_checks import english_words  # noqa: E402

pytestmark = pytest.mark.unit

JUPYTERHUB_TEMPLATES = Path(jupyterhub.__file__).resolve().parents[3] / "share" / "jupyterhub" / "templates"


def _env() -> Environment:
    base = str(
        JUPYTERHUB_TEMPLATES if JUPYTERHUB_TEMPLATES.is_dir() else Path(sys.prefix) / "share/jupyterhub/templates"
    )
    loader = ChoiceLoader(
        [PrefixLoader({"templates": FileSystemLoader([base])}, "/"), FileSystemLoader([str(TEMPLATES), base])]
    )
    return Environment(loader=loader, autoescape=True)


def _user(name: str = "anna"):
    spawner = SimpleNamespace(options_form=None, active=False, ready=False, pending=None)
    return SimpleNamespace(name=name, json_escaped_name=name, spawner=spawner, url=f"/user/{name}/")


def _render(template: str, user=None, person=None, **extra) -> str:
    namespace = dict(
        base_url="/hub/",
        prefix="/",
        user=user,
        login_url="/hub/login",
        logout_url="/hub/logout",
        static_url=lambda path, include_version=True: f"/hub/static/{path}",
        version_hash="",
        services=[],
        parsed_scopes=set(),
        xsrf="x",
        xsrf_token="x",
        cirkel=page_vars(),
        cirkel_person=person or {"leader": False, "guest": False, "runs": []},
    )
    namespace.update(extra)
    return _env().get_template(template).render(**namespace)


def _text(html: str) -> str:
    body = html.split("<body", 1)[1]
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", body, flags=re.S)
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", body))).strip()


def _title(html: str) -> str:
    return re.search(r"<title>(.*?)</title>", html, re.S).group(1).strip()


def _refused() -> web.HTTPError:
    error = web.HTTPError(403, "refused")
    error.jupyterhub_message = t("hub.page.token_refused", lang="sv")
    return error


LEADER = {
    "leader": True,
    "guest": False,
    "runs": [
        {
            "id": "ht26",
            "title": "Partiföreningsskolan hösten 2026",
            "href": "services/ht26/",
            "live": "services/ht26-samverkan/",
        }
    ],
}
#: template, its variables, the title's page name key, a text it must show
PAGES = [
    ("login.html", {"authenticator_login_url": "/hub/login", "username": ""}, "hub.page.sign_in", "hub.page.help"),
    ("home.html", {"user": _user(), "url": "/user/anna/"}, "hub.page.home_heading", "hub.page.home_modules"),
    (
        "home.html",
        {"user": _user("kim"), "url": "", "person": LEADER},
        "hub.page.runs_heading",
        "hub.page.step_release",
    ),
    (
        "spawn_pending.html",
        {"user": _user(), "progress_url": "/hub/api/progress"},
        "hub.page.spawn_heading",
        "hub.page.spawn_text",
    ),
    (
        "not_running.html",
        {"user": _user(), "failed": False, "spawn_url": "/hub/spawn"},
        "hub.page.not_running_heading",
        "hub.page.spawn_start",
    ),
    (
        "not_running.html",
        {"user": _user(), "failed": True, "spawn_url": "/hub/spawn", "failed_message": "Spawner failed"},
        "hub.page.spawn_failed_heading",
        "hub.page.spawn_failed_text",
    ),
    (  # a start refused (one-time password) after the person was sent to the waiting page
        "not_running.html",
        {
            "user": _user(),
            "failed": True,
            "spawn_url": "/hub/spawn",
            "exception": web.HTTPError(403, "one-time password not yet replaced"),
            "failed_html_message": "Välj först ett eget lösenord.",
        },
        "hub.page.refused_heading",
        "hub.password.must_choose_first",
    ),
    ("stop_pending.html", {"user": _user()}, "hub.page.stopping_heading", "hub.page.stopping_text"),
    ("logout.html", {}, "hub.page.logged_out", "hub.page.sign_in"),
    (
        "error.html",
        {
            "status_code": 500,
            "status_message": "Internal Server Error",
            "message": "Traceback boom",
            "message_html": "",
            "exception": None,
        },
        "hub.page.error_heading",
        "hub.page.to_start",
    ),
    (
        "404.html",
        {
            "status_code": 404,
            "status_message": "Not Found",
            "message": "Not Found",
            "message_html": "",
            "exception": web.HTTPError(404),
        },
        "hub.page.not_found_heading",
        "hub.page.not_found_text",
    ),
    (
        "403.html",
        {
            "status_code": 403,
            "status_message": "Forbidden",
            "message": t("hub.page.token_refused", lang="sv"),
            "message_html": "",
            "exception": _refused(),
        },
        "hub.page.refused_heading",
        "hub.page.token_refused",
    ),
    (
        "403.html",
        {
            "status_code": 403,
            "status_message": "Forbidden",
            "message": "Action is not authorized with current scopes",
            "message_html": "",
            "exception": web.HTTPError(403, "x"),
        },
        "hub.page.refused_heading",
        "hub.page.refused_text",
    ),
    (
        "nytt-losenord.html",
        {"user": _user(), "next": "", "error": "", "first_time": True, "username": "anna"},
        "hub.page.new_password_heading",
        "hub.page.new_password_intro",
    ),
    (
        "tillganglighet.html",
        {"statement_html": "<h1>Tillgänglighetsredogörelse för Cirkel</h1>"},
        "statement.title",
        "statement.link",
    ),
]


@pytest.mark.parametrize(
    ("template", "variables", "title", "text"), PAGES, ids=[f"{p[0]}-{i}" for i, p in enumerate(PAGES)]
)
def test_each_hub_page_is_swedish(template: str, variables: dict, title: str, text: str) -> None:
    variables = dict(variables)
    person = variables.pop("person", None)
    html = _render(template, person=person, **variables)
    words = _text(html)
    assert '<html lang="sv">' in html
    assert _title(html) == f"Cirkel – {t(title, lang='sv')}"
    assert t(text, lang="sv") in words
    assert english_words(words) == [], english_words(words)
    assert "Traceback" not in words and "Spawner failed" not in words and "not authorized" not in words
    assert 'href="/hub/tillganglighet"' in html


def test_a_learners_home_has_no_leader_text_and_no_token_link() -> None:
    learner = _text(_render("home.html", user=_user(), url="/user/anna/"))
    leader = _text(_render("home.html", user=_user("kim"), url="", person=LEADER))
    assert (
        t("hub.page.runs_heading", lang="sv") not in learner and t("hub.page.run_formgrader", lang="sv") not in learner
    )
    assert t("hub.page.runs_heading", lang="sv") in leader
    for html in (
        _render("home.html", user=_user(), url="/user/anna/"),
        _render("home.html", user=_user("kim"), url="", person=LEADER),
    ):
        assert 'href="/hub/token"' not in html


def test_the_start_page_links_each_run_where_it_is_served(tmp_path: Path) -> None:
    from grading.hub.accounts import AccountStore
    from grading.hub.pages import person_vars

    store = AccountStore(tmp_path / "konton.sqlite")
    store.create("kim", "kursledare", "ht26", str(tmp_path))
    store.create("anna", "deltagare", "ht26", str(tmp_path))
    one_machine = person_vars(str(tmp_path / "konton.sqlite"), live_path="services/{run}-samverkan/")
    kubernetes = person_vars(str(tmp_path / "konton.sqlite"), run_path="user/{name}/{run}/", live_path="")
    kim = SimpleNamespace(name="kim")
    assert one_machine(kim)["runs"] == [
        {"id": "ht26", "title": "ht26", "href": "services/ht26/", "live": "services/ht26-samverkan/"}
    ]
    assert kubernetes(kim)["runs"][0]["href"] == "user/kim/ht26/" and kubernetes(kim)["runs"][0]["live"] == ""
    assert one_machine(SimpleNamespace(name="anna")) == {"leader": False, "guest": False, "runs": []}
    assert one_machine(None) == {"leader": False, "guest": False, "runs": []}
    page = _render("home.html", user=_user("kim"), url="", person=kubernetes(kim))
    assert 'href="/user/kim/ht26/formgrader"' in page and "samverkan" not in page
