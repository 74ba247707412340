"""Which Content-Security-Policy each kind of Cirkel server is configured to send.

The config files the hub starts servers with are loaded as Jupyter loads them
(traitlets' Python config loader): a learner's server and a run's live service
serve Voilà only and get the policy without ``'unsafe-eval'``; a run's service
and ``cirkel serve`` serve JupyterLab too and get it with. Whatever else another
part of the configuration put in ``tornado_settings`` (cookie options, say) stays.
The headers as sent are checked against the real servers in
``tests/browser/test_csp_pages.py`` and ``tests/hub/test_csp_hub.py``.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import voila.handler as voila_handler
from traitlets.config import Config, PyFileConfigLoader
from voila.notebook_renderer import NotebookRenderer

from grading.hub import runs
from grading.servers import csp
from grading.servers.page_render import EndingRenderer
from grading.servers.serve import SERVE_CONFIG
from grading.servers.voila_settings import CELL_SECONDS, KERNEL_START_SECONDS

pytestmark = pytest.mark.unit

LEARNER_CONFIG = Path(runs.__file__).with_name("learner_server_config.py")


def _loaded(path: Path) -> Config:
    loader = PyFileConfigLoader(path.name, path=str(path.parent))
    return loader.load_config()


def _header(config: Config) -> str:
    return config.ServerApp.tornado_settings["headers"][csp.HEADER]


def test_voila_only_servers_get_no_eval_and_lab_servers_do(tmp_path, monkeypatch):
    monkeypatch.setenv("CIRKEL_RUN", str(tmp_path))
    expected = {
        LEARNER_CONFIG: csp.policy(),
        runs.LIVE_SERVICE_CONFIG: csp.policy(),
        runs.SERVICE_CONFIG: csp.policy(allow_eval=True),
        SERVE_CONFIG: csp.policy(allow_eval=True),
    }
    for path, policy in expected.items():
        config = _loaded(path)
        assert _header(config) == policy, path.name
        # no MathJax from the CDN (which the policy would block); Voilà's pages get a stand-in (no_math)
        assert config.ServerApp.tornado_settings["mathjax_url"] == "", path.name  # no CDN
    assert "'unsafe-eval'" not in csp.policy() and "'unsafe-eval'" in csp.policy(allow_eval=True)


def test_the_policy_names_no_other_host_and_forbids_plugins_framing_and_foreign_forms():
    directives = {d.split()[0]: d.split()[1:] for d in csp.policy(report_uri="/hub/security/csp-report").split("; ")}
    assert directives["default-src"] == ["'self'"] and directives["object-src"] == ["'none'"]
    for name in ("frame-ancestors", "base-uri", "form-action", "connect-src"):
        assert directives[name] == ["'self'"], name
    assert directives["img-src"] == ["'self'", "data:"]
    sources = [s for name, values in directives.items() if name != "report-uri" for s in values]
    assert not [s for s in sources if "://" in s or s in ("*", "http:", "https:", "ws:", "wss:", "blob:")]


def test_the_hub_keeps_its_other_tornado_settings():
    c = Config()
    c.JupyterHub.tornado_settings = {"cookie_options": {"samesite": "Lax"}, "headers": {"X-Frame-Options": "DENY"}}
    csp.apply_hub(c)
    settings = c.JupyterHub.tornado_settings
    assert settings["cookie_options"] == {"samesite": "Lax"} and settings["headers"]["X-Frame-Options"] == "DENY"
    assert settings["headers"][csp.HEADER] == csp.policy(report_uri="/hub/security/csp-report")


def test_every_server_that_renders_the_apps_takes_the_same_voila_settings(tmp_path, monkeypatch):
    """Issue 19: Voilà's settings in one place (``grading.servers.voila_settings``), also for ``cirkel serve``."""
    monkeypatch.setenv("CIRKEL_RUN", str(tmp_path))
    seen = {}
    for path in (LEARNER_CONFIG, runs.LIVE_SERVICE_CONFIG, runs.SERVICE_CONFIG, SERVE_CONFIG):
        monkeypatch.setattr(voila_handler, "NotebookRenderer", NotebookRenderer)  # Voilà's own again
        config = _loaded(path)
        voila = config.VoilaConfiguration
        seen[path.name] = (
            voila.template,
            voila.strip_sources,
            voila.show_tracebacks,
            tuple(voila.file_allowlist),
            tuple(voila.extension_denylist),
            tuple(config.VoilaExporter.filters.items()),
            config.VoilaExecutor.startup_timeout,
            config.VoilaExecutor.timeout,
        )
        # a page whose kernel died ends (grading.servers.page_render): the handler's renderer is Cirkel's
        assert voila_handler.NotebookRenderer is EndingRenderer
    assert len(set(seen.values())) == 1, seen
    assert next(iter(seen.values()))[-2:] == (KERNEL_START_SECONDS, CELL_SECONDS)
    template, strip_sources, show_tracebacks, *_ = next(iter(seen.values()))
    assert template == "cirkel" and strip_sources is True and show_tracebacks is False
