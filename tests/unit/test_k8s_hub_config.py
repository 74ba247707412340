"""Everything ``make run`` gives, on Kubernetes: read from what the z2jh values and the hub configuration produce.

No cluster: the values are read as the chart reads them (``tests/hub/z2jh_values.py``),
the hub configuration is built by the function ``hub.extraConfig`` calls, and each
person's pod is built by KubeSpawner itself (``get_pod_manifest``) with Cirkel's
pre-spawn hook applied, then read as a reviewer of a pod spec would.
"""

from __future__ import annotations

import json
import re
import sys
import threading
from pathlib import Path
from types import SimpleNamespace

import pytest
from traitlets.config import Config, PyFileConfigLoader

from grading.hub import culler, k8s, runs
from grading.hub.accounts import AccountStore
from grading.hub.config import configure
from grading.hub.grading_service import grading_service_name, grading_services
from grading.hub.k8s import configure_kubernetes
from grading.hub.k8s_services import HUB_API_IN_POD, LIVE_PORTS
from grading.servers.kernel_limits import KERNEL_IDLE_TIMEOUT
from grading.servers.serve import HOME_NOTEBOOK
from grading.system.ports import KERNEL_PORT_RANGE
from widgets.storage.submission import Learner, find_learner

from z2jh_values import REPO, kubespawner_config, pod_for, roster_run, undocumented_keys, values

pytestmark = pytest.mark.unit

POD_IP = "10.4.0.17"
KUBECONFIG = """apiVersion: v1
kind: Config
current-context: none
contexts: [{name: none, context: {cluster: none, user: none}}]
clusters: [{name: none, cluster: {server: "https://127.0.0.1:9"}}]
users: [{name: none, user: {token: none}}]
"""
#: a run's grading service at most while a hand-in is graded: the service, its grader and the kernel
#: running the module (benchmarks/points_on_submit.py, 2026-12-04: 231 MiB PSS; 181 MiB with a grader ready)
GRADING_MIB = 231


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> AccountStore:
    """Two runs on the runs volume with their rosters, their leader, two learners (made once: hashing is slow).

    anna's account names ht26; vt27's roster holds her too (a second course that autumn).
    """
    folder = tmp_path_factory.mktemp("k8s-hub")
    store = AccountStore(folder / "konton.sqlite")
    roster_run(folder / "runs" / "ht26", "ht26", ("anna",), title="Marx {username} & mer")
    roster_run(folder / "runs" / "vt27", "vt27", ("anna", "bertil"))
    store.create("kim", "kursledare", "ht26", str(folder / "runs" / "ht26"))
    store.add_run("kim", "vt27", str(folder / "runs" / "vt27"))
    store.create("anna", "deltagare", "ht26")
    store.create("bertil", "deltagare", "vt27")
    (folder / "kubeconfig").write_text(KUBECONFIG, encoding="utf-8")
    return store


@pytest.fixture
def accounts(store: AccountStore, monkeypatch: pytest.MonkeyPatch) -> AccountStore:
    """The accounts, with the hub pod's environment as values.yaml gives it."""
    monkeypatch.setenv("POD_IP", POD_IP)
    monkeypatch.delenv("CIRKEL_LIVE_DB", raising=False)
    # KubeSpawner loads a kube config; it never asks the cluster for a pod's manifest
    monkeypatch.setenv("KUBECONFIG", str(store.path.parent / "kubeconfig"))
    return store


def _hub(store: AccountStore) -> Config:
    """The hub's config as z2jh builds it: the values' KubeSpawner settings, then hub.extraConfig."""
    c = kubespawner_config(values())
    configure_kubernetes(c, str(store.path))
    return c


def _services(c: Config) -> dict[str, dict]:
    return {service["name"]: service for service in c.JupyterHub.services}


def _port_range(rule: dict) -> range:
    (port,) = rule["ports"]
    return range(port["port"], port["endPort"] + 1)


def test_the_values_use_only_keys_the_chart_documents() -> None:
    assert undocumented_keys(values()) == []
    # a misspelt key is caught, as helm's schema check would refuse it
    assert undocumented_keys({"singleuser": {"defaultURL": "/x", "storage": {"homeMountpath": "/h"}}}) == [
        "singleuser.defaultURL",
        "singleuser.storage.homeMountpath",
    ]


def test_each_run_gets_the_live_service_make_run_gives_it(accounts: AccountStore) -> None:
    """Same command, folder, environment and login as on one machine; the address is the hub pod's."""
    services = _services(_hub(accounts))
    local = Config()
    configure(local, accounts.path.parent)  # make run's hub over the same accounts (konton.sqlite there)
    local_services = _services(local)
    for port, course in zip(LIVE_PORTS, ("ht26", "vt27"), strict=False):
        name = runs.live_service_name(course)
        service, same = services[name], local_services[name]
        assert service["url"] == f"http://{POD_IP}:{port}"
        for key in ("command", "cwd", "environment", "oauth_no_confirm", "timeout"):
            assert service[key] == same[key], key
        assert service["environment"]["CIRKEL_RUN_LEADERS"] == "kim"
        assert service["command"][1] == f"--config={runs.LIVE_SERVICE_CONFIG}"
    # a run's JupyterLab is the leader's named server on Kubernetes, never code in the hub pod
    assert "ht26" in local_services and "ht26" not in services


def test_each_run_gets_the_grading_service_make_run_gives_it(accounts: AccountStore) -> None:
    """Points on submit: the very service entry of one machine, in the hub pod (it serves nothing, so no address)."""
    services = _services(_hub(accounts))
    local = Config()
    configure(local, accounts.path.parent)
    local_services = _services(local)
    led = dict(accounts.get("kim").runs)
    for course in ("ht26", "vt27"):
        service = services[grading_service_name(course)]
        assert service == local_services[grading_service_name(course)]  # command, folder, environment alike
        assert service["command"] == [sys.executable, "-m", "grading.hub.grading_service", led[course]]
        assert service["cwd"] == led[course] and "url" not in service
        assert service["environment"]["PATH"].split(":")[0] == str(Path(sys.executable).parent)  # alembic


def test_the_hub_pod_has_the_runs_and_the_exchange_where_the_leaders_and_learners_pods_have_them() -> None:
    """The grader writes the run's gradebook and folders and nbgrader's inbound/ and feedback/: same volumes, paths, uid."""
    v = values()
    hub_claims = {x["name"]: x["persistentVolumeClaim"]["claimName"] for x in v["hub"]["extraVolumes"]}
    hub = {m["mountPath"]: hub_claims[m["name"]] for m in v["hub"]["extraVolumeMounts"] if not m.get("readOnly")}
    storage = v["singleuser"]["storage"]
    pod_claims = {x["name"]: x["persistentVolumeClaim"]["claimName"] for x in storage["extraVolumes"]}
    pods = {m["mountPath"]: pod_claims[m["name"]] for m in storage["extraVolumeMounts"]}
    # a run on the cluster: the folder a leader's run server mounts for it (grading.hub.k8s)
    leader = SimpleNamespace(role="kursledare", runs=(("ht26", "x"),))
    (run_mount,) = k8s.pod_settings(leader, 3, "ht26")["extra_volume_mounts"]
    (service,) = grading_services({"ht26": run_mount["mountPath"]})
    assert service["cwd"] == f"{k8s.RUNS_ROOT}/ht26" and hub[k8s.RUNS_ROOT] == run_mount["name"] == "cirkel-runs"
    assert hub[k8s.EXCHANGE] == pods[k8s.EXCHANGE] == "cirkel-exchange"  # where learners submit
    # the uid of the leader's server that released the modules: nbgrader's inbound (2733) is its to read
    security = v["hub"]["containerSecurityContext"]
    assert security["runAsUser"] == kubespawner_config(v).KubeSpawner.uid == 1000
    assert security["allowPrivilegeEscalation"] is False


def test_no_learner_reaches_the_grading_service_or_its_kernels(accounts: AccountStore) -> None:
    c = _hub(accounts)
    grading = [s for s in c.JupyterHub.services if s["name"] in {grading_service_name(r) for r in ("ht26", "vt27")}]
    assert len(grading) == 2 and all("url" not in s for s in grading)  # no address: the proxy routes nothing there
    assert not any("rattning" in str(role) for role in c.JupyterHub.load_roles)  # no scope grants access to it
    # other pods reach the hub pod only on z2jh's API port and the live services' ports, never a kernel's
    (into_hub,) = values()["hub"]["networkPolicy"]["ingress"]
    assert not set(_port_range(into_hub)) & set(range(*KERNEL_PORT_RANGE)) and 8081 not in range(*KERNEL_PORT_RANGE)


def test_the_proxy_reaches_the_live_services_through_the_network_policies(accounts: AccountStore) -> None:
    v = values()
    ports = {int(s["url"].rsplit(":", 1)[1]) for s in _services(_hub(accounts)).values() if "url" in s}
    (into_hub,) = v["hub"]["networkPolicy"]["ingress"]
    (from_proxy,) = v["proxy"]["chp"]["networkPolicy"]["egress"]
    assert ports and ports <= set(_port_range(into_hub)) and _port_range(into_hub) == _port_range(from_proxy)
    assert _port_range(into_hub) == LIVE_PORTS
    # the proxy pod carries this label in z2jh; the hub pod gets it for its own API calls
    assert into_hub["from"][0]["podSelector"]["matchLabels"] == {"hub.jupyter.org/network-access-hub": "true"}
    assert v["hub"]["labels"] == {"hub.jupyter.org/network-access-hub": "true"}
    assert from_proxy["to"][0]["podSelector"]["matchLabels"]["component"] == "hub"
    env = v["hub"]["extraEnv"]
    assert env["POD_IP"]["valueFrom"]["fieldRef"]["fieldPath"] == "status.podIP"
    # the live services serve the runs' folders: the runs volume is mounted in the hub pod where
    # the accounts name the runs (grading.hub.k8s.RUNS_ROOT)
    mounts = {m["name"]: m["mountPath"] for m in v["hub"]["extraVolumeMounts"]}
    assert mounts["cirkel-runs"] == k8s.RUNS_ROOT


def test_the_hub_pod_runs_cirkels_hub_which_starts_the_services_side_by_side() -> None:
    from grading.hub.app import CirkelHub, main

    hub = values()["hub"]
    assert hub["args"][:3] == ["python3", "-m", "grading.hub.app"]
    # z2jh's own configuration file (it runs hub.extraConfig), and the database upgrade it asks for
    assert hub["args"][3:5] == ["--config", "/usr/local/etc/jupyterhub/jupyterhub_config.py"]
    assert hub["db"]["upgrade"] is True and "--upgrade-db" in hub["args"]
    assert main.__module__ == "grading.hub.app" and "start_service" in CirkelHub.__dict__


def test_everyone_in_a_run_reaches_its_live_service_and_guests_have_a_group(accounts: AccountStore) -> None:
    c = _hub(accounts)
    roles = {role["name"]: role for role in c.JupyterHub.load_roles}
    live = roles["samverkan-ht26"]
    assert live["scopes"] == ["access:services!service=ht26-samverkan"]
    assert live["groups"] == ["deltagare-ht26", "kursledare-ht26", "gaster-ht26"]
    assert c.JupyterHub.load_groups["gaster-vt27"] == {"users": []}
    # leaders see their run's learners, and reach no service of a run they do not lead
    assert "access:services!service=vt27" not in str(roles["kursledare-ht26"])


def test_the_idle_culler_is_make_runs_culler_asking_the_hub_inside_its_pod(accounts: AccountStore) -> None:
    c = _hub(accounts)
    command = _services(c)[culler.CULLER_NAME]["command"]
    assert command == [*culler.culler_service()["command"], f"--url={HUB_API_IN_POD}"]
    assert command[:3] == [sys.executable, "-m", "jupyterhub_idle_culler"]
    assert (
        f"--timeout={culler.SERVER_IDLE_TIMEOUT}" in command and f"--cull-every={culler.SERVER_CULL_EVERY}" in command
    )
    assert (culler.SERVER_IDLE_TIMEOUT, culler.SERVER_CULL_EVERY) == (30 * 60, 5 * 60)
    role = next(r for r in c.JupyterHub.load_roles if r["name"] == culler.CULLER_NAME)
    assert sorted(role["scopes"]) == sorted(culler.CULLER_SCOPES)
    # one culler only: z2jh's own copy is off
    assert values()["cull"] == {"enabled": False}


def test_each_role_lands_where_it_does_with_make_run(accounts: AccountStore) -> None:
    c = _hub(accounts)

    def landing(name: str) -> str:
        handler = SimpleNamespace(
            current_user=SimpleNamespace(name=name),
            hub=SimpleNamespace(base_url="/hub/"),
            authenticator=SimpleNamespace(accounts_file=str(accounts.path)),
        )
        return c.JupyterHub.default_url(handler)

    assert landing("kim") == "/hub/home"  # the leader's start page
    assert landing("gast-ab12cd") == "/hub/kod"  # a guest has only their session
    assert landing("anna") == ""  # their own server: "Mina moduler"
    assert values()["singleuser"]["defaultUrl"] == k8s.HOME_URL == f"/voila/render/{HOME_NOTEBOOK.name}"


def test_the_leaders_start_page_links_each_runs_server_and_live_apps(accounts: AccountStore) -> None:
    c = _hub(accounts)
    assert c.JupyterHub.template_paths == [str(REPO / "grading" / "hub" / "templates")]
    assert c.JupyterHub.template_vars["cirkel"]["title"]  # the Swedish words of every page
    person = c.JupyterHub.template_vars["cirkel_person"](SimpleNamespace(name="kim"))
    assert person["leader"]
    by_run = {run["id"]: run for run in person["runs"]}
    assert by_run["ht26"]["href"] == "user/kim/ht26/"
    assert by_run["ht26"]["live"] == "services/ht26-samverkan/"
    assert c.JupyterHub.authenticator_class == "grading.hub.auth.CirkelAuthenticator"


def test_a_learners_pod_as_kubespawner_builds_it(accounts: AccountStore) -> None:
    c = _hub(accounts)
    pod = pod_for(c, "anna", 7, str(accounts.path))
    (container,) = pod.spec.containers
    assert container.args[-1] == f"--config={k8s.LEARNER_CONFIG_IN_IMAGE}"  # the lockdown
    assert container.security_context == {
        "runAsUser": k8s.FIRST_UID + 7,  # a uid of its own: the exchange's Unix modes keep learners apart
        "runAsGroup": k8s.USERS_GID,
        "allowPrivilegeEscalation": False,
    }
    assert pod.spec.security_context == {"fsGroup": k8s.USERS_GID}  # the home volume's group
    mounts = {m.mount_path: m for m in container.volume_mounts}
    assert set(mounts) == {
        "/home/jovyan",
        k8s.EXCHANGE,
        "/etc/jupyter/nbgrader_config.py",
        f"{k8s.KEYS_ROOT}/ht26",
        f"{k8s.KEYS_ROOT}/vt27",  # her second run, from its roster
    }
    keys = mounts[f"{k8s.KEYS_ROOT}/ht26"]
    assert keys.read_only and keys.sub_path == "ht26/facit" and keys.name == "cirkel-runs"
    volumes = {v["name"] if isinstance(v, dict) else v.name: v for v in pod.spec.volumes}
    assert {"cirkel-exchange", "cirkel-runs", "home"} <= set(volumes)
    env = {e.name: e for e in container.env}
    assert env["CIRKEL_ROLE"].value == "deltagare"
    assert env["JUPYTERHUB_DEFAULT_URL"].value == k8s.HOME_URL
    assert "CIRKEL_GRADEBOOK_URL" not in env and "CIRKEL_RUN" not in env
    # who she is and every run whose roster holds her (her account's first), titled from the run's
    # folder as written: KubeSpawner's {...} templates leave it alone
    assert json.loads(env["CIRKEL_LEARNER"].value) == {
        "student_id": "anna",
        "runs": [
            {"course_id": "ht26", "course_title": "Marx {username} & mer"},
            {"course_id": "vt27", "course_title": "vt27"},
        ],
    }
    assert values()["singleuser"]["memory"]["limit"] == "768M"
    assert container.resources.limits["memory"] == 768 * 2**20  # KubeSpawner's reading of "768M"


def test_a_learner_off_her_runs_roster_gets_no_run_in_her_pod(accounts: AccountStore) -> None:
    """Her account still names ht26, but its roster no longer holds her: no keys, nothing to fetch."""
    accounts.create("cilla", "deltagare", "ht26")
    try:
        pod = pod_for(_hub(accounts), "cilla", 9, str(accounts.path))
    finally:
        accounts.delete("cilla")
    (container,) = pod.spec.containers
    assert not any(m.mount_path.startswith(k8s.KEYS_ROOT) for m in container.volume_mounts)
    assert "CIRKEL_LEARNER" not in {e.name for e in container.env}


def test_the_hub_pod_holds_an_evening_of_three_circles_live_pages() -> None:
    # measured (docs/scaling.md, benchmarks/live_service_cost.py): a live page's kernel up to
    # 109 MiB, a run's live service 95 MiB, the hub itself about 100 MiB; three circles of ten
    # phones, each with its big screen and the cirkelledare's controls, in three runs; each run's
    # grading service while hand-ins come up to GRADING_MIB (benchmarks/points_on_submit.py)
    mib = 2**20
    evening = 3 * (10 + 2) * 100 * mib + 3 * 95 * mib + 100 * mib + 3 * GRADING_MIB * mib
    memory = values()["hub"]["resources"]
    assert _bytes(memory["requests"]["memory"]) >= evening  # reserved for it, not hoped for
    assert _bytes(memory["limits"]["memory"]) >= 1.25 * evening  # room before the pod is killed


def _bytes(size: str) -> int:
    """Kubernetes' reading of a memory quantity such as ``4Gi`` or ``768M``."""
    number, unit = re.fullmatch(r"(\d+)([KMGT]i?)?", str(size)).groups()
    powers = {"K": 10**3, "M": 10**6, "G": 10**9, "T": 10**12, "Ki": 2**10, "Mi": 2**20, "Gi": 2**30, "Ti": 2**40}
    return int(number) * powers.get(unit or "", 1)


def test_a_leaders_run_server_as_kubespawner_builds_it(accounts: AccountStore) -> None:
    c = _hub(accounts)
    pod = pod_for(c, "kim", 3, str(accounts.path), server_name="vt27")
    (container,) = pod.spec.containers
    assert not any("learner_server_config" in arg for arg in container.args or [])
    assert container.security_context["runAsUser"] == 1000  # the image's own user, as z2jh sets it
    mounts = {m.mount_path: m for m in container.volume_mounts}
    assert mounts["/srv/cirkel/runs/vt27"].sub_path == "vt27" and not mounts["/srv/cirkel/runs/vt27"].read_only
    assert not any(path.startswith(k8s.KEYS_ROOT) for path in mounts)
    env = {e.name: e for e in container.env}
    # the gradebook's credentials from the secret, never in the pod spec
    assert env["CIRKEL_GRADEBOOK_URL"].value is None
    assert env["CIRKEL_GRADEBOOK_URL"].value_from == {"secretKeyRef": {"name": "cirkel-gradebook", "key": "url"}}
    assert env["CIRKEL_RUN"].value == "/srv/cirkel/runs/vt27"
    assert container.resources.limits["memory"] == 2 * 2**30  # "2G", more than a learner's
    # the gradebook's PostgreSQL is reachable from user pods (z2jh blocks private addresses by default)
    (rule,) = values()["singleuser"]["networkPolicy"]["egress"]
    assert rule["ports"] == [{"protocol": "TCP", "port": 5432}]


def test_a_server_the_account_may_not_have_is_refused_before_a_pod_exists(accounts: AccountStore) -> None:
    from tornado import web

    c = _hub(accounts)
    with pytest.raises(web.HTTPError) as refused:
        pod_for(c, "anna", 7, str(accounts.path), server_name="ht26")
    assert refused.value.status_code == 403
    assert refused.value.jupyterhub_message == k8s.t("hub.k8s.no_named_server")


def test_the_exchange_is_a_shared_volume_writable_by_every_learners_uid() -> None:
    v = values()
    single = v["singleuser"]
    (exchange,) = [m for m in single["storage"]["extraVolumeMounts"] if m["mountPath"] == k8s.EXCHANGE]
    claim = {x["name"]: x for x in single["storage"]["extraVolumes"]}[exchange["name"]]["persistentVolumeClaim"]
    assert f'c.Exchange.root = "{k8s.EXCHANGE}"' in single["extraFiles"]["nbgrader-config"]["stringData"]
    # the hub pod's init container, as root, gives the exchange root nbgrader's shared-machine mode
    (init,) = v["hub"]["initContainers"]
    assert init["securityContext"]["runAsUser"] == 0
    assert init["command"][-1] == f"chmod 1777 {k8s.EXCHANGE}"
    (mount,) = init["volumeMounts"]
    hub_volumes = {x["name"]: x for x in v["hub"]["extraVolumes"]}
    assert mount["mountPath"] == k8s.EXCHANGE and hub_volumes[mount["name"]]["persistentVolumeClaim"] == claim


def test_a_learners_pod_puts_mina_moduler_in_its_home_and_culls_idle_kernels(tmp_path: Path, monkeypatch) -> None:
    """The image's server config: the landing page's notebook and the learner file in her own volume; kernel culling."""
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("CIRKEL_ROLE", "deltagare")
    monkeypatch.delenv("CIRKEL_RUN", raising=False)
    runs = [{"course_id": "ht26", "course_title": "Hösten"}, {"course_id": "vt27", "course_title": "Våren"}]
    learner = k8s.learner_setting("anna", [(run["course_id"], run["course_title"]) for run in runs])
    monkeypatch.setenv("CIRKEL_LEARNER", learner)  # as the hub gives it (nothing released yet)
    path = REPO / "deploy" / "z2jh" / "jupyter_server_config.py"
    config = PyFileConfigLoader(path.name, path=str(path.parent)).load_config()
    # her learner files, naming the exchange her pod mounts: what "Lämna in" and "Mina moduler" read;
    # her first run works in her home, her second in a folder of its own, with its own "Mina moduler"
    assert find_learner(tmp_path) == Learner("anna", "ht26", Path(k8s.EXCHANGE), tmp_path, "Hösten")
    second = tmp_path / "vt27"
    assert find_learner(second) == Learner("anna", "vt27", Path(k8s.EXCHANGE), second, "Våren")
    for home in (tmp_path, second):
        assert (home / HOME_NOTEBOOK.name).read_bytes() == HOME_NOTEBOOK.read_bytes()
    # and her server keeps looking for modules released later (a daemon thread: it never holds the exit)
    assert any(thread.name == "cirkel-fetch" and thread.daemon for thread in threading.enumerate())
    assert config.MappingKernelManager.cull_idle_timeout == KERNEL_IDLE_TIMEOUT
    assert config.MappingKernelManager.cull_connected is False
    assert config.VoilaConfiguration.template == "cirkel"
