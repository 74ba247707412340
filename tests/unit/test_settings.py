"""One configuration (issue 19, point 8): each setting from a config object, else from where Jupyter passes it."""

from __future__ import annotations

import contextlib
import io
import os

import pytest
from traitlets.config import Config
from traitlets.config.loader import KVArgParseConfigLoader

from grading.cli import main
from widgets.core.errors import CirkelError
from widgets.core.setting_env import ALL_ENV, passed
from widgets.core.settings import SETTINGS_CLASSES, cirkel_settings, hub_settings

pytestmark = pytest.mark.unit


@pytest.fixture(autouse=True)
def _no_cirkel_environment(monkeypatch):
    for name in ALL_ENV:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("CIRKEL_LANG", "sv")


def test_a_kernel_reads_what_its_server_passed_in_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("CIRKEL_RUN", str(tmp_path))
    monkeypatch.setenv("CIRKEL_RUN_LEADERS", "kim, ,lena")
    monkeypatch.setenv("CIRKEL_FACIT", os.pathsep.join(["/srv/facit/a", "/srv/facit/b"]))
    settings = cirkel_settings()
    assert settings.run == str(tmp_path)
    assert settings.run_leaders == ["kim", "lena"]
    assert settings.answer_key_dirs == ["/srv/facit/a", "/srv/facit/b"]
    assert settings.viewer is None and settings.live_db is None  # unset is unset, not ""


def test_a_config_object_wins_over_the_environment(monkeypatch):
    monkeypatch.setenv("CIRKEL_RUN", "/from/the/spawner")
    monkeypatch.setenv("CIRKEL_HUB_DIR", "/from/the/shell")
    config = Config({"CirkelSettings": {"run": "/from/the/config"}, "CirkelHubSettings": {"hub_dir": "/srv/hub"}})
    assert cirkel_settings(config).run == "/from/the/config"
    assert hub_settings(config).hub_dir == "/srv/hub"
    assert hub_settings().hub_dir == "/from/the/shell"


def test_the_hubs_ports_follow_its_port_unless_set():
    assert (hub_settings().port, hub_settings().hub_api_port, hub_settings().proxy_api_port) == (8000, 8081, 8001)
    moved = hub_settings(Config({"CirkelHubSettings": {"port": 9000, "proxy_api_port": 9500}}))
    assert (moved.hub_api_port, moved.proxy_api_port) == (9081, 9500)


def test_the_hubs_address_and_ports_as_cirkel_serve_passes_them_on_the_command_line():
    from grading.hub.demo import hub_arguments

    argv = hub_arguments("127.0.0.1", 8765)
    settings = hub_settings(KVArgParseConfigLoader(argv).load_config())
    assert (settings.ip, settings.port) == ("127.0.0.1", 8765)
    assert settings.hub_api_port > 0 and settings.proxy_api_port > 0


@pytest.mark.parametrize("value", ["åtta", "0", "70000"])
def test_a_bad_port_is_refused_in_swedish_naming_the_setting(value):
    config = KVArgParseConfigLoader([f"--CirkelHubSettings.hub_api_port={value}"]).load_config()
    with pytest.raises(CirkelError) as refused:
        hub_settings(config)
    assert refused.value.message == (
        f"inställningen CirkelHubSettings.hub_api_port kan inte vara ”{value}”. Se cirkel config."
    )


def test_only_declared_variables_are_read():
    with pytest.raises(KeyError):
        passed("CIRKEL_TYPO")


def test_every_variable_belongs_to_exactly_one_setting_with_help():
    tagged = [
        trait.metadata["env"]
        for cls in SETTINGS_CLASSES
        for trait in cls.class_traits(config=True).values()
        if "env" in trait.metadata
    ]
    assert sorted(tagged) == sorted(ALL_ENV)
    assert all(trait.help for cls in SETTINGS_CLASSES for trait in cls.class_traits(config=True).values())


def test_cirkel_config_lists_every_setting_with_its_help_and_where_it_is_set():
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main(["config"]) == 0
    listing = out.getvalue()
    for name in ALL_ENV:
        assert f"Miljövariabel: {name}\n" in listing
    port = listing[listing.index("CirkelHubSettings.port = <heltal>") :]
    assert port.splitlines()[1:4] == [
        "    Porten där hubben tar emot besökare.",
        "    Standard: 8000",
        "    Sätts i en konfigurationsfil (c.CirkelHubSettings.port = …) "
        "eller på kommandoraden (--CirkelHubSettings.port=…).",
    ]
