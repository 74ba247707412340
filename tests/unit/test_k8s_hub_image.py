"""The hub image (``deploy/z2jh/Dockerfile.hub``) holds what the runs' grading services import.

Each run's grading service (points on submit) runs in the hub pod on Kubernetes, its graders and
their kernels with it (``tests/unit/test_k8s_hub_config.py``): the hub image must have every
package they import. No image is built here: Cirkel's code is read for its imports and each one's
distribution looked for among those ``pip install -e /opt/cirkel`` installs.
"""

from __future__ import annotations

import sys

import pytest

from z2jh_values import REPO

pytestmark = pytest.mark.unit


#: where the grader's code starts: the service, its grader process, the kernels' zygote and the
#: kernel itself (the widgets the modules' notebooks run there: every module of ``widgets``, below)
GRADER_ROOTS = (
    "grading.hub.grading_service",
    "grading.autograde.points_on_submit",
    "grading.autograde.kernel_zygote",
    "ipykernel",
)


def _third_party_imports(roots: tuple[str, ...]) -> set[str]:
    """The top-level names outside Cirkel and the standard library that Cirkel's code from ``roots`` imports.

    Read from the source (lazy imports too), nothing imported.
    """
    import ast

    todo, seen, found = list(roots), set(), set()
    while todo:
        name = todo.pop()
        top = name.split(".")[0]
        if top not in {"grading", "widgets"}:
            found |= {top} - set(sys.stdlib_module_names)
            continue
        if name in seen:
            continue
        seen.add(name)
        folder = REPO.joinpath(*name.split("."))
        source = next((f for f in (folder.with_suffix(".py"), folder / "__init__.py") if f.is_file()), None)
        if source is None:  # a function or class of a module, not a module
            continue
        for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                todo += [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                todo += [node.module, *(f"{node.module}.{alias.name}" for alias in node.names)]
    return found


def test_the_hub_image_has_what_the_grader_imports() -> None:
    """Dockerfile.hub installs Cirkel with its dependencies: every distribution the grader's code imports is one."""
    from importlib.metadata import packages_distributions, requires

    from packaging.requirements import Requirement
    from packaging.utils import canonicalize_name

    (install,) = [
        line for line in (REPO / "deploy/z2jh/Dockerfile.hub").read_text().splitlines() if "pip install" in line
    ]
    assert "-e /opt/cirkel" in install and "--no-deps" not in install
    wanted, seen = [("cirkel", "")], set()  # (distribution, one of the extras asked of it)
    while wanted:
        name, extra = wanted.pop()
        if (name, extra) not in seen:
            seen.add((name, extra))
            for req in map(Requirement, requires(name) or []):
                if req.marker is None or req.marker.evaluate({"extra": extra}):
                    wanted += [(canonicalize_name(req.name), e) for e in ("", *req.extras)]
    closure = {name for name, _extra in seen}
    owners = packages_distributions()
    kernel = [".".join(f.relative_to(REPO).with_suffix("").parts) for f in (REPO / "widgets").rglob("*.py")]
    roots = (*GRADER_ROOTS, *kernel)
    imported = {canonicalize_name(d) for m in _third_party_imports(roots) for d in owners.get(m, [m])}
    assert {"nbgrader", "ipykernel", "ipywidgets", "jupyter-client"} <= imported
    assert imported - closure == set() and "alembic" in closure  # nbgrader runs `alembic` for a new gradebook
