"""The one-way layers of docs/architecture.md, checked as ``make test`` checks them.

``lint-imports`` reads the contracts in pyproject.toml ([tool.importlinter]) and every
import of the three packages, those inside functions included. A second, plain-text
check catches what an import graph cannot see: a module named to ``importlib`` as text.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.unit

REPO = Path(__file__).resolve().parents[2]
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"
#: every way a module can name another one: an import statement or importlib with a string
_NAMES_GRADING = re.compile(
    r"^\s*(from|import)\s+(grading|voila_apps)\b|import_module\(\s*[\"'](grading|voila_apps)\b", re.M
)


def test_every_import_keeps_the_layers_and_no_package_has_a_cycle() -> None:
    result = subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"], cwd=REPO, capture_output=True, text=True, timeout=120, check=False
    )
    report = result.stdout + result.stderr
    assert result.returncode == 0, report
    for contract in (
        "Layers: apps (voila_apps) above the leader's side (grading)",
        "The learner's side never imports the leader's side or the apps KEPT",
        "grading uses widgets' content models and stores, never its screens",
        "The leader's views and the live tools stand apart KEPT",
        "No import cycles between the modules of a package KEPT",
    ):
        assert contract in report, report
    assert "0 broken" in report, report


def test_no_widgets_module_names_grading_or_the_apps_even_as_text() -> None:
    offenders = [
        f"{path.relative_to(REPO)}:{text[: match.start()].count(chr(10)) + 1}"
        for path in sorted((REPO / "widgets").rglob("*.py"))
        for text in [path.read_text(encoding="utf-8")]
        for match in _NAMES_GRADING.finditer(text)
    ]
    assert offenders == []
