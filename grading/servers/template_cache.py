"""Voilà's page templates compiled once, in the server zygote, for every learner's server.

Voilà builds a new nbconvert exporter, and with it a new Jinja environment, for every page it
renders, and that environment compiles Cirkel's template and the dozen it extends and imports
again: about a sixth of a learner's server CPU from login to a drawn module on the hub
(``benchmarks/hub_load.py``). Jinja's own bytecode cache keeps compiled templates across
environments. This one holds them in memory: the hub's server zygote fills it before it forks
(:func:`warm`), so every learner's server starts with them; a single server fills it with its
first page. Jinja checks each template's source against the checksum kept with its code at
every load, so an edited template is compiled afresh. The key also names the environment
settings that change the compiled code, so code compiled for one kind of environment is never
run in another.
"""

from __future__ import annotations

import hashlib
import os
from typing import Any

from jinja2 import BytecodeCache, Environment, meta
from jinja2.bccache import Bucket

__all__ = ["EXPORTER_FILTERS", "CompiledTemplates", "TEMPLATES", "use", "warm"]

#: the filters Cirkel's Voilà exporter has (``grading.servers.voila_settings.apply``); the string table's
EXPORTER_FILTERS = {"cirkel_t": "widgets.core.i18n.t"}


def _key(environment: Environment, name: str, filename: str | None) -> str:
    """The template's name and file, and every environment setting that changes its compiled code."""
    settings = (
        environment.is_async,
        environment.optimized,
        environment.autoescape if isinstance(environment.autoescape, bool) else "callable",
        environment.block_start_string,
        environment.variable_start_string,
        environment.comment_start_string,
        environment.line_statement_prefix,
        environment.trim_blocks,
        environment.lstrip_blocks,
        tuple(sorted(environment.extensions)),
        tuple(sorted(environment.filters)),  # the optimiser folds a constant filter call into the code
        tuple(sorted(environment.tests)),
    )
    return hashlib.sha256(repr((name, filename, settings)).encode("utf-8")).hexdigest()


class CompiledTemplates(BytecodeCache):
    """Compiled Jinja templates in memory, one per template file and kind of environment.

    Bounded by the template files the servers load (a few dozen, some 20 KiB each).
    """

    def __init__(self) -> None:
        self._code: dict[str, bytes] = {}
        self.hits = 0
        self.misses = 0

    def get_bucket(self, environment: Environment, name: str, filename: str | None, source: str) -> Bucket:
        """Jinja's bucket, keyed by :func:`_key` (Jinja's own key names only the template)."""
        bucket = Bucket(environment, _key(environment, name, filename), self.get_source_checksum(source))
        self.load_bytecode(bucket)
        if bucket.code is None:
            self.misses += 1
        else:
            self.hits += 1
        return bucket

    def load_bytecode(self, bucket: Bucket) -> None:
        code = self._code.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)  # Jinja drops it when the source's checksum differs

    def dump_bytecode(self, bucket: Bucket) -> None:
        self._code[bucket.key] = bucket.bytecode_to_string()

    def clear(self) -> None:
        self._code.clear()
        self.hits = self.misses = 0

    def __len__(self) -> int:
        return len(self._code)


#: the one cache of this process (and, forked from the zygote, of every learner's server)
TEMPLATES = CompiledTemplates()


def use(environment: Environment) -> Environment:
    """Let ``environment`` load compiled templates from :data:`TEMPLATES` (and keep what it compiles there)."""
    environment.bytecode_cache = TEMPLATES
    return environment


def page_exporter(template_name: str) -> Any:
    """A Voilà exporter of ``template_name`` set up as a page's renderer sets it up (``voila.notebook_renderer``)."""
    from nbconvert.filters.highlight import Highlight2HTML
    from traitlets.config import Config
    from voila.exporter import VoilaExporter
    from voila.paths import collect_template_paths

    exporter = VoilaExporter(
        template_paths=collect_template_paths(["voila", "nbconvert"], template_name),
        template_name=template_name,
        config=Config({"VoilaExporter": {"filters": dict(EXPORTER_FILTERS)}}),
    )
    # the filters ``generate_from_notebook_node`` registers before it loads the template
    exporter.register_filter("highlight_code", Highlight2HTML(parent=exporter))
    exporter.register_filter("trusted", lambda output: output)
    return exporter


def warm(template_name: str | None = None) -> int:
    """Compile every template a page of ``template_name`` (Cirkel's) uses into :data:`TEMPLATES`; how many.

    Follows the template's ``extends``, ``import`` and ``include`` by name, as the page's rendering
    loads them. Cirkel's template folder is put first on ``JUPYTER_PATH`` for the search, as the
    hub's spawner puts it for every learner's server.
    """
    from grading.servers.serve.apps import TEMPLATE_NAME, TEMPLATE_ROOT

    before = os.environ.get("JUPYTER_PATH")
    os.environ["JUPYTER_PATH"] = os.pathsep.join([str(TEMPLATE_ROOT), *filter(None, [before])])
    try:
        exporter = page_exporter(template_name or TEMPLATE_NAME)
        environment = use(exporter.environment)
    finally:
        if before is None:
            del os.environ["JUPYTER_PATH"]
        else:
            os.environ["JUPYTER_PATH"] = before
    loader = environment.loader  # nbconvert's, over the exporter's template folders
    if loader is None:
        return 0
    loaded: set[str] = set()
    waiting = [exporter.template_file]
    while waiting:
        name = waiting.pop()
        if name in loaded:
            continue
        loaded.add(name)
        source, _filename, _uptodate = loader.get_source(environment, name)
        environment.get_template(name)
        waiting.extend(found for found in meta.find_referenced_templates(environment.parse(source)) if found)
    return len(loaded)
