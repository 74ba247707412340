"""Each course run's own PostgreSQL schema on Kubernetes, for its gradebook and its live state.

On one machine each run has its own SQLite files (``<run>/gradebook.db``,
``<run>/samverkan.sqlite``). On Kubernetes SQLite must not be written from
several pods over a network file system, so the gradebook and the live stores
move to PostgreSQL. Their tables carry no course id (nbgrader's gradebook holds
one course; two runs of one course would collide on every module's name), so
each run gets a schema of its own in one database per store: the district makes
two databases and puts their URLs in two secrets, and every run's URL is the
secret's URL with ``search_path`` set to the run's schema (libpq's ``options``),
created on first use.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path

from widgets.core import setting_env
from widgets.core.setting_env import GRADEBOOK_URL_ENV, RUN_ENV, passed
from widgets.core.settings import cirkel_settings

__all__ = ["GRADEBOOK_ENV", "LIVE_DB_ENV", "run_schema", "run_url", "ensure_schema", "gradebook_url"]

#: the gradebook database's URL (from the secret ``cirkel-gradebook``), in a leader's run server only
GRADEBOOK_ENV = GRADEBOOK_URL_ENV
#: the live stores' database URL: in the hub pod the secret's, in a live service its run's
#: (``widgets.storage.live_db`` reads it)
LIVE_DB_ENV = setting_env.LIVE_DB_ENV


def run_schema(course_id: str) -> str:
    """The run's schema: ``run_`` and the course id in lower case, other characters as ``_``."""
    return "run_" + re.sub(r"[^a-z0-9_]", "_", course_id.lower())[:50]


def run_url(url: str, course_id: str) -> str:
    """``url`` with the run's schema first on the ``search_path`` of every connection."""
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    if not parsed.drivername.startswith("postgresql"):
        return url  # SQLite and others keep their own files
    options = f"-csearch_path={run_schema(course_id)}"
    return parsed.update_query_dict({"options": options}).render_as_string(hide_password=False)


def ensure_schema(url: str) -> None:
    """Create the schema a :func:`run_url` names, if missing (the database user must own the database)."""
    import sqlalchemy as sa
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    match = re.fullmatch(r"-csearch_path=(run_[a-z0-9_]+)", str(parsed.query.get("options", "")))
    if match is None:
        return
    engine = sa.create_engine(parsed)
    try:
        with engine.begin() as connection:
            connection.execute(sa.text(f'CREATE SCHEMA IF NOT EXISTS "{match.group(1)}"'))
    finally:
        engine.dispose()


def gradebook_url(environ: Mapping[str, str] | None = None) -> str | None:
    """A leader's run server's gradebook: the secret's URL in the run's schema, else ``None`` (SQLite).

    Called from the image's nbgrader configuration (``values.yaml``,
    ``singleuser.extraFiles``); the run is the ``run`` setting, which :mod:`grading.hub.k8s` passes in the pod's environment.
    """
    if environ is None:
        settings = cirkel_settings()
        base, run = settings.gradebook_url, settings.run
    else:
        base, run = passed(GRADEBOOK_ENV, environ), passed(RUN_ENV, environ)
    if not base or not run:
        return None
    url = run_url(base, Path(run).name)
    ensure_schema(url)
    return url
