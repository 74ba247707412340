"""Kernels forked from a zygote behave like kernels started the stock way, and leave nothing behind.

``grading.autograde.kernel_zygote`` is what lets ``cirkel autograde`` skip a Python
start and the module's imports for every submission. These tests start real
kernels through jupyter_client with its ``ForkingProvisioner`` and talk to
them as nbclient does.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import nbformat
import pytest
from jupyter_client.manager import KernelManager
from jupyter_core.utils import run_sync

from grading.autograde.kernel_zygote import ForkingProvisioner, Zygote, _ForkedProcess, import_lines

pytestmark = [pytest.mark.notebook, pytest.mark.filterwarnings("ignore")]


def _start(zygote: Zygote | None, cwd: Path, **env: str) -> KernelManager:
    km = KernelManager(kernel_name="python3")
    km.kernel_id = str(uuid.uuid4())
    km.provisioner = ForkingProvisioner(kernel_id=km.kernel_id, kernel_spec=km.kernel_spec, parent=km)
    km.provisioner.zygote = zygote
    km.start_kernel(env=dict(os.environ, **env), cwd=str(cwd), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return km


def _run(km: KernelManager, code: str) -> tuple[str, list]:
    """Run ``code``; its printed text and the comm targets it saw."""
    kc = km.client()
    kc.start_channels()
    try:
        kc.wait_for_ready(timeout=60)
        out: list[str] = []
        reply = kc.execute_interactive(
            code,
            timeout=60,
            output_hook=lambda m: out.append(m["content"].get("text", "")) if m["msg_type"] == "stream" else None,
        )
        assert reply["content"]["status"] == "ok", reply["content"]
        return "".join(out), reply
    finally:
        kc.stop_channels()


def _gone(pid: int, seconds: float = 10, orphan: bool = False) -> bool:
    """True once ``pid`` is neither running nor left as a zombie.

    A killed kernel's main thread shows as a zombie for a moment while its other
    threads end. An ``orphan`` (its zygote ended first) is reaped by the
    machine's init, not by us: for it, having ended is enough.
    """
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with open(f"/proc/{pid}/stat", encoding="utf-8") as stat:
                state = stat.read().rsplit(")", 1)[1].split()[0]
        except (FileNotFoundError, ProcessLookupError):  # reaped between the open and the read: ESRCH
            return True
        if state == "Z" and orphan:
            return True
        time.sleep(0.05)
    return False


@pytest.fixture
def zygote():
    z = Zygote(["import ipywidgets", "from widgets import MeetingRoleQuiz"], env=dict(os.environ))
    yield z
    z.close()


def test_import_lines_are_the_top_level_imports_once_each(tmp_path):
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell("import det här är text"),
        nbformat.v4.new_code_cell("from widgets import MeetingRoleQuiz\nMeetingRoleQuiz.from_file('a.yml')"),
        nbformat.v4.new_code_cell("import json\nfrom widgets import MeetingRoleQuiz\nif True:\n    import csv"),
        nbformat.v4.new_code_cell("from grading.checks import (\n    score_quiz,\n)\nx = 1"),
    ]
    nbformat.write(nb, tmp_path / "modul.ipynb")
    assert import_lines([tmp_path / "modul.ipynb"]) == ["from widgets import MeetingRoleQuiz", "import json"]


def test_a_forked_kernel_runs_in_its_own_folder_environment_and_namespace(zygote, tmp_path):
    assert zygote.ready
    folder = tmp_path / "inlamning"
    folder.mkdir()
    km = _start(zygote, folder, NBGRADER_EXECUTION="autograde")
    try:
        assert isinstance(km.provisioner.process, _ForkedProcess)
        text, _ = _run(
            km,
            "import os, sys\n"
            "print(os.getcwd(), os.environ['NBGRADER_EXECUTION'], '' in sys.path, os.getpid())\n"
            "print(sorted(k for k in dir() if not k.startswith('_')))\n"
            "print('ipywidgets' in sys.modules, 'jupyter.widget' in get_ipython().kernel.comm_manager.targets)",
        )
        first, names, widgets = text.splitlines()
        assert first.split()[:3] == [str(folder), "autograde", "True"]
        assert int(first.split()[3]) == km.provisioner.pid
        assert widgets == "True True"  # preloaded, and the widget comm target is registered as at import
    finally:
        pid = km.provisioner.pid
        km.shutdown_kernel(now=True)
    assert _gone(pid)
    stock = _start(None, folder)
    try:
        assert isinstance(stock.provisioner.process, subprocess.Popen)
        stock_text, _ = _run(stock, "import os, sys\nprint(sorted(k for k in dir() if not k.startswith('_')))")
    finally:
        stock.shutdown_kernel(now=True)
    assert names == stock_text.strip()  # the learner's namespace is a stock kernel's: the preload left nothing


def test_two_forked_kernels_share_nothing(zygote, tmp_path):
    first, second = _start(zygote, tmp_path), _start(zygote, tmp_path)
    try:
        _run(first, "hemligt = 'annas svar'")
        text, _ = _run(second, "print('hemligt' in dir())")
        assert text.strip() == "False"
        assert first.provisioner.pid != second.provisioner.pid
    finally:
        pids = [first.provisioner.pid, second.provisioner.pid]
        first.shutdown_kernel(now=True)
        second.shutdown_kernel(now=True)
    assert all(_gone(pid) for pid in pids)


def test_interrupt_reaches_a_forked_kernel(zygote, tmp_path):
    km = _start(zygote, tmp_path)
    kc = km.client()
    kc.start_channels()
    try:
        kc.wait_for_ready(timeout=60)
        msg_id = kc.execute("import time\ntry:\n    time.sleep(60)\nexcept KeyboardInterrupt:\n    print('avbruten')")
        time.sleep(1)
        km.interrupt_kernel()
        reply = kc.get_shell_msg(timeout=20)
        while reply["parent_header"]["msg_id"] != msg_id:  # a late kernel_info reply of wait_for_ready
            reply = kc.get_shell_msg(timeout=20)
        assert reply["content"]["status"] == "ok"
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


def test_kernels_end_with_their_zygote(tmp_path):
    zygote = Zygote([], env=dict(os.environ))
    km = _start(zygote, tmp_path)
    _run(km, "x = 1")
    pid = km.provisioner.pid
    zygote.close()
    assert _gone(pid, orphan=True)
    km.cleanup_resources()


def test_a_zygote_whose_imports_start_a_thread_is_not_used(tmp_path):
    """Forking a process with threads is unsafe: kernels are then started the stock way."""
    (tmp_path / "traadig.py").write_text(
        "import threading, time\nthreading.Thread(target=time.sleep, args=(60,), daemon=True).start()\n",
        encoding="utf-8",
    )
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(tmp_path), os.environ.get("PYTHONPATH", "")]))
    zygote = Zygote(["import traadig", "import finns_inte"], env=env)
    assert not zygote.ready
    assert zygote.proc.poll() is not None
    km = _start(zygote, tmp_path)
    try:
        assert isinstance(km.provisioner.process, subprocess.Popen)
        text, _ = _run(km, "print(1 + 1)")
        assert text.strip() == "2"
    finally:
        km.shutdown_kernel(now=True)


def test_a_failing_import_is_reported_and_left_to_the_kernel(tmp_path):
    zygote = Zygote(["import json", "import finns_inte_alls"], env=dict(os.environ))
    try:
        assert zygote.ready
        assert zygote.failed == ["import finns_inte_alls: ModuleNotFoundError"]
    finally:
        zygote.close()


def test_another_kernel_command_is_started_the_stock_way(zygote, tmp_path):
    """Only ``python -m ipykernel_launcher`` of this Python is forked; any other kernelspec runs as written."""
    provisioner = ForkingProvisioner(kernel_id="x", kernel_spec=KernelManager(kernel_name="python3").kernel_spec)
    provisioner.zygote = zygote

    async def launch():
        await provisioner.launch_kernel([sys.executable, "-c", "pass"], env=dict(os.environ), cwd=str(tmp_path))
        return provisioner.process

    process = run_sync(launch)()
    assert isinstance(process, subprocess.Popen)
    assert process.wait(timeout=30) == 0


def test_a_killed_kernel_is_gone_at_once_and_never_signalled_again(zygote, tmp_path, monkeypatch):
    """Its process id may belong to another process by then: the zygote reaped it."""

    km = _start(zygote, tmp_path)
    _run(km, "x = 1")
    pid = km.provisioner.pid
    km.provisioner.kill_at_once()
    assert _gone(pid)
    signalled = []
    monkeypatch.setattr(os, "killpg", lambda *args: signalled.append(args))
    monkeypatch.setattr(os, "kill", lambda *args: signalled.append(args))
    run_sync(km.provisioner.send_signal)(15)
    km.shutdown_kernel(now=True)
    assert signalled == []
    assert km.provisioner is None or km.provisioner.process is None
