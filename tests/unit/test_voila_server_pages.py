"""Voilà's own pages (an error, a page not found) take their words from the one string table.

They are rendered by Voilà's server-side Jinja environment, not by the app
template, so the words reach them as ``cirkel_t`` among the server's template
variables (``grading.servers.statement_server``). Rendered here as Voilà renders them,
in English (``CIRKEL_LANG=en``) so that a word written into the template
instead would show.
"""

from __future__ import annotations

import re

import jinja2
import pytest

from grading.servers.serve import REPO_ROOT
from grading.servers.statement_server import template_vars
from widgets.core.i18n import t

pytestmark = pytest.mark.unit

TEMPLATES = REPO_ROOT / "voila_apps" / "share" / "voila" / "templates" / "cirkel"


def _render(name: str, **values: object) -> str:
    """``name`` rendered as Voilà's server extension renders its pages (autoescape, the i18n extension)."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)), extensions=["jinja2.ext.i18n"], autoescape=True
    )
    env.install_null_translations()
    return env.get_template(name).render(base_url="/", **template_vars({"jinja_template_vars": {"x": 1}}), **values)


def _text(html: str, pattern: str) -> str:
    found = re.search(pattern, html, re.S)
    assert found, f"{pattern} not in {html}"
    return re.sub(r"\s+", " ", found.group(1)).strip()


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_the_footer_and_a_missing_page_say_the_string_tables_words(monkeypatch, lang):
    monkeypatch.setenv("CIRKEL_LANG", lang)
    html = _render("404.html", status_code=404)
    assert _text(html, r'<footer class="cirkel-footer">.*?>([^<]*)</a></footer>') == t("statement.link", lang=lang)
    assert _text(html, r'<html lang="([a-z]+)">') == lang
    assert _text(html, r"<title>(.*?)</title>") == t("app.page.not_found_title", lang=lang)
    assert _text(html, r"<h1>(.*?)</h1>") == t("app.page.error_heading", lang=lang)
    assert t("app.page.not_found_text", lang=lang) in _text(html, r"<main[^>]*>(.*)</main>")
    assert _text(html, r'<p class="cirkel-noscript">(.*?)</p>') == t("app.noscript", lang=lang)


def test_a_server_error_names_its_code_in_the_tables_words(monkeypatch):
    monkeypatch.setenv("CIRKEL_LANG", "en")
    html = _render("error.html", status_code=500)
    assert t("app.page.error_text", lang="en", code=500) in _text(html, r"<main[^>]*>(.*)</main>")
    assert "Tillgänglighet" not in html


def test_the_servers_own_template_variables_are_kept():
    assert template_vars({"jinja_template_vars": {"x": 1}})["x"] == 1
    assert template_vars({})["cirkel_t"] is t
