"""The compiled-template cache: a page from warmed code is the page compiled afresh, with nothing compiled.

The real Voilà exporter renders Cirkel's real template; only the kernel is left out (the page's
cells come as they are, as from a run that has finished).
"""

from __future__ import annotations

import asyncio
import os

import nbformat
import pytest

from grading.servers import template_cache
from grading.servers.serve.apps import TEMPLATE_ROOT

pytestmark = pytest.mark.unit

HOSTILE = "<img src=x onerror=alert(1)>"


def _notebook() -> nbformat.NotebookNode:
    return nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_markdown_cell("# Möten som fungerar\n\nVarför har vi möten?", id="text"),
            nbformat.v4.new_code_cell("x = 1", id="code", outputs=[nbformat.v4.new_output("stream", text=HOSTILE)]),
        ]
    )


def _page(cache: bool) -> str:
    exporter = template_cache.page_exporter("cirkel")
    if cache:
        template_cache.use(exporter.environment)

    async def cells(nb, kernel_id):
        for cell in nb.cells:
            yield cell

    async def render() -> str:
        parts = []
        context = {
            "frontend": "voila",
            "main_js": "voila.js",
            "kernel_start": lambda nb: "k1",
            "cell_generator": cells,
            "progressive_rendering": False,
        }
        resources = {
            "base_url": "/",
            "theme": "light",
            "template": "cirkel",
            "metadata": {"name": "m"},
            "page_config": {"fullStaticUrl": "/static"},
        }
        async for html, _ in exporter.generate_from_notebook_node(
            _notebook(), resources=resources, extra_context=context, page_config={"baseUrl": "/"}
        ):
            parts.append(html)
        return "".join(parts)

    return asyncio.run(render())


@pytest.fixture
def cirkel_path(monkeypatch):
    monkeypatch.setenv("JUPYTER_PATH", os.pathsep.join([str(TEMPLATE_ROOT), os.environ.get("JUPYTER_PATH", "")]))
    template_cache.TEMPLATES.clear()
    yield
    template_cache.TEMPLATES.clear()


def test_a_page_from_the_warmed_cache_is_the_page_compiled_afresh_and_compiles_nothing(cirkel_path):
    fresh = _page(cache=False)
    assert "Möten som fungerar" in fresh and HOSTILE not in fresh  # the real template, escaping as ever

    compiled = template_cache.warm()
    assert compiled >= 5 and len(template_cache.TEMPLATES) == compiled
    misses = template_cache.TEMPLATES.misses
    hits = template_cache.TEMPLATES.hits

    assert _page(cache=True) == fresh
    assert template_cache.TEMPLATES.misses == misses, "a template the page loads was not warmed"
    assert template_cache.TEMPLATES.hits >= hits + compiled


def test_an_edited_template_is_compiled_afresh_not_taken_from_the_cache(cirkel_path, tmp_path):
    from jinja2 import DictLoader, Environment

    environment = template_cache.use(Environment(loader=DictLoader({"page.j2": "Hej {{ name }}"})))
    assert environment.get_template("page.j2").render(name="Anna") == "Hej Anna"
    assert template_cache.TEMPLATES.misses == 1

    edited = template_cache.use(Environment(loader=DictLoader({"page.j2": "Hejsan {{ name }}"})))
    assert edited.get_template("page.j2").render(name="Anna") == "Hejsan Anna"
    assert template_cache.TEMPLATES.misses == 2

    again = template_cache.use(Environment(loader=DictLoader({"page.j2": "Hejsan {{ name }}"})))
    assert again.get_template("page.j2").render(name="Anna") == "Hejsan Anna"
    assert template_cache.TEMPLATES.hits == 1


def test_code_compiled_for_one_kind_of_environment_is_never_run_in_another(cirkel_path):
    from jinja2 import DictLoader, Environment

    source = {"page.j2": "{{ name | upper }}"}
    plain = template_cache.use(Environment(loader=DictLoader(source)))
    assert plain.get_template("page.j2").render(name="anna") == "ANNA"
    run_async = template_cache.use(Environment(loader=DictLoader(source), enable_async=True))
    assert asyncio.run(run_async.get_template("page.j2").render_async(name="anna")) == "ANNA"
    assert template_cache.TEMPLATES.misses == 2 and template_cache.TEMPLATES.hits == 0
