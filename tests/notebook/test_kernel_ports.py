"""Kernels started by Cirkel listen below the ephemeral range (``grading.system.kernel_ports``).

A port in Linux's ephemeral range may be given to any outgoing connection between the moment
jupyter_client chose it and the moment the kernel binds it ("Address already in use", seen under
load in an autograde). The kernels of the grader (nbgrader's API of a run) and of every server's
configuration file take their ports where only listening servers are.
"""

from __future__ import annotations

import asyncio
import json
import runpy
from pathlib import Path

import pytest
from jupyter_client.connect import LocalPortCache
from jupyter_client.manager import AsyncKernelManager

from grading.system.kernel_ports import BelowEphemeralPortCache, use_ports_below_the_ephemeral_range
from grading.system.ports import KERNEL_PORT_RANGE, PORT_RANGE

from run_cache import create_run

pytestmark = pytest.mark.notebook

PORT_NAMES = ("shell_port", "iopub_port", "stdin_port", "hb_port", "control_port")
EPHEMERAL_START = int(Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()[0])
CONFIG_FILES = sorted(Path(__file__).parents[2].glob("grading/**/*_config.py"))


async def _start_and_ask(tmp_path: Path) -> dict[str, int]:
    km = AsyncKernelManager(kernel_name="python3", connection_file=str(tmp_path / "kernel.json"))
    await km.start_kernel(cwd=str(tmp_path))
    try:
        client = km.client()
        client.start_channels()
        await client.wait_for_ready(timeout=120)
        reply = await client.execute_interactive("print(6 * 7)", timeout=60)
        assert reply["content"]["status"] == "ok"
        client.stop_channels()
        return json.loads((tmp_path / "kernel.json").read_text(encoding="utf-8"))
    finally:
        await km.shutdown_kernel(now=True)


def test_a_kernel_started_after_the_switch_listens_below_the_ephemeral_range_and_answers(tmp_path: Path) -> None:
    assert KERNEL_PORT_RANGE[1] <= EPHEMERAL_START, (
        "Cirkel's ranges must end where this machine's ephemeral range begins"
    )
    assert PORT_RANGE[1] <= KERNEL_PORT_RANGE[0], "a kernel must never take a port a server was just given"
    LocalPortCache.instance()  # a cache made before, as when kernels ran before the switch
    use_ports_below_the_ephemeral_range()
    assert isinstance(LocalPortCache.instance(), BelowEphemeralPortCache)
    info = asyncio.run(_start_and_ask(tmp_path))
    ports = [info[name] for name in PORT_NAMES]
    assert len(set(ports)) == 5 and all(KERNEL_PORT_RANGE[0] <= port < KERNEL_PORT_RANGE[1] for port in ports), ports


def test_a_run_s_grader_switches_before_its_first_kernel(mini_course: Path, tmp_path: Path) -> None:
    run = create_run(mini_course, tmp_path / "omg")
    LocalPortCache.clear_instance()
    run.api()  # nbgrader's API of the run, as the autograde opens it (one per grader process)
    assert isinstance(LocalPortCache.instance(), BelowEphemeralPortCache)


@pytest.mark.parametrize("config_file", CONFIG_FILES, ids=lambda p: p.name)
def test_every_server_s_configuration_switches(config_file: Path) -> None:
    LocalPortCache.clear_instance()
    # the file as Jupyter Server loads it: get_config gives the configuration object
    from traitlets.config import Config

    runpy.run_path(str(config_file), init_globals={"get_config": Config})
    assert isinstance(LocalPortCache.instance(), BelowEphemeralPortCache), config_file.name
