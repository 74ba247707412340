"""The handover of a preheated kernel, and which notebooks get a pool.

``handover`` runs in the kernel Voilà gives a learner's request: the widgets
were built long before, and must show what the store holds now. The browser
test ``tests/browser/test_preheated_app.py`` proves it through the real server.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import os
from pathlib import Path

import pytest

from grading.servers.preheat import handover
from grading.servers.preheat_manager import pooled_notebooks
from widgets.exercises.quiz import MeetingRoleQuiz
from widgets.storage.answers import AnswerStore

from mini_module import QUIZ_YML

pytestmark = pytest.mark.notebook


def _quiz(folder: Path) -> MeetingRoleQuiz:
    return MeetingRoleQuiz.from_file(folder / "fragor.yml", exercise_id="fragor", store=AnswerStore(folder / "svar"))


def _chosen(quiz: MeetingRoleQuiz) -> list[int]:
    return list(quiz.answers().get("questions", {}).get("syfte", {}).get("chosen", []))


def test_handover_shows_answers_changed_and_erased_since_the_kernel_was_built(tmp_path, monkeypatch):
    (tmp_path / "fragor.yml").write_text(QUIZ_YML, encoding="utf-8")
    waiting = _quiz(tmp_path)  # the preheated kernel's widget: built with no answers
    assert _chosen(waiting) == []

    elsewhere = _quiz(tmp_path)  # the learner answers in another tab
    elsewhere.choose("syfte", [1])
    elsewhere.submit_answer("syfte")
    assert _chosen(waiting) == []

    monkeypatch.setenv("SCRIPT_NAME", "")
    assert handover("http://127.0.0.1:8888/voila/render/a/b.ipynb?token=x") >= 1
    assert _chosen(waiting) == [1]
    assert os.environ["SCRIPT_NAME"] == "/voila/render/a/b.ipynb"
    assert os.environ["QUERY_STRING"] == "token=x"

    (tmp_path / "svar" / "fragor.json").unlink()  # erased while the kernel waits
    handover()
    assert _chosen(waiting) == []
    assert waiting.score == 0


def test_pools_in_order_within_the_cap(tmp_path):
    for learner in ("anna", "bilal"):
        for module in ("01-a", "02-b"):
            notebook = tmp_path / "deltagare" / learner / "kurs" / module / f"{module}.ipynb"
            notebook.parent.mkdir(parents=True)
            notebook.write_text("{}", encoding="utf-8")
            checkpoint = notebook.parent / ".ipynb_checkpoints" / f"{module}-checkpoint.ipynb"
            checkpoint.parent.mkdir()
            checkpoint.write_text("{}", encoding="utf-8")
        (tmp_path / "deltagare" / learner / "mina-moduler.ipynb").write_text("{}", encoding="utf-8")
    patterns = ["deltagare/*/mina-moduler.ipynb", "deltagare/*/kurs/*/*.ipynb"]

    pools = pooled_notebooks(tmp_path, patterns, pool_size=1, max_kernels=4)
    assert list(pools) == [
        "deltagare/anna/mina-moduler.ipynb",
        "deltagare/bilal/mina-moduler.ipynb",
        "deltagare/anna/kurs/01-a/01-a.ipynb",  # every learner's first module before anyone's second
        "deltagare/bilal/kurs/01-a/01-a.ipynb",
    ]
    assert sum(pooled_notebooks(tmp_path, patterns, pool_size=2, max_kernels=5).values()) == 5
    assert pooled_notebooks(tmp_path, patterns, pool_size=1, max_kernels=0) == {}
    assert all(".ipynb_checkpoints" not in name for name in pooled_notebooks(tmp_path, ["**/*.ipynb"], 1, 99))


def test_the_kernel_list_answers_while_a_kernel_starts(tmp_path):
    """``GET /api/kernels`` lists each kernel in every step of its start (it was a 500 in one of them)."""
    from grading.servers.preheat_manager import PreheatKernelManager

    async def scene() -> tuple[list[str], set[str]]:
        manager = PreheatKernelManager(root_dir=str(tmp_path))
        starting = asyncio.ensure_future(manager.start_kernel(kernel_name="python3"))
        failures: list[str] = []
        states: set[str] = set()
        try:
            while not starting.done():  # every step of the event loop until the kernel has started
                try:
                    states.update(k["execution_state"] for k in manager.list_kernels())
                except Exception as exc:
                    failures.append(repr(exc))
                await asyncio.sleep(0)
            kernel_id = starting.result()
            assert [k["id"] for k in manager.list_kernels()] == [kernel_id]
        finally:
            await manager.shutdown_all(now=True)
        return failures, states

    with concurrent.futures.ThreadPoolExecutor(1) as own_thread:  # a Playwright session on this worker runs a loop
        failures, states = own_thread.submit(asyncio.run, scene()).result()
    assert failures == []
    assert "starting" in states


def test_a_refill_knows_no_earlier_request_and_none_starts_while_the_server_stops(tmp_path):
    """Voilà hands the refill the address of the request that emptied the pool; a new kernel must know
    none (the next page is another request, perhaps another learner's). A server stopping refills nothing."""
    from traitlets.config import Configurable

    from grading.servers.preheat_manager import PreheatKernelManager

    class Server(Configurable):  # what Voilà's pool filler reads of its server
        base_url, server_url, port = "/", "/", 8888

    async def scene() -> tuple[list[dict[str, str]], list[str]]:
        manager = PreheatKernelManager(root_dir=str(tmp_path), parent=Server())
        started: list[dict[str, str]] = []

        async def initialize(notebook_path: str, kernel_id: str | None = None, **kwargs) -> dict:
            started.append(kwargs["env"])
            return {}

        manager._initialize = initialize
        manager.kernel_pools_config["a.ipynb"] = {"pool_size": 1}
        earlier = {"VOILA_REQUEST_URL": "http://127.0.0.1/voila/render/a.ipynb?fran=anna"}
        manager.fill_if_needed(delay=0, notebook_name="a.ipynb", extra_kernel_env_variables=earlier)
        await asyncio.sleep(0.05)
        manager._stopping = True
        manager._pools.clear()
        manager.fill_if_needed(delay=0, notebook_name="a.ipynb")
        await asyncio.sleep(0.05)
        return started, list(manager._pools)

    with concurrent.futures.ThreadPoolExecutor(1) as own_thread:  # a Playwright session on this worker runs a loop
        started, pools = own_thread.submit(asyncio.run, scene()).result()
    assert len(started) == 1  # the refill before the stop, none after it
    assert "fran=anna" not in started[0].get("VOILA_REQUEST_URL", "")
    assert pools == []
