"""What Zero to JupyterHub makes of ``deploy/z2jh/values.yaml``, without a cluster.

- :data:`DOCUMENTED`: the value keys the chart documents (its ``values.schema.yaml``,
  chart 4.x, the sections Cirkel uses), so a misspelt key, which helm's own schema
  check would refuse, is caught here; ``None`` marks a free-form Kubernetes object.
- :func:`kubespawner_config`: the ``c.KubeSpawner`` settings the chart's
  ``jupyterhub_config.py`` derives from ``singleuser:`` (each documented as a
  passthrough to the KubeSpawner trait of that name), for the keys the values use.
- :func:`pod_for`: the pod KubeSpawner itself builds for a person, with
  ``grading.hub.k8s``'s pre-spawn hook applied, as a ``V1Pod``.
"""

from __future__ import annotations

import asyncio
import inspect
import types
from pathlib import Path
from typing import Any

from traitlets.config import Config

from widgets.core.i18n import yaml_data

REPO = Path(__file__).resolve().parents[2]
VALUES = REPO / "deploy" / "z2jh" / "values.yaml"

_NETPOL = {
    "enabled": True,
    "ingress": None,
    "egress": None,
    "egressAllowRules": {
        k: True
        for k in (
            "cloudMetadataServer",
            "dnsPortsCloudMetadataServer",
            "dnsPortsKubeSystemNamespace",
            "dnsPortsPrivateIPs",
            "nonPrivateIPs",
            "privateIPs",
        )
    },
    "interNamespaceAccessLabels": True,
    "allowedIngressPorts": None,
}
_IMAGE = {"name": True, "tag": True, "pullPolicy": True, "pullSecrets": None}
_FILES = {"*": {"mountPath": True, "data": None, "stringData": True, "binaryData": True, "mode": True}}

#: the chart's documented keys (True: a value; a dict: documented sub-keys, "*" any name; None: free-form)
DOCUMENTED: dict[str, Any] = {
    "hub": {
        "config": None,
        "extraFiles": _FILES,
        "baseUrl": True,
        "command": None,
        "args": None,
        "cookieSecret": True,
        "image": _IMAGE,
        "networkPolicy": _NETPOL,
        "db": {
            "type": True,
            "pvc": None,
            "upgrade": True,
            "url": True,
            "password": True,
        },
        "labels": None,
        "initContainers": None,
        "extraEnv": None,
        "extraConfig": None,
        "service": {"type": True, "ports": None, "annotations": None, "extraPorts": None, "loadBalancerIP": True},
        "pdb": None,
        "existingSecret": True,
        "nodeSelector": None,
        "tolerations": None,
        "activeServerLimit": True,
        "allowNamedServers": True,
        "annotations": None,
        "concurrentSpawnLimit": True,
        "consecutiveFailureLimit": True,
        "podSecurityContext": None,
        "containerSecurityContext": None,
        "extraContainers": None,
        "extraVolumeMounts": None,
        "extraVolumes": None,
        "livenessProbe": None,
        "readinessProbe": None,
        "namedServerLimitPerUser": True,
        "redirectToServer": True,
        "resources": None,
        "lifecycle": None,
        "services": None,
        "loadRoles": None,
        "shutdownOnLogout": True,
        "templatePaths": None,
        "templateVars": None,
        "serviceAccount": None,
        "extraPodSpec": None,
    },
    "proxy": {
        "chp": {
            "networkPolicy": _NETPOL,
            "extraCommandLineFlags": None,
            "extraEnv": None,
            "image": _IMAGE,
            "resources": None,
            "nodeSelector": None,
            "tolerations": None,
            "containerSecurityContext": None,
            "extraPodSpec": None,
        },
        "secretToken": True,
        "service": {
            "type": True,
            "labels": None,
            "annotations": None,
            "nodePorts": {"http": True, "https": True},
            "disableHttpPort": True,
            "extraPorts": None,
            "loadBalancerIP": True,
            "loadBalancerSourceRanges": None,
        },
        "https": {
            "enabled": True,
            "type": True,
            "letsencrypt": {"contactEmail": True, "acmeServer": True},
            "manual": {"key": True, "cert": True},
            "secret": {"name": True, "key": True, "crt": True},
            "hosts": None,
        },
        "labels": None,
        "annotations": None,
    },
    "singleuser": {
        "networkPolicy": _NETPOL,
        "podNameTemplate": True,
        "cpu": {"limit": True, "guarantee": True},
        "memory": {"limit": True, "guarantee": True},
        "image": _IMAGE,
        "initContainers": None,
        "profileList": None,
        "extraFiles": _FILES,
        "extraEnv": None,
        "nodeSelector": None,
        "cmd": None,
        "defaultUrl": True,
        "extraAnnotations": None,
        "extraContainers": None,
        "extraLabels": None,
        "extraPodConfig": None,
        "fsGid": True,
        "lifecycleHooks": None,
        "serviceAccountName": True,
        "startTimeout": True,
        "storage": {
            "capacity": True,
            "dynamic": {
                "pvcNameTemplate": True,
                "storageAccessModes": None,
                "storageClass": True,
                "volumeNameTemplate": True,
            },
            "extraLabels": None,
            "extraVolumeMounts": None,
            "extraVolumes": None,
            "homeMountPath": True,
            "static": {"pvcName": True, "subPath": True},
            "type": True,
        },
        "allowPrivilegeEscalation": True,
        "uid": True,
    },
    "scheduling": {
        "userScheduler": None,
        "podPriority": None,
        "userPlaceholder": None,
        "corePods": None,
        "userPods": None,
    },
    "ingress": None,
    "prePuller": {
        "hook": None,
        "continuous": None,
        "extraImages": None,
        "resources": None,
        "pullProfileListImages": True,
    },
    "custom": None,
    "cull": {
        "enabled": True,
        "users": True,
        "adminUsers": True,
        "removeNamedServers": True,
        "timeout": True,
        "every": True,
        "concurrency": True,
        "maxAge": True,
    },
    "debug": {"enabled": True},
    "rbac": {"create": True},
    "global": None,
}


def values() -> dict[str, Any]:
    return yaml_data(VALUES.read_text(encoding="utf-8"))


def undocumented_keys(given: Any, known: Any = None, path: str = "") -> list[str]:
    """The dotted paths in ``given`` that the chart does not document."""
    known = DOCUMENTED if known is None and not path else known
    if known is None or known is True or not isinstance(given, dict):
        return []
    wrong = []
    for key, value in given.items():
        sub = known.get(key, known.get("*", "missing"))
        if sub == "missing":
            wrong.append(f"{path}{key}")
        else:
            wrong += undocumented_keys(value, sub, f"{path}{key}.")
    return wrong


def kubespawner_config(v: dict[str, Any]) -> Config:
    """The chart's KubeSpawner settings from ``singleuser:`` (the keys ``values.yaml`` uses)."""
    single = v["singleuser"]
    c = Config()
    k = c.KubeSpawner
    k.image = f"{single['image']['name']}:{single['image']['tag']}"
    k.uid = single.get("uid", 1000)  # the chart's defaults
    k.fs_gid = single.get("fsGid", 100)
    k.default_url = single["defaultUrl"]
    k.mem_guarantee, k.mem_limit = single["memory"]["guarantee"], single["memory"]["limit"]
    k.cpu_guarantee, k.cpu_limit = single["cpu"]["guarantee"], single["cpu"]["limit"]
    k.cmd = ["jupyterhub-singleuser"]
    storage = single["storage"]
    volumes: list[dict[str, Any]] = []
    mounts: list[dict[str, Any]] = []
    if storage["type"] == "dynamic":
        k.storage_pvc_ensure = True
        k.storage_capacity = storage["capacity"]
        k.pvc_name_template = "claim-{username}{servername}"
        volumes.append({"name": "home", "persistentVolumeClaim": {"claimName": "{pvc_name}"}})
        mounts.append({"name": "home", "mountPath": storage["homeMountPath"]})
    volumes += storage.get("extraVolumes", [])
    mounts += storage.get("extraVolumeMounts", [])
    files = single.get("extraFiles", {})
    if files:  # one k8s Secret "singleuser" holding every file, each mounted by subPath
        volumes.append(
            {"name": "files", "secret": {"secretName": "singleuser", "items": [{"key": n, "path": n} for n in files]}}
        )
        mounts += [{"name": "files", "mountPath": f["mountPath"], "subPath": n} for n, f in files.items()]
    k.volumes, k.volume_mounts = volumes, mounts
    return c


async def _pod(c: Config, name: str, user_id: int, server_name: str, accounts_file: str) -> Any:
    from kubespawner import KubeSpawner

    spawner = KubeSpawner(
        config=c,
        _mock=True,
        orm_spawner=types.SimpleNamespace(name=server_name, server=None),  # the named server asked for
        authenticator=types.SimpleNamespace(accounts_file=accounts_file),
    )
    spawner.user.name, spawner.user.id = name, user_id
    try:
        hook = spawner.run_pre_spawn_hook()
        if inspect.isawaitable(hook):
            await hook
        return await spawner.get_pod_manifest()
    finally:
        await spawner.api.api_client.close()


def pod_for(c: Config, name: str, user_id: int, accounts_file: str, server_name: str = "") -> Any:
    """KubeSpawner's pod for one person (``KUBECONFIG`` must name a file; no cluster is asked)."""
    return asyncio.run(_pod(c, name, user_id, server_name, accounts_file))


_gradebook_template: list[Path] = []


def roster_run(folder: Path, course_id: str, learners: tuple[str, ...], title: str = "") -> Path:
    """A course run's folder as the spawn hook reads it: its run file and an nbgrader gradebook holding ``learners``.

    The gradebook is nbgrader's own, made once per process (its ``alembic`` step takes seconds) and
    copied; the students are written with nbgrader's API, as ``cirkel learners import`` does.
    """
    import shutil
    import tempfile

    import yaml

    from grading.course_runs.run import CourseRun

    folder.mkdir(parents=True, exist_ok=True)
    (folder / "nbgrader_config.py").write_text("", encoding="utf-8")
    run_file = {"course_id": course_id, "modules": [], "title": title or course_id}
    (folder / "cirkel-run.yml").write_text(yaml.safe_dump(run_file, allow_unicode=True), encoding="utf-8")
    if not _gradebook_template:
        made = Path(tempfile.mkdtemp(prefix="cirkel-gradebook-")) / "gradebook.db"
        with CourseRun(folder).gradebook():
            pass
        shutil.move(folder / "gradebook.db", made)
        _gradebook_template.append(made)
    shutil.copyfile(_gradebook_template[0], folder / "gradebook.db")
    with CourseRun(folder).gradebook() as gb:
        for student_id in learners:
            gb.update_or_create_student(student_id)
    return folder
