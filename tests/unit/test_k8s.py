"""What the hub gives each pod on Kubernetes, decided by the account alone (no cluster here).

``grading.hub.k8s.pod_settings`` is what KubeSpawner's ``pre_spawn_hook`` applies;
these tests read it as a reviewer of a pod spec would: a learner's pod has the
lockdown, a uid of its own and no course run; a leader's run server mounts that
run only; a server nobody may have is refused in Swedish.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from traitlets.config import Config

from grading.hub import k8s
from grading.hub.accounts import AccountStore
from grading.hub.k8s import PodRefused, configure_kubernetes, pod_settings
from widgets.core.i18n import t

pytestmark = pytest.mark.unit

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def store(tmp_path: Path) -> AccountStore:
    store = AccountStore(tmp_path / "konton.sqlite")
    store.create("anna", "deltagare", "ht26")
    store.create("bertil", "deltagare", "ht26")
    store.create("kim", "kursledare", "ht26", "/srv/cirkel/runs/ht26")
    store.add_run("kim", "vt27", "/srv/cirkel/runs/vt27")
    return store


def test_learners_get_the_lockdown_and_a_uid_each(store: AccountStore) -> None:
    anna = pod_settings(store.get("anna"), user_id=7)
    bertil = pod_settings(store.get("bertil"), user_id=8)
    assert anna["args"] == [f"--config={k8s.LEARNER_CONFIG_IN_IMAGE}"]
    # the config file the pod loads is the one the local hub uses, at its place in the image
    assert k8s.LEARNER_CONFIG_IN_IMAGE.removeprefix("/opt/cirkel/") == "grading/hub/learner_server_config.py"
    assert (REPO / "grading/hub/learner_server_config.py").is_file()
    assert anna["uid"] != bertil["uid"] and min(anna["uid"], bertil["uid"]) >= k8s.FIRST_UID
    assert anna["default_url"] == "/voila/render/mina-moduler.ipynb"
    assert "CIRKEL_GRADEBOOK_URL" not in str(anna) and "notebook_dir" not in anna
    # of the course runs volume, only the answer keys of anna's own run (see the test below)
    assert [m["subPath"] for m in anna["extra_volume_mounts"]] == ["ht26/facit"]
    # an unknown account is treated as a learner, never as a leader
    assert pod_settings(None, user_id=9)["args"] == anna["args"]


def test_a_learners_pod_reads_the_answer_keys_of_its_runs_but_never_serves_them(store: AccountStore) -> None:
    """Feedback needs the keys in the learner's kernel; the learner's server serves only the home."""
    store.create("cilla", "deltagare", "vt27")
    anna = pod_settings(store.get("anna"), user_id=7)
    (mount,) = anna["extra_volume_mounts"]
    assert mount == {
        "name": "cirkel-runs",
        "mountPath": f"{k8s.KEYS_ROOT}/ht26",
        "subPath": "ht26/facit",  # the run's keys folder, not the run (no gradebook, no submissions)
        "readOnly": True,
    }
    assert anna["environment"]["CIRKEL_FACIT"] == mount["mountPath"]
    # outside the home the learner's server serves (z2jh's singleuser.storage.homeMountPath)
    values = (REPO / "deploy/z2jh/values.yaml").read_text(encoding="utf-8")
    home = next(line.split(":", 1)[1].strip() for line in values.splitlines() if "homeMountPath:" in line)
    assert not mount["mountPath"].startswith(home.rstrip("/") + "/")
    # another run's learner mounts that run's keys, not anna's; an unknown account none
    assert pod_settings(store.get("cilla"), user_id=9)["extra_volume_mounts"][0]["subPath"] == "vt27/facit"
    assert "extra_volume_mounts" not in pod_settings(None, user_id=10)


def test_a_learner_gets_no_named_server(store: AccountStore) -> None:
    with pytest.raises(PodRefused, match=t("hub.k8s.no_named_server")):
        pod_settings(store.get("anna"), user_id=7, server_name="ht26")


def test_a_leaders_run_server_mounts_that_run_only(store: AccountStore) -> None:
    pod = pod_settings(store.get("kim"), user_id=3, server_name="vt27")
    assert pod["notebook_dir"] == "/srv/cirkel/runs/vt27" and pod["default_url"] == "/lab"
    assert pod["extra_volume_mounts"] == [
        {"name": "cirkel-runs", "mountPath": "/srv/cirkel/runs/vt27", "subPath": "vt27"}
    ]
    assert pod["gradebook_secret"] and "args" not in pod
    own = pod_settings(store.get("kim"), user_id=3)  # their own server: no run, no gradebook
    assert "extra_volume_mounts" not in own and "gradebook_secret" not in own
    with pytest.raises(PodRefused, match="ht27"):
        pod_settings(store.get("kim"), user_id=3, server_name="ht27")


def test_the_hub_config_takes_roles_from_the_accounts(store: AccountStore) -> None:
    c = Config()
    configure_kubernetes(c, str(store.path))
    assert c.JupyterHub.authenticator_class == "grading.hub.auth.CirkelAuthenticator"
    assert c.JupyterHub.load_groups["kursledare-vt27"]["users"] == ["kim"]
    assert sorted(c.JupyterHub.load_groups["deltagare-ht26"]["users"]) == ["anna", "bertil"]
    roles = {role["name"]: role for role in c.JupyterHub.load_roles}
    # the runs' leaders (their runs' folders are not here, so no live service or its role) and the culler
    assert set(roles) == {"kursledare-ht26", "kursledare-vt27", "idle-culler"}
    assert "list:users!group=deltagare-ht26" in roles["kursledare-ht26"]["scopes"]
    assert c.KubeSpawner.profile_list == [] and c.KubeSpawner.pre_spawn_hook is k8s._apply
