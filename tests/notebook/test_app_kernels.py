"""A Voilà app's kernel keeps no IPython history on disk; a kernel JupyterLab starts keeps its own."""

from __future__ import annotations

import asyncio
import concurrent.futures
import os

import pytest

pytestmark = pytest.mark.notebook

ASK = "print(get_ipython().history_manager.hist_file)"


def _history_files(tmp_path, env_extra: dict[str, str]) -> tuple[str, list[str]]:
    """What the kernel's IPython says its history file is, and the history files under its IPYTHONDIR."""
    from grading.servers.preheat_manager import PreheatKernelManager

    ipython_dir = tmp_path / "hem" / ".ipython"
    ipython_dir.parent.mkdir(parents=True)
    env = {**os.environ, "IPYTHONDIR": str(ipython_dir), **env_extra}

    async def scene() -> str:
        manager = PreheatKernelManager(root_dir=str(tmp_path))
        kernel_id = await manager.start_kernel(kernel_name="python3", env=env)
        try:
            client = manager.get_kernel(kernel_id).blocking_client()
            client.start_channels()
            client.wait_for_ready(timeout=60)
            printed: list[str] = []
            client.execute_interactive(
                ASK,
                timeout=60,
                output_hook=lambda msg: printed.append(msg["content"].get("text", "")),
            )
            client.stop_channels()
            return "".join(printed).strip()
        finally:
            await manager.shutdown_all(now=True)

    with concurrent.futures.ThreadPoolExecutor(1) as own_thread:  # a Playwright session on this worker runs a loop
        said = own_thread.submit(asyncio.run, scene()).result()
    return said, sorted(p.name for p in ipython_dir.rglob("history.sqlite*")) if ipython_dir.exists() else []


def test_an_app_page_kernel_keeps_its_history_in_memory_only(tmp_path):
    said, files = _history_files(tmp_path, {"VOILA_PREHEAT": "False"})  # as Voilà starts a page's kernel
    assert said == ":memory:"
    assert files == []


def test_a_preheated_app_kernel_too(tmp_path):
    said, files = _history_files(tmp_path, {"VOILA_PREHEAT": "True"})  # as Voilà starts a pool's kernel
    assert said == ":memory:"
    assert files == []


def test_a_kernel_that_is_no_apps_keeps_its_history_file(tmp_path):
    said, files = _history_files(tmp_path, {})  # a leader's notebook in JupyterLab
    assert said.endswith("history.sqlite")
    # the file (and, of a kernel stopped in the middle of a write, SQLite's journal beside it)
    assert files[:1] == ["history.sqlite"] and set(files) <= {"history.sqlite", "history.sqlite-journal"}
