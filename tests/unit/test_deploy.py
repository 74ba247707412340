"""The Zero to JupyterHub files parse and carry the settings the deployment depends on."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from widgets.core.i18n import yaml_data

pytestmark = pytest.mark.unit

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"


def _values() -> dict:
    return yaml_data((DEPLOY / "z2jh" / "values.yaml").read_text(encoding="utf-8"))


def _bytes(size: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)\s*([KMGT]i?)?", str(size)).groups()
    factor = {"K": 1e3, "M": 1e6, "G": 1e9, "T": 1e12, "Ki": 2**10, "Mi": 2**20, "Gi": 2**30, "Ti": 2**40}
    return float(number) * factor.get(unit or "", 1)


def test_hub_database_is_postgres_with_password_from_a_secret() -> None:
    hub = _values()["hub"]
    assert hub["db"]["type"] == "postgres"
    assert hub["db"]["url"].startswith("postgresql")
    assert "password" not in hub["db"] and ":" not in hub["db"]["url"].split("//", 1)[1].split("@")[0]
    assert hub["extraEnv"]["PGPASSWORD"]["valueFrom"]["secretKeyRef"]["name"]


def _one_machine_config(monkeypatch: pytest.MonkeyPatch, folder: Path, **hub_settings: object):
    """``deploy/jupyterhub_config.py`` as JupyterHub loads it (``make run``), into a fresh config object.

    ``hub_settings`` are lines ``c.CirkelHubSettings.<name> = <value>`` a deployment adds to the file.
    """
    from traitlets.config import Config

    monkeypatch.setenv("CIRKEL_HUB_DIR", str(folder))
    c = Config({"CirkelHubSettings": hub_settings})
    source = (DEPLOY / "jupyterhub_config.py").read_text(encoding="utf-8")
    exec(compile(source, str(DEPLOY / "jupyterhub_config.py"), "exec"), {"get_config": lambda: c})
    return c


def test_the_one_machine_hub_takes_its_database_from_cirkel_hub_db(tmp_path, monkeypatch) -> None:
    monkeypatch.delenv("CIRKEL_HUB_DB", raising=False)
    assert _one_machine_config(monkeypatch, tmp_path).JupyterHub.db_url == f"sqlite:///{tmp_path / 'jupyterhub.sqlite'}"
    url = "postgresql+psycopg://hub@db.example:5432/cirkel_hub"
    monkeypatch.setenv("CIRKEL_HUB_DB", url)
    assert _one_machine_config(monkeypatch, tmp_path).JupyterHub.db_url == url
    # an address as a database provider gives it: the installed driver (psycopg 3) is named
    monkeypatch.setenv("CIRKEL_HUB_DB", "postgresql://hub@db.example:5432/cirkel_hub")
    assert _one_machine_config(monkeypatch, tmp_path).JupyterHub.db_url == url


def test_the_one_machine_hub_takes_its_address_and_ports_from_its_config_file(tmp_path, monkeypatch) -> None:
    c = _one_machine_config(monkeypatch, tmp_path)
    assert (c.JupyterHub.ip, c.JupyterHub.port, c.JupyterHub.hub_port) == ("127.0.0.1", 8000, 8081)
    c = _one_machine_config(monkeypatch, tmp_path, ip="0.0.0.0", port=8123, proxy_api_port=9001)
    assert (c.JupyterHub.ip, c.JupyterHub.port, c.JupyterHub.hub_port) == ("0.0.0.0", 8123, 8204)
    assert c.ConfigurableHTTPProxy.api_url == "http://127.0.0.1:9001"


def test_z2jhs_own_culler_is_off_for_cirkels() -> None:
    # the hub runs make run's culler (grading/hub/k8s_services.py, tests/unit/test_k8s_hub_config.py)
    assert _values()["cull"] == {"enabled": False}


def test_exchange_is_a_shared_volume_in_every_pod() -> None:
    single = _values()["singleuser"]
    volumes = {v["name"]: v for v in single["storage"]["extraVolumes"]}
    mounts = {m["name"]: m["mountPath"] for m in single["storage"]["extraVolumeMounts"]}
    assert mounts["cirkel-exchange"] == "/srv/nbgrader/exchange"
    assert volumes["cirkel-exchange"]["persistentVolumeClaim"]["claimName"]
    config = single["extraFiles"]["nbgrader-config"]["stringData"]
    assert 'c.Exchange.root = "/srv/nbgrader/exchange"' in config
    assert "c.Exchange.path_includes_course = True" in config


def test_gradebook_on_postgres_only_for_course_leaders() -> None:
    single = _values()["singleuser"]
    config = single["extraFiles"]["nbgrader-config"]["stringData"]
    assert "_gradebook = gradebook_url()" in config and "c.CourseDirectory.db_url = _gradebook" in config
    assert "CIRKEL_GRADEBOOK_URL" not in str(single["storage"]) and "extraEnv" not in single
    assert "cirkel-runs" not in str(single["storage"])  # learners never mount the course runs
    assert "profileList" not in single  # nobody chooses a profile: the account decides


def test_the_hub_runs_cirkels_configuration_from_its_own_image() -> None:
    hub = _values()["hub"]
    assert 'configure_kubernetes(c, "/srv/cirkel/hub/konton.sqlite")' in hub["extraConfig"]["cirkel"]
    # the accounts' own volume, the course runs whose live and grading services the hub runs, and the
    # exchange the grading services collect from and release feedback into
    mounts = {m["mountPath"] for m in hub["extraVolumeMounts"]}
    assert mounts == {"/srv/cirkel/hub", "/srv/cirkel/runs", "/srv/nbgrader/exchange"}
    assert hub["image"]["name"] and hub["image"]["tag"]
    dockerfile = (DEPLOY / "z2jh" / "Dockerfile.hub").read_text(encoding="utf-8")
    assert re.search(r"^FROM quay.io/jupyterhub/k8s-hub:", dockerfile, re.M)
    assert "pip install" in dockerfile and "/opt/cirkel" in dockerfile


def test_resources_are_requested_and_limited() -> None:
    values = _values()
    single = values["singleuser"]
    assert 0 < _bytes(single["memory"]["guarantee"]) <= _bytes(single["memory"]["limit"])
    assert 0 < single["cpu"]["guarantee"] <= single["cpu"]["limit"]
    assert single["defaultUrl"] == "/voila/render/mina-moduler.ipynb"


def test_image_is_built_from_this_repository() -> None:
    dockerfile = (DEPLOY / "z2jh" / "Dockerfile").read_text(encoding="utf-8")
    assert re.search(r"^COPY .* \. /opt/cirkel$", dockerfile, re.M)
    assert "pip install" in dockerfile and "/opt/cirkel" in dockerfile
    image = _values()["singleuser"]["image"]
    assert image["name"] and image["tag"]
