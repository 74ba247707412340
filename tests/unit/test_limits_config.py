"""Every server the hub starts culls idle kernels; the locked-down ones cap pages and websocket messages;
the hub runs jupyterhub-idle-culler with only the scopes it needs. Read from the configuration as the
servers and the hub load it (``tests/notebook/test_kernel_limits.py`` proves the settings on a real server,
``tests/hub/test_hub.py`` that the culler runs beside a real hub).
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from traitlets.config import Config, PyFileConfigLoader

from grading.hub import culler, runs
from grading.hub.accounts import AccountStore
from grading.hub.config import configure
from grading.hub.grading_service import grading_service_name
from grading.hub.k8s import configure_kubernetes
from grading.hub.spawner import LEARNER_CONFIG
from grading.servers.kernel_limits import (
    KERNEL_IDLE_TIMEOUT,
    PAGE_KERNELS_PER_LEADER,
    PAGE_KERNELS_PER_PERSON,
    WEBSOCKET_MAX_MESSAGE_BYTES,
)

pytestmark = pytest.mark.unit

REPO = Path(__file__).resolve().parents[2]


def _load(path: Path) -> Config:
    return PyFileConfigLoader(path.name, path=str(path.parent)).load_config()


def _culls(config: Config) -> None:
    kernels = config.MappingKernelManager
    assert kernels.cull_idle_timeout == KERNEL_IDLE_TIMEOUT
    assert 0 < kernels.cull_interval <= 120
    assert kernels.cull_connected is False  # an open page is a person reading: its kernel stays


@pytest.mark.parametrize(
    "path",
    [
        LEARNER_CONFIG,
        runs.LIVE_SERVICE_CONFIG,
        runs.SERVICE_CONFIG,
        REPO / "deploy" / "z2jh" / "jupyter_server_config.py",
    ],
    ids=["learner", "live-service", "run-service", "kubernetes-image"],
)
def test_every_server_culls_kernels_no_browser_holds(path: Path, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("CIRKEL_RUN", str(tmp_path))
    monkeypatch.setenv("HOME", str(tmp_path))
    _culls(_load(path))


@pytest.mark.parametrize("path", [LEARNER_CONFIG, runs.LIVE_SERVICE_CONFIG], ids=["learner", "live-service"])
def test_locked_down_servers_cap_pages_and_websocket_messages(path: Path) -> None:
    config = _load(path)
    assert config.PageKernelCap.max_page_kernels == PAGE_KERNELS_PER_PERSON
    from jupyter_server.serverapp import ServerApp

    settings = ServerApp(config=config).tornado_settings  # as the server merges it
    assert settings["websocket_max_message_size"] == WEBSOCKET_MAX_MESSAGE_BYTES
    assert 0 < settings["ws_ping_interval"] < settings["ws_ping_timeout"] <= 120_000
    from grading.servers.kernel_cap import PageKernelCap

    manager = config.ServerApp.kernel_manager_class
    module, _, name = manager.rpartition(".")
    cls = getattr(__import__(module, fromlist=[name]), name)
    assert issubclass(cls, PageKernelCap)


def test_a_learners_server_preheats_only_the_landing_page_and_once() -> None:
    """Every learner opens "Mina moduler" right after the spawn; which module they open is theirs
    to choose, so no module is preheated, and nothing replaces the landing page's kernel
    (``tests/hub/test_make_run.py`` counts a learner's kernels on a real hub)."""
    preheat = _load(LEARNER_CONFIG).PreheatKernelManager
    assert list(preheat.preheat_notebooks) == ["mina-moduler.ipynb"]
    assert preheat.max_kernels == 1 and preheat.pool_size == 1
    assert preheat.refill is False


def test_the_runs_leaders_may_open_more_pages_on_the_live_service_than_learners(monkeypatch) -> None:
    """A meeting's big screen and the leader's controls for each live tool are pages on one server."""
    from grading.servers.kernel_cap import CappedKernelManager, TooManyPages

    class EveryKernelRunning(CappedKernelManager):  # pages counted without starting kernels
        def __contains__(self, kernel_id: object) -> bool:
            return True

    monkeypatch.setenv("CIRKEL_RUN_LEADERS", "kim,lisa")
    live = EveryKernelRunning(config=_load(runs.LIVE_SERVICE_CONFIG))
    for person, most in (("kim", PAGE_KERNELS_PER_LEADER), ("anna", PAGE_KERNELS_PER_PERSON)):
        for page in range(most):
            live.check_page_kernels(person)
            live.count_page_kernel(f"{person}-{page}", person)
        with pytest.raises(TooManyPages) as refused:
            live.check_page_kernels(person)
        assert refused.value.status_code == 429
    assert PAGE_KERNELS_PER_LEADER > PAGE_KERNELS_PER_PERSON
    # a learner's own server has no leaders: its owner gets the learners' few pages
    assert EveryKernelRunning(config=_load(LEARNER_CONFIG)).most_pages("") == PAGE_KERNELS_PER_PERSON


def test_a_leaders_own_server_culls_its_idle_kernels_too() -> None:
    from grading.hub.spawner import CirkelSpawner

    spawner = CirkelSpawner()
    spawner._cirkel_role = "kursledare"  # as CirkelSpawner.start sets it from the account
    assert f"--MappingKernelManager.cull_idle_timeout={KERNEL_IDLE_TIMEOUT}" in spawner.get_args()


def test_the_hub_runs_the_idle_culler_with_only_the_scopes_it_needs(tmp_path: Path) -> None:
    store = AccountStore(tmp_path / "konton.sqlite")
    store.create("kim", "kursledare", "ht26", str(tmp_path))
    c = Config()
    configure(c, tmp_path)
    services = {s["name"]: s for s in c.JupyterHub.services}
    command = services[culler.CULLER_NAME]["command"]
    assert command[:3] == [sys.executable, "-m", "jupyterhub_idle_culler"]
    assert f"--timeout={culler.SERVER_IDLE_TIMEOUT}" in command
    assert not any(arg.startswith(("--cull-users", "--remove-named-servers", "--max-age")) for arg in command)
    assert "admin" not in services[culler.CULLER_NAME]
    roles = {r["name"]: r for r in c.JupyterHub.load_roles}
    role = roles[culler.CULLER_NAME]
    assert role["services"] == [culler.CULLER_NAME]
    assert sorted(role["scopes"]) == sorted(["list:users", "read:users:activity", "read:servers", "delete:servers"])
    # the run's own services are still there
    assert "ht26" in services and runs.live_service_name("ht26") in services
    # and its grading service (points on submit): no pages, no hub API, no role of its own
    grading = services[grading_service_name("ht26")]
    assert grading["command"] == [sys.executable, "-m", "grading.hub.grading_service", str(tmp_path)]
    assert "url" not in grading and "admin" not in grading
    assert not any(grading_service_name("ht26") in r.get("services", ()) for r in c.JupyterHub.load_roles)


def test_the_same_culler_on_kubernetes_keeps_zjhs_roles(tmp_path: Path) -> None:
    """On Kubernetes the hub runs the same culler (z2jh's own stays off); roles z2jh gave survive Cirkel's config."""
    from widgets.core.i18n import yaml_data

    cull = yaml_data((REPO / "deploy" / "z2jh" / "values.yaml").read_text(encoding="utf-8"))["cull"]
    assert cull["enabled"] is False  # one culler: Cirkel's, added by grading.hub.k8s_services
    c = Config()
    c.JupyterHub.load_roles = [{"name": "z2jh-service", "services": ["z2jh-service"]}]
    store = AccountStore(tmp_path / "konton.sqlite")
    store.create("kim", "kursledare", "ht26", "/srv/cirkel/runs/ht26")
    configure_kubernetes(c, str(tmp_path / "konton.sqlite"))
    names = [r["name"] for r in c.JupyterHub.load_roles]
    assert {"z2jh-service", "kursledare-ht26", culler.CULLER_NAME} <= set(names)
    services = {s["name"]: s for s in c.JupyterHub.services}
    assert f"--timeout={culler.SERVER_IDLE_TIMEOUT}" in services[culler.CULLER_NAME]["command"]
